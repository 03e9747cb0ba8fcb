from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "linkwork.interop.fhir"
    label = "fhir"
    verbose_name = "FHIR interface"

    def ready(self) -> None:
        # The message back to the GP record is queued from the referral's own history
        # (a ReferralEvent that ends it), so the casework services need no FHIR code.
        # Imported here, not at the top: models can be imported only once apps are ready.
        from django.db.models.signals import post_save

        from linkwork.interop.fhir import outbox
        from linkwork.referrals.models import ReferralEvent

        post_save.connect(
            outbox.on_referral_event, sender=ReferralEvent, dispatch_uid="fhir-outbox"
        )
