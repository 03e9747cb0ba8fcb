"""Reads for data rights: a signed-in person's own data, and people for administrators."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from linkwork.accounts.models import Membership
from linkwork.audit.services import record_event
from linkwork.community.models import Interest
from linkwork.privacy.subject_access import row_as_dict


def own_interests(*, user: AbstractBaseUser) -> QuerySet[Interest]:
    return Interest.objects.filter(recorded_by=user, recorded_on_behalf="self").select_related(
        "activity", "neighbourhood"
    )


def own_data(*, user: AbstractBaseUser) -> dict[str, Any]:
    """What Linkwork holds about the signed-in person's account, as JSON. Audited."""
    record_event(by=user, action="own_data_export", object_type="user", object_id=user.pk)
    return {
        "account": row_as_dict(user),
        "memberships": [
            row_as_dict(m) for m in Membership.objects.filter(user=user).order_by("pk")
        ],
        "interests": [row_as_dict(i) for i in own_interests(user=user).order_by("pk")],
    }
