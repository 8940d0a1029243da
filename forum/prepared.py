"""Run a hot ORM query without compiling it on every request.

Compiling a queryset with several subqueries costs milliseconds of Python each time,
more than the database takes to answer it. A PreparedQuery builds the queryset once per
process with stand-in values, keeps the SQL Django compiled for it, and runs that SQL
with the real values in their place. The ORM stays the one source of the SQL; only the
compiling is saved. Stand-ins are integers no real row has; pass integer values (ids).
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **stand_ins: int):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple] = {}

    def first(self, **values: int) -> dict | None:
        """The first row as a dict, like `.values(...).first()` on the built queryset."""
        compiler, sql, params, names = self._compile(DEFAULT_DB_ALIAS)
        real = {self._stand_ins[name]: value for name, value in values.items()}
        params = [real.get(param, param) if type(param) is int else param for param in params]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        converted = next(iter(compiler.results_iter([[row]])))  # the ORM's own type conversion
        return dict(zip(names, converted, strict=True))

    def _compile(self, alias: str) -> tuple:
        if alias not in self._compiled:
            queryset = self._build(**self._stand_ins)
            query = queryset.query
            compiler = query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            self._compiled[alias] = (compiler, sql, tuple(params), names)
        return self._compiled[alias]
