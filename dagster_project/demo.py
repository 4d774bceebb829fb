"""`make demo`: run the pipeline on the embedded default and print what it did.

It runs the real job through Dagster (recorded in `$DAGSTER_HOME`, so `make ui` shows the runs). A
partly configured deployment, or a warehouse another process holds, is refused at start with one line
on stderr (exit code 2), before the definitions load.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import dagster as dg

from connectors.deployment import PartialConfiguration, require_consistent_configuration
from connectors.landing.database import WarehouseLocked, check_not_held, connect
from connectors.landing.file_modes import keep_new_files_private, make_folder, make_private
from connectors.settings import warehouse_path
from dagster_project.assets.hr_scorecards import hr_scorecards_dir
from dagster_project.assets.publication import PUBLISHED_DB, published_dir
from dagster_project.assets.raw import LEDGER_KEY
from dagster_project.assets.scorecards import quarter_of, scorecards_dir
from dagster_project.changes import SinceLastSnapshot, since_last_snapshot
from dagster_project.demo_progress import with_progress
from dagster_project.jobs import extract_job, pipeline_job, publication_job
from dagster_project.paths import DBT_PROJECT_DIR
from dagster_project.publish.glossary import TERMS
from dagster_project.publish.ranking import latest_month, latest_ranking
from dagster_project.publish.snapshot import LOCAL_KEY_FILE
from dagster_project.quality.checks import quality_dir
from dagster_project.quality.counts import count_checks
from dagster_project.quality.record import QUALITY_RESULTS
from dagster_project.text_table import format_table

DBT_STEPS = ("conformed_sources", "warehouse_models")
LOG_FOLDER = "logs"
LOGS_KEPT = 10
OBSERVED_SHOWN = 160  # characters of a failed check's observation on the console; the UI has it all
# The exit code of a demo refused at start (a partial configuration, a held warehouse).
REFUSED = 2
SUMMARY_COLUMNS = ("rows_fetched", "rows_inserted", "rows_rejected", "rows_tombstoned", "pages", "seconds")


def _instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


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


def checks_summary(path: str | Path, result: dg.ExecuteInProcessResult) -> str:
    """The run's one count of checks (`quality.counts`), what failed, and the Dagster run's own count
    beside it when the two disagree (they should not: a test holds them equal)."""
    with connect(path, read_only=True) as connection:
        count = count_checks(connection, result.run_id)
        failed = connection.execute(
            f"select severity, asset, check_name, observed from {QUALITY_RESULTS} "
            "where run_id = ? and not passed order by severity, asset, check_name",
            [result.run_id],
        ).fetchall()
    if count is None:
        return "Quality: no check was recorded in this run."
    lines = [
        f"Quality: {count.describe()}, in {QUALITY_RESULTS} (run {result.run_id[:8]}); Data Docs: "
        f"{quality_dir(path)}/index.html",
    ]
    in_dagster = result.get_asset_check_evaluations()
    if len(in_dagster) != count.checks:
        lines.append(f"  (the Dagster run recorded {len(in_dagster)} asset check results)")
    for severity, asset, check, observed in failed:
        shown = observed if len(observed or "") <= OBSERVED_SHOWN else f"{observed[:OBSERVED_SHOWN]} ..."
        lines.append(f"  FAILED [{severity}] {asset} {check}: {shown}")
    return "\n".join(lines)


def models_summary(result: dg.ExecuteInProcessResult) -> str:
    """How many dbt models and seeds the run built (dbt's "Found N models, M seeds" less what did not run)."""
    built = Counter(
        str(m.metadata["unique_id"].value).split(".")[0]
        for node in DBT_STEPS
        for m in result.asset_materializations_for_node(node)
        if "unique_id" in m.metadata
    )
    return f"dbt: {built['model']} models and {built['seed']} seeds built."


def ranking_summary(path: str, top: int = 10) -> str:
    """The top of the latest month's ranking, read from the mart (Python never recomputes a score)."""
    with connect(path, read_only=True) as connection:
        period, columns, rows = latest_ranking(connection)
    header = [TERMS[column].en for column in columns]  # the scorecards' own words for the columns
    shown = format_table(header, [["" if v is None else str(v) for v in row] for row in rows[:top]])
    more = f"\n... and {len(rows) - top} more in marts.fct_department_contribution" if len(rows) > top else ""
    return f"Department contribution, {period} (0-100, core ~30 + extension ~70):\n{shown}{more}"


def publish_scorecards(definitions: dg.Definitions, snapshot: Path, out: TextIO) -> tuple[str, str]:
    """Run the monthly publication for the latest month in the snapshot, as the schedule would.
    Returns what it wrote, in words, and its run id."""
    with connect(snapshot, read_only=True) as connection:
        month = latest_month(connection)
    result = run_job(definitions, publication_job.name, out, partition_key=f"{month}-01")
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
    return "\n".join(lines), result.run_id


def run_job(definitions: dg.Definitions, name: str, out: TextIO, **options) -> dg.ExecuteInProcessResult:
    """One of the definitions' jobs, in this process, writing a line per stage to `out`."""
    job, run_config = with_progress(definitions.resolve_job_def(name), out)
    return job.execute_in_process(
        instance=_instance(), raise_on_error=False, run_config=run_config, **options
    )


def demo_log(warehouse: Path) -> Path:
    """A new log in `data/logs/` beside the working warehouse (HR tier: dbt names failing rows' keys);
    the `LOGS_KEPT` newest stay, so that a rerun that builds nothing keeps the log of the one that did."""
    folder = make_folder(warehouse.resolve().parent / LOG_FOLDER, readable=False)
    for old in sorted(folder.glob("demo-*.log"))[: -(LOGS_KEPT - 1)]:
        old.unlink()
    return folder / f"demo-{datetime.now(UTC):%Y%m%dT%H%M%S}.log"


def main(argv: Sequence[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    keep_new_files_private()
    refused = refuse_at_start()
    if refused is not None:
        return refused
    from dagster_project.definitions import defs

    return run_demo(defs, DBT_PROJECT_DIR)


def refuse_at_start() -> int | None:
    """`REFUSED`, said in one line on stderr, for a partial configuration or a warehouse another process
    holds; None when the demo can go on. Checked before the definitions load, which takes seconds."""
    try:
        require_consistent_configuration()
        check_not_held(warehouse_path())
    except (PartialConfiguration, WarehouseLocked) as refused:
        print(refused, file=sys.stderr)
        return REFUSED
    return None


def run_demo(
    definitions: dg.Definitions,
    project_dir: Path,
    planted: Callable[[dg.ExecuteInProcessResult], str] | None = None,
) -> int:
    """Run the demo on `definitions` and print its summary; the exit code.

    `planted` is for a run with defects planted on purpose (`devtools.planted_defects`): what to say of
    them in place of the ranking. Such a run builds even when nothing changed at the sources.
    """
    log = demo_log(warehouse_path())
    print(
        f"Running the pipeline into {warehouse_path()} (sources: the bundled simulator when none is "
        f"configured); dbt's own log goes to {log}.",
        flush=True,
    )
    started = time.monotonic()
    console = sys.stdout
    with log.open("w") as log_file, redirect_stdout(log_file):
        lines, runs, success = _run(definitions, project_dir, planted, console, log_file)
    print("\n".join(lines))
    elapsed = time.monotonic() - started
    print(f"The demo took {elapsed:.1f}s (Dagster runs: {', '.join(runs)}; `make ui` shows them).")
    if not success:
        print(
            "The pipeline did not complete: see the failed checks above and the run in `make ui`.",
            file=sys.stderr,
        )
        return 1
    return 0


def _run(
    definitions: dg.Definitions,
    project_dir: Path,
    planted: Callable[[dg.ExecuteInProcessResult], str] | None,
    console: TextIO,
    log: TextIO,
) -> tuple[list[str], list[str], bool]:
    """Extract; then, unless nothing changed since the last snapshot, build, check and publish.
    Returns the summary's lines, the runs' descriptions and whether everything ran."""
    extracted = run_job(definitions, extract_job.name, console)
    log.write(f"\nWhat each raw table received:\n{extraction_summary(extracted)}\n")
    runs = [f"extraction {extracted.run_id[:8]}"]
    if not extracted.success:
        return ["Extraction failed: nothing was built or published (see the line above)."], runs, False
    published = published_dir(warehouse_path())
    since = since_last_snapshot(warehouse_path(), published / PUBLISHED_DB, project_dir)
    if since.nothing_changed and planted is None:
        return _unchanged(since, published), runs, True
    result = run_job(definitions, pipeline_job.name, console, asset_selection=_after_extraction(definitions))
    runs.append(f"pipeline {result.run_id[:8]}")
    lines = [
        f"{models_summary(result)} dbt's own log, and what each raw table received: {log.name}",
        checks_summary(warehouse_path(), result),
    ]
    if planted is not None:
        lines.append(planted(result))
    elif result.success:
        lines.append(ranking_summary(str(warehouse_path())))
        lines.append(
            f"Published for BI: {published / PUBLISHED_DB} and {published / 'parquet'}/<table>.parquet"
        )
        written, run_id = publish_scorecards(definitions, published / PUBLISHED_DB, console)
        lines.append(written)
        runs.append(f"scorecards {run_id[:8]}")
    return lines, runs, result.success


def _unchanged(since: SinceLastSnapshot, published: Path) -> list[str]:
    """What a rerun with nothing new says: why, and what stays published. The HR tier gets its modes
    as a rebuild would give it: what an older version left readable is private after any run."""
    data = warehouse_path().resolve().parent
    make_private(
        hr_scorecards_dir(warehouse_path()).parent,
        quality_dir(warehouse_path()),
        data / LOCAL_KEY_FILE.parent,
    )
    reason = since.describe()
    with connect(warehouse_path(), read_only=True) as connection:
        count = count_checks(connection, since.snapshot_run)
    return [
        f"{reason[0].upper()}{reason[1:]}.",
        f"Kept the published snapshot {published / PUBLISHED_DB} and its scorecards: nothing was rebuilt "
        "or published again.",
        *([f"Quality of that run: {count.describe()}."] if count else []),
        ranking_summary(str(published / PUBLISHED_DB)),
    ]


def _after_extraction(definitions: dg.Definitions) -> list[dg.AssetKey]:
    """Every asset of the daily pipeline but the raw ones the extraction run just landed."""
    pipeline = definitions.resolve_job_def(pipeline_job.name).asset_layer.executable_asset_keys
    extracted = definitions.resolve_job_def(extract_job.name).asset_layer.executable_asset_keys
    return sorted(pipeline - extracted, key=lambda key: key.to_user_string())


if __name__ == "__main__":
    raise SystemExit(main())
