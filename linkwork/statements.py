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
    related: dict | None = None  # one select_related relation: its columns come last

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
        count, extra = len(self.fields), len(self.fields) + len(self.extras)
        found = []
        for row in self.rows(params):
            instance = self.model.from_db(self.alias, self.fields, row[:count])
            for name, value in zip(self.extras, row[count:extra], strict=True):
                setattr(instance, name, value)
            if self.related is not None:  # as Django's RelatedPopulator sets it
                info, fields = self.related["info"], self.related["fields"]
                values = row[extra:]
                other = None
                if values[fields.index(info["model"]._meta.pk.attname)] is not None:
                    other = info["model"].from_db(self.alias, fields, values)
                    info["remote_setter"](other, instance)
                info["local_setter"](instance, other)
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
    related = None
    if queryset._fields is None:  # model instances: their columns, annotations, a relation
        fields = [attname(compiler, i) for i in compiler.klass_info["select_fields"]]
        by_position = sorted(compiler.annotation_col_map.items(), key=lambda item: item[1])
        extras = [name for name, _ in by_position]
        positions = [*compiler.klass_info["select_fields"], *(p for _, p in by_position)]
        infos = compiler.klass_info.get("related_klass_infos") or []
        if len(infos) == 1 and not infos[0].get("related_klass_infos") and not infos[0]["reverse"]:
            related_fields = [attname(compiler, i) for i in infos[0]["select_fields"]]
            related = {"info": infos[0], "fields": related_fields}
            positions += infos[0]["select_fields"]
        elif infos:
            raise ValueError("At most one select_related relation, one level deep.")
        if positions != list(range(len(compiler.select))):
            raise ValueError("Columns, annotations, then the relation's columns, in order.")
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
        related=related,
    )


def attname(compiler: object, position: int) -> str:
    return compiler.select[position][0].target.attname
