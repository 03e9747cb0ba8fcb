"""The Jinja2 environment for Linkwork's pages (NHS.UK frontend macros live on the loader path)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from jinja2 import ChainableUndefined, Environment

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.selectors import rooms_of
from linkwork.directory.listing_edit import cost_in_words
from linkwork.directory.schedules import in_words
from linkwork.referrals import transitions
from linkwork.referrals.transitions import connection_sentence, referral_sentence
from linkwork.schemas import MAX_TEXT
from linkwork.tables import reflow
from linkwork.validation import govuk_message
from linkwork.words import distance_words, language_name, language_names, long_date


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A moment in the deployment's time zone; a day, or a naive time, as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


# The ways a page writes a day; "long" is the NHS style and the default.
DATE_FORMATS: dict[str, Callable[[Any], str]] = {
    "long": long_date,  # 2 December 2026
    "short": lambda d: f"{d.day} {d:%b %Y}",  # 2 Dec 2026
    "day": lambda d: f"{d:%A} {d.day} {d:%B}",  # Wednesday 2 December
    "short day": lambda d: f"{d:%a} {d.day} {d:%b}",  # Wed 2 Dec
    "month": lambda d: f"{d:%B %Y}",  # December 2026
    "month value": lambda d: f"{d:%Y-%m}",  # 2026-12, a month in a link or a form
}


def date(value: dt.date | dt.datetime | None, format: str = "long") -> str:
    """A day as people read it, "2 December 2026" (the NHS style), or one of the other
    DATE_FORMATS; a moment is shown on its day in the deployment's time zone. Blank for no
    date."""
    if not value:
        return ""
    return DATE_FORMATS[format](_local(value))


def _twelve_hour(value: dt.datetime | dt.time, *, minutes: bool) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute or minutes:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


# The ways a page writes a time of day; "12h" is the GOV.UK style and the default.
TIME_FORMATS: dict[str, Callable[[Any], str]] = {
    "12h": lambda t: _twelve_hour(t, minutes=False),  # 2:30pm, 2pm
    "12h minutes": lambda t: _twelve_hour(t, minutes=True),  # 2:30pm, 2:00pm
    "24h": lambda t: f"{t:%H:%M}",  # 14:30
    "24h seconds": lambda t: f"{t:%H:%M:%S}",  # 14:30:05
}


def time(value: dt.datetime | dt.time | None, format: str = "12h") -> str:
    """A time of day, "2:30pm" or "2pm" (the GOV.UK style), or one of the other
    TIME_FORMATS; a moment is read in the deployment's time zone. Blank for no time."""
    if value is None:
        return ""
    return TIME_FORMATS[format](_local(value))


def environment(**options: Any) -> Environment:
    # The NHS.UK macros, like their Nunjucks originals, read optional nested params
    # (params.search.action) and need undefined values that chain quietly.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701  (the backend passes autoescape=True)
    env.globals.update(
        {
            "url": url,
            "static": staticfiles_storage.url,
            "has_permission": has_permission,
            "rooms_of": rooms_of,
            "max_text": MAX_TEXT,
        }
    )
    # The casework rulebook: templates compare states through its names and predicates.
    env.globals["rulebook"] = transitions
    # Sessions and costs as people read them.
    env.globals.update({"session_words": in_words, "cost_words": cost_in_words})
    env.filters["localtime"] = timezone.localtime
    env.filters["date"] = date
    env.filters["time"] = time
    env.filters["slugify"] = slugify
    env.filters["reflow"] = reflow  # hand-written tables as NHS.UK responsive tables
    env.filters["extract"] = lambda key, mapping: mapping.get(key, key)
    # Words, not codes (linkwork/words.py, the state sentences in referrals/transitions.py).
    env.filters.update(
        {
            "long_date": long_date,
            "govuk_message": govuk_message,
            "distance": distance_words,
            "language_name": language_name,
            "language_names": language_names,
            "referral_sentence": referral_sentence,
            "connection_sentence": connection_sentence,
        }
    )
    return env


def brand() -> dict[str, Any]:
    """The deployment's name, logo, colour, footer links and who runs it (settings)."""
    return {
        "name": settings.SERVICE_NAME,
        "nhs": settings.NHS_SERVICE,
        "logo_url": settings.BRAND_LOGO_URL or staticfiles_storage.url("linkwork/img/logo.svg"),
        "colour": settings.BRAND_COLOUR,
        "footer_links": settings.FOOTER_LINKS,
        "operator": settings.OPERATOR_NAME or "the organisation running this service",
        "operator_named": bool(settings.OPERATOR_NAME),
        "address": settings.OPERATOR_ADDRESS,
        "email": settings.CONTACT_EMAIL,
        "phone": settings.CONTACT_PHONE,
        "hours": settings.CONTACT_HOURS,
        "dpo": settings.DATA_PROTECTION_OFFICER,
        "ico": settings.ICO_REGISTRATION,
    }


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Context every page needs: the CSP nonce and where NHS.UK assets are served from."""
    return {
        "cspNonce": getattr(request, "csp_nonce", ""),
        "brand": brand(),
        "assetPath": staticfiles_storage.url("nhsuk/assets").rstrip("/"),
    }
