"""A listing as the person going to it reads it: the plain-language offer at the heart
of "your social prescription" (what, where with a map link, next dates, cost, how long,
what to expect, who welcomes them, getting there, who to call).

Only what the listing says publicly is here; the referral's own details (the link
worker, a proposed first session) are added by `referrals.prescription`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.utils import dateformat
from django.utils.translation import gettext

from linkwork.directory.listing_edit import cost_in_words
from linkwork.directory.models import ACCESSIBILITY_FEATURES, Asset
from linkwork.directory.schedules import in_words, next_dates


def _clock(moment: datetime) -> str:
    return moment.strftime("%-I:%M%p").lower().replace(":00", "")


def date_in_words(starts: datetime, ends: datetime) -> str:
    """ "Friday 4 December, 10am to 12pm" """
    # Django's names for the day and month, so a message in Welsh says them in Welsh.
    return gettext("%(day)s, %(start)s to %(end)s") % {
        "day": dateformat.format(starts, "l j F"),
        "start": _clock(starts),
        "end": _clock(ends),
    }


def map_link(latitude: float | None, longitude: float | None) -> str:
    """A link to the place on OpenStreetMap (no key, works on any phone)."""
    if latitude is None or longitude is None:
        return ""
    query = urlencode({"mlat": f"{latitude:.5f}", "mlon": f"{longitude:.5f}"})
    return f"https://www.openstreetmap.org/?{query}#map=17/{latitude:.5f}/{longitude:.5f}"


@dataclass
class Offer:
    name: str
    what: str
    where: list[str]
    map_url: str
    online: str
    next_dates: list[str]
    usual_times: list[str]
    cost: list[str]
    duration: str
    first_visit: str
    taster: bool
    welcome: str
    travel: str
    access: list[str]
    phone: str
    email: str
    url: str
    organisation: str = ""
    notes: list[str] = field(default_factory=list)


def offer_for(asset: Asset, *, now: datetime | None = None) -> Offer:
    """The listing in the person's words, in the active language (their copy is made
    inside `translation.override(language_for(person))`). `asset` should come with its
    schedules, costs and locations prefetched (`selectors.asset_with_details`)."""
    place = asset.place
    location = place.location if place else None
    where = (
        [
            line
            for line in (location.name, location.address_1, location.city, location.postcode)
            if line
        ]
        if location
        else []
    )
    online = asset.online
    joining = ""
    if online is not None:
        if online.url and online.phone:
            joining = gettext("You can also join online: %(url)s, or by phone on %(phone)s") % {
                "url": online.url,
                "phone": online.phone,
            }
        elif online.url:
            joining = gettext("You can also join online: %(url)s") % {"url": online.url}
        else:
            joining = gettext("You can also join by phone on %(phone)s") % {"phone": online.phone}
    schedules = list(asset.schedules.all())
    costs = [cost_in_words(option) for option in asset.cost_options.all()]
    if not costs:
        costs = [gettext("Free")] if asset.is_free else []
    if asset.cost_description:
        costs.append(asset.cost_description)
    return Offer(
        name=asset.name,
        what=asset.description,
        where=where,
        map_url=map_link(location.latitude, location.longitude) if location else "",
        online=joining,
        next_dates=[
            date_in_words(o.starts, o.ends) for o in next_dates(schedules, now=now, count=3)
        ],
        usual_times=[in_words(schedule) for schedule in schedules],
        cost=costs,
        duration=asset.duration,
        first_visit=asset.first_visit,
        taster=asset.taster_session,
        welcome=asset.welcome_contact_name,
        travel=asset.travel_notes,
        access=[str(ACCESSIBILITY_FEATURES.get(code, code)) for code in asset.accessibility],
        phone=asset.phone,
        email=asset.email,
        url=asset.url,
        organisation=asset.organisation.name if asset.organisation_id else "",
    )
