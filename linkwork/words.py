"""Words, not codes: languages, dates and states as people read them.

One table each, used by pages, emails and the API alike, so a language, a date or a
state reads the same wherever it appears.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, ngettext

KM_PER_MILE = 1.609344

# ISO 639 code -> (English name, the name in the language itself). Bolton's most asked
# for first; the rest of the world's codes fall back to the code itself.
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "ar": ("Arabic", "العربية"),
    "bn": ("Bengali", "বাংলা"),
    "bfi": ("British Sign Language", "BSL"),
    "zh": ("Chinese", "中文"),
    "yue": ("Cantonese", "粵語"),
    "cmn": ("Mandarin", "普通话"),
    "fa": ("Persian", "فارسی"),
    "fr": ("French", "Français"),
    "gu": ("Gujarati", "ગુજરાતી"),
    "hi": ("Hindi", "हिन्दी"),
    "ku": ("Kurdish", "Kurdî"),
    "lt": ("Lithuanian", "Lietuvių"),
    "pl": ("Polish", "Polski"),
    "ps": ("Pashto", "پښتو"),
    "pt": ("Portuguese", "Português"),
    "pa": ("Punjabi", "ਪੰਜਾਬੀ"),
    "ro": ("Romanian", "Română"),
    "so": ("Somali", "Soomaali"),
    "es": ("Spanish", "Español"),
    "ta": ("Tamil", "தமிழ்"),
    "ti": ("Tigrinya", "ትግርኛ"),
    "tr": ("Turkish", "Türkçe"),
    "uk": ("Ukrainian", "Українська"),
    "ur": ("Urdu", "اردو"),
    "cy": ("Welsh", "Cymraeg"),
    "mis": ("Another language", "Another language"),
}


def language_name(code: str) -> str:
    """ "Urdu — اردو"; English alone where the two are the same; the code if unknown."""
    code = (code or "").strip().lower()
    if code not in LANGUAGES:
        return code.upper() or "Not given"
    english, own = LANGUAGES[code]
    return english if own == english else f"{english} — {own}"


def language_names(codes) -> str:
    return ", ".join(language_name(code) for code in codes if code)


def long_date(value: dt.date | dt.datetime | None) -> str:
    """ "2 December 2026" (a time is read in the deployment's time zone first; the month
    in the active language: "2 Rhagfyr 2026")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return date_format(value, "j F Y")


def distance_words(km: float | None) -> str:
    """ "0.8 miles", "1 mile", "2.5 km": in settings.DISTANCE_UNIT, one decimal place."""
    if km is None:
        return ""
    if settings.DISTANCE_UNIT == "km":
        return f"{km:.1f} km"
    miles = round(km / KM_PER_MILE, 1)
    if miles == 1:
        return "1 mile"
    return f"{miles:.1f} miles" if miles < 10 else f"{miles:.0f} miles"


# "Within …" choices for a search, in the deployment's unit: (value typed, km).
DISTANCE_CHOICES = {
    "miles": [("0.5", 0.5), ("1", 1), ("3", 3), ("5", 5), ("10", 10)],
    "km": [("1", 1), ("2", 2), ("5", 5), ("10", 10), ("15", 15)],
}


def within_choices() -> list[tuple[str, str]]:
    unit = settings.DISTANCE_UNIT
    return [
        (
            value,
            ngettext("Within %(number)s mile", "Within %(number)s miles", int(float(value)))
            % {"number": value}
            if unit == "miles"
            else gettext("Within %(number)s km") % {"number": value},
        )
        for value, _ in DISTANCE_CHOICES[unit]
    ]


def within_to_km(value: str | None) -> float | None:
    """The search radius chosen, in km for the selectors; None for the default."""
    if not value:
        return None
    number = float(value)
    return number * KM_PER_MILE if settings.DISTANCE_UNIT == "miles" else number
