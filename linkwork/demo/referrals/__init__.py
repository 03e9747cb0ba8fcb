"""Demo casework: a year of fictional referrals to the demo service, at every stage.

Every person is invented: names from small lists of made-up surnames, phone numbers in
Ofcom's drama range, NHS numbers in the 999 test range. Postcodes are real (places/data).

Each referral is a story played through the real services (`referrals.services`), so
audit events, follow-ups, notices and capacity checks are what real use makes. The
services stamp "now" and count due dates from it, so each step runs on a simulated
clock set to the day it happened: received dates, histories, response clocks and
review dates then agree with each other without rewriting rows afterwards. Stories run
in date order across all referrals, so the places groups fill and free follow the
calendar; a step that would fall after today is left for the future.

`people` makes up the people and their referrals, `stories` walks them through the
services, `world` holds what the stories share (actors, listings, the clock) and
`words` what everyone says.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from linkwork.demo.referrals.duplicates import load_demo_duplicates
from linkwork.demo.referrals.feedback import load_demo_feedback, withdraw_refused_connections
from linkwork.demo.referrals.people import cases
from linkwork.demo.referrals.stories import referral_story
from linkwork.demo.referrals.world import KEY_PREFIX, World
from linkwork.referrals.models import Referral


@transaction.atomic
def load_demo_referrals(*, seed: int = 2026) -> int:
    """About 300 fictional referrals to the demo service at every stage, and the
    feedback some people gave at closure; nothing new when they already exist. Returns
    how many referrals were created."""
    now = timezone.now()
    created = 0
    with _quietly():
        if not Referral.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
            world = World(now=now)
            for case in cases(seed=seed, now=world.now):
                world.spawn(referral_story(case, world))
            world.run()
            created = Referral.objects.filter(idempotency_key__startswith=KEY_PREFIX).count()
        # These find nothing to do on a second run.
        created += load_demo_duplicates()
        withdraw_refused_connections()
        load_demo_feedback(now=now, seed=seed)
    return created


@contextmanager
def _quietly() -> Iterator[None]:
    """The demo's history is not sent: notices go to Django's dummy email backend, and the
    notifications log does not claim they were sent."""
    log = logging.getLogger("linkwork.notifications.services")
    disabled, log.disabled = log.disabled, True
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            NOTIFICATIONS_BACKEND="email",
        ):
            yield
    finally:
        log.disabled = disabled
