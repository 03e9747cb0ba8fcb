"""Pages in the resident's language (issue 18, items 1 and 2): `?lang=` switches and is
remembered, Accept-Language is honoured, `<html lang>` follows, dates are in the
language, and a resident refers themselves in Welsh."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from linkwork.directory.models import OrganisationKind
from linkwork.directory.services import load_default_taxonomy
from linkwork.i18n import html_lang, text_direction
from linkwork.jinja2 import date, short_moment
from linkwork.referrals.models import Referral
from tests.factories import AssetFactory, OrganisationFactory, PostcodeFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_pages_are_in_british_english_by_default(client):
    response = client.get("/directory/")
    assert html_lang_of(response) == "en-GB"
    page = response.content.decode()
    assert "Find community support" in page and "Skip to main content" in page
    # The switcher offers Welsh, named in Welsh, as a plain link.
    assert '<a href="/directory/?lang=cy" lang="cy" hreflang="cy" dir="ltr">Cymraeg</a>' in page


def test_lang_parameter_switches_to_welsh_and_the_cookie_remembers_it(client):
    response = client.get("/directory/?lang=cy")
    assert html_lang_of(response) == "cy"
    page = response.content.decode()
    assert "Dod o hyd i gymorth yn y gymuned" in page  # Find community support
    assert "Neidio i'r prif gynnwys" in page  # the skip link
    assert "Find community support" not in page
    assert response.cookies[COOKIE].value == "cy"
    assert response.cookies[COOKIE]["httponly"] and response.cookies[COOKIE]["samesite"] == "Lax"
    # The next page, without the parameter, stays in Welsh; the switcher offers English.
    later = client.get("/self-referral/")
    assert html_lang_of(later) == "cy"
    assert '<a href="/self-referral/?lang=en" lang="en-GB"' in later.content.decode()
    # And back.
    assert html_lang_of(client.get("/directory/?lang=en")) == "en-GB"
    assert html_lang_of(client.get("/directory/")) == "en-GB"


def test_the_switcher_keeps_the_search(client):
    page = client.get("/directory/?q=walking&postcode=BL1+1AA").content.decode()
    assert 'href="/directory/?lang=cy&amp;postcode=BL1+1AA&amp;q=walking"' in page


def test_an_unknown_language_is_ignored(client):
    response = client.get("/directory/?lang=xx")
    assert html_lang_of(response) == "en-GB" and COOKIE not in response.cookies


def test_accept_language_is_honoured(client):
    response = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="cy-GB,cy;q=0.9,en;q=0.5")
    assert html_lang_of(response) == "cy"
    assert "Dod o hyd i gymorth yn y gymuned" in response.content.decode()
    # A language not offered falls back to English.
    assert html_lang_of(client.get("/directory/", HTTP_ACCEPT_LANGUAGE="fr")) == "en-GB"


def test_the_cookie_beats_the_browser(client):
    client.cookies[COOKIE] = "en-gb"
    response = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="cy")
    assert html_lang_of(response) == "en-GB"


def test_right_to_left_languages_get_dir_rtl():
    assert text_direction("ar") == "rtl" and text_direction("ur") == "rtl"
    assert text_direction("cy") == "ltr" and text_direction("en-gb") == "ltr"
    assert html_lang("en-gb") == "en-GB" and html_lang("cy") == "cy"


def test_an_rtl_page_says_dir_rtl(client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    page = client.get("/directory/?lang=ar").content.decode()
    assert re.search(r'<html lang="ar"\s+dir="rtl">', page)


def test_dates_are_in_the_page_language():
    day = dt.date(2026, 12, 2)
    moment = dt.datetime(2026, 12, 1, 10, 30)
    assert date(day) == "2 December 2026"
    assert short_moment(moment) == "Tue 1 Dec, 10:30am"
    with translation.override("cy"):
        assert date(day) == "2 Rhagfyr 2026"
        assert short_moment(moment) == "Maw 1 Rhag, 10:30yb"


@pytest.fixture
def service(db):
    cache.clear()
    load_default_taxonomy(by=None)
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803)
    return OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )


def test_a_resident_refers_themselves_in_welsh(service):
    client = Client()
    form = client.get("/self-referral/?lang=cy").content.decode()
    assert "Gofyn i weithiwr cyswllt gysylltu â chi" in form  # the heading
    assert "Arian a dyled" in form  # the need categories: Money and debt
    assert "Dyddiad geni" in form and "Diwrnod" in form  # date of birth, day
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    answers = {
        "idempotency_key": key,
        "given_name": "Rhys",
        "family_name": "Evans",
        "birth_date_day": "2",
        "birth_date_month": "11",
        "birth_date_year": "1990",
        "postcode": "BL2 6LT",
        "phone": "07700 900456",
        "preferred_contact_method": "phone",
        "language": "cy",
        "reasons": ["need-money-debt"],
        "consent_to_refer": "on",
    }
    # Mistakes are explained in Welsh.
    wrong = client.post("/self-referral/", {**answers, "consent_to_refer": "", "phone": ""})
    page = wrong.content.decode()
    assert "Mae problem wedi codi" in page  # There is a problem
    assert "Cadarnhewch eich bod yn cytuno i gael eich atgyfeirio." in page
    assert "Rhowch rif ffôn neu gyfeiriad e-bost." in page
    assert "<title>Gwall: Atgyfeirio eich hun" in page
    sent = client.post("/self-referral/", answers, follow=True).content.decode()
    assert "Mae eich cais wedi&#39;i anfon" in sent or "Mae eich cais wedi'i anfon" in sent
    assert "o fewn 5 diwrnod gwaith" in sent
    referral = Referral.objects.get()
    assert referral.person.language == "cy" and referral.service == service


def test_a_date_missing_its_month_is_explained_in_welsh(service):
    client = Client()
    client.get("/self-referral/?lang=cy")
    page = client.post("/self-referral/", {"birth_date_day": "2", "birth_date_year": "1990"})
    assert "Dyddiad geni: rhaid cynnwys mis." in page.content.decode()


def test_the_listing_page_is_in_welsh_and_its_own_words_stay_english(client):
    asset = AssetFactory(name="Tonge Walking for Health")
    ScheduleFactory(asset=asset)
    page = client.get(f"/directory/assets/{asset.pk}/?lang=cy").content.decode()
    assert "Pryd a ble" in page and "Ar gyfer pwy" in page  # When and where, Who it is for
    assert "Mae&#39;r rhestriad hwn yn Saesneg" in page or "Mae'r rhestriad hwn yn Saesneg" in page
    assert '<p class="nhsuk-lede-text" lang="en">A friendly weekly session' in page
    assert "tan 12yh" in page  # the next dates: "... 10yb tan 12yh"
    english = client.get(f"/directory/assets/{asset.pk}/?lang=en").content.decode()
    assert "When and where" in english and "This listing is in English" not in english
    assert "10am to 12pm" in english


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/directory/this-week/", "Beth sy&#39;n digwydd yr wythnos hon"),
        ("/interests/new/", "Dywedwch wrthym beth sydd ar goll"),
        ("/interests/sent/", "Diolch: rydym wedi nodi beth sydd ar goll"),
        ("/feedback/thank-you/", "Diolch am eich adborth"),
        ("/questionnaire/done/", "Diolch"),
        ("/feedback/not-a-link/", "Ni allwn ddod o hyd i&#39;r ddolen hon"),
    ],
)
def test_the_other_public_pages_are_in_welsh(client, path, heading):
    response = client.get(f"{path}?lang=cy")
    assert html_lang_of(response) == "cy"
    assert heading in response.content.decode()


def test_saying_what_is_missing_is_explained_in_welsh(client):
    cache.clear()
    page = client.post("/interests/new/?lang=cy", {"description": ""}).content.decode()
    assert "Mae problem wedi codi" in page
    assert "Dewiswch weithgaredd, neu disgrifiwch beth hoffech ei wneud." in page


def test_caches_keep_the_languages_apart(client):
    response = client.get("/directory/?lang=cy")
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert response["Content-Language"] == "cy"


def test_machine_interfaces_answer_in_english(client):
    asset = AssetFactory(name="Tonge Walking for Health", accessibility_codes="step_free")
    client.cookies[COOKIE] = "cy"
    response = client.get(f"/openreferral/services/{asset.uuid}", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200
    assert "Step-free access" in response.content.decode()
    assert response["Content-Language"] == "en-gb"
