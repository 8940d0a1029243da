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
        _compiler, row = self._first_row(values)
        names = self._compile(DEFAULT_DB_ALIAS)[3]
        return None if row is None else dict(zip(names, row, strict=True))

    def instances(self, **values: int) -> list[Model]:
        """Every row as a model instance, like `list()` of the built queryset."""
        compiler, sql, params, _names = self._compile(DEFAULT_DB_ALIAS)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, self._params(params, values))
            rows = cursor.fetchall()
        return [self._model(compiler, row) for row in compiler.results_iter([rows])]

    def instance(self, **values: int) -> Model | None:
        """The first row as a model instance, like `.first()` on the built queryset
        (which must order its rows or hold one), with its select_related objects
        attached as Django's ModelIterable attaches them."""
        compiler, row = self._first_row(values)
        return None if row is None else self._model(compiler, row)

    @staticmethod
    def _model(compiler, row) -> Model:
        """The row's model with its select_related objects, as ModelIterable builds it."""
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        instance = klass_info["model"].from_db(DEFAULT_DB_ALIAS, names, row[start:end])
        for populator in get_related_populators(klass_info, select, DEFAULT_DB_ALIAS):
            populator.populate(row, instance)
        return instance

    def _first_row(self, values: dict) -> tuple:
        compiler, sql, params, _names = self._compile(DEFAULT_DB_ALIAS)
        if any(not -ROW_ID_LIMIT <= value < ROW_ID_LIMIT for value in values.values()):
            return compiler, None  # an id no column holds (from an address): no row, as the ORM answers
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, self._params(params, values))
            row = cursor.fetchone()
        if row is None:
            return compiler, None
        return compiler, next(iter(compiler.results_iter([[row]])))  # the ORM's own type conversion

    def _params(self, params: tuple, values: dict) -> list:
        real = {self._stand_ins[name]: value for name, value in values.items()}
        return [real.get(param, param) if type(param) is int else param for param in params]

    def _compile(self, alias: str) -> tuple:
        if alias not in self._compiled:
            queryset = self._build(**self._stand_ins)
            query = queryset.query
            compiler = query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            self._compiled[alias] = (compiler, sql, tuple(params), names)
        return self._compiled[alias]
