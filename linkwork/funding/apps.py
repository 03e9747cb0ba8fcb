from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "linkwork.funding"
    label = "funding"
    verbose_name = "Funding"
