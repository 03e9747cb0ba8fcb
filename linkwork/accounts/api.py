from django.http import HttpRequest
from ninja import Router

from linkwork.accounts.schemas import MeOut
from linkwork.accounts.selectors import memberships_for_display

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who the caller is and the roles they hold")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "email": user.email,
        "full_name": user.full_name,
        "roles": [
            {
                "role": m.role,
                "organisation_id": m.organisation_id,
                "organisation_name": m.organisation.name if m.organisation else None,
            }
            for m in memberships_for_display(user=user)
        ],
    }
