"""The link worker's pages: triage, caseload and the case page, through the closed loop."""

import copy
import datetime as dt
import re

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import ReferralMethod
from linkwork.referrals import services
from linkwork.referrals.models import (
    SHAREABLE_FIELDS,
    Connection,
    ConnectionEvent,
    Conversation,
    FollowUp,
    Plan,
    Referral,
    UnmetNeed,
)
from tests.factories import user_with_role
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db


def refer(world, *, share: bool = True, **person) -> Referral:
    return services.create_referral(
        person={**REFERRAL["person"], **person},
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        share_with_groups=share,
        contact_methods=["phone"],
        notes=REFERRAL["notes"],
        referrer_organisation=world.practice,
        by=world.gp.user,
    )


def accepted(world, **kwargs) -> Referral:
    referral = refer(world, **kwargs)
    services.accept_referral(
        referral=referral, link_worker=world.link_worker.user, by=world.link_worker.user
    )
    return referral


def contacted(world, **kwargs) -> Referral:
    referral = accepted(world, **kwargs)
    services.record_conversation(
        referral=referral, what_matters="Getting out", by=world.link_worker.user
    )
    referral.refresh_from_db()
    return referral


def case_url(referral, name: str = "referral-detail", **kwargs) -> str:
    return reverse(name, kwargs={"pk": referral.pk, **kwargs})


def html(response) -> str:
    return response.content.decode()


def shows_problem(response) -> bool:
    """Refused: the case page again, with the error summary (a 200, as for any form)."""
    return response.status_code == 200 and "nhsuk-error-summary" in html(response)


# --- Triage ------------------------------------------------------------------------------


def test_the_queue_lists_new_referrals_oldest_first_with_flags_and_overdue_marked(world):
    older = refer(world)
    newer = refer(world, given_name="Sam", family_name="Ward", nhs_number="")
    Referral.objects.filter(pk=older.pk).update(
        first_contact_due=timezone.localdate() - dt.timedelta(days=2),
        eligibility_flags=["Over the service's maximum age of 60."],
    )
    page = html(world.link_worker.get(reverse("triage-queue")))
    assert page.index("Pat Holden") < page.index("Sam Ward")
    assert "Outside the service&#39;s criteria" in page
    assert "Over the service&#39;s maximum age of 60." in page
    assert page.count("nhsuk-tag--red") == 1  # only the overdue one
    assert "Loneliness and isolation" in page
    assert f'action="{case_url(newer, "casework-accept")}"' in page


def test_a_link_worker_accepts_a_referral_onto_their_caseload(world, mailoutbox):
    referral = refer(world)
    response = world.link_worker.post(
        case_url(referral, "casework-accept"), {"next": reverse("triage-queue")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("triage-queue")
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.assigned_to == world.link_worker.user
    assert referral.follow_ups.count() == 2  # six- and twelve-week reviews
    assert any("Accepted" in m.subject for m in mailoutbox)  # the referrer is told
    assert "Pat Holden" not in html(world.link_worker.get(reverse("triage-queue")))


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example/"]
)
def test_going_back_after_an_action_never_leaves_the_site(world, elsewhere):
    referral = refer(world)
    response = world.link_worker.post(case_url(referral, "casework-accept"), {"next": elsewhere})
    assert response["Location"] == case_url(referral)


def test_a_link_worker_accepts_and_assigns_to_a_colleague(world):
    colleague = user_with_role(Role.LINK_WORKER, organisation=world.service, full_name="Ada Lee")
    referral = refer(world)
    assert "Ada Lee" in html(world.link_worker.get(reverse("triage-queue")))
    world.link_worker.post(case_url(referral, "casework-accept"), {"assigned_to": colleague.pk})
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.assigned_to == colleague


def test_assigning_to_someone_outside_the_service_changes_nothing(world):
    referral = refer(world)
    response = world.link_worker.post(
        case_url(referral, "casework-accept"), {"assigned_to": world.other_link_worker.user.pk}
    )
    assert shows_problem(response)
    assert "nhsuk-error-summary" in html(response)
    referral.refresh_from_db()
    assert referral.status == "received" and referral.assigned_to is None


def test_declining_needs_a_reason_and_the_referrer_is_told(world, mailoutbox):
    referral = refer(world)
    url = case_url(referral, "casework-transition")
    refused = world.link_worker.post(url, {"to": "declined", "reason": " "})
    assert shows_problem(refused)
    assert 'href="#decline-reason"' in html(refused)
    assert "Say why, so the referrer knows what to do next." in html(refused)
    referral.refresh_from_db()
    assert referral.status == "received"
    mailoutbox.clear()
    done = world.link_worker.post(
        url, {"to": "returned", "reason": "Needs a mental health assessment first."}
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "returned"
    assert referral.reason == "Needs a mental health assessment first."
    assert [m.to for m in mailoutbox] == [[world.gp.user.email]]
    assert "Pat" not in mailoutbox[0].body  # no personal data in the email


def test_a_transition_not_in_the_table_names_the_current_state(world):
    referral = refer(world)
    response = world.link_worker.post(
        case_url(referral, "casework-transition"), {"to": "in_progress"}
    )
    assert shows_problem(response)
    assert "A referral that is received cannot become in_progress" in html(response)


# --- Conversation and plan -------------------------------------------------------------


def test_recording_a_conversation_moves_the_referral_to_contacted(world):
    referral = accepted(world)
    url = case_url(referral, "casework-conversation")
    empty = world.link_worker.post(url, {"what_matters": ""})
    assert shows_problem(empty) and 'href="#conversation-what_matters"' in html(empty)
    assert not Conversation.objects.exists()
    response = world.link_worker.post(
        url,
        {
            "what_matters": "Seeing people again since Jim died.",
            "strengths": "Loves gardening",
            "need_need-loneliness": "I don't talk to anyone all week",
            "need_need-housing": "",
            "barriers": "Buses",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "contacted" and referral.first_contacted_at is not None
    conversation = referral.conversations.get()
    assert conversation.needs == {"need-loneliness": "I don't talk to anyone all week"}
    page = html(world.link_worker.get(case_url(referral)))
    assert "Seeing people again since Jim died." in page
    assert "I don&#39;t talk to anyone all week" in page


def test_the_plan_keeps_goals_in_the_persons_own_words(world):
    referral = contacted(world)
    url = case_url(referral, "casework-plan")
    assert shows_problem(world.link_worker.post(url, {"goals": "  \n "}))
    world.link_worker.post(url, {"goals": "Get out twice a week\n\nMake one new friend\n"})
    assert Plan.objects.get(referral=referral).goals == [
        "Get out twice a week",
        "Make one new friend",
    ]
    assert "Make one new friend" in html(world.link_worker.get(case_url(referral)))


# --- Connections -------------------------------------------------------------------------


def test_a_link_worker_proposes_and_sends_a_connection(world, mailoutbox):
    referral = contacted(world)
    page = html(world.link_worker.get(case_url(referral)))
    assert "Health walk" in page and "miles away" in page  # near the person, for their reasons
    response = world.link_worker.post(
        case_url(referral, "casework-connection-propose"),
        {
            "asset": world.walk.pk,
            "share": ["first_name", "access_needs"],
            "accompanied": "on",
            "first_session": "Tuesday 10am",
        },
    )
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert connection.status == "proposed" and connection.accompanied
    assert connection.shared_fields == ["first_name", "access_needs"]
    mailoutbox.clear()
    sent = world.link_worker.post(case_url(referral, "casework-connection-send", cid=connection.pk))
    assert sent.status_code == 302
    connection.refresh_from_db()
    referral.refresh_from_db()
    assert connection.status == "sent" and referral.status == "in_progress"
    assert world.group.user.email in [m.to[0] for m in mailoutbox]
    assert all("Pat" not in m.body for m in mailoutbox)
    assert "Sent" in html(world.link_worker.get(case_url(referral)))


def test_sending_to_a_full_group_shows_open_alternatives_and_changes_nothing(world):
    referral = contacted(world)
    world.link_worker.post(
        case_url(referral, "casework-connection-propose"),
        {"asset": world.full.pk, "share": ["first_name"]},
    )
    refused = Connection.objects.get()
    events = ConnectionEvent.objects.count()
    response = world.link_worker.post(
        case_url(referral, "casework-connection-send", cid=refused.pk)
    )
    assert shows_problem(response)
    page = html(response)
    assert "nhsuk-error-summary" in page and "Full walk is full" in page
    assert "Connect to this instead" in page and "Health walk" in page
    refused.refresh_from_db()
    referral.refresh_from_db()
    assert refused.status == "proposed" and refused.sent_at is None
    assert ConnectionEvent.objects.count() == events and referral.status == "contacted"

    instead = world.link_worker.post(
        case_url(referral, "casework-connection-instead", cid=refused.pk),
        {"asset": world.walk.pk},
    )
    assert instead.status_code == 302
    other = Connection.objects.exclude(pk=refused.pk).get()
    assert other.asset == world.walk and other.status == "sent"
    assert other.shared_fields == ["first_name"]


def test_connecting_instead_to_another_full_group_keeps_nothing(world):
    referral = contacted(world)
    refused = services.propose_connection(
        referral=referral, asset=world.full, by=world.link_worker.user
    )
    world.walk.capacity_status = "paused"
    world.walk.save()
    response = world.link_worker.post(
        case_url(referral, "casework-connection-instead", cid=refused.pk),
        {"asset": world.walk.pk},
    )
    assert shows_problem(response)
    assert Connection.objects.count() == 1


def test_phone_first_groups_get_instructions_instead_of_a_notice(world, mailoutbox):
    world.walk.referral_method = ReferralMethod.PHONE_FIRST
    world.walk.phone = "01204 000000"
    world.walk.save()
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    mailoutbox.clear()
    response = world.link_worker.post(
        case_url(referral, "casework-connection-send", cid=connection.pk), follow=True
    )
    assert "This group asks for a phone call first: 01204 000000." in html(response)
    assert not [m for m in mailoutbox if world.group.user.email in m.to]


def test_nothing_can_be_shared_without_consent(world):
    referral = contacted(world, share=False)
    page = html(world.link_worker.get(case_url(referral)))
    assert "has not agreed to share details with groups" in page
    share_boxes = re.findall(r'<input[^>]*name="share"[^>]*>', page)
    assert len(share_boxes) == len(SHAREABLE_FIELDS) and all(
        " disabled" in box for box in share_boxes
    )
    response = world.link_worker.post(
        case_url(referral, "casework-connection-propose"),
        {"asset": world.walk.pk, "share": ["first_name"]},
    )
    assert shows_problem(response)
    assert "The person has not agreed to share details with groups." in html(response)
    assert not Connection.objects.exists()


def test_a_link_worker_records_attendance_and_a_non_start_needs_a_reason(world):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    services.send_connection(connection=connection, by=world.link_worker.user)
    services.accept_connection(connection=connection, by=world.group.user)
    url = case_url(referral, "casework-connection-attendance", cid=connection.pk)
    assert shows_problem(world.link_worker.post(url, {"outcome": "did_not_start"}))
    connection.refresh_from_db()
    assert connection.status == "accepted"
    assert world.link_worker.post(url, {"outcome": "attended_first"}).status_code == 302
    connection.refresh_from_db()
    assert connection.status == "attended_first"


def test_an_unmet_need_is_recorded_in_one_step(world):
    referral = contacted(world)
    response = world.link_worker.post(
        case_url(referral, "casework-unmet-need"),
        {"category": "need-housing", "reason": "none_exists", "notes": "No tenancy advice"},
    )
    assert response.status_code == 302
    unmet = UnmetNeed.objects.get()
    assert unmet.category.code == "need-housing" and unmet.area == world.lsoa
    bad = world.link_worker.post(
        case_url(referral, "casework-unmet-need"), {"category": "need-housing", "reason": "x"}
    )
    assert shows_problem(bad) and UnmetNeed.objects.count() == 1


# --- Follow-ups, closure, consent -------------------------------------------------------


def test_a_follow_up_due_is_counted_on_the_caseload_and_completed_from_its_list(world):
    referral = accepted(world)
    follow_up = referral.follow_ups.get(kind="six_weeks")
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=timezone.localdate())
    assert "Follow-ups due by today (1)" in html(world.link_worker.get(reverse("caseload")))
    page = html(world.link_worker.get(reverse("follow-ups")))
    assert "six-week review" in page
    url = case_url(referral, "casework-follow-up-complete", fid=follow_up.pk)
    assert shows_problem(world.link_worker.post(url, {"outcome": ""}))
    back = reverse("follow-ups")
    response = world.link_worker.post(url, {"outcome": "Going weekly.", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    follow_up.refresh_from_db()
    assert follow_up.completed_at is not None and follow_up.outcome == "Going weekly."
    after = html(world.link_worker.get(back))
    assert "Six-week review: done." in after and "No follow-ups are due" in after
    assert "Follow-ups due by today (0)" in html(world.link_worker.get(reverse("caseload")))


def test_closing_needs_a_summary(world, mailoutbox):
    referral = contacted(world)
    services.transition_referral(referral=referral, to="in_progress", by=world.link_worker.user)
    url = case_url(referral, "casework-transition")
    refused = world.link_worker.post(url, {"to": "closed", "summary": ""})
    assert shows_problem(refused) and 'href="#close-summary"' in html(refused)
    referral.refresh_from_db()
    assert referral.status == "in_progress"
    world.link_worker.post(url, {"to": "closed", "summary": "Walking weekly; feels better."})
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closure_summary.startswith("Walking")
    assert "Walking weekly; feels better." in html(world.link_worker.get(case_url(referral)))


def test_withdrawing_consent_stops_sharing(world):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, share=["first_name"], by=world.link_worker.user
    )
    world.link_worker.post(case_url(referral, "casework-consent-withdraw"))
    referral.refresh_from_db()
    connection.refresh_from_db()
    assert not referral.consent_share_with_groups and referral.consent_withdrawn_at
    assert connection.shared_fields == []


def test_opening_a_case_is_audited(world):
    referral = refer(world)
    world.link_worker.get(case_url(referral))
    assert AuditEvent.objects.filter(
        action="referral_viewed", object_id=str(referral.pk), actor_id=world.link_worker.user.pk
    ).exists()
    world.link_worker.get(reverse("caseload"))
    assert AuditEvent.objects.filter(action="referral_listed", object_id=str(referral.pk)).exists()


# --- Caseload ----------------------------------------------------------------------------


def test_the_caseload_counts_by_status_and_filters(world):
    mine = accepted(world)
    theirs = refer(world, given_name="Sam", family_name="Ward", nhs_number="")
    page = html(world.link_worker.get(reverse("caseload")))
    assert "Pat Holden" in page and "Sam Ward" in page
    filtered = html(world.link_worker.get(reverse("caseload"), {"status": "received"}))
    assert "Sam Ward" in filtered and "Pat Holden" not in filtered
    only_mine = html(world.link_worker.get(reverse("caseload"), {"mine": "on"}))
    assert "Pat Holden" in only_mine and "Sam Ward" not in only_mine
    assert mine.pk != theirs.pk


def test_overdue_first_contacts_stand_out_on_the_caseload(world):
    referral = accepted(world)
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() - dt.timedelta(days=1)
    )
    page = html(world.link_worker.get(reverse("caseload")))
    assert "nhsuk-tag--red" in page and "Overdue" in page


def test_the_caseload_filter_answers_htmx_with_just_the_list(world):
    accepted(world)
    response = world.link_worker.get(
        reverse("caseload"), {"status": "accepted"}, HTTP_HX_REQUEST="true"
    )
    body = html(response)
    assert response.status_code == 200 and "<html" not in body
    assert "Pat Holden" in body and "Follow-ups due" not in body
    assert "HX-Request" in response["Vary"]
    full = html(world.link_worker.get(reverse("caseload"), {"status": "accepted"}))
    assert "<html" in full and 'hx-target="#caseload-results"' in full


@pytest.mark.parametrize("name", ["caseload", "triage-queue"])
def test_list_pages_take_the_same_number_of_queries_for_3_or_30_referrals(world, name):
    def queries() -> int:
        world.link_worker.get(reverse(name))  # warm the session and the taxonomy
        with CaptureQueriesContext(db_connection) as captured:
            assert world.link_worker.get(reverse(name)).status_code == 200
        return len(captured)

    body = copy.deepcopy(REFERRAL["person"])
    body.pop("nhs_number")
    for n in range(3):
        referral = refer(world, **{**body, "given_name": f"Person{n}"})
        if name == "caseload" and n % 2:
            services.accept_referral(
                referral=referral, link_worker=world.link_worker.user, by=world.link_worker.user
            )
    few = queries()
    for n in range(3, 30):
        referral = refer(world, **{**body, "given_name": f"Person{n}"})
        if name == "caseload" and n % 2:
            services.accept_referral(
                referral=referral, link_worker=world.link_worker.user, by=world.link_worker.user
            )
    many = queries()
    assert many == few, (few, many)
    print(f"{name}: {few} queries with 3 referrals, {many} with 30")


# --- Access ------------------------------------------------------------------------------

ACTIONS = [
    ("casework-accept", {}),
    ("casework-transition", {}),
    ("casework-conversation", {}),
    ("casework-plan", {}),
    ("casework-connection-propose", {}),
    ("casework-connection-send", {"cid": "connection"}),
    ("casework-connection-instead", {"cid": "connection"}),
    ("casework-connection-attendance", {"cid": "connection"}),
    ("casework-connection-withdraw", {"cid": "connection"}),
    ("casework-unmet-need", {}),
    ("casework-follow-up-complete", {"fid": "follow_up"}),
    ("casework-consent-withdraw", {}),
]


@pytest.fixture
def a_case(world):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, share=["first_name"], by=world.link_worker.user
    )
    return {
        "referral": referral,
        "connection": connection.pk,
        "follow_up": referral.follow_ups.first().pk,
    }


def _action_url(a_case, name, kwargs):
    return case_url(a_case["referral"], name, **{k: a_case[v] for k, v in kwargs.items()})


def test_another_services_link_worker_gets_404_on_every_page_and_action(world, a_case):
    outsider = world.other_link_worker
    assert outsider.get(case_url(a_case["referral"])).status_code == 404
    for name, kwargs in ACTIONS:
        body = {
            "to": "declined",
            "reason": "x",
            "what_matters": "x",
            "goals": "x",
            "asset": world.walk.pk,
            "outcome": "attended_first",
            "category": "need-housing",
            "assigned_to": outsider.user.pk,
        }
        response = outsider.post(_action_url(a_case, name, kwargs), body)
        assert response.status_code == 404, name
    page = html(outsider.get(reverse("caseload"))) + html(outsider.get(reverse("triage-queue")))
    assert "Pat Holden" not in page
    referral = a_case["referral"]
    referral.refresh_from_db()
    assert referral.status == "contacted" and referral.consent_share_with_groups
    assert not Plan.objects.exists() and not UnmetNeed.objects.exists()


def test_the_referrer_cannot_open_the_case_page_of_their_own_referral(world, a_case):
    assert world.gp.get(case_url(a_case["referral"])).status_code == 403


@pytest.mark.parametrize("client_name", ["gp", "group", "commissioner"])
def test_roles_without_casework_get_403(world, a_case, client_name):
    client = getattr(world, client_name)
    for url in (reverse("triage-queue"), reverse("caseload"), case_url(a_case["referral"])):
        assert client.get(url).status_code == 403, url
    for name, kwargs in ACTIONS:
        assert client.post(_action_url(a_case, name, kwargs), {}).status_code == 403, name


def test_action_urls_only_take_posts(world, a_case):
    for name, kwargs in ACTIONS:
        assert world.link_worker.get(_action_url(a_case, name, kwargs)).status_code == 405
