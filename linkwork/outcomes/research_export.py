"""The research export: de-identified rows for evaluation research. Administrators only;
every download is audited.

One row per referral (consent not withdrawn): a salted pseudonymous person id and
referral id (HMAC-SHA256 with the secret setting RESEARCH_EXPORT_KEY, so the same person
gets the same id in every export from this deployment, and nobody without the key can
turn an id back into a record or test a guess), the quarter referred, the source and
status, age band at referral, sex, IMD decile and neighbourhood code of the person's
LSOA, the referral reasons, the categories of the assets they were connected to, and
each measure's score at baseline, latest follow-up and closure.

Never included: names, dates of birth, postcodes, NHS numbers, contact details, exact
dates, any free text (notes, what matters, goals, reasons given), organisation or user
identities, the raw database ids.

`COLUMNS` is the data dictionary (also a CSV download and a page).
"""

import hashlib
import hmac
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from linkwork import csvsafe
from linkwork.audit.services import record_event
from linkwork.directory.models import Asset
from linkwork.outcomes.evaluation import ATTENDED_STATES, age_band
from linkwork.outcomes.instruments import ordered
from linkwork.outcomes.models import Response, Timepoint
from linkwork.places.models import AGE_BANDS, SEX_WORDS, Area
from linkwork.places.selectors import neighbourhood_ids_by_lsoa
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral, Source

CHUNK = 2000  # referrals per batch of queries: memory stays flat however many there are
NEVER_SENT = t.NEVER_SENT
TIMEPOINTS = (Timepoint.BASELINE, Timepoint.FOLLOW_UP, Timepoint.CLOSURE)
FILENAME = "linkwork-research-export.csv"
DICTIONARY_FILENAME = "linkwork-research-export-data-dictionary.csv"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, integer, number, list (separated by ";"), code
    description: str
    values: str = ""


def _measure_columns() -> list[Column]:
    found = []
    for instrument in ordered():
        for measure in instrument.measures:
            better = "higher is better" if measure.higher_is_better else "lower is better"
            for timepoint in TIMEPOINTS:
                when = {
                    Timepoint.BASELINE: "at baseline",
                    Timepoint.FOLLOW_UP: "at the latest follow-up",
                    Timepoint.CLOSURE: "at closure",
                }[timepoint]
                found.append(
                    Column(
                        f"{measure.key}_{timepoint}",
                        "number",
                        f"{instrument.short_name}: {measure.label}, {when} ({better}). Blank "
                        "when not recorded or incomplete (incomplete questionnaires are never "
                        "scored)."
                        + (f" {instrument.copyright}" if instrument.licensed_wording else ""),
                        f"{measure.minimum} to {measure.maximum}",
                    )
                )
        found.append(
            Column(
                f"{instrument.code}_weeks_to_latest",
                "integer",
                f"{instrument.short_name}: whole weeks from the baseline to the latest later "
                "questionnaire (follow-up or closure); blank without both.",
            )
        )
    return found


def columns() -> list[Column]:
    """The data dictionary, in column order."""
    return [
        Column(
            "person_id",
            "code",
            "Pseudonymous person id: HMAC-SHA256 of the person's "
            "internal identifier with this deployment's secret key, 16 hex digits. The "
            "same person has the same id in every export from this deployment.",
        ),
        Column("referral_id", "code", "Pseudonymous referral id, made the same way."),
        Column(
            "referral_quarter",
            "text",
            "The calendar quarter the referral was received.",
            "e.g. 2025-Q3",
        ),
        Column("source", "code", "Who referred.", ", ".join(Source.values)),
        Column(
            "status", "code", "Where the referral was when exported.", ", ".join(t.REFERRAL_STATES)
        ),
        Column("age_band", "code", "Age band at referral.", ", ".join(AGE_BANDS)),
        Column(
            "sex",
            "code",
            "Sex, where recorded (equality monitoring).",
            "female, male, other; blank when not recorded",
        ),
        Column(
            "imd_decile",
            "integer",
            "Index of Multiple Deprivation decile of the person's "
            "LSOA (1 = most deprived 10% in England); blank when not known.",
            "1 to 10",
        ),
        Column(
            "neighbourhood_code",
            "code",
            "The neighbourhood (the deployment's patch of "
            "LSOAs) the person lives in; blank when not known.",
        ),
        Column(
            "referral_reasons",
            "list",
            "Need categories the person was referred for (taxonomy codes), separated by ';'.",
        ),
        Column("connections_made", "integer", "Connections sent to community assets."),
        Column(
            "connections_attended",
            "integer",
            "Of those, the ones the person went to at least once.",
        ),
        Column(
            "connection_categories",
            "list",
            "Need categories and activity types of the "
            "assets the person was connected to (sent), taxonomy codes separated by ';'.",
        ),
        Column(
            "attended_categories",
            "list",
            "The same, for the assets the person went to at least once.",
        ),
        *_measure_columns(),
    ]


def research_key() -> bytes:
    """The secret the pseudonyms are made with: RESEARCH_EXPORT_KEY, or one derived from
    SECRET_KEY when it is not set (changing either changes every pseudonym)."""
    configured = getattr(settings, "RESEARCH_EXPORT_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"linkwork-research-export", hashlib.sha256
    ).digest()


def pseudonym(kind: str, identifier: object, key: bytes | None = None) -> str:
    digest = hmac.new(key or research_key(), f"{kind}:{identifier}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _sex(value: str) -> str:
    text = value.strip().lower()
    if not text:
        return ""
    return next((sex for sex, words in SEX_WORDS.items() if text in words), "other")


def _quarter(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _number(value: str | None) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def exported_referrals():
    """Referrals in the export: all but those whose consent was withdrawn."""
    return Referral.objects.filter(consent_withdrawn_at__isnull=True)


def _chunk_rows(ids: list[int], context: dict, key: bytes) -> list[list[str]]:
    """The rows of one batch of referrals (a handful of queries)."""
    low, high = ids[0], ids[-1]
    in_batch = {"referral_id__gte": low, "referral_id__lte": high}
    referrals = exported_referrals().filter(pk__gte=low, pk__lte=high)
    reasons: dict[int, list[str]] = defaultdict(list)
    for referral_id, code in Referral.reasons.through.objects.filter(**in_batch).values_list(
        "referral_id", "taxonomyterm__code"
    ):
        reasons[referral_id].append(code)
    sent: dict[int, list[int]] = defaultdict(list)
    attended: dict[int, list[int]] = defaultdict(list)
    for referral_id, asset_id, status in (
        Connection.objects.filter(**in_batch)
        .exclude(status__in=NEVER_SENT)
        .values_list("referral_id", "asset_id", "status")
    ):
        sent[referral_id].append(asset_id)
        if status in ATTENDED_STATES:
            attended[referral_id].append(asset_id)
    scores = _scores(in_batch)
    rows = []
    for pk, person, received, status, source, born, sex, lsoa, decile in referrals.values_list(
        "id",
        "person_id",
        "received_at",
        "status",
        "source",
        "person__birth_date",
        "person__sex",
        "person__area_id",
        "person__area__imd_decile",
    ):
        day = timezone.localdate(received)
        terms = context["asset_terms"]
        row = [
            pseudonym("person", person, key),
            pseudonym("referral", pk, key),
            _quarter(day),
            source,
            status,
            age_band(born, day),
            _sex(sex),
            "" if decile is None else str(decile),
            context["neighbourhood_code"].get(lsoa, "") if lsoa else "",
            ";".join(sorted(reasons.get(pk, []))),
            str(len(sent.get(pk, []))),
            str(len(attended.get(pk, []))),
            ";".join(sorted({c for a in sent.get(pk, []) for c in terms.get(a, ())})),
            ";".join(sorted({c for a in attended.get(pk, []) for c in terms.get(a, ())})),
        ]
        mine = scores.get(pk, {})
        for instrument in ordered():
            for measure in instrument.measures:
                for timepoint in TIMEPOINTS:
                    row.append(_number(mine.get((measure.key, timepoint))))
            row.append(mine.get((instrument.code, "weeks"), ""))
        rows.append(row)
    rows.sort(key=lambda r: r[1])  # by pseudonym, not by arrival
    return rows


def _scores(in_batch: dict) -> dict[int, dict[tuple[str, str], str]]:
    """{referral id: {(measure key, timepoint): score, (instrument, "weeks"): weeks}}: the
    baseline, the latest complete follow-up and the closure of each instrument."""
    found: dict[int, dict] = defaultdict(dict)
    dates: dict[tuple[int, str], dict[str, object]] = defaultdict(dict)
    for referral_id, code, timepoint, measures, completed_on in (
        Response.objects.filter(complete=True, **in_batch)
        .order_by("completed_on", "recorded_at", "id")
        .values_list("referral_id", "instrument", "timepoint", "measures", "completed_on")
    ):
        for key, value in measures.items():
            found[referral_id][(key, timepoint)] = value.get("score")
        dates[(referral_id, code)][timepoint] = completed_on
    for (referral_id, code), when in dates.items():
        baseline = when.get(Timepoint.BASELINE)
        later = [d for tp, d in when.items() if tp != Timepoint.BASELINE]
        if baseline and later and max(later) >= baseline:
            found[referral_id][(code, "weeks")] = str((max(later) - baseline).days // 7)
    return found


def _context() -> dict:
    """Lookups shared by every batch: LSOA → neighbourhood code, asset → category codes."""

    hoods = neighbourhood_ids_by_lsoa()
    codes = dict(Area.objects.filter(pk__in=set(hoods.values())).values_list("id", "code"))
    asset_terms: dict[int, list[str]] = defaultdict(list)
    for asset_id, code in Asset.terms.through.objects.values_list("asset_id", "taxonomyterm__code"):
        asset_terms[asset_id].append(code)
    return {
        "neighbourhood_code": {lsoa: codes[hood] for lsoa, hood in hoods.items()},
        "asset_terms": asset_terms,
    }


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csvsafe.Writer(buffer).writerow(values)
    return buffer.getvalue()


def export_rows(*, by: AbstractBaseUser) -> Iterator[str]:
    """The export as CSV lines (header first), batch by batch. The download is audited
    before the first line: who, when, and how many rows, never what they hold."""
    ids = list(exported_referrals().order_by("id").values_list("id", flat=True))
    record_event(
        by=by,
        action="research_exported",
        object_type="outcomes",
        summary=f"research export: {len(ids)} referrals, {len(columns())} columns",
    )
    return _lines(ids)


def _lines(ids: list[int]) -> Iterator[str]:
    key = research_key()
    yield _line([column.name for column in columns()])
    if not ids:
        return
    context = _context()
    for start in range(0, len(ids), CHUNK):
        for row in _chunk_rows(ids[start : start + CHUNK], context, key):
            yield _line(row)


def dictionary_csv() -> str:
    buffer = io.StringIO()
    writer = csvsafe.Writer(buffer)
    writer.writerow(["column", "type", "description", "values"])
    for column in columns():
        writer.writerow([column.name, column.kind, column.description, column.values])
    return buffer.getvalue()
