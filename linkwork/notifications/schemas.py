"""/api/v1/me/notification-preferences bodies."""

from typing import Annotated

from ninja import Field, Schema

from linkwork.schemas import MAX_CODE, Input


class PreferenceOut(Schema):
    kind: str
    label: str
    frequency: str = Field(..., description="immediately | daily | weekly | never")
    channel: str = Field(..., description="email | sms")
    fixed: bool = Field(..., description="Urgent safety messages: always immediate.")
    is_default: bool


class PreferencesOut(Schema):
    preferences: list[PreferenceOut]
    sms_available: bool
    sms_number: str | None


class PreferenceIn(Input):
    kind: Annotated[str, Field(max_length=MAX_CODE)]
    frequency: Annotated[str, Field(max_length=MAX_CODE)]
    channel: Annotated[str, Field(max_length=MAX_CODE)] = "email"


class PreferencesIn(Input):
    preferences: Annotated[list[PreferenceIn], Field(max_length=50)] = []
    # "" removes the number; absent keeps it.
    sms_number: Annotated[str, Field(max_length=20)] | None = None
