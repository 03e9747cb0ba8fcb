"""Demo governance: the Tonge and Breightmet Community Panel speaking for its
neighbourhood, a meeting that agreed a priority from the women's craft emerging group
and decided on it (in the public log at /neighbourhoods/BOL-NBH-01/decisions/), and the
panel's proposed priority from the neighbourhood's biggest gap when casework is loaded.

Idempotent: nothing is added once the panel has a meeting.
"""

import datetime as dt

from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.community.models import NetworkMember, Notice, NoticeStatus, Panel
from linkwork.community.panels import evidence, services
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.errors import InvalidInput
from linkwork.insight.selectors import gaps, insight_scope
from linkwork.places.models import Area

PANEL_NAME = "Tonge and Breightmet Community Panel"

# (organisation, reference group?, what it does, contact preferences)
NETWORK = [
    (
        "Moorland Voluntary Action (demo)",
        True,
        "The VCFSE reference group: speaks for voluntary and community groups to the ICB and "
        "council, and runs shared training (DBS checks, first aid, safeguarding).",
        "Email first; we answer within three working days.",
    ),
    (
        "Tonge Walking for Health",
        False,
        "Free, gentle led walks for all abilities.",
        "Email; no calls on walk days (Tuesday and Thursday).",
    ),
    (
        "Great Lever Men's Shed",
        False,
        "A workshop where men make, mend and talk.",
        "Drop in on a Wednesday, or email.",
    ),
    (
        "Deane Road Food Share",
        False,
        "Food share and a warm space, three days a week.",
        "Phone in the mornings.",
    ),
    ("Heaton Carers' Cafe", False, "A monthly cafe for unpaid carers.", "Email."),
]
NOTICES = [
    (
        "Moorland Voluntary Action (demo)",
        "training",
        "First aid training: places for four groups",
        "A one-day first aid course in January, free to network members. Reply to book a place.",
    ),
    (
        "Great Lever Men's Shed",
        "space",
        "Free venue hire on Monday afternoons",
        "Our workshop's meeting room is free on Monday afternoons for any network group.",
    ),
    (
        "Deane Road Food Share",
        "volunteers",
        "Volunteers wanted for Friday sorting",
        "Two or three people to help sort deliveries on Friday mornings.",
    ),
]


def load_demo_network() -> None:
    """The network's members and a few published notices (idempotent)."""

    if NetworkMember.objects.exists():
        return
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=[n[0] for n in NETWORK])}
    admin = User.objects.filter(email="admin@example.org").first()
    for name, reference, what, contact in NETWORK:
        if name in by_name:
            NetworkMember.objects.create(
                organisation=by_name[name],
                is_reference_group=reference,
                what_we_do=what,
                contact_preferences=contact,
            )
    for name, kind, title, body in NOTICES:
        if name in by_name:
            Notice.objects.create(
                organisation=by_name[name],
                kind=kind,
                title=title,
                body=body,
                status=NoticeStatus.PUBLISHED,
                moderated_by=admin,
                moderated_at=timezone.now(),
            )


def load_demo_governance() -> None:
    load_demo_network()

    organisation = Organisation.objects.filter(name=PANEL_NAME, kind=OrganisationKind.PANEL).first()
    tonge = Area.objects.filter(code="BOL-NBH-01").first()
    if organisation is None or tonge is None:
        return
    panel, _ = Panel.objects.get_or_create(organisation=organisation)
    if panel.meetings.exists():
        return
    panel.remit = (
        "Residents of Tonge and Breightmet who look at what the neighbourhood needs, set "
        "priorities and decide how community funding should be spent."
    )
    panel.communities_of_interest = "Women\nSouth Asian elders"
    panel.save()
    panel.neighbourhoods.set([tonge])
    member = User.objects.filter(email="panel@example.org").first()
    today = timezone.localdate()
    meeting = services.record_meeting(
        panel=panel,
        held_on=today - dt.timedelta(days=21),
        title="Autumn panel meeting",
        venue="Tonge Moor library",
        summary="The panel looked at what residents have asked for that is missing.",
        members_present=9,
        by=member,
    )
    try:
        craft = [
            evidence.emerging_group_snapshot(
                activity_code="activity-arts-crafts",
                neighbourhood_code="BOL-NBH-01",
                community="Women",
            )
        ]
    except InvalidInput:
        craft = []
    priority = services.propose_priority(
        panel=panel,
        title="A women-only craft group in Tonge",
        description="Women in Tonge keep asking for a daytime craft group of their own.",
        neighbourhood=tonge,
        evidence=craft,
        by=member,
    )
    services.settle_priority(priority=priority, meeting=meeting, to="agreed", by=member)
    services.record_decision(
        meeting=meeting,
        title="Help residents start a women's craft group",
        decision=(
            "We asked the community development team to bring together the women who said "
            "they would join, find a free venue, and offer the starter grant round."
        ),
        priority=priority,
        by=member,
    )

    top = gaps(insight_scope(area="BOL-NBH-01"), limit=1)
    if not top or top[0].need is None:
        return  # no casework loaded: no gap to propose
    gap = evidence.gap_snapshot(area_code="BOL-NBH-01", category_code=top[0].category)
    services.propose_priority(
        panel=panel, title=gap.title, neighbourhood=tonge, evidence=[gap], by=member
    )
