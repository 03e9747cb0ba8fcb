"""The pages every public service has, linked from every page's footer, with the
deployment's own details; branding shows the NHS logo only for an NHS service."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "/privacy/": "Privacy notice",
    "/accessibility/": "Accessibility statement",
    "/cookies/": "Cookies",
    "/contact/": "Contact and help",
    "/terms/": "Terms of use",
    "/status/": "Service status",
}


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_each_page_is_public_and_linked_from_every_footer(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    for other in PAGES:
        assert f'href="{other}"' in html  # the footer links them all
    landing = client.get("/directory/").content.decode()
    assert f'href="{path}"' in landing


def test_the_privacy_notice_lists_what_the_models_declare(client, settings):
    settings.RETENTION_YEARS = 8
    html = client.get("/privacy/").content.decode()
    for field in ("nhs number", "birth date", "access needs", "person details"):
        assert field in html.lower(), field
    assert "kept for 8 years after they close" in html


def test_pages_carry_the_deployments_details(client, settings):
    settings.OPERATOR_NAME = "Bolton Council"
    settings.CONTACT_EMAIL = "socialprescribing@example.gov.uk"
    settings.CONTACT_PHONE = "01632 960 001"
    settings.FOOTER_LINKS = [("Local offer", "https://example.gov.uk/offer")]
    html = client.get("/contact/").content.decode()
    assert "run by Bolton Council" in html
    assert 'href="mailto:socialprescribing@example.gov.uk"' in html
    assert 'href="tel:01632960001"' in html
    assert 'href="https://example.gov.uk/offer"' in html


def test_the_nhs_logo_only_for_an_nhs_service(client, settings):
    settings.NHS_SERVICE = False
    html = client.get("/terms/").content.decode()
    assert "nhsuk-header__organisation-logo" in html and "linkwork/img/logo" in html
    assert 'aria-label="NHS"' not in html
    settings.NHS_SERVICE = True
    html = client.get("/terms/").content.decode()
    assert "nhsuk-header__organisation-logo" not in html and "<title>NHS</title>" in html


def test_a_brand_colour_and_name(client, settings):
    settings.SERVICE_NAME = "Bolton Connect"
    settings.BRAND_COLOUR = "#6a1b9a"
    html = client.get("/accessibility/").content.decode()
    assert "background-color: #6a1b9a" in html
    assert "<title>Accessibility statement – Bolton Connect</title>" in html


def test_the_status_page_says_when_the_database_cannot_be_reached(client, monkeypatch):
    from django.db import DatabaseError

    from linkwork.about import views

    def broken():
        raise DatabaseError

    monkeypatch.setattr(views.connection, "cursor", broken)
    response = client.get("/status/")
    assert response.status_code == 503
    assert "has a problem at the moment" in response.content.decode()


def test_the_pages_answer_get_only(client):
    assert client.post("/privacy/").status_code == 405


def test_the_accessibility_statement_names_the_maps_keyboard_equivalent(client):
    html = client.get("/accessibility/").content.decode()
    assert "The table under each map is the equivalent" in html
    assert "reach every area with a keyboard" in html
    assert "English and Welsh" in html and "Easy read" in html
