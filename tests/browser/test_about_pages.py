"""The pages every public service has pass axe at desktop width and on a phone, and no
page is wider than the phone."""

import pytest

from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATHS = ["/privacy/", "/accessibility/", "/cookies/", "/contact/", "/terms/", "/status/"]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_about_pages_are_accessible(page, live_server, width, settings):
    settings.CONTACT_EMAIL = "help@example.org"
    page.set_viewport_size({"width": width, "height": 900})
    for path in PATHS:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        check_accessibility(page, f"about-{path.strip('/')}-{width}")
        assert not page.console_errors, page.console_errors
