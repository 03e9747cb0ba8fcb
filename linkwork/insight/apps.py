from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "linkwork.insight"
    label = "insight"
    verbose_name = "Insight"
