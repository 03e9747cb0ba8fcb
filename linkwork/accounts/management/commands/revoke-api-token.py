"""linkwork revoke-api-token PREFIX: stop a token working."""

from django.core.management.base import BaseCommand, CommandError

from linkwork.accounts.models import ApiToken
from linkwork.accounts.services import revoke_api_token


class Command(BaseCommand):
    help = "Revoke the API token whose first characters are PREFIX (as printed at creation)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("prefix")

    def handle(self, *args, prefix: str, **options) -> None:
        matches = list(ApiToken.objects.filter(prefix=prefix.rstrip("…"), revoked_at__isnull=True))
        if not matches:
            raise CommandError(f"No active token starts with {prefix!r}.")
        if len(matches) > 1:
            raise CommandError(
                f"{len(matches)} tokens start with {prefix!r}; revoke them in the admin."
            )
        revoke_api_token(token=matches[0], by=None)
        self.stdout.write(f"Token {matches[0].prefix}… revoked.")
