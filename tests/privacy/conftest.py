"""A person with something in every table that can hold data about them."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linkwork.community.models import Interest
from linkwork.directory.models import TaxonomyTerm
from linkwork.directory.services import load_default_taxonomy
from linkwork.outcomes.models import OtherOutcomes, QuestionnaireLink, Response
from linkwork.referrals.models import (
    Connection,
    ConnectionEvent,
    Conversation,
    FeedbackRequest,
    FollowUp,
    Person,
    PersonMerge,
    Plan,
    Referral,
    ReferralEvent,
    UnmetNeed,
)
from tests.factories import AssetFactory, OrganisationFactory

# Identifiers nothing else in the test database holds.
IDENTIFIERS = {
    "given_name": "Zebedee",
    "family_name": "Quillfeather",
    "birth_date": "1961-02-23",
    "nhs_number": "9434765919",
    "phone": "07700900461",
    "email": "zeb.quill@example.test",
    "postcode": "ZZ9 9ZZ",
}
FREE_TEXT = "marmalade-kittens"


def make_person(**overrides) -> Person:
    values = {**IDENTIFIERS, "birth_date": dt.date(1961, 2, 23), **overrides}
    return Person.objects.create(
        access_needs=f"{FREE_TEXT} access",
        contact_times="after 4pm",
        sex="female",
        ethnicity="white british",
        gp_practice="Quill Surgery",
        **values,
    )


def make_referral(person: Person, service, **fields) -> Referral:
    now = timezone.now()
    return Referral.objects.create(
        person=person,
        service=service,
        source="gp",
        consent_to_refer=True,
        consent_recorded_at=now,
        first_contact_due=now.date(),
        notes=f"{FREE_TEXT} notes about Zebedee",
        person_details={"given_name": "Zebedee", "birth_date": "1961-02-23"},
        **fields,
    )


@pytest.fixture
def held(db):
    load_default_taxonomy(by=None)
    service = OrganisationFactory(name="Links")
    asset = AssetFactory(organisation=OrganisationFactory(name="Walkers"), name="Walk")
    term = TaxonomyTerm.objects.get(code="need-physical-activity")
    person = make_person()
    # An older record of the same person, merged into this one.
    merged = make_person(given_name="Zeb", merged_into=None)
    referral = make_referral(person, service, status="closed", closure_summary=FREE_TEXT)
    ReferralEvent.objects.create(referral=referral, to_status="closed", reason=FREE_TEXT)
    Conversation.objects.create(
        referral=referral,
        what_matters=f"{FREE_TEXT} matters",
        strengths="Zebedee sings",
        needs={"loneliness": FREE_TEXT},
        barriers="stairs",
    )
    Plan.objects.create(referral=referral, goals=[f"{FREE_TEXT} goal"])
    connection = Connection.objects.create(
        referral=referral,
        asset=asset,
        background_needs=f"{FREE_TEXT} background",
        proposed_first_session="Tuesday",
        instructions="call Zebedee",
        reason=FREE_TEXT,
    )
    ConnectionEvent.objects.create(connection=connection, to_status="sent", reason=FREE_TEXT)
    UnmetNeed.objects.create(referral=referral, category=term, reason="cost", notes=FREE_TEXT)
    FollowUp.objects.create(
        referral=referral, kind="six_weeks", due_on=dt.date(2026, 1, 5), outcome=FREE_TEXT
    )
    FeedbackRequest.objects.create(
        referral=referral,
        digest="d" * 64,
        rating=4,
        comment=f"{FREE_TEXT} thanks",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    link = QuestionnaireLink.objects.create(
        referral=referral,
        instruments=["ons4"],
        token_digest="e" * 64,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    Response.objects.create(
        referral=referral,
        instrument="ons4",
        timepoint="baseline",
        answers=[5, 6, 4, 3],
        goals=[f"{FREE_TEXT} ladder"],
        complete=True,
        raw=18,
        score=18,
        completed_on=dt.date(2026, 1, 1),
        link=link,
    )
    OtherOutcomes.objects.create(referral=referral, income_annual="1200.00", group_joined=True)
    old_referral = make_referral(merged, service, status="closed")
    PersonMerge.objects.create(
        merged=merged,
        kept=person,
        referral_ids=[old_referral.pk],
        changed={"phone": ["07700900461", ""]},
    )
    merged.merged_into = person
    merged.save()
    interest = Interest.objects.create(
        activity=term,
        description=f"{FREE_TEXT} craft group",
        consent_to_contact=True,
        contact_name="Zebedee Quillfeather",
        contact_method="email",
        contact_detail="zeb.quill@example.test",
        postcode="ZZ9 9ZZ",
    )
    return SimpleNamespace(
        person=person, merged=merged, referral=referral, interest=interest, service=service
    )
