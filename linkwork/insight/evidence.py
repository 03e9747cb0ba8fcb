"""The evidence behind a gap, in words.

Every number in the text is a published figure: counts of people come from
`linkwork.disclosure` (a withheld count reads "fewer than 8"), and counts of listings and
sessions are not about people, so they are shown as they are.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from linkwork.disclosure import DisclosureRule
from linkwork.insight.queries import SupplyCounts

# "... could not be connected to anything suitable (10 because <reason>)".
UNMET_BECAUSE = {
    "none_exists": _("because no such group or service exists"),
    "full": _("because what exists was full"),
    "cost": _("because of the cost"),
    "transport": _("because of transport"),
    "timing": _("because of the timing"),
    "language": _("because of language"),
    "access": _("because of access"),
    "not_safe_or_suitable": _("because nothing was safe or suitable"),
    "other": _("because of other reasons"),
}


@dataclass(slots=True)
class GapFacts:
    """What one gap row says: published counts only (None = withheld)."""

    area_name: str
    category_name: str
    vocabulary: str  # "need" or "activity"
    period_words: str  # "in the last 12 months", in the reader's language
    demand: int | None
    unmet: int | None
    top_unmet_reason: tuple[str, int] | None  # (reason code, published count ≥ threshold)
    waitlisted: int | None
    interests: int | None
    supply: SupplyCounts
    # Figures withheld only so that a smaller one cannot be worked out from totals
    # (secondary suppression): they are not "fewer than 8", so they do not say so.
    hidden_to_protect: frozenset[str] = frozenset()


def _count(count: int | float) -> str:
    return f"{count:,}"


def _people(count: int | None, rule: DisclosureRule, protecting: bool = False) -> str:
    if count is None and protecting:
        return gettext("a withheld number of people")
    if count is None:
        return gettext("fewer than %(threshold)s people") % {"threshold": rule.threshold}
    if count == 0:
        return gettext("nobody")
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": _count(count)}


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _place(facts: GapFacts) -> dict[str, str]:
    return {
        "area": facts.area_name,
        "period": facts.period_words,
        "category": gettext(facts.category_name),
        "topic": gettext(facts.category_name).lower(),
    }


def _asked(facts: GapFacts, rule: DisclosureRule) -> str:
    place = _place(facts)
    if facts.vocabulary == "activity":
        if facts.interests == 0:
            return gettext(
                "nobody registered interest in “%(category)s” in %(area)s %(period)s"
            ) % (place)
        who = _people(facts.interests, rule, "interests" in facts.hidden_to_protect)
        return gettext(
            "%(who)s registered interest in “%(category)s” in %(area)s %(period)s and are "
            "still waiting"
        ) % {**place, "who": who}
    if facts.demand == 0:
        return gettext("nobody was referred for help with %(topic)s in %(area)s %(period)s") % (
            place
        )
    who = _people(facts.demand, rule, "demand" in facts.hidden_to_protect)
    return gettext("%(who)s were referred for help with %(topic)s in %(area)s %(period)s") % {
        **place,
        "who": who,
    }


def _unmet(facts: GapFacts, rule: DisclosureRule) -> str | None:
    if facts.unmet == 0:
        return None
    if facts.unmet is None:
        if "unmet" in facts.hidden_to_protect:
            return gettext("a withheld number could not be connected to anything suitable")
        return gettext("fewer than %(threshold)s could not be connected to anything suitable") % {
            "threshold": rule.threshold
        }
    words = {"count": _count(facts.unmet)}
    if facts.top_unmet_reason is None:
        return gettext("%(count)s could not be connected to anything suitable") % words
    reason, count = facts.top_unmet_reason
    return gettext(
        "%(count)s could not be connected to anything suitable (%(reason_count)s %(because)s)"
    ) % {
        **words,
        "reason_count": _count(count),
        "because": UNMET_BECAUSE.get(reason, UNMET_BECAUSE["other"]),
    }


def _waitlisted(facts: GapFacts, rule: DisclosureRule) -> str | None:
    if facts.waitlisted == 0:
        return None
    who = _people(facts.waitlisted, rule, "waitlisted" in facts.hidden_to_protect)
    return gettext("%(who)s were put on a waiting list") % {"who": who}


def _interests(facts: GapFacts, rule: DisclosureRule) -> str | None:
    if facts.vocabulary == "activity" or facts.interests == 0:
        return None
    who = _people(facts.interests, rule, "interests" in facts.hidden_to_protect)
    return gettext("%(who)s registered interest in something that is not there") % {"who": who}


def _supply(facts: GapFacts) -> str:
    supply, place = facts.supply, _place(facts)
    if supply.listings == 0:
        return gettext("no listing serves %(area)s for %(topic)s") % place
    text = ngettext(
        "%(count)s listing serves %(area)s for %(topic)s",
        "%(count)s listings serve %(area)s for %(topic)s",
        supply.listings,
    ) % {**place, "count": _count(supply.listings)}
    sessions = supply.open_sessions_per_week
    if supply.open_listings == 0:
        text += ngettext(
            ", but it is full, paused or taking names for a waiting list",
            ", but all are full, paused or taking names for a waiting list",
            supply.listings,
        )
    else:
        text += ngettext(
            ", with %(sessions)s open session a week",
            ", with %(sessions)s open sessions a week",
            int(sessions),
        ) % {"sessions": _number(sessions)}
        if supply.closed_listings:
            text += gettext(" (%(count)s full, paused or with a waiting list)") % {
                "count": _count(supply.closed_listings)
            }
    if supply.stale_listings:
        text += ngettext(
            "; %(count)s has not been checked for over %(months)s months",
            "; %(count)s have not been checked for over %(months)s months",
            supply.stale_listings,
        ) % {
            "count": _count(supply.stale_listings),
            "months": round(settings.LISTING_STALE_AFTER_DAYS / 30.4),
        }
    return text


def gap_evidence(facts: GapFacts, rule: DisclosureRule) -> str:
    """One or two sentences saying what the gap is, from published figures only, in the
    language of the page reading them (made when read, never stored as words)."""
    if facts.vocabulary == "activity" and facts.interests == 0 and facts.waitlisted != 0:
        # Asked for through a waiting list only: say that first, not "Nobody registered
        # interest", which read as if nobody wanted it.
        who = _people(facts.waitlisted, rule, "waitlisted" in facts.hidden_to_protect)
        opener = gettext(
            "%(who)s were put on a waiting list for “%(category)s” in %(area)s %(period)s"
        ) % {**_place(facts), "who": who}
        parts = [opener, _unmet(facts, rule), _supply(facts)]
    else:
        parts = [_asked(facts, rule), _unmet(facts, rule), _waitlisted(facts, rule)]
        parts += [_interests(facts, rule), _supply(facts)]
    text = "; ".join(part for part in parts if part)
    return text[0].upper() + text[1:] + "."
