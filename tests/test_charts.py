"""The server-drawn bar chart: bars for figures, `*` for withheld ones, figures as a table."""

import re

from django.template import engines


def render(**params):
    template = engines["jinja2"].from_string(
        '{% from "_charts.jinja" import bar_chart %}{{ bar_chart(**params) }}'
    )
    return template.render({"params": params})


def test_a_chart_draws_a_bar_per_figure_and_lists_the_figures():
    html = render(
        caption="Wellbeing at baseline and follow-up",
        series=["Baseline", "Follow-up"],
        rows=[
            {"label": "Tonge", "values": [19.98, 23.2]},
            {"label": "Farnworth", "values": [21.0, None]},
        ],
    )
    assert html.count("<rect") == 2 + 3  # legend squares + the three figures that exist
    assert 'aria-labelledby="chart-wellbeing-at-baseline-and-follow-up"' in html
    assert 'class="nhsuk-table__header" role="rowheader">Farnworth</th>' in html
    assert "</span>*</td>" in html  # the withheld figure reads as a star, with no bar
    assert "fewer than the disclosure threshold" in html


def test_negative_changes_are_drawn_left_of_zero():
    html = render(
        caption="Change",
        series=["Change"],
        rows=[{"label": "A", "values": [-2.0]}, {"label": "B", "values": [4.0]}],
    )
    assert html.count("<rect") == 2
    assert "-2.0" in html


def test_no_rows_says_so():
    assert "No figures to show yet." in render(caption="Empty", series=["A"], rows=[])


def test_legend_entries_have_a_line_each_so_long_names_do_not_overlap():
    names = ["People referred per 1,000 residents", "People connected per 1,000 residents"]
    html = render(caption="Equity", series=names, rows=[{"label": "1", "values": [4.0, 2.0]}])
    legend = re.findall(r'<text x="(\d+)" y="(\d+)" class="linkwork-chart__text">People', html)
    assert len(legend) == 2
    (x1, y1), (x2, y2) = legend
    assert x1 == x2 and int(y2) - int(y1) >= 16  # one under the other
    first_series = r'<rect x="[\d.]+" y="(\d+)" width="[\d.]+" height="14" fill="#005eb8"'
    bars = [int(y) for y in re.findall(first_series, html)]
    assert min(bars[1:]) > int(y2)  # the first bar starts below the legend
