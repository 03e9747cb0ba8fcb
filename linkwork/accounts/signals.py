"""Login and logout leave an audit trail and start the absolute session clock; a new
password revokes the account's API tokens."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from linkwork.accounts.mfa import note_sign_in
from linkwork.accounts.models import User
from linkwork.accounts.services import revoke_all_api_tokens
from linkwork.audit.services import record_event
from linkwork.middleware import LOGIN_TIME_KEY, SEEN_KEY


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    request.session[LOGIN_TIME_KEY] = request.session[SEEN_KEY] = time.time()
    note_sign_in(request, user)
    record_event(by=user, action="login", object_type="user", object_id=user.pk)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(by=user, action="logout", object_type="user", object_id=user.pk)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The attempted email is personal data and may be mistyped: it is not recorded.
    record_event(by=None, action="login_failed", object_type="user")


@receiver(post_save, sender=User)
def on_password_saved(sender, instance: User, created: bool, **kwargs) -> None:
    # set_password() keeps the new raw password in `_password` until the save that stores
    # it, and only then (Django's own rehash on sign-in clears it first): this is a change
    # or reset by the person, an administrator or `linkwork changepassword`, however made.
    if not created and getattr(instance, "_password", None) is not None:
        revoke_all_api_tokens(user=instance, reason="password_changed", by=None)
