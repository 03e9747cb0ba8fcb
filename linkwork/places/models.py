"""Areas: LSOAs, neighbourhoods, wards, local authorities, PCNs, ICBs, as data.

Area types are strings, not an enum, because geographies change (ICBs merge;
LSOA codes have 2011 and 2021 vintages). `AreaType` lists the usual ones as
suggestions; `area_type` accepts any short slug (e.g. "icb_merged", "msoa").

Two ways areas relate:
* `parent`: the geographic hierarchy an official code belongs to
  (LSOA -> local authority or ward, ward -> local authority, PCN -> ICB).
* neighbourhood membership (`NeighbourhoodMembership`, `Area.members`): a
  neighbourhood is a user-defined group of LSOAs (a link worker's or panel's
  "patch", which may cross ward boundaries), edited by admins. An LSOA belongs
  to at most one neighbourhood, so neighbourhood figures add up without double
  counting. Use `places.selectors.lsoas_of` / `neighbourhood_of_lsoa` rather
  than walking either relation by hand.

Figures that may be synthetic (IMD, population) carry their own flag and vintage,
so a deployment can import real IMD while its populations are still made up.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models


class AreaType(models.TextChoices):
    """The usual area types: suggestions, not a closed list (see `Area.area_type`)."""

    LSOA = "lsoa", "Lower layer super output area"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    WARD = "ward", "Electoral ward"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PCN = "pcn", "Primary care network"
    ICB = "icb", "Integrated care board"


AREA_TYPE_LABELS = dict(AreaType.choices)

area_type_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$", "Use lower-case letters, digits and underscores, e.g. lsoa or icb."
)


class Area(models.Model):
    """One area of any type. Official areas carry their ONS/NHS code; user-defined
    areas (neighbourhoods) carry a code of the deployment's choosing."""

    # ONS GSS code for official areas ("E01004817", "E08000001"); any unique code otherwise.
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    # A slug; AreaType has the common values, but any slug is accepted (ICBs merge,
    # deployments add their own kinds of area). No `choices`, so admin and imports
    # are not limited to the list.
    area_type = models.CharField(
        max_length=32,
        validators=[area_type_validator],
        help_text="lsoa, neighbourhood, ward, local_authority, pcn, icb, or another slug.",
    )
    # The geographic hierarchy (LSOA -> ward/local authority -> ...). Not how LSOAs
    # join neighbourhoods: that is `members` (older data may still have an LSOA's
    # parent set to its neighbourhood; the selectors understand both).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The year of the code set, e.g. "2011" for LSOA11 codes (IMD 2019 uses them) or
    # "2021" for LSOA21 codes (Census 2021, IoD 2025); blank for user-defined areas.
    vintage = models.CharField(max_length=8, blank=True)
    is_synthetic = models.BooleanField(
        default=False,
        help_text="The area itself (its code, name or grouping) was made up for the demo.",
    )
    # LSOAs in a neighbourhood (only for area_type "neighbourhood").
    members = models.ManyToManyField(
        "self",
        through="NeighbourhoodMembership",
        through_fields=("neighbourhood", "lsoa"),
        symmetrical=False,
        related_name="neighbourhoods",
        blank=True,
    )

    # Where it is: a representative point (ONS centroid for LSOAs), for distances.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The boundary as a GeoJSON geometry (Polygon or MultiPolygon, WGS84 lon/lat), stored
    # as the JSON text it arrived in (already generalised), so maps can serve it as is.
    boundary_geojson = models.TextField(blank=True)

    # Index of Multiple Deprivation decile for LSOAs: 1 = the 10% most deprived in
    # England, 10 = the least deprived. Null when not known (and for non-LSOA areas).
    imd_decile = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # Which release the decile comes from, e.g. "2019" (English IoD 2019, LSOA 2011).
    imd_vintage = models.CharField(max_length=16, blank=True)
    # True when the decile was made up for the demo; importing a real file clears it.
    imd_is_synthetic = models.BooleanField(default=False)

    # Usual residents, all ages. For LSOAs; neighbourhood totals are the sum of members.
    population_total = models.PositiveIntegerField(null=True, blank=True)
    # The estimate it comes from, e.g. "2021" (Census 2021) or "mid-2022".
    population_vintage = models.CharField(max_length=16, blank=True)
    # True when the total and the AreaPopulation rows were made up for the demo.
    population_is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["area_type", "name"]
        indexes = [models.Index(fields=["area_type", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__isnull=True)
                | models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="area_imd_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.area_type_label})"

    @property
    def area_type_label(self) -> str:
        """The human name of the type: the usual label, or the slug made readable."""
        return AREA_TYPE_LABELS.get(self.area_type) or self.area_type.replace("_", " ").capitalize()


class NeighbourhoodMembership(models.Model):
    """An LSOA's place in a user-defined neighbourhood ("patch"). Edited by admins.

    An LSOA is in at most one neighbourhood (unique `lsoa`), so neighbourhood
    figures partition the LSOAs' figures.
    """

    neighbourhood = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="lsoa_memberships",
        limit_choices_to={"area_type": AreaType.NEIGHBOURHOOD},
    )
    lsoa = models.OneToOneField(
        Area,
        on_delete=models.CASCADE,
        related_name="neighbourhood_membership",
        limit_choices_to={"area_type": AreaType.LSOA},
    )

    class Meta:
        ordering = ["neighbourhood__name", "lsoa__code"]

    def __str__(self) -> str:
        return f"{self.lsoa.code} in {self.neighbourhood.name}"


class Sex(models.TextChoices):
    """Sex as the population estimates publish it."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"


# How a person's free-text sex is read into the population's "female" / "male" (insight's
# equity figures and the research export; anything else is "other").
SEX_WORDS = {"female": ("female", "f", "woman"), "male": ("male", "m", "man")}
# The age bands Linkwork reports in (population files are grouped into these on import).
AGE_BANDS: tuple[str, ...] = (
    "0-17",
    "18-24",
    "25-34",
    "35-44",
    "45-54",
    "55-64",
    "65-74",
    "75-84",
    "85+",
)


class AreaPopulation(models.Model):
    """Residents of an area in one age band and sex (usually for LSOAs).

    The sum over an area's rows is its `population_total` when both come from the
    same file. Whether the figures are synthetic is `Area.population_is_synthetic`.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="population")
    # One of AGE_BANDS ("0-17", "18-24", ..., "85+").
    age_band = models.CharField(max_length=8)
    # "female" or "male".
    sex = models.CharField(max_length=8, choices=Sex.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "sex", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "age_band", "sex"], name="area_population_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.sex} {self.age_band}: {self.count}"


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
