"""Evidence words are written when read (issue 18): a snapshot keeps the facts behind
its summary, so the decisions log says it in the reader's language; a snapshot taken
before the facts were kept still shows the words stored then."""

import pytest
from django.utils import timezone, translation

from linkwork.community.models import Evidence
from linkwork.community.panels import evidence
from tests.community.test_panels import _round, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def stored(snap: evidence.Snapshot) -> Evidence:
    return Evidence(
        kind=snap.kind,
        reference=snap.reference,
        title=snap.title,
        figures=snap.figures,
        suppressed=snap.suppressed,
        summary=snap.summary,
        facts=snap.facts,
        captured_at=snap.captured_at,
    )


@pytest.mark.parametrize("category", ["need-housing", "need-money-debt"])
def test_a_gap_reads_in_english_as_it_was_written_and_in_welsh_when_asked(
    world,  # noqa: F811
    category,
):
    snap = evidence.gap_snapshot(area_code="N-NORTH", category_code=category)
    row = stored(snap)
    assert row.words == snap.summary  # the same sentence, written again from the facts
    with translation.override("cy"):
        welsh = row.words
    assert "Northfield" in welsh and "yn ystod y 12 mis diwethaf" in welsh
    assert welsh.startswith("Cafodd 25 o bobl eu hatgyfeirio" if category == "need-housing" else "")
    assert "were referred" not in welsh and "listing" not in welsh


def test_a_withheld_count_stays_withheld_in_welsh(world):  # noqa: F811
    row = stored(evidence.gap_snapshot(area_code="N-NORTH", category_code="need-housing"))
    assert row.figures["unmet"] is None
    with translation.override("cy"):
        welsh = row.words
    assert "llai na 8" in welsh and " 3 " not in welsh


def test_a_snapshot_from_before_the_facts_were_kept_shows_its_stored_words(world):  # noqa: F811
    row = stored(evidence.gap_snapshot(area_code="N-NORTH", category_code="need-money-debt"))
    row.facts, row.summary = {}, "Twelve people were referred (as written in 2025)."
    with translation.override("cy"):
        assert row.words == "Twelve people were referred (as written in 2025)."
    row.facts = {"area_name": "Northfield"}  # facts of a shape this version cannot use
    assert row.words == "Twelve people were referred (as written in 2025)."


def test_a_funding_round_reads_as_it_was_written(world):  # noqa: F811
    _, _, member, *_ = world
    round = _round("decided")
    snap = evidence.round_snapshot(round_id=round.pk, viewer=member)
    assert stored(snap).words == snap.summary
    with translation.override("cy"):
        assert "£2,000.00" in stored(snap).words and "geisiadau" in stored(snap).words


@pytest.mark.parametrize(
    ("people", "community", "place", "english"),
    [
        (10, "", "Northfield", "About 10 people asked for walking in Northfield, and no open "),
        (None, "Carers", "", "Some people asked for walking for carers across the area, and "),
    ],
)
def test_an_emerging_group_reads_from_its_facts(people, community, place, english):
    row = Evidence(
        kind="emerging_group",
        figures={"people": people, "consented_to_contact": None, "near_misses": []},
        facts={"activity": "Walking", "community": community, "place": place},
        summary="",
        captured_at=timezone.now(),
    )
    assert row.words.startswith(english) and row.words.endswith("no open group offers it.")
    with translation.override("cy"):
        assert "nid oes grŵp agored" in row.words


def test_the_public_neighbourhood_page_says_its_gaps_in_welsh(world, client):  # noqa: F811
    english = client.get("/neighbourhoods/N-NORTH/").content.decode()
    assert "25 people were referred for help with housing in Northfield" in english
    welsh = client.get("/neighbourhoods/N-NORTH/?lang=cy").content.decode()
    assert "Cafodd 25 o bobl eu hatgyfeirio am help ynghylch tai yn Northfield" in welsh
    assert "Proffil cymdogaeth" in welsh and "Y prif fylchau yn Northfield" in welsh
    assert "Top gaps in Northfield" in english and "Neighbourhood profile" in english
