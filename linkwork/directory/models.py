"""The asset map. For now: organisations, which people belong to and which run assets."""

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


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Many community groups are unconstituted: a charity or company number is optional.
    registered_number = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")
        ]

    def __str__(self) -> str:
        return self.name
