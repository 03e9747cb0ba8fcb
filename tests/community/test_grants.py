"""Grants: recorded by commissioners and admins, listed for them; bad input refused whole."""

import datetime as dt
from decimal import Decimal

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.community import services
from linkwork.community.models import Grant
from linkwork.community.selectors import funding_by_organisation
from linkwork.directory.models import OrganisationKind
from linkwork.errors import InvalidInput
from tests.factories import AssetFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return OrganisationFactory(name="Tonge Walking for Health", kind=OrganisationKind.VCFSE)


def form(group, **overrides) -> dict:
    return {
        "organisation": str(group.pk),
        "amount": "£1,250.50",
        "funder": "Bolton Council Community Fund",
        "purpose": "Room hire and a first-aid course",
        "period_start_day": "1",
        "period_start_month": "4",
        "period_start_year": "2026",
        "period_end_day": "31",
        "period_end_month": "3",
        "period_end_year": "2027",
        **overrides,
    }


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.ADMIN])
def test_a_commissioner_or_admin_records_a_grant_and_sees_it_listed(persona, group, role):
    client = persona(role)
    assert client.get("/grants/new/").status_code == 200
    response = client.post("/grants/new/", form(group))
    assert response.status_code == 302 and response["Location"] == "/grants/"
    grant = Grant.objects.get()
    assert (grant.organisation, grant.amount) == (group, Decimal("1250.50"))
    assert (grant.period_start, grant.period_end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert grant.recorded_by == client.user
    listing = client.get("/grants/").content.decode()
    assert "Tonge Walking for Health" in listing and "£1,250.50" in listing
    assert "Grant of £1,250.50 to Tonge Walking for Health recorded." in listing
    assert AuditEvent.objects.filter(action="grant_recorded", object_id=str(grant.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "lots"}, "Enter the amount in pounds, like 500"),
        ({"amount": "0"}, "more than £0"),
        ({"amount": "10.555"}, "to the nearest penny"),
        ({"amount": ""}, "Enter the amount in pounds."),
        ({"funder": " "}, "Enter who gave the grant."),
        ({"organisation": ""}, "Choose the group that received the grant."),
        (
            {"period_start_day": "", "period_start_month": "", "period_start_year": ""},
            "Enter the date the grant starts.",
        ),
        ({"period_end_year": "2025"}, "The end date must be the same as or after the start date."),
        ({"period_start_month": "13"}, "Start date must be a real date."),
    ],
)
def test_bad_grants_are_refused_naming_the_field_and_nothing_is_saved(
    persona, group, changes, message
):
    response = persona(Role.COMMISSIONER).post("/grants/new/", form(group, **changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not Grant.objects.exists()


def test_only_community_groups_can_receive_a_grant_through_the_page(persona):
    practice = OrganisationFactory(kind=OrganisationKind.GP_PRACTICE)
    response = persona(Role.COMMISSIONER).post("/grants/new/", form(practice))
    assert "Select a valid choice" in response.content.decode()
    assert not Grant.objects.exists()


def test_a_grant_for_a_listing_must_be_for_one_of_the_groups_own(group):
    other = AssetFactory()
    with pytest.raises(InvalidInput) as error:
        services.record_grant(
            organisation=group,
            amount="100",
            funder="ICB",
            purpose="Tea",
            period_start=dt.date(2026, 1, 1),
            asset=other,
            by=None,
        )
    assert set(error.value.errors) == {"asset"}
    own = AssetFactory(organisation=group)
    services.record_grant(
        organisation=group,
        amount="100",
        funder="ICB",
        purpose="Tea",
        period_start=dt.date(2026, 1, 1),
        asset=own,
        by=None,
    )
    assert funding_by_organisation() == {group.pk: Decimal("100.00")}
    assert funding_by_organisation([group.pk + 1]) == {}


@pytest.mark.parametrize(
    "role", [Role.REFERRER, Role.LINK_WORKER, Role.GROUP, Role.RESIDENT, Role.PANEL]
)
@pytest.mark.parametrize("url", ["/grants/", "/grants/new/"])
def test_other_roles_cannot_see_or_record_grants(persona, group, role, url):
    client = persona(role)
    assert client.get(url).status_code == 403
    assert client.post("/grants/new/", form(group)).status_code == 403
    assert not Grant.objects.exists()


def test_the_list_says_when_there_are_none(persona):
    assert (
        "No grants have been recorded yet."
        in persona(Role.COMMISSIONER).get("/grants/").content.decode()
    )


def test_admins_record_grants_in_django_admin_too_and_interests_show_no_contact_details(
    persona, group
):
    from linkwork.community.models import Interest

    Interest.objects.create(
        description="Craft", consent_to_contact=True, contact_detail="07700 900123"
    )
    admin = persona(Role.ADMIN)
    assert admin.get("/admin/community/grant/add/").status_code == 200
    response = admin.post(
        "/admin/community/grant/add/",
        {
            "organisation": group.pk,
            "amount": "300",
            "funder": "Council",
            "purpose": "Tea",
            "period_start": "2026-04-01",
        },
    )
    assert response.status_code == 302
    assert Grant.objects.get().recorded_by == admin.user
    interest = Interest.objects.get()
    page = admin.get(f"/admin/community/interest/{interest.pk}/change/").content.decode()
    assert "07700 900123" not in page
