"""Names of the raw layer's tables, in one place (dbt's sources and the Dagster assets read them here)."""

from __future__ import annotations

RAW_SCHEMA = "raw"
LOADS_NAME = "_loads"
LOADS = f"{RAW_SCHEMA}.{LOADS_NAME}"
REJECTS = f"{RAW_SCHEMA}._rejects"
STATE = f"{RAW_SCHEMA}._state"


def raw_table_name(source: str, stream: str) -> str:
    """`raw_table_name("hr", "employees")` -> `hr__employees` (the table, without its schema)."""
    return f"{source}__{stream}"


def raw_table(source: str, stream: str) -> str:
    return f"{RAW_SCHEMA}.{raw_table_name(source, stream)}"
