"""The asset (HSDS's *service*) and the vocabularies it is described in, capacity among them."""

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkwork.directory.models.organisations import Organisation, TaxonomyTerm

if TYPE_CHECKING:  # the annotations only: details imports this module
    from linkwork.directory.models.details import AssetLocation, Location


class AssetKind(models.TextChoices):
    ACTIVITY = "activity", "Activity"
    GROUP = "group", "Group"
    ADVICE = "advice", "Advice service"
    VENUE = "venue", "Venue"
    GREEN_SPACE = "green_space", "Green space"
    SKILL = "skill", "Skill offered"


class Publication(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ReferralMethod(models.TextChoices):
    LINKWORK = "linkwork", "Accepts referrals through Linkwork"
    PHONE_FIRST = "phone_first", "Phone first"
    OWN_FORM = "own_form", "Their own referral form"
    DROP_IN = "drop_in", "Drop in, no referral needed"


class CapacityStatus(models.TextChoices):
    OPEN = "open", _("Open to new people")
    WAITLIST = "waitlist", _("Waiting list")
    FULL = "full", _("Full")
    PAUSED = "paused", _("Paused")


# The capacity vocabulary's named sets, set after the class (an attribute in its body would
# become a choice). Every module reads these rather than listing statuses of its own.
# Taking people: a referral can be sent (to a waiting list, it waits there).
CapacityStatus.TAKING_PEOPLE = (CapacityStatus.OPEN, CapacityStatus.WAITLIST)

# Closed to new people: a connection cannot be sent; the case page offers alternatives.
CapacityStatus.CLOSED_TO_NEW_PEOPLE = (CapacityStatus.FULL, CapacityStatus.PAUSED)

# No place free now: closed to new people, or only a waiting list (insight counts these as
# the listings someone could not start at straight away).
CapacityStatus.NO_PLACE_NOW = (CapacityStatus.WAITLIST, *CapacityStatus.CLOSED_TO_NEW_PEOPLE)


class PlacesPeriod(models.TextChoices):
    WEEK = "week", "per week"
    TOTAL = "total", "in total"


class GenderSpace(models.TextChoices):
    ANY = "", "Anyone"
    WOMEN = "women", "Women only"
    MEN = "men", "Men only"


ACCESSIBILITY_FEATURES = {
    "step_free": _("Step-free access"),
    "accessible_toilet": _("Accessible toilet"),
    "hearing_loop": _("Hearing loop"),
    "seating": _("Seating available"),
    "parking": _("Disabled parking"),
    "quiet_space": _("Quiet space"),
    "bsl": _("British Sign Language"),
}


def default_freshness_period() -> timedelta:
    return timedelta(days=settings.LISTING_STALE_AFTER_DAYS)


class Asset(models.Model):
    """Anything that supports wellbeing: an activity, group, advice service, venue..."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=AssetKind.choices, default=AssetKind.ACTIVITY)
    description = models.TextField()
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="assets")

    # Who it is for.
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    who_for = models.CharField(max_length=300, blank=True)
    gender_space = models.CharField(
        max_length=8, choices=GenderSpace.choices, blank=True, default=""
    )
    community_of_interest = models.CharField(max_length=200, blank=True, db_index=True)

    # Cost, languages and access: codes between commas (",en,pl,") so one
    # `contains` filter works the same on SQLite and PostgreSQL.
    is_free = models.BooleanField(default=True, db_index=True)
    cost_description = models.CharField(max_length=300, blank=True)
    language_codes = models.CharField(max_length=200, blank=True, default=",en,")
    accessibility_codes = models.CharField(max_length=300, blank=True, default="")
    accessibility_notes = models.TextField(blank=True)

    # What a person needs to decide to go.
    first_visit = models.TextField("What to expect on a first visit", blank=True)
    taster_session = models.BooleanField(default=False)
    welcome_contact_name = models.CharField(max_length=200, blank=True)
    travel_notes = models.TextField(blank=True)

    # How long it runs for a person: "Six-week course", "Ongoing".
    duration = models.CharField(max_length=200, blank=True)

    # Safeguarding, each with the date that makes it checkable.
    safeguarding_policy = models.BooleanField(default=False)
    safeguarding_policy_reviewed_on = models.DateField(null=True, blank=True)
    dbs_checked_lead = models.BooleanField(default=False)
    dbs_checked_on = models.DateField(null=True, blank=True)
    insurance = models.BooleanField(default=False)
    insurance_until = models.DateField(null=True, blank=True)
    first_aid = models.BooleanField(default=False)
    first_aid_until = models.DateField(null=True, blank=True)

    # How to refer, and what the group wants to know in advance.
    referral_method = models.CharField(
        max_length=16, choices=ReferralMethod.choices, default=ReferralMethod.LINKWORK
    )
    referral_form_url = models.URLField(blank=True)
    advance_information = models.TextField(blank=True)

    # Capacity: no group is sent more people than it can take.
    capacity_status = models.CharField(
        max_length=16, choices=CapacityStatus.choices, default=CapacityStatus.OPEN, db_index=True
    )
    places = models.PositiveIntegerField(null=True, blank=True)
    places_period = models.CharField(
        max_length=8, choices=PlacesPeriod.choices, default=PlacesPeriod.WEEK
    )
    capacity_note = models.CharField(max_length=300, blank=True)
    capacity_updated_at = models.DateTimeField(null=True, blank=True)
    # When a full or paused group expects to take people again, if it says; cleared on
    # opening. Search shows it ("May reopen on 5 January 2027").
    may_reopen_on = models.DateField(null=True, blank=True)

    # Coverage: the neighbourhoods served, or the whole borough for a community of interest.
    borough_wide = models.BooleanField(default=False)
    coverage_areas = models.ManyToManyField(
        "places.Area", blank=True, related_name="assets_serving"
    )

    # Freshness.
    last_verified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    publication = models.CharField(
        max_length=16, choices=Publication.choices, default=Publication.DRAFT, db_index=True
    )
    # Denormalised text for full-text search (name, description, terms, community),
    # indexed by FTS5 on SQLite and a tsvector on PostgreSQL (see migrations).
    search_text = models.TextField(blank=True, editable=False)

    source = models.CharField(max_length=200, blank=True)
    source_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["source", "source_id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def verification_due_at(self):
        since = self.last_verified_at or self.created_at
        return since + default_freshness_period() if since else None

    @property
    def is_stale(self) -> bool:
        due = self.verification_due_at
        return due is not None and due <= timezone.now()

    @property
    def languages(self) -> list[str]:
        return [code for code in self.language_codes.split(",") if code]

    @property
    def accessibility(self) -> list[str]:
        return [code for code in self.accessibility_codes.split(",") if code]

    @property
    def place(self) -> "AssetLocation | None":
        """Where it happens (the first physical location), from prefetched locations."""
        links = self.asset_locations.all()
        return next((a for a in links if a.location.location_type == "physical"), None)

    @property
    def online(self) -> "Location | None":
        """The online or phone option (an HSDS virtual location), if any."""
        links = self.asset_locations.all()
        return next((a.location for a in links if a.location.location_type == "virtual"), None)

    @property
    def can_receive_referrals(self) -> bool:
        """Whether a connection to it can be sent (straight in, or onto its waiting list)."""
        return self.capacity_status in CapacityStatus.TAKING_PEOPLE
