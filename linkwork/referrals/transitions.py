"""The allowed state changes of referrals and connections (DESIGN.md §9), as tables.

`check` is the only place that decides whether a change is allowed; a change that is
not in the table is a Conflict naming the current state (409 in the API).
"""

from linkwork.errors import Conflict, InvalidInput

RECEIVED, ACCEPTED, CONTACTED, IN_PROGRESS, CLOSED = (
    "received",
    "accepted",
    "contacted",
    "in_progress",
    "closed",
)
DECLINED, RETURNED = "declined", "returned"

REFERRAL_STATES = [RECEIVED, ACCEPTED, CONTACTED, IN_PROGRESS, CLOSED, DECLINED, RETURNED]
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    RECEIVED: {ACCEPTED, DECLINED, RETURNED},
    # accepted / contacted → closed: only after NO_ANSWER_ATTEMPTS_TO_CLOSE attempts in a
    # row that did not reach the person (services check the case notes; see below).
    ACCEPTED: {CONTACTED, CLOSED, DECLINED, RETURNED},
    CONTACTED: {IN_PROGRESS, CLOSED},
    IN_PROGRESS: {CLOSED},
    # Reopening: only within settings.REOPEN_WINDOW_DAYS of closing (services.py checks
    # the clock; this table cannot).
    CLOSED: {IN_PROGRESS},
    DECLINED: set(),
    RETURNED: set(),
}
REOPENING = (CLOSED, IN_PROGRESS)
# Closing before the work began: the person could not be reached.
CLOSING_WITHOUT_ANSWER = {(ACCEPTED, CLOSED), (CONTACTED, CLOSED)}
OPEN_REFERRAL_STATES = [RECEIVED, ACCEPTED, CONTACTED, IN_PROGRESS]
# Changes that need a reason, and what to ask for: (from, to), None meaning from anywhere.
# The reason goes into the history, which the referrer reads.
REFERRAL_REASONS_NEEDED: dict[tuple[str | None, str], str] = {
    (None, DECLINED): "Say why, so the referrer knows what to do next.",
    (None, RETURNED): "Say why, so the referrer knows what to do next.",
    REOPENING: "Say why the referral is being reopened: the referrer is told.",
}

PROPOSED, SENT, WAITLISTED = "proposed", "sent", "waitlisted"
# A proposed connection that will not be sent (the group was full, or the person changed
# their mind): it leaves the plan but stays in the case's history.
WITHDRAWN = "withdrawn"
ATTENDED_FIRST, ATTENDING, COMPLETED, STOPPED, DID_NOT_START = (
    "attended_first",
    "attending",
    "completed",
    "stopped",
    "did_not_start",
)
CONNECTION_STATES = [
    PROPOSED,
    SENT,
    ACCEPTED,
    DECLINED,
    WAITLISTED,
    ATTENDED_FIRST,
    ATTENDING,
    COMPLETED,
    STOPPED,
    DID_NOT_START,
    WITHDRAWN,
]
CONNECTION_TRANSITIONS: dict[str, set[str]] = {
    PROPOSED: {SENT, WITHDRAWN},
    SENT: {ACCEPTED, DECLINED, WAITLISTED},
    WAITLISTED: {ACCEPTED, DECLINED},
    ACCEPTED: {ATTENDED_FIRST, DID_NOT_START},
    ATTENDED_FIRST: {ATTENDING, COMPLETED, STOPPED},
    ATTENDING: {COMPLETED, STOPPED},
    DECLINED: set(),
    COMPLETED: set(),
    STOPPED: set(),
    DID_NOT_START: set(),
    WITHDRAWN: set(),
}
# Connections that hold one of the asset's places.
CONNECTION_STATES_HOLDING_A_PLACE = [ACCEPTED, ATTENDED_FIRST, ATTENDING]
# Connections a group never heard of: not yet sent, or withdrawn before sending.
CONNECTION_STATES_NEVER_SENT = [PROPOSED, WITHDRAWN]

TABLES = {"referral": REFERRAL_TRANSITIONS, "connection": CONNECTION_TRANSITIONS}

# Each state as a sentence people read (pages, emails, the API's `status_text`): words,
# not codes. A short label for tags beside it.
REFERRAL_SENTENCES: dict[str, str] = {
    RECEIVED: "Waiting for the social prescribing service to look at it",
    ACCEPTED: "Accepted by the service: first contact to make",
    CONTACTED: "The link worker has talked with the person",
    IN_PROGRESS: "Being worked on with the person",
    CLOSED: "Closed",
    DECLINED: "Declined by the service",
    RETURNED: "Returned to the referrer",
}
CONNECTION_SENTENCES: dict[str, str] = {
    PROPOSED: "Suggested, not yet sent to the group",
    SENT: "Waiting for the group to answer",
    ACCEPTED: "Accepted by the group",
    DECLINED: "Declined by the group",
    WAITLISTED: "On the group's waiting list",
    ATTENDED_FIRST: "Went for the first time",
    ATTENDING: "Going regularly",
    COMPLETED: "Finished the activity",
    STOPPED: "Stopped going",
    DID_NOT_START: "Did not start",
    WITHDRAWN: "Withdrawn before it was sent",
}
SENTENCES = {"referral": REFERRAL_SENTENCES, "connection": CONNECTION_SENTENCES}


def referral_sentence(status: str) -> str:
    return REFERRAL_SENTENCES.get(status, status.replace("_", " ").capitalize())


def connection_sentence(status: str) -> str:
    return CONNECTION_SENTENCES.get(status, status.replace("_", " ").capitalize())


def allowed(kind: str, current: str) -> set[str]:
    return TABLES[kind][current]


def check(kind: str, current: str, to: str) -> None:
    """Raise Conflict unless `kind` may go from `current` to `to`."""
    if to not in TABLES[kind]:
        raise InvalidInput({"to": f"{to!r} is not a {kind} state."})
    if to not in TABLES[kind][current]:
        choices = ", ".join(sorted(TABLES[kind][current])) or "none: it is finished"
        raise Conflict(
            f"A {kind} that is {current} cannot become {to}. Allowed next: {choices}.",
            current_state=current,
        )


# --- The casework rulebook: named groups of states, and predicates over them ----------
# Every module reads these rather than listing states of its own.

# Referrals finished one way or another: closed after the work, or declined / returned.
ENDED = (CLOSED, DECLINED, RETURNED)
# Referrals turned away at triage: never worked, so they take no outcomes.
TURNED_AWAY = (DECLINED, RETURNED)
# Connections where the person went to the group at least once (the connection worked).
ATTENDED = (ATTENDED_FIRST, ATTENDING, COMPLETED, STOPPED)
# Connections a group said yes to, whether or not the person then went.
GROUP_ACCEPTED = (ACCEPTED, *ATTENDED, DID_NOT_START)
NEVER_SENT = tuple(CONNECTION_STATES_NEVER_SENT)
# Referral states in which the link worker has talked with the person.
TALKED_WITH = (CONTACTED, IN_PROGRESS)
# Open referrals a link worker has taken on: conversations, the plan and unmet needs.
TAKEN_ON = (ACCEPTED, *TALKED_WITH)
# Where the case page prompts for closure questionnaires: about to close, or closed.
CLOSING = (IN_PROGRESS, CLOSED)
# Connections waiting for the group's answer, and the answers a group gives.
AWAITING_ANSWER = (SENT, WAITLISTED)
GROUP_ANSWERS = (ACCEPTED, DECLINED, WAITLISTED)
# Connections that end without the person carrying on: the link worker needs to know why.
CONNECTION_ENDS_NEEDING_REASON = (DECLINED, STOPPED, DID_NOT_START)

# Who may make which connection move: a group may make these to a connection to its own
# asset; every other move is the link worker's.
GROUP_MOVES = frozenset(
    {ACCEPTED, DECLINED, WAITLISTED, ATTENDED_FIRST, ATTENDING, COMPLETED, STOPPED, DID_NOT_START}
)


def group_may(to: str) -> bool:
    """Whether a community group may move a connection to its own asset to `to`."""
    return to in GROUP_MOVES


def allowed_for_group(current: str) -> set[str]:
    """The next connection states a group may choose from `current`."""
    return allowed("connection", current) & GROUP_MOVES


def is_ended(status: str) -> bool:
    return status in ENDED


def can_connect(status: str) -> bool:
    """Connections are proposed once the link worker has talked with the person."""
    return status in TALKED_WITH


def can_record_conversation(status: str) -> bool:
    """A what-matters conversation needs an accepted referral that is still open."""
    return status in TAKEN_ON


def needs_reason(to: str) -> bool:
    """Declining or returning a referral tells the referrer why."""
    return to in TURNED_AWAY


def connection_needs_reason(to: str) -> bool:
    """Declining, stopping or not starting tells the link worker why."""
    return to in CONNECTION_ENDS_NEEDING_REASON


def reason_needed(current: str, to: str) -> str:
    """What to ask for when a referral's change from `current` to `to` needs a reason
    (empty when it needs none)."""
    found = REFERRAL_REASONS_NEEDED.get((current, to))
    return found or REFERRAL_REASONS_NEEDED.get((None, to), "")
