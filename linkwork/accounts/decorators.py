"""View guards built on has_permission: anonymous people are sent to sign in, others get 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from linkwork.accounts.permissions import has_permission, roles_of
from linkwork.accounts.roles import Perm, Role

View = Callable[..., HttpResponse]


def permission_required(perm: Perm) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_permission(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def role_required(role: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role not in roles_of(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator
