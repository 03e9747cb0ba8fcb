"""HSDS 3.0 tabular data packages: datapackage.json and CSVs, zipped or in a folder.

The tables are joined back into nested service records, the shape `/services/{id}`
gives, so one importer serves feeds, JSON files and data packages alike.
"""

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from linkwork.interop.imports.readers import Feed, FeedError

DESCRIPTOR = "datapackage.json"
MAX_TABLE_BYTES = 200 * 1024 * 1024
# The tables the importer reads, by resource name, at their HSDS 3.0 paths.
TABLES = {
    "service": ["services.csv"],
    "organization": ["organizations.csv"],
    "organization_identifier": ["organization_identifiers.csv"],
    "location": ["locations.csv"],
    "address": ["addresses.csv"],
    "accessibility": ["accessibility.csv"],
    "service_at_location": ["service_at_location.csv", "service_at_locations.csv"],
    "schedule": ["schedules.csv"],
    "contact": ["contacts.csv"],
    "phone": ["phones.csv"],
    "cost_option": ["cost_options.csv"],
    "language": ["languages.csv"],
    "attribute": ["attributes.csv"],
    "taxonomy_term": ["taxonomy_terms.csv"],
    "taxonomy": ["taxonomies.csv"],
}

Rows = list[dict[str, str]]


def is_datapackage(path: Path) -> bool:
    if path.is_dir():
        return (path / DESCRIPTOR).is_file()
    return zipfile.is_zipfile(path)


def read_datapackage(path: Path) -> Feed:
    with _package(path) as package:
        if DESCRIPTOR not in package:
            raise FeedError(f"{path.name} has no {DESCRIPTOR}, so it is not a data package.")
        declared = _descriptor(package, path.name)
        paths = {name: _table_path(package, declared, name) for name in TABLES}
        if paths["service"] is None:
            raise FeedError(f"{path.name} has no services table (services.csv).")
        tables = {name: _rows(package, found) for name, found in paths.items() if found}
    records = assemble(tables)
    return Feed(records=iter(records), source=path.name, total=len(records))


def _table_path(package: "_Package", declared: dict[str, str], name: str) -> str | None:
    candidates = [declared[name]] if name in declared else []
    return next((path for path in candidates + TABLES[name] if path in package), None)


class _Package:
    """The files of a data package, whether in a zip or in a folder."""

    def __init__(self, names: set[str], opener) -> None:
        self.names = names
        self.open = opener

    def __contains__(self, name: str) -> bool:
        return name in self.names


@contextmanager
def _package(path: Path) -> Iterator[_Package]:
    if path.is_dir():
        names = {p.name for p in path.iterdir() if p.is_file()}
        yield _Package(names, lambda name: open(path / name, "rb"))  # noqa: SIM115
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FeedError(f"{path.name} is not a readable zip file ({error}).") from None
    with archive:
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        for info in members.values():
            if info.file_size > MAX_TABLE_BYTES:
                raise FeedError(f"{info.filename} in {path.name} is too large to import.")
        yield _Package(set(members), archive.open)


def _descriptor(package: _Package, what: str) -> dict[str, str]:
    """Resource name -> path, as datapackage.json declares them."""
    try:
        with package.open(DESCRIPTOR) as handle:
            descriptor = json.loads(handle.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as error:
        raise FeedError(f"The {DESCRIPTOR} in {what} is not valid JSON ({error}).") from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise FeedError(f"The {DESCRIPTOR} in {what} lists no resources.")
    return {
        str(r["name"]): r["path"]
        for r in resources
        if isinstance(r, dict) and r.get("name") and isinstance(r.get("path"), str)
    }


def _rows(package: _Package, name: str) -> Rows:
    rows = []
    try:
        with package.open(name) as raw:
            reader = csv.DictReader(_text(raw))
            for row in reader:
                rows.append(
                    {k.strip(): v.strip() for k, v in row.items() if k and isinstance(v, str)}
                )
    except csv.Error as error:
        raise FeedError(f"{name} is not a readable CSV file ({error}).") from None
    except (UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise FeedError(f"{name} could not be read ({error}).") from None
    return rows


def _text(raw: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


# --- Tables -> nested records --------------------------------------------------------


def assemble(tables: dict[str, Rows]) -> list[dict]:
    """Nested service records from the package's tables (joined by their id columns);
    a table the package does not have is left out, not taken as empty."""
    table = defaultdict(list, tables)
    taxonomies = _by_id(table["taxonomy"])
    terms = {
        id_: {**term, "taxonomy_detail": taxonomies.get(term.get("taxonomy_id"))}
        for id_, term in _by_id(table["taxonomy_term"]).items()
    }
    addresses = _group(table["address"], "location_id")
    access = _group(table["accessibility"], "location_id")
    locations = {
        id_: {**location, "addresses": addresses[id_], "accessibility": access[id_]}
        for id_, location in _by_id(table["location"]).items()
    }
    phones = _group([p for p in table["phone"] if p.get("contact_id")], "contact_id")
    service_phones = _group([p for p in table["phone"] if not p.get("contact_id")], "service_id")
    contacts = _group(
        [{**c, "phones": phones[c.get("id", "")]} for c in table["contact"]], "service_id"
    )
    own_schedules = [s for s in table["schedule"] if not s.get("service_at_location_id")]
    schedules = _group(own_schedules, "service_id")
    at_location_schedules = _group(table["schedule"], "service_at_location_id")
    at_locations = _group(
        [
            {
                **sal,
                "location": locations.get(sal.get("location_id", "")),
                "schedules": at_location_schedules[sal.get("id", "")],
            }
            for sal in table["service_at_location"]
        ],
        "service_id",
    )
    attributes = _group(
        [
            {**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id", ""))}
            for a in table["attribute"]
            if a.get("link_entity") in (None, "", "service")
        ],
        "link_id",
    )
    organisations = _organisations(table)
    costs = _group(table["cost_option"], "service_id")
    languages = _group(table["language"], "service_id")
    records = []
    for service in table["service"]:
        id_ = service.get("id", "")
        records.append(
            {
                **service,
                "organization": organisations.get(service.get("organization_id", "")),
                "contacts": contacts[id_],
                "schedules": schedules[id_],
                "service_at_locations": at_locations[id_],
                "attributes": attributes[id_],
                "cost_options": costs[id_],
                "languages": languages[id_],
                # Without a phones table the listing keeps its own phone number.
                **({"phones": service_phones[id_]} if "phone" in tables else {}),
            }
        )
    return records


def _organisations(table: dict[str, Rows]) -> dict[str, dict]:
    identifiers = _group(table["organization_identifier"], "organization_id")
    return {
        id_: {**organisation, "organization_identifiers": identifiers[id_]}
        for id_, organisation in _by_id(table["organization"]).items()
    }


def _by_id(rows: Rows) -> dict[str, dict]:
    return {row["id"]: row for row in rows if row.get("id")}


def _group(rows: Rows, key: str) -> defaultdict[str, list[dict]]:
    grouped = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped
