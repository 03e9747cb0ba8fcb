"""The funding pages, as each person would use them (no JavaScript)."""

from linkwork.community.models import Grant
from linkwork.funding.models import Application, Round
from linkwork.funding.views.rounds import gap_choices
from tests.funding.conftest import apply, call, make_round


def _date(prefix: str, day: str, month: str, year: str) -> dict:
    return {f"{prefix}_day": day, f"{prefix}_month": month, f"{prefix}_year": year}


def test_a_commissioner_starts_a_round_from_the_top_gaps(world):
    page = world.commissioner.get("/funding/rounds/new/?from=gaps")
    assert page.status_code == 200
    top = [value for value, _ in gap_choices()[:5]]
    assert top and f'value="{top[0]}" checked' in page.content.decode()

    response = world.commissioner.post(
        "/funding/rounds/new/",
        {
            "name": "Gaps round",
            "pot": "2000",
            "max_award": "500",
            **_date("opens", "1", "11", "2026"),
            **_date("closes", "31", "12", "2026"),
            "priorities": top[:1],
            "question_1": "Who?",
            "question_2": "Why?",
            "question_3": "How?",
            "panel": str(world.panel_org.pk),
            "unconstituted_allowed": "on",
        },
    )

    round = Round.objects.get(name="Gaps round")
    assert response.status_code == 302
    assert round.status == "draft" and round.priorities.count() == 1
    assert round.priorities.get().evidence


def test_a_round_form_with_no_questions_names_the_field(world):
    response = world.commissioner.post(
        "/funding/rounds/new/",
        {
            "name": "No questions",
            "pot": "2000",
            "max_award": "500",
            **_date("opens", "1", "11", "2026"),
            **_date("closes", "31", "12", "2026"),
        },
    )
    assert response.status_code == 200
    assert "Ask between 3 and 6 questions" in response.content.decode()
    assert not Round.objects.exists()


def test_a_group_applies_saves_and_sends_after_checking(world):
    round = make_round(world)
    base = {
        "organisation": str(world.walk.organisation.pk),
        "amount": "300",
        "purpose": "Walk leaders",
        "size_band": "micro",
        "answer_1": "Neighbours",
    }

    saved = world.walker.post(f"/funding/rounds/{round['id']}/apply/", {**base, "action": "save"})
    draft = Application.objects.get()
    assert saved.status_code == 302 and draft.status == "draft"

    again = world.walker.get(f"/funding/rounds/{round['id']}/apply/")
    assert "Neighbours" in again.content.decode()
    cont = world.walker.post(
        f"/funding/rounds/{round['id']}/apply/",
        {
            **base,
            "answer_2": "Less lonely",
            "answer_3": "We ask them",
            "action": "continue",
        },
    )
    assert cont["Location"] == f"/funding/applications/{draft.pk}/check/"
    check = world.walker.get(cont["Location"])
    assert "Less lonely" in check.content.decode()
    sent = world.walker.post(cont["Location"])

    draft.refresh_from_db()
    assert sent.status_code == 302 and draft.status == "submitted"
    assert draft.load_referred == 10


def test_sending_with_a_question_unanswered_says_which(world):
    round = make_round(world)
    world.walker.post(
        f"/funding/rounds/{round['id']}/apply/",
        {
            "organisation": str(world.walk.organisation.pk),
            "amount": "300",
            "purpose": "Walks",
            "action": "continue",
        },
    )
    draft = Application.objects.get()
    page = world.walker.post(f"/funding/applications/{draft.pk}/check/")
    assert page.status_code == 200
    assert "Answer question 1" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_conflicted_panel_member_sees_why_they_cannot_score(world):
    round = make_round(world)
    walk = apply(world, round["id"]).json()
    call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/rounds/{round['id']}/transitions",
        {"to": "scoring"},
    )

    page = world.conflicted.get(f"/funding/applications/{walk['id']}/")
    assert "You have a conflict of interest" in page.content.decode()
    world.conflicted.post(f"/funding/applications/{walk['id']}/score/", {"score": "5"})
    assert not Application.objects.get().scores.exists()

    world.panel.post(
        f"/funding/applications/{walk['id']}/score/", {"score": "4", "comment": "Good"}
    )
    assert Application.objects.get().scores.get().score == 4


def test_the_funder_decides_on_the_page_and_the_public_sees_the_decisions(world, anonymous):
    round = make_round(world)
    walk = apply(world, round["id"]).json()
    url = f"/api/v1/funding/rounds/{round['id']}/transitions"
    call(world.commissioner, "POST", url, {"to": "scoring"})
    assert anonymous.get(f"/funding/rounds/{round['id']}/").status_code == 404

    world.commissioner.post(
        f"/funding/applications/{walk['id']}/decision/",
        {"decision": "award", "amount": "350", "reason": "Strong"},
    )
    world.commissioner.post(f"/funding/rounds/{round['id']}/transition/", {"to": "decided"})
    world.commissioner.post(
        f"/funding/applications/{walk['id']}/payment/",
        {"paid_on": "2026-12-01", "amount": "350", "reference": "BACS-9"},
    )

    public = anonymous.get(f"/funding/rounds/{round['id']}/")
    text = public.content.decode()
    assert public.status_code == 200
    assert world.walk.organisation.name in text and "£350.00" in text
    assert "Southgate" in text  # the priority and its evidence
    assert Grant.objects.get().amount == 350
    csv = world.commissioner.get(f"/funding/rounds/{round['id']}/payments.csv").content.decode()
    assert "BACS-9" in csv and "350.00" in csv


def test_the_funding_home_for_each_role(world):
    make_round(world)
    assert "Start a round from the top gaps" in world.commissioner.get("/funding/").content.decode()
    assert "Southgate small grants" in world.walker.get("/funding/").content.decode()
    assert world.panel.get("/funding/").status_code == 200
