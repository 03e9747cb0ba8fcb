from io import StringIO

import pytest
from django.core.management import call_command

from linkwork.accounts.models import Membership, User
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.places.models import Area

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "referrer@example.org": "referrer",
    "linkworker@example.org": "link_worker",
    "group@example.org": "group",
    "group2@example.org": "group",
    "resident@example.org": "resident",
    "panel@example.org": "panel",
    "commissioner@example.org": "commissioner",
    "admin@example.org": "admin",
}


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (User, Membership, Organisation, Area, AuditEvent)
    )


def test_demo_creates_the_accounts_of_the_design_and_prints_them():
    out = StringIO()
    call_command("demo", stdout=out)
    for email, role in DEMO_ACCOUNTS.items():
        assert Membership.objects.filter(user__email=email, role=role).exists(), email
        assert email in out.getvalue()
    assert "linkwork-demo" in out.getvalue()


def test_demo_is_idempotent():
    call_command("demo", stdout=StringIO())
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first


def test_demo_has_a_pcn_with_practices_a_service_and_a_dozen_groups():
    call_command("demo", stdout=StringIO())
    pcn = Organisation.objects.get(kind=OrganisationKind.PCN)
    assert pcn.children.filter(kind=OrganisationKind.GP_PRACTICE).count() >= 2
    assert Organisation.objects.filter(kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE).exists()
    groups = Organisation.objects.filter(
        kind__in=[OrganisationKind.VCFSE, OrganisationKind.UNCONSTITUTED_GROUP]
    )
    assert groups.count() >= 12
    assert Area.objects.filter(area_type="neighbourhood", parent__code="E08000001").count() >= 3


def test_group_demo_accounts_belong_to_different_groups():
    call_command("demo", stdout=StringIO())
    first = Membership.objects.get(user__email="group@example.org").organisation
    second = Membership.objects.get(user__email="group2@example.org").organisation
    assert first != second


def test_demo_accounts_sign_in_with_the_demo_password(client):
    call_command("demo", stdout=StringIO())
    response = client.post(
        "/accounts/login/", {"username": "commissioner@example.org", "password": "linkwork-demo"}
    )
    assert response.status_code == 302
