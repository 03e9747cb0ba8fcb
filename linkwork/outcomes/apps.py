from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "linkwork.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        # A bad instrument definition stops start-up rather than mis-scoring someone later.
        from linkwork.outcomes import redaction
        from linkwork.outcomes.instruments import all_instruments

        all_instruments()
        redaction.install()
