"""Login and logout leave an audit trail and start the absolute session clock."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from linkwork.audit.services import record_event
from linkwork.middleware import LOGIN_TIME_KEY


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    request.session[LOGIN_TIME_KEY] = time.time()
    record_event(by=user, action="login", object_type="user", object_id=user.pk)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(by=user, action="logout", object_type="user", object_id=user.pk)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The attempted email is personal data and may be mistyped: it is not recorded.
    record_event(by=None, action="login_failed", object_type="user")
