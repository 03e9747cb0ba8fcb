"""Rounds, applications and statements as the API writes them (plain dicts)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse

from linkwork.funding import selectors, services, transitions
from linkwork.funding.models import Application, ApplicationStatus, Priority, Round, Statement
from linkwork.funding.services.money import pounds


def priority(row: Priority | None) -> dict | None:
    if row is None:
        return None
    fields = (
        "id",
        "area_code",
        "area_name",
        "category",
        "category_name",
        "need",
        "score",
        "evidence",
    )
    return {name: getattr(row, name) for name in fields}


def round_body(round: Round) -> dict:
    summary = selectors.pot_summary(round)
    return {
        "id": round.pk,
        "name": round.name,
        "status": round.status,
        "allowed_transitions": sorted(transitions.allowed(round.status)),
        "funder_id": round.funder_id,
        "funder_name": round.funder.name,
        "pot": pounds(round.pot),
        "max_award": pounds(round.max_award),
        "awarded": pounds(summary.awarded),
        "remaining": pounds(summary.remaining),
        "paid": pounds(summary.paid),
        "applications": summary.applications,
        "opens": round.opens,
        "closes": round.closes,
        "guidance": round.guidance,
        "questions": round.questions,
        "priorities": [priority(p) for p in round.priorities.all()],
        "panel_id": round.panel_id,
        "areas": round.areas,
        "categories": round.categories,
        "size_bands": round.size_bands,
        "unconstituted_allowed": round.unconstituted_allowed,
        "public_url": reverse("funding-round", args=[round.pk]),
    }


def application_body(application: Application, viewer: AbstractBaseUser) -> dict:
    round = application.round
    decided = application.status in (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)
    body = {
        "id": application.pk,
        "round_id": round.pk,
        "organization_id": application.organisation_id,
        "organization_name": application.organisation.name,
        "status": application.status,
        "amount": pounds(application.amount),
        "purpose": application.purpose,
        "priority": priority(application.priority),
        "answers": application.answers,
        "size_band": application.size_band,
        "holding_organisation": application.holding_organisation,
        "submitted_at": application.submitted_at,
        "load": None,
        "decision": None,
        "grant_id": application.grant_id,
        "paid": pounds(services.paid_total(application)),
    }
    if application.submitted_at:
        body["load"] = {
            "referred": application.load_referred,
            "started": application.load_started,
            "period": application.load_words,
            "suppressed": [
                name
                for name, value in (
                    ("referred", application.load_referred),
                    ("started", application.load_started),
                )
                if value is None
            ],
        }
    if decided:
        body["decision"] = {
            "decision": "award" if application.status == ApplicationStatus.AWARDED else "decline",
            "amount": pounds(application.decision_amount),
            "reason": application.decision_reason,
            "decided_at": application.decided_at,
        }
    if selectors.is_panel_member(viewer, round):
        body["conflicted"] = services.is_conflicted(application, viewer)
        mine = application.scores.filter(member_id=viewer.pk).first()
        body["your_score"] = mine.score if mine else None
    if selectors.is_funder(viewer, round):
        scores = selectors.scores_of(application)
        body["scores"] = [
            {"member": s.member.full_name or "Panel member", "score": s.score, "comment": s.comment}
            for s in scores
        ]
        body["score_total"] = sum(s.score for s in scores)
    return body


def statement_body(statement: Statement) -> dict:
    return {
        "id": statement.pk,
        "tariff_id": statement.tariff_id,
        "tariff_name": statement.tariff.name,
        "organization_id": statement.organisation_id,
        "organization_name": statement.organisation.name,
        "month": f"{statement.month:%Y-%m}",
        "people_started": statement.people_started,
        "rate": pounds(statement.tariff.rate),
        "uncapped_amount": pounds(statement.uncapped_amount),
        "amount_due": pounds(statement.amount_due),
        "capped": statement.capped,
        "status": statement.status,
        "approved_at": statement.approved_at,
        "paid_at": statement.paid_at,
        "paid_reference": statement.paid_reference,
    }
