"""`make demo`: run the pipeline on the embedded default and print what it did.

It runs the real job through Dagster (recorded in `$DAGSTER_HOME`, so `make ui` shows the runs). A
partly configured deployment, or a warehouse another process holds, is refused at start with one line
on stderr (exit code 2), before the definitions load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from connectors.deployment import PartialConfiguration, require_consistent_configuration
from connectors.landing.database import WarehouseLocked, check_not_held, connect
from connectors.landing.file_modes import keep_new_files_private, make_private
from connectors.settings import SIMULATOR_DEFECTS_ENV, WAREHOUSE_PATH_ENV, warehouse_path
from dagster_project.assets.hr_scorecards import hr_scorecards_dir
from dagster_project.assets.publication import PUBLISHED_DB, published_dir
from dagster_project.assets.raw import LEDGER_KEY
from dagster_project.assets.scorecards import quarter_of, scorecards_dir
from dagster_project.jobs import pipeline_job, publication_job
from dagster_project.planted_defects import (
    ALL_KINDS,
    CAUGHT_BY,
    SCHEME_DEFECT,
    dbt_project_with_scheme_defect,
    parse_defects,
    simulator_defects,
)
from dagster_project.publish.ranking import latest_month, latest_ranking
from dagster_project.quality.checks import CHECKS, quality_dir
from dagster_project.resources import Warehouse

# The demo prints its own summary; Dagster's console says only what went wrong. The UI has the full log.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
DBT_STEPS = ("conformed_sources", "warehouse_models")
GX_CHECKS = frozenset(check.name for check in CHECKS)
# The exit code of a demo refused at start (a partial configuration, a held warehouse).
REFUSED = 2
SUMMARY_COLUMNS = ("rows_fetched", "rows_inserted", "rows_rejected", "rows_tombstoned", "pages", "seconds")


def _instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: numeric columns right-aligned, text left-aligned."""
    columns = list(zip(header, *rows, strict=True))
    widths = [max(len(str(v)) for v in column) for column in columns]
    numeric = [all(_is_number(v) for v in column[1:]) for column in columns]
    lines = []
    for row in (header, *rows):
        cells = [
            str(v).rjust(w) if right else str(v).ljust(w)
            for v, w, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _is_number(value: object) -> bool:
    if isinstance(value, int | float) or value == "":
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def extraction_summary(result: dg.ExecuteInProcessResult) -> str:
    rows = []
    for materialization in result.asset_materializations_for_node("extract_raw"):
        if materialization.asset_key == LEDGER_KEY:
            continue
        meta = {k: v.value for k, v in materialization.metadata.items()}
        rows.append([materialization.asset_key.path[-1], *(meta.get(c, "") for c in SUMMARY_COLUMNS)])
    rows.sort()
    totals = [
        "total",
        *(sum(r[i] for r in rows) if c != "seconds" else "" for i, c in enumerate(SUMMARY_COLUMNS, 1)),
    ]
    header = ["raw table", "fetched", "new versions", "rejected", "deleted", "pages", "seconds"]
    return format_table(header, [*rows, totals])


def models_summary(result: dg.ExecuteInProcessResult) -> str:
    built = [
        m.asset_key.to_user_string()
        for node in DBT_STEPS
        for m in result.asset_materializations_for_node(node)
    ]
    checks = result.get_asset_check_evaluations()
    gates = [e for e in checks if e.check_name in GX_CHECKS]
    tests = [e for e in checks if e.check_name not in GX_CHECKS]
    lines = [
        *(f"FAILED step {e.step_key}: {_failure(e)}" for e in result.all_events if e.is_step_failure),
        f"dbt: {len(built)} models built, {sum(e.passed for e in tests)} of {len(tests)} tests passed.",
        f"quality gates: {sum(e.passed for e in gates)} of {len(gates)} passed "
        f"(marts.quality_results; Data Docs in {quality_dir(warehouse_path())}/index.html).",
    ]
    for e in [*tests, *gates]:
        if not e.passed:
            severity = "BLOCKING" if e.severity == dg.AssetCheckSeverity.ERROR else "warning"
            observed = e.metadata.get("observed")
            detail = f": {observed.value}" if observed is not None else ""
            lines.append(f"  FAILED [{severity}] {e.asset_key.to_user_string()} {e.check_name}{detail}")
    return "\n".join(lines)


def _failure(event: dg.DagsterEvent) -> str:
    """A failed step's own words: a `dg.Failure`'s description, else the error's message."""
    error = event.step_failure_data.error
    if event.step_failure_data.user_failure_data and event.step_failure_data.user_failure_data.description:
        return event.step_failure_data.user_failure_data.description
    return error.message.strip() if error else "failed"


def defects_summary(result: dg.ExecuteInProcessResult, kinds: tuple[str, ...]) -> str:
    """For each planted defect: which check caught it, and where it says the problem is."""
    failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    lines = ["Planted defects:"]
    for kind in kinds:
        check = CAUGHT_BY[kind]
        evaluation = failed.get(check)
        if evaluation is None:
            lines.append(f"  {kind}: NOT CAUGHT (expected {check} to fail)")
            continue
        observed = evaluation.metadata.get("observed")
        where = observed.value if observed is not None else "failing rows in the dbt test"
        lines.append(f"  {kind}: caught by {check} on {evaluation.asset_key.to_user_string()}: {where}")
    skipped = [step for step in DBT_STEPS if not result.asset_materializations_for_node(step)]
    lines.append(f"Not run, because blocking checks failed upstream: {', '.join(skipped) or 'nothing'}.")
    return "\n".join(lines)


def ranking_summary(path: str, top: int = 10) -> str:
    """The top of the latest month's ranking, read from the mart (Python never recomputes a score)."""
    with connect(path, read_only=True) as connection:
        period, header, rows = latest_ranking(connection)
    shown = format_table(header, [["" if v is None else str(v) for v in row] for row in rows[:top]])
    more = f"\n... and {len(rows) - top} more in marts.fct_department_contribution" if len(rows) > top else ""
    return f"Department contribution, {period} (0-100, core ~30 + extension ~70):\n{shown}{more}"


def publish_scorecards(definitions: dg.Definitions, snapshot: Path) -> str:
    """Run the monthly publication for the latest month in the snapshot, as the schedule would."""
    with connect(snapshot, read_only=True) as connection:
        month = latest_month(connection)
    result = definitions.resolve_job_def(publication_job.name).execute_in_process(
        instance=_instance(), partition_key=f"{month}-01", raise_on_error=False, run_config=QUIET_CONSOLE
    )
    done = {event.asset_key for event in result.get_asset_materialization_events()}
    not_done = f"were not published: see run {result.run_id} in `make ui`."
    folder, hr = scorecards_dir(warehouse_path()), hr_scorecards_dir(warehouse_path())
    lines = [
        f"Scorecards: {folder / month / 'index.html'} (中文: {folder / month / 'zh' / 'index.html'}), "
        f"{folder / month / f'scorecard_{month}.xlsx'}; the quarter so far in {folder / quarter_of(month)}/"
        if dg.AssetKey(["published", "scorecards"]) in done
        else f"Scorecards for {month} {not_done}",
        f"HR-only employee scorecards (names: keep within HR): {hr / month / 'index.html'}, a page and "
        f"<department>.xlsx per department; the quarter so far in {hr / quarter_of(month)}/"
        if dg.AssetKey(["hr", "employee_scorecards"]) in done
        else f"HR employee scorecards for {month} {not_done}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--defects",
        default="",
        help=f"plant defects to see the quality gates catch them: all, or some of {', '.join(ALL_KINDS)}",
    )
    kinds = parse_defects(parser.parse_args(argv).defects)
    keep_new_files_private()
    try:
        require_consistent_configuration()
        check_not_held(warehouse_path())
    except (PartialConfiguration, WarehouseLocked) as refused:
        print(refused, file=sys.stderr)
        return REFUSED
    from dagster_project.definitions import build_definitions, defs

    definitions = defs
    if kinds:
        scratch = warehouse_path().resolve().parent / "defects"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        make_private(scratch)
        os.environ[WAREHOUSE_PATH_ENV] = str(scratch / "warehouse.duckdb")
        os.environ[SIMULATOR_DEFECTS_ENV] = simulator_defects(kinds)
        project = dbt_project_with_scheme_defect(scratch / "dbt_project") if SCHEME_DEFECT in kinds else None
        definitions = build_definitions(Warehouse(path=str(warehouse_path())), project)
        print(f"Planting defects: {', '.join(kinds)} (in a scratch warehouse; the working one is untouched).")
    print(
        f"Running the pipeline into {warehouse_path()}: extraction (from the bundled simulator when no "
        "source is configured), dbt build with the quality gates between its steps ...",
        flush=True,
    )
    started = time.monotonic()
    result = definitions.resolve_job_def(pipeline_job.name).execute_in_process(
        instance=_instance(), raise_on_error=False, run_config=QUIET_CONSOLE
    )
    print(extraction_summary(result))
    print(models_summary(result))
    if kinds:
        print(defects_summary(result, kinds))
    elif result.success:
        print(ranking_summary(str(warehouse_path())))
        published = published_dir(warehouse_path())
        print(f"Published for BI: {published / PUBLISHED_DB} and {published / 'parquet'}/<table>.parquet")
        print(publish_scorecards(definitions, published / PUBLISHED_DB))
    elapsed = time.monotonic() - started
    print(f"The pipeline took {elapsed:.1f}s (Dagster run {result.run_id}; `make ui` shows it).")
    if not result.success:
        print(
            "The pipeline did not complete: see the failed checks above and the run in `make ui`.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
