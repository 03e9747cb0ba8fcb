"""The group can reach the person it was sent: phone, email and a background note, each
only with the person's consent to share with groups and only when chosen (who chose,
and when, recorded); shown in the group's inbox and `GET /api/v1/connections`, never in
an email; withdrawing consent removes them from every group's view at once."""

import html as html_lib

import pytest
from django.urls import reverse

from linkwork.errors import InvalidInput
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral
from tests.factories import AssetFactory
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"
EMAIL = "pat.holden@example.com"
NOTE = "Anxious in crowds; prefers to sit near the door."
SECRETS = (PHONE, EMAIL, NOTE)


def contacted(world, *, consent: bool = True) -> Referral:
    person = dict(REFERRAL["person"], phone=PHONE, email=EMAIL)
    referral = services.create_referral(
        person=person,
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        share_with_groups=consent,
        service=world.service,
        by=world.gp.user,
    )
    for to in (t.ACCEPTED, t.CONTACTED):
        services.transition_referral(referral=referral, to=to, by=world.link_worker.user)
    return referral


def sent(world, referral, *, share, note="", asset=None) -> Connection:
    connection = services.propose_connection(
        referral=referral,
        asset=asset or world.walk,
        share=share,
        background_needs=note,
        by=world.link_worker.user,
    )
    return services.send_connection(connection=connection, by=world.link_worker.user)


def inbox(client) -> str:
    response = client.get(reverse("group-inbox"))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def api_shared(client) -> list[dict]:
    response = client.get("/api/v1/connections")
    assert response.status_code == 200
    return [c["shared"] for c in response.json()["items"]]


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


ALL = ["first_name", "phone", "email", "background_needs"]


def test_a_group_sees_the_phone_number_only_when_consent_was_given(world):
    with_consent = contacted(world)
    sent(world, with_consent, share=["first_name", "phone"])
    assert PHONE in inbox(world.group)
    assert {"First name": "Pat", "Phone": PHONE} in api_shared(world.group)

    Connection.objects.all().delete()
    without = contacted(world, consent=False)
    with pytest.raises(InvalidInput) as refused:
        sent(world, without, share=["phone"])
    assert "share" in refused.value.errors
    sent(world, without, share=[])
    assert PHONE not in inbox(world.group)
    assert api_shared(world.group) == [{}]


@pytest.mark.parametrize(
    ("chosen", "shown"),
    [
        ([], set()),
        (["phone"], {PHONE}),
        (["email"], {EMAIL}),
        (["phone", "email"], {PHONE, EMAIL}),
        (ALL, {PHONE, EMAIL, NOTE}),
    ],
)
def test_each_detail_is_shown_only_when_chosen(world, chosen, shown):
    referral = contacted(world)
    sent(world, referral, share=chosen, note=NOTE if "background_needs" in chosen else "")
    page = inbox(world.group)
    values = {value for shared in api_shared(world.group) for value in shared.values()}
    for secret in SECRETS:
        assert (secret in page) is (secret in shown)
        assert (secret in values) is (secret in shown)


def test_another_group_never_sees_the_phone_number(world):
    referral = contacted(world)
    connection = sent(world, referral, share=ALL, note=NOTE)
    assert PHONE in inbox(world.group)
    page = inbox(world.other_group)
    for secret in SECRETS:
        assert secret not in page
    assert api_shared(world.other_group) == []
    answer = post(
        world.other_group, f"/api/v1/connections/{connection.pk}/transitions", {"to": "accepted"}
    )
    assert answer.status_code == 404


def test_what_is_shared_is_never_in_an_email(world, mailoutbox):
    referral = contacted(world)
    sent(world, referral, share=ALL, note=NOTE)
    assert any("referred to your group" in m.subject for m in mailoutbox)
    for message in mailoutbox:
        for secret in (*SECRETS, "Pat", "Holden"):
            assert secret not in message.body and secret not in message.subject


def test_who_chose_what_to_share_and_when_is_recorded(world):
    referral = contacted(world)
    connection = sent(world, referral, share=["phone"])
    assert connection.shared_fields_chosen_by == world.link_worker.user
    assert connection.shared_fields_chosen_at is not None
    page = html_lib.unescape(
        world.link_worker.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    )
    assert "Phone (chosen " in page


def test_withdrawing_consent_removes_phone_email_and_background_from_every_group(world):
    referral = contacted(world)
    sent(world, referral, share=ALL, note=NOTE)
    other = AssetFactory(organisation=world.full.organisation, name="Choir practice")
    sent(world, referral, share=ALL, note=NOTE, asset=other)
    for group in (world.group, world.other_group):
        assert PHONE in inbox(group)

    services.withdraw_consent(referral=referral, by=world.link_worker.user)

    for group in (world.group, world.other_group):
        page = inbox(group)
        shared = api_shared(group)
        assert shared == [{}]
        for secret in SECRETS:
            assert secret not in page
    assert not Connection.objects.filter(referral=referral).exclude(shared_fields=[]).exists()


# --- Entering the background note: the API and the case page --------------------------


def test_the_api_takes_a_background_note_for_the_group(world):
    referral = contacted(world)
    url = f"/api/v1/referrals/{referral.pk}/connections"
    body = {"service_id": world.walk.pk, "share": ALL, "background_needs": NOTE}
    created = post(world.link_worker, url, body)
    assert created.status_code == 201, created.json()
    connection = Connection.objects.get(pk=created.json()["id"])
    assert connection.background_needs == NOTE
    services.send_connection(connection=connection, by=world.link_worker.user)
    (shared,) = api_shared(world.group)
    assert shared["Background for the group"] == NOTE
    assert shared["Phone"] == PHONE and shared["Email"] == EMAIL


@pytest.mark.parametrize(
    ("body", "consent"),
    [
        ({"share": ["first_name"], "background_needs": NOTE}, True),  # written, not chosen
        ({"share": ["background_needs"], "background_needs": ""}, True),  # chosen, not written
        ({"share": ALL, "background_needs": "x" * 501}, True),  # too long
        ({"share": [], "background_needs": NOTE}, False),  # no consent to share
    ],
)
def test_a_bad_background_note_is_refused_naming_the_field(world, body, consent):
    referral = contacted(world, consent=consent)
    response = post(
        world.link_worker,
        f"/api/v1/referrals/{referral.pk}/connections",
        {"service_id": world.walk.pk, **body},
    )
    assert response.status_code == 422
    assert "background_needs" in [e["field"] for e in response.json()["errors"]]
    assert not Connection.objects.filter(referral=referral).exists()


def test_only_the_services_link_workers_can_write_the_note(world):
    referral = contacted(world)
    body = {"service_id": world.walk.pk, "share": ALL, "background_needs": NOTE}
    url = f"/api/v1/referrals/{referral.pk}/connections"
    assert post(world.other_link_worker, url, body).status_code == 404
    assert post(world.group, url, body).status_code == 404
    assert post(world.gp, url, body).status_code == 403
    assert not Connection.objects.filter(referral=referral).exists()


def test_the_case_page_connection_form_takes_the_note(world):
    referral = contacted(world)
    url = reverse("casework-connection-propose", args=[referral.pk])
    form = {"asset": world.walk.pk, "share": ["first_name", "background_needs"]}
    refused = world.link_worker.post(url, form)  # ticked, nothing written
    assert refused.status_code == 200
    assert "Write the background note" in html_lib.unescape(refused.content.decode())
    assert not Connection.objects.filter(referral=referral).exists()

    done = world.link_worker.post(url, {**form, "background_needs": NOTE})
    assert done.status_code == 302
    connection = Connection.objects.get(referral=referral)
    assert connection.background_needs == NOTE
    assert connection.shared_fields == ["first_name", "background_needs"]
    page = html_lib.unescape(
        world.link_worker.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    )
    assert NOTE in page


def test_connect_instead_keeps_the_note(world):
    referral = contacted(world)
    full = services.propose_connection(
        referral=referral,
        asset=world.full,
        share=ALL,
        background_needs=NOTE,
        by=world.link_worker.user,
    )
    other = services.connect_instead(connection=full, asset=world.walk, by=world.link_worker.user)
    assert other.background_needs == NOTE
    assert other.shared_fields == ALL
