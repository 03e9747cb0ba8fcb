"""Demo governance: the Tonge and Breightmet Community Panel speaking for its
neighbourhood, a meeting that agreed a priority from the women's craft emerging group
and decided on it (in the public log at /neighbourhoods/BOL-NBH-01/decisions/), and the
panel's proposed priority from the neighbourhood's biggest gap when casework is loaded.

Idempotent: nothing is added once the panel has a meeting.
"""

import datetime as dt

from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.community.models import Panel
from linkwork.community.panels import evidence, services
from linkwork.errors import InvalidInput
from linkwork.places.models import Area

PANEL_NAME = "Tonge and Breightmet Community Panel"


def load_demo_governance() -> None:
    from linkwork.directory.models import Organisation, OrganisationKind

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
    from linkwork.insight.selectors import gaps, insight_scope

    top = gaps(insight_scope(area="BOL-NBH-01"), limit=1)
    if not top or top[0].need is None:
        return  # no casework loaded: no gap to propose
    gap = evidence.gap_snapshot(area_code="BOL-NBH-01", category_code=top[0].category)
    services.propose_priority(
        panel=panel, title=gap.title, neighbourhood=tonge, evidence=[gap], by=member
    )
