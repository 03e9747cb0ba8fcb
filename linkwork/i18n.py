"""The language of a page: `?lang=` (remembered in a cookie), else the cookie, else the
browser's Accept-Language (Django's LocaleMiddleware), else British English.

Pages mark their words with `_()` / `{% trans %}` (Jinja2's i18n extension with Django's
gettext); the catalogues are `linkwork/locale/<code>/LC_MESSAGES/django.po`, compiled
to `.mo` by `make assets` (Babel, no GNU gettext needed). Listings keep their own words.
"""

import csv
import io
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

Handler = Callable[[HttpRequest], HttpResponse]

LANGUAGE_PARAMETER = "lang"
# Machine interfaces answer in English whatever the caller's browser or cookie says: their
# words are data other systems store and compare (the API, Open Referral, FHIR, health).
MACHINE_PREFIXES = ("/api/", "/openreferral/", "/fhir/", "/healthz", "/readyz")


def supported(code: str) -> str | None:
    """The offered language a code asks for ("cy", "en" -> "en-gb"), or None."""
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except (LookupError, AttributeError):
        return None


def language_for(person: object) -> str:
    """The language to write to a person in: their preferred language when Linkwork
    speaks it (Welsh), else the site's. A self-referral made in Welsh starts with Welsh
    chosen, so the request's language is the person's unless they changed it."""
    return supported(getattr(person, "language", "") or "") or settings.LANGUAGE_CODE


class LanguageParameterMiddleware:
    """`?lang=cy` on any page shows it in Welsh and remembers the choice in the language
    cookie, so a link or the switcher works without JavaScript or a form. An unknown
    code is ignored.

    It sits just before LocaleMiddleware and hands the choice to it as the cookie would,
    so Django decides the language (and Content-Language, Vary) in one place. After the
    response the thread goes back to the default language: whatever runs next on it (a
    command, a test, an email) is not left in the last visitor's language."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = supported(request.GET.get(LANGUAGE_PARAMETER, ""))
        if request.path.startswith(MACHINE_PREFIXES):
            code = None
            request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        elif code:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = code
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        # The cookie chooses the language as much as Accept-Language does (which
        # LocaleMiddleware adds), so a shared cache must keep them apart.
        patch_vary_headers(response, ("Cookie",))
        if code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def html_lang(code: str | None = None) -> str:
    """The page's `<html lang>` in BCP 47 ("en-GB", "cy")."""
    language, _, region = (code or translation.get_language() or "en-gb").partition("-")
    return f"{language}-{region.upper()}" if region else language


def text_direction(code: str | None = None) -> str:
    """ "rtl" for a language written right to left (Arabic, Urdu), else "ltr"."""
    code = code or translation.get_language()
    try:
        return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def language_links(request: HttpRequest) -> list[dict[str, str]]:
    """The switcher: every other offered language, each a link to this page in it (the
    query kept, `lang` replaced), named in its own words and marked with its `lang`."""
    current = translation.get_language()
    query = request.GET.copy()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        query[LANGUAGE_PARAMETER] = code.split("-")[0]
        links.append(
            {
                "href": f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}",
                "text": name,
                "lang": html_lang(code),
                "dir": text_direction(code),
            }
        )
    return links


def extract_taxonomy(fileobj, keywords, comment_tags, options):  # noqa: ARG001
    """Babel's extractor for `directory/data/taxonomy.csv` (babel.cfg): each term's name
    and description go into the catalogues, so pages show them with `gettext(term.name)`."""
    rows = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8"))
    for line, row in enumerate(rows, start=2):
        for column in ("name", "description"):
            if row.get(column):
                yield line, "gettext", row[column], [f"taxonomy: {row['code']} ({column})"]
