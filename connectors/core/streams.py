"""A stream is declared, not programmed: path, key, cursor, paging, where the records sit.

Sources with API quirks (ids-only change feeds, capped searches, per-parent fan-out) give a stream its
own `read` function; it still yields `Page`s, so landing, state and the ledger stay the same for all.
Every request of every reader goes through `ReadContext.fetch`: the answer must hold its records where
and as declared (`Records`), and one read sends at most `DCW_MAX_PAGES_PER_READ` of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connectors.core.answers import Records
from connectors.core.errors import RERUN_OR_REPORT, PagingError, redact
from connectors.core.http import HttpClient
from connectors.core.paginators import Paginator, PagingLoop, Request, SinglePage
from connectors.core.records import dig, parse_instant
from connectors.settings import MAX_PAGES_PER_READ_ENV, max_pages_per_read


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


@dataclass
class PageBudget:
    """The last-resort bound on one read, whatever its paging: a source that pages on past every real
    read's size (the ERP ledger at scale l is about 8,000 pages) is looping, and the read stops."""

    limit: int = field(default_factory=max_pages_per_read)
    used: int = 0

    def spend(self, ctx: ReadContext, request: Request) -> None:
        if self.used >= self.limit:
            raise PagingError(
                f"{self.limit} pages read and the source still sends more (next: "
                f"{redact(request.describe(), ctx.client.secrets)}); no real read of this product is that "
                f"long, so the source is paging in a loop. If the stream really holds more, raise "
                f"{MAX_PAGES_PER_READ_ENV}",
                source=ctx.client.source,
                stream=ctx.stream.name,
            )
        self.used += 1


@dataclass(frozen=True)
class ReadContext:
    """What a read needs: the client, the declared stream, and where the last read stopped."""

    client: HttpClient
    stream: Stream
    cursor: datetime | None
    budget: PageBudget = field(default_factory=PageBudget)

    @property
    def since(self) -> datetime | None:
        if self.cursor is None or self.stream.cursor is None:
            return None
        return self.cursor - self.stream.cursor.lookback

    def fetch(self, request: Request, records: Records | None = None) -> tuple[Any, list[Any]]:
        """Send one request of this read; (the answer, its records) where `records` (by default the
        stream's own declaration) says they are. The one way every reader asks a source for records."""
        located = records if records is not None else self.stream.records
        self.budget.spend(self, request)
        response = self.client.request(
            request.method,
            request.path,
            stream=self.stream.name,
            params=request.params or None,
            json_body=request.body,
            idempotent=request.method == "GET" or self.stream.reads_by_post,
            records=located,
        )
        return response, located.extract(response)


@dataclass(frozen=True)
class Stream:
    """One endpoint's records as one raw table."""

    name: str
    path: str
    primary_key: tuple[str, ...]
    description: str
    # Where the records sit in an answer (a dotted path; None: the body is the array of records).
    records_at: str | None = None
    # BambooHR answers some collections as an object keyed by id ({"7": {...}}): declared, so that an
    # object is never taken for records where an array is expected.
    records_keyed_by_id: bool = False
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
    def records(self) -> Records:
        return Records(self.records_at, "by_id" if self.records_keyed_by_id else "list")

    @property
    def updated_at_field(self) -> str | None:
        return self.updated_at or (self.cursor.field if self.cursor else None)

    def pages(self, ctx: ReadContext) -> Iterator[Page]:
        return (self.read or read_paginated)(ctx)


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
    ctx: ReadContext, request: Request, records: Records | None = None, paginator: Paginator | None = None
) -> Iterator[tuple[list[Any], Request]]:
    """Yield (records, request) for each page of one request; the building block of custom readers.

    The next request is worked out before a page is handed on, so that a page whose answer would start a
    loop (its token or link seen before) is not landed either.
    """
    pager = paginator or ctx.stream.paginator()
    current: Request | None = pager.first(request)
    while current is not None:
        response, found = ctx.fetch(current, records)
        try:
            following = pager.next(current, response, found)
        except PagingLoop as exc:
            raise PagingError(
                f"paging stopped after {redact(current.describe(), ctx.client.secrets)}: "
                f"{redact(str(exc), ctx.client.secrets)}. " + RERUN_OR_REPORT,
                source=ctx.client.source,
                stream=ctx.stream.name,
            ) from None
        yield found, current
        current = following


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
