"""Run streams: read pages from a source, key each record, land each page, keep the ledger.

This is the whole extract-and-load path, usable from a script, the CLI or a Dagster asset alike.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from connectors.core.errors import ConnectorError, MassDeletionError, redact
from connectors.core.http import RetryPolicy
from connectors.core.records import (
    RecordRejected,
    canonical_json,
    dig,
    parse_instant,
    record_hash,
    record_key,
    without_keys,
)
from connectors.core.source import Source
from connectors.core.streams import ReadContext, Stream
from connectors.landing.raw_store import PreparedPage, RawStore, now_utc
from connectors.settings import ACCEPT_DELETES_ENV, DeletionPolicy, SourceSettings, deletion_policy

log = logging.getLogger(__name__)
RECONCILE_EVERY = timedelta(days=7)
# A source clock may run ahead a little; a cursor further ahead is a garbled timestamp, and committing it
# would park the stream in the future. Holding it back only costs re-reading a margin next time.
CURSOR_AHEAD_LIMIT = timedelta(days=1)


def _credible(checkpoint: datetime | None) -> datetime | None:
    return None if checkpoint is None else min(checkpoint, now_utc() + CURSOR_AHEAD_LIMIT)


@dataclass(frozen=True)
class StreamResult:
    """What one stream read did; the same numbers are in `raw._loads`."""

    source: str
    stream: str
    batch_id: str
    status: str
    rows_fetched: int
    rows_loaded: int
    rows_inserted: int
    rows_rejected: int
    rows_tombstoned: int
    pages: int
    cursor_from: datetime | None
    cursor_to: datetime | None
    seconds: float
    requests: int
    retries: int
    error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def prepare_page(stream: Stream, records: Iterable[object]) -> PreparedPage:
    """Split records into landable versions and rejects; every reject keeps its reason and raw text.

    Raw keeps what the source sent: a record lands whenever it has a usable key and, on a stream read
    by an incremental cursor, a cursor value that reads as a timestamp (without one the record cannot
    be placed in the stream's order). Every other field is staging's to judge (a malformed hire date
    becomes null there and a row of `int_field_issues`), so one bad field never removes a record.
    """
    page = PreparedPage()
    for position, record in enumerate(records):
        text = canonical_json(record)
        digest = record_hash(
            canonical_json(without_keys(record, stream.not_hashed)) if stream.not_hashed else text
        )
        key = None
        try:
            if not isinstance(record, dict):
                raise RecordRejected(f"record #{position} is not a JSON object")
            key = record_key(record, stream.primary_key)
            updated = _source_updated_at(stream, record)
        except RecordRejected as exc:
            page.rejects.append((key, str(exc), text, digest))
            continue
        page.keys.append(key)
        page.hashes.append(digest)
        page.payloads.append(text)
        page.updated_at.append(updated)
        page.deleted.append(bool(stream.deleted_when(record)) if stream.deleted_when else False)
    return page


def _source_updated_at(stream: Stream, record: dict) -> datetime | None:
    """The `_source_updated_at` of a record: its cursor value, which must read (RecordRejected if not), or
    its declared `updated_at` field, null when that does not read (raw then compares content alone)."""
    if stream.cursor is not None:
        value = dig(record, stream.cursor.field)
        try:
            cursor = parse_instant(value)
        except ValueError:
            raise RecordRejected(
                f"cursor field '{stream.cursor.field}' is not a timestamp: {value!r}"
            ) from None
        if cursor is None:
            raise RecordRejected(f"missing cursor field '{stream.cursor.field}'")
        if stream.updated_at in (None, stream.cursor.field):
            return cursor
    if stream.updated_at is None:
        return None
    try:
        return parse_instant(dig(record, stream.updated_at))
    except ValueError:
        return None


def _raise_if_a_page_failed(landed: list[Future]) -> None:
    """Stop reading as soon as the writer refuses a page: later pages would not land anyway."""
    for future in reversed(landed):
        if not future.done():
            continue
        if future.exception() is not None:
            raise future.exception()
        return


def _reconcile_due(
    stream: Stream, had_rows: bool, last_reconciled: datetime | None, reconcile: bool | None
) -> bool:
    """Whether this read ends with a key scan: when forced, or weekly once something has landed."""
    if stream.scan_keys is None or reconcile is False:
        return False
    if reconcile:
        return True
    return had_rows and (last_reconciled is None or now_utc() - last_reconciled >= RECONCILE_EVERY)


def deletion_guard(policy: DeletionPolicy, source: str, stream: str):
    """What `tombstone_missing` asks before it marks anything: refuse a mass deletion, with the way out."""

    def check(missing: int, live: int) -> None:
        if not policy.refuses(source, stream, missing, live):
            return
        name = f"{source}.{stream}"
        raise MassDeletionError(
            f"would mark {missing} of {live} live keys of {source}/{stream} deleted "
            f"({missing / live:.0%} > {policy.share_limit:.0%}); nothing was marked deleted. A source that "
            "answers with too little (a narrowed credential scope, a filter, a partial export) looks "
            "exactly like this: check it first. If the source really deleted them, rerun with "
            f"`python -m connectors extract {name} --accept-deletes {name}` (or {ACCEPT_DELETES_ENV}={name} "
            "for one run)",
            source=source,
            stream=stream,
        )

    return check


def extract_stream(
    store: RawStore,
    source: Source,
    settings: SourceSettings,
    stream_name: str,
    *,
    reconcile: bool | None = None,
    retry: RetryPolicy | None = None,
    deletions: DeletionPolicy | None = None,
) -> StreamResult:
    """Read one stream from its cursor and land it page by page; raise after recording a failure.

    Deletes are only inferred from a read that completed: a page that could not be read raises before
    any key is marked deleted, and `deletions` (default: from the environment) bounds how many may go.
    """
    stream = source.stream(stream_name)
    guard = deletion_guard(deletions or deletion_policy(), source.name, stream.name)
    store.ensure_table(source.name, stream.name)
    cursor, last_reconciled = store.cursor(source.name, stream.name)
    had_rows = store.row_count(source.name, stream.name) > 0
    client = source.connect(settings, retry)
    batch_id = store.begin_batch(source.name, stream.name, cursor, settings.origin)
    started = time.monotonic()
    status, error = "succeeded", None
    landed: list[Future] = []
    try:
        ctx = ReadContext(client=client, stream=stream, cursor=cursor)
        seen: set[str] = set()
        for page in stream.pages(ctx):
            prepared = prepare_page(stream, page.records)
            if stream.cursor is None:
                seen.update(prepared.keys)
                seen.update(key for key, *_ in prepared.rejects if key is not None)
            landed.append(
                store.submit_page(
                    source.name,
                    stream.name,
                    batch_id,
                    prepared,
                    checkpoint=_credible(page.checkpoint),
                    request=redact(page.request, client.secrets),
                    pruned_by_time=stream.updated_at_field is not None,
                )
            )
            _raise_if_a_page_failed(landed)
        store.wait(landed)
        if stream.cursor is None:
            # A complete full read holds every key the source still has: what is missing was deleted.
            if had_rows:
                store.tombstone_missing(source.name, stream.name, batch_id, seen, guard)
        elif _reconcile_due(stream, had_rows, last_reconciled, reconcile):
            store.tombstone_missing(source.name, stream.name, batch_id, stream.scan_keys(ctx), guard)
        elif stream.scan_keys is not None and not had_rows and reconcile is None:
            # Nothing was landed before this read, so nothing can have disappeared: start the clock.
            store.mark_reconciled(source.name, stream.name)
    except ConnectorError as exc:
        status, error = "failed", redact(str(exc), client.secrets)
        raise
    except Exception as exc:
        # Anything else (a bug, a disk error) is reported like a connector error: named, and redacted.
        status, error = "failed", redact(f"{type(exc).__name__}: {exc}", client.secrets)
        raise ConnectorError(error, source=source.name, stream=stream.name) from None
    except BaseException as exc:
        status, error = "failed", type(exc).__name__
        raise
    finally:
        # The ledger row is final only once the writer is done with every page this read handed it.
        wait(landed)
        store.finish_batch(batch_id, status, error)
        client.close()
        ledger = store.ledger(batch_id)
        result = StreamResult(
            source=source.name,
            stream=stream.name,
            batch_id=batch_id,
            status=status,
            rows_fetched=ledger["rows_fetched"],
            rows_loaded=ledger["rows_loaded"],
            rows_inserted=ledger["rows_inserted"],
            rows_rejected=ledger["rows_rejected"],
            rows_tombstoned=ledger["rows_tombstoned"],
            pages=ledger["pages"],
            cursor_from=cursor,
            cursor_to=ledger["cursor_to"],
            seconds=round(time.monotonic() - started, 3),
            requests=client.requests_sent,
            retries=client.retries,
            error=error,
        )
        log.info(
            "[%s/%s] %s: fetched %d, inserted %d, rejected %d in %.1fs",
            source.name,
            stream.name,
            status,
            result.rows_fetched,
            result.rows_inserted,
            result.rows_rejected,
            result.seconds,
        )
    return result


@dataclass(frozen=True)
class StreamJob:
    source: Source
    settings: SourceSettings
    stream: str


def extract_streams(
    store: RawStore,
    jobs: Sequence[StreamJob],
    *,
    workers: int = 4,
    reconcile: bool | None = None,
    retry: RetryPolicy | None = None,
    deletions: DeletionPolicy | None = None,
) -> tuple[list[StreamResult], list[Exception]]:
    """Run streams concurrently (HTTP waits overlap; landing is serialised by the store).

    A failing stream does not stop the others: its error is returned beside the results.
    """
    results: list[StreamResult] = []
    failures: list[Exception] = []
    deletions = deletions or deletion_policy()

    def run(job: StreamJob) -> StreamResult:
        return extract_stream(
            store,
            job.source,
            job.settings,
            job.stream,
            reconcile=reconcile,
            retry=retry,
            deletions=deletions,
        )

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="stream") as pool:
        futures = [pool.submit(run, job) for job in jobs]
        for future in futures:
            try:
                results.append(future.result())
            except Exception as exc:
                failures.append(exc)
    return results, failures
