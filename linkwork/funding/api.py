"""/api/v1/funding: grant rounds, applications, panel scoring, decisions within the pot,
payments, end-of-grant reports, tariffs and monthly statements (issue 15's contract)."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from linkwork import paging
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Organisation
from linkwork.errors import Forbidden, InvalidInput
from linkwork.funding import schemas as s
from linkwork.funding import selectors, services, shapes
from linkwork.funding.models import Round, Statement
from linkwork.funding.services.money import pounds

router = Router(tags=["funding"])


def _need(user: AbstractBaseUser, perm: Perm) -> None:
    if not has_permission(user, perm):
        raise Forbidden()


def _funder(user: AbstractBaseUser, funder_id: int | None) -> Organisation:
    """The organisation a funder acts for: the one named, else their first."""
    rows = selectors.funder_organisations(user)
    if funder_id is not None:
        if not has_permission(user, Perm.GRANT_RECORD, organisation=funder_id):
            raise InvalidInput({"funder_id": "You may fund only from your own organisation."})
        funder = Organisation.objects.filter(pk=funder_id).first()
        if funder is None:  # an admin may fund from any organisation, but it must exist
            raise InvalidInput({"funder_id": "No organisation has this id."})
        return funder
    funder = rows.first()
    if funder is None:
        raise InvalidInput({"funder_id": "Name the organisation the money comes from."})
    return funder


def _own_round(user: AbstractBaseUser, round_id: int):
    round = selectors.round_for(user, round_id)
    if not selectors.is_funder(user, round):
        raise round.DoesNotExist("Not found.")
    return round


@router.post("/funding/rounds", response={201: s.RoundOut}, summary="Create a grant round (draft)")
def create_round(request: HttpRequest, payload: s.RoundIn) -> Status:
    """Funders (commissioners, admins). Priorities are gap-report rows (area × category):
    their evidence is kept as it stands now. Without `panel_id`, members of any panel
    may score."""
    _need(request.user, Perm.GRANT_RECORD)
    round = services.create_round(
        funder=_funder(request.user, payload.funder_id),
        **payload.dict(exclude={"funder_id", "priorities"}),
        priorities=[(p.area_code, p.category) for p in payload.priorities],
        by=request.user,
    )
    return Status(201, shapes.round_body(round))


@router.get("/funding/rounds", response=paging.Page[s.RoundOut], summary="Grant rounds")
def list_rounds(request: HttpRequest, params: Query[s.RoundParams]) -> dict:
    """Funders: their rounds in every state. Everyone else: rounds that have opened."""
    rows = selectors.rounds_visible_to(request.user)
    if params.status:
        rows = rows.filter(status=params.status)
    page, total = paging.window(rows, params)
    return paging.page_body(request, params, [shapes.round_body(r) for r in page], total)


@router.get("/funding/rounds/{round_id}", response=s.RoundOut, summary="One grant round")
def get_round(request: HttpRequest, round_id: int) -> dict:
    return shapes.round_body(selectors.round_for(request.user, round_id))


@router.post(
    "/funding/rounds/{round_id}/transitions",
    response=s.RoundOut,
    summary="Move a round on: draft → open → scoring → decided → closed",
)
def transition_round(request: HttpRequest, round_id: int, payload: s.TransitionIn) -> dict:
    _need(request.user, Perm.GRANT_RECORD)
    round = _own_round(request.user, round_id)
    return shapes.round_body(services.transition_round(round=round, to=payload.to, by=request.user))


@router.post(
    "/funding/rounds/{round_id}/applications",
    response={201: s.ApplicationOut},
    summary="Apply for your own group",
)
def apply(request: HttpRequest, round_id: int, payload: s.ApplicationIn) -> Status:
    """Group members, for their own organisation (another's: 404). 409 when the round is
    not open or the group already applied; 422 over the maximum award. `submit: false`
    saves a draft. The group's load is attached when it is submitted."""
    _need(request.user, Perm.GRANT_APPLY)
    if not has_permission(request.user, Perm.GRANT_APPLY, organisation=payload.organization_id):
        raise Organisation.DoesNotExist("Not found.")
    # Any round by id, drafts too: applying before a round opens is a 409 naming its state.
    round = Round.objects.get(pk=round_id)
    organisation = Organisation.objects.get(pk=payload.organization_id)
    priority = payload.priority
    if isinstance(priority, s.PriorityIn):
        priority = {"area_code": priority.area_code, "category": priority.category}
    application = services.save_application(
        round=round,
        organisation=organisation,
        amount=payload.amount,
        purpose=payload.purpose,
        priority=priority,
        answers=payload.answers,
        size_band=payload.size_band,
        holding_organisation=payload.holding_organisation,
        submit=payload.submit,
        by=request.user,
    )
    return Status(201, shapes.application_body(application, request.user))


@router.get(
    "/funding/rounds/{round_id}/applications",
    response=paging.Page[s.ApplicationOut],
    summary="A round's applications (funder, panel; a group sees its own)",
)
def list_applications(
    request: HttpRequest, round_id: int, params: Query[paging.PageParams]
) -> dict:
    round = selectors.round_for(request.user, round_id)
    rows = selectors.applications_visible_to(request.user).filter(round=round)
    page, total = paging.window(rows, params)
    items = [shapes.application_body(a, request.user) for a in page]
    return paging.page_body(request, params, items, total)


@router.get(
    "/funding/applications/{application_id}",
    response=s.ApplicationOut,
    summary="One application (never any person's data)",
)
def get_application(request: HttpRequest, application_id: int) -> dict:
    application = selectors.application_for(request.user, application_id)
    return shapes.application_body(application, request.user)


@router.post(
    "/funding/applications/{application_id}/submit",
    response=s.ApplicationOut,
    summary="Send a saved draft",
)
def submit(request: HttpRequest, application_id: int) -> dict:
    _need(request.user, Perm.GRANT_APPLY)
    application = selectors.application_for(request.user, application_id)
    application = services.submit_application(application=application, by=request.user)
    return shapes.application_body(application, request.user)


@router.post(
    "/funding/applications/{application_id}/conflicts",
    response={201: s.ConflictOut},
    summary="A panel member declares a conflict of interest",
)
def declare_conflict(request: HttpRequest, application_id: int, payload: s.ConflictIn) -> Status:
    _need(request.user, Perm.PANEL_DECIDE)
    application = selectors.application_for(request.user, application_id)
    conflict = services.declare_conflict(
        application=application, reason=payload.reason, by=request.user
    )
    return Status(
        201, {"application_id": application.pk, "conflicted": True, "reason": conflict.reason}
    )


@router.post(
    "/funding/applications/{application_id}/scores",
    response={201: s.ScoreBack},
    summary="A panel member scores an application, 0–5",
)
def score(request: HttpRequest, application_id: int, payload: s.ScoreIn) -> Status:
    """409 when you are conflicted (declared, or a member of the applying group) or the
    round is not being scored."""
    _need(request.user, Perm.PANEL_DECIDE)
    application = selectors.application_for(request.user, application_id)
    row = services.score_application(
        application=application, score=payload.score, comment=payload.comment, by=request.user
    )
    return Status(
        201, {"application_id": application.pk, "score": row.score, "comment": row.comment}
    )


@router.post(
    "/funding/applications/{application_id}/decision",
    response=s.DecisionBack,
    summary="The funder awards (in full or in part) or declines",
)
def decide(request: HttpRequest, application_id: int, payload: s.DecisionIn) -> dict:
    """409 when the award would go over what is left of the pot; 422 over the maximum
    award or what was asked. An award becomes a Grant in the ledger."""
    _need(request.user, Perm.GRANT_RECORD)
    application = selectors.application_for(request.user, application_id)
    application = services.decide_application(
        application=application,
        decision=payload.decision,
        amount=payload.amount,
        reason=payload.reason,
        by=request.user,
    )
    summary = selectors.pot_summary(application.round)
    return {
        **shapes.application_body(application, request.user),
        "round_awarded": pounds(summary.awarded),
        "round_remaining": pounds(summary.remaining),
    }


@router.post(
    "/funding/applications/{application_id}/payments",
    response={201: s.PaymentOut},
    summary="Record a payment against an award",
)
def pay(request: HttpRequest, application_id: int, payload: s.PaymentIn) -> Status:
    _need(request.user, Perm.GRANT_RECORD)
    application = selectors.application_for(request.user, application_id)
    payment = services.record_payment(
        application=application,
        paid_on=payload.paid_on,
        amount=payload.amount,
        reference=payload.reference,
        by=request.user,
    )
    return Status(
        201,
        {
            "id": payment.pk,
            "application_id": application.pk,
            "organization_name": application.organisation.name,
            "paid_on": payment.paid_on,
            "amount": pounds(payment.amount),
            "reference": payment.reference,
        },
    )


@router.post(
    "/funding/applications/{application_id}/report",
    response={201: s.ReportOut},
    summary="The group's end-of-grant report: what happened, one story",
)
def report(request: HttpRequest, application_id: int, payload: s.ReportIn) -> Status:
    _need(request.user, Perm.GRANT_APPLY)
    application = selectors.application_for(request.user, application_id)
    row = services.report_on_grant(application=application, **payload.dict(), by=request.user)
    return Status(
        201,
        {
            "application_id": application.pk,
            "what_happened": row.what_happened,
            "story": row.story,
            "story_consent": row.story_consent,
        },
    )


@router.post(
    "/funding/tariffs", response={201: s.TariffOut}, summary="Set a tariff: £ per person who starts"
)
def create_tariff(request: HttpRequest, payload: s.TariffIn) -> Status:
    _need(request.user, Perm.GRANT_RECORD)
    tariff = services.create_tariff(
        funder=_funder(request.user, payload.funder_id),
        **payload.dict(exclude={"funder_id"}),
        by=request.user,
    )
    return Status(201, _tariff(tariff))


def _tariff(t) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "funder_id": t.funder_id,
        "rate": pounds(t.rate),
        "starts": t.starts,
        "ends": t.ends,
        "size_bands": t.size_bands,
        "cap_per_quarter": pounds(t.cap_per_quarter),
        "pot": pounds(t.pot),
    }


@router.get("/funding/tariffs", response=paging.Page[s.TariffOut], summary="Your tariffs")
def list_tariffs(request: HttpRequest, params: Query[paging.PageParams]) -> dict:
    _need(request.user, Perm.GRANT_RECORD)
    page, total = paging.window(selectors.tariffs_visible_to(request.user), params)
    return paging.page_body(request, params, [_tariff(t) for t in page], total)


def parse_month(value: str) -> dt.date:
    """YYYY-MM as the month's first day; blank: last month. 422 naming `month`."""
    if not value:
        first = timezone.localdate().replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1)
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise InvalidInput({"month": "Give the month as YYYY-MM, like 2026-11."}) from None
    if not 2000 <= month.year <= 2100:
        raise InvalidInput({"month": "Give a month between 2000 and 2100."})
    return month


@router.get(
    "/funding/statements",
    response=paging.Page[s.StatementOut],
    summary="Monthly tariff statements (funder: every group; group: its own)",
)
def list_statements(request: HttpRequest, params: Query[s.StatementParams]) -> dict:
    """A funder's request brings the month's due statements up to date first (idempotent:
    approved and paid ones never change); a group's works out a month nobody has yet
    (`linkwork compute-statements` does it from cron). Counts are the group's own connections; no
    person is named."""
    if not selectors.can_see_statements(request.user):
        raise Forbidden()
    month = parse_month(params.month)
    services.bring_statements_up_to_date(viewer=request.user, month=month)
    rows = selectors.statements_visible_to(request.user).filter(month=month)
    page, total = paging.window(rows, params)
    return paging.page_body(request, params, [shapes.statement_body(x) for x in page], total)


def _statement(user: AbstractBaseUser, statement_id: int) -> Statement:
    return selectors.statements_visible_to(user).get(pk=statement_id)


@router.post(
    "/funding/statements/{statement_id}/approve",
    response=s.StatementOut,
    summary="The funder approves a statement",
)
def approve(request: HttpRequest, statement_id: int) -> dict:
    _need(request.user, Perm.GRANT_RECORD)
    statement = services.approve_statement(
        statement=_statement(request.user, statement_id), by=request.user
    )
    return shapes.statement_body(statement)


@router.post(
    "/funding/statements/{statement_id}/paid",
    response=s.StatementOut,
    summary="The funder marks an approved statement paid",
)
def paid(request: HttpRequest, statement_id: int, payload: s.PaidIn) -> dict:
    _need(request.user, Perm.GRANT_RECORD)
    statement = services.mark_statement_paid(
        statement=_statement(request.user, statement_id),
        reference=payload.reference,
        by=request.user,
    )
    return shapes.statement_body(statement)
