"""Phone-sized tables: `reflow` turns a hand-written NHS.UK table into the NHS.UK
responsive table (the markup the `table` macro writes with `responsive: true`), so it
reads as a card per row on a phone: each cell gets its column's heading and the table
its ARIA roles, since `display: block` drops the table's own semantics.

Used as `{% filter reflow %}<table class="nhsuk-table">…</table>{% endfilter %}` on
tables whose cells need markup the macro does not take (row headers with links, lists).
"""

import re

from markupsafe import Markup

TAG = re.compile(r"<(/?)(table|thead|tbody|tr|th|td)\b([^>]*)>", re.IGNORECASE)
TEXT = re.compile(r"<[^>]+>")

ROLES = {"thead": "rowgroup", "tbody": "rowgroup", "tr": "row"}


def _headings(html: str) -> list[str]:
    head = re.search(r"<thead\b.*?</thead>", html, re.IGNORECASE | re.DOTALL)
    if not head:
        return []
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(0), re.IGNORECASE | re.DOTALL)
    return [" ".join(TEXT.sub("", cell).split()) for cell in cells]


def _with(attributes: str, name: str, value: str) -> str:
    if re.search(rf"\b{name}=", attributes):
        return attributes
    return f'{attributes} {name}="{value}"'


def reflow(html: str) -> Markup:
    headings = _headings(str(html))
    out, position, section, column = [], 0, "", 0
    for match in TAG.finditer(str(html)):
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
        out.append(str(html)[position : match.start()])
        position = match.end()
        if closing:
            out.append(match.group(0))
            continue
        if tag == "table":
            attributes = attributes.replace("nhsuk-table", "nhsuk-table nhsuk-table--responsive", 1)
            attributes = _with(attributes, "role", "table")
        elif tag in ROLES:
            section = tag if tag in ("thead", "tbody") else section
            column = 0 if tag == "tr" else column
            attributes = _with(attributes, "role", ROLES[tag])
        else:
            if section == "thead":
                attributes = _with(attributes, "role", "columnheader")
            else:
                attributes = _with(attributes, "role", "rowheader" if tag == "th" else "cell")
        out.append(f"<{match.group(2)}{attributes}>")
        if tag in ("td", "th") and section == "tbody":
            if column < len(headings) and headings[column]:
                out.append(
                    f'<span class="nhsuk-table__heading" aria-hidden="true">'
                    f"{headings[column]} </span>"
                )
            column += 1
    out.append(str(html)[position:])
    # The input is the template's own rendered HTML, already escaped; so are the headings.
    return Markup("".join(out))  # noqa: S704
