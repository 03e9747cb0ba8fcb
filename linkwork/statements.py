"""Queries on every request, compiled by the ORM once and then run as plain SQL.

Building and compiling a QuerySet costs more Python than running a small indexed query
(issue 19: the session, the signed-in user and the postcode of a search were a third of
a search request's Python on SQLite). A `Statement` is the SQL the ORM wrote for a
query whose shape never changes, compiled once per database with placeholder values;
each request passes its own values in the same order, and the rows come back through
the same converters the ORM applies (SQLite returns dates as text), as values or as
model instances made with `Model.from_db`, as a QuerySet would.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Statement:
    alias: str
    sql: str
    model: type[Model]
    fields: tuple[str, ...]  # attnames of the model's columns, first in the select list
    extras: tuple[str, ...]  # then these annotations (or the values of a values_list)
    converters: dict

    def rows(self, params: Sequence[Any]) -> list[list[Any]]:
        """The rows for these values, converted as the ORM would."""
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for position, (converters, expression) in self.converters.items():
            for row in rows:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        return rows

    def instances(self, params: Sequence[Any]) -> list[Model]:
        """Model instances for these values, each annotation set as an attribute."""
        count = len(self.fields)
        found = []
        for row in self.rows(params):
            instance = self.model.from_db(self.alias, self.fields, row[:count])
            for name, value in zip(self.extras, row[count:], strict=True):
                setattr(instance, name, value)
            found.append(instance)
        return found


@cache
def statement(build: Callable[[str], QuerySet], alias: str, placeholders: tuple) -> Statement:
    """The query `build(alias)` returns, compiled once for `alias`. `placeholders` are
    the values `build` put in it, in the order the SQL takes them: a check that each
    request's values will land where the ORM put them."""
    queryset = build(alias)
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    if tuple(params) != placeholders:
        raise ValueError(f"Expected parameters {placeholders}, the query has {params}.")
    if queryset._fields is None:  # model instances: their columns, then annotations
        fields = [
            compiler.select[i][0].target.attname for i in compiler.klass_info["select_fields"]
        ]
        by_position = sorted(compiler.annotation_col_map.items(), key=lambda item: item[1])
        extras = [name for name, _ in by_position]
        if queryset.query.select_related or [p for _, p in by_position] != list(
            range(len(fields), len(compiler.select))
        ):
            raise ValueError("Only a model's own columns, then annotations, are supported.")
    else:  # values_list: the values in their order
        fields, extras = [], list(queryset._fields)
    expressions = [column for column, _, _ in compiler.select]
    return Statement(
        alias=alias,
        sql=sql,
        model=queryset.model,
        fields=tuple(fields),
        extras=tuple(extras),
        converters=compiler.get_converters(expressions),
    )
