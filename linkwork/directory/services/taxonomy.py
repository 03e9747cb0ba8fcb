"""The taxonomy: stable codes for need categories and activity types, loaded from
`data/taxonomy.csv` or another CSV, and looked up by code.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.directory.models import (
    Taxonomy,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.errors import InvalidInput

TAXONOMY_CSV = Path(__file__).parent.parent / "data" / "taxonomy.csv"
LINKWORK_TAXONOMY = {
    "code": "linkwork",
    "name": "Linkwork social prescribing taxonomy",
    "description": "Need categories and activity types for community-led social prescribing.",
    "version": "1",
}


# --- Taxonomy ------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)}"
        ]
        lines += [f"  rejected {row}: {reason}" for row, reason in self.rejected]
        return "\n".join(lines)


@transaction.atomic
def import_taxonomy(
    *,
    rows: Iterable[dict[str, str]],
    taxonomy_code: str,
    taxonomy_name: str,
    by: AbstractBaseUser | None,
    **taxonomy_details: str,
) -> ImportReport:
    """Upsert terms (code, vocabulary, name, description[, parent_code]) into a taxonomy.

    Idempotent: a second run reports every term unchanged. A bad row is rejected
    with its reason; the good rows still load.
    """
    taxonomy, _ = Taxonomy.objects.update_or_create(
        code=taxonomy_code, defaults={"name": taxonomy_name, **taxonomy_details}
    )
    report = ImportReport()
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        values = {
            "name": (row.get("name") or "").strip(),
            "description": (row.get("description") or "").strip(),
            "vocabulary": (row.get("vocabulary") or "").strip(),
        }
        problem = _term_problem(code, values, taxonomy)
        if problem:
            report.rejected.append((f"line {number} ({code or 'no code'})", problem))
            continue
        parent_code = (row.get("parent_code") or "").strip()
        parent = TaxonomyTerm.objects.filter(code=parent_code).first() if parent_code else None
        term = TaxonomyTerm.objects.filter(code=code).first()
        if term is None:
            TaxonomyTerm.objects.create(code=code, taxonomy=taxonomy, parent=parent, **values)
            report.created += 1
        elif any(getattr(term, k) != v for k, v in values.items()) or term.parent != parent:
            for key, value in values.items():
                setattr(term, key, value)
            term.parent = parent
            term.save()
            report.updated += 1
        else:
            report.unchanged += 1
    if report.created or report.updated or report.rejected:
        record_event(
            by=by,
            action="taxonomy_imported",
            object_type="taxonomy",
            object_id=taxonomy.code,
            summary=(
                f"created={report.created} updated={report.updated} rejected={len(report.rejected)}"
            ),
        )
    return report


def _term_problem(code: str, values: dict[str, str], taxonomy: Taxonomy) -> str:
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        return "code must be letters, digits, hyphens or underscores"
    if not values["name"]:
        return "name is required"
    if values["vocabulary"] not in Vocabulary.values:
        return f"vocabulary must be one of {', '.join(Vocabulary.values)}"
    other = TaxonomyTerm.objects.filter(code=code).exclude(taxonomy=taxonomy).first()
    if other:
        return f"code is already used by the taxonomy {other.taxonomy.code!r}"
    return ""


def read_taxonomy_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_default_taxonomy(*, by: AbstractBaseUser | None) -> ImportReport:
    """Linkwork's own need categories and activity types (idempotent)."""
    return import_taxonomy(
        rows=read_taxonomy_csv(TAXONOMY_CSV),
        taxonomy_code=LINKWORK_TAXONOMY["code"],
        taxonomy_name=LINKWORK_TAXONOMY["name"],
        description=LINKWORK_TAXONOMY["description"],
        version=LINKWORK_TAXONOMY["version"],
        by=by,
    )


def terms_for_codes(codes: Iterable[str], *, field_name: str = "categories") -> list[TaxonomyTerm]:
    """The terms with these codes; unknown codes are a 422 naming them."""
    codes = list(dict.fromkeys(codes))
    terms = list(TaxonomyTerm.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {term.code for term in terms})
    if unknown:
        raise InvalidInput({field_name: f"Unknown taxonomy codes: {', '.join(unknown)}"})
    return terms
