"""The demo listings are data (linkwork/demo/data/listings.json): every one passes the
same checks as the listing form and the API, and together they show what listings can
say (sessions people actually run, costs, online options, safeguarding dates)."""

import datetime as dt

from linkwork.demo import listings as demo
from linkwork.directory.listing_edit import clean_cost_options, clean_online
from linkwork.directory.schedules import clean_sessions


def test_every_demo_listing_passes_the_listing_checks_on_any_day():
    for today in (dt.date(2026, 12, 3), dt.date(2027, 6, 30)):
        for listing in demo.LISTINGS:
            sessions, errors = clean_sessions(demo.schedules_on(listing, today), today=today)
            assert not errors, (listing["name"], errors)
            costs, errors = clean_cost_options(listing["cost_options"])
            assert costs and not errors, (listing["name"], errors)
            assert not clean_online(listing["online_url"], listing["online_phone"])


def test_the_demo_shows_every_kind_of_session_cost_and_check():
    today = dt.date(2026, 12, 3)
    sessions = [s for listing in demo.LISTINGS for s in demo.schedules_on(listing, today)]
    assert any(s.get("byday") == "1FR" for s in sessions)  # first Friday
    assert any(s.get("byday", "").startswith("-1") for s in sessions)  # last ...day
    assert any(s.get("interval") == 2 for s in sessions)  # every other week
    assert any("freq" not in s for s in sessions)  # one-off events, always ahead
    assert any(s.get("term_time_only") and s["paused"] for s in sessions)
    kinds = {cost["kind"] for listing in demo.LISTINGS for cost in listing["cost_options"]}
    assert kinds == {"free", "donation", "per_session", "concession", "other"}
    assert any(listing["online_url"] for listing in demo.LISTINGS)
    assert all(listing["duration"] for listing in demo.LISTINGS)
    checks = [demo.safeguarding_on(listing, today) for listing in demo.LISTINGS]
    assert all(c["dbs_checked_on"] < today for c in checks if c["dbs_checked_lead"])
    assert all(c["insurance_until"] > today for c in checks if c["insurance"])
    assert any(not c["dbs_checked_lead"] for c in checks)  # some groups lack a check
    assert len(demo.LISTINGS) == 62 and len(demo.NEW_ORGANISATIONS) == 44
