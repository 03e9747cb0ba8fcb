"""Moved to `linkwork.disclosure` (issue 21), below community, outcomes and insight so that
each depends down on it; this name stays for code that imports it from here."""

from linkwork.disclosure import (
    DisclosureRule,
    PublishedTable,
    active_rule,
    display,
    publish_count,
    publish_rate,
    publish_statistic,
    publish_total,
    suppress_table,
)

__all__ = [
    "DisclosureRule",
    "PublishedTable",
    "active_rule",
    "display",
    "publish_count",
    "publish_rate",
    "publish_statistic",
    "publish_total",
    "suppress_table",
]
