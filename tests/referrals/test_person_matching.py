"""Who a referral is about (hazard H1, docs/decisions.md): the same NHS number is the
same person; different NHS numbers never are; name and birth date alone is only a
possible duplicate for a link worker to merge (undoably) or dismiss."""

import copy

import pytest

from linkwork.audit.models import AuditEvent
from linkwork.referrals.models import NotDuplicate, Person, PersonMerge, Referral
from tests.referrals.conftest import REFERRAL
from tests.referrals.test_referrer_pages import FORM as REFERRER_FORM

pytestmark = pytest.mark.django_db

NHS_A, NHS_B = "9434765919", "9434765927"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def refer(world, *, nhs_number="", given_name="Pat", birth_date="1956-03-14", **person):
    body = copy.deepcopy(REFERRAL)
    body["person"].update(
        nhs_number=nhs_number, given_name=given_name, birth_date=birth_date, **person
    )
    response = post(world.gp, "/api/v1/referrals", body)
    assert response.status_code == 201, response.json()
    return Referral.objects.get(pk=response.json()["id"])


def duplicates_seen(world, referral):
    body = world.link_worker.get(f"/api/v1/referrals/{referral.pk}").json()
    return body["possible_duplicates"]


# NHS numbers of the first and second referral × same name × same birth date → outcome.
# "same": the second joins the first's record; "possible": its own record, flagged as a
# possible duplicate of the first; "new": its own record, nothing flagged.
MATCHING = [
    # same NHS number: the same person, whatever the names and dates say
    (NHS_A, NHS_A, True, True, "same"),
    (NHS_A, NHS_A, False, True, "same"),
    (NHS_A, NHS_A, True, False, "same"),
    (NHS_A, NHS_A, False, False, "same"),
    # different NHS numbers: never the same person, never even possibly
    (NHS_A, NHS_B, True, True, "new"),
    (NHS_A, NHS_B, False, True, "new"),
    (NHS_A, NHS_B, True, False, "new"),
    (NHS_A, NHS_B, False, False, "new"),
    # one side without an NHS number: name and birth date make a possible duplicate only
    (NHS_A, "", True, True, "possible"),
    (NHS_A, "", False, True, "new"),
    (NHS_A, "", True, False, "new"),
    (NHS_A, "", False, False, "new"),
    ("", NHS_A, True, True, "possible"),
    ("", NHS_A, False, True, "new"),
    ("", NHS_A, True, False, "new"),
    ("", NHS_A, False, False, "new"),
    # neither has one: the same
    ("", "", True, True, "possible"),
    ("", "", False, True, "new"),
    ("", "", True, False, "new"),
    ("", "", False, False, "new"),
]


@pytest.mark.parametrize(
    ("first_nhs", "second_nhs", "same_name", "same_birth", "outcome"), MATCHING
)
def test_matching_table(world, first_nhs, second_nhs, same_name, same_birth, outcome):
    first = refer(world, nhs_number=first_nhs)
    second = refer(
        world,
        nhs_number=second_nhs,
        given_name="Pat" if same_name else "Sam",
        birth_date="1956-03-14" if same_birth else "1961-07-02",
    )
    if outcome == "same":
        assert second.person_id == first.person_id
        assert Person.objects.count() == 1
        assert duplicates_seen(world, second) == []
        return
    assert second.person_id != first.person_id and Person.objects.count() == 2
    expected = (
        [{"person_id": first.person_id, "referral_ids": [first.pk]}]
        if outcome == "possible"
        else []
    )
    assert duplicates_seen(world, second) == expected
    # The flag is symmetrical: the first referral's case shows the second as well.
    back = [{"person_id": second.person_id, "referral_ids": [second.pk]}]
    assert duplicates_seen(world, first) == (back if outcome == "possible" else [])


def test_a_self_referral_with_someone_elses_name_and_birthday_never_joins_their_record(
    world, client
):
    pat = refer(world, nhs_number=NHS_A, phone="07700 900111")
    impostor = refer(world, phone="07700 900999", email="someone@example.com")
    assert impostor.person_id != pat.person_id
    pat.person.refresh_from_db()
    assert pat.person.phone == "07700 900111" and pat.person.email == ""


def test_the_second_referrals_details_are_kept_with_it_not_dropped(world):
    first = refer(world, nhs_number=NHS_A, phone="07700 900111")
    second = refer(
        world,
        nhs_number=NHS_A,
        phone="07700 900222",
        email="pat@example.com",
        gp_practice="Moss Bank Surgery",
    )
    assert second.person_id == first.person_id
    person = Person.objects.get()
    assert person.phone == "07700 900111" and person.email == ""  # nothing overwritten
    assert second.person_details["phone"] == "07700 900222"
    assert second.person_details["email"] == "pat@example.com"
    html = world.link_worker.get(f"/casework/referrals/{second.pk}/").content.decode()
    assert "Details given with this referral differ from the record" in html
    assert "07700 900222" in html and "07700 900111" in html and "Moss Bank Surgery" in html
    # The link worker accepts the phone number only.
    response = world.link_worker.post(
        f"/casework/referrals/{second.pk}/details/", {"fields": ["phone"]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "07700 900222" and person.email == ""
    second.refresh_from_db()
    assert second.details_reviewed_by == world.link_worker.user
    event = AuditEvent.objects.get(action="person_details_accepted")
    assert event.actor_id == world.link_worker.user.pk and "phone" in event.summary
    assert "07700" not in event.summary  # the audit says what changed, not the value


def test_names_and_birth_dates_are_never_copied_over_the_record(world):
    first = refer(world, nhs_number=NHS_A)
    second = refer(world, nhs_number=NHS_A, given_name="Patricia")
    assert second.person_id == first.person_id
    response = world.link_worker.post(
        f"/casework/referrals/{second.pk}/details/", {"fields": ["given_name"]}
    )
    assert response.status_code == 302
    assert Person.objects.get().given_name == "Pat"
    assert not AuditEvent.objects.filter(action="person_details_accepted").exists()


def test_api_and_self_referrals_answer_the_same_whether_or_not_the_person_exists(world):
    first = post(world.gp, "/api/v1/referrals", REFERRAL)
    again = post(world.gp, "/api/v1/referrals", REFERRAL)
    assert first.status_code == again.status_code == 201
    assert set(first.json()) == set(again.json()) == {"id", "reference", "status", "status_text"}
    assert again.json()["status"] == first.json()["status"]
    # A referrer reading the referral learns nothing of the person's record.
    body = world.gp.get(f"/api/v1/referrals/{again.json()['id']}").json()
    assert body["person"] is None and body["person_id"] is None
    assert body["possible_duplicates"] is None


def test_the_referrer_sees_the_details_they_gave_not_the_record(world):
    first = refer(world, nhs_number=NHS_A)
    other_gp = world.other_gp
    body = copy.deepcopy(REFERRAL)
    body["person"].update(nhs_number=NHS_A, given_name="Patricia")
    response = post(other_gp, "/api/v1/referrals", body)
    second = Referral.objects.get(pk=response.json()["id"])
    assert second.person_id == first.person_id
    html = other_gp.get(f"/referrals/{second.pk}/").content.decode()
    assert "Patricia Holden" in html


# --- Merging, undoing, dismissing ---------------------------------------------------


@pytest.fixture
def pair(world):
    """Two records that may be one person: the older has the NHS number, the newer a
    new phone number and an email."""
    older = refer(world, nhs_number=NHS_A, phone="07700 900111")
    newer = refer(world, phone="07700 900222", email="pat@example.com")
    assert older.person_id != newer.person_id
    return older, newer


def test_a_link_worker_merges_two_records_of_one_person(world, pair):
    older, newer = pair
    world.link_worker.post(
        f"/api/v1/referrals/{older.pk}/transitions",
        {"to": "accepted"},
        content_type="application/json",
    )
    response = post(
        world.link_worker,
        f"/api/v1/people/{newer.person_id}/merge",
        {"into": older.person_id},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["person_id"] == older.person_id and body["referral_ids"] == [newer.pk]
    assert set(body["changed"]) >= {"phone", "email"}
    kept = Person.objects.get(pk=older.person_id)
    # Every referral with its history, on one record with the newer contact details.
    assert set(kept.referrals.values_list("pk", flat=True)) == {older.pk, newer.pk}
    assert kept.phone == "07700 900222" and kept.email == "pat@example.com"
    assert kept.nhs_number == NHS_A
    assert Referral.objects.get(pk=older.pk).events.count() == 2
    merged = Person.objects.get(pk=newer.person_id)
    assert merged.merged_into_id == kept.pk and merged.referrals.count() == 0
    event = AuditEvent.objects.get(action="person_merged")
    assert event.actor_id == world.link_worker.user.pk
    # Merged records are matched no more.
    assert duplicates_seen(world, older) == []
    assert duplicates_seen(world, newer) == []


def test_a_merge_can_be_undone(world, pair):
    older, newer = pair
    merge = post(
        world.link_worker, f"/api/v1/people/{newer.person_id}/merge", {"into": older.person_id}
    ).json()
    response = post(world.link_worker, f"/api/v1/merges/{merge['merge_id']}/undo")
    assert response.status_code == 200 and response.json()["undone_at"]
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.person_id != newer.person_id
    kept, restored = older.person, newer.person
    assert kept.phone == "07700 900111" and kept.email == ""
    assert restored.merged_into_id is None and restored.phone == "07700 900222"
    assert AuditEvent.objects.filter(action="person_merge_undone").count() == 1
    # It is a possible duplicate again, and a second undo is refused.
    assert duplicates_seen(world, newer) == [
        {"person_id": older.person_id, "referral_ids": [older.pk]}
    ]
    again = post(world.link_worker, f"/api/v1/merges/{merge['merge_id']}/undo")
    assert again.status_code == 409


def test_undo_leaves_a_detail_someone_changed_since(world, pair):
    older, newer = pair
    merge = post(
        world.link_worker, f"/api/v1/people/{newer.person_id}/merge", {"into": older.person_id}
    ).json()
    Person.objects.filter(pk=older.person_id).update(phone="07700 900333")
    post(world.link_worker, f"/api/v1/merges/{merge['merge_id']}/undo")
    kept = Person.objects.get(pk=older.person_id)
    assert kept.phone == "07700 900333" and kept.email == ""


def test_records_with_different_nhs_numbers_can_never_be_merged(world):
    first = refer(world, nhs_number=NHS_A)
    second = refer(world, nhs_number=NHS_B)
    response = post(
        world.link_worker, f"/api/v1/people/{second.person_id}/merge", {"into": first.person_id}
    )
    assert response.status_code == 409
    assert "different NHS numbers" in response.json()["detail"]
    assert not PersonMerge.objects.exists()
    assert Referral.objects.get(pk=second.pk).person_id == second.person_id


def test_different_people_is_remembered(world, pair):
    older, newer = pair
    response = post(
        world.link_worker,
        f"/api/v1/people/{newer.person_id}/not-duplicate",
        {"of": older.person_id},
    )
    assert response.status_code == 200
    assert response.json()["of"] == older.person_id
    assert duplicates_seen(world, newer) == [] and duplicates_seen(world, older) == []
    # Saying it again changes nothing; a third referral with the same details is still
    # a possible duplicate of both, as nobody has decided about it.
    post(
        world.link_worker,
        f"/api/v1/people/{older.person_id}/not-duplicate",
        {"of": newer.person_id},
    )
    assert NotDuplicate.objects.count() == 1
    third = refer(world)
    assert {d["person_id"] for d in duplicates_seen(world, third)} == {
        older.person_id,
        newer.person_id,
    }
    assert AuditEvent.objects.filter(action="person_not_duplicate").count() == 1


@pytest.mark.parametrize(
    ("route", "body"),
    [("merge", {"into": None}), ("not-duplicate", {"of": None})],
)
def test_people_routes_are_for_the_services_own_link_workers(world, pair, route, body):
    older, newer = pair
    key = next(iter(body))
    body = {key: older.person_id}
    url = f"/api/v1/people/{newer.person_id}/{route}"
    assert post(world.gp, url, body).status_code == 403
    assert post(world.group, url, body).status_code == 403
    assert post(world.commissioner, url, body).status_code == 403
    assert post(world.other_link_worker, url, body).status_code == 404
    # A person in another service's records is a 404, as the body's id too.
    assert (
        post(
            world.link_worker, f"/api/v1/people/{newer.person_id}/{route}", {key: 999999}
        ).status_code
        == 404
    )
    assert post(world.link_worker, url, {}).status_code == 422
    assert not PersonMerge.objects.exists() and not NotDuplicate.objects.exists()


def test_another_services_link_worker_is_never_told_of_a_possible_duplicate(world, pair):
    older, newer = pair
    # The other service's link worker cannot read either referral at all.
    assert world.other_link_worker.get(f"/api/v1/referrals/{newer.pk}").status_code == 404


def test_a_merge_undo_is_404_outside_the_service(world, pair):
    older, newer = pair
    merge = post(
        world.link_worker, f"/api/v1/people/{newer.person_id}/merge", {"into": older.person_id}
    ).json()
    url = f"/api/v1/merges/{merge['merge_id']}/undo"
    assert post(world.other_link_worker, url).status_code == 404
    assert post(world.gp, url).status_code == 403
    assert PersonMerge.objects.get().undone_at is None


# --- Pages --------------------------------------------------------------------------


def test_the_queue_and_case_page_flag_a_possible_duplicate_side_by_side(world, pair):
    older, newer = pair
    queue = world.link_worker.get("/casework/queue/").content.decode()
    assert "Possible duplicate of Pat Holden" in queue
    html = world.link_worker.get(f"/casework/referrals/{newer.pk}/").content.decode()
    assert f"Possible duplicate of Pat Holden (record {older.person_id})" in html
    assert "07700 900111" in html and "07700 900222" in html  # side by side
    assert "Same person: merge the records" in html and "Different people" in html


def test_a_link_worker_merges_and_undoes_on_the_case_page(world, pair):
    older, newer = pair
    url = f"/casework/referrals/{newer.pk}/duplicates/{older.person_id}/same/"
    assert world.link_worker.post(url).status_code == 302
    newer.refresh_from_db()
    assert newer.person_id == older.person_id  # the newer record went into the older
    html = world.link_worker.get(f"/casework/referrals/{newer.pk}/").content.decode()
    assert "was merged into this one" in html and "Possible duplicate" not in html
    merge = PersonMerge.objects.get()
    undo = f"/casework/referrals/{newer.pk}/merges/{merge.pk}/undo/"
    assert world.link_worker.post(undo).status_code == 302
    newer.refresh_from_db()
    assert newer.person_id == merge.merged_id


def test_different_people_on_the_case_page(world, pair):
    older, newer = pair
    url = f"/casework/referrals/{newer.pk}/duplicates/{older.person_id}/different/"
    assert world.link_worker.post(url).status_code == 302
    html = world.link_worker.get(f"/casework/referrals/{newer.pk}/").content.decode()
    assert "Possible duplicate" not in html


def test_page_actions_are_404_for_a_person_who_is_not_a_possible_duplicate(world, pair):
    older, newer = pair
    stranger = refer(world, given_name="Sam", nhs_number=NHS_B)
    url = f"/casework/referrals/{newer.pk}/duplicates/{stranger.person_id}/same/"
    assert world.link_worker.post(url).status_code == 404
    other = f"/casework/referrals/{newer.pk}/duplicates/{older.person_id}/same/"
    assert world.other_link_worker.post(other).status_code == 404
    assert world.gp.post(other).status_code == 403
    assert not PersonMerge.objects.exists()


def test_a_second_open_referral_is_told_to_the_referrer_and_shown_together(world):
    first = refer(world, nhs_number=NHS_A)
    form = {**REFERRER_FORM, "nhs_number": NHS_A}
    response = world.gp.post("/referrals/new/", form, follow=True)
    html = response.content.decode()
    assert "already has an open referral" in html, html[:3000]
    second = Referral.objects.exclude(pk=first.pk).get()
    assert second.person_id == first.person_id
    queue = world.link_worker.get("/casework/queue/").content.decode()
    assert "Also has an open referral" in queue
    case = world.link_worker.get(f"/casework/referrals/{second.pk}/").content.decode()
    assert "also has an open referral" in case
