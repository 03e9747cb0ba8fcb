"""The case's log: notes, phone calls and visits beside the status changes, on the page
and the API; closing a referral after three attempts that did not reach the person."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.errors import Conflict, InvalidInput
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import CaseNote
from tests.referrals.test_casework_pages import accepted, refer

pytestmark = pytest.mark.django_db


def note(world, referral, kind, text=""):
    return services.record_case_note(
        referral=referral, kind=kind, text=text, by=world.link_worker.user
    )


def test_a_note_on_the_page_shows_in_the_timeline_beside_the_status_changes(world):
    referral = accepted(world)
    response = world.link_worker.post(
        reverse("casework-note", args=[referral.pk]),
        {"kind": "no_answer", "text": "Rang at 10am"},
    )
    assert response.status_code == 302
    assert response.url.endswith("#history")
    page = world.link_worker.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    history = page[page.index('id="history"') :]
    assert "Phone call: no answer" in history
    assert "Rang at 10am" in history
    assert "Status: received → accepted" in history
    assert world.link_worker.user.email in history or world.link_worker.user.full_name in history
    assert "1 attempt in a row" in history


def test_a_note_needs_words_and_the_error_names_the_field(world):
    referral = accepted(world)
    response = world.link_worker.post(
        reverse("casework-note", args=[referral.pk]), {"kind": "note", "text": "  "}
    )
    assert response.status_code == 200
    assert "Write the note." in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_note_cannot_be_dated_in_the_future(world):
    referral = accepted(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = world.link_worker.post(
        reverse("casework-note", args=[referral.pk]),
        {
            "kind": "visit",
            "happened_on_day": tomorrow.day,
            "happened_on_month": tomorrow.month,
            "happened_on_year": tomorrow.year,
        },
    )
    assert "The date must be today or in the past." in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_backdated_visit_keeps_its_day(world):
    referral = accepted(world)
    CaseNote.objects.all().delete()
    referral.received_at = timezone.now() - dt.timedelta(days=10)
    referral.save(update_fields=["received_at"])
    day = timezone.localdate() - dt.timedelta(days=2)
    world.link_worker.post(
        reverse("casework-note", args=[referral.pk]),
        {
            "kind": "visit",
            "happened_on_day": day.day,
            "happened_on_month": day.month,
            "happened_on_year": day.year,
        },
    )
    assert timezone.localtime(CaseNote.objects.get().happened_at).date() == day


def test_recording_is_audited_without_the_text(world):
    referral = accepted(world)
    note(world, referral, "note", "Mentions her daughter Joan")
    event = AuditEvent.objects.get(action="case_note_recorded")
    assert event.object_id == str(referral.pk)
    assert "Joan" not in event.summary
    assert event.summary == "kind=note"


def test_other_services_and_referrers_cannot_add_notes(world):
    referral = accepted(world)
    url = reverse("casework-note", args=[referral.pk])
    assert world.other_link_worker.post(url, {"kind": "note", "text": "x"}).status_code == 404
    assert world.gp.post(url, {"kind": "note", "text": "x"}).status_code in (403, 404)
    assert not CaseNote.objects.exists()


def test_referrer_never_sees_the_log(world):
    referral = accepted(world)
    note(world, referral, "note", "Private working note")
    page = world.gp.get(reverse("referral-status", args=[referral.pk])).content.decode()
    assert "Private working note" not in page


def test_three_unanswered_attempts_allow_closing_without_an_answer(world):
    referral = accepted(world)
    with pytest.raises(Conflict):
        services.close_without_answer(referral=referral, by=world.link_worker.user)
    note(world, referral, "no_answer")
    note(world, referral, "message_left")
    assert not services.can_close_without_answer(referral)
    page = world.link_worker.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert "Close: no answer" not in page
    note(world, referral, "no_answer")
    page = world.link_worker.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert "Close: no answer after 3 attempts" in page
    response = world.link_worker.post(
        reverse("casework-close-no-answer", args=[referral.pk]), {"summary": ""}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == t.CLOSED
    assert "3 times" in referral.closure_summary
    assert referral.events.last().reason == "No answer after 3 attempts."


def test_speaking_with_them_starts_the_count_again(world):
    referral = accepted(world)
    for kind in ("no_answer", "no_answer", "call_made", "no_answer", "message_left"):
        note(world, referral, kind)
    assert services.unanswered_attempts(referral) == 2
    with pytest.raises(Conflict):
        services.transition_referral(
            referral=referral, to=t.CLOSED, summary="Gone quiet", by=world.link_worker.user
        )


def test_accepted_to_closed_is_still_refused_without_attempts_and_names_the_state(world):
    referral = accepted(world)
    with pytest.raises(Conflict) as error:
        services.transition_referral(
            referral=referral, to=t.CLOSED, summary="x", by=world.link_worker.user
        )
    assert error.value.current_state == t.ACCEPTED


def test_a_new_referral_cannot_be_closed_for_no_answer(world):
    referral = refer(world)
    for _ in range(3):
        note(world, referral, "no_answer")
    assert not services.can_close_without_answer(referral)


def test_unknown_kind_is_refused(world):
    referral = accepted(world)
    with pytest.raises(InvalidInput) as error:
        note(world, referral, "carrier_pigeon")
    assert "kind" in error.value.errors


# --- API ---------------------------------------------------------------------------


def test_api_notes_round_trip_and_are_audited(world):
    referral = accepted(world)
    url = f"/api/v1/referrals/{referral.pk}/notes"
    created = world.link_worker.post(
        url, {"kind": "no_answer", "text": ""}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["unanswered_attempts"] == 1
    assert created.json()["kind_label"] == "Phone call: no answer"
    listed = world.link_worker.get(url)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1 and body["items"][0]["kind"] == "no_answer"
    assert AuditEvent.objects.filter(action="case_notes_viewed", object_id=str(referral.pk))


def test_api_notes_refuse_unknown_fields_and_kinds(world):
    referral = accepted(world)
    url = f"/api/v1/referrals/{referral.pk}/notes"
    response = world.link_worker.post(
        url, {"kind": "note", "text": "x", "mood": "sad"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "mood" in response.content.decode()
    response = world.link_worker.post(url, {"kind": "fax"}, content_type="application/json")
    assert response.status_code == 422
    response = world.link_worker.post(url, {"kind": "note"}, content_type="application/json")
    assert response.status_code == 422
    assert "text" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_api_notes_are_404_outside_the_service(world):
    referral = accepted(world)
    url = f"/api/v1/referrals/{referral.pk}/notes"
    assert world.other_link_worker.get(url).status_code == 404
    assert world.gp.get(url).status_code == 404
    response = world.gp.post(url, {"kind": "note", "text": "x"}, content_type="application/json")
    assert response.status_code == 404
