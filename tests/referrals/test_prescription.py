"""The person's own copy of their social prescription: a printable page from a
connection, sent by email or text only when they agreed to that channel, audited
without its content, and never in the logs."""

import datetime as dt
import logging
import re

import pytest
from django.core import mail

from linkwork.audit.models import AuditEvent
from linkwork.directory.listing_edit import update_listing
from linkwork.notifications import adapters
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Person, Referral
from tests.referrals.test_group_pages import connect

pytestmark = pytest.mark.django_db


def page_url(c) -> str:
    return f"/casework/referrals/{c.referral_id}/connections/{c.pk}/prescription/"


@pytest.fixture
def first_friday(world):
    """The walk as a group member would set it up: first Friday, 10 to 12, £2, taster."""
    update_listing(
        asset=world.walk,
        by=None,
        description="A gentle walk around the park, with tea after.",
        duration="Ongoing",
        first_visit="Meet Jo at the gate; she walks with you the first time.",
        welcome_contact_name="Jo (walk leader)",
        travel_notes="The 501 bus stops at the gate.",
        taster_session=True,
        phone="01632 960101",
        email="walks@example.org",
        schedules=[{"freq": "MONTHLY", "byday": "1FR", "opens_at": "10:00", "closes_at": "12:00"}],
        cost_options=[{"amount": "2.00", "currency": "GBP", "option": "Per session"}],
    )
    return world


@pytest.fixture(autouse=True)
def sms(settings):
    settings.SMS_BACKEND = "locmem"
    adapters.sms_outbox.clear()
    return adapters.sms_outbox


def agree(connection, methods: str, *, phone="07700 900123", email="pat@example.org"):
    Referral.objects.filter(pk=connection.referral_id).update(consent_contact_methods=methods)
    Person.objects.filter(referrals=connection.referral_id).update(phone=phone, email=email)
    mail.outbox.clear()  # the messages about the referral itself


def test_the_page_says_everything_a_person_needs_to_go(first_friday):
    world = first_friday
    connection = connect(world)
    html = world.link_worker.get(page_url(connection)).content.decode()
    assert "Your social prescription" in html and "Health walk" in html
    assert "A gentle walk around the park" in html
    assert "£2 per session" in html
    assert "Ongoing" in html
    assert "Meet Jo at the gate" in html and "Jo (walk leader)" in html
    assert "The 501 bus" in html
    assert "taster session" in html
    assert "openstreetmap.org/?mlat=" in html
    assert 'href="tel:01632960101"' in html
    assert "Community Links" in html  # the link worker's service: who to call
    assert "First Friday of the month" in html
    # The next three dates, each a Friday in the first week of its month.
    dates = html.split("The next dates:")[1].split("</ul>")[0].count("<li>")
    assert dates == 3 and html.count("Friday ") >= 3
    # Nothing about why they were referred.
    for words in ("Recently bereaved", "Holden", "943 476 5919", "walking stick"):
        assert words not in html
    # Laid out for print: the controls are hidden on paper, the print script is there.
    assert "linkwork-no-print" in html and "print.js" in html
    assert "linkwork-prescription" in html


def test_the_case_page_links_to_it(world):
    connection = connect(world)
    html = world.link_worker.get(f"/casework/referrals/{connection.referral_id}/").content.decode()
    assert page_url(connection) in html


def test_sent_by_text_only_when_agreed_and_audited_without_content(first_friday, sms, caplog):
    world = first_friday
    connection = connect(world)
    agree(connection, "phone,text")
    caplog.set_level(logging.DEBUG)
    response = world.link_worker.post(page_url(connection) + "send/", {"channel": "text"})
    assert response.status_code == 302
    (text,) = sms
    assert text["to"] == "07700 900123"
    assert text["body"].startswith("Your social prescription: Health walk.")
    assert "£2 per session" in text["body"] and "Call 01632 960101" in text["body"]
    assert "Friday" in text["body"]
    assert not mail.outbox
    event = AuditEvent.objects.get(action="social_prescription_sent")
    assert (event.object_type, event.object_id, event.summary) == (
        "connection",
        str(connection.pk),
        "channel=text",
    )
    logged = caplog.text
    for secret in ("07700 900123", "Health walk", "Pat", "gentle walk"):
        assert secret not in logged
        assert secret not in event.summary


def test_sent_by_email_to_the_person_themself(first_friday):
    world = first_friday
    connection = connect(world)
    agree(connection, "email")
    world.link_worker.post(page_url(connection) + "send/", {"channel": "email"})
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "Your social prescription"  # no group named in an inbox list
    assert "Who will welcome you\nJo (walk leader)" in message.body
    assert "Map: https://www.openstreetmap.org/" in message.body
    assert "Recently bereaved" not in message.body


@pytest.mark.parametrize(
    ("methods", "phone", "channel", "problem"),
    [
        ("phone", "07700 900123", "text", "not agreed to be contacted by text message"),
        ("text", "", "text", "no mobile number"),
        ("phone", "07700 900123", "email", "not agreed to be contacted by email"),
        ("text", "07700 900123", "fax", "Select a valid choice"),
    ],
)
def test_refused_without_consent_or_address_nothing_sent(
    first_friday, sms, methods, phone, channel, problem
):
    world = first_friday
    connection = connect(world)
    agree(connection, methods, phone=phone)
    response = world.link_worker.post(page_url(connection) + "send/", {"channel": channel})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not sms and not mail.outbox
    assert not AuditEvent.objects.filter(action="social_prescription_sent").exists()


def test_no_text_option_where_text_messages_are_not_set_up(first_friday, settings):
    settings.SMS_BACKEND = ""
    world = first_friday
    connection = connect(world)
    agree(connection, "text")
    html = world.link_worker.get(page_url(connection)).content.decode()
    assert "Text messages are not set up" in html
    response = world.link_worker.post(page_url(connection) + "send/", {"channel": "text"})
    assert "Text messages are not set up" in response.content.decode()


def test_an_ended_connection_is_not_sent(first_friday, sms):
    world = first_friday
    connection = connect(world)
    agree(connection, "text")
    Connection.objects.filter(pk=connection.pk).update(status=t.DECLINED)
    response = world.link_worker.post(page_url(connection) + "send/", {"channel": "text"})
    assert "has ended" in response.content.decode() and not sms


def test_only_the_persons_own_service_sees_it(world):
    connection = connect(world)
    assert world.other_link_worker.get(page_url(connection)).status_code == 404
    assert world.group.get(page_url(connection)).status_code == 403
    wrong = f"/casework/referrals/{connection.referral_id}/connections/999999/prescription/"
    assert world.link_worker.get(wrong).status_code == 404


def test_a_listing_with_no_sessions_or_place_still_reads_right(world):
    world.walk.schedules.all().delete()
    world.walk.asset_locations.all().delete()
    connection = connect(world)
    html = world.link_worker.get(page_url(connection)).content.decode()
    assert "Ask Health walk where to go" in html
    assert dt.date.today().year > 2000  # the page rendered without dates


def test_the_easy_read_copy_says_it_in_short_lines_with_credited_pictures(first_friday):
    world = first_friday
    connection = connect(world)
    standard = world.link_worker.get(page_url(connection)).content.decode()
    assert "?format=easy-read" in standard
    response = world.link_worker.get(page_url(connection) + "?format=easy-read")
    assert response.status_code == 200
    html = response.content.decode()
    lines = re.findall(r'<p class="nhsuk-body-l">([^<]+)</p>', html)
    assert "This is Health walk." in lines and "It costs £2 per session." in lines
    assert "Jo (walk leader) will say hello." in lines
    assert "Call Health walk on 01632 960101." in lines
    assert any(line.startswith("It is on Friday ") for line in lines)
    # Short sentences, one idea a line.
    assert all(len(line.split()) <= 15 for line in lines), lines
    for picture in ("what", "when", "where", "cost", "welcome", "call"):
        assert f"/static/linkwork/img/easy-read/{picture}.svg" in html
    assert 'alt=""' in html  # decorative: the words carry the meaning
    assert "Pictures: OpenMoji, CC BY-SA 4.0" in html
    for words in ("Recently bereaved", "Holden", "943 476 5919", "walking stick"):
        assert words not in html


def test_every_easy_read_picture_is_shipped_and_credited():
    from pathlib import Path

    import linkwork

    folder = Path(linkwork.__file__).parent / "static" / "img" / "easy-read"
    credits = (folder / "CREDITS.md").read_text()
    assert "CC BY-SA 4.0" in credits
    for picture in folder.glob("*.svg"):
        assert picture.name in credits
