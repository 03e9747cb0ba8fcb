import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from linkwork.errors import InvalidInput
from linkwork.periods import parse_period

NOW = dt.datetime(2025, 5, 20, 12, 0, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_blank_means_the_last_twelve_months_up_to_now():
    period = parse_period("", now=NOW)
    assert period.code == "last-12-months"
    assert period.start == local(2024, 5, 20)
    assert period.end == NOW
    assert period.words == "in the last 12 months"


@pytest.mark.parametrize(
    ("value", "start", "end", "words"),
    [
        ("2024", local(2024, 1, 1), local(2025, 1, 1), "in 2024"),
        ("2025-Q1", local(2025, 1, 1), local(2025, 4, 1), "in January to March 2025"),
        ("2024-q4", local(2024, 10, 1), local(2025, 1, 1), "in October to December 2024"),
        ("2025-03", local(2025, 3, 1), local(2025, 4, 1), "in March 2025"),
        ("FY2024-25", local(2024, 4, 1), local(2025, 4, 1), "in the 2024-25 financial year"),
        ("last-3-months", local(2025, 2, 20), NOW, "in the last 3 months"),
    ],
)
def test_calendar_quarters_months_and_financial_years(value, start, end, words):
    period = parse_period(value, now=NOW)
    assert (period.start, period.end, period.words) == (start, end, words)


@pytest.mark.parametrize(
    "value", ["2025-Q5", "2025-13", "FY2024-26", "last-0-months", "last-99-months", "soon", "1999"]
)
def test_a_period_we_do_not_know_is_refused_naming_the_field(value):
    with pytest.raises(InvalidInput) as error:
        parse_period(value, now=NOW)
    assert list(error.value.errors) == ["period"]
