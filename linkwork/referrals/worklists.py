"""The daily work lists (triage queue, caseload, follow-ups, referrer's list, group
inbox), as the pages and the API read them: search, filters with their counts, and the
order that puts the most urgent first. Every list here is already scoped to the viewer
by a selector; this module only narrows and orders it.

Searching finds a person by name, NHS number, reference or postcode. A search is
audited as a search (who, which list, how many results), never with what was typed:
the words may be a name or an NHS number.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.places.postcodes import InvalidPostcode, normalise_postcode
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FollowUp, Referral

# "Due soon": first contact or a review falling due within this many days.
DUE_SOON_DAYS = 2
MAX_SEARCH = 100
REFERENCE = re.compile(r"^(?:ref\.?\s*)?([0-9a-f]{8})$", re.IGNORECASE)


@dataclass(frozen=True)
class Sort:
    value: str
    label: str


SORTS = {
    "urgency": Sort("urgency", "Most urgent first"),
    "newest": Sort("newest", "Newest first"),
    "oldest": Sort("oldest", "Oldest first"),
}


# --- Search -------------------------------------------------------------------------


def person_search(q: str, *, prefix: str = "person__", as_referred: bool = False) -> Q | None:
    """What a search box finds among referrals: ten digits an NHS number, eight hex
    characters the start of a reference, a postcode (whole or its outward part), else
    every word the start of a first or last name. None for an empty search.

    With `as_referred` (a referrer's list) the details are matched as that referral gave
    them, never details another referral added to the person's record."""
    q = " ".join(q.split())[:MAX_SEARCH]
    if not q:
        return None
    digits = re.sub(r"[\s-]", "", q)
    if digits.isdigit() and len(digits) == 10:
        return _field(prefix, "nhs_number", digits, as_referred, exact=True)
    reference = REFERENCE.match(q)
    if reference:
        return Q(uuid__startswith=reference.group(1).lower())
    try:
        postcode = normalise_postcode(q)
    except InvalidPostcode:
        postcode = ""
    if postcode:
        return _field(prefix, "postcode", postcode, as_referred, exact=True)
    if re.fullmatch(r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]?", q):  # an outward code: BL2
        return _field(prefix, "postcode", q.upper() + " ", as_referred, exact=False)
    found = Q()
    for word in q.split():
        found &= _field(prefix, "given_name", word, as_referred) | _field(
            prefix, "family_name", word, as_referred
        )
    return found


def _field(prefix: str, name: str, value: str, as_referred: bool, exact: bool = False) -> Q:
    lookup = "iexact" if exact else "istartswith"
    on_person = Q(**{f"{prefix}{name}__{lookup}": value})
    if not as_referred:
        return on_person
    # A referral that kept no details of its own shows the person's record as it is.
    given = Q(**{f"person_details__{name}__{lookup}": value})
    return given | (Q(person_details={}) & on_person)


def audit_search(user: AbstractBaseUser, *, list_name: str, results: int) -> None:
    """A search happened: who, on which list, how many it found; never the words."""
    record_event(
        by=user,
        action="people_searched",
        object_type="referral",
        summary=f"list={list_name} results={results}",
    )


# --- Urgency ----------------------------------------------------------------------------


def with_contact_urgency(referrals: QuerySet[Referral], today: dt.date) -> QuerySet[Referral]:
    """Each referral ranked for first contact: 0 overdue, 1 due soon (or marked urgent),
    2 the rest; contacted referrals are 2."""
    not_contacted = Q(first_contacted_at__isnull=True)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return referrals.annotate(
        contact_rank=Case(
            When(not_contacted & Q(first_contact_due__lt=today), then=Value(0)),
            When(not_contacted & (Q(first_contact_due__lte=soon) | Q(urgency="urgent")), then=1),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def ordered(rows: QuerySet, sort: str, *, newest: str = "received_at") -> QuerySet:
    """Urgency first (overdue, due soon, then newest), or by date either way."""
    if sort == "oldest":
        return rows.order_by(newest, "pk")
    if sort == "newest":
        return rows.order_by(f"-{newest}", "-pk")
    return rows.order_by("contact_rank", f"-{newest}", "-pk")


def contact_counts(referrals: QuerySet[Referral], today: dt.date) -> dict[str, int]:
    """How many are overdue for first contact and due soon, in one query."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    not_contacted = Q(first_contacted_at__isnull=True)
    return referrals.aggregate(
        overdue=Count("pk", filter=not_contacted & Q(first_contact_due__lt=today)),
        due_soon=Count(
            "pk",
            filter=not_contacted & Q(first_contact_due__gte=today, first_contact_due__lte=soon),
        ),
        all=Count("pk"),
    )


def by_contact_due(referrals: QuerySet[Referral], due: str, today: dt.date) -> QuerySet:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    not_contacted = Q(first_contacted_at__isnull=True)
    if due == "overdue":
        return referrals.filter(not_contacted, first_contact_due__lt=today)
    if due == "due_soon":
        return referrals.filter(
            not_contacted, first_contact_due__gte=today, first_contact_due__lte=soon
        )
    if due == "group_late":
        late = Connection.objects.filter(status=t.SENT, response_due__lt=today)
        return referrals.filter(pk__in=late.values("referral_id"))
    return referrals


# --- Follow-ups -------------------------------------------------------------------------

FOLLOW_UP_WINDOWS = {
    "overdue": "Overdue",
    "today": "Due today",
    "week": "Due in the next 7 days",
    "all": "All still to do",
}


def follow_up_window(follow_ups: QuerySet[FollowUp], window: str, today: dt.date) -> QuerySet:
    """Reviews still to do, narrowed to a window (default: due by today)."""
    if window == "overdue":
        return follow_ups.filter(due_on__lt=today)
    if window == "today":
        return follow_ups.filter(due_on=today)
    if window == "week":
        return follow_ups.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7))
    if window == "all":
        return follow_ups
    return follow_ups.filter(due_on__lte=today)


def follow_up_counts(follow_ups: QuerySet[FollowUp], today: dt.date) -> dict[str, int]:
    week = today + dt.timedelta(days=7)
    return follow_ups.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
        week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=week)),
        all=Count("pk"),
    )


# --- A referrer's list --------------------------------------------------------------------

# What a referrer filters by, in their words: returned and declined first, as they need
# the referrer to act.
NOT_SEEN = Q(referrer_seen_end_at__isnull=True)
REFERRER_FILTERS = {
    "needs_you": ("Returned or declined", Q(status__in=t.TURNED_AWAY)),
    "open": ("Open", Q(status__in=t.OPEN_REFERRAL_STATES)),
    "closed": ("Closed", Q(status=t.CLOSED)),
    "closed_unseen": ("Closed, not yet seen", Q(status=t.CLOSED) & NOT_SEEN),
}


def referrer_counts(referrals: QuerySet[Referral]) -> dict[str, int]:
    """Counts for each filter, and the endings the referrer has not opened yet."""
    return referrals.aggregate(
        all=Count("pk"),
        needs_you_unseen=Count("pk", filter=Q(status__in=t.TURNED_AWAY) & NOT_SEEN),
        **{key: Count("pk", filter=condition) for key, (_, condition) in REFERRER_FILTERS.items()},
    )


def with_referrer_urgency(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Returned and declined first (the referrer has to act), then open, then closed."""
    return referrals.annotate(
        contact_rank=Case(
            When(status__in=t.TURNED_AWAY, then=Value(0)),
            When(status__in=t.OPEN_REFERRAL_STATES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


# --- A group's inbox ----------------------------------------------------------------------


def inbox_ordered(connections: QuerySet, today: dt.date) -> QuerySet:
    """Referrals waiting for the group's answer first, those past their answer date
    before the rest, then the waiting list, then everything else; newest first within."""
    return connections.annotate(
        answer_rank=Case(
            When(status=t.SENT, response_due__lt=today, then=Value(0)),
            When(status=t.SENT, then=Value(1)),
            When(status=t.WAITLISTED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("answer_rank", "-sent_at", "-pk")


# --- Searching what a group sees ------------------------------------------------------

# The reference a group is shown on each card ("Pat (ref. 12)"): the connection's number.
GROUP_REFERENCE = re.compile(r"^(?:ref\.?\s*)?(\d{1,9})$", re.IGNORECASE)


def group_search(connections: QuerySet[Connection], q: str) -> QuerySet[Connection]:
    """What a group's search finds among the connections it may see, by what the group
    is shown and nothing else: a number is the reference on the card, other words the
    start of the person's first name where they agreed to share it (and still do). A
    family name, NHS number, postcode or the referral's own reference finds nothing,
    as the group never sees them. An empty search is the list as it was."""
    q = " ".join(q.split())[:MAX_SEARCH]
    if not q:
        return connections
    reference = GROUP_REFERENCE.match(q)
    if reference:
        return connections.filter(pk=int(reference.group(1)))
    named = connections.filter(
        referral__consent_share_with_groups=True,
        referral__consent_withdrawn_at__isnull=True,
        referral__person__given_name__istartswith=q,
    ).values_list("pk", "shared_fields")
    # Which fields were shared is a JSON list, read here rather than in SQL so SQLite and
    # PostgreSQL agree; only connections already matching the name are read.
    return connections.filter(pk__in=[pk for pk, shared in named if "first_name" in shared])


def inbox_counts(connections: QuerySet[Connection]) -> dict[str, int]:
    """How many of these connections are in each status, in one query."""
    return dict(connections.order_by().values_list("status").annotate(n=Count("pk")))


def connection_search(
    user: AbstractBaseUser, connections: QuerySet[Connection], q: str
) -> QuerySet[Connection]:
    """Narrow connections the user may see by a search, each by what the user sees of
    it: their services' connections as the person's record is searched (person_search),
    connections to their group's listings as the group's inbox is (group_search)."""
    found = person_search(q)
    if found is None:
        return connections
    services = organisations_with_permission(user, Perm.CASEWORK)
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    matched = Q(pk__in=[])
    if services:
        people = Referral.objects.filter(found, service_id__in=services).values("pk")
        matched |= Q(referral__service_id__in=services, referral__in=people)
    if groups:
        to_groups = connections.filter(asset__organisation_id__in=groups)
        matched |= Q(pk__in=group_search(to_groups, q).values("pk"))
    return connections.filter(matched)
