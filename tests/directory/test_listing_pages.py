"""The listing form in sections, check your answers, and the asset page's dates (issue 13)."""

import datetime as dt

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.models import Asset, CostKind, Schedule
from linkwork.directory.schedules import LONDON
from tests.factories import AssetFactory, OrganisationFactory, user_with_role
from tests.places.factories import neighbourhood

pytestmark = pytest.mark.django_db


def as_role(role: Role, organisation=None) -> Client:
    client = Client()
    client.force_login(user_with_role(role, organisation=organisation))
    return client


def form_data(asset: Asset, *sessions: dict, **fields) -> dict:
    data = {
        "name": asset.name,
        "description": asset.description,
        "kind": "activity",
        "cost_kind": "free",
        "referral_method": "linkwork",
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": "0",
        **fields,
    }
    for n, session in enumerate(sessions):
        data.update({f"sessions-{n}-{key}": value for key, value in session.items()})
    return data


FIRST_FRIDAY = {
    "pattern": "monthly",
    "day": "4",
    "week_of_month": "1",
    "opens_at": "10:00",
    "closes_at": "12:00",
    "description": "Taster welcome",
}


def test_a_group_member_adds_first_friday_checks_answers_and_sees_next_dates(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation, name="Knit and natter")
    client = as_role(Role.GROUP, organisation)
    assert "Session 1" in client.get(f"/directory/assets/{asset.pk}/edit/").content.decode()
    data = form_data(
        asset,
        FIRST_FRIDAY,
        cost_kind="per_session",
        amount="2",
        taster_session="on",
        duration="Ongoing",
        online_url="https://meet.example.org/knit",
    )
    response = client.post(f"/directory/assets/{asset.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"].endswith("/edit/check/")
    assert not asset.schedules.exists()  # nothing is saved before the answers are checked
    check = client.get(response["Location"]).content.decode()
    assert "First Friday of the month, 10am to 12pm: Taster welcome" in check
    assert "£2 per session" in check and "Check your answers" in check
    saved = client.post(response["Location"])
    assert saved.status_code == 302 and saved["Location"] == f"/directory/assets/{asset.pk}/"
    session = Schedule.objects.get(asset=asset)
    assert (session.freq, session.byday) == ("MONTHLY", "1FR")
    asset.refresh_from_db()
    assert asset.taster_session and not asset.is_free
    assert asset.cost_options.get().kind == CostKind.PER_SESSION
    page = Client().get(f"/directory/assets/{asset.pk}/").content.decode()
    assert page.count("<time datetime=") == 3 and "Friday" in page
    assert 'href="https://meet.example.org/knit"' in page and "You can come to a taster" in page


def test_add_another_session_works_without_javascript(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    client = as_role(Role.GROUP, organisation)
    data = form_data(asset, FIRST_FRIDAY, add_session="1")
    html = client.post(f"/directory/assets/{asset.pk}/edit/", data).content.decode()
    assert "Session 2" in html and "nhsuk-error-summary" not in html


BAD_ROWS = [
    ({**FIRST_FRIDAY, "closes_at": "09:00"}, {}, "The end time must be after the start time."),
    ({**FIRST_FRIDAY, "week_of_month": ""}, {}, "Choose which week of the month"),
    (
        {
            "pattern": "once",
            "date_day": "1",
            "date_month": "1",
            "date_year": "2020",
            "opens_at": "10:00",
            "closes_at": "11:00",
        },
        {},
        "cannot be in the past",
    ),
    (FIRST_FRIDAY, {"cost_kind": "per_session", "amount": "-2"}, "greater than or equal to 0"),
    (FIRST_FRIDAY, {"online_url": "http://meet.example.org"}, "starts with https://"),
]


@pytest.mark.parametrize(("row", "fields", "message"), BAD_ROWS)
def test_bad_input_is_shown_in_the_error_summary_and_nothing_is_saved(
    taxonomy, row, fields, message
):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation, name="Walk")
    client = as_role(Role.GROUP, organisation)
    data = form_data(asset, row, name="Renamed", **fields)
    response = client.post(f"/directory/assets/{asset.pk}/edit/", data)
    if response.status_code == 302:  # the online link is checked when saving
        response = client.post(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert message in html
    asset.refresh_from_db()
    assert asset.name == "Walk" and not asset.schedules.exists()


@pytest.mark.parametrize(
    ("role", "own", "status"),
    [
        (Role.GROUP, True, 200),
        (Role.GROUP, False, 404),
        (Role.RESIDENT, False, 404),
        (Role.REFERRER, False, 404),
        (Role.LINK_WORKER, False, 200),
        (Role.ADMIN, False, 200),
    ],
)
def test_only_owners_link_workers_and_admins_open_the_listing_form(taxonomy, role, own, status):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    client = as_role(role, organisation if own else None)
    assert client.get(f"/directory/assets/{asset.pk}/edit/").status_code == status
    check = client.get(f"/directory/assets/{asset.pk}/edit/check/")
    assert check.status_code == (302 if status == 200 else 404)


def test_next_dates_keep_local_time_across_the_october_clock_change(taxonomy):
    from linkwork.directory.schedules import next_dates

    sunday_walk = Schedule(
        weekday=6, opens_at=dt.time(10), closes_at=dt.time(11), freq="WEEKLY", interval=1
    )
    dates = next_dates([sunday_walk], now=dt.datetime(2026, 10, 17, 12, tzinfo=LONDON))
    assert [d.starts.strftime("%Y-%m-%d %H:%M") for d in dates] == [
        "2026-10-18 10:00",
        "2026-10-25 10:00",
        "2026-11-01 10:00",
    ]
    # 10:00 BST is 09:00 UTC; after the clocks go back on 25 October, 10:00 GMT is 10:00 UTC.
    assert [d.starts.astimezone(dt.UTC).hour for d in dates] == [9, 10, 10]


def test_next_dates_keep_local_time_across_the_march_clock_change(taxonomy):
    from linkwork.directory.schedules import next_dates

    last_tuesday = Schedule(
        weekday=1, opens_at=dt.time(18), closes_at=dt.time(19), freq="MONTHLY", ordinal=-1
    )
    dates = next_dates([last_tuesday], now=dt.datetime(2027, 2, 1, tzinfo=LONDON))
    assert [d.starts.date().isoformat() for d in dates] == [
        "2027-02-23",
        "2027-03-30",
        "2027-04-27",
    ]
    assert [d.starts.astimezone(dt.UTC).hour for d in dates] == [18, 17, 17]


def test_paused_dates_and_one_off_events_in_next_dates(taxonomy):
    from linkwork.directory.schedules import next_dates

    weekly = Schedule(
        weekday=0,
        opens_at=dt.time(10),
        closes_at=dt.time(11),
        freq="WEEKLY",
        interval=1,
        paused=[["2026-12-21", "2027-01-03"]],
        term_time_only=True,
    )
    event = Schedule(
        weekday=2,
        opens_at=dt.time(14),
        closes_at=dt.time(16),
        freq="ONCE",
        dtstart=dt.date(2026, 12, 23),
        until=dt.date(2026, 12, 23),
    )
    dates = next_dates([weekly, event], now=dt.datetime(2026, 12, 15, tzinfo=LONDON))
    assert [d.starts.date().isoformat() for d in dates] == [
        "2026-12-23",
        "2027-01-04",
        "2027-01-11",
    ]


def test_operators_see_listings_with_their_sessions_and_costs_in_django_admin(taxonomy):
    asset = AssetFactory(name="Admin walk")
    Schedule.objects.create(
        asset=asset,
        weekday=4,
        ordinal=1,
        freq="MONTHLY",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )
    client = as_role(Role.ADMIN)
    for path in ("asset", "location", "taxonomy", "taxonomyterm", "listingclaim", "listingreport"):
        assert client.get(f"/admin/directory/{path}/").status_code == 200, path
    change = client.get(f"/admin/directory/asset/{asset.pk}/change/").content.decode()
    assert "Admin walk" in change and "Schedules" in change and "Cost options" in change
    assert as_role(Role.GROUP).get("/admin/directory/asset/").status_code == 302


def test_whats_on_this_week_lists_sessions_by_day(taxonomy):
    today = dt.datetime.now(tz=LONDON).date()
    soon = today + dt.timedelta(days=2)
    asset = AssetFactory(name="Singing for the brain")
    Schedule.objects.create(
        asset=asset, weekday=soon.weekday(), opens_at=dt.time(23, 0), closes_at=dt.time(23, 30)
    )
    hidden = AssetFactory(name="Draft choir", publication="draft")
    Schedule.objects.create(
        asset=hidden, weekday=soon.weekday(), opens_at=dt.time(23), closes_at=dt.time(23, 30)
    )
    html = Client().get("/directory/this-week/").content.decode()
    day = html.index(f'id="day-{soon.isoformat()}"')
    assert html.index("Singing for the brain") > day
    assert html.count("Singing for the brain") == 1 and "Draft choir" not in html
    assert html.count('<h2 id="day-') == 7


def test_a_listing_without_sessions_can_be_saved_leaving_the_blank_session_row(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    client = as_role(Role.GROUP, organisation)
    data = form_data(asset, {"pattern": "weekly"}, duration="Six-week course")
    data["sessions-INITIAL_FORMS"] = "0"
    response = client.post(f"/directory/assets/{asset.pk}/edit/", data)
    assert response.status_code == 302
    assert client.post(response["Location"]).status_code == 302
    asset.refresh_from_db()
    assert asset.duration == "Six-week course" and not asset.schedules.exists()


def test_existing_sessions_are_shown_and_can_be_removed(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    Schedule.objects.create(asset=asset, weekday=2, opens_at=dt.time(9), closes_at=dt.time(10))
    client = as_role(Role.GROUP, organisation)
    html = client.get(f"/directory/assets/{asset.pk}/edit/").content.decode()
    assert 'value="09:00"' in html and "Remove this session" in html
    row = {
        "pattern": "weekly",
        "day": "2",
        "opens_at": "09:00",
        "closes_at": "10:00",
        "DELETE": "on",
    }
    data = {**form_data(asset, row), "sessions-INITIAL_FORMS": "1"}
    response = client.post(f"/directory/assets/{asset.pk}/edit/", data)
    client.post(response["Location"])
    assert not asset.schedules.exists()


# --- A new listing, in the same sections --------------------------------------------


def new_listing(**fields) -> dict:
    data = {
        "name": "Friday crafts",
        "description": "Make things, have a brew.",
        "kind": "activity",
        "cost_kind": "per_session",
        "amount": "2",
        "referral_method": "linkwork",
        "postcode": "BL1 1AP",
        "taster_session": "on",
        "duration": "Ongoing",
        "safeguarding_policy": "on",
        "safeguarding_policy_reviewed_on_day": "1",
        "safeguarding_policy_reviewed_on_month": "9",
        "safeguarding_policy_reviewed_on_year": "2026",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        **{f"sessions-0-{key}": value for key, value in FIRST_FRIDAY.items()},
        **fields,
    }
    return data


def test_a_group_adds_a_listing_in_sections_checks_answers_and_it_is_published(taxonomy, postcodes):
    organisation = OrganisationFactory()
    client = as_role(Role.GROUP, organisation)
    form = client.get("/directory/assets/new/").content.decode()
    for section in ("When it runs", "Cost", "Where, and online", "A first visit", "Being safe"):
        assert section in form
    assert "Session 1" in form
    response = client.post("/directory/assets/new/", new_listing())
    assert response.status_code == 302 and response["Location"] == "/directory/assets/new/check/"
    assert not Asset.objects.exists()  # nothing is saved before the answers are checked
    check = client.get(response["Location"]).content.decode()
    assert "First Friday of the month, 10am to 12pm: Taster welcome" in check
    assert "£2 per session" in check and "Add the listing" in check
    assert "/directory/assets/new/?draft=1#" in check  # "Change" goes back to the form
    saved = client.post(response["Location"])
    asset = Asset.objects.get(name="Friday crafts")
    assert saved["Location"] == f"/directory/assets/{asset.pk}/"
    assert asset.organisation == organisation and asset.publication == "published"
    assert (asset.schedules.get().byday, asset.cost_options.get().amount) == ("1FR", 2)
    assert asset.taster_session and asset.safeguarding_policy_reviewed_on == dt.date(2026, 9, 1)
    page = Client().get(saved["Location"]).content.decode()
    assert page.count("<time datetime=") == 3
    # The draft is gone: the check page now sends people back to a blank form.
    assert client.get("/directory/assets/new/check/")["Location"] == "/directory/assets/new/"


def test_a_new_listing_with_bad_sessions_or_cost_names_each_field_and_saves_nothing(
    taxonomy, postcodes
):
    client = as_role(Role.GROUP, OrganisationFactory())
    bad = new_listing(
        amount="-1",
        online_url="http://insecure.example.org/room",
        **{"sessions-0-closes_at": "09:00", "sessions-0-week_of_month": ""},
    )
    response = client.post("/directory/assets/new/", bad)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert 'href="#id_amount"' in html
    assert 'href="#id_sessions-0-week_of_month"' in html
    assert 'href="#id_online_url"' in html and "Give a secure link that starts with" in html
    assert not Asset.objects.exists()
    past = new_listing(
        **{
            "sessions-0-pattern": "once",
            "sessions-0-date_day": "1",
            "sessions-0-date_month": "1",
            "sessions-0-date_year": "2020",
        }
    )
    html = client.post("/directory/assets/new/", past).content.decode()
    assert "cannot be in the past" in html and 'href="#id_sessions-0-date_day"' in html
    assert not Asset.objects.exists()


def test_someone_without_a_listing_role_cannot_add_one(taxonomy):
    for role in (Role.REFERRER, Role.COMMISSIONER):
        client = as_role(role)
        assert client.get("/directory/assets/new/").status_code == 403
        assert client.post("/directory/assets/new/check/").status_code == 403


@pytest.mark.parametrize(
    ("fields", "shown", "borough_wide", "codes"),
    [
        ({"neighbourhoods": ["N-TONGE"]}, "Tonge", False, ["N-TONGE"]),
        ({"neighbourhoods": ["N-TONGE", "N-LEVER"]}, "Great Lever, Tonge", False, None),
        ({"borough_wide": "on"}, "Anyone in the borough", True, []),
    ],
)
def test_a_group_says_who_can_come_by_where_they_live(taxonomy, fields, shown, borough_wide, codes):
    neighbourhood("N-TONGE", "Tonge", lsoas=[])
    neighbourhood("N-LEVER", "Great Lever", lsoas=[])
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation, name="Knit and natter")
    client = as_role(Role.GROUP, organisation)

    response = client.post(f"/directory/assets/{asset.pk}/edit/", form_data(asset, **fields))
    check = client.get(response["Location"]).content.decode()
    assert "Who can come" in check and shown in check
    client.post(response["Location"])

    asset.refresh_from_db()
    assert asset.borough_wide is borough_wide
    expected = codes if codes is not None else ["N-LEVER", "N-TONGE"]
    assert sorted(asset.coverage_areas.values_list("code", flat=True)) == sorted(expected)
    form = client.get(f"/directory/assets/{asset.pk}/edit/").content.decode()
    for code in expected:
        assert f'value="{code}" checked' in form or f'value="{code}"\n checked' in form


def test_an_unknown_neighbourhood_is_named_and_nothing_is_saved(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    client = as_role(Role.GROUP, organisation)
    response = client.post(
        f"/directory/assets/{asset.pk}/edit/", form_data(asset, neighbourhoods=["N-NOWHERE"])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not asset.coverage_areas.exists()
