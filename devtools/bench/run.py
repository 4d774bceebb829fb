"""One bench run: the simulator, the product's stages each in a fresh child process, the baselines, and
the report, in a scratch folder of its own."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

from connectors.embedded import SimulatorProcess
from connectors.landing.file_modes import make_private
from devtools.bench.baselines import run_duckdb_baseline, run_http_baseline
from devtools.bench.extraction import WORKERS, all_jobs, every_stream
from devtools.bench.pipeline import (
    DEFINITIONS_LOAD_RUNS,
    PipelineRun,
    drop_models,
    measure_definitions_load,
    raw_rows,
    record_pipeline,
)
from devtools.bench.report import MEMORY_MEASURED, checks, previous_peak_at_s, stage_dict
from devtools.bench.sampling import GROUPS, SAMPLE_INTERVAL_S, TreeSampler
from devtools.bench.stages import Recorder
from simulator.company.org import DEFAULT_AS_OF_ISO

SCALES = ("s", "m", "l")
SEED = 42
DEFAULT_AS_OF = date.fromisoformat(DEFAULT_AS_OF_ISO)
# The simulator renders some deep pages slowly: at m, one JournalCorrections page walks every GL day
# (over a minute on this machine while the GL stream runs), past the product's 60 s read timeout, and
# each retry starts the same computation again beside the abandoned one. A real service answers in
# seconds; the bench waits longer instead, and says so in its report.
READ_TIMEOUT_S = 600.0
# Each finished stage, written as it finishes, in the run's scratch folder (what `--resume` reads).
STAGES_FILE = "stages.json"
# The run's scale and seed, written when it starts: a run is resumed at its own scale only.
RUN_FILE = "run.json"


def in_child(
    worker: str, args: Sequence[str], log: Path, out: Path, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Run `python -m devtools.bench --worker <worker>` (with `env` added to the environment)
    and read what it wrote to `out`."""
    with log.open("a") as output:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "devtools.bench",
                "--worker",
                worker,
                "--worker-out",
                str(out),
                *args,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the bench's {worker} process failed (exit {done.returncode}); see {log}")
    return json.loads(out.read_text())


class Bench:
    """One bench run: a scratch folder, a sampler, and the stages recorded as they finish."""

    def __init__(
        self,
        scale: str,
        out_dir: Path,
        *,
        read_timeout_s: float | None = READ_TIMEOUT_S,
        resume: Path | None = None,
        as_of: date = DEFAULT_AS_OF,
        echo: Callable[[str], None] = print,
    ) -> None:
        from connectors.sources import SOURCES

        self.scale = scale
        self.as_of = as_of
        self.sources = SOURCES
        self.read_timeout_s = read_timeout_s
        self.started = datetime.now(UTC)
        self.out_dir = out_dir
        if resume is None:
            self.stamp = self.started.strftime("%Y%m%dT%H%M%SZ")
            self.run_dir = out_dir / self.stamp
            self.run_dir.mkdir(parents=True, exist_ok=False)
            make_private(self.run_dir)  # a scratch warehouse and saved pages: person-level data
            begun = {"scale": scale, "seed": SEED, "as_of": as_of.isoformat()}
            (self.run_dir / RUN_FILE).write_text(json.dumps(begun) + "\n")
        else:
            self.stamp, self.run_dir = resume.name, resume
            if not (resume / RUN_FILE).exists():
                raise SystemExit(f"{resume} is not a bench run folder (no {RUN_FILE}): nothing to resume")
            begun = json.loads((resume / RUN_FILE).read_text())
            if begun["scale"] != scale:
                raise SystemExit(
                    f"{resume} is a run at scale {begun['scale']}; resume it with --scale {begun['scale']}"
                )
            if begun.get("as_of", DEFAULT_AS_OF_ISO) != as_of.isoformat():
                raise SystemExit(
                    f"{resume} is a run as of {begun.get('as_of', DEFAULT_AS_OF_ISO)}; resume it with "
                    f"--as-of {begun.get('as_of', DEFAULT_AS_OF_ISO)}"
                )
        self.warehouse = self.run_dir / "warehouse.duckdb"
        self.log = self.run_dir / "pipeline.log"
        self.sampler = TreeSampler()
        self.recorder = Recorder(self.sampler, self.run_dir / STAGES_FILE, echo)
        self.echo = echo

    def simulator(self, as_of: date) -> SimulatorProcess:
        simulator = SimulatorProcess(seed=SEED, scale=self.scale, as_of=as_of).start()
        self.sampler.add_simulator(int(simulator.endpoints["pid"]))
        return simulator

    def extraction_and_baselines(self, *, profile: bool, keep_pages: bool) -> None:
        """Extract and land every stream, then read the same pages for baselines (a) and (b).

        Each read gets a freshly started simulator: it builds parts of the company on first use and
        keeps them, so a second read from the same process would be served faster than the first, and
        the baseline would be measured against a warmer server than the product.
        """
        recorder, pages_dir = self.recorder, self.run_dir / "pages"
        if not recorder.done("extract_load"):
            with recorder.stage("simulator_start", "simulator start", "-", measured=("simulator",)):
                simulator = self.simulator(self.as_of)
            try:
                self.extract("extract_load", "extract + load (extract_streams, RawStore)", simulator, profile)
            finally:
                simulator.stop()
        if not recorder.done("baseline_http"):
            simulator = self.simulator(self.as_of)
            try:
                settings = {name: simulator.settings(name) for name in self.sources}
                jobs = all_jobs(settings, self.sources, self.read_timeout_s)
                with recorder.stage(
                    "baseline_http", "baseline (a): HTTP + JSON, nothing landed", "fetched"
                ) as out:
                    http, writer = run_http_baseline(jobs, pages_dir)
                    out["records"] = sum(http.records.values())
                    out.update(
                        pages=sum(http.pages.values()),
                        records_per_stream=http.records,
                        saved_files=writer.files,
                        saved_bytes=writer.bytes,
                        readers_waited_for_writer_s=round(writer.waited_s, 3),
                    )
            finally:
                simulator.stop()
        if not recorder.done("baseline_duckdb"):
            with recorder.stage(
                "baseline_duckdb", "baseline (b): DuckDB read_json of the saved pages", "rows landed"
            ) as out:
                local = run_duckdb_baseline(
                    pages_dir, self.run_dir / "pages.duckdb", every_stream(self.sources)
                )
                out["records"] = sum(local["rows"].values())
                out.update(local)
        if not keep_pages:
            shutil.rmtree(pages_dir, ignore_errors=True)
            (self.run_dir / "pages.duckdb").unlink(missing_ok=True)

    def extract(self, name: str, label: str, simulator: SimulatorProcess, profile: bool = False) -> None:
        """The product's extraction in a child process; the stage is the child's own start to end."""
        self.echo(f"{label} ...")
        args = ["--warehouse", str(self.warehouse), "--read-timeout", str(self.read_timeout_s or 0)]
        args += ["--profile"] if profile else []
        # The simulator's endpoints as DCW_<SOURCE>_* variables: how a real service is configured too.
        done = in_child("extract", args, self.log, self.run_dir / f"{name}.json", simulator.environment())
        detail = done["detail"]
        self.recorder.add(
            name, label, done["started"], done["finished"], detail["records"], "fetched", detail
        )

    def pipeline(self, prefix: str = "", label: str = "") -> PipelineRun:
        out = self.run_dir / f"{prefix}pipeline.json"
        if self.recorder.done(f"{prefix}pipeline"):
            return PipelineRun(**json.loads(out.read_text()))
        if not prefix:
            drop_models(self.warehouse)
        self.echo(f"{label}pipeline (dbt, quality gates, publication) through Dagster; log: {self.log}")
        args = ["--warehouse", str(self.warehouse), "--log", str(self.log)]
        run = PipelineRun(**in_child("pipeline", args, self.log, out))
        record_pipeline(self.recorder, run, prefix, label, raw_rows(self.warehouse))
        return run

    def total(self, name: str, label: str, extraction: str, run: PipelineRun, counts: str) -> float:
        """A whole run, extraction then pipeline, as the daily job would run them back to back."""
        extracted = self.recorder.stages[extraction]
        seconds = extracted.seconds + run.seconds
        records = extracted.records if counts == "fetched" else raw_rows(self.warehouse)
        self.recorder.add(
            name, label, extracted.started_at, run.finished_at, records, counts, seconds=seconds
        )
        return seconds

    def incremental(self) -> PipelineRun:
        """The next day: the simulator restarted one day later, extraction and pipeline on the same
        warehouse (cursors committed, dbt models as they are)."""
        next_day = self.as_of + timedelta(days=1)
        if not self.recorder.done("incr_extract_load"):
            self.echo(f"incremental: the simulator one day later ({next_day}) ...")
            simulator = self.simulator(next_day)
            try:
                self.extract("incr_extract_load", "incremental: extract + load", simulator)
            finally:
                simulator.stop()
        return self.pipeline("incr_", "incremental: ")

    def definitions_load(self, runs: int) -> dict[str, Any]:
        with self.recorder.stage(
            "definitions_load", "definitions load (fresh interpreter)", "assets", measured=("product",)
        ) as out:
            definitions = measure_definitions_load(runs)
            out["records"] = definitions["assets"]
            out.update(definitions)
        # The figure is the median import-and-resolve, not the wall time of all the interpreters.
        self.recorder.stages["definitions_load"].seconds = round(definitions["seconds"], 3)
        return definitions

    def report(
        self, full: PipelineRun, incremental_ratio: float | None, definitions: dict[str, Any]
    ) -> tuple[dict[str, Any], Path]:
        """Every figure as JSON beside the scratch folder, with the targets checked."""
        stages = self.recorder.stages
        peak = max(
            stages[name].peak_rss_mib
            for name in ("extract_load", "pipeline", "incr_extract_load", "incr_pipeline")
            if name in stages
        )
        json_path = self.out_dir / f"{self.stamp}.json"
        at_s, s_file = (None, None) if self.scale == "s" else previous_peak_at_s(self.out_dir, json_path)
        report: dict[str, Any] = {
            "scale": self.scale,
            "seed": SEED,
            "as_of": self.as_of.isoformat(),
            "started": self.started.isoformat(timespec="seconds"),
            "run_dir": str(self.run_dir),
            "workers": WORKERS,
            "read_timeout_s": self.read_timeout_s,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "duckdb": duckdb.__version__,
                "dagster": version("dagster"),
                "load_average_at_end": os.getloadavg(),
            },
            "success": full.success,
            "failed_checks": full.failed_checks,
            "stages": {name: stage_dict(stage) for name, stage in stages.items()},
            "pipeline_peak_rss_mib": peak,
            "memory_measured": MEMORY_MEASURED,
            "peak_rss_by_group_mib": {
                group: max(stage.peak_rss_by_group_mib.get(group, 0.0) for stage in stages.values())
                for group in GROUPS
            },
            "peak_vs_s": peak / at_s if at_s else None,
            "peak_at_s_from": s_file,
            "incremental_ratio": incremental_ratio,
            "definitions_load": definitions,
        }
        report["checks"] = [asdict(c) for c in checks(report)]
        json_path.write_text(json.dumps(report, indent=2, default=str) + "\n")
        return report, json_path


def run_bench(
    scale: str,
    out_dir: Path,
    *,
    incremental: bool = True,
    keep_pages: bool = False,
    read_timeout_s: float | None = READ_TIMEOUT_S,
    definitions_runs: int = DEFINITIONS_LOAD_RUNS,
    profile: bool = False,
    resume: Path | None = None,
    as_of: date = DEFAULT_AS_OF,
    echo: Callable[[str], None] = print,
) -> tuple[dict[str, Any], Path]:
    """Run every stage at `scale` (of a stopped run in `resume`, those that did not finish); return the
    report and the path of its JSON file."""
    bench = Bench(scale, out_dir, read_timeout_s=read_timeout_s, resume=resume, as_of=as_of, echo=echo)
    echo(
        f"Bench at scale {scale} in {bench.run_dir}: process tree sampled every {SAMPLE_INTERVAL_S}s, "
        + (f"read timeout {read_timeout_s:.0f}s (the product: 60s)" if read_timeout_s else "product timeouts")
    )
    bench.sampler.start()
    try:
        bench.extraction_and_baselines(profile=profile, keep_pages=keep_pages)
        full = bench.pipeline()
        full_s = bench.total(
            "full_run", "full run: extract + load + pipeline", "extract_load", full, "raw rows"
        )
        incremental_ratio = None
        if incremental and full.success:
            incr = bench.incremental()
            incr_s = bench.total(
                "incr_run", "incremental run: extract + load + pipeline", "incr_extract_load", incr, "fetched"
            )
            incremental_ratio = incr_s / full_s
        definitions = bench.definitions_load(definitions_runs)
    finally:
        bench.sampler.stop()
    return bench.report(full, incremental_ratio, definitions)
