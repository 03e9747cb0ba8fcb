"""Row triggers written once for both engines (PostgreSQL and SQLite).

Three tables are kept by triggers (insight's `ReferralFact` and `SupplyPending`,
outcomes' `QuestionnaireFact`): each module says *what* its triggers do; this says how a
row trigger is spelt on each engine, so the three cannot drift apart. PostgreSQL runs a
trigger's body as a plpgsql function of the same name; SQLite inlines it. The text is
what the migrations install: changing it changes new databases only (a migration must
re-create the triggers of existing ones).
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RowTrigger:
    name: str  # the trigger's, and on PostgreSQL its function's
    event: str  # "AFTER INSERT ON t", "AFTER UPDATE OF a, b ON t"
    body: str  # statements, each ending in ";", naming the rows NEW and OLD
    when: str = ""  # a condition on NEW / OLD, without brackets

    @property
    def table(self) -> str:
        return self.event.rsplit(" ON ", 1)[1]


def create_sql(triggers: Iterable[RowTrigger], vendor: str) -> list[str]:
    """The statements creating `triggers` on this engine."""
    statements = []
    for trigger in triggers:
        if vendor == "postgresql":
            statements.append(
                f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN {trigger.body} RETURN NULL; END $$"
            )
            condition = f" WHEN ({trigger.when})" if trigger.when else ""
            statements.append(
                f"CREATE TRIGGER {trigger.name} {trigger.event} FOR EACH ROW{condition} "
                f"EXECUTE FUNCTION {trigger.name}()"
            )
        else:
            condition = f" WHEN {trigger.when}" if trigger.when else ""
            statements.append(
                f"CREATE TRIGGER {trigger.name} {trigger.event} FOR EACH ROW{condition} "
                f"BEGIN {trigger.body} END"
            )
    return statements


def drop_sql(triggers: Iterable[RowTrigger], vendor: str) -> list[str]:
    """The statements dropping `triggers` (and their functions) if they exist."""
    statements = []
    for trigger in triggers:
        if vendor == "postgresql":
            statements.append(f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}")
            statements.append(f"DROP FUNCTION IF EXISTS {trigger.name}()")
        else:
            statements.append(f"DROP TRIGGER IF EXISTS {trigger.name}")
    return statements
