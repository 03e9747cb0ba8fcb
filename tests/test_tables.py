"""Hand-written tables become NHS.UK responsive tables: each cell carries its heading."""

from markupsafe import Markup

from linkwork.tables import reflow

TABLE = Markup(
    '<table class="nhsuk-table"><thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
    '<th scope="col" class="nhsuk-table__header">Area</th>'
    '<th scope="col" class="nhsuk-table__header">People &amp; groups</th></tr></thead>'
    '<tbody class="nhsuk-table__body"><tr class="nhsuk-table__row">'
    '<th scope="row" class="nhsuk-table__header"><a href="/x/">Tonge</a></th>'
    '<td class="nhsuk-table__cell">12</td></tr></tbody></table>'
)


def test_each_cell_gets_its_columns_heading_and_the_table_its_roles():
    html = str(reflow(TABLE))
    assert 'class="nhsuk-table nhsuk-table--responsive" role="table"' in html
    assert html.count('role="rowgroup"') == 2 and 'role="columnheader"' in html
    assert (
        'role="rowheader"><span class="nhsuk-table__heading" aria-hidden="true">Area </span>'
        in html
    )
    assert (
        '<span class="nhsuk-table__heading" aria-hidden="true">People &amp; groups </span>12'
        in html
    )


def test_a_table_without_a_head_is_left_readable():
    html = str(reflow(Markup('<table class="nhsuk-table"><tr><td>1</td></tr></table>')))
    assert "<td" in html and "nhsuk-table__heading" not in html
