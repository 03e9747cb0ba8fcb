"""A community group's referral inbox: its own connections only, only what the person
agreed to share, and every answer (singly, by htmx, or as a session's register)."""

import datetime as dt

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.errors import Conflict
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection
from tests.factories import AssetFactory
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db

INBOX = "/group/referrals/"
REGISTER = "/group/referrals/register/"
HTMX = {"HTTP_HX_REQUEST": "true"}
# What a group must never see, in the forms it could appear in.
NEVER_SHOWN = (
    "Holden",
    "943 476 5919",
    "9434765918",
    "1956-03-14",
    "14 Mar 1956",
    "14 March 1956",
    "BL2 6LT",
    "BL2",
    "Recently bereaved",
    "keen to get out more",
)


def connect(world, asset=None, *, share=("first_name", "access_needs"), send=True):
    """A referral through to a connection to `asset` (the group's walk), sent by default."""
    lw = world.link_worker.user
    referral = services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        share_with_groups=True,
        notes=REFERRAL["notes"],
        service=world.service,
        by=world.gp.user,
    )
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=lw)
    services.transition_referral(referral=referral, to=t.CONTACTED, by=lw)
    connection = services.propose_connection(
        referral=referral, asset=asset or world.walk, share=share, by=lw
    )
    if send:
        services.send_connection(connection=connection, by=lw)
    connection.refresh_from_db()
    return connection


def accepted(world, asset=None, **kwargs):
    connection = connect(world, asset, **kwargs)
    services.accept_connection(connection=connection, by=world.group.user)
    connection.refresh_from_db()
    return connection


def html_of(response) -> str:
    return response.content.decode()


def status_of(connection) -> str:
    return Connection.objects.get(pk=connection.pk).status


# --- Seeing ----------------------------------------------------------------------------


def test_group_sees_only_its_own_sent_connections_and_only_consented_fields(world):
    mine = connect(world)
    connect(world, share=())  # shares nothing: shown by reference only
    connect(world, send=False)  # proposed: not the group's business yet
    choir = AssetFactory(organisation=world.full.organisation, name="Evening choir", places=None)
    connect(world, choir)
    html = html_of(world.group.get(INBOX))
    assert "Pat (ref. " in html and "Uses a walking stick" in html
    assert "Health walk" in html and "Evening choir" not in html
    assert f"Referral {mine.pk + 1}" in html
    assert "Waiting for your answer" in html
    assert html.count('class="nhsuk-card linkwork-connection"') == 2
    for secret in NEVER_SHOWN:
        assert secret not in html, secret


def test_showing_the_inbox_audits_each_person_shown(world):
    first, second = connect(world), connect(world)
    world.group.get(INBOX)
    viewed = AuditEvent.objects.filter(action="connection_viewed", actor_id=world.group.user.pk)
    assert sorted(viewed.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )


def test_withdrawn_consent_hides_everything_that_was_shared(world):
    connection = connect(world)
    services.withdraw_consent(referral=connection.referral, by=world.link_worker.user)
    html = html_of(world.group.get(INBOX))
    assert "Uses a walking stick" not in html and "Pat" not in html
    assert f"Referral {connection.pk}" in html


def test_an_overdue_answer_stands_out(world):
    late, on_time = connect(world), connect(world)
    Connection.objects.filter(pk=late.pk).update(
        response_due=timezone.localdate() - dt.timedelta(days=1)
    )
    html = html_of(world.group.get(INBOX))
    assert html.count("Answer overdue") == 1
    assert f"Please answer by {on_time.response_due.strftime('%-d %B %Y')}" in html


def test_the_inbox_filters_by_status(world):
    waiting = connect(world)
    taken = accepted(world)
    html = html_of(world.group.get(INBOX, {"status": "accepted"}))
    assert f'id="connection-{taken.pk}"' in html and f'id="connection-{waiting.pk}"' not in html
    assert "Accepted (1)" in html and "Waiting for your answer (1)" in html
    html = html_of(world.group.get(INBOX, {"status": "nonsense"}))
    assert "nhsuk-error-summary" in html
    assert f'id="connection-{taken.pk}"' in html and f'id="connection-{waiting.pk}"' in html


def test_inbox_queries_do_not_grow_with_the_number_of_referrals(
    world, django_assert_max_num_queries
):
    connect(world)
    with CaptureQueriesContext(db) as one:
        world.group.get(INBOX)
    for _ in range(4):
        connect(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        world.group.get(INBOX)


@pytest.mark.parametrize("name", ["link_worker", "gp", "commissioner"])
def test_other_roles_cannot_open_the_inbox_or_the_register(world, name):
    client = getattr(world, name)
    assert client.get(INBOX).status_code == 403
    assert client.get(REGISTER).status_code == 403


def test_the_group_home_links_to_the_inbox(world):
    assert f'href="{INBOX}"' in html_of(world.group.get("/group/"))


# --- Answering -------------------------------------------------------------------------


def test_a_group_accepts_in_one_click_and_goes_back_to_the_inbox(world):
    connection = connect(world)
    url = f"/group/referrals/{connection.pk}/accept/"
    response = world.group.post(url, {"next": f"{INBOX}?status=sent"})
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?status=sent"
    assert status_of(connection) == t.ACCEPTED
    html = html_of(world.group.get(INBOX))
    assert "You accepted the referral." in html


def test_htmx_accept_swaps_the_card_in_place(world):
    connection = connect(world)
    response = world.group.post(
        f"/group/referrals/{connection.pk}/accept/", {"next": INBOX}, **HTMX
    )
    html = html_of(response)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="connection-{connection.pk}"' in html and "You accepted the referral." in html
    assert "Came to the first session" in html  # the next answers are offered
    for secret in NEVER_SHOWN:
        assert secret not in html, secret


def test_accepting_with_no_places_left_says_so_and_changes_nothing(world):
    first, second, third = connect(world), connect(world), connect(world)
    for connection in (first, second):
        world.group.post(f"/group/referrals/{connection.pk}/accept/")
    response = world.group.post(f"/group/referrals/{third.pk}/accept/", follow=True)
    html = html_of(response)
    assert "nhsuk-error-summary" in html and "Health walk has no places left" in html
    assert status_of(third) == t.SENT
    htmx = html_of(world.group.post(f"/group/referrals/{third.pk}/accept/", **HTMX))
    assert "nhsuk-error-summary" in htmx and "no places left" in htmx
    assert status_of(third) == t.SENT
    assert Connection.objects.filter(asset=world.walk, status=t.ACCEPTED).count() == 2


def test_answering_twice_is_a_clear_message_not_an_error_page(world):
    connection = accepted(world)
    response = world.group.post(f"/group/referrals/{connection.pk}/accept/", follow=True)
    assert response.status_code == 200
    assert "cannot become accepted" in html_of(response)


def test_declining_needs_a_reason(world):
    connection = connect(world)
    url = f"/group/referrals/{connection.pk}/decline/"
    response = world.group.post(url, {"reason": "  ", "next": INBOX})
    html = html_of(response)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and 'href="#id_reason"' in html
    assert status_of(connection) == t.SENT
    htmx = html_of(world.group.post(url, {"reason": ""}, **HTMX))
    assert "nhsuk-textarea--error" in htmx and "<details" in htmx and " open" in htmx
    assert status_of(connection) == t.SENT
    response = world.group.post(url, {"reason": "We only meet in the evening.", "next": INBOX})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.status == t.DECLINED and connection.reason == "We only meet in the evening."


def test_the_decline_page_asks_for_a_reason_without_javascript(world):
    connection = connect(world)
    html = html_of(world.group.get(f"/group/referrals/{connection.pk}/decline/"))
    assert "Why can your group not take them?" in html and 'name="reason"' in html


def test_a_group_can_put_someone_on_its_waiting_list(world):
    connection = connect(world)
    world.group.post(f"/group/referrals/{connection.pk}/waitlist/")
    assert status_of(connection) == t.WAITLISTED
    world.group.post(f"/group/referrals/{connection.pk}/accept/")
    assert status_of(connection) == t.ACCEPTED


def test_a_group_records_attendance_through_to_completion(world):
    connection = accepted(world)
    for slug, status in [
        ("attended", t.ATTENDED_FIRST),
        ("attending", t.ATTENDING),
        ("completed", t.COMPLETED),
    ]:
        assert world.group.post(f"/group/referrals/{connection.pk}/{slug}/").status_code == 302
        assert status_of(connection) == status


def test_not_starting_and_stopping_need_a_reason(world):
    not_started, stopped = accepted(world), accepted(world)
    url = f"/group/referrals/{not_started.pk}/did-not-start/"
    world.group.post(url, {"reason": ""})
    assert status_of(not_started) == t.ACCEPTED
    world.group.post(url, {"reason": "Changed their mind"})
    assert status_of(not_started) == t.DID_NOT_START
    world.group.post(f"/group/referrals/{stopped.pk}/attended/")
    world.group.post(f"/group/referrals/{stopped.pk}/stopped/", {"reason": ""})
    assert status_of(stopped) == t.ATTENDED_FIRST
    world.group.post(f"/group/referrals/{stopped.pk}/stopped/", {"reason": "Moved away"})
    assert status_of(stopped) == t.STOPPED


def test_a_group_says_whether_the_referral_was_appropriate(world):
    connection = accepted(world)
    url = f"/group/referrals/{connection.pk}/feedback/"
    world.group.post(url, {"appropriate": "yes"})
    connection.refresh_from_db()
    assert connection.group_says_appropriate is True
    html = html_of(world.group.post(url, {"appropriate": "no"}, **HTMX))
    connection.refresh_from_db()
    assert connection.group_says_appropriate is False
    assert "You said: <strong>no</strong>" in html
    assert (
        AuditEvent.objects.filter(
            action="connection_feedback", object_id=str(connection.pk)
        ).count()
        == 2
    )
    world.group.post(url, {"appropriate": "maybe"})
    connection.refresh_from_db()
    assert connection.group_says_appropriate is False


ACTION_URLS = [
    ("accept", "post"),
    ("waitlist", "post"),
    ("decline", "post"),
    ("decline", "get"),
    ("attended", "post"),
    ("did-not-start", "post"),
    ("did-not-start", "get"),
    ("attending", "post"),
    ("completed", "post"),
    ("stopped", "post"),
    ("stopped", "get"),
    ("feedback", "post"),
]


@pytest.mark.parametrize(("slug", "method"), ACTION_URLS)
def test_another_groups_connection_is_404_and_untouched(world, slug, method):
    connection = connect(world)
    url = f"/group/referrals/{connection.pk}/{slug}/"
    response = getattr(world.other_group, method)(url, {"reason": "x", "appropriate": "yes"})
    assert response.status_code == 404
    connection.refresh_from_db()
    assert connection.status == t.SENT and connection.group_says_appropriate is None


def test_a_connection_not_yet_sent_is_404_even_to_its_group(world):
    proposed = connect(world, send=False)
    assert world.group.post(f"/group/referrals/{proposed.pk}/accept/").status_code == 404
    assert status_of(proposed) == t.PROPOSED


# --- The register for a session ----------------------------------------------------------


def test_the_register_records_a_session_in_one_go(world):
    world.walk.places = 5
    world.walk.save()
    came, missed, later = accepted(world), accepted(world, share=()), accepted(world)
    html = html_of(world.group.get(REGISTER))
    assert f"Pat (ref. {came.pk})</h2>" in html and f"Referral {missed.pk}</h2>" in html
    assert html.count("Came to the first session") == 3
    for secret in NEVER_SHOWN:
        assert secret not in html, secret
    response = world.group.post(
        REGISTER,
        {
            "asset": world.walk.pk,
            f"came_{came.pk}": "on",
            f"reason_{missed.pk}": "Could not get there",
        },
    )
    assert response.status_code == 302
    assert status_of(came) == t.ATTENDED_FIRST
    assert status_of(missed) == t.DID_NOT_START
    assert Connection.objects.get(pk=missed.pk).reason == "Could not get there"
    assert status_of(later) == t.ACCEPTED  # unticked, no reason: left for a later session
    assert "register saved" in html_of(world.group.get(INBOX))


def test_a_register_with_a_mistake_saves_nothing(world):
    first, second = accepted(world), accepted(world)
    response = world.group.post(
        REGISTER,
        {
            "asset": world.walk.pk,
            f"came_{first.pk}": "on",
            f"came_{second.pk}": "on",
            f"reason_{second.pk}": "Did not come",
        },
    )
    html = html_of(response)
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert f'href="#id_reason_{second.pk}"' in html
    assert {status_of(first), status_of(second)} == {t.ACCEPTED}
    html = html_of(world.group.post(REGISTER, {"asset": world.walk.pk}))
    assert "Tick who came" in html


def test_a_register_refuses_when_someone_was_recorded_meanwhile(world):
    first, second = accepted(world), accepted(world)
    page = html_of(world.group.get(REGISTER))
    assert f"came_{second.pk}" in page
    services.transition_connection(connection=second, to=t.ATTENDED_FIRST, by=world.group.user)
    # The page's form is rebuilt from who is accepted now, so the race is between the
    # view's read and the service's write: the service refuses the whole register.
    with pytest.raises(Conflict):
        services.record_register(asset=world.walk, came=[first.pk, second.pk], by=world.group.user)
    assert status_of(first) == t.ACCEPTED


def test_the_register_is_only_for_the_groups_own_assets(world):
    choir = AssetFactory(organisation=world.full.organisation, name="Evening choir", places=None)
    assert world.group.get(REGISTER, {"asset": choir.pk}).status_code == 404
    assert world.group.post(REGISTER, {"asset": choir.pk}).status_code == 404


def test_the_register_asks_which_activity_when_the_group_has_several(world):
    second_asset = AssetFactory(organisation=world.walk.organisation, name="Park run", places=None)
    accepted(world)
    accepted(world, second_asset)
    html = html_of(world.group.get(REGISTER))
    assert "Which activity was the session?" in html and "Came to the first session" not in html
    html = html_of(world.group.get(REGISTER, {"asset": second_asset.pk}))
    assert html.count("Came to the first session") == 1
