"""Teams run themselves: invitations, the team's caseloads, sharing out cases, and
organisations added without Django admin."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from linkwork.accounts.models import Membership, User
from linkwork.accounts.roles import Role
from linkwork.accounts.services import token_digest
from linkwork.accounts.team.models import Invitation
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Person, Referral
from tests.factories import PASSWORD, OrganisationFactory, user_with_role
from tests.worlds import signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def service(db):
    return OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )


@pytest.fixture
def manager(service):
    return signed_in(user_with_role(Role.SERVICE_MANAGER, organisation=service))


def link_from(mailoutbox) -> str:
    (message,) = mailoutbox
    return re.search(r"https?://\S+/invitations/(\S+)/", message.body).group(1)


def invite(client, organisation, email, role) -> object:
    return client.post(
        "/team/invite/", {"organisation": organisation.pk, "email": email, "role": role}
    )


def referral(service, worker, *, due_days_ago=0, status=t.ACCEPTED) -> Referral:
    person = Person.objects.create(
        given_name="Pat", family_name="Holden", birth_date=dt.date(1956, 3, 14), postcode="BL2 6LT"
    )
    now = timezone.now()
    return Referral.objects.create(
        person=person,
        service=service,
        source="gp",
        status=status,
        assigned_to=worker,
        consent_to_refer=True,
        consent_recorded_at=now,
        first_contact_due=timezone.localdate() - dt.timedelta(days=due_days_ago),
    )


def test_a_service_manager_invites_a_link_worker_who_sets_their_own_password(
    manager, service, mailoutbox
):
    response = invite(manager, service, "New.Worker@Example.org", "link_worker")
    assert response.status_code == 302
    token = link_from(mailoutbox)
    invitation = Invitation.objects.get()
    # Only a digest of the link is kept; the email names the organisation, not the secret.
    assert invitation.digest == token_digest(token) and token not in str(invitation.__dict__)
    assert invitation.email == "new.worker@example.org"
    assert "Community Links" in mailoutbox[0].subject

    visitor = Client()
    page = visitor.get(f"/invitations/{token}/")
    assert page.status_code == 200 and "Join Community Links" in page.content.decode()
    done = visitor.post(
        f"/invitations/{token}/",
        {"full_name": "Nia Evans", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    # The invitation ends at the normal sign-in (where MFA enrolment, if any, happens).
    assert done.status_code == 302 and done["Location"].startswith("/accounts/login/")
    user = User.objects.get(email="new.worker@example.org")
    assert user.check_password(NEW_PASSWORD) and user.full_name == "Nia Evans"
    assert Membership.objects.filter(user=user, organisation=service, role="link_worker").exists()
    assert (
        visitor.post(
            "/accounts/login/", {"username": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert AuditEvent.objects.filter(action="invitation_accepted").exists()


def test_an_invitation_link_works_once(manager, service, mailoutbox):
    invite(manager, service, "once@example.org", "link_worker")
    token = link_from(mailoutbox)
    body = {"full_name": "Once", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert Client().post(f"/invitations/{token}/", body).status_code == 302
    again = Client().get(f"/invitations/{token}/")
    assert again.status_code == 410
    assert "expired or been used" in again.content.decode()
    assert Client().post(f"/invitations/{token}/", body).status_code == 410


def test_an_expired_or_withdrawn_invitation_does_not_work(manager, service, mailoutbox):
    invite(manager, service, "late@example.org", "link_worker")
    token = link_from(mailoutbox)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert Client().get(f"/invitations/{token}/").status_code == 410
    assert Client().get("/invitations/not-a-real-link/").status_code == 404


def test_sending_again_withdraws_the_earlier_link(manager, service, mailoutbox):
    invite(manager, service, "twice@example.org", "link_worker")
    first = link_from(mailoutbox)
    mailoutbox.clear()
    invite(manager, service, "twice@example.org", "link_worker")
    assert Client().get(f"/invitations/{first}/").status_code == 410
    assert Client().get(f"/invitations/{link_from(mailoutbox)}/").status_code == 200


def test_a_weak_or_mistyped_password_is_refused_naming_the_field(manager, service, mailoutbox):
    invite(manager, service, "weak@example.org", "link_worker")
    token = link_from(mailoutbox)
    weak = Client().post(
        f"/invitations/{token}/",
        {"full_name": "Weak", "password": "password", "password_again": "password"},
    )
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    mistyped = Client().post(
        f"/invitations/{token}/",
        {"full_name": "Weak", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"},
    )
    assert "The passwords do not match" in mistyped.content.decode()
    assert not User.objects.filter(email="weak@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_someone_with_an_account_joins_signed_in_as_the_invited_address(
    manager, service, mailoutbox
):
    existing = user_with_role(Role.LINK_WORKER, email="known@example.org")
    invite(manager, service, "known@example.org", "link_worker")
    token = link_from(mailoutbox)
    stranger = signed_in(user_with_role(Role.REFERRER))
    assert "Sign in as known@example.org" in stranger.get(f"/invitations/{token}/").content.decode()
    stranger.post(f"/invitations/{token}/")
    assert not Membership.objects.filter(user=existing, organisation=service).exists()
    joined = signed_in(existing).post(f"/invitations/{token}/")
    assert joined.status_code == 302
    assert Membership.objects.filter(user=existing, organisation=service).exists()
    assert existing.check_password(PASSWORD)  # their password is untouched


def test_a_group_member_invites_other_members_but_not_link_workers(mailoutbox):
    group_org = OrganisationFactory(name="Knit and Natter")
    member = signed_in(user_with_role(Role.GROUP, organisation=group_org))
    page = member.get("/team/")
    assert page.status_code == 200 and "Knit and Natter" in page.content.decode()
    assert invite(member, group_org, "friend@example.org", "group").status_code == 302
    refused = invite(member, group_org, "sneaky@example.org", "link_worker")
    assert refused.status_code == 200
    assert Invitation.objects.filter(email="sneaky@example.org").count() == 0


def test_nobody_invites_into_someone_elses_team(manager, mailoutbox):
    elsewhere = OrganisationFactory(
        name="Elsewhere", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )
    user_with_role(Role.LINK_WORKER, organisation=elsewhere)
    assert manager.get(f"/team/?organisation={elsewhere.pk}").status_code == 403
    assert invite(manager, elsewhere, "x@example.org", "link_worker").status_code == 403
    assert not Invitation.objects.exists() and not mailoutbox


@pytest.mark.parametrize("role", [Role.REFERRER, Role.LINK_WORKER, Role.RESIDENT, Role.PANEL])
def test_roles_without_a_team_to_run_cannot_see_team_pages(persona, role):
    assert persona(role).get("/team/").status_code == 403


def test_a_link_worker_adds_a_new_group_and_invites_its_first_member(mailoutbox):
    worker = signed_in(user_with_role(Role.LINK_WORKER))
    form = worker.get("/organisations/new/")
    assert form.status_code == 200
    # Link workers add community groups, not services or councils.
    assert "Social prescribing service" not in form.content.decode()
    response = worker.post(
        "/organisations/new/", {"name": "  Astley  Bridge Bowls ", "kind": "unconstituted_group"}
    )
    organisation = Organisation.objects.get(name="Astley Bridge Bowls")
    assert response.status_code == 302 and str(organisation.pk) in response["Location"]
    assert invite(worker, organisation, "bowls@example.org", "group").status_code == 302
    token = link_from(mailoutbox)
    Client().post(
        f"/invitations/{token}/",
        {"full_name": "Bo Wells", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    first = User.objects.get(email="bowls@example.org")
    assert Membership.objects.filter(user=first, organisation=organisation, role="group").exists()
    # Once the group has a member, it invites the others itself.
    assert worker.get(f"/team/?organisation={organisation.pk}").status_code == 403
    assert signed_in(first).get("/team/").status_code == 200


def test_an_organisation_that_exists_is_named_not_duplicated():
    OrganisationFactory(name="Heaton Carers' Cafe", kind=OrganisationKind.VCFSE)
    worker = signed_in(user_with_role(Role.LINK_WORKER))
    response = worker.post("/organisations/new/", {"name": "heaton carers' cafe", "kind": "vcfse"})
    assert response.status_code == 200
    assert "already in Linkwork" in response.content.decode()
    missing = worker.post("/organisations/new/", {"name": "", "kind": "vcfse"})
    assert "Enter the organisation" in missing.content.decode()
    assert Organisation.objects.filter(name__iexact="heaton carers' cafe").count() == 1


def test_the_team_page_shows_each_link_workers_caseload_and_overdue_work(manager, service):
    sam = user_with_role(Role.LINK_WORKER, organisation=service, full_name="Sam Okafor")
    user_with_role(Role.LINK_WORKER, organisation=service, full_name="Ola Ade")
    referral(service, sam, due_days_ago=3)
    referral(service, sam)
    referral(service, None)
    page = manager.get("/team/").content.decode()
    assert "Sam Okafor" in page and "Ola Ade" in page
    assert "2 open" in page and "1 first contact overdue" in page
    assert "1 open case not assigned to anyone" in page


def test_a_service_manager_reassigns_a_case_to_a_colleague(manager, service):
    sam = user_with_role(Role.LINK_WORKER, organisation=service, full_name="Sam Okafor")
    ola = user_with_role(Role.LINK_WORKER, organisation=service, full_name="Ola Ade")
    case = referral(service, sam)
    page = manager.get(f"/team/cases/?organisation={service.pk}&worker={sam.pk}")
    text = page.content.decode()
    assert "Pat Holden" in text and "Ola Ade" in text  # "Assign to" lists the team
    assert AuditEvent.objects.filter(action="referral_listed", object_id=str(case.pk)).exists()
    moved = manager.post(
        f"/team/cases/{case.pk}/assign/", {"organisation": service.pk, "assigned_to": ola.pk}
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == ola
    assert AuditEvent.objects.filter(action="referral_assigned", object_id=str(case.pk)).exists()


def test_a_case_cannot_go_to_someone_outside_the_service(manager, service):
    sam = user_with_role(Role.LINK_WORKER, organisation=service)
    outsider = user_with_role(Role.LINK_WORKER)
    case = referral(service, sam)
    manager.post(
        f"/team/cases/{case.pk}/assign/", {"organisation": service.pk, "assigned_to": outsider.pk}
    )
    case.refresh_from_db()
    assert case.assigned_to == sam


def test_link_workers_cannot_share_out_cases(service):
    sam = user_with_role(Role.LINK_WORKER, organisation=service)
    ola = user_with_role(Role.LINK_WORKER, organisation=service)
    case = referral(service, sam)
    response = signed_in(ola).post(
        f"/team/cases/{case.pk}/assign/", {"organisation": service.pk, "assigned_to": ola.pk}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assigned_to == sam


def test_another_services_manager_cannot_see_or_move_its_cases(service):
    sam = user_with_role(Role.LINK_WORKER, organisation=service)
    case = referral(service, sam)
    other = signed_in(user_with_role(Role.SERVICE_MANAGER))
    assert other.get(f"/team/cases/?organisation={service.pk}").status_code == 403
    other.post(
        f"/team/cases/{case.pk}/assign/", {"organisation": service.pk, "assigned_to": sam.pk}
    )
    assert AuditEvent.objects.filter(action="referral_assigned").count() == 0


def test_the_team_page_costs_the_same_queries_however_big_the_team(manager, service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get("/team/").status_code == 200
        return len(captured)

    worker = user_with_role(Role.LINK_WORKER, organisation=service)
    referral(service, worker, due_days_ago=2)
    small = queries()
    for _ in range(15):
        colleague = user_with_role(Role.LINK_WORKER, organisation=service)
        for days in (0, 3, 5):
            referral(service, colleague, due_days_ago=days)
    assert queries() == small, small
