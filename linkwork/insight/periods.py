"""Moved to `linkwork.periods` (issue 21), below outcomes and insight so that both depend
down on it; this name stays for code that imports it from here."""

from linkwork.periods import (
    DEFAULT_PERIOD,
    MONTH_NAMES,
    PERIOD_HELP,
    Period,
    parse_period,
)

__all__ = ["DEFAULT_PERIOD", "MONTH_NAMES", "PERIOD_HELP", "Period", "parse_period"]
