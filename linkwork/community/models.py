"""Community: residents' interests (the raw material of emerging groups) and grants.

An *interest* is "I would join X if it existed near me" (DESIGN.md §3), recorded by a
resident or by a link worker on someone's behalf. Interests are counted, never listed
by name, outside the people who hold consent to contact them. A *grant* is light-touch
funding to a group, so that investment can be seen beside the load a group carries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InterestStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RecordedOnBehalf(models.TextChoices):
    """Who filled the form in."""

    SELF = "self", "The resident themselves"
    LINK_WORKER = "link_worker", "A link worker, on the resident's behalf"


class ContactBy(models.TextChoices):
    """Who the resident agreed may contact them about the interest."""

    COMMUNITY_WORKER = "community_worker", _("A community development worker")
    GROUP_ORGANISER = "group_organiser", _("Someone starting a group like this")
    EITHER = "either", _("Either of these")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")


class Interest(models.Model):
    """Someone would take part in an activity that does not exist nearby.

    Clustering (community.selectors.emerging_groups) uses `activity` (or, when there is
    no term, nothing: free-text interests are shown to workers but not clustered),
    `neighbourhood`/`lsoa` and `community_of_interest`.
    """

    # The kind of activity wanted: an "activity-*" TaxonomyTerm (vocabulary "activity").
    # Null when the person only described it in words.
    activity = models.ForeignKey(
        "directory.TaxonomyTerm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests",
        limit_choices_to={"vocabulary": "activity"},
    )
    # What they would like, in their words ("a women-only craft group in the daytime").
    description = models.TextField(blank=True)
    # A community of interest, when the activity is for one ("women", "South Asian elders").
    # Free text, compared case-insensitively when interests are clustered.
    community_of_interest = models.CharField(max_length=200, blank=True, db_index=True)

    # The postcode given (normalised, "BL2 6LT"); personal data, used only to find the area.
    postcode = models.CharField(max_length=8, blank=True)
    # The LSOA the postcode falls in (null when no postcode was given or it is not loaded).
    lsoa = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The neighbourhood the interest counts in: the LSOA's neighbourhood at the time it
    # was recorded, or a neighbourhood chosen directly when no postcode was given.
    neighbourhood = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
        limit_choices_to={"area_type": "neighbourhood"},
    )

    # Consent to be contacted about the interest (e.g. when a group starts). Without it
    # no contact detail is kept (enforced by a constraint), and the interest only counts.
    consent_to_contact = models.BooleanField(default=False)
    consented_at = models.DateTimeField(null=True, blank=True)
    # Who may contact them (ContactBy), and when suits them ("weekday mornings").
    contact_by = models.CharField(max_length=24, choices=ContactBy.choices, blank=True)
    contact_times = models.CharField(max_length=200, blank=True)
    # How and where to reach them: only with consent.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_method = models.CharField(max_length=8, choices=ContactMethod.choices, blank=True)
    contact_detail = models.CharField(max_length=254, blank=True)

    # Who filled in the form: the resident, or a link worker on their behalf.
    recorded_on_behalf = models.CharField(
        max_length=16, choices=RecordedOnBehalf.choices, default=RecordedOnBehalf.SELF
    )
    # The signed-in user who recorded it; null for a resident who was not signed in.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests_recorded",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Open interests count towards emerging groups; closed ones (a group started, the
    # person moved on or withdrew) do not.
    status = models.CharField(
        max_length=8, choices=InterestStatus.choices, default=InterestStatus.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)
    # The listing that answered it (an existing one, or the new group it led to).
    answered_by = models.ForeignKey(
        "directory.Asset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_interests",
    )

    PERSONAL_DATA_FIELDS = (
        "postcode",
        "contact_name",
        "contact_detail",
        "contact_times",
        "description",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "activity", "neighbourhood"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_contact=True)
                | Q(contact_name="", contact_detail="", contact_method="", contact_times=""),
                name="interest_contact_only_with_consent",
            ),
            models.CheckConstraint(
                condition=~Q(activity=None) | ~Q(description=""),
                name="interest_says_what",
            ),
        ]

    def __str__(self) -> str:
        return f"Interest {self.pk}"  # never a contact detail: str() can reach logs


class Grant(models.Model):
    """Light-touch funding to a group: who gave how much, for what, and what it achieved."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="grants"
    )
    # The activity it paid for, when it was for one listing.
    asset = models.ForeignKey(
        "directory.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="grants"
    )
    # Pounds sterling, to the penny.
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # Who gave it ("Bolton Council Community Fund", "Moorland ICB small grants").
    funder = models.CharField(max_length=200)
    purpose = models.TextField()
    period_start = models.DateField()
    # Null for a one-off payment with no end date.
    period_end = models.DateField(null=True, blank=True)
    # What it achieved, in the group's words (filled in later; blank until then).
    achieved = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grants_recorded",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end=None) | Q(period_end__gte=models.F("period_start")),
                name="grant_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} to {self.organisation} from {self.funder}"


# Panels, meetings, priorities and decisions live in their own module; imported here so
# Django finds them as the community app's models.
from linkwork.community.mapping.models import (  # noqa: E402, F401
    AssetSubmission,
    MappingWalk,
    SubmissionStatus,
)
from linkwork.community.network.models import (  # noqa: E402, F401
    NetworkMember,
    Notice,
    NoticeKind,
    NoticeReply,
    NoticeStatus,
)
from linkwork.community.panels.models import (  # noqa: E402, F401
    Decision,
    Evidence,
    EvidenceKind,
    Meeting,
    Panel,
    PanelMemberProfile,
    Priority,
    PriorityStatus,
)
from linkwork.community.starting.models import (  # noqa: E402, F401
    GroupStart,
    GroupStartPerson,
    GroupStartStatus,
)
