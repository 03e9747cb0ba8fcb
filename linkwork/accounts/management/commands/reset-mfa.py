"""linkwork reset-mfa EMAIL: remove a user's authenticator and recovery codes."""

from django.core.management.base import BaseCommand, CommandError

from linkwork.accounts.mfa import reset_mfa
from linkwork.accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove the two-factor authenticator and recovery codes of the user with EMAIL "
        "(a lost phone: check who they are first). They set up a new one at next sign-in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user has the email {email!r}.")
        reset_mfa(user=user, by=None)
        self.stdout.write(f"Two-factor sign-in reset for user {user.pk}.")
