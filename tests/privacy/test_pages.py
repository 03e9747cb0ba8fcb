"""The administrator's subject access page and a resident's own data."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.community.models import Interest
from linkwork.directory.models import TaxonomyTerm
from linkwork.directory.services import load_default_taxonomy

pytestmark = pytest.mark.django_db


def test_admin_finds_a_person_and_sees_everything_held(held, persona):
    admin = persona(Role.ADMIN)
    found = admin.get("/administration/data-rights/", {"person": held.person.pk})
    assert found["Location"] == f"/administration/data-rights/people/{held.person.pk}/"
    page = admin.get(found["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Quillfeather" in html and "What matters" in html
    download = admin.get(found["Location"] + "?format=json")
    assert download["Content-Disposition"].startswith("attachment")
    assert download.json()["person_id"] == held.person.pk
    assert AuditEvent.objects.filter(action="subject_access_export").count() == 2


def test_unknown_person_number_is_named_in_an_error(persona):
    page = persona(Role.ADMIN).get("/administration/data-rights/", {"person": "abc"})
    assert page.status_code == 422
    assert "Enter the number of a person record" in page.content.decode()


def test_link_worker_cannot_export_a_person(held, persona):
    response = persona(Role.LINK_WORKER).get(
        f"/administration/data-rights/people/{held.person.pk}/"
    )
    assert response.status_code == 403


def test_resident_sees_downloads_and_withdraws_contact_consent(persona):
    load_default_taxonomy(by=None)
    resident = persona(Role.RESIDENT)
    interest = Interest.objects.create(
        activity=TaxonomyTerm.objects.filter(vocabulary="activity").first(),
        consent_to_contact=True,
        contact_method="email",
        contact_detail="me@example.test",
        recorded_by=resident.user,
    )
    someone_else = Interest.objects.create(
        activity=interest.activity,
        consent_to_contact=True,
        contact_method="email",
        contact_detail="other@example.test",
    )
    html = resident.get("/your-data/").content.decode()
    assert "me@example.test" in html and "other@example.test" not in html
    download = resident.get("/your-data/?format=json").json()
    assert download["account"]["email"] == resident.user.email
    assert "password" not in download["account"]
    assert [i["id"] for i in download["interests"]] == [interest.pk]

    assert resident.post(f"/your-data/interests/{someone_else.pk}/withdraw/").status_code == 404
    assert resident.post(f"/your-data/interests/{interest.pk}/withdraw/").status_code == 302
    interest.refresh_from_db()
    assert not interest.consent_to_contact and interest.contact_detail == ""
    assert AuditEvent.objects.filter(action="interest_consent_withdrawn").exists()
