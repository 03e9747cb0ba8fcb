"""The demo's made-up people and their referrals: who, where, why, and how far each
referral has got by today."""

import csv
import datetime as dt
import random

from django.utils import timezone

from linkwork.demo import dataset
from linkwork.demo.referrals.words import (
    ACCESS_NEEDS,
    CONTACT_TIMES,
    ETHNICITY,
    FAMILY_NAMES,
    FIRST_NAMES,
    NEEDS,
    OTHER_FIRST_NAMES,
)
from linkwork.demo.referrals.world import LONDON, Case, at_work
from linkwork.demo.services import PLACES_DATA
from linkwork.referrals import transitions as t
from linkwork.referrals.people import nhs_number_is_valid

# How many referrals end the year at each stage (300 in all).
OUTCOMES = {
    t.RECEIVED: 24,
    t.ACCEPTED: 14,
    t.CONTACTED: 18,
    t.IN_PROGRESS: 110,
    t.CLOSED: 88,
    t.DECLINED: 22,
    t.RETURNED: 24,
}
# When each stage's referrals arrived: (fewest, most) days ago.
ARRIVED_DAYS_AGO = {
    t.RECEIVED: (0, 14),
    t.ACCEPTED: (3, 12),
    t.CONTACTED: (10, 30),
    t.IN_PROGRESS: (20, 160),
    t.CLOSED: (110, 364),
    t.DECLINED: (20, 364),
    t.RETURNED: (20, 364),
}


def cases(*, seed: int, now: dt.datetime) -> list[Case]:
    """Every demo referral to be played, with its person; the same ones for the same seed."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    postcodes = _postcodes()
    outcomes = [outcome for outcome, n in OUTCOMES.items() for _ in range(n)]
    rng.shuffle(outcomes)
    seen_people: set[tuple[str, str, dt.date]] = set()
    made = []
    for n, outcome in enumerate(outcomes, start=1):
        case_rng = random.Random(f"{seed}-{n}")  # noqa: S311
        person, sex, point = _person(case_rng, postcodes, seen_people)
        fewest, most = ARRIVED_DAYS_AGO[outcome]
        day = timezone.localtime(now, LONDON).date()
        received_at = at_work(day - dt.timedelta(days=case_rng.randint(fewest, most)), case_rng)
        while received_at > now:
            day -= dt.timedelta(days=1)
            received_at = at_work(day, case_rng)
        made.append(
            Case(
                n=n,
                rng=case_rng,
                person=person,
                sex=sex,
                point=point,
                reasons=_reasons(case_rng),
                self_referral=case_rng.random() < 0.2,
                outcome=outcome,
                at_triage=case_rng.random() < 0.5,
                received_at=received_at,
            )
        )
    return made


def _postcodes() -> list[tuple[dict[str, str], bool]]:
    """The extract's postcodes, each marked whether it is in the service's neighbourhood."""
    tonge_wards = set(dataset.NEIGHBOURHOODS[0][2])
    with open(PLACES_DATA / "bolton_postcodes.csv", newline="", encoding="utf-8") as handle:
        return [(row, row["ward_name"] in tonge_wards) for row in csv.DictReader(handle)]


def _person(rng: random.Random, postcodes, seen: set) -> tuple[dict, str, tuple[float, float]]:
    """A made-up person living at a real postcode, most of them near the service."""
    local = rng.random() < 0.65
    row = rng.choice([row for row, in_tonge in postcodes if in_tonge == local])
    while True:
        given, sex, language = rng.choice(OTHER_FIRST_NAMES if rng.random() < 0.15 else FIRST_NAMES)
        family = rng.choice(FAMILY_NAMES)
        birth_date = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(72 * 365))
        if (given, family, birth_date) not in seen:
            seen.add((given, family, birth_date))
            break
    method = rng.choice(["phone", "phone", "text", "email", "letter"])
    person = {
        "given_name": given,
        "family_name": family,
        "birth_date": birth_date,
        "postcode": row["postcode"],
        "nhs_number": _nhs_number(rng) if rng.random() < 0.4 else "",
        "phone": f"07700 900{rng.randrange(1000):03d}",
        "email": f"{given}.{family}@example.com".lower() if method == "email" else "",
        "preferred_contact_method": method,
        "contact_times": rng.choice(CONTACT_TIMES),
        "language": language,
        "interpreter_needed": language != "en" and rng.random() < 0.5,
        "access_needs": rng.choice(ACCESS_NEEDS) if rng.random() < 0.25 else "",
        "sex": sex if rng.random() < 0.8 else "",
        "ethnicity": ETHNICITY[language] if rng.random() < 0.6 else "",
    }
    return person, sex, (float(row["latitude"]), float(row["longitude"]))


def _nhs_number(rng: random.Random) -> str:
    """A number in the 999 test range whose modulus 11 check digit is right."""
    while True:
        stem = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        for check in range(10):
            if nhs_number_is_valid(stem + str(check)):
                return stem + str(check)


def _reasons(rng: random.Random) -> list[str]:
    codes, weights = list(NEEDS), [weight for _, _, weight in NEEDS.values()]
    reasons: list[str] = []
    for _ in range(rng.choice([1, 1, 2, 2, 2, 3])):
        code = rng.choices(codes, weights)[0]
        if code not in reasons:
            reasons.append(code)
    return reasons
