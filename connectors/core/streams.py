"""A stream is declared, not programmed: path, key, cursor, paging, where the records sit.

Sources with API quirks (ids-only change feeds, capped searches, per-parent fan-out) give a stream its
own `read` function; it still yields `Page`s, so landing, state and the ledger stay the same for all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connectors.core.http import HttpClient
from connectors.core.paginators import Paginator, Request, SinglePage
from connectors.core.records import dig, parse_instant


@dataclass(frozen=True)
class Page:
    """Records from one response, and the cursor value that is safe to commit once they are landed."""

    records: list[Any]
    request: str
    checkpoint: datetime | None = None


@dataclass(frozen=True)
class IncrementalCursor:
    """How a stream reads only what changed.

    The source must return records in cursor order, so that every page can commit its highest cursor; a
    source that cannot filter and order by change time is read in full instead (no cursor). `apply` puts
    the lower bound into the request (custom readers apply it themselves). `lookback` re-reads a margin
    before the committed cursor because sources commit late, round to minutes or order ties arbitrarily
    (re-reads are harmless: a record equal to its key's latest landed version is not written again).
    """

    field: str
    apply: Callable[[Request, datetime], Request] | None = None
    lookback: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class ReadContext:
    """What a read needs: the client, the declared stream, and where the last read stopped."""

    client: HttpClient
    stream: Stream
    cursor: datetime | None

    @property
    def since(self) -> datetime | None:
        if self.cursor is None or self.stream.cursor is None:
            return None
        return self.cursor - self.stream.cursor.lookback


RecordsAt = str | Callable[[Any], list[Any]] | None


@dataclass(frozen=True)
class Stream:
    """One endpoint's records as one raw table."""

    name: str
    path: str
    primary_key: tuple[str, ...]
    description: str
    records_at: RecordsAt = None
    paginator: Callable[[], Paginator] = SinglePage
    method: str = "GET"
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    cursor: IncrementalCursor | None = None
    updated_at: str | None = None
    deleted_when: Callable[[Mapping[str, Any]], bool] | None = None
    # Keys that locate a record rather than describe it (Jira's `self` links carry the site's host):
    # kept in the payload, left out of the content hash so that a moved site does not re-land history.
    not_hashed: frozenset[str] = frozenset()
    # Its POSTs only read (a search, a report), so a failed one may be sent again; other POSTs never are.
    reads_by_post: bool = False
    read: Callable[[ReadContext], Iterator[Page]] | None = None
    # OData and similar APIs never show a delete: a periodic key scan finds what disappeared.
    scan_keys: Callable[[ReadContext], Iterator[str]] | None = None

    @property
    def updated_at_field(self) -> str | None:
        return self.updated_at or (self.cursor.field if self.cursor else None)

    def pages(self, ctx: ReadContext) -> Iterator[Page]:
        return (self.read or read_paginated)(ctx)


def extract_records(response: Any, records_at: RecordsAt) -> list[Any]:
    if callable(records_at):
        return list(records_at(response))
    found = dig(response, records_at) if records_at else response
    if found is None:
        return []
    if isinstance(found, Mapping):
        # BambooHR keys some collections by id: {"7": {...}, "8": {...}}
        return list(found.values())
    return list(found)


def highest_cursor(records: list[Any], path: str, current: datetime | None) -> datetime | None:
    """The highest parseable cursor value; garbled ones are left for landing to reject."""
    high = current
    for record in records:
        try:
            value = parse_instant(dig(record, path))
        except ValueError:
            continue
        if value is not None and (high is None or value > high):
            high = value
    return high


def paginate(
    ctx: ReadContext, request: Request, records_at: RecordsAt = None, paginator: Paginator | None = None
) -> Iterator[tuple[list[Any], Request]]:
    """Yield (records, request) for each page of one request; the building block of custom readers."""
    stream = ctx.stream
    pager = paginator or stream.paginator()
    current: Request | None = pager.first(request)
    while current is not None:
        response = ctx.client.request(
            current.method,
            current.path,
            stream=stream.name,
            params=current.params or None,
            json_body=current.body,
            idempotent=current.method == "GET" or stream.reads_by_post,
        )
        records = extract_records(response, records_at if records_at is not None else stream.records_at)
        yield records, current
        current = pager.next(current, response, records)


def read_paginated(ctx: ReadContext) -> Iterator[Page]:
    """The default read: one request, its pages, the cursor applied when there is one."""
    stream = ctx.stream
    request = Request(
        path=stream.path,
        method=stream.method,
        params=dict(stream.params),
        body=dict(stream.body) if stream.body is not None else None,
    )
    if stream.cursor is not None and stream.cursor.apply is not None and ctx.since is not None:
        request = stream.cursor.apply(request, ctx.since)
    high = ctx.cursor
    for records, sent in paginate(ctx, request):
        if stream.cursor is not None:
            high = highest_cursor(records, stream.cursor.field, high)
        yield Page(records, sent.describe(), checkpoint=high)
