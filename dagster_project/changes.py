"""Whether anything changed since the last published snapshot, so that a rerun does not publish the same
snapshot again.

Nothing changed when three things hold: no batch landed since the snapshot was published added a raw
version or marked a record deleted (`raw._loads`), every dbt step of the run that published it built
from the dbt project as it is now (models, seeds, macros, tests and `dbt_project.yml`, by content), and
that run ran every dbt step. Each dbt invocation records its project's fingerprint for this
(`marts.dbt_builds`), whoever started the run: the demo, a schedule or the UI. Whatever cannot be told
(no snapshot, a run that left no fingerprint) counts as a change: the pipeline then runs as always.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from connectors.landing.database import connect, has_table
from connectors.landing.tables import LOADS

DBT_BUILDS = "marts.dbt_builds"
DBT_BUILDS_DDL = f"""
create schema if not exists marts;
create table if not exists {DBT_BUILDS} (
    run_id varchar not null,
    step varchar not null,
    project_fingerprint varchar not null,
    invoked_at timestamptz not null
)
"""
# What dbt builds from; its target/ and logs/ are output.
DBT_INPUTS = ("models", "seeds", "macros", "tests", "dbt_project.yml")
# The dbt steps of a full run (dagster_project.assets.dbt): two builds and the tests between them.
DBT_STEPS = ("conformed_sources", "conformed_sources_tests", "warehouse_models")
SNAPSHOT_TIME = "%Y%m%dT%H%M%S%fZ"  # `_snapshot.published_at`


def dbt_project_fingerprint(project_dir: str | Path) -> str:
    """A hash of every file dbt builds from, by path and content."""
    root = Path(project_dir)
    digest = hashlib.sha256()
    for entry in DBT_INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(f"{file.relative_to(root)}\0".encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def record_dbt_build(warehouse: str | Path, run_id: str, step: str, project_dir: str | Path) -> None:
    """Note which dbt project a step of the run built from."""
    with connect(warehouse) as connection:
        connection.execute(DBT_BUILDS_DDL)
        connection.execute(
            f"insert into {DBT_BUILDS} values (?, ?, ?, ?)",
            [run_id, step, dbt_project_fingerprint(project_dir), datetime.now(UTC)],
        )


@dataclass(frozen=True)
class SinceLastSnapshot:
    """What changed between the last published snapshot and now."""

    snapshot_run: str | None  # None: nothing was published yet
    published_at: datetime | None
    new_versions: int
    deletes: int
    dbt_project_unchanged: bool  # False also when it cannot be told

    @property
    def nothing_changed(self) -> bool:
        return (
            self.snapshot_run is not None
            and self.new_versions == 0
            and self.deletes == 0
            and self.dbt_project_unchanged
        )

    def describe(self) -> str:
        """Why the pipeline runs again, or why it does not."""
        if self.snapshot_run is None:
            return "no snapshot has been published yet"
        when = f"the snapshot of {self.published_at:%Y-%m-%d %H:%M:%S} UTC (run {self.snapshot_run[:8]})"
        if self.nothing_changed:
            return (
                f"nothing changed at the sources since {when}: no new raw versions, no deletes, and the "
                "dbt models and seeds are as they were"
            )
        changed = [
            *([f"{self.new_versions} new raw versions"] if self.new_versions else []),
            *([f"{self.deletes} deletes"] if self.deletes else []),
            *(
                []
                if self.dbt_project_unchanged
                else ["the dbt project differs from the one it was built with"]
            ),
        ]
        return f"since {when}: {', '.join(changed)}"


def since_last_snapshot(
    warehouse: str | Path, published_db: str | Path, project_dir: str | Path
) -> SinceLastSnapshot:
    """Compare the working warehouse and the dbt project with what the published snapshot was built from."""
    snapshot = _last_snapshot(Path(published_db))
    if snapshot is None:
        return SinceLastSnapshot(None, None, 0, 0, False)
    run_id, published_at = snapshot
    with connect(warehouse, read_only=True) as connection:
        new_versions, deletes = connection.execute(
            f"select coalesce(sum(rows_inserted), 0), coalesce(sum(rows_tombstoned), 0) from {LOADS} "
            "where started_at > ?",
            [published_at],
        ).fetchone()
        built_from = _fingerprints(connection, run_id)
    unchanged = set(built_from) == set(DBT_STEPS) and set(built_from.values()) == {
        dbt_project_fingerprint(project_dir)
    }
    return SinceLastSnapshot(run_id, published_at, int(new_versions), int(deletes), unchanged)


def _last_snapshot(published_db: Path) -> tuple[str, datetime] | None:
    if not published_db.exists():
        return None
    with connect(published_db, read_only=True) as connection:
        try:
            run_id, published_at = connection.execute(
                "select run_id, published_at from marts._snapshot"
            ).fetchone()
        except duckdb.CatalogException:
            return None
    return run_id, datetime.strptime(published_at, SNAPSHOT_TIME).replace(tzinfo=UTC)


def _fingerprints(connection: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, str]:
    """Each dbt step of the run and the project fingerprint it built from (a step's last invocation)."""
    schema, table = DBT_BUILDS.split(".")
    if not has_table(connection, schema, table):
        return {}
    rows = connection.execute(
        f"select step, project_fingerprint from {DBT_BUILDS} where run_id = ? order by invoked_at", [run_id]
    ).fetchall()
    return dict(rows)
