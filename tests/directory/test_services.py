import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import Asset, ListingClaim, Publication, TaxonomyTerm
from linkwork.directory.services import (
    add_session,
    claim_listing,
    decide_claim,
    import_taxonomy,
    load_default_taxonomy,
    report_listing,
    send_reminders,
    set_publication,
    verify_asset,
)
from linkwork.errors import Conflict, InvalidInput
from tests.factories import AssetFactory, OrganisationFactory, hears_immediately, user_with_role

pytestmark = pytest.mark.django_db


def test_default_taxonomy_loads_needs_and_activities_with_stable_codes_idempotently():
    first = load_default_taxonomy(by=None)
    assert first.created >= 30 and not first.rejected
    assert TaxonomyTerm.objects.get(code="need-money-debt").name == "Money and debt"
    events = AuditEvent.objects.count()
    second = load_default_taxonomy(by=None)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert AuditEvent.objects.count() == events


def test_taxonomy_import_rejects_bad_rows_and_keeps_good_ones(tmp_path):
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text(
        "code,vocabulary,name,description\n"
        "wm-gardening,activity,Gardening,Growing things\n"
        "bad code!,need,Broken,\n"
        "wm-nameless,need,,\n"
        "wm-odd,hobby,Odd vocabulary,\n"
    )
    out = StringIO()
    call_command("import-taxonomy", str(csv_file), code="wm", name="West Moor", stdout=out)
    assert TaxonomyTerm.objects.filter(code="wm-gardening").exists()
    assert TaxonomyTerm.objects.filter(taxonomy__code="wm").count() == 1
    report = out.getvalue()
    assert "created 1" in report and "rejected 3" in report
    assert "line 3 (bad code!)" in report and "vocabulary must be one of" in report


def test_a_session_must_end_after_it_starts():
    asset = AssetFactory()
    with pytest.raises(InvalidInput) as error:
        add_session(asset=asset, weekday=1, opens_at=dt.time(11), closes_at=dt.time(10), by=None)
    assert "closes_at" in error.value.errors
    assert not asset.schedules.exists()


def test_verifying_makes_a_stale_listing_fresh_and_clears_reminders():
    user = user_with_role(Role.GROUP)
    asset = AssetFactory(
        last_verified_at=timezone.now() - dt.timedelta(days=400),
        reminder_sent_at=timezone.now(),
    )
    assert asset.is_stale
    verify_asset(asset=asset, by=user)
    asset.refresh_from_db()
    assert not asset.is_stale and asset.reminder_sent_at is None
    assert asset.last_verified_by == user


def test_publication_follows_its_table_and_names_the_current_state():
    asset = AssetFactory(publication=Publication.DRAFT)
    with pytest.raises(Conflict) as error:
        set_publication(asset=asset, to=Publication.PUBLISHED, by=None)
    assert error.value.current_state == "draft"
    set_publication(asset=asset, to=Publication.IN_REVIEW, by=None)
    set_publication(asset=asset, to=Publication.PUBLISHED, by=None)
    assert Asset.objects.get(pk=asset.pk).publication == "published"


def test_an_approved_claim_makes_the_claimant_a_group_member_of_the_listing():
    resident = user_with_role(Role.RESIDENT)
    link_worker = user_with_role(Role.LINK_WORKER)
    asset = AssetFactory(organisation=None)
    claim = claim_listing(asset=asset, role_in_group="Organiser", by=resident)
    with pytest.raises(Conflict):
        claim_listing(asset=asset, role_in_group="Organiser", by=resident)
    decide_claim(claim=claim, approve=True, by=link_worker)
    asset.refresh_from_db()
    assert asset.organisation is not None
    assert Membership.objects.filter(
        user=resident, organisation=asset.organisation, role="group"
    ).exists()
    with pytest.raises(Conflict):
        decide_claim(claim=claim, approve=False, by=link_worker)


def test_a_rejected_claim_grants_nothing():
    resident = user_with_role(Role.RESIDENT)
    asset = AssetFactory()
    claim = claim_listing(asset=asset, role_in_group="Volunteer", by=resident)
    decide_claim(claim=claim, approve=False, by=user_with_role(Role.LINK_WORKER))
    assert ListingClaim.objects.get(pk=claim.pk).status == "rejected"
    assert not Membership.objects.filter(user=resident, role="group").exists()


def test_a_report_reaches_the_owner_without_personal_data(mailoutbox):
    organisation = OrganisationFactory()
    owner = user_with_role(Role.GROUP, organisation=organisation)
    asset = AssetFactory(organisation=organisation, name="Knit and natter")
    hears_immediately(owner)  # group members otherwise get it in their weekly digest
    report_listing(asset=asset, problem="closed", by=user_with_role(Role.LINK_WORKER))
    assert [message.to for message in mailoutbox] == [[owner.email]]
    assert "Knit and natter" in mailoutbox[0].body


def test_reminders_go_to_owners_once_and_past_due_listings_are_escalated(mailoutbox, settings):
    organisation = OrganisationFactory()
    owner = user_with_role(Role.GROUP, organisation=organisation)
    hears_immediately(owner)
    link_worker = user_with_role(Role.LINK_WORKER)
    now = timezone.now()
    days = settings.LISTING_STALE_AFTER_DAYS
    AssetFactory(organisation=organisation, last_verified_at=now - dt.timedelta(days=days - 5))
    AssetFactory(organisation=organisation, last_verified_at=now - dt.timedelta(days=10))
    overdue = AssetFactory(last_verified_at=now - dt.timedelta(days=days + 30))
    report = send_reminders()
    assert report.reminded == 1
    assert report.without_owner == 1  # the overdue listing's organisation has nobody to tell
    assert report.escalated == 1
    recipients = [message.to[0] for message in mailoutbox]
    assert owner.email in recipients and link_worker.email in recipients
    overdue.refresh_from_db()
    assert overdue.escalated_at is not None
    again = send_reminders()
    assert (again.reminded, again.escalated) == (0, 0)


def test_send_reminders_command_prints_what_it_did():
    out = StringIO()
    call_command("send-reminders", stdout=out)
    assert "Reminded 0 listing owner(s)" in out.getvalue()


def test_unknown_taxonomy_codes_are_rejected_by_name():
    from linkwork.directory.services import create_asset

    with pytest.raises(InvalidInput) as error:
        create_asset(
            organisation=None, name="X", description="Y", categories=["need-nope"], by=None
        )
    assert "need-nope" in error.value.errors["categories"]
    assert not Asset.objects.exists()


def test_import_taxonomy_updates_changed_terms():
    rows = [{"code": "x-one", "vocabulary": "need", "name": "One", "description": ""}]
    import_taxonomy(rows=rows, taxonomy_code="x", taxonomy_name="X", by=None)
    rows[0]["name"] = "One, renamed"
    report = import_taxonomy(rows=rows, taxonomy_code="x", taxonomy_name="X", by=None)
    assert report.updated == 1
    assert TaxonomyTerm.objects.get(code="x-one").name == "One, renamed"
