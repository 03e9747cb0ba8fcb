"""The evidence behind a gap, in words.

Every number in the text is a published figure: counts of people come from
`linkwork.disclosure` (a withheld count reads "fewer than 8"), and counts of listings and
sessions are not about people, so they are shown as they are.
"""

from dataclasses import dataclass

from django.conf import settings

from linkwork.disclosure import DisclosureRule
from linkwork.insight.queries import SupplyCounts

# "... could not be connected (10 because <reason>)".
UNMET_BECAUSE = {
    "none_exists": "no such group or service exists",
    "full": "what exists was full",
    "cost": "of the cost",
    "transport": "of transport",
    "timing": "of the timing",
    "language": "of language",
    "access": "of access",
    "not_safe_or_suitable": "nothing was safe or suitable",
    "other": "of other reasons",
}


@dataclass(slots=True)
class GapFacts:
    """What one gap row says: published counts only (None = withheld)."""

    area_name: str
    category_name: str
    vocabulary: str  # "need" or "activity"
    period_words: str
    demand: int | None
    unmet: int | None
    top_unmet_reason: tuple[str, int] | None  # (reason code, published count ≥ threshold)
    waitlisted: int | None
    interests: int | None
    supply: SupplyCounts
    # Figures withheld only so that a smaller one cannot be worked out from totals
    # (secondary suppression): they are not "fewer than 8", so they do not say so.
    hidden_to_protect: frozenset[str] = frozenset()


def _people(count: int | None, rule: DisclosureRule, protecting: bool = False) -> str:
    if count is None and protecting:
        return "a withheld number of people"
    if count is None:
        return f"fewer than {rule.threshold} people"
    if count == 0:
        return "nobody"
    return f"{count:,} people"


def _were(count: int | None) -> str:
    return "was" if count == 0 else "were"


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _asked(facts: GapFacts, rule: DisclosureRule) -> str:
    where = f"in {facts.area_name} {facts.period_words}"
    if facts.vocabulary == "activity":
        who = _people(facts.interests, rule, "interests" in facts.hidden_to_protect)
        waiting = "" if facts.interests == 0 else " and are still waiting"
        return f"{who} registered interest in “{facts.category_name}” {where}{waiting}"
    who = _people(facts.demand, rule, "demand" in facts.hidden_to_protect)
    topic = facts.category_name.lower()
    return f"{who} {_were(facts.demand)} referred for help with {topic} {where}"


def _unmet(facts: GapFacts, rule: DisclosureRule) -> str | None:
    if facts.unmet == 0:
        return None
    if facts.unmet is None:
        who = _people(None, rule, "unmet" in facts.hidden_to_protect).removesuffix(" people")
        return f"{who} could not be connected to anything suitable"
    text = f"{facts.unmet:,} could not be connected to anything suitable"
    if facts.top_unmet_reason is not None:
        reason, count = facts.top_unmet_reason
        text += f" ({count:,} because {UNMET_BECAUSE.get(reason, 'of other reasons')})"
    return text


def _waitlisted(facts: GapFacts, rule: DisclosureRule) -> str | None:
    if facts.waitlisted == 0:
        return None
    who = _people(facts.waitlisted, rule, "waitlisted" in facts.hidden_to_protect)
    return f"{who} {_were(facts.waitlisted)} put on a waiting list"


def _interests(facts: GapFacts, rule: DisclosureRule) -> str | None:
    if facts.vocabulary == "activity" or facts.interests == 0:
        return None
    who = _people(facts.interests, rule, "interests" in facts.hidden_to_protect)
    return f"{who} registered interest in something that is not there"


def _supply(facts: GapFacts) -> str:
    supply, topic = facts.supply, facts.category_name.lower()
    where = f"{facts.area_name} for {topic}"
    if supply.listings == 0:
        return f"no listing serves {where}"
    serve = _plural(supply.listings, "listing serves", "listings serve")
    text = f"{supply.listings:,} {serve} {where}"
    sessions = supply.open_sessions_per_week
    if supply.open_listings == 0:
        all_ = "it is" if supply.listings == 1 else "all are"
        text += f", but {all_} full, paused or taking names for a waiting list"
    else:
        text += f", with {_number(sessions)} open {_plural(int(sessions), 'session', 'sessions')}"
        text += " a week"
        if supply.closed_listings:
            text += f" ({supply.closed_listings:,} full, paused or with a waiting list)"
    if supply.stale_listings:
        months = round(settings.LISTING_STALE_AFTER_DAYS / 30.4)
        has = _plural(supply.stale_listings, "has", "have")
        text += f"; {supply.stale_listings:,} {has} not been checked for over {months} months"
    return text


def gap_evidence(facts: GapFacts, rule: DisclosureRule) -> str:
    """One or two sentences saying what the gap is, from published figures only."""
    if facts.vocabulary == "activity" and facts.interests == 0 and facts.waitlisted != 0:
        # Asked for through a waiting list only: say that first, not "Nobody registered
        # interest", which read as if nobody wanted it.
        who = _people(facts.waitlisted, rule, "waitlisted" in facts.hidden_to_protect)
        opener = (
            f"{who} {_were(facts.waitlisted)} put on a waiting list for “{facts.category_name}” "
            f"in {facts.area_name} {facts.period_words}"
        )
        parts = [opener, _unmet(facts, rule), _supply(facts)]
    else:
        parts = [_asked(facts, rule), _unmet(facts, rule), _waitlisted(facts, rule)]
        parts += [_interests(facts, rule), _supply(facts)]
    text = "; ".join(part for part in parts if part)
    return text[0].upper() + text[1:] + "."
