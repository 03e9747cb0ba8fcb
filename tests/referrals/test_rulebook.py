"""The casework rulebook (referrals/transitions.py): every (from, to) pair of both tables.

The allowed moves are written out here again, from DESIGN.md §9, so that a change to the
tables is a change someone meant: each pair is either allowed (and, for connections, made
by the group or the link worker) or a Conflict naming the current state.
"""

import itertools

import pytest

from linkwork.errors import Conflict, InvalidInput
from linkwork.referrals import transitions as t

REFERRAL_MOVES = {
    ("received", "accepted"),
    ("received", "declined"),
    ("received", "returned"),
    ("accepted", "contacted"),
    ("accepted", "declined"),
    ("accepted", "returned"),
    ("contacted", "in_progress"),
    # Closing without an answer (after NO_ANSWER_ATTEMPTS_TO_CLOSE attempts): the service
    # checks the attempts; the table allows the move.
    ("accepted", "closed"),
    ("contacted", "closed"),
    ("in_progress", "closed"),
    ("closed", "in_progress"),
}
# (from, to): who makes the move, "group" (for a connection to its own asset) or "link worker".
CONNECTION_MOVES = {
    ("proposed", "sent"): "link worker",
    ("proposed", "withdrawn"): "link worker",
    ("sent", "accepted"): "group",
    ("sent", "declined"): "group",
    ("sent", "waitlisted"): "group",
    ("waitlisted", "accepted"): "group",
    ("waitlisted", "declined"): "group",
    ("accepted", "attended_first"): "group",
    ("accepted", "did_not_start"): "group",
    ("attended_first", "attending"): "group",
    ("attended_first", "completed"): "group",
    ("attended_first", "stopped"): "group",
    ("attending", "completed"): "group",
    ("attending", "stopped"): "group",
}


def _pairs(states):
    return list(itertools.product(states, states))


@pytest.mark.parametrize(("current", "to"), _pairs(t.REFERRAL_STATES))
def test_every_referral_pair(current, to):
    if (current, to) in REFERRAL_MOVES:
        t.check("referral", current, to)
        assert to in t.allowed("referral", current)
    else:
        with pytest.raises(Conflict) as raised:
            t.check("referral", current, to)
        assert raised.value.current_state == current
        assert current in str(raised.value)
    assert bool(t.reason_needed(current, to)) == (
        to in ("declined", "returned") or (current, to) == ("closed", "in_progress")
    )


@pytest.mark.parametrize(("current", "to"), _pairs(t.CONNECTION_STATES))
def test_every_connection_pair(current, to):
    who = CONNECTION_MOVES.get((current, to))
    if who:
        t.check("connection", current, to)
    else:
        with pytest.raises(Conflict) as raised:
            t.check("connection", current, to)
        assert raised.value.current_state == current
    assert (to in t.allowed_for_group(current)) == (who == "group")
    if who:
        assert t.group_may(to) == (who == "group")


def test_an_unknown_state_is_invalid_input_naming_the_field():
    with pytest.raises(InvalidInput) as raised:
        t.check("referral", "received", "lost")
    assert "to" in raised.value.errors


def test_the_named_groups():
    assert set(t.ENDED) == {"closed", "declined", "returned"}
    assert set(t.TURNED_AWAY) == {"declined", "returned"}
    assert set(t.ATTENDED) == {"attended_first", "attending", "completed", "stopped"}
    assert set(t.NEVER_SENT) == {"proposed", "withdrawn"}
    assert set(t.TAKEN_ON) == {"accepted", "contacted", "in_progress"}
    assert [s for s in t.REFERRAL_STATES if t.can_connect(s)] == ["contacted", "in_progress"]
    assert [s for s in t.REFERRAL_STATES if t.can_record_conversation(s)] == [
        "accepted",
        "contacted",
        "in_progress",
    ]
    assert [s for s in t.REFERRAL_STATES if t.needs_reason(s)] == ["declined", "returned"]
    # Finished states have no way out, except reopening a closed referral.
    for state in t.ENDED:
        assert t.allowed("referral", state) <= {"in_progress"}
