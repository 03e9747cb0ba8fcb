from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linkwork.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from linkwork.accounts import signals  # noqa: F401
