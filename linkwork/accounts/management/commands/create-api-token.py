"""linkwork create-api-token EMAIL: print a new API token once; only its hash is stored."""

from django.core.management.base import BaseCommand, CommandError

from linkwork.accounts.models import User
from linkwork.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a user and print it once. Only a hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="A label to tell tokens apart.")

    def handle(self, *args, email: str, name: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email address {email!r}.")
        token, raw = create_api_token(user=user, name=name, by=None)
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… created. It is shown only now: store it safely. "
            f"Revoke it with: linkwork revoke-api-token {token.prefix}"
        )
