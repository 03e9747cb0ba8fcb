"""The link worker's outcome pages and the person's questionnaire link."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.outcomes import services
from linkwork.outcomes.models import ItemWording, OtherOutcomes, QuestionnaireLink, Response
from linkwork.referrals import services as referral_services
from linkwork.referrals.models import FollowUp

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def record_url(referral, code, timepoint="baseline") -> str:
    return reverse("outcomes-record", args=[referral.pk, code]) + f"?timepoint={timepoint}"


def items(answers) -> dict:
    return {f"item_{n}": str(a) for n, a in enumerate(answers, start=1) if a is not None}


def license_swemwbs() -> None:
    services.import_wording(
        rows=[
            {"instrument": "swemwbs", "item_number": str(n), "wording": f"Licensed statement {n}"}
            for n in range(1, 8)
        ],
        by=None,
    )


# --- Outcomes page ----------------------------------------------------------------------


def test_the_case_page_links_to_outcomes(world, referral):
    page = html(world.link_worker.get(reverse("referral-detail", args=[referral.pk])))
    assert reverse("outcomes-case", args=[referral.pk]) in page


def test_outcomes_page_shows_change_against_the_threshold(world, referral):
    services.record_response(
        referral=referral,
        instrument_code="swemwbs",
        timepoint="baseline",
        answers=[2, 2, 2, 2, 2, 2, 2],
        by=world.link_worker.user,
    )
    services.record_response(
        referral=referral,
        instrument_code="swemwbs",
        timepoint="follow_up",
        answers=[3, 3, 3, 3, 3, 3, 3],
        by=world.link_worker.user,
    )
    services.record_response(
        referral=referral,
        instrument_code="ons4",
        timepoint="baseline",
        answers=[4, 5, 5, 7],
        by=world.link_worker.user,
    )
    page = html(world.link_worker.get(reverse("outcomes-case", args=[referral.pk])))
    assert "15.32" in page and "19.25" in page and "+3.93" in page
    assert "Passes the threshold of 2.87 points" in page
    assert "Waiting for a follow-up" in page  # ONS4 has only a baseline
    assert "No published threshold" in page
    assert "© NHS Health Scotland" in page


def test_outcomes_pages_are_for_the_services_link_workers_only(world, referral):
    url = reverse("outcomes-case", args=[referral.pk])
    assert world.other_link_worker.get(url).status_code == 404
    assert world.gp.get(url).status_code == 403
    assert world.commissioner.get(url).status_code == 403
    assert world.other_link_worker.get(record_url(referral, "ons4")).status_code == 404
    assert (
        world.other_link_worker.post(
            record_url(referral, "ons4"), {"timepoint": "baseline", **items([5, 5, 5, 5])}
        ).status_code
        == 404
    )
    assert not Response.objects.exists()


def test_an_unknown_instrument_is_a_404(world, referral):
    assert world.link_worker.get(record_url(referral, "wemwbs")).status_code == 404


# --- Recording ----------------------------------------------------------------------------


def test_swemwbs_form_shows_numbers_and_a_licence_notice_until_wording_is_imported(world, referral):
    page = html(world.link_worker.get(record_url(referral, "swemwbs")))
    assert "Licence needed for the wording" in page
    assert "1. Statement 1" in page
    assert "© NHS Health Scotland, University of Warwick and University of Edinburgh" in page
    license_swemwbs()
    page = html(world.link_worker.get(record_url(referral, "swemwbs")))
    assert "Licence needed" not in page
    assert "1. Licensed statement 1" in page


def test_link_worker_records_a_baseline_swemwbs_with_radios(world, referral):
    response = world.link_worker.post(
        record_url(referral, "swemwbs"), {"timepoint": "baseline", **items([3, 3, 3, 3, 3, 4, 5])}
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.instrument, saved.timepoint, saved.raw, str(saved.score)) == (
        "swemwbs",
        "baseline",
        24,
        "21.54",
    )
    assert saved.completed_on == timezone.localdate()
    page = html(world.link_worker.get(response["Location"]))
    assert "SWEMWBS baseline recorded: score 21.54." in page


def test_ons4_form_shows_the_ons_wording(world, referral):
    page = html(world.link_worker.get(record_url(referral, "ons4")))
    assert "Overall, how satisfied are you with your life nowadays?" in page
    assert "nhsuk-radios--inline" in page
    assert "Crown copyright" in page


def test_unanswered_items_save_an_incomplete_questionnaire(world, referral):
    response = world.link_worker.post(
        record_url(referral, "ons4"), {"timepoint": "baseline", **items([5, None, 5, 5])}
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.complete is False and saved.answers == [5, None, 5, 5]
    page = html(world.link_worker.get(reverse("outcomes-case", args=[referral.pk])))
    assert "Incomplete: not scored" in page


def test_answering_nothing_is_an_error_and_nothing_is_saved(world, referral):
    response = world.link_worker.post(record_url(referral, "ons4"), {"timepoint": "baseline"})
    assert response.status_code == 200
    assert "Answer at least one question." in html(response)
    assert "nhsuk-error-summary" in html(response)
    assert not Response.objects.exists()


def test_a_second_baseline_is_refused_on_the_page(world, referral):
    world.link_worker.post(
        record_url(referral, "ucla3"), {"timepoint": "baseline", **items([2, 2, 2])}
    )
    response = world.link_worker.post(
        record_url(referral, "ucla3"), {"timepoint": "baseline", **items([1, 1, 1])}
    )
    assert response.status_code == 200
    assert "baseline UCLA-3 was already recorded" in html(response)
    assert Response.objects.count() == 1


def test_a_date_before_the_referral_is_refused_on_the_page(world, referral):
    before = timezone.localdate(referral.received_at) - dt.timedelta(days=3)
    response = world.link_worker.post(
        record_url(referral, "ucla3"),
        {
            "timepoint": "baseline",
            "completed_on_day": before.day,
            "completed_on_month": before.month,
            "completed_on_year": before.year,
            **items([2, 2, 2]),
        },
    )
    assert response.status_code == 200
    assert "before the referral was received" in html(response)
    assert 'href="#id_completed_on_day"' in html(response)
    assert not Response.objects.exists()


def test_an_answer_off_the_scale_is_refused(world, referral):
    response = world.link_worker.post(
        record_url(referral, "ucla3"), {"timepoint": "baseline", **items([2, 7, 2])}
    )
    assert response.status_code == 200
    assert 'href="#id_item_2"' in html(response)
    assert not Response.objects.exists()


def test_goal_ladder_rates_the_plans_goals(world, referral):
    page = html(world.link_worker.get(record_url(referral, "goals")))
    assert "There are no goals in the plan yet" in page
    referral_services.save_plan(
        referral=referral, goals=["Walk to the shops"], by=world.link_worker.user
    )
    page = html(world.link_worker.get(record_url(referral, "goals")))
    assert "1. Walk to the shops" in page
    world.link_worker.post(record_url(referral, "goals"), {"timepoint": "baseline", **items([4])})
    assert Response.objects.get().goals == ["Walk to the shops"]


# --- Follow-ups prompt ----------------------------------------------------------------


def test_a_due_review_prompts_for_the_instruments_with_a_baseline(world, referral):
    services.record_response(
        referral=referral,
        instrument_code="ucla3",
        timepoint="baseline",
        answers=[2, 2, 2],
        by=world.link_worker.user,
    )
    FollowUp.objects.filter(referral=referral, kind="six_weeks").update(due_on=timezone.localdate())
    page = html(world.link_worker.get(reverse("outcomes-case", args=[referral.pk])))
    assert "Six-week review due" in page
    assert "Record a follow-up UCLA-3" in page
    assert "Record a follow-up SWEMWBS" not in page


def test_the_case_pages_six_week_review_links_to_follow_up_recording(world, referral):
    page = html(world.link_worker.get(reverse("referral-detail", args=[referral.pk])))
    assert reverse("outcomes-case", args=[referral.pk]) + "?timepoint=follow_up" in page


# --- Other outcomes -------------------------------------------------------------------


def test_other_outcomes_are_saved_and_shown(world, referral):
    url = reverse("outcomes-other", args=[referral.pk])
    response = world.link_worker.post(
        url,
        {
            "income_one_off": "250",
            "income_annual": "£3,600.50",
            "debt_written_off": "",
            "volunteering_started": "yes",
            "group_joined": "no",
            "gp_contacts_baseline": "4",
        },
    )
    assert response.status_code == 302
    saved = OtherOutcomes.objects.get(referral=referral)
    assert str(saved.income_annual) == "3600.50" and saved.debt_written_off is None
    assert saved.volunteering_started is True and saved.group_joined is False
    assert saved.group_started is None and saved.gp_contacts_baseline == 4
    page = html(world.link_worker.get(reverse("outcomes-case", args=[referral.pk])))
    assert "£3,600.50" in page and "Started volunteering" in page
    # The form shows what was saved.
    form = html(world.link_worker.get(url))
    assert 'value="3600.50"' in form


def test_bad_other_outcomes_are_refused_naming_the_field(world, referral):
    url = reverse("outcomes-other", args=[referral.pk])
    response = world.link_worker.post(url, {"income_one_off": "lots", "gp_contacts_baseline": "-1"})
    assert response.status_code == 200
    assert "Enter 0 or more." in html(response)
    response = world.link_worker.post(url, {"income_one_off": "lots"})
    assert 'href="#id_income_one_off"' in html(response)
    assert not OtherOutcomes.objects.exists()
    assert world.other_link_worker.post(url, {"income_one_off": "5"}).status_code == 404


# --- Questionnaire links --------------------------------------------------------------


def make_link(world, referral, codes=("ons4", "ucla3"), email=True):
    mail.outbox.clear()  # the notices of the referral itself
    response = world.link_worker.post(
        reverse("outcomes-link", args=[referral.pk]),
        {"instruments": list(codes), **({"email": "on"} if email else {})},
    )
    assert response.status_code == 200, html(response)
    return re.search(r'id="questionnaire-url">([^<]+)<', html(response)).group(1), response


def test_a_link_is_emailed_without_personal_data_and_only_its_digest_kept(world, referral):
    url, response = make_link(world, referral)
    assert response["Cache-Control"] == "no-store"
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = QuestionnaireLink.objects.get()
    assert link.token_digest == services.token_digest(token)
    assert token not in str(QuestionnaireLink.objects.values().get())
    [message] = mail.outbox
    assert message.to == ["pat@example.net"]
    assert url in message.body
    for personal in ("Pat", "Holden", "BL2", "1956", "lonel", "SWEMWBS", "ONS4"):
        assert personal not in message.body + message.subject
    assert AuditEvent.objects.filter(action="questionnaire_link_created").exists()


def test_swemwbs_cannot_be_sent_by_link_until_its_wording_is_imported(world, referral):
    page = html(world.link_worker.get(reverse("outcomes-case", args=[referral.pk])))
    assert "Not available until its licensed wording is imported: SWEMWBS" in page
    response = world.link_worker.post(
        reverse("outcomes-link", args=[referral.pk]), {"instruments": ["swemwbs"]}
    )
    assert "nhsuk-error-summary" in html(response)
    assert not QuestionnaireLink.objects.exists()
    license_swemwbs()
    make_link(world, referral, codes=["swemwbs"], email=False)
    assert not mail.outbox


def test_the_person_answers_by_link_once(world, referral, anonymous):
    url, _ = make_link(world, referral)
    path = url.split("testserver", 1)[1]
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Pat" not in html(page) and "Holden" not in html(page)
    assert "Overall, how anxious did you feel yesterday?" in html(page)
    assert page["Cache-Control"].startswith("max-age=0")
    answers = {f"ons4-item_{n}": v for n, v in enumerate([6, 7, 6, 3], start=1)}
    answers |= {"ucla3-item_1": "1", "ucla3-item_2": "2"}  # one left out
    done = anonymous.post(path, answers)
    assert done.status_code == 302 and done["Location"] == reverse("questionnaire-done")
    ons4, ucla3 = Response.objects.order_by("instrument")
    assert ons4.complete and ons4.timepoint == "follow_up" and ons4.by_person
    assert ons4.recorded_by is None
    assert ucla3.complete is False and ucla3.answers == [1, 2, None]
    again = anonymous.get(path)
    assert again.status_code == 410
    assert "already been used" in html(again)
    assert anonymous.post(path, answers).status_code == 410
    assert Response.objects.count() == 2


def test_a_link_with_nothing_answered_is_sent_back_and_stays_usable(world, referral, anonymous):
    url, _ = make_link(world, referral, codes=["ons4"])
    path = url.split("testserver", 1)[1]
    response = anonymous.post(path, {})
    assert response.status_code == 200
    assert "Answer at least one question." in html(response)
    assert not Response.objects.exists()
    assert QuestionnaireLink.objects.get().used_at is None


def test_an_expired_link_says_so_and_writes_nothing(world, referral, anonymous):
    url, _ = make_link(world, referral, codes=["ons4"])
    path = url.split("testserver", 1)[1]
    QuestionnaireLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert anonymous.get(path).status_code == 410
    response = anonymous.post(path, {"ons4-item_1": "5"})
    assert response.status_code == 410 and "expired" in html(response)
    assert not Response.objects.exists()


def test_an_unknown_link_is_a_polite_404(anonymous, db):
    response = anonymous.get(reverse("questionnaire", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This link does not work" in html(response)


def test_a_link_stops_working_when_the_referral_closes(world, referral, anonymous):
    url, _ = make_link(world, referral, codes=["ons4"])
    for to in ("contacted", "in_progress"):
        referral_services.transition_referral(referral=referral, to=to, by=world.link_worker.user)
    referral_services.transition_referral(
        referral=referral, to="closed", summary="Done", by=world.link_worker.user
    )
    response = anonymous.get(url.split("testserver", 1)[1])
    assert response.status_code == 410 and "no longer needed" in html(response)


def test_links_are_made_by_the_services_link_workers_only(world, referral):
    url = reverse("outcomes-link", args=[referral.pk])
    assert world.other_link_worker.post(url, {"instruments": ["ons4"]}).status_code == 404
    assert world.gp.post(url, {"instruments": ["ons4"]}).status_code == 403
    assert not QuestionnaireLink.objects.exists()


def test_no_email_address_means_the_link_is_only_shown(world):
    from tests.outcomes.conftest import accepted

    referral = accepted(world, email="")
    response = world.link_worker.post(
        reverse("outcomes-link", args=[referral.pk]), {"instruments": ["ons4"], "email": "on"}
    )
    assert "There is no email address" in html(response)
    assert not QuestionnaireLink.objects.exists()


# --- Licensed wording import ---------------------------------------------------------


def test_import_instrument_wording_command(tmp_path, db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    good = tmp_path / "swemwbs.csv"
    good.write_text(
        "instrument,item_number,wording\n"
        + "".join(f"swemwbs,{n},Licensed statement {n}\n" for n in range(1, 8))
    )
    call_command("import-instrument-wording", str(good))
    assert ItemWording.objects.count() == 7
    short = tmp_path / "short.csv"
    short.write_text("instrument,item_number,wording\nswemwbs,1,Only one\n")
    with pytest.raises(CommandError, match="Items missing: 2, 3, 4, 5, 6, 7"):
        call_command("import-instrument-wording", str(short))
    assert ItemWording.objects.get(item_number=1).wording == "Licensed statement 1"
    for bad, problem in (
        ("instrument,item_number,wording\nons4,1,x\n", "shipped already"),
        ("instrument,item_number,wording\nswemwbs,9,x\n", "numbered 1 to 7"),
        ("instrument,item_number,wording\nnope,1,x\n", "no instrument"),
        ("item,words\n1,x\n", "needs a header"),
    ):
        short.write_text(bad)
        with pytest.raises(CommandError, match=problem):
            call_command("import-instrument-wording", str(short))


def test_link_tokens_never_reach_the_request_log(world, referral, anonymous, caplog):
    url, _ = make_link(world, referral, codes=["ons4"])
    path = url.split("testserver", 1)[1]
    token = path.strip("/").rsplit("/", 1)[1]
    anonymous.post(path, {"ons4-item_1": "5"})
    with caplog.at_level("WARNING", logger="django.request"):
        assert anonymous.get(path).status_code == 410
    assert "/questionnaire/[token]" in caplog.text
    assert token not in caplog.text


def test_guessing_links_is_rate_limited(settings, anonymous, db):
    from django.core.cache import cache

    cache.clear()
    settings.QUESTIONNAIRE_LIMIT_PER_HOUR = 2
    statuses = [
        anonymous.get(reverse("questionnaire", args=[f"guess-{n}"])).status_code for n in range(3)
    ]
    assert statuses == [404, 404, 429]
    cache.clear()


def test_a_refused_csrf_check_does_not_log_the_token(world, referral, caplog):
    from django.test import Client

    url, _ = make_link(world, referral, codes=["ons4"])
    path = url.split("testserver", 1)[1]
    token = path.strip("/").rsplit("/", 1)[1]
    strict = Client(enforce_csrf_checks=True)
    with caplog.at_level("WARNING"):
        assert strict.post(path, {"ons4-item_1": "5"}).status_code == 403
    assert token not in caplog.text
    assert not Response.objects.exists()


def test_a_short_questionnaire_link_goes_by_text_to_someone_without_email(
    world, referral, anonymous, fake_notify
):
    from linkwork.notifications.models import TextKind, TextMessage

    referral.consent_contact_methods = "phone,text"
    referral.save(update_fields=["consent_contact_methods"])
    referral.person.email, referral.person.phone = "", "07700 900123"
    referral.person.save(update_fields=["email", "phone"])
    page = html(world.link_worker.get(reverse("outcomes-case", args=[referral.pk])))
    assert "Send a short link by text message to ••••• ••0123" in page
    response = world.link_worker.post(
        reverse("outcomes-link", args=[referral.pk]), {"instruments": ["ons4"], "text": "on"}
    )
    assert "A short link has been sent by text message" in html(response)
    (sent,) = fake_notify.texts
    fields = sent["json"]["personalisation"]
    assert sent["json"]["phone_number"] == "07700 900123"
    assert set(fields) == {"first_name", "service", "link", "expires", "body"}
    for personal in ("Holden", "BL2", "1956", "ONS4", "anxious"):
        assert personal not in str(fields)
    path = fields["link"].split("testserver", 1)[1]
    assert re.fullmatch(r"/q/[\w-]{22}", path)
    assert TextMessage.objects.get().kind == TextKind.QUESTIONNAIRE_LINK
    assert anonymous.get(path).status_code == 200
    answers = {f"ons4-item_{n}": v for n, v in enumerate([6, 7, 6, 3], start=1)}
    assert anonymous.post(path, answers)["Location"] == reverse("questionnaire-done")
    assert anonymous.get(path).status_code == 410


def test_a_questionnaire_link_is_not_texted_without_agreement_to_texts(
    world, referral, fake_notify
):
    referral.person.phone = "07700 900123"
    referral.person.save(update_fields=["phone"])
    response = world.link_worker.post(
        reverse("outcomes-link", args=[referral.pk]), {"instruments": ["ons4"], "text": "on"}
    )
    assert "not agreed to be contacted by text message" in html(response).replace("&#39;", "'")
    assert not fake_notify.texts and not QuestionnaireLink.objects.exists()


def test_in_welsh_the_questionnaire_stays_in_its_validated_english_and_offers_an_interpreter(
    world, referral, anonymous
):
    url, _ = make_link(world, referral, codes=["ons4"])
    path = url.split("testserver", 1)[1]
    page = html(anonymous.get(f"{path}?lang=cy"))
    assert "Ychydig o gwestiynau am sut rydych chi" in page  # the page's own words
    assert "Overall, how anxious did you feel yesterday?" in page  # the instrument's
    assert "gallan nhw drefnu cyfieithydd" in page  # they can arrange an interpreter
    assert "there is no checked translation" not in html(anonymous.get(f"{path}?lang=en"))
    anonymous.post(path, {f"ons4-item_{n}": "5" for n in range(1, 5)})
    assert "Mae pob dolen holiadur yn gweithio unwaith" in html(anonymous.get(f"{path}?lang=cy"))


def test_a_welsh_speaker_gets_the_questionnaire_link_in_welsh(world, referral, fake_notify):
    referral.consent_contact_methods = "phone,text"
    referral.save(update_fields=["consent_contact_methods"])
    referral.person.email, referral.person.phone = "", "07700 900123"
    referral.person.language = "cy"
    referral.person.save(update_fields=["email", "phone", "language"])
    response = world.link_worker.post(
        reverse("outcomes-link", args=[referral.pk]), {"instruments": ["ons4"], "text": "on"}
    )
    assert "A short link has been sent by text message" in html(response)  # the worker's words
    body = fake_notify.texts[0]["json"]["personalisation"]["body"]
    assert body.startswith("Helo ") and "wedi gofyn ychydig o gwestiynau byr i chi" in body
