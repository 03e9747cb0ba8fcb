"""What Linkwork holds about people, read from the models' own declarations
(`PERSONAL_DATA_FIELDS`), so the privacy notice cannot fall behind the code."""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class HeldRecord:
    record: str  # the model in words, e.g. "person"
    fields: tuple[str, ...]  # the fields in words, e.g. "NHS number"


def personal_data_held() -> list[HeldRecord]:
    """Every model that declares personal data, with those fields' names in words."""
    held = []
    for model in apps.get_models():
        declared = getattr(model, "PERSONAL_DATA_FIELDS", ())
        if not declared:
            continue
        names = []
        for name in declared:
            try:
                names.append(str(model._meta.get_field(name).verbose_name))
            except Exception:  # a declared name that is not a field (a group of fields)
                names.append(name.replace("_", " "))
        held.append(HeldRecord(str(model._meta.verbose_name), tuple(names)))
    return sorted(held, key=lambda h: h.record)
