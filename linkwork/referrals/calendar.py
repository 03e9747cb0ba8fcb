"""Working-day clocks (first contact, group response). Bank holidays are not counted out."""

import datetime as dt


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
