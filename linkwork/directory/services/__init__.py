"""Writes for the directory: taxonomy, assets, capacity, freshness, claims and reports.

Every function is atomic and audited; bad input raises InvalidInput naming the field,
a wrong state raises Conflict, and nothing is half-written. One module per sub-concept;
this package re-exports their names, so callers import from here.
"""

from linkwork.directory.services.claims import (
    claim_listing,
    decide_claim,
    report_listing,
    resolve_report,
)
from linkwork.directory.services.freshness import (
    ReminderReport,
    send_reminders,
)
from linkwork.directory.services.listings import (
    ASSET_FIELDS,
    add_session,
    create_asset,
    ensure_organisation,
    refresh_search_text,
    update_asset,
)
from linkwork.directory.services.taxonomy import (
    LINKWORK_TAXONOMY,
    TAXONOMY_CSV,
    ImportReport,
    import_taxonomy,
    load_default_taxonomy,
    read_taxonomy_csv,
    terms_for_codes,
)
from linkwork.directory.services.upkeep import (
    PUBLICATION_TRANSITIONS,
    set_capacity,
    set_publication,
    verify_asset,
)

__all__ = [
    "TAXONOMY_CSV",
    "LINKWORK_TAXONOMY",
    "ImportReport",
    "import_taxonomy",
    "read_taxonomy_csv",
    "load_default_taxonomy",
    "terms_for_codes",
    "ensure_organisation",
    "refresh_search_text",
    "ASSET_FIELDS",
    "create_asset",
    "update_asset",
    "add_session",
    "set_capacity",
    "verify_asset",
    "PUBLICATION_TRANSITIONS",
    "set_publication",
    "claim_listing",
    "decide_claim",
    "report_listing",
    "resolve_report",
    "ReminderReport",
    "send_reminders",
]
