"""The message back to the GP record: queued when a referral ends (closed, declined or
returned), delivered to the referrer's subscriptions by `linkwork deliver-fhir`. A
referral the referrer revoked themselves sends no message back: they ended it."""

from linkwork.interop.fhir.models import ClosureMessage, ReceivedRequest
from linkwork.referrals import transitions as t


def on_referral_event(sender, instance, created: bool, **kwargs) -> None:
    if not created or not t.is_ended(instance.to_status):
        return

    revoked = ReceivedRequest.objects.filter(
        referral_id=instance.referral_id, revoked_at__isnull=False
    ).exists()
    if not revoked:
        ClosureMessage.objects.create(referral_id=instance.referral_id, event=instance.to_status)
