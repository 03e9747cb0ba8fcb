"""Where a person's data lives, read from the models' own declarations.

Every model that holds personal data says which fields in `PERSONAL_DATA_FIELDS` (and,
optionally, which of those are only figures that are de-identified once the person is
gone, in `KEPT_AFTER_ERASURE`). Which rows belong to a person is found by following the
models' foreign keys to `referrals.Person`, so a new model that points at a referral is
covered without anyone remembering to list it here. Interests and accounts are not
linked to a person record; they are matched by the person's email address or phone.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models import Q

MAX_DEPTH = 3
# Relations never followed: to people who act (staff), not people supported.
NOT_FOLLOWED = {"accounts.User"}


@dataclass(frozen=True)
class Holding:
    model: type[models.Model]
    personal: tuple[str, ...]  # declared personal fields
    kept: tuple[str, ...]  # of those, figures kept (de-identified) after erasure
    paths: tuple[str, ...]  # lookups from this model to the person's id

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_of(self, person_ids: list[int]) -> models.QuerySet:
        condition = Q()
        for path in self.paths:
            condition |= Q(**{f"{path}__in": person_ids})
        return self.model._default_manager.filter(condition).distinct().order_by("pk")


def person_model() -> type[models.Model]:
    return apps.get_model("referrals", "Person")


def _paths_to_person(model: type[models.Model]) -> list[str]:
    person = person_model()
    if model is person:
        return ["pk"]
    found: list[str] = []
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(MAX_DEPTH):
        following = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                target = field.related_model if field.is_relation else None
                if target is None or target._meta.label in NOT_FOLLOWED:
                    continue
                path = f"{prefix}{field.name}"
                if target is person:
                    found.append(path)
                elif target is not current:
                    following.append((target, f"{path}__"))
        if found:
            return found  # the shortest ways only: longer ones reach the same rows
        frontier = following
    return found


@cache
def holdings() -> tuple[Holding, ...]:
    """Every model linked to a person (personal fields or not), the person first."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("linkwork.") or model._meta.label in NOT_FOLLOWED:
            continue
        paths = _paths_to_person(model)
        if not paths:
            continue
        personal = tuple(getattr(model, "PERSONAL_DATA_FIELDS", ()))
        kept = tuple(getattr(model, "KEPT_AFTER_ERASURE", ()))
        found.append(Holding(model, personal, kept, tuple(paths)))
    return tuple(sorted(found, key=lambda h: (h.model is not person_model(), h.label)))


def same_person_ids(person: models.Model) -> list[int]:
    """The person and every record merged into them: one human, several records."""
    person_cls = person_model()
    ids = [person.pk]
    frontier = [person.pk]
    while frontier:
        frontier = list(
            person_cls.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        ids += [pk for pk in frontier if pk not in ids]
    return ids


def unlinked_matches(people: list[models.Model]) -> dict[str, models.QuerySet]:
    """Rows not linked to the person record that hold their contact details: interests
    with their email or phone as the contact, and an account with their email."""
    emails = {p.email.strip().lower() for p in people if p.email}
    phones = {p.phone.strip() for p in people if p.phone}
    interest = apps.get_model("community", "Interest")
    user = apps.get_model("accounts", "User")
    contacts = emails | phones
    return {
        interest._meta.label: interest.objects.filter(contact_detail__in=contacts).order_by("pk")
        if contacts
        else interest.objects.none(),
        user._meta.label: user.objects.filter(email__in=emails).order_by("pk")
        if emails
        else user.objects.none(),
    }
