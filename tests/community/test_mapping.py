"""Citizen asset mapping: residents and panel members submit, curators review, accepted
ones become listings crediting the submitter; a walk shows what it added."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linkwork.accounts.roles import Role
from linkwork.community.models import AssetSubmission
from linkwork.directory.models import Asset, Publication

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_resident_submits_with_a_photo_and_a_link_worker_accepts_it(place, persona):
    resident = persona(Role.RESIDENT)
    response = resident.post(
        "/mapping/new/",
        {
            "name": "Bench group in Queen's Park",
            "description": "Older men chat most mornings.",
            "where": "By the bowling green",
            "postcode": "BL2 6LT",
            "activity": "activity-walking",
            "credit_name": "Maureen from Tonge",
            "photo": SimpleUploadedFile("bench.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    submission = AssetSubmission.objects.get()
    assert submission.neighbourhood == place.tonge and submission.photo_type == "image/png"
    assert resident.get(f"/mapping/submissions/{submission.pk}/photo").content == PNG
    assert (
        persona(Role.RESIDENT).get(f"/mapping/submissions/{submission.pk}/photo").status_code == 403
    )

    worker = persona(Role.LINK_WORKER)
    assert "Bench group in Queen" in worker.get("/mapping/review/").content.decode()
    assert worker.get(f"/mapping/submissions/{submission.pk}/photo").status_code == 200
    worker.post(f"/mapping/review/{submission.pk}/", {"decision": "accept"})
    submission.refresh_from_db()
    asset = Asset.objects.get(pk=submission.asset_id)
    assert asset.publication == Publication.PUBLISHED
    assert "Maureen from Tonge" in asset.description
    again = worker.post(f"/mapping/review/{submission.pk}/", {"decision": "reject"}, follow=True)
    assert "already been reviewed" in again.content.decode()


def test_bad_submissions_are_named_and_nothing_is_saved(place, persona):
    resident = persona(Role.RESIDENT)
    response = resident.post(
        "/mapping/new/",
        {
            "name": "",
            "description": "",
            "where": "",
            "postcode": "XX1",
            "photo": SimpleUploadedFile("x.png", b"<script>", content_type="image/png"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "JPEG, PNG or WebP" in page
    assert not AssetSubmission.objects.exists()


def test_a_panel_runs_a_walk_and_sees_what_it_added(place, persona):
    panel = persona(Role.PANEL)
    response = panel.post(
        "/mapping/walks/new/",
        {
            "title": "Tonge Moor walk",
            "neighbourhood": "BOL-NBH-01",
            "held_on_day": "5",
            "held_on_month": "12",
            "held_on_year": "2026",
        },
    )
    walk_url = response["Location"]
    panel.post(
        f"/mapping/new/?walk={walk_url.rstrip('/').split('/')[-1]}",
        {
            "name": "Café that welcomes people",
            "description": "Free tea on Fridays.",
            "where": "Tonge Moor Road",
            "credit_name": "Maureen",
        },
    )
    page = panel.get(walk_url).content.decode()
    assert "Café that welcomes people" in page and "thanks to Maureen" in page
    assert AssetSubmission.objects.get().neighbourhood == place.tonge


def test_groups_and_referrers_cannot_submit_or_review(persona):
    for role in (Role.GROUP, Role.REFERRER):
        client = persona(role)
        assert client.get("/mapping/new/").status_code == 403
        assert client.get("/mapping/review/").status_code == 403
