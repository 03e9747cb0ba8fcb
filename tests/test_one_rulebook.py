"""No module or template decides states for itself (issue 21): referral and connection
states are compared through referrals/transitions.py, capacity through CapacityStatus, in
the app and in bench/.

A state word in quotes is allowed as a dict key or subscript (a label, colour or code for
that state), and in the modules that define the vocabulary; anywhere else it is a rule
written twice.
"""

import re
from pathlib import Path

from linkwork.directory.models import CapacityStatus
from linkwork.referrals import transitions as t

ROOT = Path(__file__).resolve().parent.parent / "linkwork"
# The benchmarks build worlds of referrals and connections, and repeat the app's SQL: the
# same words, from the same rulebook.
BENCH = ROOT.parent / "bench"
STATES = sorted(set(t.REFERRAL_STATES) | set(t.CONNECTION_STATES))
CAPACITIES = sorted(CapacityStatus.values)
# Where the vocabulary is defined (and migrations, which are history).
DEFINES = {ROOT / "referrals" / "transitions.py", ROOT / "directory" / "models" / "assets.py"}
# Lines that use a state word for something else, each with why.
ELSEWHERE = {
    # A follow-up's state, not a referral's (the API's 409 names it so).
    'raise Conflict("This follow-up is already done.", current_state="completed")',
}


def _literal(words):
    alternatives = "|".join(map(re.escape, words))
    return re.compile(r"""(?<!\w\[)["'](""" + alternatives + r""")["'](?!\s*:)""")


# Outside formats with vocabularies of their own: FHIR's Task, QuestionnaireResponse and
# Composition statuses ("completed", "in-progress") are FHIR's words, mapped from ours in
# interop/fhir/data/task_status.csv.
OUTSIDE_FORMATS = ROOT / "interop" / "fhir"


def _sources(*suffixes):
    for path in sorted([*ROOT.rglob("*"), *BENCH.rglob("*")]):
        if (
            path.suffix in suffixes
            and "migrations" not in path.parts
            and path not in DEFINES
            and OUTSIDE_FORMATS not in path.parents
        ):
            yield path


def _found(paths, pattern, near):
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip() in ELSEWHERE or not near.search(line):
                continue
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    return found


def test_templates_compare_states_through_the_rulebook():
    found = _found(_sources(".jinja", ".html"), _literal(STATES), re.compile(r"."))
    assert not found, "use rulebook.<NAME> or a predicate:\n" + "\n".join(found)


def test_modules_compare_states_through_the_rulebook():
    near = re.compile(r"status|state")
    found = _found(_sources(".py"), _literal(STATES), near)
    assert not found, "use transitions' names or predicates:\n" + "\n".join(found)


def test_capacity_is_compared_through_capacity_status():
    near = re.compile(r"capacity")
    found = _found(_sources(".py", ".jinja", ".html"), _literal(CAPACITIES), near)
    assert not found, "use CapacityStatus and its named sets:\n" + "\n".join(found)


def test_disclosure_and_periods_sit_below_the_apps_that_publish():
    """community and outcomes publish figures through linkwork.disclosure and read periods
    from linkwork.periods: neither reaches up into insight (which may import outcomes)."""
    found = [
        f"{path.relative_to(ROOT.parent)}:{number}"
        for app in ("community", "outcomes", "referrals", "directory")
        for path in sorted((ROOT / app).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.match(r"\s*(from|import) linkwork\.insight\b", line)
        # Panels decide with insight's published figures as evidence: they sit above it.
        and ROOT / "community" / "panels" not in path.parents
    ]
    assert not found, "\n".join(found)


def test_the_formatter_lays_out_every_line():
    """Tables are laid out by ruff like everything else (issue 21): no opt-outs."""
    opt_out = re.compile(r"#\s*fmt:\s*(skip|off)")
    found = [
        f"{path.relative_to(ROOT.parent)}:{number}"
        for folder in (ROOT, BENCH, ROOT.parent / "tests")
        for path in sorted(folder.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if opt_out.search(line) and path != Path(__file__).resolve()
    ]
    assert not found, "\n".join(found)


# A module past this many lines becomes a package by sub-concept (CONVENTIONS). Settings
# stay one file on purpose (docs/decisions.md).
MODULE_LINES = 420
ONE_FILE_ON_PURPOSE = {ROOT / "settings.py"}


def test_no_code_module_is_past_the_size_of_one_concept():
    found = [
        f"{path.relative_to(ROOT.parent)}: {lines} lines"
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        and path not in ONE_FILE_ON_PURPOSE
        and (lines := len(path.read_text().splitlines())) > MODULE_LINES
    ]
    assert not found, "split by sub-concept:\n" + "\n".join(found)
