from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "linkwork.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Imported in ready(): the app registry must load first (at import time it is a cycle).
        from linkwork.referrals import redaction

        redaction.install()
