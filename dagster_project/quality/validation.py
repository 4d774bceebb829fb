"""Run the quality checks: DuckDB measures, great-expectations judges and documents, the warehouse keeps.

GX validates the small per-place frames the checks' queries return (its SQL path to DuckDB is slow and
has known failures; a pandas frame of a few hundred rows is neither). Every outcome is appended to
`quality.quality_results` (`quality.record`), dbt tests' included (see `record_dbt_results`), and each
GX validation becomes a page of the Data Docs in `data/quality/` beside the warehouse (`quality.data_docs`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from connectors.landing.database import connect
from dagster_project.quality.checks import CHECKS, VOLUME_CHECKS, QualityCheck, quality_dir
from dagster_project.quality.data_docs import ValidationPage, expectation_result, write_data_docs
from dagster_project.quality.dbt_tests import node_under_test
from dagster_project.quality.record import QUALITY_RESULTS, ensure_quality_results

FAILURES_SHOWN = 5
GX_DATASOURCE = "warehouse"


@dataclass
class CheckOutcome:
    """One check's verdict, as kept in quality.quality_results and reported on the Dagster check."""

    check: str
    asset: str
    severity: str
    passed: bool
    observed: str
    expected: str
    engine: str
    failures: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)


def run_quality_checks(
    warehouse: str | Path, run_id: str, checks: Sequence[QualityCheck] = CHECKS
) -> list[CheckOutcome]:
    """Measure every check in DuckDB, judge with GX, write Data Docs and quality.quality_results."""
    with connect(warehouse) as connection:
        ensure_quality_results(connection)
        frames = {
            check.name: connection.execute(
                check.sql, {"run_id": run_id} if "$run_id" in check.sql else None
            ).df()
            for check in checks
        }
        previous = _previous_values(connection, [c.name for c in checks if c.name in VOLUME_CHECKS])
    for name, rows in previous.items():
        frames[name] = _as_ratio_of_previous(frames[name], rows)
    outcomes, pages = _validate(checks, frames)
    with connect(warehouse) as connection:
        store_outcomes(connection, outcomes, run_id)
        write_data_docs(connection, run_id, quality_dir(warehouse), pages)
    return outcomes


def store_outcomes(
    connection: duckdb.DuckDBPyConnection, outcomes: Iterable[CheckOutcome], run_id: str
) -> None:
    ensure_quality_results(connection)
    outcomes = list(outcomes)
    if not outcomes:
        return
    now = datetime.now(UTC)
    connection.executemany(
        f"insert into {QUALITY_RESULTS} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                o.check,
                o.asset,
                o.severity,
                o.passed,
                o.observed,
                o.expected,
                run_id,
                now,
                o.engine,
                json.dumps(o.rows, default=str),
            ]
            for o in outcomes
        ],
    )


def _previous_values(connection: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, dict[str, float]]:
    """The per-location values the latest earlier run of each check measured (volume needs them): the
    record's measurements, read as a warning's baseline, never a verdict that decides what runs."""
    out: dict[str, dict[str, float]] = {name: {} for name in names}
    for name, details in connection.execute(
        f"""
        select check_name, details from {QUALITY_RESULTS}
        where check_name in (select unnest(?::varchar[]))
        qualify row_number() over (partition by check_name order by checked_at desc) = 1""",
        [names],
    ).fetchall():
        out[name] = {row["location"]: row["measured"] for row in json.loads(details)}
    return out


def _as_ratio_of_previous(frame: pd.DataFrame, previous: dict[str, float]) -> pd.DataFrame:
    """Volume is judged against the previous check of the same table; a first sighting is its own base."""
    frame = frame.copy()
    frame["measured"] = frame["value"]
    base = frame["location"].map(previous).fillna(frame["value"]).replace(0, 1)
    frame["value"] = frame["value"] / base
    return frame


def _validate(
    checks: Sequence[QualityCheck], frames: dict[str, pd.DataFrame]
) -> tuple[list[CheckOutcome], list[ValidationPage]]:
    # GX takes seconds to import: only the step that runs the checks pays for it, not definitions load.
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas(GX_DATASOURCE)
    outcomes, pages = [], []
    for check in checks:
        frame = frames[check.name]
        batch = datasource.add_dataframe_asset(check.name).add_batch_definition_whole_dataframe("all")
        suite = context.suites.add(
            gx.ExpectationSuite(
                name=check.name,
                expectations=[
                    gxe.ExpectTableRowCountToBeBetween(min_value=1),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="value", min_value=check.min_value, max_value=check.max_value
                    ),
                ],
                meta={"severity": str(check.severity), "meaning": check.meaning, "fix": check.fix},
            )
        )
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=check.name, data=batch, suite=suite)
        )
        result = validation.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["location"]},
        )
        failing = [
            {"location": row["location"], "value": float(row["value"])}
            for r in result.results
            for row in (r.result.get("unexpected_index_list") or [])
        ]
        outcome = CheckOutcome(
            check=check.name,
            asset="/".join(check.asset),
            severity=str(check.severity),
            passed=bool(result.success),
            observed=_observed(frame, failing),
            expected=check.expected,
            engine="great_expectations",
            failures=failing,
            rows=_rows(frame),
        )
        outcomes.append(outcome)
        pages.append(_page(check, outcome, result))
    return outcomes, pages


def _page(check: QualityCheck, outcome: CheckOutcome, result: Any) -> ValidationPage:
    """The check's Data Docs page: GX's verdict on each expectation and every place it measured."""
    outside = {failure["location"] for failure in outcome.failures}
    return ValidationPage(
        check=check.name,
        asset=outcome.asset,
        severity=outcome.severity,
        passed=outcome.passed,
        expected=check.expected,
        meaning=check.meaning,
        fix=check.fix,
        observed=outcome.observed,
        expectations=[
            expectation_result(
                r.expectation_config.type, r.expectation_config.kwargs, bool(r.success), r.result or {}
            )
            for r in result.results
        ],
        places=[{**row, "within_band": row["location"] not in outside} for row in outcome.rows],
    )


def _observed(frame: pd.DataFrame, failing: list[dict[str, Any]]) -> str:
    if frame.empty:
        return "no rows to check"
    if not failing:
        return f"{len(frame)} places checked, values {frame['value'].min():.4g} to {frame['value'].max():.4g}"
    shown = "; ".join(f"{f['location']}: {f['value']:.4g}" for f in failing[:FAILURES_SHOWN])
    more = f" (+{len(failing) - FAILURES_SHOWN} more)" if len(failing) > FAILURES_SHOWN else ""
    return f"{len(failing)} of {len(frame)} places outside the band: {shown}{more}"


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [c for c in ("location", "value", "records", "measured") if c in frame.columns]
    return frame[columns].to_dict(orient="records")


def dbt_outcomes(run_results: dict[str, Any], manifest: dict[str, Any]) -> list[CheckOutcome]:
    """The verdict of every dbt test of a `dbt build`, in the same shape as the GX checks'."""
    outcomes = []
    for result in run_results.get("results", []):
        node = manifest["nodes"].get(result["unique_id"])
        if node is None or node["resource_type"] != "test":
            continue
        attached = node_under_test(manifest, node)
        parent = manifest["nodes"].get(attached) or {}
        asset = f"{parent.get('schema', '?')}/{parent.get('name', attached)}"
        failing = result.get("failures") or 0
        outcomes.append(
            CheckOutcome(
                check=node["name"],
                asset=asset,
                severity="warning"
                if node["config"].get("severity", "ERROR").upper() == "WARN"
                else "blocking",
                passed=result["status"] == "pass",
                observed=f"{failing} failing rows"
                if result["status"] in ("pass", "fail", "warn")
                else f"{result['status']}: {result.get('message') or ''}"[:500],
                expected="no failing rows",
                engine="dbt",
            )
        )
    return outcomes


def record_dbt_results(
    warehouse: str | Path, run_results: dict[str, Any], manifest: dict[str, Any], run_id: str
) -> None:
    with connect(warehouse) as connection:
        store_outcomes(connection, dbt_outcomes(run_results, manifest), run_id)
