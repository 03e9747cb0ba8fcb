"""Demo community data: interests residents registered, and grants to some groups.

Interests: a cluster of 11 women in Tonge and Breightmet who want a women-only craft
group (the nearest arts listing there is mixed and has a waiting list), South Asian
elders in two neighbourhoods who want a cooking and lunch club (a community-wide
cluster of 6, whose count is withheld on the page), and scattered others below the
threshold. People are made up; phone numbers are in Ofcom's drama range; postcodes
are real (places/data). Grants: a few groups are funded; several of the busiest groups
(Tonge Walking for Health, Hillbank Stroke Club, Breightmet Money Advice Drop-in, ...)
are left unfunded, so load-and-investment views have something to show.

Idempotent: nothing is added when any interest (or any grant) already exists.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.community.models import Grant, Interest
from linkwork.community.services import close_interest, record_grant, register_interest
from linkwork.directory.models import Organisation
from linkwork.places.models import Postcode

SEED = "linkwork-demo-community"

# (how many, activity code or "", community of interest, neighbourhood code, descriptions)
INTEREST_CLUSTERS: list[tuple[int, str, str, str, list[str]]] = [
    (
        11,
        "activity-arts-crafts",
        "Women",
        "BOL-NBH-01",
        [
            "A women-only craft group in the daytime, somewhere I can bring my sewing.",
            "Knitting or crochet with other women, not too far from Tonge Moor.",
            "A craft afternoon for women. I don't feel comfortable in mixed groups.",
            "Sewing and making things with other mums while the kids are at school.",
            "",
        ],
    ),
    (
        3,
        "activity-cooking",
        "South Asian elders",
        "BOL-NBH-02",
        ["A lunch club where we cook and eat together, with Gujarati or Urdu spoken."],
    ),
    (
        3,
        "activity-cooking",
        "South Asian elders",
        "BOL-NBH-01",
        ["Cooking together for older people from our community."],
    ),
    (4, "activity-mens-shed", "", "BOL-NBH-04", ["A shed in Farnworth like the Great Lever one."]),
    (2, "activity-walking", "", "BOL-NBH-05", ["A slow walking group for beginners."]),
    (2, "activity-music", "", "BOL-NBH-04", ["A choir or singing group nearby."]),
    (1, "activity-digital", "", "BOL-NBH-03", ["Help using my tablet, near Halliwell."]),
    (2, "", "", "BOL-NBH-03", ["A board games club in the evenings."]),
    (1, "activity-sport", "Young people", "BOL-NBH-02", ["Football for teenage girls."]),
]

# (organisation, amount, funder, purpose, start (months ago), months, achieved)
GRANTS: list[tuple[str, str, str, str, int, int | None, str]] = [
    (
        "Tonge Fold Bereavement Friends",
        "500.00",
        "Moorland Voluntary Action Small Grants (demo)",
        "Room hire and refreshments for the weekly bereavement cafe.",
        10,
        12,
        "Forty sessions held; two volunteers trained in listening skills.",
    ),
    (
        "Halliwell Community Choir",
        "750.00",
        "Bolton Council Community Fund (demo)",
        "A pianist for the weekly rehearsal and sheet music.",
        8,
        12,
        "",
    ),
    (
        "Great Lever Men's Shed",
        "2400.00",
        "Moorland Community Foundation (demo)",
        "Tools, dust extraction and insurance for the workshop.",
        14,
        12,
        "Open three days a week; 22 regular members, eight referred by link workers.",
    ),
    (
        "Great Lever Men's Shed",
        "600.00",
        "Bolton Council Community Fund (demo)",
        "Heating for the workshop through the winter.",
        4,
        6,
        "",
    ),
    (
        "Moorside Housing Advice",
        "6000.00",
        "Bolton Council Community Fund (demo)",
        "A part-time adviser for tenants facing eviction.",
        11,
        12,
        "120 households advised; 31 evictions prevented.",
    ),
    (
        "Paper Mill Arts",
        "4000.00",
        "Moorland Integrated Care Board Health Inequalities Fund (demo)",
        "Arts on prescription: two six-week courses each term.",
        9,
        12,
        "",
    ),
    (
        "Farnworth Community Garden",
        "1500.00",
        "Moorland Community Foundation (demo)",
        "Raised beds and a wheelchair-accessible path.",
        6,
        None,
        "",
    ),
    (
        "Bolton Learning Disability Arts",
        "1200.00",
        "Moorland Voluntary Action Small Grants (demo)",
        "Materials and transport for the open studio.",
        5,
        12,
        "",
    ),
    (
        "Station Garden Growers",
        "300.00",
        "Moorland Voluntary Action Small Grants (demo)",
        "Seeds, compost and a water butt.",
        3,
        None,
        "",
    ),
]


def _postcodes_by_neighbourhood() -> dict[str, list[str]]:
    """Each neighbourhood's demo postcodes (those whose LSOA is one of its members)."""
    found: dict[str, list[str]] = {}
    for postcode, code in Postcode.objects.filter(
        lsoa__neighbourhood_membership__isnull=False
    ).values_list("postcode", "lsoa__neighbourhood_membership__neighbourhood__code"):
        found.setdefault(code, []).append(postcode)
    return found


def load_demo_interests() -> int:
    """The demo's interests (see the module's docstring); returns how many were added."""
    if Interest.objects.exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 (made-up data)
    link_worker = User.objects.filter(email="linkworker@example.org").first()
    postcodes = _postcodes_by_neighbourhood()
    made = []
    for count, activity, community, neighbourhood, descriptions in INTEREST_CLUSTERS:
        for n in range(count):
            consent = rng.random() < 0.6
            on_behalf = link_worker is not None and rng.random() < 0.3
            interest = register_interest(
                activity_code=activity,
                description=descriptions[n % len(descriptions)] or "",
                community_of_interest=community,
                postcode=rng.choice(postcodes[neighbourhood]),
                consent_to_contact=consent,
                contact={
                    "contact_by": "either",
                    "contact_method": "text",
                    "contact_detail": f"07700 900{rng.randrange(1000):03d}",
                    "contact_times": rng.choice(["Weekday mornings", "After 6pm", ""]),
                }
                if consent
                else None,
                on_behalf=on_behalf,
                by=link_worker if on_behalf else None,
            )
            made.append(interest)
    # Spread them over the last six months, the craft cluster growing most recently.
    now = timezone.now()
    for index, interest in enumerate(made):
        days = rng.randrange(5, 180) if index >= 11 else rng.randrange(1, 90)
        Interest.objects.filter(pk=interest.pk).update(created_at=now - dt.timedelta(days=days))
    close_interest(interest=made[-1], reason="A walking football group for girls started.", by=None)
    return len(made)


def _months_later(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def load_demo_grants() -> int:
    """The demo's grants, recorded by the demo commissioner; returns how many were added."""
    if Grant.objects.exists():
        return 0
    commissioner = User.objects.filter(email="commissioner@example.org").first()
    this_month = timezone.localdate().replace(day=1)
    for name, amount, funder, purpose, months_ago, months, achieved in GRANTS:
        start = _months_later(this_month, -months_ago)
        record_grant(
            organisation=Organisation.objects.filter(name=name).first(),
            amount=Decimal(amount),
            funder=funder,
            purpose=purpose,
            period_start=start,
            period_end=_months_later(start, months) - dt.timedelta(days=1) if months else None,
            achieved=achieved,
            by=commissioner,
        )
    return len(GRANTS)


def load_demo_community() -> None:
    load_demo_interests()
    load_demo_grants()
