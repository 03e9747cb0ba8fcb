"""A group's own statistics: the referrals it received, accepted, that started and that
are still coming, month by month, and the feedback it received.

Every number here counts people, so every one is published through
`linkwork.disclosure` (0 shown, 1–7 withheld, others rounded to 5), even though the
group can see each referral in its inbox: the page and its CSV get passed on (to
funders, in annual reports), and a published table must never single anyone out. Each
measure is its own table of months with secondary suppression, so a withheld month
cannot be worked out from the total.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.disclosure import DisclosureRule, active_rule, display, suppress_table
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FeedbackRequest

# The measures, in the order the table shows them, with the states each counts.
MEASURES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "received": ("Referrals received", None),
    "accepted": ("Accepted", t.GROUP_ACCEPTED),
    "started": ("Came at least once", t.ATTENDED),
    "attending": ("Still coming", (t.ATTENDED_FIRST, t.ATTENDING)),
}
WINDOW_MONTHS = 12


@dataclass
class MonthRow:
    month: dt.date
    values: dict[str, int | None]

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


@dataclass
class GroupStatistics:
    months: list[MonthRow]
    totals: dict[str, int | None]
    ratings: list[tuple[str, int | None]]
    ratings_total: int | None
    right_for_group: list[tuple[str, int | None]]
    rule: DisclosureRule
    groups: list[str] = field(default_factory=list)

    @property
    def first_month(self) -> dt.date:
        return self.months[0].month


def _months(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = [first]
    for _ in range(count - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return list(reversed(months))


def _published(counts: Counter, rows: list, rule: DisclosureRule) -> tuple[dict, int | None]:
    """One measure's cells and total, with secondary suppression down the column."""
    table = suppress_table(
        {(row, "n"): n for row, n in counts.items()}, rule, rows=rows, columns=["n"]
    )
    return {row: table.value(row, "n") for row in rows}, table.column_totals["n"]


def group_statistics(
    user: AbstractBaseUser, *, today: dt.date | None = None, months: int = WINDOW_MONTHS
) -> GroupStatistics:
    """The viewer's groups' referrals over the last `months` months (by the month each
    was sent to the group), and the feedback on them, every count published."""
    rule = active_rule()
    today = today or timezone.localdate()
    window = _months(today, months)
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    start = dt.datetime.combine(window[0], dt.time(), tzinfo=timezone.get_current_timezone())
    sent = Connection.objects.filter(asset__organisation_id__in=groups, sent_at__gte=start).exclude(
        status__in=t.NEVER_SENT
    )
    rows = list(sent.values_list("pk", "sent_at", "status", "group_says_appropriate"))
    counts = {key: Counter() for key in MEASURES}
    for _, sent_at, status, _ in rows:
        month = timezone.localtime(sent_at).date().replace(day=1)
        for key, (_, states) in MEASURES.items():
            if states is None or status in states:
                counts[key][month] += 1
    cells, totals = {}, {}
    for key in MEASURES:
        cells[key], totals[key] = _published(counts[key], window, rule)
    month_rows = [MonthRow(month, {key: cells[key][month] for key in MEASURES}) for month in window]

    came = [pk for pk, _, status, _ in rows if status in t.ATTENDED]
    answered = FeedbackRequest.objects.filter(
        referral__connections__in=came, answered_at__isnull=False
    ).distinct()
    by_rating = Counter(answered.values_list("rating", flat=True))
    labels = [f"{n} – {label}" for n, label in FeedbackRequest.RATINGS.items()]
    rating_cells, ratings_total = _published(
        Counter({labels[n - 1]: c for n, c in by_rating.items() if n}), labels, rule
    )
    said = Counter(appropriate for *_, appropriate in rows if appropriate is not None)
    answers = ["Yes, it was right for us", "No, it was not"]
    said_cells, _ = _published(
        Counter({answers[0]: said[True], answers[1]: said[False]}), answers, rule
    )
    return GroupStatistics(
        months=month_rows,
        totals=totals,
        ratings=[(label, rating_cells[label]) for label in labels],
        ratings_total=ratings_total,
        right_for_group=[(answer, said_cells[answer]) for answer in answers],
        rule=rule,
    )


def csv_rows(statistics: GroupStatistics) -> list[list[str]]:
    """The tables as the CSV gives them, one after the other: `*` for a withheld figure."""
    header = ["Month", *(label for label, _ in MEASURES.values())]
    body = [
        [row.label, *(display(row.values[key]) for key in MEASURES)] for row in statistics.months
    ]
    total = [
        f"All {len(statistics.months)} months",
        *(display(statistics.totals[key]) for key in MEASURES),
    ]
    ratings = [["How helpful people who came said the support was", "People"]]
    ratings += [[label, display(value)] for label, value in statistics.ratings]
    ratings.append(["Everyone who answered", display(statistics.ratings_total)])
    said = [["Was the referral right for your group?", "Referrals"]]
    said += [[label, display(value)] for label, value in statistics.right_for_group]
    return [header, *body, total, [], *ratings, [], *said]
