"""Django's database sessions, with the one read on every signed-in request compiled once
(linkwork/statements.py) instead of built by the ORM each time: the same table, rows,
expiry and logging; only the Python that writes the SQL is saved (issue 19)."""

import logging
from datetime import UTC, datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone

from linkwork.statements import statement

PLACEHOLDER_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def _live_session_query(alias: str) -> QuerySet:
    from django.contrib.sessions.models import Session

    return Session.objects.db_manager(alias).filter(
        session_key="", expire_date__gt=PLACEHOLDER_TIME
    )


def _as_parameter(alias: str, moment: datetime) -> object:
    from django.contrib.sessions.models import Session

    return Session._meta.get_field("expire_date").get_db_prep_value(moment, connections[alias])


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):  # noqa: ANN202 (Django's signature)
        alias = router.db_for_read(self.model)
        try:
            # Django orders a filter's keywords by name: the expiry comes first.
            placeholders = (_as_parameter(alias, PLACEHOLDER_TIME), "")
            found = statement(_live_session_query, alias, placeholders).instances(
                [_as_parameter(alias, timezone.now()), self.session_key]
            )
        except SuspiciousOperation as error:  # as Django's own store handles it
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            found = []
        if not found:
            self._session_key = None
            return None
        return found[0]
