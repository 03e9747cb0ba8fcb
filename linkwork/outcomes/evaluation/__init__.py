"""Cohort statistics for the evaluation page, its CSV download and the printable report.

How to use (views, CSV):

    services = evaluation_scope(user)                  # None = every service; Forbidden
    filters = parse_filters(request.GET, services)      # InvalidInput naming each bad field
    report = evaluate(filters, services, by="service", measure="swemwbs")

A cohort is the referrals received in the period (to the services in scope) that match
every filter: service, asset (went at least once), neighbourhood, referral reason,
source, age band at referral and the IMD decile of the person's LSOA. The unit is the
person: someone referred twice in the period counts once, with their latest referral
that has the figure in question.

Per person and measure: the change between the baseline and the latest later
questionnaire (`selectors.pair_responses`: the last complete follow-up or closure), and
whether it passes the measure's change threshold in its better direction
(`scoring.classify_change`: ONS4 items separately, anxiety and UCLA-3 lower is better).

Per cohort and measure: people with both timepoints, mean at each, mean paired change
with a 95% confidence interval (Student's t, computed here exactly: no SciPy), % improved
/ no change / worse, % improved on at least one measure, completion (people with a
baseline who had any later questionnaire), money recorded, and GP and A&E contacts.

Disclosure control (DESIGN.md §5, `linkwork.disclosure`): every count of
people is published (0, withheld for 1–7, else rounded to 5); counts that add up
(improved / no change / worse; with and without a follow-up; distributions) are
published as tables with secondary suppression; percentages come from published counts;
a mean, CI or money total about 1–7 people is withheld. Statistics are also withheld
against **differencing**: for each filter, the cohort without that filter is a cohort
anyone may ask for, so when the people it adds number 1–7, the two cohorts' statistics
would describe those few people: the filtered cohort's statistics are withheld
(`withheld="differencing"`). Rows of a breakdown that partition the cohort get the same
treatment against the total, plus secondary suppression so the total minus the shown
rows never describes 1–7 people.

Queries: one SQL statement per report (`tallies`, over the CTEs of `facts`) returns a
few hundred rows of tallies whatever the size of the cohort: per measure a histogram of
(baseline, latest) scores over each person's latest referral with the measure, and
counts of distinct people with each figure in the cohort and in each cohort with one
filter fewer. The questionnaires are paired when written: triggers on responses keep
each referral's paired scores in `QuestionnaireFact` (`pairs`). `results` publishes from
those; no row per referral leaves the database. The statement's rows are cached per
filter set and viewer's scope until a write to the data they count from (`cache`:
a version token set by triggers), so the page, its CSV and the report share them.
`load_episodes` (one object per referral) remains for the equity report, and as the
reference the tallies are checked against (tests/outcomes/evaluation_reference.py).
"""

from linkwork.outcomes.evaluation.cohorts import (
    ATTENDED_STATES,
    CONTACT_MEASURES,
    DEFAULT_MEASURE,
    DIMENSIONS,
    FILTER_ERRORS,
    FILTERS,
    FLAGS,
    IMD_LABELS,
    MONEY,
    MONEY_ROUNDING,
    NOT_KNOWN,
    PARTITIONS,
    VERDICTS,
    Filters,
    Selected,
    age_band,
    evaluation_scope,
    filter_choices,
    measures,
    parse_filters,
    parse_view,
)
from linkwork.outcomes.evaluation.episodes import (
    Episode,
    load_episodes,
)
from linkwork.outcomes.evaluation.report import (
    WITHHELD_WORDS,
    Breakdown,
    BreakdownRow,
    EvaluationReport,
    breakdown,
    evaluate,
    withheld_words,
)
from linkwork.outcomes.evaluation.results import (
    DistributionRow,
    MeasureResult,
    MoneyResult,
    SplitCount,
    measure_result,
    money_result,
    split_count,
)
from linkwork.outcomes.evaluation.statistics import (
    MeanChange,
    paired_mean_ci,
    t_cdf,
    t_quantile,
)

__all__ = [
    "t_cdf",
    "t_quantile",
    "MeanChange",
    "paired_mean_ci",
    "ATTENDED_STATES",
    "VERDICTS",
    "MONEY_ROUNDING",
    "NOT_KNOWN",
    "FILTERS",
    "FILTER_ERRORS",
    "DIMENSIONS",
    "PARTITIONS",
    "DEFAULT_MEASURE",
    "IMD_LABELS",
    "MONEY",
    "FLAGS",
    "CONTACT_MEASURES",
    "evaluation_scope",
    "Selected",
    "Filters",
    "age_band",
    "filter_choices",
    "parse_filters",
    "measures",
    "parse_view",
    "Episode",
    "load_episodes",
    "DistributionRow",
    "MeasureResult",
    "measure_result",
    "SplitCount",
    "split_count",
    "MoneyResult",
    "money_result",
    "BreakdownRow",
    "Breakdown",
    "EvaluationReport",
    "breakdown",
    "evaluate",
    "WITHHELD_WORDS",
    "withheld_words",
]
