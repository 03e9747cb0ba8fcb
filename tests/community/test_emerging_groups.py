"""Emerging groups: interests that cluster with no open group answering them; counts only,
small numbers withheld, never a name; who may see them."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.community import services
from linkwork.community.selectors import emerging_groups, funding_by_organisation, interest_counts
from linkwork.directory.models import CapacityStatus, Publication
from tests.factories import AssetFactory, LocationFactory

pytestmark = pytest.mark.django_db

URL = "/insight/emerging-groups/"


def interests(n: int, *, activity="activity-arts-crafts", postcode="BL2 6LT", **fields) -> None:
    for i in range(n):
        services.register_interest(
            activity_code=activity,
            postcode=postcode,
            consent_to_contact=i % 2 == 0,
            contact={
                "contact_by": "either",
                "contact_method": "email",
                "contact_name": f"Secret Name {i}",
                "contact_detail": f"secret{i}@example.com",
            },
            by=None,
            **fields,
        )


def test_eleven_women_in_tonge_wanting_a_craft_group_with_none_make_an_emerging_group(place):
    interests(11, community_of_interest="Women")
    [group] = emerging_groups()
    assert (group.activity, group.neighbourhood, group.community_of_interest) == (
        place.crafts,
        place.tonge,
        "Women",
    )
    assert (group.people, group.consented) == (11, 6)
    assert (group.people_published, group.consented_published) == (10, None)


def test_below_the_threshold_no_group_emerges(place, settings):
    interests(4)
    assert emerging_groups() == []
    settings.EMERGING_GROUP_THRESHOLD = 4
    assert len(emerging_groups()) == 1
    assert len(emerging_groups(threshold=3)) == 1


def test_interests_in_different_neighbourhoods_or_activities_do_not_add_up(place):
    interests(3)
    interests(3, postcode="BL3 5BG")
    interests(3, activity="activity-walking")
    assert emerging_groups() == []


def test_closed_interests_and_words_only_interests_do_not_count(place):
    interests(5)
    first = services.register_interest(description="Board games", postcode="BL2 6LT", by=None)
    services.close_interest(
        interest=type(first).objects.filter(activity__code="activity-arts-crafts").first(),
        reason="moved",
        by=None,
    )
    assert emerging_groups() == []


def test_an_open_published_asset_serving_the_neighbourhood_answers_the_group(place):
    interests(6)
    asset = AssetFactory(name="Tonge Crafters", categories=[place.crafts])
    asset.coverage_areas.add(place.tonge)
    assert emerging_groups() == []
    asset.capacity_status = CapacityStatus.FULL
    asset.save()
    [group] = emerging_groups()
    assert [(miss.name, miss.reason) for miss in group.near_misses] == [("Tonge Crafters", "full")]
    asset.capacity_status = CapacityStatus.OPEN
    asset.publication = Publication.DRAFT
    asset.save()
    assert len(emerging_groups()) == 1  # a draft listing helps nobody


def test_an_asset_located_in_the_neighbourhood_answers_it_even_without_coverage(place):
    interests(5)
    AssetFactory(categories=[place.crafts], location=LocationFactory(area=place.tonge_lsoa))
    assert emerging_groups() == []


def test_an_asset_elsewhere_does_not_answer_the_group(place):
    interests(5)
    elsewhere = AssetFactory(categories=[place.crafts], location=False)
    elsewhere.coverage_areas.add(place.lever)
    assert len(emerging_groups()) == 1


def test_a_group_for_anyone_does_not_answer_women_wanting_a_women_only_group(place):
    interests(8, community_of_interest="women")
    mixed = AssetFactory(name="Creative Minds", categories=[place.crafts], location=False)
    mixed.coverage_areas.add(place.tonge)
    [group] = emerging_groups()
    assert [(miss.name, miss.reason) for miss in group.near_misses] == [
        ("Creative Minds", "for anyone, not only women")
    ]
    mixed.gender_space = "women"
    mixed.save()
    assert emerging_groups() == []


def test_a_group_for_one_community_does_not_answer_interests_from_anyone(place):
    interests(5)
    AssetFactory(
        name="Open Art Studio",
        categories=[place.crafts],
        borough_wide=True,
        community_of_interest="People with a learning disability",
        location=False,
    )
    [group] = emerging_groups()
    assert group.near_misses[0].reason == "for People with a learning disability"


def test_a_community_of_interest_spread_across_neighbourhoods_emerges_across_the_area(place):
    interests(3, activity="activity-walking", community_of_interest="South Asian elders")
    interests(
        3,
        activity="activity-walking",
        postcode="BL3 5BG",
        community_of_interest="south asian  elders",
    )
    [group] = emerging_groups()
    assert group.neighbourhood is None and group.is_community_wide
    assert group.people == 6
    AssetFactory(
        categories=[place.walking],
        borough_wide=True,
        community_of_interest="South Asian Elders",
        location=False,
    )
    assert emerging_groups() == []


def test_interest_counts_for_demand(place):
    interests(3)
    services.register_interest(description="Chess", postcode="BL3 5BG", by=None)
    assert sorted(interest_counts(), key=str) == sorted(
        [(place.tonge.pk, place.crafts.pk, 3), (place.lever.pk, None, 1)], key=str
    )


def test_funding_by_organisation_adds_up_grants(place):
    assert funding_by_organisation() == {}


# --- The page -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.PANEL, Role.COMMISSIONER])
def test_the_page_shows_counts_rounded_or_withheld_and_never_names(persona, place, role):
    interests(11, community_of_interest="women")
    interests(5, activity="activity-walking", postcode="BL3 5BG")
    page = persona(role).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Arts and crafts" in html and "Tonge and Breightmet" in html and "women" in html
    assert ">10<" in html  # 11 people, rounded to the nearest 5
    assert ">11<" not in html
    assert ">*<" in html  # 6 consented (and the 5 walkers): withheld
    assert "Secret Name" not in html and "secret0@example.com" not in html and "BL2 6LT" not in html


@pytest.mark.parametrize("role", [Role.REFERRER, Role.GROUP, Role.RESIDENT, Role.ADMIN])
def test_other_roles_cannot_see_emerging_groups(persona, role):
    assert persona(role).get(URL).status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in(anonymous):
    assert anonymous.get(URL).status_code == 302


def test_the_page_says_when_there_are_none(persona, place):
    html = persona(Role.PANEL).get(URL).content.decode()
    assert "No emerging groups yet" in html
