"""The Jinja2 environment for Linkwork's pages (NHS.UK frontend macros live on the loader path)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from jinja2 import ChainableUndefined, Environment

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.selectors import rooms_of
from linkwork.directory.listing_edit import cost_in_words
from linkwork.directory.schedules import in_words
from linkwork.i18n import html_lang, language_links, text_direction
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
# Day and month names in the page's language ("2 Rhagfyr 2026" in Welsh).
DATE_FORMATS: dict[str, Callable[[Any], str]] = {
    "long": long_date,  # 2 December 2026 (linkwork/words.py: services write days the same way)
    "short": lambda d: date_format(d, "j M Y"),  # 2 Dec 2026
    "day": lambda d: date_format(d, "l j F"),  # Wednesday 2 December
    "short day": lambda d: date_format(d, "D j M"),  # Wed 2 Dec
    "month": lambda d: date_format(d, "F Y"),  # December 2026
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
    suffix = gettext("am") if value.hour < 12 else gettext("pm")  # "yb"/"yh" in Welsh
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


def clock(value: dt.datetime | dt.time) -> str:
    """A time of day as people say it, "10am", "2:30pm" ("10yb" in Welsh)."""
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    noon = gettext("am") if value.hour < 12 else gettext("pm")
    return f"{hour}{minutes}{noon}"


def day_name(value: dt.date) -> str:
    """ "Tuesday 2 December" ("Dydd Mawrth 2 Rhagfyr"), in the page's language."""
    return date_format(value, "l j F")


def short_moment(value: dt.datetime) -> str:
    """A session's start as a list shows it, "Tue 2 Dec, 10am" ("Maw 2 Rhag, 10yb" in
    Welsh: day and month in the page's language)."""
    return f"{date_format(value, 'D j M')}, {clock(value)}"


def environment(**options: Any) -> Environment:
    # The NHS.UK macros, like their Nunjucks originals, read optional nested params
    # (params.search.action) and need undefined values that chain quietly.
    options["undefined"] = ChainableUndefined
    # Words marked with _() or {% trans %} come from Django's catalogues in the page's
    # language (linkwork/i18n.py); new-style gettext escapes what it fills in.
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n"]
    env = Environment(**options)  # noqa: S701  (the backend passes autoescape=True)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks as one line, as extracted
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
    env.filters.update({"short_moment": short_moment, "clock": clock, "day_name": day_name})
    env.filters["gettext"] = gettext  # words from data that the catalogues hold (taxonomy)
    env.filters["slugify"] = slugify
    env.filters["reflow"] = reflow  # hand-written tables as NHS.UK responsive tables
    env.filters["extract"] = lambda key, mapping: mapping.get(key, key)
    # Words, not codes (linkwork/words.py, the state sentences in referrals/transitions.py).
    env.filters.update(
        {
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
    """Context every page needs: the CSP nonce, where NHS.UK assets are served from, and
    the page's language (`<html lang dir>`, the switcher's links)."""
    direction = text_direction()
    return {
        "cspNonce": getattr(request, "csp_nonce", ""),
        "htmlLang": html_lang(),
        "htmlAttributes": {"dir": direction} if direction == "rtl" else {},
        "language_links": language_links(request),
        "brand": brand(),
        "assetPath": staticfiles_storage.url("nhsuk/assets").rstrip("/"),
    }
