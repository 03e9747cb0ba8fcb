from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "linkwork.privacy"
    label = "privacy"
    verbose_name = "Data rights"
