"""Words, not codes: languages, dates and states as people read them.

One table each, used by pages, emails and the API alike, so a language, a date or a
state reads the same wherever it appears.
"""

import datetime as dt

from django.utils import timezone

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
    """ "2 December 2026" (a time is read in the deployment's time zone first)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"
