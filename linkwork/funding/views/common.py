"""What the funding pages share: who may reach the funding pages, and 404s."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm

FUNDING_PERMS = (Perm.GRANT_RECORD, Perm.GRANT_APPLY, Perm.PANEL_DECIDE)


def guard(request: HttpRequest, *perms: Perm):
    """None when the user holds one of `perms`; else a sign-in redirect (anonymous)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not any(has_permission(request.user, perm) for perm in perms or FUNDING_PERMS):
        raise PermissionDenied
    return None


def found(fetch):
    """The object a selector returns, or 404 for what the viewer may not see."""
    try:
        return fetch()
    except ObjectDoesNotExist:
        raise Http404 from None
