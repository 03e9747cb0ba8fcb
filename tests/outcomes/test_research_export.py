"""The research export: de-identified rows with a data dictionary, administrators only,
every download audited."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import TaxonomyTerm
from linkwork.directory.services import load_default_taxonomy
from linkwork.outcomes import research_export
from linkwork.places.models import Area, NeighbourhoodMembership
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection
from tests.factories import AssetFactory, user_with_role
from tests.outcomes.test_evaluation import make_referral, make_service, ons4_pair, respond

pytestmark = pytest.mark.django_db

PAGES = ("research-export", "research-export-csv", "research-export-dictionary")


def client_for(role: Role) -> Client:
    client = Client()
    client.force_login(user_with_role(role))
    return client


def download(client: Client) -> list[dict]:
    response = client.get(reverse("research-export-csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def referral(db):
    load_default_taxonomy(by=None)
    hood = Area.objects.create(code="BOLTON-N1", name="Tonge", area_type="neighbourhood")
    lsoa = Area.objects.create(code="E01004800", name="Bolton 020A", area_type="lsoa", imd_decile=3)
    NeighbourhoodMembership.objects.create(neighbourhood=hood, lsoa=lsoa)
    referral = make_referral(
        make_service(),
        area=lsoa,
        source="pharmacy",
        reasons=("need-loneliness",),
        sex="F",
    )
    activity = TaxonomyTerm.objects.get(code="need-physical-activity")
    walk = AssetFactory(name="Health walk", categories=[activity])
    choir = AssetFactory(
        name="Choir", categories=[TaxonomyTerm.objects.get(code="need-loneliness")]
    )
    Connection.objects.create(referral=referral, asset=walk, status=t.ATTENDING)
    Connection.objects.create(referral=referral, asset=choir, status=t.DECLINED)
    Connection.objects.create(referral=referral, asset=choir, status=t.PROPOSED)
    respond(referral, "swemwbs", "baseline", [2] * 7, 50)
    respond(referral, "swemwbs", "follow_up", [2] * 6 + [3], 30)
    respond(referral, "swemwbs", "follow_up", [3] * 7, 8)
    ons4_pair(referral, (4, 5, 6, 7), (6, 6, 6, 3))
    respond(referral, "ucla3", "baseline", [3, None, 3], 50)  # incomplete: never scored
    return referral


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_administrators_may_export(name, role, db):
    assert client_for(role).get(reverse(name)).status_code == 403
    assert not AuditEvent.objects.filter(action="research_exported").exists()


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name, anonymous):
    assert anonymous.get(reverse(name)).status_code == 302


def test_a_row_per_referral_with_the_dictionarys_columns(referral):
    rows = download(client_for(Role.ADMIN))
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [column.name for column in research_export.columns()]
    today = timezone.localdate(referral.received_at)
    assert row["referral_quarter"] == f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert row["source"] == "pharmacy" and row["status"] == "in_progress"
    assert row["age_band"] in ("55-64", "65-74") and row["sex"] == "female"
    assert row["imd_decile"] == "3" and row["neighbourhood_code"] == "BOLTON-N1"
    assert row["referral_reasons"] == "need-loneliness"
    # Sent: the walk (attending) and the choir (declined); the proposed one was never sent.
    assert row["connections_made"] == "2" and row["connections_attended"] == "1"
    assert row["connection_categories"] == "need-loneliness;need-physical-activity"
    assert row["attended_categories"] == "need-physical-activity"
    # Scores by timepoint: the latest follow-up, not the first.
    assert row["swemwbs_baseline"] == "15.32" and row["swemwbs_follow_up"] == "19.25"
    assert row["swemwbs_closure"] == "" and row["swemwbs_weeks_to_latest"] == "6"
    assert (row["life_satisfaction_baseline"], row["life_satisfaction_follow_up"]) == ("4", "6")
    assert (row["anxiety_baseline"], row["anxiety_follow_up"]) == ("7", "3")
    assert row["ucla3_baseline"] == ""  # incomplete


def test_nothing_identifying_or_free_text_leaves(referral):
    person = referral.person
    response = client_for(Role.ADMIN).get(reverse("research-export-csv"))
    text = b"".join(response.streaming_content).decode()
    for secret in (
        person.given_name,
        person.family_name,
        person.postcode,
        person.nhs_number,
        str(person.birth_date),
        person.birth_date.strftime("%d/%m/%Y"),
        referral.notes,
        str(person.uuid),
        str(referral.uuid),
        "Health walk",
        "Community Links",
    ):
        assert secret not in text, secret
    row = list(csv.DictReader(io.StringIO(text)))[0]
    assert row["person_id"] not in (str(person.pk), str(person.uuid))
    assert row["referral_id"] != str(referral.pk)


def test_pseudonyms_are_keyed_stable_and_distinct(referral, settings):
    settings.RESEARCH_EXPORT_KEY = "one-secret"
    admin = client_for(Role.ADMIN)
    first, again = download(admin)[0], download(admin)[0]
    assert first["person_id"] == again["person_id"] and len(first["person_id"]) == 16
    assert first["person_id"] != first["referral_id"]
    # A second referral of the same person: same person id, new referral id.
    second = make_referral(referral.service, person=referral.person)
    rows = {r["referral_id"]: r for r in download(admin)}
    assert len(rows) == 2 and len({r["person_id"] for r in rows.values()}) == 1
    assert research_export.pseudonym("referral", second.pk) in rows
    # Anyone without the key gets different ids: they cannot be guessed from the raw ids.
    settings.RESEARCH_EXPORT_KEY = "another-secret"
    assert download(admin)[0]["person_id"] != first["person_id"]


def test_people_who_withdrew_consent_are_left_out(referral):
    referral.consent_withdrawn_at = timezone.now()
    referral.save()
    assert download(client_for(Role.ADMIN)) == []


def test_every_download_is_audited_without_personal_data(referral):
    download(client_for(Role.ADMIN))
    event = AuditEvent.objects.get(action="research_exported")
    assert event.object_type == "outcomes" and "1 referrals" in event.summary
    assert referral.person.family_name not in event.summary


def test_the_data_dictionary(referral):
    admin = client_for(Role.ADMIN)
    response = admin.get(reverse("research-export-dictionary"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["column"] for r in rows] == [c.name for c in research_export.columns()]
    assert all(r["description"] for r in rows)
    swemwbs = next(r for r in rows if r["column"] == "swemwbs_baseline")
    assert "© NHS Health Scotland" in swemwbs["description"]
    page = admin.get(reverse("research-export")).content.decode()
    assert "Data dictionary" in page and "person_id" in page
    assert reverse("research-export-csv") in page and "Still personal data" in page


def test_an_empty_export_has_its_header(db):
    rows = client_for(Role.ADMIN).get(reverse("research-export-csv"))
    text = b"".join(rows.streaming_content).decode()
    assert text.splitlines() == [",".join(c.name for c in research_export.columns())]


def test_exports_run_in_batches_with_a_fixed_number_of_queries(referral, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        ons4_pair(make_referral(referral.service), (3, 3, 3, 3), (5, 5, 5, 5))
    admin = client_for(Role.ADMIN)
    with CaptureQueriesContext(connection) as six:
        download(admin)
    for _ in range(10):
        ons4_pair(make_referral(referral.service), (3, 3, 3, 3), (5, 5, 5, 5))
    with CaptureQueriesContext(connection) as sixteen:
        assert len(download(admin)) == 16
    assert len(sixteen) == len(six)
