"""Reads whose SQL is compiled once per process and database, then run with other values.

Django compiles a queryset's SQL each time it is read, and for a query that brings its related rows
(``select_related``), a list of fields (``only``) and an ordering, compiling costs more than running
it. The reads every uncached page makes are such queries: a role with everything it holds (role
page, API role detail, PDF: seven queries) compiled in ~2.6 ms and ran in ~1.9 ms at 10,000 roles
on PostgreSQL, and prefetching them cost as much again in querysets built only to be thrown away;
a search's page of rows (seven queries) was the same. ``CompiledQuery`` compiles a queryset once,
with placeholders where its values go, and each read puts the values in, runs the SQL and builds
the rows as Django's ``ModelIterable`` does, with the compiler's converters, related-row populators
and annotations: the same rows from the same one query. ``attach`` leaves rows on an instance as
``prefetch_related`` does, so ``role.duties.all()`` reads them without a query.

Only for a few hot, fixed reads: a placeholder must be a value no other parameter of the query has
(an ``IN`` list of varying length needs one compiled query per length), and a queryset that reads
more than rows of its model (``prefetch_related``, ``values``) is refused. Tests compare every read
with the queryset's own rows. django-prepared-queries did this in general; its last release was in
2019.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators


class CompiledQuery:
    """A queryset whose SQL is compiled once per database; ``rows(*values)`` reads it with other values.

    ``placeholders`` are the values the queryset was built with where each read's ``values`` go.
    """

    def __init__(self, queryset: QuerySet, *placeholders: Any) -> None:
        prefetching = queryset._prefetch_related_lookups  # type: ignore[attr-defined]  # not in the stubs
        if queryset._iterable_class is not ModelIterable or prefetching:
            raise ValueError("only a queryset of model rows, without prefetch_related, can be compiled")
        self.queryset = queryset
        self.placeholders = placeholders
        self._statements: dict[str, _Statement] = {}

    def rows(self, *values: Any, using: str | None = None) -> list[Model]:
        """The rows the queryset would read with ``values`` in the placeholders' places. One query.

        ``using`` is the database, by default the router's choice for the model, as for any read.
        """
        alias = using or self.queryset.db
        statement = self._statements.get(alias)
        if statement is None:
            statement = self._statements[alias] = _Statement(self.queryset.using(alias), self.placeholders)
        return statement.rows(values, alias)


class _Statement:
    """One database's compiled SQL of a queryset, and what building its rows takes (``ModelIterable``'s steps)."""

    def __init__(self, queryset: QuerySet, placeholders: tuple[Any, ...]) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for placeholder in placeholders:
            slots = [index for index, param in enumerate(self.params) if param == placeholder]
            if len(slots) != 1:
                raise ValueError(f"{placeholder!r} is {len(slots)} of the query's parameters; it must be one")
            self.slots += slots
        self.compiler = compiler
        self.converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        model_columns = compiler.klass_info["select_fields"]
        self.model_columns = slice(model_columns[0], model_columns[-1] + 1)
        self.field_names = [column[0].target.attname for column in compiler.select[self.model_columns]]
        # Django 5.2's signature: the stubs follow 6.0, which adds a fetch mode (the tests compare every read).
        self.populators = get_related_populators(compiler.klass_info, compiler.select, queryset.db)  # type: ignore[call-arg]
        self.annotations = list((compiler.annotation_col_map or {}).items())

    def rows(self, values: tuple[Any, ...], alias: str) -> list[Model]:
        if len(values) != len(self.slots):
            raise TypeError(f"{len(self.slots)} values expected, {len(values)} given")
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            found: Iterable = cursor.fetchall()
        if self.converters:
            found = self.compiler.apply_converters(found, self.converters)
        model = self.compiler.query.model
        loaded = []
        for row in found:
            instance = model.from_db(alias, self.field_names, row[self.model_columns])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, column in self.annotations:
                setattr(instance, name, row[column])
            loaded.append(instance)
        return loaded


def attach(instance: Model, relation: str, rows: list[Model], queryset: QuerySet) -> None:
    """Leave ``rows`` on ``instance`` as ``prefetch_related(Prefetch(relation, queryset))`` does: a reverse foreign key.

    ``instance.<relation>.all()`` then reads them without a query, and each row's foreign key holds
    ``instance``, so ``row.role`` is no query either. As with Django's prefetch, a further filter or
    ordering of ``instance.<relation>.all()`` is a query of the instance's rows of ``queryset``.
    """
    manager = getattr(instance, relation)
    field = manager.field
    for row in rows:
        setattr(row, field.name, instance)
    prefetched = manager._apply_rel_filters(queryset)
    prefetched._result_cache = rows
    prefetched._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[field.remote_field.cache_name] = prefetched
