from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linkwork.notifications"
    label = "notifications"
    verbose_name = "Notifications"
