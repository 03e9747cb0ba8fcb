"""The person being supported, and the link worker's decisions that two records are, or are
not, one person."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class Person(models.Model):
    """The minimum Linkwork holds about someone being supported."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    postcode = models.CharField(max_length=8)
    # The LSOA the postcode falls in (the neighbourhood is its parent).
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=8, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    contact_times = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=3, default="en")
    interpreter_needed = models.BooleanField(default=False)
    access_needs = models.TextField(blank=True)
    # Optional equality monitoring, used only de-identified for equity analysis.
    sex = models.CharField(max_length=16, blank=True)
    ethnicity = models.CharField(max_length=64, blank=True)
    # The practice the person is registered with (name or ODS code), as the referral says.
    gp_practice = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a link worker confirmed this record is the same person as another: the
    # record stays (so the merge can be undone) but holds no referrals and is matched no more.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    PERSONAL_DATA_FIELDS = (
        "given_name",
        "family_name",
        "birth_date",
        "postcode",
        "nhs_number",
        "phone",
        "email",
        "contact_times",
        "access_needs",
        "sex",
        "ethnicity",
        "gp_practice",
    )
    # Erasure (linkwork/privacy) blanks these; a date keeps only its year (age bands for
    # insight), and the LSOA (an area of ~1,500 people) stays.

    class Meta:
        indexes = [models.Index(fields=["family_name", "birth_date"])]

    def __str__(self) -> str:
        return f"Person {self.pk}"  # never a name: str() can reach logs


class PersonMerge(models.Model):
    """A link worker's confirmation that two records are one person: `merged` was folded
    into `kept`. What moved and what changed is kept, so the merge can be undone."""

    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_away")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    referral_ids = models.JSONField(default=list)
    # Field -> [value before, value after] on the kept record.
    changed = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_DATA_FIELDS = ("changed",)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Merge {self.pk} of person {self.merged_id} into {self.kept_id}"


class NotDuplicate(models.Model):
    """Two records a link worker said are different people: never asked again. The pair
    is stored lowest id first."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Persons {self.first_id} and {self.second_id} are different people"
