"""A referrer's pages: the referral form, their list, and the status of each referral."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import OrganisationKind
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Person, Referral
from tests.factories import OrganisationFactory, user_with_role
from tests.worlds import signed_in

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Pat",
    "family_name": "Holden",
    "birth_date_day": "14",
    "birth_date_month": "3",
    "birth_date_year": "1956",
    "postcode": "bl2 6lt",
    "nhs_number": "943 476 5919",
    "phone": "07700 900123",
    "preferred_contact_method": "phone",
    "language": "en",
    "access_needs": "Uses a walking stick",
    "reasons": ["need-loneliness", "need-physical-activity"],
    "urgency": "routine",
    "notes": "Recently bereaved; keen to get out more.",
    "source": "gp",
    "consent_to_refer": "on",
    "consent_share_with_groups": "on",
    "consent_contact_methods": ["phone"],
}

PERSON = {
    "given_name": "Pat",
    "family_name": "Holden",
    "birth_date": "1956-03-14",
    "postcode": "BL2 6LT",
}


def key_on(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)


def refer(client, **changes) -> tuple:
    """Open the form, fill it in (with `changes`; None leaves a field out) and send it."""
    form = client.get("/referrals/new/")
    assert form.status_code == 200
    data = {**FORM, "idempotency_key": key_on(form.content.decode()), **changes}
    return client.post("/referrals/new/", {k: v for k, v in data.items() if v is not None})


def test_a_gp_refers_through_the_form_and_sees_it_in_their_list(world):
    response = refer(world.gp)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.service == world.service
    assert referral.source == "gp" and referral.referrer == world.gp.user
    assert referral.referrer_organisation == world.practice
    assert referral.consent_to_refer and referral.consent_share_with_groups
    assert referral.consent_recorded_by == world.gp.user
    assert referral.consent_contact_methods == "phone"
    assert sorted(referral.reasons.values_list("code", flat=True)) == FORM["reasons"]
    person = referral.person
    assert (person.given_name, str(person.birth_date), person.postcode) == (
        "Pat",
        "1956-03-14",
        "BL2 6LT",
    )
    assert person.nhs_number == "9434765919" and person.area == world.lsoa

    status = world.gp.get(response["Location"]).content.decode()
    assert "Your referral has been sent to Community Links" in status
    assert "Pat Holden" in status and "Received" in status
    listing = world.gp.get("/referrals/").content.decode()
    assert "Pat Holden" in listing and f'href="/referrals/{referral.pk}/"' in listing


def test_the_form_suggests_the_source_from_the_referrers_organisation(world):
    html = world.gp.get("/referrals/new/").content.decode()
    assert re.search(r'<option value="gp"\s+selected', html)
    assert "Brook Surgery" in html


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"birth_date_year": "2099"}, "id_birth_date_day", "must be in the past"),
        ({"birth_date_month": ""}, "id_birth_date_day", "Date of birth must include a month"),
        ({"birth_date_day": "31", "birth_date_month": "2"}, "id_birth_date_day", "real date"),
        ({"nhs_number": "943 476 5918"}, "id_nhs_number", "not a valid NHS number"),
        ({"postcode": "ZZ9 9ZZ"}, "id_postcode", "ZZ9 9ZZ is outside the area"),
        ({"postcode": "nonsense"}, "id_postcode", "postcode"),
        ({"reasons": None}, "id_reasons", "Select at least one reason"),
        ({"consent_to_refer": None}, "id_consent_to_refer", "agree to be referred"),
        ({"given_name": ""}, "id_given_name", "Enter their first name"),
        ({"email": "not-an-email"}, "id_email", "correct format"),
    ],
)
def test_bad_input_shows_the_error_summary_linked_to_the_field_and_saves_nothing(
    world, changes, field_id, message
):
    response = refer(world.gp, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    summary = html[html.index("nhsuk-error-summary") : html.index("<h1>")]
    assert f'href="#{field_id}"' in summary and message in summary
    assert f'id="{field_id}"' in html  # the link lands on the field
    assert "<title>Error: Refer someone" in html
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_several_mistakes_are_shown_together_and_what_was_typed_is_kept(world):
    html = refer(
        world.gp, birth_date_year="2099", nhs_number="1234567890", consent_to_refer=None
    ).content.decode()
    summary = html[html.index("nhsuk-error-summary") : html.index("<h1>")]
    for field_id in ("id_birth_date_day", "id_nhs_number", "id_consent_to_refer"):
        assert f'href="#{field_id}"' in summary
    assert 'value="Holden"' in html and 'value="2099"' in html
    assert not Referral.objects.exists()


def test_a_double_submitted_form_makes_one_referral(world):
    form = world.gp.get("/referrals/new/").content.decode()
    data = {**FORM, "idempotency_key": key_on(form)}
    first = world.gp.post("/referrals/new/", data)
    second = world.gp.post("/referrals/new/", data)
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1


def test_each_visit_to_the_form_can_make_a_new_referral(world):
    refer(world.gp)
    refer(world.gp, given_name="Sam", nhs_number="")
    assert Referral.objects.count() == 2


def test_a_referrer_chooses_the_service_when_it_is_not_obvious(world):
    # A practice outside any primary care network, in a deployment with two services.
    practice = OrganisationFactory(name="Lone Surgery", kind=OrganisationKind.GP_PRACTICE)
    gp = signed_in(user_with_role(Role.REFERRER, organisation=practice))
    html = gp.get("/referrals/new/").content.decode()
    assert "Which social prescribing service?" in html and "Elsewhere Links" in html
    missing = refer(gp).content.decode()
    assert 'href="#id_service"' in missing and "Select a social prescribing service" in missing
    assert refer(gp, service=str(world.service.pk)).status_code == 302
    assert Referral.objects.get().service == world.service


def test_another_referrers_referral_is_not_found(world):
    refer(world.gp)
    referral = Referral.objects.get()
    assert world.other_gp.get(f"/referrals/{referral.pk}/").status_code == 404
    assert "Holden" not in world.other_gp.get("/referrals/").content.decode()
    assert world.gp.get("/referrals/999999/").status_code == 404


def test_link_workers_and_groups_cannot_use_the_referrers_pages(world):
    refer(world.gp)
    referral = Referral.objects.get()
    assert world.link_worker.get(f"/referrals/{referral.pk}/").status_code == 403
    assert world.group.get("/referrals/").status_code == 403
    assert world.group.get("/referrals/new/").status_code == 403


def _through_the_loop(world, referral):
    worker = world.link_worker.user
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=worker)
    services.record_conversation(
        referral=referral,
        what_matters="Misses her late husband's allotment friends",
        strengths="Great with plants",
        barriers="Worried about the bus",
        by=worker,
    )
    services.save_plan(referral=referral, goals=["Get back to growing vegetables"], by=worker)
    connection = services.propose_connection(referral=referral, asset=world.walk, by=worker)
    services.send_connection(connection=connection, by=worker)
    services.record_unmet_need(
        referral=referral, category="need-money-debt", reason="timing", by=worker
    )
    services.transition_referral(
        referral=referral, to=t.CLOSED, summary="Now walks weekly with the group.", by=worker
    )


def test_the_referrer_sees_the_closure_summary_but_never_case_notes(world):
    refer(world.gp)
    referral = Referral.objects.get()
    _through_the_loop(world, referral)
    html = world.gp.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Now walks weekly with the group." in html
    assert "Health walk" in html  # the connection made
    assert "Money and debt: timing" in html  # the need nothing could meet
    assert "871731000000106" in html  # SNOMED CT: referral to social prescribing service
    for case_note in ("allotment", "Great with plants", "bus", "growing vegetables"):
        assert case_note not in html
    assert html.count("nhsuk-table__row") >= 6  # received, accepted, contacted, ... closed


def test_a_declined_referral_tells_the_referrer_why(world):
    refer(world.gp)
    referral = Referral.objects.get()
    services.transition_referral(
        referral=referral,
        to=t.DECLINED,
        reason="Lives outside our area: try Elsewhere Links.",
        by=world.link_worker.user,
    )
    html = world.gp.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Declined" in html and "Lives outside our area" in html
    assert "871711000000103" in html


def test_reading_a_referral_or_the_list_is_audited(world):
    refer(world.gp)
    referral = Referral.objects.get()
    world.gp.get(f"/referrals/{referral.pk}/")
    world.gp.get("/referrals/")
    actions = set(
        AuditEvent.objects.filter(
            actor_id=world.gp.user.pk, object_id=str(referral.pk)
        ).values_list("action", flat=True)
    )
    assert {"referral_created", "referral_viewed", "referral_listed"} <= actions


def test_the_referrers_home_links_to_the_referral_pages(world):
    html = world.gp.get("/referrer/").content.decode()
    assert 'href="/referrals/new/"' in html and 'href="/referrals/"' in html


def test_the_pages_work_without_javascript(world):
    """Every control is a plain form field or link: nothing needs a script."""
    html = world.gp.get("/referrals/new/").content.decode()
    assert '<form method="post"' in html and 'type="submit"' in html
    assert "hx-" not in html


def test_a_link_worker_who_refers_is_taken_to_the_case(world):
    response = refer(world.link_worker, source="other")
    referral = Referral.objects.get()
    assert referral.referrer == world.link_worker.user and referral.service == world.service
    assert response["Location"] == f"/casework/referrals/{referral.pk}/"


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/referrals/").status_code == 200
    return len(queries.captured_queries)


def test_the_list_costs_the_same_queries_however_many_referrals_it_shows(world):
    def make(count: int) -> None:
        for n in range(count):
            services.create_referral(
                person={**PERSON, "given_name": f"Person{Referral.objects.count()}-{n}"},
                source="gp",
                reasons=["need-loneliness"],
                consent_to_refer=True,
                referrer_organisation=world.practice,
                by=world.gp.user,
            )

    make(2)
    few = _queries_for_list(world.gp)
    make(10)
    assert _queries_for_list(world.gp) == few
