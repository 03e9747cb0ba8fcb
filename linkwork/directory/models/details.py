"""What a listing says beyond itself: where it happens, when, who to contact and what it costs."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from linkwork.directory.models.assets import Asset


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
