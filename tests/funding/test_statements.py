"""Funding that follows the person: tariffs, monthly statements, caps, pot, approval."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from linkwork.funding import services
from linkwork.funding.models import GroupSize, Statement, Tariff
from linkwork.referrals.models import ConnectionEvent
from tests.funding.conftest import call


def _started(world, n, asset, month: dt.date):
    """n people whose connection to `asset` reached attended_first on the 10th of `month`."""
    connections = world.build.connect(n, world.town.south, asset, "attending")
    at = timezone.make_aware(dt.datetime.combine(month.replace(day=10), dt.time(12)))
    ConnectionEvent.objects.bulk_create(
        ConnectionEvent(connection=c, from_status="accepted", to_status="attended_first")
        for c in connections
    )
    ConnectionEvent.objects.filter(to_status="attended_first", connection__in=connections).update(
        at=at
    )


def _tariff(world, **fields) -> Tariff:
    body = {"name": "Per person", "rate": "25.00", "starts": "2026-01-01", **fields}
    response = call(world.commissioner, "POST", "/api/v1/funding/tariffs", body)
    assert response.status_code == 201, response.json()
    return Tariff.objects.get(pk=response.json()["id"])


OCTOBER = dt.date(2026, 10, 1)


def test_a_statement_shows_a_group_what_it_is_owed(world):
    _tariff(world)
    _started(world, 3, world.walk, OCTOBER)

    funder = call(world.commissioner, "GET", "/api/v1/funding/statements?month=2026-10").json()
    group = call(world.walker, "GET", "/api/v1/funding/statements?month=2026-10").json()
    other = call(world.singer, "GET", "/api/v1/funding/statements?month=2026-10").json()

    [row] = funder["items"]
    assert (row["people_started"], row["amount_due"], row["status"]) == (3, "75.00", "due")
    assert group["items"] == funder["items"]
    assert other["items"] == []
    assert "Southgate walk" not in str(row)  # counts only, no person and no listing named


def test_running_statements_twice_never_pays_twice(world):
    tariff = _tariff(world)
    _started(world, 2, world.walk, OCTOBER)
    services.compute_statements(tariff=tariff, month=OCTOBER, by=None)
    statement = Statement.objects.get()
    services.approve_statement(statement=statement, by=world.commissioner.user)
    _started(world, 5, world.walk, OCTOBER)  # late records do not change an approved one

    services.compute_statements(tariff=tariff, month=OCTOBER, by=None)
    services.compute_statements(tariff=tariff, month=OCTOBER, by=None)

    statement = Statement.objects.get()
    assert (statement.people_started, statement.amount_due) == (2, Decimal("50.00"))


def test_the_quarterly_cap_and_the_pot_limit_what_is_due(world):
    tariff = _tariff(world, cap_per_quarter="100.00", pot="130.00")
    _started(world, 3, world.walk, OCTOBER)
    _started(world, 4, world.walk, dt.date(2026, 11, 1))
    _started(world, 2, world.choir, dt.date(2026, 11, 1))

    services.compute_statements(tariff=tariff, month=OCTOBER, by=None)
    services.compute_statements(tariff=tariff, month=dt.date(2026, 11, 1), by=None)

    due = {(s.organisation_id, s.month.month): s for s in Statement.objects.all()}
    assert due[(world.walk.organisation_id, 10)].amount_due == Decimal("75.00")
    november_walk = due[(world.walk.organisation_id, 11)]
    assert (november_walk.amount_due, november_walk.capped) == (Decimal("25.00"), True)
    # 75 + 25 used; 30 of the 130 pot is left for the choir's 50.
    assert due[(world.choir.organisation_id, 11)].amount_due == Decimal("30.00")


def test_a_tariff_for_some_sizes_pays_only_those(world):
    tariff = _tariff(world, size_bands=["micro"])
    GroupSize.objects.create(organisation=world.walk.organisation, size_band="small")
    GroupSize.objects.create(organisation=world.choir.organisation, size_band="micro")
    _started(world, 2, world.walk, OCTOBER)
    _started(world, 2, world.choir, OCTOBER)

    services.compute_statements(tariff=tariff, month=OCTOBER, by=None)

    assert list(Statement.objects.values_list("organisation_id", flat=True)) == [
        world.choir.organisation_id
    ]


def test_approve_then_pay_once(world):
    _tariff(world)
    _started(world, 1, world.walk, OCTOBER)
    [row] = call(world.commissioner, "GET", "/api/v1/funding/statements?month=2026-10").json()[
        "items"
    ]
    url = f"/api/v1/funding/statements/{row['id']}"

    assert call(world.walker, "POST", f"{url}/approve").status_code == 403
    assert call(world.commissioner, "POST", f"{url}/paid", {"reference": "X"}).status_code == 409
    assert call(world.commissioner, "POST", f"{url}/approve").json()["status"] == "approved"
    assert (
        call(world.commissioner, "POST", f"{url}/paid", {"reference": "BACS-7"}).status_code == 200
    )
    assert (
        call(world.commissioner, "POST", f"{url}/paid", {"reference": "BACS-8"}).status_code == 409
    )


def test_a_bad_month_is_named(world):
    response = call(world.commissioner, "GET", "/api/v1/funding/statements?month=October")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "month"


def test_the_group_sees_its_statement_on_its_home_and_the_load_view_shows_it(world):
    _tariff(world)
    _started(world, 3, world.walk, OCTOBER)
    [row] = call(world.commissioner, "GET", "/api/v1/funding/statements?month=2026-10").json()[
        "items"
    ]
    call(world.commissioner, "POST", f"/api/v1/funding/statements/{row['id']}/approve")

    home = world.walker.get("/group/").content.decode()
    load = world.commissioner.get("/insight/load/").content.decode()

    assert "£75.00" in home and "3 people started" in home
    assert "£75.00" in load
    csv = world.commissioner.get("/funding/statements.csv?month=2026-10").content.decode()
    assert "75.00" in csv


def test_a_group_sees_a_month_its_funder_has_not_opened(world):
    _tariff(world)
    _started(world, 2, world.walk, OCTOBER)
    group = call(world.walker, "GET", "/api/v1/funding/statements?month=2026-10").json()
    assert [row["amount_due"] for row in group["items"]] == ["50.00"]


def test_the_monthly_command_is_idempotent(world):
    from io import StringIO

    from django.core.management import call_command

    _tariff(world)
    _started(world, 2, world.walk, OCTOBER)
    for _ in range(2):
        out = StringIO()
        call_command("compute-statements", "--month", "2026-10", stdout=out)
    assert "1 statement(s) for October 2026" in out.getvalue()
