"""What every insight query shares: the state and capacity sets it counts by, table names
from the models, and running a statement on the insight database."""


# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

import datetime as dt
from collections.abc import Sequence

from django.db import connection, connections, transaction

from linkwork.directory.models import CapacityStatus
from linkwork.insight.geography import lsoa_to_level_sql
from linkwork.operations.replicas import insight_database
from linkwork.referrals import transitions as t
from linkwork.referrals.models import UnmetReason

ATTENDED_STATES = t.ATTENDED
ACCEPTED_STATES = t.GROUP_ACCEPTED
NEVER_SENT_STATES = t.NEVER_SENT
# Capacity: open, and no place free now (a waiting list counts: nobody starts straight away).
OPEN = CapacityStatus.OPEN
NO_PLACE_NOW = CapacityStatus.NO_PLACE_NOW

UNMET_REASONS = tuple(UnmetReason.values)

Key = tuple[int, int]  # (area id, taxonomy term id)


def _t(model) -> str:
    return model._meta.db_table


def _m2m(model, name: str) -> str:
    return model._meta.get_field(name).remote_field.through._meta.db_table


def _when(value: dt.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"  # constants, never input


def run_sql(
    sql: str, params: Sequence[object], using: str | None = None, *, stream: bool = False
) -> list[tuple]:
    """Every row of one aggregate statement (on `using`, else the insight database).

    On PostgreSQL without JIT: the planner's estimate for the recursive coverage CTE is
    far above `jit_above_cost`, and compiling the statement took 3.7 s to save
    milliseconds (measured in bench/insight.py). SET LOCAL needs a transaction.
    `stream`: group in the order rows are read (no hash aggregates), for a statement
    written to read an index in its grouping order.
    """
    db = connections[using or insight_database()]  # the read replica, when one is configured
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        if db.vendor == "postgresql":
            # Room to sort and hash the aggregates in memory rather than on disk; and
            # index lookups priced as on SSD or cache (the default 4 is for spinning
            # disks, and made the planner scan all referrals to find a few thousand).
            cursor.execute(
                "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL random_page_cost = 1.1"
                + ("; SET LOCAL enable_hashagg = off" if stream else "")
            )
        cursor.execute(sql, params)
        return cursor.fetchall()


def _level_map(level: str, areas: int | None) -> str:
    """The (lsoa_id, area_id) mapping, limited to `areas` areas (given as that many %s
    parameters, first in the statement) when a report covers only some areas."""
    if areas is None:
        return f"m(lsoa_id, area_id) AS ({lsoa_to_level_sql(level)})"
    marks = ", ".join(["%s"] * max(areas, 1))
    return (
        f"m(lsoa_id, area_id) AS (SELECT lsoa_id, area_id FROM ({lsoa_to_level_sql(level)}) x "
        f"WHERE x.area_id IN ({marks}))"
    )


def _area_params(area_ids: Sequence[int] | None) -> list[object]:
    return [] if area_ids is None else (list(area_ids) or [0])
