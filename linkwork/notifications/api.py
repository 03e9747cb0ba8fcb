"""/api/v1/me/notification-preferences: the caller's own choices, read and replaced."""

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router

from linkwork.notifications.preferences import (
    preferences_of,
    set_preferences,
    sms_available,
    sms_number_of,
)
from linkwork.notifications.schemas import PreferencesIn, PreferencesOut

router = Router(tags=["notifications"])


def _body(user) -> dict:
    return {
        "preferences": [asdict(row) for row in preferences_of(user)],
        "sms_available": sms_available(),
        "sms_number": sms_number_of(user) or None,
    }


@router.get(
    "/me/notification-preferences",
    response=PreferencesOut,
    summary="How the caller hears about each kind of message",
)
def get_preferences(request: HttpRequest) -> dict:
    return _body(request.user)


@router.put(
    "/me/notification-preferences",
    response=PreferencesOut,
    summary="Change how the caller hears about some kinds of message",
)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict:
    """Each listed kind takes the frequency (immediately | daily | weekly | never) and
    channel (email | sms, where available) given; kinds not listed keep theirs. `safety`
    is always immediately. One bad entry: 422 naming it, and nothing is changed."""
    set_preferences(
        user=request.user,
        changes=[item.dict() for item in payload.preferences],
        sms_number=payload.sms_number,
        by=request.user,
    )
    return _body(request.user)
