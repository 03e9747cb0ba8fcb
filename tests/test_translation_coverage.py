"""Every word a public page shows is marked for translation (issue 18, item 1).

The public templates are read with Jinja2's own lexer: text between tags, the words in
aria-label/title/alt/placeholder attributes, and string literals in expressions that
read as words ("Send", "More filters") must be inside `{% trans %}` or `_()` /
`gettext()` / `ngettext()`. Names, classes, URLs and keys (no capital, no space) pass.
A page added to the public set is checked from then on; a new public page belongs here.
"""

import io
import re
from pathlib import Path

import pytest
from django.template import engines

PUBLIC_TEMPLATES = [
    "layout.jinja",
    "_forms.jinja",
    "directory/search.jinja",
    "directory/_capacity_tag.jinja",
    "directory/asset.jinja",
    "directory/this_week.jinja",
    "referrals/public/form.jinja",
    "referrals/public/form_easy_read.jinja",
    "referrals/public/_easy_read.jinja",
    "referrals/public/feedback_easy_read.jinja",
    "referrals/public/sent.jinja",
    "referrals/public/too_many.jinja",
    "referrals/public/feedback.jinja",
    "referrals/public/feedback_gone.jinja",
    "referrals/public/feedback_thanks.jinja",
    "outcomes/questionnaire.jinja",
    "outcomes/questionnaire_done.jinja",
    "outcomes/_questionnaire.jinja",
    "outcomes/link_problem.jinja",
    "community/interest_form.jinja",
    "community/interest_sent.jinja",
    "community/too_many.jinja",
    # The neighbourhood pages residents open without signing in (the signed-in insight
    # pages share these templates; their own extras are marked too).
    "insight/overview.jinja",
    "insight/profile.jinja",
    "insight/_parts.jinja",
    "_charts.jinja",
]

GETTEXT = {"_", "gettext", "ngettext"}
# Words that are the same in every language: names and numbers.
SAME_EVERYWHERE = {"Linkwork", "OpenAPI", "NHS"}
WORDS = re.compile(r"[A-Za-z]{2,}")
TAG = re.compile(r"<[^>]*>")
TEXT_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"\x00]*)"')
GAP = "\x00"


def _is_words(text: str) -> bool:
    found = [word for word in WORDS.findall(text) if word not in SAME_EVERYWHERE]
    return bool(found)


def _reads_as_words(literal: str) -> bool:
    """A literal a person would read: it has a space or a capital, and letters."""
    if not _is_words(literal) or ".jinja" in literal or literal.startswith(("#", "/", "?")):
        return False
    return " " in literal.strip() or any(ch.isupper() for ch in literal)


def untranslated(source: str) -> list[str]:
    """The words in a template that a page would show untranslated."""
    env = engines["jinja2"].env
    found: list[str] = []
    in_trans = False
    calls: list[str | None] = []  # the function each open bracket belongs to
    # The page's markup with every tag and expression as a gap, so that a tag split by an
    # expression (<a href="{{ url(...) }}">) is still one tag.
    skeleton: list[str] = []
    tokens = list(env.lexer.tokenize(env.preprocess(source)))
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "name" and before is not None and before.type == "block_begin":
            if token.value == "trans":
                in_trans = True
            elif token.value == "endtrans":
                in_trans = False
        elif token.type == "data":
            skeleton.append(GAP if in_trans else token.value)
            continue
        elif token.type in ("lparen", "lbracket", "lbrace"):
            calls.append(before.value if before is not None and before.type == "name" else None)
        elif token.type in ("rparen", "rbracket", "rbrace") and calls:
            calls.pop()
        elif token.type == "string" and not in_trans:
            is_key = after is not None and after.type == "colon"
            inside_gettext = bool(calls) and calls[-1] in GETTEXT
            if not is_key and not inside_gettext and _reads_as_words(token.value):
                found.append(token.value)
        if not skeleton or skeleton[-1] != GAP:
            skeleton.append(GAP)
    markup = re.sub(r"<!--.*?-->|<(style|script)\b.*?</\1>", GAP, "".join(skeleton), flags=re.S)
    found += [value for value in TEXT_ATTRIBUTE.findall(markup) if _is_words(value)]
    shown = re.sub(r"&[a-z#0-9]+;", " ", TAG.sub(GAP, markup))
    found += [" ".join(piece.split()) for piece in shown.split(GAP) if _is_words(piece)]
    return found


def source_of(name: str) -> str:
    env = engines["jinja2"].env
    source, _, _ = env.loader.get_source(env, name)
    return source


@pytest.mark.parametrize("name", PUBLIC_TEMPLATES)
def test_every_word_on_the_public_pages_is_marked_for_translation(name):
    assert untranslated(source_of(name)) == [], (
        f"{name} shows words not marked for translation: wrap them in {{{{ _('…') }}}} "
        "or {% trans %}…{% endtrans %}, then `make messages` and translate them"
    )


def test_the_check_finds_words_left_in_english():
    # The check can fail: each way of leaving English on a page is caught...
    assert untranslated("<h1>Find support</h1>") == ["Find support"]
    assert untranslated('<div aria-label="Map of the results"></div>') == ["Map of the results"]
    assert untranslated('{{ button({"text": "Send"}) }}') == ["Send"]
    assert untranslated("{{ select_field(form.x, blank_label='Any area') }}") == ["Any area"]
    assert untranslated("<p>{{ n }} result{{ 's' if n > 1 }}</p>") == ["result"]
    # ...and marked words, markup, names and keys pass.
    assert untranslated('<h1>{{ _("Find support") }}</h1>') == []
    assert untranslated("<p>{% trans %}Call <a href='tel:111'>111</a>{% endtrans %}</p>") == []
    assert untranslated('{{ ngettext("%(num)d result", "%(num)d results", n) }}') == []
    assert untranslated('{{ tag({"text": _("Free"), "classes": "nhsuk-tag--white"}) }}') == []
    assert untranslated("{% extends 'layout.jinja' %}{{ url('directory') }} · 111") == []


def welsh_catalogue():
    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[1] / "linkwork/locale/cy/LC_MESSAGES/django.po"
    with path.open("rb") as po:
        return read_po(po)


def test_the_welsh_catalogue_says_it_needs_review_by_a_native_speaker():
    assert "NEED REVIEW BY A\n# NATIVE SPEAKER" in welsh_catalogue().header_comment


@pytest.mark.parametrize("name", PUBLIC_TEMPLATES)
def test_every_marked_word_on_the_public_pages_has_its_welsh(name):
    from jinja2.ext import babel_extract

    catalogue = welsh_catalogue()
    options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
    found = babel_extract(io.BytesIO(source_of(name).encode()), GETTEXT, [], options)
    missing = []
    for _, _, message, _ in found:
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(msgid)
    assert missing == [], f"{name}: run `make messages` and translate {missing}"
