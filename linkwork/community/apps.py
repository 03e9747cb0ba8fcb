from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "linkwork.community"
    label = "community"
    verbose_name = "Community"
