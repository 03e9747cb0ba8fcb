"""Evidence in words, written when read: a snapshot keeps the figures and the facts the
words come from (names, codes, published counts), so the decisions log says them in its
reader's language. A snapshot taken before the facts were kept shows the words stored
then."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, ngettext

from linkwork.community.panels.models import EvidenceKind
from linkwork.disclosure import DisclosureRule
from linkwork.insight.evidence import GapFacts, gap_evidence
from linkwork.insight.queries.supply import SupplyCounts
from linkwork.periods import period_words


def _gap(figures: dict[str, Any], facts: dict[str, Any]) -> str:
    reason = facts.get("top_unmet_reason")
    return gap_evidence(
        GapFacts(
            area_name=facts["area_name"],
            category_name=facts["category_name"],
            vocabulary=facts["vocabulary"],
            period_words=period_words(facts["period"]),
            demand=figures.get("demand"),
            unmet=figures.get("unmet"),
            top_unmet_reason=(reason[0], reason[1]) if reason else None,
            waitlisted=figures.get("waitlisted"),
            interests=figures.get("interests"),
            supply=SupplyCounts(
                listings=figures.get("supply") or 0,
                open_listings=figures.get("open_listings") or 0,
                closed_listings=figures.get("closed_listings") or 0,
                open_sessions_per_week=figures.get("open_sessions_per_week") or 0.0,
                stale_listings=figures.get("stale_listings") or 0,
            ),
            hidden_to_protect=frozenset(facts.get("hidden_to_protect") or ()),
        ),
        DisclosureRule(threshold=facts.get("threshold") or DisclosureRule.threshold),
    )


def _emerging_group(figures: dict[str, Any], facts: dict[str, Any]) -> str:
    activity = facts["activity"]  # a taxonomy name, in the catalogues from taxonomy.csv
    words = {
        "activity": gettext(activity).lower(),
        "for_community": (
            gettext(" for %(community)s") % {"community": facts["community"].lower()}
            if facts.get("community")
            else ""
        ),
        "where": (
            gettext("in %(place)s") % {"place": facts["place"]}
            if facts.get("place")
            else gettext("across the area")
        ),
    }
    people = figures.get("people")
    if people is None:
        return (
            gettext(
                "Some people asked for %(activity)s%(for_community)s %(where)s, and no open "
                "group offers it."
            )
            % words
        )
    return gettext(
        "About %(count)s people asked for %(activity)s%(for_community)s %(where)s, and "
        "no open group offers it."
    ) % {**words, "count": f"{people:,}"}


def _money(value: Any) -> str:
    return f"£{Decimal(str(value)):,}"  # stored as a string, "250.00"


def _funding_round(figures: dict[str, Any], facts: dict[str, Any]) -> str:
    awards, applications = figures["awards"], figures["applications"]
    groups = ngettext("%(count)s group", "%(count)s groups", awards) % {"count": awards}
    asked = ngettext("%(count)s application", "%(count)s applications", applications) % {
        "count": applications
    }
    return gettext(
        "“%(round)s”: %(awarded)s of a %(pot)s pot awarded to %(groups)s from %(asked)s; "
        "%(remaining)s left."
    ) % {
        "round": facts["round"],
        "awarded": _money(figures["awarded"]),
        "pot": _money(figures["pot"]),
        "remaining": _money(figures["remaining"]),
        "groups": groups,
        "asked": asked,
    }


WRITERS = {
    EvidenceKind.GAP: _gap,
    EvidenceKind.EMERGING_GROUP: _emerging_group,
    EvidenceKind.FUNDING_ROUND: _funding_round,
}


def evidence_words(evidence: Any) -> str:
    """The evidence's summary in the active language, from its facts when it has them;
    else (an older snapshot, or evidence from elsewhere) the summary as stored."""
    writer = WRITERS.get(evidence.kind)
    if writer is None or not evidence.facts:
        return evidence.summary
    try:
        return writer(evidence.figures, evidence.facts)
    except (KeyError, TypeError, ValueError):
        return evidence.summary  # facts of a shape this version does not know
