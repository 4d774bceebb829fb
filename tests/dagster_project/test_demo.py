"""`make demo` as a data engineer meets it: a line per stage, dbt's log in a file, one count of checks
that the Dagster run, `quality.quality_results`, the BI snapshot and the scorecard agree on; and a second
demo with nothing new at the sources says so and keeps the snapshot it published."""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from connectors.embedded import SimulatorProcess
from dagster_project.changes import since_last_snapshot
from dagster_project.demo_progress import STAGES
from dagster_project.paths import DBT_PROJECT_DIR, REPO_ROOT, copy_dbt_project
from dagster_project.quality.counts import count_checks
from tests.conftest import copy_warehouse, extract_all
from tests.deployment_helpers import environment_with, run_command

DEMO_SEED = 42  # the embedded default the demo reads
STAGE_LINE = re.compile(rf"^({'|'.join(sorted(set(STAGES.values())))})\s+(.*)$")
DBT_COUNTS = re.compile(r"(\d+) of (\d+) tests passed")
GX_COUNTS = re.compile(r"(\d+) of (\d+) checks passed")
QUALITY_LINE = re.compile(
    r"^Quality: (\d+) of (\d+) checks passed \((\d+) dbt data tests, (\d+) great-expectations"
)
LOG_NAMED = re.compile(r"dbt's own log goes to (\S+)\.")


@dataclass(frozen=True)
class Demo:
    data: Path
    home: Path
    first: str
    second: str
    snapshots: tuple[str, str]  # `_snapshot.snapshot_id` after each run

    @property
    def warehouse(self) -> Path:
        return self.data / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.data / "published" / "warehouse.duckdb"


def _snapshot_id(published: Path) -> str:
    with duckdb.connect(str(published), read_only=True) as connection:
        return connection.execute("select snapshot_id from marts._snapshot").fetchone()[0]


def _demo(env: dict[str, str]) -> str:
    done = run_command([sys.executable, "-m", "dagster_project.demo"], env=env, timeout=1800)
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("demo")
    data, home = root / "data", root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster_project" / "dagster.yaml", home / "dagster.yaml")
    env = environment_with({"DCW_WAREHOUSE_PATH": str(data / "warehouse.duckdb"), "DAGSTER_HOME": str(home)})
    first = _demo(env)
    after_first = _snapshot_id(data / "published" / "warehouse.duckdb")
    second = _demo(env)
    return Demo(
        data, home, first, second, (after_first, _snapshot_id(data / "published" / "warehouse.duckdb"))
    )


def _stage_lines(output: str) -> list[tuple[str, str]]:
    return [match.groups() for line in output.splitlines() if (match := STAGE_LINE.match(line))]


def _pipeline_run(demo: Demo) -> dg.DagsterRun:
    with dg.DagsterInstance.from_config(str(demo.home)) as instance:
        runs = instance.get_runs(dg.RunsFilter(job_name="daily_pipeline"))
        assert len(runs) == 1, "the second demo started no pipeline run"
        return runs[0]


def test_the_demo_prints_a_line_per_stage_and_sends_dbts_log_to_the_file_it_names(demo: Demo):
    stages = [stage for stage, _ in _stage_lines(demo.first)]
    assert stages == ["extract", "conform", "gates", "marts", "gates", "publish", "scorecards", "scorecards"]
    assert not [line for line in demo.first.splitlines() if re.search(r"\b(START|PASS|OK created)\b", line)]
    assert len(demo.first.splitlines()) < 40
    log = Path(LOG_NAMED.search(demo.first)[1])
    assert log.parent == demo.data / "logs"
    text = log.read_text()
    assert "Found " in text and len(re.findall(r"\bPASS\b", text)) > 500


def test_the_demo_the_dagster_run_the_snapshot_and_the_scorecard_count_the_same_checks(demo: Demo):
    run = _pipeline_run(demo)
    with duckdb.connect(str(demo.warehouse), read_only=True) as connection:
        count = count_checks(connection, run.run_id)
    # the demo's summary: the run's count in quality.quality_results
    [quality] = [m.groups() for line in demo.first.splitlines() if (m := QUALITY_LINE.match(line))]
    assert tuple(map(int, quality)) == (count.passed, count.checks, count.dbt_tests, count.gx_checks)
    # the Dagster run: one asset check result per check, the same verdicts
    with dg.DagsterInstance.from_config(str(demo.home)) as instance:
        events = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    evaluations = [event.dagster_event.event_specific_data for event in events]
    assert (len(evaluations), sum(e.passed for e in evaluations)) == (count.checks, count.passed)
    # the stage lines add up to the same tests and checks
    tests = [
        DBT_COUNTS.search(text) for stage, text in _stage_lines(demo.first) if stage in ("conform", "marts")
    ]
    gates = [GX_COUNTS.search(text) for stage, text in _stage_lines(demo.first) if stage == "gates"]
    assert (
        sum(int(m[2]) for m in tests) == count.dbt_tests and sum(int(m[2]) for m in gates) == count.gx_checks
    )
    # the BI snapshot and the scorecard hold the department-level part, and say so
    with duckdb.connect(str(demo.published), read_only=True) as connection:
        bi = count_checks(connection, run.run_id)
    assert (bi.checks, bi.passed, bi.hr_tier) == (count.department_level, count.department_level_passed, 0)
    month = re.search(r"scorecards/(\d{4}-\d{2})/index.html", demo.first)[1]
    page = (demo.data / "scorecards" / month / "index.html").read_text("utf-8")
    assert (
        f"{count.department_level_passed} of {count.department_level} checks on department-level data" in page
    )


def test_a_second_demo_with_nothing_new_says_so_and_keeps_the_snapshot(demo: Demo):
    assert "Nothing changed at the sources since the snapshot of" in demo.second
    assert demo.snapshots[0] == demo.snapshots[1]
    assert [stage for stage, _ in _stage_lines(demo.second)] == ["extract"]
    assert re.search(r"^extract\s+27 raw tables: [\d,]+ records fetched, 0 new versions", demo.second, re.M)
    assert "Kept the published snapshot" in demo.second and "Published for BI" not in demo.second
    _pipeline_run(demo)  # still the first demo's only


def test_a_new_raw_version_or_an_edited_model_is_a_change(demo: Demo, tmp_path: Path):
    assert since_last_snapshot(demo.warehouse, demo.published, DBT_PROJECT_DIR).nothing_changed
    edited = copy_dbt_project(tmp_path / "dbt_project")
    model = edited / "models" / "marts" / "fct_department_contribution.sql"
    model.write_text(model.read_text() + "\n-- an edit\n")
    models = since_last_snapshot(demo.warehouse, demo.published, edited)
    assert not models.nothing_changed and "the dbt project differs" in models.describe()
    # a day later at the source: the real connector lands the new versions of one stream
    later = copy_warehouse(demo.warehouse, tmp_path / "later" / "warehouse.duckdb")
    with SimulatorProcess(seed=DEMO_SEED, scale="s", as_of=date(2026, 11, 3)) as simulator:
        landed = extract_all(later, simulator, streams=[("ticketing", "service_requests")])
    new = landed[("ticketing", "service_requests")].rows_inserted
    assert new > 0
    raw = since_last_snapshot(later, demo.published, DBT_PROJECT_DIR)
    assert (raw.nothing_changed, raw.new_versions) == (False, new)
    assert f"{new} new raw versions" in raw.describe()
