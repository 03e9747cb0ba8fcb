"""People and new referrals: who the person is (never silently merged), which service
receives them, and the flags a link worker sees before accepting.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.directory.models import (
    Organisation,
    OrganisationKind,
)
from linkwork.directory.services import terms_for_codes
from linkwork.errors import InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation, site_link
from linkwork.places.selectors import (
    InvalidPostcode,
    UnknownPostcode,
    area_ids_containing,
    postcode_point,
)
from linkwork.referrals import transitions as t
from linkwork.referrals.calendar import add_working_days
from linkwork.referrals.matching import same_person
from linkwork.referrals.models import (
    Person,
    Referral,
    ReferralEvent,
    Source,
    Urgency,
)
from linkwork.referrals.people import normalise_nhs_number, person_errors
from linkwork.referrals.services._common import _actor, _audit
from linkwork.validation import format_phone

PERSON_FIELDS = {
    "given_name",
    "family_name",
    "birth_date",
    "postcode",
    "nhs_number",
    "phone",
    "email",
    "preferred_contact_method",
    "contact_times",
    "language",
    "interpreter_needed",
    "access_needs",
    "sex",
    "ethnicity",
    "gp_practice",
}


# --- People --------------------------------------------------------------------------


def _person_values(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Validated person fields and their LSOA; 422 naming each bad field."""

    data = dict(data)
    if isinstance(data.get("birth_date"), str):
        try:
            data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
        except ValueError:
            data["birth_date"] = None
    unknown = set(data) - PERSON_FIELDS
    errors = {f"person.{field}": "Not a field of a person." for field in sorted(unknown)}
    errors |= {f"person.{k}": v for k, v in person_errors(data).items()}
    area = None
    try:
        postcode, _, area = postcode_point(str(data.get("postcode") or ""))
    except (InvalidPostcode, UnknownPostcode) as error:
        errors["person.postcode"] = str(error)
        postcode = ""
    if errors:
        raise InvalidInput(errors)
    values = {
        key: value.strip() if isinstance(value, str) else value for key, value in data.items()
    }
    values["postcode"] = postcode
    if values.get("phone"):
        values["phone"] = format_phone(values["phone"])
    if values.get("nhs_number"):
        values["nhs_number"] = normalise_nhs_number(values["nhs_number"])
    return values, area


def resolve_person(*, data: dict[str, Any], by: AbstractBaseUser | None) -> tuple[Person, bool]:
    """The person these details describe: the record with the same NHS number, else a new
    record (hazard H1: a matching name and birth date alone never joins a record; the
    link worker sees it as a possible duplicate). Returns (person, created)."""
    values, area = _person_values(data)
    return _resolve(values, area, by=by)


def _resolve(values: dict[str, Any], area, *, by) -> tuple[Person, bool]:
    existing = same_person(values.get("nhs_number", ""))
    if existing is not None:
        return existing, False
    person = Person.objects.create(area=area, **values)
    _audit(by, "person_created", "person", person.pk)
    return person, True


def _as_given(values: dict[str, Any]) -> dict[str, Any]:
    """The person's details as a referral gave them, kept with it so that none is lost
    when they differ from the record."""
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in values.items()
        if value not in ("", None)
    }


# --- Referrals -----------------------------------------------------------------------


def receiving_service(*, referrer_organisation: Organisation | None) -> Organisation:
    """The social prescribing service a referral goes to: the one in the referrer's
    primary care network, else the deployment's only service."""
    services = Organisation.objects.filter(kind="sp_service")
    if referrer_organisation is not None and referrer_organisation.parent_id:
        local = services.filter(parent_id=referrer_organisation.parent_id).first()
        if local:
            return local
    if services.count() == 1:
        return services.get()
    raise InvalidInput({"service_id": "Say which social prescribing service to refer to."})


def eligibility_flags(*, person: Person, service: Organisation, referrer_organisation) -> list:
    """The service's rules this referral breaks, for triage to see (it is still received)."""
    criteria = getattr(service, "referral_criteria", None)
    if criteria is None:
        return []
    flags = []
    age = _age(person.birth_date)
    if criteria.minimum_age is not None and age < criteria.minimum_age:
        flags.append(f"Under the service's minimum age of {criteria.minimum_age}.")
    if criteria.maximum_age is not None and age > criteria.maximum_age:
        flags.append(f"Over the service's maximum age of {criteria.maximum_age}.")
    areas = set(criteria.areas.values_list("pk", flat=True))
    if areas and not _area_within(person.area, areas):
        flags.append("Lives outside the area the service covers.")
    practices = set(criteria.registered_practices.values_list("pk", flat=True))
    if practices and (referrer_organisation is None or referrer_organisation.pk not in practices):
        flags.append("Not referred by one of the service's registered practices.")
    return flags


def _age(birth_date: dt.date) -> int:
    today = timezone.localdate()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _area_within(area, area_ids: set[int]) -> bool:
    # The LSOA, its parents and its neighbourhood (neighbourhoods are LSOA memberships).

    return bool(area_ids_containing(area) & area_ids)


@transaction.atomic
def create_referral(
    *,
    person: dict[str, Any],
    source: str,
    reasons: Iterable[str],
    consent_to_refer: bool,
    share_with_groups: bool = False,
    contact_methods: Iterable[str] = (),
    urgency: str = Urgency.ROUTINE,
    notes: str = "",
    service: Organisation | None = None,
    referrer_organisation: Organisation | None = None,
    idempotency_key: str = "",
    by: AbstractBaseUser | None,
) -> Referral:
    """A new referral, status received. Consent to refer is required; a repeated
    submission with the same idempotency key returns the first referral."""
    if idempotency_key:
        earlier = Referral.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    errors = {}
    if source not in Source.values:
        errors["source"] = f"Must be one of {', '.join(Source.values)}."
    if urgency not in Urgency.values:
        errors["urgency"] = f"Must be one of {', '.join(Urgency.values)}."
    if not consent_to_refer:
        errors["consent.to_refer"] = "The person must agree to be referred."
    reasons = list(reasons)
    if not reasons:
        errors["reasons"] = "Give at least one reason for the referral."
    if errors:
        raise InvalidInput(errors)
    terms = terms_for_codes(reasons, field_name="reasons")
    if any(term.vocabulary != "need" for term in terms):
        raise InvalidInput({"reasons": "Reasons are need categories (codes starting need-)."})
    service = service or receiving_service(referrer_organisation=referrer_organisation)
    if (
        referrer_organisation is not None
        and referrer_organisation.kind == OrganisationKind.GP_PRACTICE
        and not person.get("gp_practice")
    ):
        # A practice refers its own registered patients.
        person = {**person, "gp_practice": referrer_organisation.name}
    values, area = _person_values(person)
    subject, _ = _resolve(values, area, by=by)
    now = timezone.now()
    try:
        # A savepoint: a simultaneous submission with the same key loses the race to the
        # unique index, and gets the referral that won it.
        with transaction.atomic():
            referral = Referral.objects.create(
                person=subject,
                service=service,
                source=source,
                referrer=by if by is not None and by.is_authenticated else None,
                referrer_organisation=referrer_organisation,
                urgency=urgency,
                notes=notes.strip(),
                consent_to_refer=True,
                consent_share_with_groups=bool(share_with_groups),
                consent_contact_methods=",".join(contact_methods),
                consent_recorded_by=by if by is not None and by.is_authenticated else None,
                consent_recorded_at=now,
                eligibility_flags=eligibility_flags(
                    person=subject, service=service, referrer_organisation=referrer_organisation
                ),
                first_contact_due=add_working_days(
                    timezone.localdate(), settings.FIRST_CONTACT_WORKING_DAYS
                ),
                idempotency_key=idempotency_key,
                person_details=_as_given(values),
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return Referral.objects.get(idempotency_key=idempotency_key)
    referral.reasons.set(terms)
    ReferralEvent.objects.create(referral=referral, to_status=t.RECEIVED, by=_actor(by))
    _audit(by, "referral_created", "referral", referral.pk, f"source={source} service={service.pk}")
    notify_organisation(
        organisation=service,
        role=Role.LINK_WORKER,
        # An urgent referral is a safety matter: always sent at once, whatever the choice.
        kind=Kind.SAFETY if referral.urgency == Urgency.URGENT else Kind.NEW_REFERRAL,
        subject=f"A new referral has arrived: {referral.reference}",
        body=(
            f"Referral {referral.reference} is waiting in the referral queue.\n\n"
            f"See the queue: {site_link('triage-queue')}"
        ),
    )
    return referral
