"""The asset map, shaped after Open Referral UK / HSDS 3.0 so the feed is a projection.

HSDS calls an asset a *service*. Each table that the feed publishes has a `uuid`
(ORUK ids are UUIDs); the integer primary key is what our own API uses.
Beyond HSDS: what social prescribing needs to send someone safely (first visit,
welcome contact, safeguarding, referral method, capacity, coverage, freshness).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"
    SOCIAL_PRESCRIBING_SERVICE = "sp_service", "Social prescribing service"
    VCFSE = "vcfse", "VCFSE organisation"
    UNCONSTITUTED_GROUP = "unconstituted_group", "Unconstituted community group"
    COUNCIL = "council", "Council"
    ICB = "icb", "Integrated care board"
    INFRASTRUCTURE = "infrastructure", "VCFSE infrastructure body"
    # A community or citizens' panel: its decisions are public (community.panels).
    PANEL = "panel", "Community panel"


class Organisation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    # Many community groups are unconstituted: a charity or company number is optional.
    registered_number = models.CharField(max_length=32, blank=True)
    # Where an imported organisation came from, so re-imports update rather than duplicate.
    source = models.CharField(max_length=200, blank=True)
    source_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")
        ]

    def __str__(self) -> str:
        return self.name


class Vocabulary(models.TextChoices):
    NEED = "need", "Need category"
    ACTIVITY = "activity", "Activity type"


class Taxonomy(models.Model):
    """A vocabulary of terms: Linkwork's own, or one imported from a CSV or a feed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    # Stable codes (e.g. "need-money-debt") are what the API and imports speak.
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    vocabulary = models.CharField(max_length=16, choices=Vocabulary.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["vocabulary", "name"]

    def __str__(self) -> str:
        return self.name


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


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place"
    VIRTUAL = "virtual", "Online or by phone"


class Location(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # HSDS location_type: an online option is a virtual location with a link or a phone.
    location_type = models.CharField(
        max_length=8, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = models.URLField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Indexed for the bounding-box prefilter of "near a postcode" searches.
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True, db_index=True)
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    accessibility_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        # The bounding box of a "near a postcode" search filters on both at once.
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_lat_lon")]

    def __str__(self) -> str:
        return self.name or self.address_1 or self.postcode


class AssetLocation(models.Model):
    """HSDS service_at_location: where an asset happens."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="asset_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="asset_locations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "location"], name="asset_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.asset} at {self.location}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


RFC5545_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Every week"
    MONTHLY = "MONTHLY", "Every month"
    # A one-off dated event: HSDS gives it a dtstart and no freq.
    ONCE = "ONCE", "Once only"


# RFC 5545 BYDAY ordinals for "first Friday", "last Tuesday" of the month.
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


class Schedule(models.Model):
    """A recurring session: a weekday and times, with an RFC 5545 rule where needed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, db_index=True)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    freq = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1)
    # Monthly by weekday of the month: 1..4 or -1 (last), as in BYDAY=1FR / -1TU.
    ordinal = models.SmallIntegerField(null=True, blank=True)
    # The first date (the date of a one-off event; where every-n-weeks counts from) and
    # the last; both in Europe/London.
    dtstart = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    term_time_only = models.BooleanField(default=False)
    # Dates it does not run, as ISO date ranges [["2026-12-21", "2027-01-03"], ...].
    paused = models.JSONField(default=list, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="schedule_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    @property
    def byday(self) -> str:
        day = RFC5545_DAYS[self.weekday]
        return f"{self.ordinal}{day}" if self.ordinal else day

    @property
    def rrule(self) -> str:
        if self.freq == Frequency.ONCE:
            return f"DTSTART={self.dtstart:%Y%m%d};COUNT=1" if self.dtstart else ""
        rule = f"FREQ={self.freq};INTERVAL={self.interval};BYDAY={self.byday}"
        return rule + (f";UNTIL={self.until:%Y%m%d}" if self.until else "")


class Contact(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name


class CostKind(models.TextChoices):
    FREE = "free", "Free"
    DONATION = "donation", "Suggested donation"
    PER_SESSION = "per_session", "Per session"
    CONCESSION = "concession", "Concessions"
    OTHER = "other", "Other cost"


# A donation is asked, not charged: a listing with only these is still free.
FREE_KINDS = {CostKind.FREE, CostKind.DONATION}


class CostOption(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="cost_options")
    kind = models.CharField(max_length=16, choices=CostKind.choices, default=CostKind.OTHER)
    option = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    amount_description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) | models.Q(amount__isnull=True),
                name="cost_option_amount_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.option


class ListingClaim(models.Model):
    """Someone says they run a listing and asks to keep it up to date."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_claims"
    )
    role_in_group = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "claimant"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Claim of {self.asset_id} ({self.status})"


class ListingReport(models.Model):
    """A link worker's "this has closed / details are wrong", for the owner and reviewers."""

    class Problem(models.TextChoices):
        CLOSED = "closed", "It has closed"
        DETAILS_WRONG = "details_wrong", "Details are wrong"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="reports")
    problem = models.CharField(max_length=16, choices=Problem.choices)
    details = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Report on {self.asset_id}: {self.problem}"


class CapacityChange(models.Model):
    """One change of a listing's capacity, by hand or automatic, with its cause: the
    listing's capacity history, so nobody wonders why it went full."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="capacity_changes")
    at = models.DateTimeField(default=timezone.now)
    # Null for an automatic change, or someone since removed.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=CapacityStatus.choices)
    to_status = models.CharField(max_length=16, choices=CapacityStatus.choices)
    from_places = models.PositiveIntegerField(null=True, blank=True)
    to_places = models.PositiveIntegerField(null=True, blank=True)
    # Never a person's name: groups and curators read this.
    cause = models.CharField(max_length=300)
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["asset", "-at"], name="capacity_change_asset_at")]

    def __str__(self) -> str:
        return f"Capacity of {self.asset_id}: {self.from_status} → {self.to_status}"

    @property
    def full_note(self) -> str:
        """What the group's page says when taking the last place made the listing full."""
        if not self.automatic or self.to_status != CapacityStatus.FULL:
            return ""
        return f"You are now full: {self.cause[:1].lower()}{self.cause[1:]}"


class ListingNote(models.Model):
    """What a social prescribing service's link workers know about a listing: a visit
    made, or who it suits or does not. Private to that service: never shown to the
    group, to residents or in the ORUK feed."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        NOTE = "note", "Note"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="service_notes")
    # The service whose link workers wrote it and may read it.
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField()
    visited_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "asset"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.asset_id}"
