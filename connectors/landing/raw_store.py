"""The raw layer: one append-only table per stream, a ledger of loads, the rejects, the stream cursors.

Every page is one transaction: the new record versions, the page's rejects, the ledger counters and the
stream's cursor commit together or not at all. A process killed at any moment leaves the raw layer as it
was after some whole page, and the cursor pointing just past it, so a rerun neither loses nor repeats.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from connectors.landing.database import connect
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


def now_utc() -> datetime:
    return datetime.now(UTC)


class RawStore:
    """The writer of the raw schema in one DuckDB file. One per process: DuckDB allows one writer."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = connect(self.path)
        # Streams land from several threads; DuckDB serialises commits anyway, and one lock keeps
        # catalog changes (create table) and the shared ledger free of write-write conflicts.
        self._lock = threading.Lock()
        with self._lock:
            self._con.execute(f"create schema if not exists {RAW_SCHEMA}")
            self._con.execute(_LEDGER_DDL)

    def close(self) -> None:
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

    def begin_batch(self, source: str, stream: str, cursor_from: datetime | None) -> str:
        batch_id = f"{now_utc():%Y%m%dT%H%M%S}-{source}-{stream}-{uuid.uuid4().hex[:8]}"
        with self._lock:
            # A batch still 'running' belongs to a process that died; say so in the ledger.
            self._con.execute(
                f"update {LOADS} set status = 'interrupted', finished_at = ? "
                "where source = ? and stream = ? and status = 'running'",
                [now_utc(), source, stream],
            )
            self._con.execute(
                f"insert into {LOADS} values (?, ?, ?, 'running', ?, null, 0, 0, 0, 0, 0, 0, ?, null, null)",
                [batch_id, source, stream, cursor_from, now_utc()],
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
        """Land one page atomically; return how many new versions were written."""
        table = raw_table(source, stream)
        extracted_at = now_utc()
        with self._lock:
            con = self._con
            con.begin()
            try:
                inserted = self._insert_versions(con, table, batch_id, extracted_at, page, pruned_by_time)
                self._insert_rejects(con, source, stream, batch_id, page.rejects, request, extracted_at)
                if checkpoint is not None:
                    self._upsert_state(con, source, stream, checkpoint, batch_id, reconciled=None)
                con.execute(
                    f"update {LOADS} set rows_fetched = rows_fetched + ?, rows_loaded = rows_loaded + ?, "
                    "rows_inserted = rows_inserted + ?, rows_rejected = rows_rejected + ?, "
                    "pages = pages + 1, cursor_to = coalesce(?, cursor_to) where batch_id = ?",
                    [page.fetched, len(page.keys), inserted, len(page.rejects), checkpoint, batch_id],
                )
                con.commit()
            except BaseException:
                con.rollback()
                raise
        return inserted

    def tombstone_missing(self, source: str, stream: str, batch_id: str, present_keys: Iterable[str]) -> int:
        """After a complete key scan: add a deleted version for each live key the source no longer has.

        The deleted version keeps the source timestamp of the version it closes, so a record that
        reappears later is landed again rather than taken for a stale read.
        """
        table = raw_table(source, stream)
        scanned = pa.table({"_key": pa.array(list(present_keys), pa.string())})
        now = now_utc()
        with self._lock:
            con = self._con
            con.begin()
            try:
                con.register("scanned_keys", scanned)
                count = con.execute(
                    f"""
                    insert into {table}
                    select _key, md5(_record_hash || ':deleted'), _payload, ?, ?, _source_updated_at, true
                    from (
                        select _key, arg_max(_record_hash, _extracted_at) as _record_hash,
                               arg_max(_payload, _extracted_at) as _payload,
                               arg_max(_source_updated_at, _extracted_at) as _source_updated_at,
                               arg_max(_is_deleted, _extracted_at) as _is_deleted
                        from {table} group by _key
                    ) latest
                    where not _is_deleted and _key not in (select _key from scanned_keys)
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
            con.unregister("page_records")

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
            con.unregister("page_rejects")

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
