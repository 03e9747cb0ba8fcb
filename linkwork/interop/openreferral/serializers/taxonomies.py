"""Taxonomies and their terms as ORUK records."""

from linkwork.directory.models import (
    Taxonomy,
    TaxonomyTerm,
)
from linkwork.interop.openreferral.serializers.common import Record, _id, compact


def taxonomy(vocabulary: Taxonomy) -> Record:
    return compact(
        {
            "id": str(vocabulary.uuid),
            "name": vocabulary.name,
            "description": vocabulary.description or vocabulary.name,
            "uri": vocabulary.uri,
            "version": vocabulary.version,
        }
    )


def taxonomy_full(vocabulary: Taxonomy) -> Record:
    return {
        **taxonomy(vocabulary),
        "taxonomy_terms": [taxonomy_term(term) for term in vocabulary.terms.all()],
    }


def taxonomy_term(term: TaxonomyTerm) -> Record:
    return compact(
        {
            "id": str(term.uuid),
            "name": term.name,
            "description": term.description or term.name,
            "code": term.code,  # HSDS 3.0 taxonomy_term.code: the stable code Linkwork speaks
            "parent_id": _id(term.parent.uuid if term.parent_id else None),
            "taxonomy": term.taxonomy.uri or term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy.uuid),
            "term": term.name,
        }
    )
