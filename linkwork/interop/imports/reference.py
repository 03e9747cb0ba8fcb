"""What a service record points at: its organisation, taxonomy terms and postcodes.

One `Lookups` per import run caches them. Whatever a record adds to the cache is
dropped again if that record is rolled back, so a rejected record's organisation or
new term is never reused by the records after it.
"""

import re
import uuid
from dataclasses import replace
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.text import slugify

from linkwork.audit.services import record_event
from linkwork.directory.models import (
    Location,
    Organisation,
    OrganisationKind,
    Taxonomy,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.interop.imports.parsing import (
    IncomingLocation,
    IncomingOrganisation,
    IncomingTerm,
    RecordRejected,
)
from linkwork.places.models import Postcode

IMPORTED_ORGANISATION_KIND = OrganisationKind.VCFSE
ORGANISATION_FIELDS = ["name", "description", "email", "website", "registered_number"]
LOCATION_FIELDS = ["name", "address_1", "city", "postcode", "latitude", "longitude"]
LOCATION_FIELDS += ["accessibility_notes", "location_type", "url", "phone"]
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")


class Lookups:
    def __init__(self, *, source: str, by: AbstractBaseUser | None) -> None:
        self.source = source
        self.by = by
        self._cache: dict[tuple[str, str], Any] = {}
        self._pending: list[tuple[str, str]] = []
        self._new_terms: list[str] = []
        self._postcodes: dict[str, tuple[float, float, int | None] | None] = {}

    # The current record's additions: kept when it is saved, dropped when rolled back.
    def keep(self) -> None:
        self._pending.clear()

    def discard(self) -> None:
        for key in self._pending:
            self._cache.pop(key, None)
        self._pending.clear()
        self._new_terms.clear()

    def forget(self) -> None:
        """After a rolled-back batch (a dry run) nothing cached from the database is true."""
        self._cache.clear()
        self._pending.clear()

    def take_new_terms(self) -> list[str]:
        terms, self._new_terms = self._new_terms, []
        return terms

    def _remember(self, key: tuple[str, str], value: Any) -> None:
        if key not in self._cache:
            self._pending.append(key)
        self._cache[key] = value

    # --- Organisations ---------------------------------------------------------------

    def organisation(
        self, incoming: IncomingOrganisation | None
    ) -> tuple[Organisation | None, bool]:
        """The organisation (created or updated from the feed), and whether it changed."""
        if incoming is None:
            return None, False
        key = ("organisation", incoming.source_id)
        if key in self._cache:
            return self._cache[key], False
        organisation = (
            Organisation.objects.filter(source=self.source, source_id=incoming.source_id)
            .order_by("pk")
            .first()
        )
        changed = False
        if not incoming.name:
            if organisation is None:
                raise RecordRejected(
                    f"organization {incoming.source_id} is not described in the feed"
                )
        elif organisation is None:
            # An organisation of this name may already be in the directory (made here, or
            # by another feed): the listing joins it, and the import leaves it as it is.
            organisation = Organisation.objects.filter(
                name=incoming.name, kind=IMPORTED_ORGANISATION_KIND
            ).first()
            if organisation is None:
                organisation, changed = self._create_organisation(incoming), True
        else:
            changed = self._update_organisation(organisation, incoming)
        self._remember(key, organisation)
        return organisation, changed

    def _create_organisation(self, incoming: IncomingOrganisation) -> Organisation:
        organisation = Organisation(
            kind=IMPORTED_ORGANISATION_KIND,
            source=self.source,
            source_id=incoming.source_id,
            **{name: getattr(incoming, name) for name in ORGANISATION_FIELDS},
        )
        validate(organisation, exclude=["parent"], label=f"organization {incoming.source_id}")
        organisation.save()
        record_event(
            by=self.by,
            action="organisation_created",
            object_type="organisation",
            object_id=organisation.pk,
            summary=f"import source={self.source} kind={organisation.kind}",
        )
        return organisation

    def _update_organisation(self, organisation: Organisation, incoming) -> bool:
        changed = [
            n for n in ORGANISATION_FIELDS if getattr(organisation, n) != getattr(incoming, n)
        ]
        if not changed:
            return False
        clash = Organisation.objects.filter(name=incoming.name, kind=organisation.kind)
        if "name" in changed and clash.exclude(pk=organisation.pk).exists():
            raise RecordRejected(
                f"organization {incoming.source_id}: another organisation is already called "
                f"{incoming.name!r}"
            )
        for name in changed:
            setattr(organisation, name, getattr(incoming, name))
        validate(organisation, exclude=["parent"], label=f"organization {incoming.source_id}")
        organisation.save()
        record_event(
            by=self.by,
            action="organisation_updated",
            object_type="organisation",
            object_id=organisation.pk,
            summary=f"import source={self.source} fields={','.join(changed)}",
        )
        return True

    # --- Taxonomy terms --------------------------------------------------------------

    def term(self, incoming: IncomingTerm) -> TaxonomyTerm:
        """Ours when its id, code or name (any case) matches; otherwise a new term in a
        taxonomy named after the feed's, listed in the report so a curator can map it."""
        keys = [("term-id", incoming.id), ("term-code", incoming.code)]
        keys = [key for key in [*keys, ("term-name", incoming.name.lower())] if key[1]]
        for key in keys:
            if key in self._cache:
                return self._cache[key]
        term = _find_term(incoming) or self._create_term(incoming)
        for key in keys:
            self._remember(key, term)
        return term

    def _create_term(self, incoming: IncomingTerm) -> TaxonomyTerm:
        if not incoming.name:
            raise RecordRejected(
                f"taxonomy term {incoming.code or incoming.id!r} is not one Linkwork knows, "
                "and the feed does not give its name"
            )
        taxonomy = self._taxonomy(incoming)
        code = _free_term_code(incoming, taxonomy)
        term = TaxonomyTerm(
            taxonomy=taxonomy,
            code=code,
            name=incoming.name,
            description=incoming.description,
            vocabulary=incoming.vocabulary or _vocabulary(code, taxonomy),
        )
        if _is_uuid(incoming.id):
            term.uuid = incoming.id
        validate(term, exclude=["taxonomy", "parent"], label=f"taxonomy term {incoming.name!r}")
        term.save()
        record_event(
            by=self.by,
            action="taxonomy_term_created",
            object_type="taxonomy_term",
            object_id=code,
            summary=f"import source={self.source} taxonomy={taxonomy.code}",
        )
        self._new_terms.append(f"{code!r} ({incoming.name}) in taxonomy {taxonomy.code!r}")
        return term

    def _taxonomy(self, incoming: IncomingTerm) -> Taxonomy:
        name = (incoming.taxonomy_name or f"{self.source} taxonomy")[:200]
        code = slugify(name)[:64].strip("-") or "imported"
        key = ("taxonomy", incoming.taxonomy_id or name.lower())
        if key in self._cache:
            return self._cache[key]
        found = (
            Taxonomy.objects.filter(uuid=incoming.taxonomy_id).first()
            if _is_uuid(incoming.taxonomy_id)
            else None
        )
        taxonomy = (
            found
            or Taxonomy.objects.filter(name__iexact=name).order_by("pk").first()
            or Taxonomy.objects.filter(code=code).first()
            or self._create_taxonomy(incoming, name, code)
        )
        self._remember(key, taxonomy)
        return taxonomy

    def _create_taxonomy(self, incoming: IncomingTerm, name: str, code: str) -> Taxonomy:
        taxonomy = Taxonomy(
            code=code,
            name=name,
            description=incoming.taxonomy_description,
            uri=incoming.taxonomy_uri if _is_url(incoming.taxonomy_uri) else "",
            version=incoming.taxonomy_version[:32],
        )
        if _is_uuid(incoming.taxonomy_id):
            taxonomy.uuid = incoming.taxonomy_id
        validate(taxonomy, exclude=[], label=f"taxonomy {name!r}")
        taxonomy.save()
        record_event(
            by=self.by,
            action="taxonomy_created",
            object_type="taxonomy",
            object_id=code,
            summary=f"import source={self.source}",
        )
        return taxonomy

    # --- Locations and postcodes -----------------------------------------------------

    def location_id(self, incoming: IncomingLocation) -> int:
        """An identical stored location (many services in a feed meet at one venue), or a
        new one placed in its postcode's LSOA."""
        key = ("location", repr(incoming))
        if key in self._cache:
            return self._cache[key]
        values = {name: getattr(incoming, name) for name in LOCATION_FIELDS}
        matching = Location.objects.filter(
            **{name: value for name, value in values.items() if value is not None},
            **{f"{name}__isnull": True for name, value in values.items() if value is None},
        )
        found = matching.order_by("pk").values_list("pk", flat=True).first()
        if found is None:
            location = Location(area_id=self.area_id(incoming.postcode), **values)
            validate(location, exclude=["area"], label=f"location {incoming.name!r}")
            location.save()
            found = location.pk
        self._remember(key, found)
        return found

    def locate(self, location: IncomingLocation) -> IncomingLocation:
        """A location with no coordinates takes its postcode's, when we know the postcode."""
        if location.latitude is not None or not location.postcode:
            return location
        found = self._postcode(location.postcode)
        if found is None:
            return location
        return replace(location, latitude=found[0], longitude=found[1])

    def area_id(self, postcode: str) -> int | None:
        found = self._postcode(postcode) if postcode else None
        return found[2] if found else None

    def _postcode(self, postcode: str) -> tuple[float, float, int | None] | None:

        if postcode not in self._postcodes:
            self._postcodes[postcode] = (
                Postcode.objects.filter(postcode=postcode)
                .values_list("latitude", "longitude", "lsoa_id")
                .first()
            )
        return self._postcodes[postcode]


def _find_term(incoming: IncomingTerm) -> TaxonomyTerm | None:
    terms = TaxonomyTerm.objects.order_by("pk")
    return (
        (_is_uuid(incoming.id) and terms.filter(uuid=incoming.id).first())
        or (incoming.code and terms.filter(code=incoming.code).first())
        or (incoming.name and terms.filter(name__iexact=incoming.name).first())
        or None
    )


def _vocabulary(code: str, taxonomy: Taxonomy) -> str:
    """A need category, unless the term or its taxonomy is plainly about activities."""
    activity = code.startswith("activity") or "activit" in taxonomy.name.lower()
    return Vocabulary.ACTIVITY if activity else Vocabulary.NEED


def _free_term_code(incoming: IncomingTerm, taxonomy: Taxonomy) -> str:
    if SLUG.match(incoming.code):
        base = incoming.code
    else:
        base = slugify(incoming.code or f"{taxonomy.code}-{incoming.name}")[:60].strip("-")
    base = base or "term"
    code, number = base, 1
    while TaxonomyTerm.objects.filter(code=code).exists():
        number += 1
        code = f"{base[:60]}-{number}"
    return code


def _is_url(value: str) -> bool:
    try:
        URLValidator()(value)
    except ValidationError:
        return False
    return len(value) <= 200


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def validate(instance: models.Model, *, exclude: list[str], label: str = "") -> None:
    """The model's own field checks (lengths, email and web addresses) as a RecordRejected."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = [
            f"{name} {_short(getattr(instance, name, ''))}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
        raise RecordRejected((f"{label}: " if label else "") + "; ".join(problems)) from None


def _short(value: Any) -> str:
    value = str(value)
    return repr(value if len(value) <= 60 else value[:57] + "...")
