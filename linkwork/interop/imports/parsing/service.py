"""One service record: its listing values, how to refer, contacts, costs, languages and
taxonomy terms."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from linkwork.directory.models import ReferralMethod, Vocabulary
from linkwork.interop.imports.parsing.places import _locations, _organisation
from linkwork.interop.imports.parsing.records import (
    IncomingContact,
    IncomingCost,
    IncomingService,
    IncomingTerm,
)
from linkwork.interop.imports.parsing.schedules import _schedules
from linkwork.interop.imports.parsing.values import (
    RecordRejected,
    _age,
    _blank,
    _first_phone,
    _is_obj,
    _objects,
    _optional_date,
    _shown,
    _unique,
    clip,
    text,
)
from linkwork.interop.openreferral import listing_facts

ARCHIVED_STATUSES = {"inactive", "defunct"}
STATUSES = {"active", "temporarily closed", *ARCHIVED_STATUSES}
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
REFERRAL_FORM = re.compile(r"Referral form: (https?://\S+)")


def record_id(record: Any, position: int) -> str:
    """How the report names a record: its id, or its place in the feed."""
    if isinstance(record, dict) and text(record.get("id")):
        return clip(text(record.get("id")), 100)
    return f"record {position}"


def parse_service(record: Any) -> IncomingService:
    """The listing this service record describes. Raises RecordRejected."""
    if not isinstance(record, dict):
        raise RecordRejected("a service must be a JSON object")
    source_id = text(record.get("id"))
    if not source_id:
        raise RecordRejected("id is required")
    name = text(record.get("name"))
    if not name:
        raise RecordRejected("name is required")
    description = text(record.get("description"))
    if not description:
        raise RecordRejected("description is required: a listing needs a sentence or two")
    status = text(record.get("status")).lower() or "active"
    if status not in STATUSES:
        raise RecordRejected(f"status {_shown(status)} is not one of {', '.join(sorted(STATUSES))}")
    cost_options = _unique(_cost_option(option) for option in _objects(record, "cost_options"))
    return IncomingService(
        source_id=source_id,
        values={
            **_asset_values(record, name, description, cost_options),
            **listing_facts.read(_objects(record, "attributes")),
        },
        archived=status in ARCHIVED_STATUSES,
        referral=_referral(record.get("application_process")),
        verified_on=_optional_date(record.get("assured_date"), "assured_date"),
        organisation=_organisation(record),
        locations=_locations(record),
        schedules=_schedules(record),
        contacts=_contacts(record.get("contacts")),
        cost_options=cost_options,
        terms=_terms(record),
    )


def _asset_values(
    record: dict, name: str, description: str, costs: list[IncomingCost]
) -> dict[str, Any]:
    minimum = _age(record.get("minimum_age"), "minimum_age")
    maximum = _age(record.get("maximum_age"), "maximum_age")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise RecordRejected(f"maximum_age {maximum} is below minimum_age {minimum}")
    values = {
        "name": name,
        "description": description,
        "url": text(record.get("url")),
        "email": text(record.get("email")),
        "minimum_age": minimum,
        "maximum_age": maximum,
        # Free unless some option costs money (or costs an amount the feed does not give).
        "is_free": all(cost.amount == 0 for cost in costs),
        "cost_description": clip(
            text(record.get("fees_description")) or text(record.get("fees")), 300
        ),
    }
    # The UK profile has no service phones or eligibility: a record without them leaves
    # the listing's own; one with them (HSDS 3.0, a data package) sets them, even to blank.
    if "phones" in record:
        values["phone"] = _first_phone(record.get("phones"))
    if "eligibility_description" in record:
        values["who_for"] = clip(text(record.get("eligibility_description")), 300)
    languages = _language_codes(record.get("languages"))
    if languages:
        values["language_codes"] = languages
    return values


def _referral(raw: Any) -> dict[str, str]:
    """Linkwork's own feed and exports say how to refer in application_process:
    "Phone first." or "Their own referral form. Referral form: https://...". Other
    feeds' words are left alone (the listing keeps its method)."""
    words = text(raw)
    for method in ReferralMethod:
        if words.lower() == method.value or words.lower().startswith(method.label.lower()):
            form = REFERRAL_FORM.search(words) if method == ReferralMethod.OWN_FORM else None
            return {"referral_method": method.value, "referral_form_url": form[1] if form else ""}
    return {}


# --- Contacts, costs, languages and terms -------------------------------------------


def _contacts(raw: Any) -> list[IncomingContact]:
    contacts = []
    for contact in raw if isinstance(raw, list) else []:
        if not _is_obj(contact):
            continue
        name = text(contact.get("name")) or text(contact.get("title")) or "Contact"
        contacts.append(
            IncomingContact(
                name=name,
                title=text(contact.get("title")),
                phone=_first_phone(contact.get("phones")),
                email=text(contact.get("email")),
            )
        )
    return _unique(contacts)


def _cost_option(option: dict) -> IncomingCost:
    label = clip(text(option.get("option")) or text(option.get("id")) or "cost option", 60)
    amount = None
    if not _blank(option.get("amount")):
        try:
            amount = Decimal(text(option.get("amount")))
            if not amount.is_finite():
                raise InvalidOperation
            amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
        except InvalidOperation:
            raise RecordRejected(
                f"cost option {label!r}: amount {_shown(option.get('amount'))} is not a number"
            ) from None
        if amount < 0:
            raise RecordRejected(f"cost option {label!r}: amount {amount} is negative")
        if amount >= 1_000_000:
            raise RecordRejected(f"cost option {label!r}: amount {amount} is too large")
    return IncomingCost(
        option=clip(text(option.get("option")), 200) or ("Free" if amount == 0 else "Cost"),
        amount=amount,
        amount_description=clip(text(option.get("amount_description")), 200),
    )


def _language_codes(raw: Any) -> str:
    codes = []
    for language in raw if isinstance(raw, list) else []:
        code = text(language.get("code")).lower() if _is_obj(language) else ""
        if LANGUAGE_CODE.match(code) and code not in codes:
            codes.append(code)
    return f",{','.join(codes)}," if codes else ""


def _terms(record: dict) -> list[IncomingTerm]:
    terms = []
    for attribute in _objects(record, "attributes"):
        if text(attribute.get("link_entity")) not in ("", "service"):
            continue
        if listing_facts.fact_of(attribute):  # read into the listing's own fields
            continue
        term = attribute.get("taxonomy_term") if _is_obj(attribute.get("taxonomy_term")) else {}
        detail = term.get("taxonomy_detail") if _is_obj(term.get("taxonomy_detail")) else {}
        link_type = text(attribute.get("link_type")).lower()
        incoming = IncomingTerm(
            id=text(term.get("id")) or text(attribute.get("taxonomy_term_id")),
            code=text(term.get("code")),
            name=text(term.get("name")) or text(term.get("term")),
            description=text(term.get("description")),
            taxonomy_id=text(detail.get("id")) or text(term.get("taxonomy_id")),
            taxonomy_name=text(detail.get("name")) or text(term.get("taxonomy")),
            taxonomy_description=text(detail.get("description")),
            taxonomy_uri=text(detail.get("uri")),
            taxonomy_version=text(detail.get("version")),
            vocabulary=link_type if link_type in Vocabulary.values else "",
        )
        if incoming.id or incoming.code or incoming.name:
            terms.append(incoming)
    return _unique(terms)
