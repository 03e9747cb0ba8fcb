"""Audit entries in plain English, with a link to what they are about:
"Sam Okafor published Tonge Walking for Health" rather than `asset_publication_set`.

Names are looked up in bulk for a page of events (one query per kind of object); an
object that no longer exists keeps its type and id, since events outlive what they
describe.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from linkwork.accounts.models import User
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import Asset, Organisation

# action -> what the actor did, before the object's name.
ACTIONS: dict[str, str] = {
    "login": "signed in",
    "logout": "signed out",
    "login_failed": "failed to sign in",
    "user_created": "created the account of",
    "role_granted": "gave a role:",
    "api_token_created": "created an API token",
    "api_token_revoked": "revoked an API token",
    "invitation_sent": "sent an invitation",
    "invitation_accepted": "accepted an invitation",
    "invitation_withdrawn": "withdrew an invitation",
    "organisation_created": "added",
    "organisation_updated": "changed",
    "asset_created": "added the listing",
    "asset_updated": "changed the listing",
    "asset_verified": "confirmed as still right",
    "asset_reminder_sent": "reminded the group to check",
    "asset_escalated": "escalated, as out of date,",
    "capacity_set": "set the capacity of",
    "capacity_full_automatic": "marked as full (last place taken)",
    "listing_claimed": "claimed",
    "listing_claim_decided": "decided a claim on",
    "listing_reported": "reported a problem with",
    "listing_report_resolved": "resolved a report on",
    "listing_note_added": "added a private note on",
    "listing_parts_replaced": "replaced the sessions or costs of",
    "session_added": "added a session to",
    "person_created": "added the record of",
    "person_merged": "merged the records of",
    "person_merge_undone": "undid a merge of",
    "person_not_duplicate": "marked as different people:",
    "person_details_accepted": "accepted the referral's details of",
    "referral_created": "made",
    "referral_viewed": "viewed",
    "referral_listed": "saw in a list",
    "referral_assigned": "assigned",
    "referral_transition": "moved",
    "referral_reopened": "reopened",
    "conversation_recorded": "recorded a what-matters conversation on",
    "plan_saved": "saved the plan on",
    "consent_withdrawn": "recorded consent withdrawn on",
    "unmet_need_recorded": "recorded an unmet need on",
    "follow_up_completed": "completed a follow-up on",
    "follow_up_rescheduled": "rescheduled a follow-up on",
    "follow_ups_cancelled": "cancelled the follow-ups of",
    "connection_viewed": "viewed",
    "connection_listed": "saw in a list",
    "connection_transition": "moved",
    "connection_reminder_sent": "reminded the group about",
    "connection_escalated": "escalated",
    "connection_feedback": "recorded the group's feedback on",
    "feedback_link_sent": "sent the person's feedback link for",
    "feedback_given": "received the person's feedback on",
    "outcome_recorded": "recorded an outcome on",
    "questionnaire_link_created": "made a questionnaire link for",
    "interest_registered": "recorded an interest",
    "interest_closed": "closed an interest",
    "grant_recorded": "recorded a grant",
    "insight_exported": "downloaded insight figures",
    "evaluation_exported": "downloaded evaluation figures",
    "research_exported": "downloaded the research export",
    "directory_exported": "exported the directory",
    "directory_imported": "imported listings",
    "taxonomy_imported": "imported a taxonomy",
}
# The publication words, so "asset_publication_set to=published" reads "published".
PUBLICATION_VERBS = {
    "published": "published",
    "in_review": "sent for review",
    "draft": "made a draft of",
    "archived": "archived",
}
# object type -> (page the name links to, what to call it without a name).
LINKS: dict[str, tuple[str | None, str]] = {
    "asset": ("asset-detail", "listing"),
    "referral": ("referral-detail", "referral"),
    "organisation": (None, "organisation"),
    "user": (None, "account"),
    "connection": (None, "connection"),
    "invitation": (None, "invitation"),
}


@dataclass
class Described:
    event: AuditEvent
    actor: str
    verb: str
    object_text: str
    object_url: str | None


def _names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[int]] = {}
    for event in events:
        if str(event.object_id).isdigit():
            wanted.setdefault(event.object_type, set()).add(int(event.object_id))
    names: dict[tuple[str, str], str] = {}
    for object_type, model, field in (
        ("asset", Asset, "name"),
        ("organisation", Organisation, "name"),
        ("user", User, "full_name"),
    ):
        for pk, name in model.objects.filter(pk__in=wanted.get(object_type, ())).values_list(
            "pk", field
        ):
            names[(object_type, str(pk))] = name
    return names


def _actor_names(events: list[AuditEvent]) -> dict[int, str]:
    ids = {event.actor_id for event in events if event.actor_id}
    return dict(
        User.objects.filter(pk__in=ids).exclude(full_name="").values_list("pk", "full_name")
    )


def _verb(event: AuditEvent) -> str:
    if event.action == "asset_publication_set":
        to = dict(part.split("=", 1) for part in event.summary.split() if "=" in part).get("to", "")
        return PUBLICATION_VERBS.get(to, "changed the publication of")
    return ACTIONS.get(event.action, event.action.replace("_", " "))


def describe(events: list[AuditEvent]) -> list[Described]:
    """Each event as who did what to which object, with a link where there is a page."""
    names, actors = _names(events), _actor_names(events)
    described = []
    for event in events:
        url_name, noun = LINKS.get(event.object_type, (None, event.object_type.replace("_", " ")))
        name = names.get((event.object_type, str(event.object_id)))
        if name:
            text = name
        elif event.object_id:
            text = f"{noun} {event.object_id}"
        else:
            text = ""
        url = None
        if url_name and str(event.object_id).isdigit():
            try:
                url = reverse(url_name, args=[int(event.object_id)])
            except NoReverseMatch:
                url = None
        actor = actors.get(event.actor_id) or event.actor_email or "Linkwork"
        described.append(Described(event, actor, _verb(event), text, url))
    return described
