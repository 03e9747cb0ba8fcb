from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "linkwork.operations"
    label = "operations"
    verbose_name = "Operations"
