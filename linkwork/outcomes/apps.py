from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "linkwork.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        # A bad instrument definition stops start-up rather than mis-scoring someone later.
        # Questionnaire tokens are kept out of the logs by referrals/redaction.py.
        # Imported in ready(): the app registry must load first (at import time it is a cycle).
        from linkwork.outcomes.instruments import all_instruments

        all_instruments()
