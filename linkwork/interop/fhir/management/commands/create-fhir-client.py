"""linkwork create-fhir-client ORGANISATION_ID NAME [--scope ...]: an integration client
(a GP system, a trust's engine) for one organisation; prints its bearer token once."""

from django.core.management.base import BaseCommand, CommandError

from linkwork.directory.models import Organisation
from linkwork.errors import InvalidInput
from linkwork.interop.fhir.models import REFERRER_SCOPES, SCOPES
from linkwork.interop.fhir.oauth import new_secret
from linkwork.interop.fhir.services import create_client


class Command(BaseCommand):
    help = "Create a FHIR integration client for an organisation and print its token once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("organisation", help="The organisation's id or uuid.")
        parser.add_argument("name", help="What the client is, e.g. 'EMIS Web at Brook Surgery'.")
        parser.add_argument(
            "--scope",
            action="append",
            choices=SCOPES,
            dest="scopes",
            help=f"Repeat for each scope (default: {' '.join(REFERRER_SCOPES)}).",
        )
        parser.add_argument(
            "--oauth",
            action="store_true",
            help="Also print an OAuth2 client id and secret (POST /fhir/token).",
        )

    def handle(self, *args, organisation: str, name: str, scopes, oauth: bool, **options) -> None:
        lookup = {"pk": int(organisation)} if organisation.isdigit() else {"uuid": organisation}
        try:
            found = Organisation.objects.get(**lookup)
        except (Organisation.DoesNotExist, ValueError) as error:
            raise CommandError(f"No organisation {organisation!r}.") from error
        try:
            client, raw = create_client(
                organisation=found, name=name, scopes=scopes or list(REFERRER_SCOPES), by=None
            )
        except InvalidInput as error:
            raise CommandError(str(error)) from error
        self.stdout.write(raw)
        if oauth:
            secret = new_secret(client=client, by=None)
            self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}")
        self.stderr.write(
            f"Client {client.pk} for {found.name} with {', '.join(client.scopes)}. The token "
            "is shown only now: send it as Authorization: Bearer <token> to /fhir/."
        )
