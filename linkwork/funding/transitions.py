"""A round's states as a table: draft → open → scoring → decided → closed."""

from linkwork.errors import Conflict, InvalidInput
from linkwork.funding.models import RoundStatus as S

ROUND: dict[str, set[str]] = {
    S.DRAFT: {S.OPEN},
    S.OPEN: {S.SCORING},
    S.SCORING: {S.DECIDED},
    S.DECIDED: {S.CLOSED},
    S.CLOSED: set(),
}


def allowed(current: str) -> set[str]:
    return ROUND[current]


def check(current: str, to: str) -> None:
    """Raise Conflict unless a round may go from `current` to `to`."""
    if to not in ROUND:
        raise InvalidInput(
            {"to": f"{to!r} is not a round state. Choose one of: {', '.join(ROUND)}."}
        )
    if to not in ROUND[current]:
        choices = ", ".join(sorted(ROUND[current])) or "none: it is closed"
        raise Conflict(
            f"A round that is {current} cannot become {to}. Allowed next: {choices}.",
            current_state=current,
        )
