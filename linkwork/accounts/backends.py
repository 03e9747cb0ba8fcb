"""Signing in with an email address and password: Django's ModelBackend, except that a
signed-in request reads its user and their memberships in one statement
(`selectors.user_with_roles`) instead of two.

Sessions made before this backend existed name Django's own ModelBackend, which stays
listed after this one so that they stay signed in (settings.AUTHENTICATION_BACKENDS).
So that a wrong password is not checked a second time by that one, this backend ends
the attempt when it refuses the credentials: `authenticate` then fails exactly as it
does when the last backend refuses (user_login_failed is sent, None returned).
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from linkwork.accounts.models import User
from linkwork.accounts.selectors import user_with_roles


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> User | None:
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
