"""Messages to a person in their language (issue 18): Welsh when they chose Welsh
(a self-referral made in Welsh starts with it chosen), else English; the link worker's
pages stay in theirs."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from linkwork.referrals import services
from linkwork.referrals.models import Referral
from tests.referrals.test_group_pages import accepted, connect
from tests.referrals.test_person_feedback import EMAIL, close, in_progress
from tests.referrals.test_prescription import agree, first_friday, page_url  # noqa: F401
from tests.referrals.test_self_referral import FORM, service  # noqa: F401 (fixture)
from tests.referrals.test_session_reminders import reminder_url, walk_tomorrow  # noqa: F401
from tests.referrals.test_text_messages import texted_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def speaks(referral: Referral, language: str) -> None:
    referral.person.language = language
    referral.person.save(update_fields=["language"])


def test_a_welsh_speaker_is_emailed_the_feedback_link_in_welsh(world, mailoutbox):
    referral = in_progress(world)
    speaks(referral, "cy")
    close(world, referral)
    (message,) = [m for m in mailoutbox if m.to == [EMAIL]]
    assert message.subject == "Pa mor ddefnyddiol oedd y cymorth gan Community Links?"
    assert "Mae'r ddolen yn gweithio unwaith, tan" in message.body
    assert re.search(r"/feedback/[\w-]+/", message.body)
    assert "How helpful" not in message.body
    # The link worker's page is still in English.
    assert (
        "A feedback link was emailed"
        in world.link_worker.get(f"/casework/referrals/{referral.pk}/").content.decode()
    )


@pytest.mark.parametrize("language", ["ur", "en"])
def test_someone_whose_language_linkwork_does_not_speak_is_written_to_in_english(
    world, mailoutbox, language
):
    referral = in_progress(world)
    speaks(referral, language)
    close(world, referral)
    (message,) = [m for m in mailoutbox if m.to == [EMAIL]]
    assert message.subject == "How helpful was the support from Community Links?"


def test_a_welsh_speaker_is_texted_the_feedback_link_in_welsh(world, fake_notify, settings):
    settings.SITE_URL = "https://linkwork.example.org"
    referral = texted_person(world)
    speaks(referral, "cy")
    close(world, referral)
    (sent,) = fake_notify.texts
    fields = sent["json"]["personalisation"]
    assert fields["body"].startswith("Helo Pat, pa mor ddefnyddiol oedd y cymorth gan")
    assert fields["link"] in fields["body"] and "yn gweithio unwaith, tan" in fields["body"]
    months = "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd"
    assert any(month in fields["expires"] for month in (months + " Rhagfyr").split())


def test_a_welsh_speakers_session_reminder_is_in_welsh(walk_tomorrow, fake_notify):  # noqa: F811
    world = walk_tomorrow
    connection = accepted(world)
    agree(connection, "phone,text", email="")
    speaks(connection.referral, "cy")
    world.link_worker.post(reminder_url(connection))
    assert services.send_session_reminders() == 1
    body = fake_notify.texts[0]["json"]["personalisation"]["body"]
    assert body.startswith("Helo Pat, nodyn atgoffa: mae Health walk yfory, Dydd ")
    assert "10am tan 11am" in body and "dywedwch wrth eich gweithiwr cyswllt" in body
    assert page_url(connection)  # the link worker's page is unchanged


def test_a_self_referral_made_in_welsh_starts_with_welsh_chosen(service):  # noqa: F811
    client = Client()
    form = client.get("/self-referral/?lang=cy").content.decode()
    assert re.search(r'<option value="cy"\s+selected', form)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    data = {**FORM, "idempotency_key": key, "language": "cy"}
    assert client.post("/self-referral/", data).status_code == 302
    assert Referral.objects.get().person.language == "cy"
    english = Client().get("/self-referral/").content.decode()
    assert re.search(r'<option value="en"\s+selected', english)


def welsh_walker(world):
    connection = connect(world)
    agree(connection, "email,text")
    speaks(connection.referral, "cy")
    return connection


def test_a_welsh_speakers_copy_of_the_offer_is_emailed_in_welsh(first_friday, mailoutbox):  # noqa: F811
    world = first_friday
    connection = welsh_walker(world)
    world.link_worker.post(page_url(connection) + "send/", {"channel": "email"})
    (message,) = mailoutbox
    assert message.subject == "Eich presgripsiwn cymdeithasol"
    body = message.body
    assert body.startswith("Eich presgripsiwn cymdeithasol: Health walk")
    assert "Pwy fydd yn eich croesawu\nJo (walk leader)" in body  # the group's own words
    assert "£2 y sesiwn" in body and "Y dyddiadau nesaf\nDydd Gwener " in body
    assert "Dydd Gwener" in body and "Friday" not in body  # dates in Welsh
    assert "Eich gweithiwr cyswllt: " in body
    for english in ("Who will welcome you", "per session", "Next dates", "What it is"):
        assert english not in body


def test_a_welsh_speakers_copy_of_the_offer_is_texted_in_welsh(first_friday, fake_notify):  # noqa: F811
    world = first_friday
    connection = welsh_walker(world)
    world.link_worker.post(page_url(connection) + "send/", {"channel": "text"})
    (sent,) = fake_notify.texts
    body = sent["json"]["personalisation"]["body"]
    assert body.startswith("Eich presgripsiwn cymdeithasol: Health walk. Nesaf: Dydd Gwener ")
    assert "Cost: £2 y sesiwn." in body and "Cwestiynau? Ffoniwch 01632 960101." in body
    assert "Bydd Jo (walk leader) yn eich croesawu." in body
    assert "Your social prescription" not in body and "Friday" not in body


def test_a_welsh_speakers_printed_copies_are_in_welsh_around_english_controls(first_friday):  # noqa: F811
    world = first_friday
    connection = welsh_walker(world)
    html = world.link_worker.get(page_url(connection)).content.decode()
    assert '<article class="linkwork-report linkwork-prescription" lang="cy">' in html
    assert "Beth ydyw" in html and "Dydd Gwener cyntaf y mis" in html
    assert "Send the social prescription" in html  # the link worker's own page, English
    easy = world.link_worker.get(page_url(connection) + "?format=easy-read").content.decode()
    lines = re.findall(r'<p class="nhsuk-body-l">([^<]+)</p>', easy)
    assert "Dyma Health walk." in lines and "Mae&#39;n costio £2 y sesiwn." in lines
    assert "Back to the standard version" in easy


def test_an_english_speakers_copy_is_unchanged(first_friday, fake_notify, mailoutbox):  # noqa: F811
    world = first_friday
    connection = connect(world)
    agree(connection, "email,text")
    world.link_worker.post(page_url(connection) + "send/", {"channel": "text"})
    world.link_worker.post(page_url(connection) + "send/", {"channel": "email"})
    body = fake_notify.texts[0]["json"]["personalisation"]["body"]
    assert body.startswith("Your social prescription: Health walk. Next: Friday ")
    (message,) = mailoutbox
    assert message.subject == "Your social prescription"
    assert "Who will welcome you\nJo (walk leader)" in message.body
