"""The raw layer: one append-only table per stream, a ledger of loads, the rejects, the stream cursors.

Pages land in order per stream, each with its records, its rejects, the ledger counters and the stream's
cursor committed together: a process killed at any moment leaves the raw layer as it was after some
whole page, with the cursor pointing just past it, so a rerun neither loses nor repeats.

Readers hand pages to one writer thread (`submit_page`) and go on fetching: landing overlaps HTTP instead
of queueing behind a lock. The writer commits whatever pages are waiting, from any streams, in one
transaction (a group commit): a commit per page was most of the landing's cost. A page that fails to
land fails its stream only; that stream's later pages are refused, so its cursor never passes a gap.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from connectors.landing.database import connect
from connectors.landing.file_modes import make_folder
from connectors.landing.tables import LOADS, RAW_SCHEMA, REJECTS, STATE, raw_table

_RAW_COLUMNS = """
    _key varchar not null,
    _record_hash varchar not null,
    _payload json not null,
    _batch_id varchar not null,
    _extracted_at timestamptz not null,
    _source_updated_at timestamptz,
    _is_deleted boolean not null
"""
_LEDGER_DDL = f"""
create table if not exists {LOADS} (
    batch_id varchar primary key, source varchar not null, stream varchar not null, status varchar not null,
    cursor_from timestamptz, cursor_to timestamptz,
    rows_fetched bigint not null, rows_loaded bigint not null, rows_inserted bigint not null,
    rows_rejected bigint not null, rows_tombstoned bigint not null, pages bigint not null,
    started_at timestamptz not null, finished_at timestamptz, error varchar
);
create table if not exists {REJECTS} (
    batch_id varchar not null, source varchar not null, stream varchar not null, record_key varchar,
    reason varchar not null, raw_text varchar not null, raw_hash varchar not null, request varchar,
    rejected_at timestamptz not null
);
create table if not exists {STATE} (
    source varchar not null, stream varchar not null, cursor_value timestamptz, batch_id varchar,
    last_reconciled_at timestamptz, updated_at timestamptz not null, primary key (source, stream)
);
"""
# Where each batch read its source: `simulator`, or the service's host (never a credential or a full
# URL). Added to warehouses created before it existed; their older batches keep it null (not recorded).
_ORIGIN_DDL = f"alter table {LOADS} add column if not exists origin varchar"


@dataclass
class PreparedPage:
    """A page split into landable versions and rejects, as columns ready for a bulk insert."""

    keys: list[str] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    payloads: list[str] = field(default_factory=list)
    updated_at: list[datetime | None] = field(default_factory=list)
    deleted: list[bool] = field(default_factory=list)
    rejects: list[tuple[str | None, str, str, str]] = field(default_factory=list)  # key, reason, text, hash

    @property
    def fetched(self) -> int:
        return len(self.keys) + len(self.rejects)


@dataclass
class _BatchTotals:
    """What one group commit adds to a batch's ledger row, and the cursor it moves to."""

    source: str
    stream: str
    fetched: int = 0
    loaded: int = 0
    inserted: int = 0
    rejected: int = 0
    pages: int = 0
    checkpoint: datetime | None = None

    def add(self, item: PageToLand, inserted: int) -> None:
        self.fetched += item.page.fetched
        self.loaded += len(item.page.keys)
        self.inserted += inserted
        self.rejected += len(item.page.rejects)
        self.pages += 1
        if item.checkpoint is not None:
            self.checkpoint = item.checkpoint


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered page; after a failed statement the transaction is aborted and refuses even
    this, and the rollback that follows drops it anyway: the statement's own error is the one to keep."""
    with contextlib.suppress(duckdb.TransactionException):
        con.unregister(name)


def now_utc() -> datetime:
    return datetime.now(UTC)


# Pages waiting for the writer: enough to keep every reader busy while a commit runs, few enough that
# the queue stays a few megabytes (a page is at most a few thousand records).
QUEUE_PAGES = 32
# Pages one group commit takes at most.
GROUP_PAGES = 64


@dataclass(frozen=True)
class PageToLand:
    """One prepared page and where it goes; `landed` resolves to its count of new versions."""

    source: str
    stream: str
    batch_id: str
    page: PreparedPage
    checkpoint: datetime | None
    request: str
    pruned_by_time: bool
    landed: Future = field(default_factory=Future, compare=False)


class RawStore:
    """The writer of the raw schema in one DuckDB file. One per process: DuckDB allows one writer."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # The data folder holds the BI tier too, so it stays passable; the HR-tier files in it are
        # private themselves.
        make_folder(self.path.parent, readable=True)
        self._con = connect(self.path)
        # Streams land from several threads; DuckDB serialises commits anyway, and one lock keeps
        # catalog changes (create table) and the shared ledger free of write-write conflicts.
        self._lock = threading.Lock()
        self._queue: queue.Queue[PageToLand | None] = queue.Queue(maxsize=QUEUE_PAGES)
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        self._failed_batches: dict[str, BaseException] = {}
        with self._lock:
            self._con.execute(f"create schema if not exists {RAW_SCHEMA}")
            self._con.execute(_LEDGER_DDL)
            self._con.execute(_ORIGIN_DDL)

    def close(self) -> None:
        with self._writer_lock:
            if self._writer is not None:
                self._queue.put(None)
                self._writer.join()
                self._writer = None
        self._con.close()

    def __enter__(self) -> RawStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_table(self, source: str, stream: str) -> None:
        with self._lock:
            self._con.execute(f"create table if not exists {raw_table(source, stream)} ({_RAW_COLUMNS})")

    def cursor(self, source: str, stream: str) -> tuple[datetime | None, datetime | None]:
        """(cursor, last reconciliation) of a stream; (None, None) before its first load."""
        with self._lock:
            row = self._con.execute(
                f"select cursor_value, last_reconciled_at from {STATE} where source = ? and stream = ?",
                [source, stream],
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_cursor(self, source: str, stream: str, value: datetime | None) -> None:
        """Move a stream's cursor by hand (a backfill, or a test); history in raw stays as it is."""
        with self._lock:
            self._upsert_state(self._con, source, stream, value, None, reconciled=None)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Read through the writer's own connection (DuckDB refuses a second one to the same file)."""
        with self._lock:
            return self._con.execute(sql, params or []).fetchall()

    def row_count(self, source: str, stream: str) -> int:
        with self._lock:
            return self._con.execute(f"select count(*) from {raw_table(source, stream)}").fetchone()[0]

    def begin_batch(
        self, source: str, stream: str, cursor_from: datetime | None, origin: str | None = None
    ) -> str:
        """Open a ledger row for a read of `stream` from `origin` (`simulator` or the service's host)."""
        batch_id = f"{now_utc():%Y%m%dT%H%M%S}-{source}-{stream}-{uuid.uuid4().hex[:8]}"
        with self._lock:
            # A batch still 'running' belongs to a process that died; say so in the ledger.
            self._con.execute(
                f"update {LOADS} set status = 'interrupted', finished_at = ? "
                "where source = ? and stream = ? and status = 'running'",
                [now_utc(), source, stream],
            )
            self._con.execute(
                f"insert into {LOADS} (batch_id, source, stream, status, cursor_from, rows_fetched, "
                "rows_loaded, rows_inserted, rows_rejected, rows_tombstoned, pages, started_at, origin) "
                "values (?, ?, ?, 'running', ?, 0, 0, 0, 0, 0, 0, ?, ?)",
                [batch_id, source, stream, cursor_from, now_utc(), origin],
            )
        return batch_id

    def land_page(
        self,
        source: str,
        stream: str,
        batch_id: str,
        page: PreparedPage,
        *,
        checkpoint: datetime | None,
        request: str,
        pruned_by_time: bool,
    ) -> int:
        """Land one page atomically, on the caller's thread; return how many new versions were written."""
        item = PageToLand(source, stream, batch_id, page, checkpoint, request, pruned_by_time)
        with self._lock:
            self._land_group([item])
        return item.landed.result()

    def submit_page(
        self,
        source: str,
        stream: str,
        batch_id: str,
        page: PreparedPage,
        *,
        checkpoint: datetime | None,
        request: str,
        pruned_by_time: bool,
    ) -> Future:
        """Queue a page for the writer thread (blocking while the queue is full); the future resolves to
        its count of new versions, or to the error that kept it (or an earlier page of its batch) out."""
        item = PageToLand(source, stream, batch_id, page, checkpoint, request, pruned_by_time)
        with self._writer_lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_pages, name="raw-writer", daemon=True)
                self._writer.start()
        self._queue.put(item)
        return item.landed

    @staticmethod
    def wait(landed: Sequence[Future]) -> int:
        """Wait until every page is landed or refused; raise the first error, else return the new versions."""
        return sum(future.result() for future in landed)

    def _write_pages(self) -> None:
        """The writer thread: take what is waiting, land it in one transaction, repeat until closed."""
        while True:
            item = self._queue.get()
            if item is None:
                return
            group = [item]
            stop = False
            while len(group) < GROUP_PAGES:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                group.append(more)
            with self._lock:
                self._land_group(group)
            if stop:
                return

    def _land_group(self, group: list[PageToLand]) -> None:
        """Land pages in one transaction. If it fails and holds several batches, land each batch alone,
        so that one stream's bad page does not cost the others theirs. Call with the lock held."""
        group = [item for item in group if not self._refuse_after_failure(item)]
        if not group:
            return
        con = self._con
        con.begin()
        try:
            inserted = [self._land_one(con, item) for item in group]
            self._account(con, group, inserted)
            con.commit()
        except BaseException as exc:
            con.rollback()
            batches = list(dict.fromkeys(item.batch_id for item in group))
            if len(batches) > 1 and isinstance(exc, Exception):
                for batch in batches:
                    self._land_group([item for item in group if item.batch_id == batch])
                return
            for item in group:
                self._failed_batches.setdefault(item.batch_id, exc)
                item.landed.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for item, count in zip(group, inserted, strict=True):
            item.landed.set_result(count)

    def _refuse_after_failure(self, item: PageToLand) -> bool:
        """A page behind a failed page of its batch is not landed: its cursor would skip the gap."""
        failure = self._failed_batches.get(item.batch_id)
        if failure is not None:
            item.landed.set_exception(failure)
        return failure is not None

    def _land_one(self, con: duckdb.DuckDBPyConnection, item: PageToLand) -> int:
        table = raw_table(item.source, item.stream)
        extracted_at = now_utc()
        inserted = self._insert_versions(
            con, table, item.batch_id, extracted_at, item.page, item.pruned_by_time
        )
        self._insert_rejects(
            con, item.source, item.stream, item.batch_id, item.page.rejects, item.request, extracted_at
        )
        return inserted

    def _account(self, con: duckdb.DuckDBPyConnection, group: list[PageToLand], inserted: list[int]) -> None:
        """One ledger update and one cursor move per batch in the group: its totals, its last checkpoint."""
        totals: dict[str, _BatchTotals] = {}
        for item, count in zip(group, inserted, strict=True):
            totals.setdefault(item.batch_id, _BatchTotals(item.source, item.stream)).add(item, count)
        for batch_id, t in totals.items():
            if t.checkpoint is not None:
                self._upsert_state(con, t.source, t.stream, t.checkpoint, batch_id, reconciled=None)
            con.execute(
                f"update {LOADS} set rows_fetched = rows_fetched + ?, rows_loaded = rows_loaded + ?, "
                "rows_inserted = rows_inserted + ?, rows_rejected = rows_rejected + ?, "
                "pages = pages + ?, cursor_to = coalesce(?, cursor_to) where batch_id = ?",
                [t.fetched, t.loaded, t.inserted, t.rejected, t.pages, t.checkpoint, batch_id],
            )

    def tombstone_missing(
        self,
        source: str,
        stream: str,
        batch_id: str,
        present_keys: Iterable[str],
        guard: Callable[[int, int], None] | None = None,
    ) -> int:
        """After a complete key scan: add a deleted version for each live key the source no longer has.

        The deleted version keeps the source timestamp of the version it closes, so a record that
        reappears later is landed again rather than taken for a stale read. `guard(missing, live)` sees
        the counts first, in the same transaction; whatever it raises leaves the table as it was.
        """
        table = raw_table(source, stream)
        scanned = pa.table({"_key": pa.array(list(present_keys), pa.string())})
        now = now_utc()
        latest = f"""
            select _key, arg_max(_record_hash, _extracted_at) as _record_hash,
                   arg_max(_payload, _extracted_at) as _payload,
                   arg_max(_source_updated_at, _extracted_at) as _source_updated_at,
                   arg_max(_is_deleted, _extracted_at) as _is_deleted
            from {table} group by _key
        """
        gone = "_key not in (select _key from scanned_keys)"
        with self._lock:
            con = self._con
            con.begin()
            try:
                con.register("scanned_keys", scanned)
                if guard is not None:
                    live, missing = con.execute(
                        f"select count(*), count(*) filter (where {gone}) "
                        f"from ({latest}) where not _is_deleted"
                    ).fetchone()
                    guard(missing, live)
                count = con.execute(
                    f"""
                    insert into {table}
                    select _key, md5(_record_hash || ':deleted'), _payload, ?, ?, _source_updated_at, true
                    from ({latest}) latest
                    where not _is_deleted and {gone}
                """,
                    [batch_id, now],
                ).fetchone()[0]
                con.unregister("scanned_keys")
                con.execute(
                    f"update {LOADS} set rows_tombstoned = rows_tombstoned + ? where batch_id = ?",
                    [count, batch_id],
                )
                self._upsert_state(con, source, stream, None, batch_id, reconciled=now)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        return count

    def mark_reconciled(self, source: str, stream: str) -> None:
        with self._lock:
            self._upsert_state(self._con, source, stream, None, None, reconciled=now_utc())

    def finish_batch(self, batch_id: str, status: str, error: str | None = None) -> None:
        with self._lock:
            self._con.execute(
                f"update {LOADS} set status = ?, finished_at = ?, error = ? where batch_id = ?",
                [status, now_utc(), error, batch_id],
            )

    def ledger(self, batch_id: str) -> dict:
        with self._lock:
            cur = self._con.execute(f"select * from {LOADS} where batch_id = ?", [batch_id])
            names = [d[0] for d in cur.description]
            return dict(zip(names, cur.fetchone(), strict=True))

    @staticmethod
    def _insert_versions(
        con: duckdb.DuckDBPyConnection,
        table: str,
        batch_id: str,
        extracted_at: datetime,
        page: PreparedPage,
        pruned_by_time: bool,
    ) -> int:
        if not page.keys:
            return 0
        arrow = pa.table(
            {
                "_key": pa.array(page.keys, pa.string()),
                "_record_hash": pa.array(page.hashes, pa.string()),
                "_payload": pa.array(page.payloads, pa.string()),
                "_source_updated_at": pa.array(page.updated_at, pa.timestamp("us", tz="UTC")),
                "_is_deleted": pa.array(page.deleted, pa.bool_()),
                "_position": pa.array(range(len(page.keys)), pa.int64()),
            }
        )
        # A record lands unless it is its key's latest landed version, or older than that version (a
        # stale read behind a lookback). So a record that changes back to an earlier content, or that
        # reappears after a delete, lands again as the newest version.
        #
        # When every record has a source timestamp, only stored versions stamped at or after the page's
        # earliest one can matter: a key whose latest version is older differs anyway, the timestamp
        # being part of the content. Filtering on it lets DuckDB's zone maps skip the old row groups,
        # so a page costs the same however large the table grows.
        timestamped = pruned_by_time and all(u is not None for u in page.updated_at)
        params = {
            "batch": batch_id,
            "at": extracted_at,
            **({"low": min(page.updated_at)} if timestamped else {}),
        }
        window = "and _source_updated_at >= $low" if timestamped else ""
        con.register("page_records", arrow)
        try:
            return con.execute(
                f"""
                insert into {table}
                with page as (
                    select * from page_records
                    qualify row_number() over (partition by _key order by _position desc) = 1
                ),
                latest as (
                    select _key,
                           arg_max(_record_hash, _extracted_at) as _record_hash,
                           arg_max(_source_updated_at, _extracted_at) as _source_updated_at
                    from {table}
                    where _key in (select _key from page) {window}
                    group by _key
                )
                select p._key, p._record_hash, p._payload::json, $batch, $at,
                       p._source_updated_at, p._is_deleted
                from page p
                left join latest l on l._key = p._key
                where l._key is null
                   or (l._record_hash != p._record_hash
                       and (p._source_updated_at is null or l._source_updated_at is null
                            or p._source_updated_at >= l._source_updated_at))
                """,
                params,
            ).fetchone()[0]
        finally:
            _unregister(con, "page_records")

    @staticmethod
    def _insert_rejects(
        con: duckdb.DuckDBPyConnection,
        source: str,
        stream: str,
        batch_id: str,
        rejects: list[tuple[str | None, str, str, str]],
        request: str,
        at: datetime,
    ) -> None:
        if not rejects:
            return
        arrow = pa.table(
            {
                "record_key": pa.array([r[0] for r in rejects], pa.string()),
                "reason": pa.array([r[1] for r in rejects], pa.string()),
                "raw_text": pa.array([r[2] for r in rejects], pa.string()),
                "raw_hash": pa.array([r[3] for r in rejects], pa.string()),
            }
        )
        con.register("page_rejects", arrow)
        try:
            # The same bad record read again (every full read) is kept once, like any version.
            con.execute(
                f"""
                insert into {REJECTS}
                select distinct on (raw_hash)
                    $batch, $source, $stream, record_key, reason, raw_text, raw_hash, $request, $at
                from page_rejects r
                where not exists (select 1 from {REJECTS} x
                                  where x.source = $source and x.stream = $stream and x.raw_hash = r.raw_hash)
            """,
                {"batch": batch_id, "source": source, "stream": stream, "request": request, "at": at},
            )
        finally:
            _unregister(con, "page_rejects")

    @staticmethod
    def _upsert_state(
        con: duckdb.DuckDBPyConnection,
        source: str,
        stream: str,
        cursor: datetime | None,
        batch_id: str | None,
        *,
        reconciled: datetime | None,
    ) -> None:
        con.execute(
            f"""
            insert into {STATE} values ($source, $stream, $cursor, $batch, $reconciled, $now)
            on conflict (source, stream) do update set
                cursor_value = coalesce($cursor, cursor_value),
                batch_id = coalesce($batch, batch_id),
                last_reconciled_at = coalesce($reconciled, last_reconciled_at),
                updated_at = $now
        """,
            {
                "source": source,
                "stream": stream,
                "cursor": cursor,
                "batch": batch_id,
                "reconciled": reconciled,
                "now": now_utc(),
            },
        )
