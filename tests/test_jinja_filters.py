"""The filters templates share (linkwork/jinja2.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from linkwork.jinja2 import date


def test_dates_read_as_people_say_them():
    assert date(dt.date(2026, 12, 2)) == "2 December 2026"
    # 23:30 UTC on 31 May is already 1 June in London.
    assert date(dt.datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == "1 June 2026"
    assert date(None) == ""
