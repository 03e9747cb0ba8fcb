"""Where service records come from: a feed's base URL, a JSON file, or a data package.

Every failure to read is a FeedError with a message for a person (what was being
read, what went wrong); nothing here writes to the database.
"""

import http.client
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

DEFAULT_TIMEOUT = 20.0
PER_PAGE = 50
MAX_PAGES = 10_000
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
# After this many services in a row cannot be fetched, the feed is taken to be down.
MAX_FAILURES_IN_A_ROW = 3
USER_AGENT = "Linkwork import-oruk (+https://openreferraluk.org/)"


class FeedError(Exception):
    """The feed or file cannot be read; the message says what and why."""


@dataclass(frozen=True)
class UnreadableRecord:
    """One service that could not be read, for the report; the import carries on."""

    id: str
    reason: str


@dataclass
class Feed:
    records: Iterable[dict | UnreadableRecord]
    source: str  # the default source name: the URL's host, or the file's name
    total: int | None = None


def open_feed(path_or_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Feed:
    """The feed at a URL, or the JSON file or data package (zip or folder) at a path."""
    if path_or_url.startswith(("http://", "https://")):
        return read_url(path_or_url, timeout=timeout)
    # Imported here to break a cycle: tabular builds on this module's Feed.
    from linkwork.interop.imports.tabular import is_datapackage, read_datapackage

    path = Path(path_or_url)
    if not path.exists():
        raise FeedError(f"There is no file or folder at {path_or_url}.")
    if is_datapackage(path) or path.suffix.lower() == ".zip":
        return read_datapackage(path)
    return read_json_file(path)


# --- JSON files ----------------------------------------------------------------------


def read_json_file(path: Path) -> Feed:
    """A list of service records, one record, or an ORUK page envelope with `contents`."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise FeedError(f"Could not read {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise FeedError(f"{path.name} is not a UTF-8 text file.") from None
    except json.JSONDecodeError as error:
        raise FeedError(
            f"{path.name} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None
    records = services_in(data, what=path.name)
    return Feed(records=_objects(records), source=path.name, total=len(records))


def services_in(data: Any, *, what: str) -> list:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, dict) and "id" in data:
        return [data]
    if isinstance(data, list):
        return data
    raise FeedError(
        f"{what} holds neither a list of services nor a page of them (an object with 'contents')."
    )


def _objects(records: list) -> Iterator[dict | UnreadableRecord]:
    for position, record in enumerate(records, start=1):
        if isinstance(record, dict):
            yield record
        else:
            yield UnreadableRecord(f"record {position}", "is not a JSON object")


# --- Feeds on the web ----------------------------------------------------------------


def read_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Feed:
    """An ORUK / HSDS 3.0 API: checks `GET /` says 3.0, then pages through `/services` and
    fetches each `/services/{id}` (the full record). The first page is read now, so a
    feed that is down fails here, before anything is imported."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(f"{url} is not a web address (http:// or https://).")
    base = url.rstrip("/")
    about = get_json(f"{base}/", timeout=timeout)
    version = str(about.get("version", "")) if isinstance(about, dict) else ""
    if "3.0" not in version:
        raise FeedError(
            f"{base}/ says its version is {version or 'nothing'}; only Open Referral UK / "
            "HSDS 3.0 feeds can be imported."
        )
    first = _page(base, 1, timeout)
    total = first.get("total_items")
    return Feed(
        records=_services(base, first, timeout),
        source=parts.hostname if not parts.port else f"{parts.hostname}:{parts.port}",
        total=total if isinstance(total, int) else None,
    )


def _page(base: str, number: int, timeout: float) -> dict:
    page = get_json(f"{base}/services?page={number}&per_page={PER_PAGE}", timeout=timeout)
    if not isinstance(page, dict) or not isinstance(page.get("contents"), list):
        raise FeedError(f"{base}/services page {number} is not a page of services.")
    return page


def _services(base: str, first: dict, timeout: float) -> Iterator[dict | UnreadableRecord]:
    failures = 0
    for summary in _summaries(base, first, timeout):
        ident = str(summary.get("id", "")).strip() if isinstance(summary, dict) else ""
        if not ident:
            yield UnreadableRecord("(no id)", "a service in the list has no id")
            continue
        try:
            record = get_json(f"{base}/services/{quote(ident, safe='')}", timeout=timeout)
        except FeedError as error:
            failures += 1
            if failures >= MAX_FAILURES_IN_A_ROW:
                raise FeedError(
                    f"{failures} services in a row could not be fetched: {error}"
                ) from None
            yield UnreadableRecord(ident, str(error))
            continue
        failures = 0
        yield record if isinstance(record, dict) else UnreadableRecord(ident, "not an object")


def _summaries(base: str, page: dict, timeout: float) -> Iterator[Any]:
    number = 1
    while True:
        yield from page["contents"]
        total_pages = page.get("total_pages")
        last = page.get("last_page") is True or (
            isinstance(total_pages, int) and number >= total_pages
        )
        if last or not page["contents"] or number >= MAX_PAGES:
            return
        number += 1
        page = _page(base, number, timeout)


def get_json(url: str, *, timeout: float) -> Any:
    """GET a URL as JSON; every failure becomes a FeedError naming the URL."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedError(f"{url} is not a web address (http:// or https://).")
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    request = Request(url, headers=headers)  # noqa: S310 - http(s) only, checked above
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except HTTPError as error:
        error.close()
        raise FeedError(f"{url} answered {error.code} {error.reason}.") from None
    except TimeoutError:
        raise FeedError(f"{url} did not answer within {timeout:g} seconds.") from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FeedError(f"{url} did not answer within {timeout:g} seconds.") from None
        raise FeedError(f"Could not reach {url}: {error.reason}.") from None
    except (http.client.HTTPException, OSError, ValueError) as error:
        raise FeedError(f"Could not read {url}: {error}.") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise FeedError(f"{url} sent more than {MAX_RESPONSE_BYTES // 2**20} MB.")
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"{url} did not send valid JSON ({error}).") from None
