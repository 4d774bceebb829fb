"""The one count of a run's checks: what `quality.quality_results` holds for the run.

Every verdict of a run, a dbt data test's or a great-expectations check's, is one row there, on the
asset the Dagster check sits on; so the demo's summary, the scorecards (through the BI snapshot, which
holds the same table without the HR tier's rows) and a Dagster run count the same checks. dbt's unit
tests are not among them: they test a formula on fixed inputs, not the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from connectors.landing.database import has_table
from dagster_project.publish.snapshot import HR_TIER_ASSETS
from dagster_project.quality.record import QUALITY_SCHEMA, QUALITY_TABLE

DBT_ENGINE = "dbt"
GX_ENGINE = "great_expectations"


@dataclass(frozen=True)
class CheckCount:
    """How many checks a run judged, how many passed, by engine and by tier."""

    run_id: str
    checks: int
    passed: int
    dbt_tests: int
    gx_checks: int
    hr_tier: int  # of them on employee-level assets: their verdicts never leave the HR tier
    hr_tier_passed: int

    @property
    def failed(self) -> int:
        return self.checks - self.passed

    @property
    def department_level(self) -> int:
        """The checks the BI tier (the snapshot, the scorecards) holds."""
        return self.checks - self.hr_tier

    @property
    def department_level_passed(self) -> int:
        return self.passed - self.hr_tier_passed

    def describe(self) -> str:
        """The count in one sentence, saying what it counts."""
        return (
            f"{self.passed} of {self.checks} checks passed ({self.dbt_tests} dbt data tests, "
            f"{self.gx_checks} great-expectations checks; {self.department_level} on department-level "
            f"data, {self.hr_tier} on the HR tier)"
        )


# The BI snapshot keeps the verdicts beside its marts; the working warehouse in a schema of their own.
SNAPSHOT_SCHEMA = "marts"


def results_schema(connection: duckdb.DuckDBPyConnection) -> str:
    """Where this database keeps the verdicts: a BI snapshot's `marts`, else the working `quality`."""
    return SNAPSHOT_SCHEMA if has_table(connection, SNAPSHOT_SCHEMA, QUALITY_TABLE) else QUALITY_SCHEMA


def latest_quality_run(connection: duckdb.DuckDBPyConnection, schema: str | None = None) -> str | None:
    """The run whose verdicts were recorded last, or None when there is none (read as `count_checks`)."""
    schema = schema or results_schema(connection)
    if not has_table(connection, schema, QUALITY_TABLE):
        return None
    row = connection.execute(
        f"select run_id from {schema}.{QUALITY_TABLE} "
        "group by run_id order by max(checked_at) desc nulls last limit 1"
    ).fetchone()
    return row[0] if row else None


def count_checks(
    connection: duckdb.DuckDBPyConnection, run_id: str | None = None, schema: str | None = None
) -> CheckCount | None:
    """The run's check count (the latest run's by default); None when no verdict is recorded. The
    verdicts are read where this database keeps them (`results_schema`) unless `schema` says."""
    schema = schema or results_schema(connection)
    run_id = run_id or latest_quality_run(connection, schema)
    if run_id is None or not has_table(connection, schema, QUALITY_TABLE):
        return None
    hr_tier = f"asset like '{HR_TIER_ASSETS}'"
    row = connection.execute(
        f"""
        select
            count(*),
            count(*) filter (where passed),
            count(*) filter (where engine = '{DBT_ENGINE}'),
            count(*) filter (where engine = '{GX_ENGINE}'),
            count(*) filter (where {hr_tier}),
            count(*) filter (where {hr_tier} and passed)
        from {schema}.{QUALITY_TABLE}
        where run_id = ?""",
        [run_id],
    ).fetchone()
    if not row or not row[0]:
        return None
    return CheckCount(run_id, *row)
