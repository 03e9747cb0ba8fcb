"""Areas: LSOAs, neighbourhoods, wards, local authorities, PCNs, ICBs, as data.

Area types are strings, not an enum, because geographies change (ICBs merge;
LSOA codes have 2011 and 2021 vintages).
"""

from django.db import models


class AreaType(models.TextChoices):
    LSOA = "lsoa", "Lower layer super output area"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    WARD = "ward", "Electoral ward"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PCN = "pcn", "Primary care network"
    ICB = "icb", "Integrated care board"


class Area(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    area_type = models.CharField(max_length=32, choices=AreaType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The year of the code set, e.g. 2021 for LSOA21 codes; blank for user-defined areas.
    vintage = models.CharField(max_length=8, blank=True)
    is_synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo rather than taken from an official source."
    )

    class Meta:
        ordering = ["area_type", "name"]
        indexes = [models.Index(fields=["area_type", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_area_type_display()})"


class Postcode(models.Model):
    """A postcode's point and LSOA, from ONS data (the demo ships an extract)."""

    # Upper case with one space before the inward code: "BL2 6LT".
    postcode = models.CharField(max_length=8, unique=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    lsoa = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes"
    )

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
