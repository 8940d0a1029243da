"""Run a hot ORM query without compiling it on every request.

Compiling a queryset with several subqueries costs milliseconds of Python each time,
more than the database takes to answer it. A PreparedQuery builds the queryset once per
process with stand-in values, keeps the SQL Django compiled for it, and runs that SQL
with the real values in their place. The ORM stays the one source of the SQL; only the
compiling is saved. Stand-ins are integers no real row has; pass integer values (ids).

`first` answers a `.values()` queryset with a dict; `instance` answers a queryset of
models, select_related included, with the model as the ORM builds it.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Values outside a 64-bit integer column's range: the ORM answers them with no row; the
# database driver would raise.
ROW_ID_LIMIT = 2**63


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **stand_ins: int):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple] = {}

    def first(self, **values: int) -> dict | None:
        """The first row as a dict, like `.values(...).first()` on the built queryset."""
        rows = self._rows(values, first=True)
        names = self._compile(DEFAULT_DB_ALIAS)[3]
        return dict(zip(names, rows[0], strict=True)) if rows else None

    def instances(self, **values: int) -> list[Model]:
        """Every row as a model instance, like `list()` of the built queryset."""
        return self._models(self._rows(values, first=False))

    def instance(self, **values: int) -> Model | None:
        """The first row as a model instance, like `.first()` on the built queryset
        (which must order its rows or hold one), with its select_related objects
        attached as Django's ModelIterable attaches them."""
        models = self._models(self._rows(values, first=True))
        return models[0] if models else None

    def _rows(self, values: dict, *, first: bool) -> list[tuple]:
        """The rows, converted by the ORM's own converters; none for an id no column holds
        (from an address), as the ORM answers it."""
        if any(not -ROW_ID_LIMIT <= value < ROW_ID_LIMIT for value in values.values()):
            return []
        compiler, sql, params, _names = self._compile(DEFAULT_DB_ALIAS)
        real = {self._stand_ins[name]: value for name, value in values.items()}
        params = [real.get(param, param) if type(param) is int else param for param in params]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            if first:
                row = cursor.fetchone()
                rows = [] if row is None else [row]
            else:
                rows = cursor.fetchall()
        return list(compiler.results_iter([rows])) if rows else []

    def _models(self, rows: list[tuple]) -> list[Model]:
        """Each row's model with its select_related objects, as ModelIterable builds them."""
        if not rows:
            return []
        compiler = self._compile(DEFAULT_DB_ALIAS)[0]
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, DEFAULT_DB_ALIAS)
        models = []
        for row in rows:
            model = klass_info["model"].from_db(DEFAULT_DB_ALIAS, names, row[start:end])
            for populator in populators:
                populator.populate(row, model)
            models.append(model)
        return models

    def _compile(self, alias: str) -> tuple:
        if alias not in self._compiled:
            queryset = self._build(**self._stand_ins)
            query = queryset.query
            compiler = query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            self._compiled[alias] = (compiler, sql, tuple(params), names)
        return self._compiled[alias]
