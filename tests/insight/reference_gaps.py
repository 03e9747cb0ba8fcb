"""The gap rows as `selectors.gaps` built them before `GapRows` (issue 19): every row made
eagerly, then ranked. Kept as the reference the tests compare the lazily built rows with,
on random worlds: the rows, their order and their evidence must be the same."""

from collections.abc import Iterable

from linkwork.directory.models import Vocabulary
from linkwork.disclosure import publish_counts
from linkwork.insight.selectors.gaps import SUPPRESSED, GapRow
from linkwork.insight.selectors.scope import InsightScope, Key


def reference_gap_rows(scope: InsightScope, keys: Iterable[Key]) -> list[GapRow]:
    areas, categories = scope.areas, scope.categories
    published, raw = scope.published, scope.demand_counts
    referred, unmet_cells = published.referred.cells, published.unmet.cells
    waitlisted_cells, interest_cells = published.waitlisted.cells, published.interests.cells
    raw_unmet, raw_waitlisted = raw.unmet.get, raw.waitlisted.get
    raw_interests = raw.interests.get
    local_supply, wide_supply = scope.supply_counts
    keys = list(keys)
    # Need is totalled unrounded, then published: every row's at once.
    needs = publish_counts(
        [raw_unmet(key, 0) + raw_waitlisted(key, 0) + raw_interests(key, 0) for key in keys],
        scope.rule,
    )
    activity, nothing = Vocabulary.ACTIVITY, (0,) * 7
    # Per category, looked up once: its names, whether demand is interests, the supply of
    # borough-wide listings (which serve every area).
    by_category = {
        pk: (c.code, c.name, c.vocabulary, c.vocabulary == activity, wide_supply.get(pk, nothing))
        for pk, c in categories.items()
    }
    by_area = {pk: (a.code, a.name, a.imd_weight) for pk, a in areas.items()}
    per_week: dict[int, float] = {}  # sessions a year (×52 of a week's) → a week's, rounded
    rows: list[GapRow] = []
    ranks: list[tuple] = []
    add_row, add_rank, local = rows.append, ranks.append, local_supply.get
    for key, need in zip(keys, needs, strict=True):
        area_code, area_name, weight = by_area[key[0]]
        code, name, vocabulary, is_activity, wide = by_category[key[1]]
        unmet = unmet_cells.get(key, 0)
        waitlisted = waitlisted_cells.get(key, 0)
        interests = interest_cells.get(key, 0)
        demand = interests if is_activity else referred.get(key, 0)
        # Local and borough-wide supply added up here rather than through `supply_for`
        # (same sums), which would make an object per row that the row does not keep.
        mine = local(key, nothing)
        sessions = mine[4] + wide[4]
        open_sessions = per_week.get(sessions)
        if open_sessions is None:
            open_sessions = per_week[sessions] = round(sessions / 52, 2)
        # gap_score, inline
        score = None if need is None else round(weight * need / (open_sessions + 1), 2)
        # Which people counts are withheld (score is withheld with need): one shared tuple
        # per combination rather than one made per row.
        suppressed = SUPPRESSED[
            (demand is None)
            | (unmet is None) << 1
            | (waitlisted is None) << 2
            | (interests is None) << 3
            | (need is None) << 4
        ]
        add_row(
            GapRow(
                area_code,
                area_name,
                code,
                name,
                vocabulary,
                demand,
                unmet,
                waitlisted,
                interests,
                need,
                mine[0] + wide[0],
                mine[1] + wide[1],
                mine[2] + wide[2],
                open_sessions,
                mine[6] + wide[6],
                weight,
                score,
                suppressed,
                (scope, key),
            )
        )
        # Biggest score first; withheld scores after every published one.
        add_rank((score is None, -(score or 0), -(need or 0), -(demand or 0), area_name, name))
    # Sorting positions by rank is stable: rows that tie stay in the keys' order.
    return [rows[i] for i in sorted(range(len(rows)), key=ranks.__getitem__)]
