"""linkwork erase-person PERSON_ID --reason TEXT: anonymise a person everywhere."""

from django.core.management.base import BaseCommand, CommandError

from linkwork.errors import Conflict
from linkwork.privacy.erasure import erase_person
from linkwork.privacy.registry import person_model


class Command(BaseCommand):
    help = (
        "Erase the person PERSON_ID (UK GDPR article 17): their details and every free-text "
        "field about them are anonymised irreversibly in every table; de-identified counts "
        "and the audit trail of the erasure stay. --reason: why (a ticket number; no names)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("person_id", type=int)
        parser.add_argument("--reason", required=True)

    def handle(self, *args, person_id: int, reason: str, **options) -> None:
        person = person_model().objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person has the id {person_id}.")
        if not reason.strip():
            raise CommandError("--reason must say why (for example a request reference).")
        try:
            erasure = erase_person(person=person, reason=reason, by=None)
        except Conflict as error:
            raise CommandError(str(error)) from error
        rows = sum(erasure.counts.values())
        self.stdout.write(f"Person {person_id} erased: {rows} rows anonymised.")
