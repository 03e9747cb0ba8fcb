"""The person's own copy of their social prescription, from one connection: the offer
in plain words (directory/offer.py) with who to call, as a printable A4 page, and sent
to the person by email or text message when they agreed to that channel.

The message goes to the person themself: that is its purpose, so it carries the offer.
It never carries why they were referred, and nothing of it reaches the logs or the
audit trail: the audit records that it was sent, by which channel, and nothing else.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from linkwork.audit.services import record_event
from linkwork.directory.offer import Offer, offer_for
from linkwork.directory.selectors import asset_with_details
from linkwork.errors import InvalidInput
from linkwork.i18n import language_for
from linkwork.notifications.adapters import current_sms_adapter
from linkwork.notifications.models import TextKind
from linkwork.notifications.services import send
from linkwork.notifications.texts import send_text
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, ContactMethod, Referral

EMAIL, TEXT = ContactMethod.EMAIL.value, ContactMethod.TEXT.value
CHANNEL_NAMES = {EMAIL: "email", TEXT: "text message"}
# Connections the person can still act on: proposed (to take along), sent, accepted,
# on the waiting list, or going.
GIVEN_FOR = (t.PROPOSED, t.SENT, t.ACCEPTED, t.WAITLISTED, t.ATTENDED_FIRST, t.ATTENDING)


@dataclass
class Channel:
    code: str
    name: str
    address: str  # shown to the link worker, partly hidden
    problem: str  # why it cannot be used, or ""


@dataclass
class Prescription:
    connection: Connection
    offer: Offer
    first_session: str
    accompanied: bool
    link_worker: str
    service: str
    service_email: str


def prescription_for(connection: Connection) -> Prescription:
    """What the page and the messages say (the caller has checked who may see it)."""
    referral = connection.referral
    worker = referral.assigned_to
    return Prescription(
        connection=connection,
        offer=offer_for(asset_with_details(connection.asset_id)),
        first_session=connection.proposed_first_session,
        accompanied=connection.accompanied,
        link_worker=(worker.full_name or "") if worker else "",
        service=referral.service.name,
        service_email=referral.service.email,
    )


def _hidden(address: str) -> str:
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}•••@{domain}"
    digits = [c for c in address if c.isdigit()]
    return f"••••• ••{''.join(digits[-4:])}" if digits else ""


def channels(referral: Referral) -> list[Channel]:
    """Email and text message, each usable only with the person's agreement to be
    contacted that way and an address to use."""
    agreed = set(referral.consent_contact_methods.split(","))
    person = referral.person
    email_problem = (
        "They have not agreed to be contacted by email."
        if EMAIL not in agreed
        else "There is no email address in their record."
        if not person.email
        else ""
    )
    text_problem = (
        "They have not agreed to be contacted by text message."
        if TEXT not in agreed
        else "There is no mobile number in their record."
        if not person.phone
        else "Text messages are not set up for this service."
        if current_sms_adapter() is None
        else ""
    )
    return [
        Channel(EMAIL, "Email", _hidden(person.email), email_problem),
        Channel(TEXT, "Text message", _hidden(person.phone), text_problem),
    ]


def text_channel(referral: Referral) -> Channel:
    """The text-message channel to the person, with why it cannot be used (or "")."""
    return channels(referral)[1]


@dataclass
class EasyReadPart:
    picture: str  # a file in static/img/easy-read/ (OpenMoji, CC BY-SA 4.0)
    lines: list[str]  # short sentences, one idea a line


def _first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].strip().rstrip(".")
    return f"{sentence}." if sentence else ""


def easy_read(prescription: Prescription) -> list[EasyReadPart]:
    """The offer in easy read: one picture and a few short lines for each idea (what,
    when, where, cost, who says hello, who to call). Only what the standard copy says.
    In the active language (the view makes it the person's)."""
    offer = prescription.offer
    name = {"name": offer.name}
    parts = [EasyReadPart("what", [_("This is %(name)s.") % name, _first_sentence(offer.what)])]
    when = (
        [_("Your first time is %(when)s.") % {"when": prescription.first_session}]
        if prescription.first_session
        else []
    )
    when += [
        _("It is on %(date)s.") % {"date": date} for date in offer.next_dates[: 1 if when else 2]
    ]
    parts.append(EasyReadPart("when", when or [_("Ask %(name)s when it is on.") % name]))
    if offer.where:
        parts.append(EasyReadPart("where", [_("It is at:"), *offer.where]))
    if offer.online:
        parts.append(EasyReadPart("online", [_first_sentence(offer.online)]))
    if offer.travel:
        parts.append(EasyReadPart("travel", [_first_sentence(offer.travel)]))
    cost = offer.cost[0] if offer.cost else ""
    parts.append(
        EasyReadPart(
            "cost",
            [_("It is free.")]
            if cost == _("Free")
            else [_("It costs %(cost)s.") % {"cost": f"{cost[:1].lower()}{cost[1:]}"}]
            if cost
            else [_("Ask %(name)s if it costs money.") % name],
        )
    )
    if offer.welcome:
        parts.append(
            EasyReadPart("welcome", [_("%(who)s will say hello.") % {"who": offer.welcome}])
        )
    if prescription.accompanied:
        parts.append(EasyReadPart("welcome", [_("Someone will go with you.")]))
    call = (
        [_("Call %(name)s on %(phone)s.") % {"name": offer.name, "phone": offer.phone}]
        if offer.phone
        else []
    )
    worker = prescription.link_worker or _("your link worker")
    call.append(
        _("Or talk to %(worker)s at %(service)s.")
        % {"worker": worker, "service": prescription.service}
    )
    parts.append(EasyReadPart("call", [_("Any questions?"), *call]))
    parts.append(
        EasyReadPart(
            "help",
            [
                _("Not right for you?"),
                _("Tell your link worker."),
                _("There are other things to try."),
            ],
        )
    )
    return [EasyReadPart(p.picture, [line for line in p.lines if line]) for p in parts]


def email_body(prescription: Prescription) -> str:
    """The copy by email, in the active language (the person's when it is sent)."""
    offer = prescription.offer
    parts = [
        _("Your social prescription: %(name)s") % {"name": offer.name},
        _("What it is") + f"\n{offer.what}",
    ]
    if offer.where:
        parts.append(
            _("Where")
            + "\n"
            + "\n".join(offer.where)
            + (("\n" + _("Map: %(url)s") % {"url": offer.map_url}) if offer.map_url else "")
        )
    if offer.online:
        parts.append(offer.online)
    headed = [
        (_("Your first session"), prescription.first_session),
        (_("Next dates"), "\n".join(offer.next_dates)),
        (_("Cost"), "\n".join(offer.cost)),
        (_("How long it runs"), offer.duration),
        (_("What to expect"), offer.first_visit),
        (_("Who will welcome you"), offer.welcome),
        (_("Getting there"), offer.travel),
        (_("Who to call"), "\n".join(_who_to_call(prescription))),
    ]
    parts += [f"{heading}\n{words}" for heading, words in headed if words]
    return "\n\n".join(parts)


def _who_to_call(prescription: Prescription) -> list[str]:
    offer = prescription.offer
    lines = []
    if offer.phone or offer.email:
        reach = _(" or ").join(x for x in (offer.phone, offer.email) if x)
        lines.append(f"{offer.name}: {reach}")
    worker = f"{prescription.link_worker}, " if prescription.link_worker else ""
    service = _("Your link worker: %(who)s") % {"who": f"{worker}{prescription.service}"}
    lines.append(
        service + (f", {prescription.service_email}" if prescription.service_email else "")
    )
    return lines


def text_body(prescription: Prescription) -> str:
    """Short enough for a few text messages: what, when, where, cost, who to call. In
    the active language (the person's when it is sent)."""
    offer = prescription.offer
    parts = [_("Your social prescription: %(name)s.") % {"name": offer.name}]
    when = prescription.first_session or (offer.next_dates[0] if offer.next_dates else "")
    if when:
        parts.append(_("Next: %(when)s.") % {"when": when})
    if offer.where:
        parts.append(_("Where: %(place)s.") % {"place": ", ".join(offer.where)})
    elif offer.online:
        parts.append(offer.online + ".")
    if offer.cost:
        parts.append(_("Cost: %(cost)s.") % {"cost": offer.cost[0]})
    if offer.welcome:
        parts.append(_("%(who)s will welcome you.") % {"who": offer.welcome})
    if offer.phone:
        parts.append(_("Questions? Call %(phone)s.") % {"phone": offer.phone})
    return " ".join(parts)


@transaction.atomic
def send_prescription(*, connection: Connection, channel: str, by: AbstractBaseUser) -> str:
    """Send the person their social prescription by `channel` (email or text), only
    when they agreed to it and have an address; returns the channel's name. Audited
    without the message or the address."""
    found = {c.code: c for c in channels(connection.referral)}.get(channel)
    if found is None:
        raise InvalidInput({"channel": "Choose email or text message."})
    if found.problem:
        raise InvalidInput({"channel": found.problem})
    if connection.status not in GIVEN_FOR:
        raise InvalidInput({"channel": "This connection has ended: there is nothing to send."})
    person = connection.referral.person
    # In the person's language (Welsh when they chose it), dates included.
    with translation.override(language_for(person)):
        prescription = prescription_for(connection)
        if channel == EMAIL:
            send(
                to=[person.email],
                subject=_("Your social prescription"),
                body=email_body(prescription),
            )
        else:
            # One message; Notify splits long texts itself. Recorded (without its words)
            # so that a failed delivery shows on the case page.
            send_text(
                kind=TextKind.PRESCRIPTION,
                to=person.phone,
                body=text_body(prescription),
                fields={"first_name": person.given_name},
                referral=connection.referral,
                person=person,
            )
    record_event(
        by=by,
        action="social_prescription_sent",
        object_type="connection",
        object_id=connection.pk,
        summary=f"channel={channel}",
    )
    return CHANNEL_NAMES[channel]
