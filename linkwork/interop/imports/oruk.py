"""Import an Open Referral UK 3.0 / HSDS 3.0 feed into the asset map.

`import_services(records, source=..., by=...)` upserts each service record by
(source, id) in its own savepoint, so a bad record rolls back alone and never leaves
a half-written listing. Running it twice changes nothing: incoming values are compared
with what is stored, and unchanged listings are not written or audited.
See README.md beside this file for the decisions (unknown terms, publication, ...).
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DatabaseError, models, transaction

from linkwork.audit.services import record_event
from linkwork.directory.models import (
    Asset,
    AssetLocation,
    Contact,
    CostOption,
    Location,
    Publication,
    ReferralMethod,
    Schedule,
)
from linkwork.directory.services import ImportReport, refresh_search_text
from linkwork.interop.imports.parsing import (
    IncomingContact,
    IncomingCost,
    IncomingLocation,
    IncomingSchedule,
    IncomingService,
    RecordRejected,
    midnight,
    parse_service,
    record_id,
)
from linkwork.interop.imports.readers import FeedError, UnreadableRecord
from linkwork.interop.imports.reference import LOCATION_FIELDS, Lookups, validate
from linkwork.interop.imports.validation import check_record
from linkwork.public_cache import listings_changed

BATCH_SIZE = 100
PROGRESS_EVERY = 100
NEW_LISTING_REFERRAL_METHOD = ReferralMethod.PHONE_FIRST


@dataclass
class OrukImportReport(ImportReport):
    """Counts of services, each rejected service with its id and reason, and new terms."""

    new_terms: list[str] = field(default_factory=list)
    stopped: str = ""
    dry_run: bool = False

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)

    def __str__(self) -> str:
        lines = ["Dry run: nothing was saved. This is what the import would do."] * self.dry_run
        lines.append(super().__str__())
        lines += [f"  new taxonomy term {term}" for term in self.new_terms]
        if self.stopped:
            lines.append(f"  stopped early after {self.read} services: {self.stopped}")
        return "\n".join(lines)


Progress = Callable[[OrukImportReport], None]


def import_services(
    records: Iterable[dict | UnreadableRecord],
    *,
    source: str,
    publish: bool = True,
    dry_run: bool = False,
    by: AbstractBaseUser | None,
    progress: Progress | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> OrukImportReport:
    """Upsert service records by (source, id); new listings are published unless `publish`
    is false (then they wait in review). A dry run validates everything and saves nothing.

    A feed that fails before any record was read raises FeedError; one that fails later
    stops the import, and the report says where.
    """
    report = OrukImportReport(dry_run=dry_run)
    run = _Run(source=source, publish=publish, by=by, report=report)
    batches = _batches(iter(records), BATCH_SIZE)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except FeedError as error:
            if report.read == 0:
                raise
            report.stopped = str(error)
            break
        # Records are read before the transaction opens, so a slow feed never holds the
        # database's write lock; each record is a savepoint inside the batch.
        with transaction.atomic():
            for record in batch:
                _import_one(run, record)
                if progress and report.read % progress_every == 0:
                    progress(report)
            listings_changed()  # children are written in bulk, which sends no signals
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            run.lookups.forget()
    if not dry_run and (report.created or report.updated):
        record_event(
            by=by,
            action="directory_imported",
            object_type="directory",
            object_id=source,
            summary=(
                f"format=oruk-3.0 created={report.created} updated={report.updated} "
                f"unchanged={report.unchanged} rejected={len(report.rejected)}"
            ),
        )
    return report


def _batches(records: Iterator, size: int) -> Iterator[list]:
    """Lists of up to `size` records. A FeedError part-way through a batch is raised only
    after the records read before it have been handed over."""
    while True:
        batch, error = [], None
        try:
            batch.extend(islice(records, size))
        except FeedError as raised:
            error = raised
        if batch:
            yield batch
        if error:
            raise error
        if len(batch) < size:
            return


@dataclass
class _Run:
    source: str
    publish: bool
    by: AbstractBaseUser | None
    report: OrukImportReport
    seen: set[str] = field(default_factory=set)
    lookups: Lookups = field(init=False)

    def __post_init__(self) -> None:
        self.lookups = Lookups(source=self.source, by=self.by)


def _import_one(run: _Run, record: dict | UnreadableRecord) -> None:
    report = run.report
    if isinstance(record, UnreadableRecord):
        report.rejected.append((record.id, record.reason))
        return
    ident = record_id(record, report.read + 1)
    try:
        if ident in run.seen:
            raise RecordRejected("this id appears more than once in the feed")
        run.seen.add(ident)
        check_record(record)  # shape (ORUK 3.0) and size, before anything is written
        incoming = parse_service(record)
        with transaction.atomic():
            outcome = _upsert(run, incoming)
    except RecordRejected as rejection:
        run.lookups.discard()
        report.rejected.append((ident, rejection.reason))
        return
    except DatabaseError as error:
        run.lookups.discard()
        report.rejected.append((ident, f"could not be saved: {error}"))
        return
    run.lookups.keep()
    # A dry run rolls back each batch, so a new term can be "made" again in the next.
    report.new_terms += [t for t in run.lookups.take_new_terms() if t not in report.new_terms]
    setattr(report, outcome, getattr(report, outcome) + 1)


def _upsert(run: _Run, incoming: IncomingService) -> str:
    """'created', 'updated' or 'unchanged'. Raises RecordRejected (the savepoint rolls back)."""
    organisation, organisation_changed = run.lookups.organisation(incoming.organisation)
    terms = [run.lookups.term(term) for term in incoming.terms]
    locations = _unique([run.lookups.locate(location) for location in incoming.locations])
    asset = (
        Asset.objects.filter(source=run.source, source_id=incoming.source_id).order_by("pk").first()
    )
    if asset is None:
        _create(run, incoming, organisation, terms, locations)
        return "created"
    changed = _changed_fields(asset, incoming, organisation, terms, locations)
    if changed:
        _update(run, asset, incoming, organisation, terms, locations, changed)
    return "updated" if changed or organisation_changed else "unchanged"


def _create(run, incoming, organisation, terms, locations) -> None:
    if incoming.archived:
        publication = Publication.ARCHIVED
    else:
        publication = Publication.PUBLISHED if run.publish else Publication.IN_REVIEW
    asset = Asset(
        source=run.source,
        source_id=incoming.source_id,
        organisation=organisation,
        publication=publication,
        last_verified_at=midnight(incoming.verified_on) if incoming.verified_on else None,
        **{"referral_method": NEW_LISTING_REFERRAL_METHOD, **incoming.referral},
        **incoming.values,
    )
    validate(asset, exclude=["organisation", "last_verified_by"])
    asset.save()
    asset.terms.add(*terms)
    _replace_locations(run, asset, locations, fresh=True)
    _replace_children(asset, incoming, fresh=True)
    refresh_search_text(asset)
    record_event(
        by=run.by,
        action="asset_created",
        object_type="asset",
        object_id=asset.pk,
        summary=f"import source={run.source} id={incoming.source_id} publication={publication}",
    )


def _changed_fields(asset, incoming, organisation, terms, locations) -> list[str]:
    changed = [name for name, value in incoming.values.items() if getattr(asset, name) != value]
    # A record that names no organisation leaves the listing's (e.g. after a claim).
    if organisation and asset.organisation_id != organisation.pk:
        changed.append("organisation")
    changed += [name for name, value in incoming.referral.items() if getattr(asset, name) != value]
    if incoming.archived and asset.publication != Publication.ARCHIVED:
        changed.append("publication")
    if _newer_verification(asset, incoming):
        changed.append("last_verified_at")
    if {term.pk for term in terms} != set(asset.terms.values_list("pk", flat=True)):
        changed.append("terms")
    if not _same(locations, stored_locations(asset)):
        changed.append("locations")
    for name, stored in _stored_children(asset).items():
        if not _same(getattr(incoming, name), stored):
            changed.append(name)
    return changed


def _update(run, asset, incoming, organisation, terms, locations, changed) -> None:
    feed_values = {**incoming.values, **incoming.referral}
    for name in changed:
        if name in feed_values:
            setattr(asset, name, feed_values[name])
    if "organisation" in changed:
        asset.organisation = organisation
    if "publication" in changed:
        asset.publication = Publication.ARCHIVED
    if "last_verified_at" in changed:
        asset.last_verified_at = midnight(incoming.verified_on)
    validate(asset, exclude=["organisation", "last_verified_by"])
    asset.save()
    if "terms" in changed:
        asset.terms.set(terms)
    if "locations" in changed:
        _replace_locations(run, asset, locations)
    _replace_children(asset, incoming, only=set(changed))
    refresh_search_text(asset)
    record_event(
        by=run.by,
        action="asset_updated",
        object_type="asset",
        object_id=asset.pk,
        summary=f"import source={run.source} fields=" + ",".join(sorted(changed)),
    )


def _newer_verification(asset: Asset, incoming: IncomingService) -> bool:
    """The feed's assured date moves freshness forward, never back past a local check."""
    if incoming.verified_on is None:
        return False
    return asset.last_verified_at is None or midnight(incoming.verified_on) > (
        asset.last_verified_at
    )


# --- Locations, schedules, contacts, cost options -------------------------------------


def stored_locations(asset: Asset) -> list[IncomingLocation]:
    rows = Location.objects.filter(asset_locations__asset=asset).values_list(*LOCATION_FIELDS)
    return [IncomingLocation(*row) for row in rows]


def _replace_locations(
    run: _Run, asset: Asset, locations: list[IncomingLocation], *, fresh: bool = False
) -> None:
    """Link the asset to these locations, reusing an identical stored location (many
    services in a feed meet at one venue); locations no longer used by anything go."""
    previous = [] if fresh else list(asset.asset_locations.values_list("location_id", flat=True))
    if previous:
        asset.asset_locations.all().delete()
    AssetLocation.objects.bulk_create(
        [AssetLocation(asset=asset, location_id=run.lookups.location_id(i)) for i in locations]
    )
    if previous:
        Location.objects.filter(pk__in=previous, asset_locations__isnull=True).delete()


CHILDREN: dict[str, tuple[type[models.Model], type, list[str]]] = {
    "schedules": (
        Schedule,
        IncomingSchedule,
        [
            "weekday",
            "opens_at",
            "closes_at",
            "freq",
            "interval",
            "description",
            "ordinal",
            "dtstart",
            "until",
        ],
    ),
    "contacts": (Contact, IncomingContact, ["name", "title", "phone", "email"]),
    "cost_options": (CostOption, IncomingCost, ["option", "amount", "amount_description"]),
}


def _stored_children(asset: Asset) -> dict[str, list]:
    return {
        name: [shape(*row) for row in model.objects.filter(asset=asset).values_list(*fields)]
        for name, (model, shape, fields) in CHILDREN.items()
    }


def _replace_children(
    asset: Asset, incoming: IncomingService, *, only: set | None = None, fresh: bool = False
) -> None:
    for name, (model, _, fields) in CHILDREN.items():
        if only is not None and name not in only:
            continue
        if not fresh:
            model.objects.filter(asset=asset).delete()
        rows = []
        for child in getattr(incoming, name):
            row = model(asset=asset, **dict(zip(fields, _astuple(child), strict=True)))
            label = f"{name.replace('_', ' ')[:-1]} {_astuple(child)[0]!r}"
            validate(row, exclude=["asset"], label=label)
            rows.append(row)
        model.objects.bulk_create(rows)


# --- Helpers -------------------------------------------------------------------------


def _same(incoming: list, stored: list) -> bool:
    """The same items in any order (Decimal("35") equals Decimal("35.00") here)."""
    return Counter(incoming) == Counter(stored)


def _astuple(item: Any) -> tuple:
    return tuple(getattr(item, name) for name in item.__dataclass_fields__)


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))
