from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """The database cache's table (settings.CACHES: the shared rate limits), made by every
    `migrate` and by the tests' database set-up, so nothing else has to remember
    `createcachetable`. It is idempotent, and does nothing when Redis is the cache."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "linkwork.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported in ready(): the app registry must load first (at import time it is a cycle).
        from linkwork.accounts import checks, signals  # noqa: F401

        post_migrate.connect(create_cache_table, sender=self)
