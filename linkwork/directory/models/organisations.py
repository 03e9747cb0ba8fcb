"""Organisations, and the taxonomies whose terms describe assets and needs."""

import uuid

from django.db import models


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
