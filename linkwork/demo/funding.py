"""Demo funding: a decided small-grants round (with its priorities from the gap report,
a panel score, an award in part to Great Lever Men's Shed that became a Grant, a payment
and an end-of-grant report), an open round groups can apply to now (Tonge Walking for
Health, busy and unfunded, has not yet; the Men's Shed has a draft saved), and a
per-person tariff with last month's statements (the month before approved and paid).

Everything goes through the funding services, as the demo accounts would do it.
Idempotent: nothing is added when any round already exists.
"""

import datetime as dt

from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.directory.models import Organisation
from linkwork.funding import services
from linkwork.funding.models import GroupSize, Round, StatementStatus
from linkwork.insight.selectors import gaps, insight_scope

QUESTIONS = [
    "Who will take part, and how will they hear about it?",
    "What difference will it make to them?",
    "How will you know it worked?",
]
SIZES = {
    "Tonge Walking for Health": "small",
    "Great Lever Men's Shed": "micro",
    "Halliwell Community Choir": "micro",
    "Burnden Knit and Natter": "micro",
    "Breightmet Money Advice Drop-in": "medium",
    "Farnworth Community Garden": "small",
    "Bolton Chinese Wellbeing Circle": "small",
}


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _top_gaps(n: int) -> list[tuple[str, str]]:
    return [(row.area_code, row.category) for row in gaps(insight_scope(), limit=n)]


def load_demo_funding() -> int:
    """The demo's rounds and tariff; returns how many rounds were added."""
    if Round.objects.exists():
        return 0
    commissioner, panel = _user("commissioner@example.org"), _user("panel@example.org")
    walker, shed = _user("group@example.org"), _user("group2@example.org")
    if None in (commissioner, panel, walker, shed):
        return 0
    for name, band in SIZES.items():
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is not None:
            GroupSize.objects.update_or_create(
                organisation=organisation, defaults={"size_band": band}
            )
    funder = _org("Moorland Integrated Care Board (demo)")
    panel_org = _org("Tonge and Breightmet Community Panel")
    today = timezone.localdate()
    _decided_round(funder, panel_org, commissioner, panel, shed, today)
    _open_round(funder, panel_org, commissioner, shed, today)
    _tariff(funder, commissioner, today)
    return 2


def _decided_round(funder, panel_org, commissioner, panel, shed, today) -> None:
    round = services.create_round(
        funder=funder,
        name="Autumn small grants (demo)",
        guidance="Up to £500 for groups that welcome people referred by link workers.",
        pot="1500.00",
        max_award="500.00",
        opens=today - dt.timedelta(days=120),
        closes=today - dt.timedelta(days=60),
        questions=QUESTIONS,
        priorities=_top_gaps(3),
        panel_id=panel_org.pk,
        by=commissioner,
    )
    services.transition_round(round=round, to="open", by=commissioner)
    shed_application = services.save_application(
        round=round,
        organisation=_org("Great Lever Men's Shed"),
        amount="500.00",
        purpose="Tools and timber for a winter of making bird boxes for the park.",
        size_band="micro",
        answers=dict(
            zip(
                QUESTIONS,
                [
                    "Men on their own, many of them retired.",
                    "Somewhere to go and something to do with other people.",
                    "We ask them, and count the boxes.",
                ],
                strict=True,
            )
        ),
        submit=True,
        by=shed,
    )
    services.transition_round(round=round, to="scoring", by=commissioner)
    services.score_application(
        application=shed_application, score=4, comment="Clear and cheap; tools last.", by=panel
    )
    services.decide_application(
        application=shed_application,
        decision="award",
        amount="300.00",
        reason="Awarded in part: tools, not timber.",
        by=commissioner,
    )
    services.transition_round(round=round, to="decided", by=commissioner)
    services.record_payment(
        application=shed_application,
        paid_on=today - dt.timedelta(days=50),
        amount="300.00",
        reference="MICB-2026-0412",
        by=commissioner,
    )
    services.report_on_grant(
        application=shed_application,
        what_happened="Twelve men made sixty bird boxes over the winter; the park put them up.",
        story="One member, new to the area, now opens the shed on Tuesdays.",
        story_consent=True,
        by=shed,
    )


def _open_round(funder, panel_org, commissioner, shed, today) -> None:
    round = services.create_round(
        funder=funder,
        name="Winter warmth and connection (demo)",
        guidance="Up to £400 for warm, welcoming sessions this winter.",
        pot="4000.00",
        max_award="400.00",
        opens=today - dt.timedelta(days=7),
        closes=today + dt.timedelta(days=30),
        questions=QUESTIONS,
        priorities=_top_gaps(5),
        panel_id=panel_org.pk,
        by=commissioner,
    )
    services.transition_round(round=round, to="open", by=commissioner)
    services.save_application(
        round=round,
        organisation=_org("Great Lever Men's Shed"),
        amount="250.00",
        purpose="Heating the shed on two extra afternoons a week.",
        answers={QUESTIONS[0]: "Men on their own."},
        by=shed,
    )


def _tariff(funder, commissioner, today) -> None:
    first = today.replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    before = (last_month - dt.timedelta(days=1)).replace(day=1)
    tariff = services.create_tariff(
        funder=funder,
        name="Per person who starts (demo)",
        rate="20.00",
        starts=before.replace(month=1) if before.month > 1 else before,
        size_bands=["micro", "small"],
        cap_per_quarter="300.00",
        pot="10000.00",
        by=commissioner,
    )
    for month in (before, last_month):
        services.compute_statements(tariff=tariff, month=month, by=commissioner)
    for statement in tariff.statements.filter(month=before, status=StatementStatus.DUE):
        services.approve_statement(statement=statement, by=commissioner)
        services.mark_statement_paid(
            statement=statement, reference=f"MICB-T-{statement.pk}", by=commissioner
        )
