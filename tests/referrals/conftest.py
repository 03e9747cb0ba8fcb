"""A small world for casework: a PCN with a practice and a service, a group with an asset."""

from types import SimpleNamespace

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.models import CapacityStatus, OrganisationKind, TaxonomyTerm
from linkwork.directory.services import load_default_taxonomy
from linkwork.places.models import Area
from tests.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    user_with_role,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def world(db):
    load_default_taxonomy(by=None)
    lsoa = Area.objects.create(code="E01004800", name="Bolton 020A", area_type="lsoa")
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803, lsoa=lsoa)
    pcn = OrganisationFactory(name="Moor PCN", kind=OrganisationKind.PCN)
    practice = OrganisationFactory(
        name="Brook Surgery", kind=OrganisationKind.GP_PRACTICE, parent=pcn
    )
    service = OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE, parent=pcn
    )
    other_service = OrganisationFactory(
        name="Elsewhere Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )
    group_org = OrganisationFactory(name="Walking group")
    other_group_org = OrganisationFactory(name="Choir")
    activity = TaxonomyTerm.objects.get(code="need-physical-activity")
    near = LocationFactory(latitude=53.584, longitude=-2.381)
    walk = AssetFactory(
        organisation=group_org, name="Health walk", categories=[activity], location=near,
        places=2,
    )  # fmt: skip
    full = AssetFactory(
        organisation=other_group_org,
        name="Full walk",
        categories=[activity],
        capacity_status=CapacityStatus.FULL,
        location=LocationFactory(latitude=53.585, longitude=-2.382),
    )
    return SimpleNamespace(
        practice=practice,
        service=service,
        walk=walk,
        full=full,
        lsoa=lsoa,
        gp=client_for(user_with_role(Role.REFERRER, organisation=practice)),
        other_gp=client_for(user_with_role(Role.REFERRER, organisation=practice)),
        link_worker=client_for(user_with_role(Role.LINK_WORKER, organisation=service)),
        other_link_worker=client_for(user_with_role(Role.LINK_WORKER, organisation=other_service)),
        group=client_for(user_with_role(Role.GROUP, organisation=group_org)),
        other_group=client_for(user_with_role(Role.GROUP, organisation=other_group_org)),
        commissioner=client_for(user_with_role(Role.COMMISSIONER)),
    )


REFERRAL = {
    "person": {
        "given_name": "Pat",
        "family_name": "Holden",
        "birth_date": "1956-03-14",
        "postcode": "bl2 6lt",
        "nhs_number": "943 476 5919",
        "language": "en",
        "access_needs": "Uses a walking stick",
    },
    "source": "gp",
    "reasons": ["need-loneliness", "need-physical-activity"],
    "consent": {"to_refer": True, "share_with_groups": True, "contact_methods": ["phone"]},
    "notes": "Recently bereaved; keen to get out more.",
}
