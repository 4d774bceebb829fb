"""The one way the product opens its DuckDB files: with the memory and thread bounds from settings."""

from __future__ import annotations

from pathlib import Path

import duckdb

from connectors.settings import duckdb_settings


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection bounded by `DCW_DUCKDB_MEMORY_LIMIT` and `DCW_DUCKDB_THREADS` (spills past the limit)."""
    return duckdb.connect(str(path), read_only=read_only, config=duckdb_settings())
