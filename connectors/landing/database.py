"""The one way the product opens its DuckDB files: with the memory and thread bounds from settings, the
HR tier's file modes, and one readable line when another process holds the file."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from connectors.landing.file_modes import database_files, keep_new_files_private, make_private
from connectors.settings import duckdb_settings

# DuckDB's words when another process has the file open: `IO Error: Could not set lock on file "<path>":
# Conflicting lock is held in <program> (PID <pid>) ...` (the program and PID where the OS tells it).
_LOCK_HELD = re.compile(
    r'Could not set lock on file "(?P<file>[^"]+)"(?:: Conflicting lock is held in (?P<program>.+?) '
    r"\(PID (?P<pid>\d+)\))?"
)


class WarehouseLocked(RuntimeError):
    """Another process has the database open for writing: DuckDB lets one process at a time do that."""

    def __init__(self, file: str, pid: int | None, program: str | None) -> None:
        self.file, self.pid, self.program = file, pid, program
        holder = f"process {pid} ({program})" if pid else "another process"
        stop = f"; if it is a forgotten shell, stop it (kill {pid})" if pid else ""
        super().__init__(
            f"{file} is held by {holder}, and DuckDB lets only one process at a time open a database "
            f"that is being written. Wait for that process to finish{stop}, then run this again "
            "(Dagster's runs of this project queue one at a time; BI tools read the published snapshot, "
            "never the working warehouse)."
        )

    def __reduce__(self) -> tuple:
        # Raised in the quality gates' own process and handed to the Dagster step pickled.
        return (type(self), (self.file, self.pid, self.program))


def _locked(error: duckdb.Error) -> WarehouseLocked | None:
    match = _LOCK_HELD.search(str(error))
    if match is None:
        return None
    return WarehouseLocked(match["file"], int(match["pid"]) if match["pid"] else None, match["program"])


def connect(
    path: str | Path, *, read_only: bool = False, storage_version: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection bounded by `DCW_DUCKDB_MEMORY_LIMIT` and `DCW_DUCKDB_THREADS` (spills past the limit).

    Raises `WarehouseLocked` when another process holds the file. A database opened for writing is
    private from here on (its WAL and spill folder too, which DuckDB creates under the process's umask).
    `storage_version` (`v1.1.0`) writes a file that older DuckDB releases can open; it takes effect only
    when the connection creates the file, since DuckDB fixes a file's format at creation.
    """
    keep_new_files_private()
    config = duckdb_settings()
    if storage_version:
        config["storage_compatibility_version"] = storage_version
    try:
        connection = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as error:
        raise _locked(error) or error from None
    if not read_only:
        make_private(*database_files(path))
    return connection


def attach(connection: duckdb.DuckDBPyConnection, path: str | Path, alias: str) -> None:
    """Attach another database read-only, with the same one line when another process holds it."""
    try:
        connection.execute(f"attach '{Path(path).resolve()}' as {alias} (read_only)")
    except duckdb.IOException as error:
        raise _locked(error) or error from None


def has_table(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether `schema.table` exists: a warehouse or snapshot made by an older version may lack a table
    that later versions read, and each reader decides what its absence means."""
    return bool(
        connection.execute(
            "select 1 from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    )


def check_not_held(path: str | Path) -> None:
    """Raise `WarehouseLocked` now if another process holds `path`, not halfway through a run."""
    if Path(path).exists():
        connect(path, read_only=True).close()
