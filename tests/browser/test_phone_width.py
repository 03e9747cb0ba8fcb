"""Phone-sized pages: every page each role can open, at 375 px wide, is no wider than the
phone. The pages come from the access matrix (every route × role), so a new page is
checked without anyone remembering to add it here."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.demo.services import load_demo
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import sign_in
from tests.test_access_matrix import ANON, PAGES, URL_KWARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DEMO_ACCOUNT = {
    Role.REFERRER: "referrer@example.org",
    Role.LINK_WORKER: "linkworker@example.org",
    Role.SERVICE_MANAGER: "manager@example.org",
    Role.GROUP: "group@example.org",
    Role.RESIDENT: "resident@example.org",
    Role.PANEL: "panel@example.org",
    Role.COMMISSIONER: "commissioner@example.org",
    Role.ADMIN: "admin@example.org",
}
# Not pages people read: feeds, files, the admin site (Django's own), API docs.
NOT_PAGES = ("openreferral", "api:", "admin:", "healthz", "hsds-datapackage", "logout")
NOT_PAGES_SUFFIX = ("-csv", "-json", "-download", "-map", "-dictionary", "-template")


def _pages_for(who) -> list[str]:
    return sorted(
        name
        for name, allowed in PAGES.items()
        if allowed[who] == 200
        and not name.startswith(NOT_PAGES)
        and not name.endswith(NOT_PAGES_SUFFIX)
        and name not in ("insight-download", "evaluation-csv")
    )


def _some_cases() -> None:
    """A few open cases for the demo service, so work lists have rows to reflow."""
    from linkwork.accounts.models import User
    from linkwork.directory.models import Organisation
    from linkwork.referrals.models import Person, Referral

    service = Organisation.objects.get(name="Tonge Moor Community Links")
    worker = User.objects.get(email="linkworker@example.org")
    now = timezone.now()
    for n, status in enumerate(["received", "accepted", "in_progress"]):
        person = Person.objects.create(
            given_name=f"Alexandria-Jane{n}",
            family_name="Montgomery-Fotheringham",
            birth_date=dt.date(1950, 1, 1),
            postcode="BL2 6LT",
        )
        Referral.objects.create(
            person=person,
            service=service,
            source="gp",
            status=status,
            assigned_to=worker if status != "received" else None,
            referrer=User.objects.get(email="referrer@example.org"),
            consent_to_refer=True,
            consent_recorded_at=now,
            first_contact_due=timezone.localdate() - dt.timedelta(days=n),
        )


def _too_wide(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _pages_with_ids(who) -> list[tuple[str, str]]:
    """Pages about one thing, opened on a real one from the demo."""
    from linkwork.directory.models import Asset, Publication
    from linkwork.places.models import Area
    from linkwork.referrals.models import Referral

    asset = Asset.objects.filter(publication=Publication.PUBLISHED).order_by("pk").first()
    referral = Referral.objects.order_by("pk").first()
    area = Area.objects.filter(area_type="neighbourhood").order_by("code").first()
    pages = [("asset-detail", reverse("asset-detail", args=[asset.pk]))]
    if area is not None:
        pages.append(("neighbourhood-profile", reverse("neighbourhood-profile", args=[area.code])))
    if who == Role.LINK_WORKER:
        pages.append(("referral-detail", reverse("referral-detail", args=[referral.pk])))
    if who == Role.REFERRER:
        pages.append(("referral-status", reverse("referral-status", args=[referral.pk])))
    if who in (Role.PANEL, Role.COMMISSIONER) and area is not None:
        pages.append(("insight-area", reverse("insight-area", args=[area.code])))
    if who == Role.SERVICE_MANAGER:
        pages.append(("team-cases", reverse("team-cases") + "?worker=none"))
    return pages


def test_no_page_is_wider_than_a_phone(browser, live_server):
    load_demo(referrals=False)
    _some_cases()
    too_wide, visited = [], 0
    for who in [ANON, *DEMO_ACCOUNT]:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if who != ANON:
            sign_in(page, live_server.url, DEMO_ACCOUNT[who])
        paths = [(n, reverse(n, kwargs=URL_KWARGS.get(n))) for n in _pages_for(who)]
        for name, path in paths + _pages_with_ids(who):
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            visited += 1
            width = _too_wide(page)
            if width > PHONE["width"]:
                SCREENSHOTS.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"375-{who}-{name}.png"), full_page=True)
                too_wide.append(f"{who} {name} ({width} px)")
        context.close()
    assert visited > 60
    assert not too_wide, f"wider than {PHONE['width']} px: " + ", ".join(too_wide)
