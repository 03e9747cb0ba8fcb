"""The filters templates share (linkwork/jinja2.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from linkwork.jinja2 import date, time


def test_dates_read_as_people_say_them():
    assert date(dt.date(2026, 12, 2)) == "2 December 2026"
    # 23:30 UTC on 31 May is already 1 June in London.
    assert date(dt.datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == "1 June 2026"
    assert date(None) == ""


def test_the_other_ways_of_writing_a_day():
    day = dt.date(2026, 12, 4)
    assert date(day, "short") == "4 Dec 2026"
    assert date(day, "day") == "Friday 4 December"
    assert date(day, "short day") == "Fri 4 Dec"
    assert date(day, "month") == "December 2026"
    assert date(day, "month value") == "2026-12"


def test_times_read_in_the_govuk_style():
    london = ZoneInfo("Europe/London")
    assert time(dt.datetime(2026, 12, 4, 14, 30, tzinfo=london)) == "2:30pm"
    assert time(dt.datetime(2026, 12, 4, 14, 0, tzinfo=london)) == "2pm"
    assert time(dt.datetime(2026, 12, 4, 0, 5, tzinfo=london)) == "12:05am"
    assert time(dt.datetime(2026, 12, 4, 12, 0, tzinfo=london)) == "12pm"
    assert time(dt.datetime(2026, 12, 4, 14, 0, tzinfo=london), "12h minutes") == "2:00pm"
    # 13:30 UTC in June is 14:30 in London.
    summer = dt.datetime(2026, 6, 1, 13, 30, 5, tzinfo=ZoneInfo("UTC"))
    assert time(summer, "24h") == "14:30"
    assert time(summer, "24h seconds") == "14:30:05"
    assert time(None) == ""
