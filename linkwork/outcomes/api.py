"""/api/v1 routes of the outcomes app: scoring, and responses on a referral (DESIGN.md §9).

Scoring reveals nothing about anyone, so any signed-in user or token may call it.
Responses are for the link workers of the referral's service: a referral outside the
caller's scope is a 404; a referrer looking at their own referral gets 403.
"""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from linkwork import paging
from linkwork.errors import Forbidden, InvalidInput
from linkwork.outcomes import services
from linkwork.outcomes.instruments import UnknownInstrument, instrument
from linkwork.outcomes.models import Response
from linkwork.outcomes.schemas import (
    ResponseIn,
    ResponseListParams,
    ResponseOut,
    ScoreIn,
    ScoreOut,
)
from linkwork.outcomes.scoring import AnswerError, score
from linkwork.outcomes.selectors import responses_of
from linkwork.referrals import selectors as referral_selectors
from linkwork.referrals.models import Referral

router = Router(tags=["outcomes"])


@router.post(
    "/instruments/{code}/score",
    response=ScoreOut,
    exclude_unset=True,
    summary="Score a questionnaire (swemwbs, ons4, ucla3, ons_loneliness)",
)
def score_answers(request: HttpRequest, code: str, payload: ScoreIn) -> dict:
    """Answers in item order (ONS4: life satisfaction, worthwhile, happiness, anxiety).
    SWEMWBS: raw total and metric score (2 dp). ONS4: score and band keyed by item, never
    summed. UCLA-3: raw = score, band lonely / not_lonely. A wrong count, or an answer
    that is not a whole number on the scale, is a 422 naming the item."""
    try:
        found = instrument(code)
    except UnknownInstrument:
        raise Http404 from None
    if not found.scorable_by_api:
        raise Http404
    try:
        return score(found, payload.answers).as_api()
    except AnswerError as error:
        raise InvalidInput(error.errors) from None


def _case_referral(request: HttpRequest, referral_id: int) -> Referral:
    referral = referral_selectors.referral_for(request.user, referral_id)
    if not referral_selectors.is_case_worker(request.user, referral):
        raise Forbidden("Only the service's link workers can record outcomes.")
    return referral


def response_out(response: Response) -> dict:
    return {
        "id": response.pk,
        "instrument": response.instrument,
        "timepoint": response.timepoint,
        "completed_on": response.completed_on,
        "complete": response.complete,
        "answers": response.answers,
        "raw": response.raw,
        "score": float(response.score) if response.score is not None else None,
        "band": response.band or None,
        "by_person": response.by_person,
    } | _ons4(response)


def _ons4(response: Response) -> dict:
    # Measures of their own (ONS4): score and band keyed by item, as the scoring route.
    if not response.complete or response.raw is not None or len(response.measures) < 2:
        return {}
    return {
        "raw": {key: int(float(m["score"])) for key, m in response.measures.items()},
        "score": {key: int(float(m["score"])) for key, m in response.measures.items()},
        "band": {key: m["band"] for key, m in response.measures.items()},
    }


@router.post(
    "/referrals/{referral_id}/responses",
    response={201: ResponseOut},
    summary="Record a questionnaire at baseline, follow-up or closure",
)
def record_response(request: HttpRequest, referral_id: int, payload: ResponseIn) -> Status:
    """Null answers store the questionnaire as incomplete (never scored). 409 for a second
    baseline or closure of the same instrument, or a referral that cannot take it; 422
    for answers off the scale or a date before the referral (or its baseline)."""
    referral = _case_referral(request, referral_id)
    response = services.record_response(
        referral=referral,
        instrument_code=payload.instrument,
        timepoint=payload.timepoint,
        answers=payload.answers,
        completed_on=payload.completed_on,
        by=request.user,
    )
    return Status(201, response_out(response))


@router.get(
    "/referrals/{referral_id}/responses",
    response=paging.Page[ResponseOut],
    summary="Questionnaires recorded on a referral",
)
def list_responses(
    request: HttpRequest, referral_id: int, params: Query[ResponseListParams]
) -> dict:
    referral = _case_referral(request, referral_id)
    responses, total = paging.window(responses_of(referral), params)
    return paging.page_body(request, params, [response_out(r) for r in responses], total)
