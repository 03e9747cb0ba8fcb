"""A small funding world: a commissioner who funds, two groups with listings and load,
a community panel (one of its members also belongs to the first group)."""

from types import SimpleNamespace

import pytest
from django.test import Client

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind
from tests.factories import OrganisationFactory, user_with_role
from tests.worlds import signed_in


def call(client: Client, method: str, url: str, body: dict | None = None):
    if body is None:
        return client.generic(method, url)
    return getattr(client, method.lower())(url, body, content_type="application/json")


@pytest.fixture
def world(build, town):
    icb = OrganisationFactory(name="Moorland ICB", kind=OrganisationKind.ICB)
    panel_org = OrganisationFactory(
        name="Southgate Panel", kind=OrganisationKind.UNCONSTITUTED_GROUP
    )
    walk = build.asset("Southgate walk", ["need-physical-activity"], lsoa=town.south)
    choir = build.asset("Southgate choir", ["need-arts-culture"], lsoa=town.south)
    build.connect(12, town.south, walk, "attending")
    build.unmet(10, town.south, "need-physical-activity")
    commissioner = user_with_role(Role.COMMISSIONER, icb, full_name="Chris Boyd")
    walker = user_with_role(Role.GROUP, walk.organisation, full_name="Jo Walker")
    singer = user_with_role(Role.GROUP, choir.organisation, full_name="Dev Singer")
    panel = user_with_role(Role.PANEL, panel_org, full_name="Maureen Panel")
    conflicted = user_with_role(Role.PANEL, panel_org, full_name="Pat Both")
    Membership.objects.create(user=conflicted, organisation=walk.organisation, role=Role.GROUP)
    return SimpleNamespace(
        build=build,
        town=town,
        icb=icb,
        panel_org=panel_org,
        walk=walk,
        choir=choir,
        commissioner=signed_in(commissioner),
        walker=signed_in(walker),
        singer=signed_in(singer),
        panel=signed_in(panel),
        conflicted=signed_in(conflicted),
    )


QUESTIONS = [
    "Who will take part?",
    "What difference will it make?",
    "How will you know it worked?",
]


def round_body(world, **overrides) -> dict:
    body = {
        "name": "Southgate small grants",
        "pot": "1000.00",
        "max_award": "600.00",
        "opens": "2026-11-01",
        "closes": "2026-12-31",
        "priorities": [
            {"area_code": world.town.southgate.code, "category": "need-physical-activity"}
        ],
        "questions": QUESTIONS,
        "panel_id": world.panel_org.pk,
    }
    return {**body, **overrides}


def make_round(world, status: str = "open", **overrides) -> dict:
    response = call(
        world.commissioner, "POST", "/api/v1/funding/rounds", round_body(world, **overrides)
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    for to in ("open", "scoring", "decided", "closed"):
        if body["status"] == status:
            break
        response = call(
            world.commissioner,
            "POST",
            f"/api/v1/funding/rounds/{body['id']}/transitions",
            {"to": to},
        )
        assert response.status_code == 200, response.json()
        body = response.json()
    return body


def application_body(organisation, amount: str = "400.00", **overrides) -> dict:
    return {
        "organization_id": organisation.pk,
        "amount": amount,
        "purpose": "Weekly walks with a trained leader",
        "answers": dict.fromkeys(QUESTIONS, "An answer."),
        **overrides,
    }


def apply(world, round_id: int, client=None, organisation=None, **overrides):
    client = client or world.walker
    organisation = organisation or world.walk.organisation
    return call(
        client,
        "POST",
        f"/api/v1/funding/rounds/{round_id}/applications",
        application_body(organisation, **overrides),
    )
