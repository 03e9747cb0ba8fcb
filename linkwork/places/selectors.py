"""Reads for places: postcode lookup and areas."""

from dataclasses import dataclass

from linkwork.places.models import Area, Postcode
from linkwork.places.postcodes import InvalidPostcode, normalise_postcode


class UnknownPostcode(LookupError):
    pass


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def postcode_point(raw: str) -> tuple[str, Point, Area | None]:
    """The normalised postcode, its point and LSOA.

    Raises InvalidPostcode when it is not shaped like a postcode, and UnknownPostcode
    when it is well formed but not in the loaded data (e.g. outside the deployment).
    """
    postcode = normalise_postcode(raw)
    found = Postcode.objects.select_related("lsoa").filter(postcode=postcode).first()
    if found is None:
        raise UnknownPostcode(
            f"We could not find {postcode}. Check it, or try a nearby postcode in the area."
        )
    return postcode, Point(found.latitude, found.longitude), found.lsoa


def neighbourhoods() -> list[Area]:
    return list(Area.objects.filter(area_type="neighbourhood").order_by("name"))


__all__ = ["InvalidPostcode", "Point", "UnknownPostcode", "neighbourhoods", "postcode_point"]
