"""Subject access, erasure and retention, from the models' personal-data declarations."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.errors import Conflict
from linkwork.outcomes.models import OtherOutcomes, Response
from linkwork.privacy.erasure import erase_person
from linkwork.privacy.models import Erasure
from linkwork.privacy.registry import holdings
from linkwork.privacy.retention import due_for_retention
from linkwork.privacy.subject_access import subject_access
from linkwork.referrals.models import Person, Referral, UnmetNeed
from tests.privacy.conftest import FREE_TEXT, IDENTIFIERS, make_person, make_referral

pytestmark = pytest.mark.django_db


def every_table_as_text() -> dict[str, str]:
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = " ".join(str(row) for row in cursor.fetchall()).lower()
    return tables


def identifiers_found() -> dict[str, list[str]]:
    needles = [v.lower() for v in IDENTIFIERS.values()] + [FREE_TEXT, "zebedee", "quill"]
    return {
        table: [n for n in needles if n in text]
        for table, text in every_table_as_text().items()
        if any(n in text for n in needles)
    }


def test_every_model_linked_to_a_person_is_known_with_its_personal_fields():
    labels = {h.label for h in holdings()}
    for label in (
        "referrals.Person",
        "referrals.Referral",
        "referrals.Conversation",
        "referrals.Plan",
        "referrals.Connection",
        "referrals.FeedbackRequest",
        "outcomes.Response",
        "outcomes.QuestionnaireLink",
        "referrals.UnmetNeed",
        "referrals.FollowUp",
    ):
        assert label in labels
    conversation = next(h for h in holdings() if h.label == "referrals.Conversation")
    assert "what_matters" in conversation.personal


def test_subject_access_exports_everything_held_and_is_audited(held):
    export = subject_access(person=held.person, by=None)
    records = export["records"]
    assert records["referrals.Person"]["rows"][0]["nhs_number"] == IDENTIFIERS["nhs_number"]
    # The merged older record is the same person, so it is in the export too.
    assert {r["id"] for r in records["referrals.Person"]["rows"]} == {
        held.person.pk,
        held.merged.pk,
    }
    assert len(records["referrals.Referral"]["rows"]) == 2
    for label in (
        "referrals.Conversation",
        "referrals.Plan",
        "referrals.Connection",
        "referrals.ConnectionEvent",
        "referrals.UnmetNeed",
        "referrals.FollowUp",
        "referrals.FeedbackRequest",
        "outcomes.Response",
        "outcomes.OtherOutcomes",
        "outcomes.QuestionnaireLink",
        "community.Interest",
        "referrals.PersonMerge",
    ):
        assert records[label]["rows"], label
    # Secrets are never exported.
    assert "digest" not in records["referrals.FeedbackRequest"]["rows"][0]
    assert "token_digest" not in records["outcomes.QuestionnaireLink"]["rows"][0]
    json.dumps(export)  # serialisable as it is
    assert AuditEvent.objects.filter(
        action="subject_access_export", object_id=str(held.person.pk)
    ).exists()


def test_subject_access_command_writes_json_and_a_readable_page(held, tmp_path, capsys):
    out = tmp_path / "person.json"
    call_command("subject-access", str(held.person.pk), "--out", str(out))
    export = json.loads(out.read_text())
    assert export["person_id"] == held.person.pk
    html = (tmp_path / "person.html").read_text()
    assert "What we hold about you" in html and "Quillfeather" in html
    assert "<script" not in html
    with pytest.raises(CommandError, match="No person"):
        call_command("subject-access", "999999", "--out", str(out))


def test_after_erasure_no_table_holds_any_of_the_persons_identifiers(held):
    assert identifiers_found()  # the dump finds them before
    erase_person(person=held.person, reason="Request REF-1", by=None)
    assert identifiers_found() == {}


def test_erasure_keeps_the_counts_and_figures_insight_needs(held):
    erase_person(person=held.person, reason="Request REF-1", by=None)
    person = Person.objects.get(pk=held.person.pk)
    assert person.birth_date == dt.date(1961, 7, 1)  # the year stays, for age bands
    assert Referral.objects.filter(person=person).count() == 1
    assert UnmetNeed.objects.filter(referral__person=person, reason="cost").count() == 1
    response = Response.objects.get(referral=held.referral)
    assert response.score == 18 and response.answers == [5, 6, 4, 3]
    assert response.goals == []
    assert str(OtherOutcomes.objects.get(referral=held.referral).income_annual) == "1200.00"
    held.interest.refresh_from_db()
    assert held.interest.activity_id is not None and not held.interest.consent_to_contact


def test_erasure_ends_one_use_links(held):
    feedback = held.referral.feedback_request
    erase_person(person=held.person, reason="Request REF-1", by=None)
    feedback.refresh_from_db()
    assert feedback.expires_at <= timezone.now()
    assert feedback.digest != "d" * 64


def test_erasure_is_recorded_once_and_cannot_be_repeated(held):
    erasure = erase_person(person=held.person, reason="Request REF-1", by=None)
    assert erasure.counts["referrals.Conversation"] == 1
    assert Erasure.objects.filter(person_id=held.merged.pk).exists()
    event = AuditEvent.objects.get(action="person_erased", object_id=str(held.person.pk))
    assert "rows anonymised" in event.summary
    with pytest.raises(Conflict):
        erase_person(person=held.person, reason="again", by=None)


def test_erase_person_command(held, capsys):
    with pytest.raises(CommandError, match="reason"):
        call_command("erase-person", str(held.person.pk), "--reason", "  ")
    call_command("erase-person", str(held.person.pk), "--reason", "REF-2")
    assert "erased" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already"):
        call_command("erase-person", str(held.person.pk), "--reason", "REF-2")


def _age(referral: Referral, years: int) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=365 * years + 10)
    )


def test_retention_erases_only_people_whose_last_referral_ended_long_ago(held, capsys):
    old = make_person(given_name="Old", email="", phone="", nhs_number="")
    _age(make_referral(old, held.service, status="closed"), 9)
    recent = make_person(given_name="Recent", email="", phone="", nhs_number="")
    _age(make_referral(recent, held.service, status="closed"), 2)
    still_open = make_person(given_name="Open", email="", phone="", nhs_number="")
    _age(make_referral(still_open, held.service, status="closed"), 9)
    make_referral(still_open, held.service, status="in_progress")
    assert list(due_for_retention().values_list("pk", flat=True)) == [old.pk]

    call_command("apply-retention", "--dry-run")
    assert f"Person ids: {old.pk}" in capsys.readouterr().out
    assert not Erasure.objects.exists()
    call_command("apply-retention")
    assert list(Erasure.objects.values_list("person_id", "kind")) == [(old.pk, "retention")]
    assert Person.objects.get(pk=old.pk).given_name == "erased"
    assert not due_for_retention().exists()


def test_retention_period_is_a_setting(held, settings):
    settings.RETENTION_YEARS = 1
    person = make_person(given_name="Two", email="", phone="", nhs_number="")
    _age(make_referral(person, held.service, status="closed"), 2)
    assert person.pk in set(due_for_retention().values_list("pk", flat=True))
