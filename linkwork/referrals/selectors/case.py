"""One case as its link worker reads it: the case file and its timeline, and the listings to
connect the person to."""

from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.notifications.texts import undelivered_texts
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point
from linkwork.referrals.models import Plan, Referral
from linkwork.referrals.selectors.closure import feedback_request_of


def case_file(referral: Referral) -> dict:
    """Everything the case page shows beyond the referral, in a fixed number of queries."""

    return {
        "conversations": list(referral.conversations.select_related("recorded_by")),
        "plan": Plan.objects.filter(referral=referral).first(),
        "connections": list(
            referral.connections.select_related(
                "asset__organisation", "shared_fields_chosen_by"
            ).order_by("created_at")
        ),
        "unmet_needs": list(
            referral.unmet_needs.select_related("category").order_by("recorded_at")
        ),
        "follow_ups": list(referral.follow_ups.select_related("connection__asset")),
        "events": list(referral.events.select_related("by")),
        "notes": list(referral.case_notes.select_related("by")),
        "feedback": feedback_request_of(referral),
        # Text messages about the case, newest first, and those the link worker should
        # act on (not delivered to the number: check it).
        "undelivered_texts": undelivered_texts(list(referral.text_messages.all())),
    }


def case_timeline(file: dict) -> list[dict]:
    """The case's status changes and its log (notes, calls, visits) in one dated list,
    newest first: what happened, when, and who recorded it."""
    lines = [{"at": e.at, "kind": "status", "event": e, "by": e.by} for e in file["events"]] + [
        {"at": n.happened_at, "kind": n.kind, "note": n, "by": n.by} for n in file["notes"]
    ]
    return sorted(lines, key=lambda line: line["at"], reverse=True)


def assets_to_connect(referral: Referral, *, text: str = "", limit: int = 10) -> list:
    """Published assets within 10 km of the person: those matching `text`, or else those
    helping with the referral's reasons. Nearest (or most relevant) first."""

    try:
        _, point, _ = postcode_point(referral.person.postcode)
    except (InvalidPostcode, UnknownPostcode):
        point = None
    text = text.strip()
    filters = AssetFilters(
        text=text,
        point=point,
        within_km=10 if point else None,
        categories=[] if text else [term.code for term in referral.reasons.all()],
    )
    return search_assets(filters, limit=limit).results
