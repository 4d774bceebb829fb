"""`make bench SCALE=s|m|l`: how fast, and in how much memory, the pipeline runs at a given scale.

It starts the bundled simulator (seed 42) at the scale, then measures, in a scratch folder
`data/bench/<timestamp>/` with its own warehouse (the working `data/warehouse.duckdb` is never opened):

1. extraction and load of every stream, through the product's own path (`extract_streams` and a
   `RawStore`, what the `extract_raw` asset runs);
2. the rest of `daily_pipeline` through Dagster (dbt's two steps with their tests, the great-expectations
   gates between them, the BI snapshot), each Dagster step timed from its start and end events;
3. two baselines over the same pages, so that the extraction's number means something: (a) the same
   streams read over HTTP by the same readers and paginators, JSON parsed, nothing landed; (b) those
   pages' bodies, saved to files during (a), landed by DuckDB's own JSON reader, one row per record;
4. an incremental run: the simulator restarted one day later (about 1% of records change), extraction
   and the pipeline again on the same warehouse, as a ratio of the full run;
5. how long a fresh interpreter takes to import `dagster_project.definitions` and resolve the asset graph.

The product's work (extraction, the Dagster run with dbt's subprocesses) runs in a fresh child process
per stage, as a deployment runs a step, so that its memory is its own: the bench process itself (the
harness, which also runs the baselines) and the simulator (which stands in for the remote services)
are measured apart. Memory is the peak RSS of the process tree doing a stage's work (for the
product: the child and dbt), sampled from /proc every 0.2 s; CPU seconds are split between the
harness, the simulator and the product, which says whether a stage waited or computed. It writes
`data/bench/<timestamp>.json` with every figure and prints a table with the issue's targets, marked
pass or fail. Timings are wall-clock on a shared machine: compare runs, not single digits.

Each stage is saved to the scratch folder's `stages.json` as it finishes, so that a run that stops (l takes
about 75 minutes) is finished with `--resume data/bench/<timestamp>`, not started over.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dagster as dg
import duckdb
import requests

from connectors.core.http import HttpClient
from connectors.core.source import Source
from connectors.core.streams import ReadContext
from connectors.embedded import SimulatorProcess, configured_settings
from connectors.landing.database import connect
from connectors.landing.file_modes import make_private
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import StreamJob, StreamResult, extract_streams
from connectors.landing.tables import RAW_SCHEMA, raw_table_name
from connectors.settings import SourceSettings, warehouse_path
from connectors.simulator.org import DEFAULT_AS_OF_ISO
from dagster_project.demo import format_table
from dagster_project.demo_progress import QUIET_CONSOLE
from dagster_project.jobs import pipeline_job, raw_selection
from dagster_project.resources import Warehouse

SCALES = ("s", "m", "l")
SEED = 42
DEFAULT_AS_OF = date.fromisoformat(DEFAULT_AS_OF_ISO)
SAMPLE_INTERVAL_S = 0.2
MIB = 1024 * 1024
# The extraction's concurrency, so that baseline (a) reads with exactly as many threads as the product.
WORKERS = inspect.signature(extract_streams).parameters["workers"].default
DEFINITIONS_LOAD_RUNS = 3
# The simulator renders some deep pages slowly: at m, one JournalCorrections page walks every GL day
# (over a minute on this machine while the GL stream runs), past the product's 60 s read timeout, and
# each retry starts the same computation again beside the abandoned one. A real service answers in
# seconds; the bench waits longer instead, and says so in its report.
READ_TIMEOUT_S = 600.0

# Dagster steps of `daily_pipeline` after extraction, in the order they run, with the bench's names.
STEPS = {
    "conformed_sources": "dbt: conformed sources (build)",
    "conformed_sources_tests": "dbt: conformed sources' tests",
    "quality_gates": "quality gates (great-expectations)",
    "warehouse_models": "dbt: metrics and marts (build)",
    "published__bi_snapshot": "publication (BI snapshot)",
}
DBT_STEPS = ("conformed_sources", "conformed_sources_tests", "warehouse_models")
PUBLICATION_STEP = "published__bi_snapshot"

# Responses that steer a read but carry no records (BambooHR's ids-only change feed, Jira's /myself):
# not saved for baseline (b), which lands records only.
CONTROL_PATHS = ("/employees/changed", "/myself")
# Where the records sit in each saved body, for baseline (b): the stream's `records_at`, except for the
# readers that dig them out themselves (a report's rows, collections keyed by id).
RECORDS_AT = {"hr/reviews": "$.employees", "hr/training_types": "$.*", "hr/training_records": "$.*"}

# The targets (set for scale l; shown at every scale).
EXTRACTION_VS_HTTP_MIN = 0.70
DBT_BUILD_MAX_S = 90.0
PEAK_RSS_MAX_MIB = 1024.0
PEAK_GROWTH_MAX = 1.5
INCREMENTAL_MAX = 0.10
DEFINITIONS_LOAD_MAX_S = 5.0
# DuckDB's default largest JSON document; a saved body can be larger (the 360 report at l: 25 MB).
DUCKDB_MAX_OBJECT_BYTES = 16 << 20
# What the peak figures measure; a report measured otherwise is not compared with (l against s).
MEMORY_MEASURED = "product tree: a child process per stage and its dbt subprocesses"
# Each finished stage, written as it finishes, in the run's scratch folder (what `--resume` reads).
STAGES_FILE = "stages.json"
# The run's scale and seed, written when it starts: a run is resumed at its own scale only.
RUN_FILE = "run.json"


# --- the process tree, from /proc ----------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _read_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used) of a live process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain anything: the fields start after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_tree(root: int) -> dict[int, float]:
    """Every live process in the tree under `root` (itself included), with its CPU seconds so far."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _read_stat(int(entry.name))
            if stat is not None:
                parents[int(entry.name)], cpu[int(entry.name)] = stat
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in cpu:
            tree[pid] = cpu[pid]
            todo.extend(children.get(pid, ()))
    return tree


def rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 once it has exited: kernel threads and zombies have none)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# The bench process (it runs the baselines), the simulator, and everything else: the product's children.
GROUPS = ("harness", "simulator", "product")


@dataclass(frozen=True)
class Sample:
    at: float  # time.time(), comparable with Dagster's event timestamps
    rss: dict[str, int]  # per group: this process, the simulator, the rest (dbt)
    cpu: dict[str, float]  # cumulative CPU seconds per group

    @property
    def total(self) -> int:
        return sum(self.rss.values())


class TreeSampler:
    """Samples the RSS and CPU time of this process and all its descendants in a background thread.

    Psutil-free on purpose (one dependency fewer): /proc has all of it. The tree is re-read at every
    sample, so dbt's short-lived subprocesses count while they live. CPU is kept per process as last
    seen, so a process that exits keeps its share in the cumulative totals.
    """

    def __init__(self, interval_s: float = SAMPLE_INTERVAL_S, root: int | None = None) -> None:
        self.interval_s = interval_s
        self.root = root or os.getpid()
        self.samples: list[Sample] = []
        self._simulators: set[int] = set()
        self._cpu_seen: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)

    def add_simulator(self, pid: int) -> None:
        """Count this process (a simulator started by the bench) in the simulator's group."""
        with self._lock:
            self._simulators.add(pid)

    def start(self) -> TreeSampler:
        self.sample()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def sample(self) -> Sample:
        """Take one sample now (also called at stage boundaries, so no stage is shorter than its data)."""
        tree = process_tree(self.root)
        with self._lock:
            rss = dict.fromkeys(GROUPS, 0)
            for pid, seconds in tree.items():
                group = (
                    "harness" if pid == self.root else "simulator" if pid in self._simulators else "product"
                )
                rss[group] += rss_bytes(pid)
                self._cpu_seen[pid] = (group, seconds)
            cpu = dict.fromkeys(GROUPS, 0.0)
            for group, seconds in self._cpu_seen.values():
                cpu[group] += seconds
            sample = Sample(at=time.time(), rss=rss, cpu=cpu)
            self.samples.append(sample)
        return sample

    def window(self, start: float, end: float, groups: Sequence[str] = GROUPS) -> dict[str, Any]:
        """Peak RSS of `groups` together, and peak RSS and CPU seconds per group, between two instants."""
        with self._lock:
            inside = [s for s in self.samples if start <= s.at <= end]
            before = [s for s in self.samples if s.at <= start]
        if not inside:
            return {"peak_rss": 0, "peak_rss_by_group": {}, "cpu": {}}
        first = before[-1] if before else inside[0]
        last = inside[-1]
        return {
            "peak_rss": max(sum(s.rss[g] for g in groups) for s in inside),
            # Each group's own peak (they need not coincide): who holds the memory.
            "peak_rss_by_group": {g: max(s.rss[g] for s in inside) for g in GROUPS},
            "cpu": {g: round(last.cpu[g] - first.cpu[g], 2) for g in GROUPS},
        }


# Where a thread pool's thread waits for work (`concurrent.futures.thread._worker`): idle, not sampled.
IDLE_WORKER = "_worker"
# Frames every thread has (thread start, the pool's loop, the runner's wrapper): left out of inclusive.
PLUMBING = ("/threading.py:", "futures/thread.py:", "landing/runner.py:run")


class StackSampler:
    """A sampling profiler for the extraction's threads (`sys._current_frames`, no py-spy needed).

    Every few milliseconds it notes where each stream thread is: the innermost function (self time) and
    every function on the stack (inclusive time). A thread blocked in a socket read or in DuckDB shows
    at that call, so waiting and computing are told apart. It holds the GIL while sampling: expect the
    profiled run to be a few percent slower.
    """

    def __init__(self, thread_prefix: str = "stream", interval_s: float = 0.005) -> None:
        self.thread_prefix = thread_prefix
        self.interval_s = interval_s
        self.samples = 0
        self.own: dict[str, int] = {}
        self.inclusive: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-profiler", daemon=True)

    def __enter__(self) -> StackSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _where(frame: Any, line: bool = False) -> str:
        code = frame.f_code
        parts = Path(code.co_filename).parts
        # A library by its package name, the project's own code by folder and module.
        package = parts.index("site-packages") + 1 if "site-packages" in parts else None
        short = parts[package] if package is not None else "/".join(parts[-2:])
        return f"{short}:{code.co_name}" + (f":{frame.f_lineno}" if line else "")

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if not names.get(ident, "").startswith(self.thread_prefix):
                    continue
                if frame.f_code.co_name == IDLE_WORKER:
                    continue  # a pool thread with no stream left to read
                self.samples += 1
                top = self._where(frame, line=True)
                self.own[top] = self.own.get(top, 0) + 1
                seen = set()
                while frame is not None:
                    where = self._where(frame)
                    if not any(part in where for part in PLUMBING):
                        seen.add(where)
                    frame = frame.f_back
                for where in seen:
                    self.inclusive[where] = self.inclusive.get(where, 0) + 1

    def summary(self, top: int = 15) -> dict[str, Any]:
        """The top functions by self and by inclusive share of the thread samples."""

        def share(counts: dict[str, int]) -> dict[str, float]:
            ranked = sorted(counts.items(), key=lambda item: -item[1])[:top]
            return {where: round(n / max(1, self.samples), 3) for where, n in ranked}

        return {
            "busy_thread_samples": self.samples,
            "self": share(self.own),
            "inclusive": share(self.inclusive),
        }


# --- stages ----------------------------------------------------------------------------------------------


@dataclass
class Stage:
    """One measured stage. `records` says what was counted in `counts` (fetched, raw rows, published)."""

    name: str
    label: str
    seconds: float
    records: int
    counts: str
    peak_rss_mib: float
    peak_rss_by_group_mib: dict[str, float]
    cpu_s: dict[str, float]
    started_at: float
    finished_at: float
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def records_per_s(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0


class Recorder:
    """Times stages and attaches each one's memory and CPU from the sampler."""

    def __init__(self, sampler: TreeSampler, saved: Path, echo: Callable[[str], None] = print) -> None:
        self.sampler = sampler
        self.saved = saved
        self.stages: dict[str, Stage] = (
            {name: Stage(**fields) for name, fields in json.loads(saved.read_text()).items()}
            if saved.exists()
            else {}
        )
        self.echo = echo

    def done(self, name: str) -> bool:
        """Whether `name` finished in this run or in the run being resumed (then it is not run again)."""
        if name in self.stages:
            self.echo(f"{self.stages[name].label}: recorded before ({self.stages[name].seconds:.1f}s), kept")
            return True
        return False

    def save(self) -> None:
        """Every finished stage, on disk as soon as it finishes: a long run that stops can resume."""
        self.saved.write_text(json.dumps({n: asdict(s) for n, s in self.stages.items()}, indent=1) + "\n")

    def add(
        self,
        name: str,
        label: str,
        start: float,
        end: float,
        records: int,
        counts: str,
        detail: dict[str, Any] | None = None,
        seconds: float | None = None,
        measured: Sequence[str] = ("product",),
    ) -> Stage:
        window = self.sampler.window(start, end, measured)
        stage = Stage(
            name=name,
            label=label,
            seconds=round(seconds if seconds is not None else end - start, 3),
            records=records,
            counts=counts,
            peak_rss_mib=round(window["peak_rss"] / MIB, 1),
            peak_rss_by_group_mib={g: round(v / MIB, 1) for g, v in window["peak_rss_by_group"].items()},
            cpu_s=window["cpu"],
            started_at=start,
            finished_at=end,
            detail=detail or {},
        )
        self.stages[name] = stage
        self.save()
        self.echo(
            f"  {label}: {stage.seconds:.1f}s, {records:,} records ({counts}), "
            f"peak RSS {stage.peak_rss_mib:.0f} MiB",
        )
        return stage

    @contextmanager
    def stage(
        self, name: str, label: str, counts: str, measured: Sequence[str] = ("harness",)
    ) -> Iterator[dict[str, Any]]:
        """Time the block; it fills `records` (and anything else, kept as detail) in the yielded dict."""
        self.echo(f"{label} ...")
        out: dict[str, Any] = {"records": 0}
        start = self.sampler.sample().at
        yield out
        end = self.sampler.sample().at
        records = out.pop("records")
        self.add(name, label, start, end, records, counts, out, measured=measured)


def with_read_timeout(source: Source, read_timeout_s: float | None) -> Source:
    """The same source, its clients waiting up to `read_timeout_s` for a response (None: unchanged)."""
    if read_timeout_s is None:
        return source
    make_client = source.client

    def client(settings: SourceSettings) -> HttpClient:
        made = make_client(settings)
        made.timeout = (made.timeout[0], read_timeout_s)
        return made

    return replace(source, client=client)


def every_stream(sources: Mapping[str, Source]) -> list[tuple[Source, str]]:
    """Every stream of every source, in registry order: what `extract_raw` runs on a full materialize."""
    return [(source, stream.name) for source in sources.values() for stream in source.streams]


def all_jobs(
    settings: Mapping[str, SourceSettings], sources: Mapping[str, Source], read_timeout_s: float | None
) -> list[StreamJob]:
    """A job for each of `every_stream`, its client waiting `read_timeout_s` for a page."""
    return [
        StreamJob(with_read_timeout(source, read_timeout_s), settings[source.name], stream)
        for source, stream in every_stream(sources)
    ]


def run_extraction(warehouse: Path, jobs: Sequence[StreamJob]) -> list[StreamResult]:
    """The product's extract-and-load path, exactly as the raw assets call it."""
    with RawStore(warehouse) as store:
        results, failures = extract_streams(store, jobs, workers=WORKERS)
    if failures:
        raise RuntimeError(f"{len(failures)} stream(s) failed to extract: {failures}")
    return results


class PageWriter:
    """Writes the saved bodies from its own thread: the reading threads only hand them over.

    Writing from the readers' threads would put file I/O (and the GIL handovers around it) into baseline
    (a)'s time; handing a body over costs a queue put. `waited_s` says how long readers were held up by
    a full queue (it should stay near zero: disks outrun the simulator).
    """

    def __init__(self, max_queued: int = 256) -> None:
        self.files = 0
        self.bytes = 0
        self.waited_s = 0.0
        self._queue: queue.Queue[tuple[Path, bytes] | None] = queue.Queue(max_queued)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="bench-page-writer", daemon=True)
        self._thread.start()

    def put(self, path: Path, body: bytes) -> None:
        started = time.perf_counter()
        self._queue.put((path, body))
        with self._lock:
            self.waited_s += time.perf_counter() - started
            self.files += 1
            self.bytes += len(body)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            path, body = item
            path.write_bytes(body)

    def hook(self, directory: Path) -> Callable[..., None]:
        """A `requests` response hook that saves each records-carrying body as one file in `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        numbers = itertools.count()

        def save(response: requests.Response, *args: object, **kwargs: object) -> None:
            if response.status_code == 200 and not urlsplit(response.url).path.endswith(CONTROL_PATHS):
                self.put(directory / f"{next(numbers):07d}.json", response.content)

        return save


@dataclass
class HttpBaseline:
    """Baseline (a): what reading the same pages costs with no validation and no landing."""

    records: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, stream: str, records: int, pages: int) -> None:
        with self._lock:
            self.records[stream] = records
            self.pages[stream] = pages


def read_without_landing(job: StreamJob, baseline: HttpBaseline, pages_dir: Path, writer: PageWriter) -> None:
    """Read one stream as `extract_stream` does on a first load (no cursor), and drop the records.

    The same client, retry policy, reader and paginator, so the same requests go out in the same order.
    """
    stream = job.source.stream(job.stream)
    client = job.source.connect(job.settings)
    name = f"{job.source.name}/{stream.name}"
    # The client's own session, so that saving sees exactly the bytes the reader parsed.
    client._session.hooks["response"].append(writer.hook(pages_dir / name.replace("/", "__")))
    records = pages = 0
    try:
        for page in stream.pages(ReadContext(client=client, stream=stream, cursor=None)):
            records += len(page.records)
            pages += 1
    finally:
        client.close()
    baseline.add(name, records, pages)


def run_http_baseline(jobs: Sequence[StreamJob], pages_dir: Path) -> tuple[HttpBaseline, PageWriter]:
    """Baseline (a) with the extraction's concurrency (one thread per stream, as many at once); the
    bodies are saved under `pages_dir` for baseline (b)."""
    baseline = HttpBaseline()
    writer = PageWriter()
    try:
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="baseline") as pool:
            futures = [pool.submit(read_without_landing, job, baseline, pages_dir, writer) for job in jobs]
            for future in futures:
                future.result()
    finally:
        writer.close()
    return baseline, writer


def records_at(source: Source, stream: str) -> str | None:
    """The JSON path of the records in one saved body of the stream; None: the body is the records."""
    name = f"{source.name}/{stream}"
    if name in RECORDS_AT:
        return RECORDS_AT[name]
    located = source.stream(stream).records_at
    return f"$.{located}" if isinstance(located, str) else None


def object_size_option(directory: Path) -> str:
    """`maximum_object_size` for a stream whose largest body exceeds DuckDB's default, else nothing:
    DuckDB sizes its read buffers by it, so raising it everywhere costs memory for nothing."""
    largest = max(path.stat().st_size for path in directory.glob("*.json"))
    return "" if largest < DUCKDB_MAX_OBJECT_BYTES else f", maximum_object_size = {2 * largest}"


def run_duckdb_baseline(
    pages_dir: Path, database: Path, streams: Sequence[tuple[Source, str]]
) -> dict[str, Any]:
    """Baseline (b): DuckDB's JSON reader lands the saved bodies, one JSON row per record per stream.

    The rows have the raw layer's payload shape (the record as JSON), so the comparison is with what
    landing costs when nothing but DuckDB touches the bytes. (`read_json_objects` rather than a typed
    `read_json`: the raw layer keeps JSON, and inferring one schema over thousands of files with
    `union_by_name` runs out of memory at scale m.) DuckDB runs with its own defaults, not the
    product's `DCW_DUCKDB_MEMORY_LIMIT`: at l a 25 MB report body needs buffers past 300 MB, and this
    is a speed reference whose memory is the harness's, reported apart from the product's.
    """
    rows: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with duckdb.connect(str(database)) as con:
        for source, stream in streams:
            name = f"{source.name}/{stream}"
            directory = pages_dir / name.replace("/", "__")
            if not any(directory.glob("*.json")):
                rows[name], seconds[name] = 0, 0.0
                continue
            files = f"{directory}/*.json"
            path = records_at(source, stream)
            record = f"unnest(json_extract(json, '{path}')::json[])" if path else "json"
            table = raw_table_name(source.name, stream)
            started = time.perf_counter()
            con.execute(
                f"create or replace table {table} as select {record} as _payload "
                f"from read_json_objects('{files}', format = 'auto'{object_size_option(directory)})"
            )
            seconds[name] = time.perf_counter() - started
            rows[name] = con.execute(f"select count(*) from {table}").fetchone()[0]
    return {"rows": rows, "seconds_per_stream": {k: round(v, 3) for k, v in seconds.items()}}


def drop_models(warehouse: Path) -> None:
    """Leave the warehouse as extraction leaves it, so that the full run builds every model from raw:
    a resumed run may hold models from its first attempt, and dbt would then build them incrementally."""
    with connect(warehouse) as con:
        schemas = con.execute(
            "select schema_name from information_schema.schemata "
            "where catalog_name = current_database() and schema_name not in (?, 'main')",
            [RAW_SCHEMA],
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f'drop schema "{schema}" cascade')


def raw_rows(warehouse: Path) -> int:
    """Rows in every raw table: the input dbt and the gates read."""
    with connect(warehouse, read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and not starts_with(table_name, '_')",
            [RAW_SCHEMA],
        ).fetchall()
        return sum(con.execute(f"select count(*) from {RAW_SCHEMA}.{t}").fetchone()[0] for (t,) in tables)


@dataclass
class PipelineRun:
    success: bool
    seconds: float
    started_at: float
    finished_at: float
    steps: dict[str, dict[str, Any]]
    failed_checks: list[str]
    published_rows: int
    run_id: str


def slowest_models(result: dg.ExecuteInProcessResult, step: str, top: int = 8) -> dict[str, float]:
    """The dbt models of a step that took longest (dagster-dbt's `Execution Duration`), slowest first."""
    durations = {}
    for materialization in result.asset_materializations_for_node(step):
        duration = materialization.metadata.get("Execution Duration")
        if duration is not None:
            durations[materialization.asset_key.to_user_string()] = round(float(duration.value), 2)
    return dict(sorted(durations.items(), key=lambda item: -item[1])[:top])


def run_pipeline(warehouse: Path, log: Path) -> PipelineRun:
    """`daily_pipeline` through Dagster, minus extraction (the raw layer is landed already).

    The real definitions and job on the bench's warehouse; each step's start and end come from its
    Dagster events, which carry wall-clock timestamps comparable with the sampler's. dbt's and Dagster's
    console output goes to `log`, so that the bench's own lines stay readable.
    """
    from dagster_project.definitions import build_definitions

    defs = build_definitions(Warehouse(path=str(warehouse)))
    selection = (pipeline_job.selection - raw_selection).resolve(defs.resolve_asset_graph())
    job = defs.resolve_job_def(pipeline_job.name)
    instance = dg.DagsterInstance.ephemeral()
    with log.open("a") as out, redirect_stdout(out), redirect_stderr(out):
        started = time.time()
        result = job.execute_in_process(
            instance=instance,
            asset_selection=sorted(selection),
            raise_on_error=False,
            run_config=QUIET_CONSOLE,
        )
        finished = time.time()
    steps: dict[str, dict[str, Any]] = {}
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event is None or entry.step_key is None:
            continue
        step = steps.setdefault(entry.step_key, {"status": "not run"})
        if event.event_type == dg.DagsterEventType.STEP_START:
            step["start"] = entry.timestamp
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            step["end"] = entry.timestamp
            step["status"] = "succeeded" if event.is_step_success else "failed"
        elif event.event_type == dg.DagsterEventType.STEP_SKIPPED:
            step["status"] = "skipped"
    failed_checks = sorted(
        f"{e.asset_key.to_user_string()}:{e.check_name}"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    )
    published_rows = 0
    for materialization in result.asset_materializations_for_node(PUBLICATION_STEP):
        rows = materialization.metadata.get("rows")
        if rows is not None:
            published_rows += sum(rows.value.values())
    for key in DBT_STEPS:
        if key in steps:
            steps[key]["slowest_models"] = slowest_models(result, key)
    return PipelineRun(
        success=result.success,
        seconds=finished - started,
        started_at=started,
        finished_at=finished,
        steps=steps,
        failed_checks=failed_checks,
        published_rows=published_rows,
        run_id=result.run_id,
    )


def record_pipeline(recorder: Recorder, run: PipelineRun, prefix: str, label: str, input_rows: int) -> None:
    """One stage per Dagster step, the dbt steps together, and the whole run."""
    for key, step_label in STEPS.items():
        step = run.steps.get(key, {"status": "not run"})
        if "start" not in step or "end" not in step:
            recorder.echo(f"  {label}{step_label}: {step['status']}")
            continue
        publication = key == PUBLICATION_STEP
        recorder.add(
            f"{prefix}{key}",
            f"{label}{step_label}",
            step["start"],
            step["end"],
            run.published_rows if publication else input_rows,
            "rows published" if publication else "raw rows in",
            {k: v for k, v in step.items() if k not in ("start", "end")},
        )
    dbt = [run.steps.get(key, {}) for key in DBT_STEPS]
    if all("start" in s and "end" in s for s in dbt):
        recorder.add(
            f"{prefix}dbt_build",
            f"{label}dbt build with tests (its three steps)",
            min(s["start"] for s in dbt),
            max(s["end"] for s in dbt),
            input_rows,
            "raw rows in",
            seconds=sum(s["end"] - s["start"] for s in dbt),
        )
    recorder.add(
        f"{prefix}pipeline",
        f"{label}pipeline after extraction (Dagster run)",
        run.started_at,
        run.finished_at,
        input_rows,
        "raw rows in",
        {"success": run.success, "failed_checks": run.failed_checks, "run_id": run.run_id},
    )


DEFINITIONS_PROBE = """
import json, time
started = time.perf_counter()
import dagster_project.definitions as definitions
imported = time.perf_counter()
keys = definitions.defs.resolve_asset_graph().get_all_asset_keys()
resolved = time.perf_counter()
print(json.dumps({"import_s": imported - started, "resolve_s": resolved - imported, "assets": len(keys)}))
"""


def measure_definitions_load(runs: int = DEFINITIONS_LOAD_RUNS) -> dict[str, Any]:
    """Import the definitions and resolve the asset graph in fresh interpreters; the median counts.

    What `dagster dev` and every run worker pay before doing anything; a fresh process each time, so
    nothing is already imported.
    """
    measured = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", DEFINITIONS_PROBE], capture_output=True, text=True, check=True
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        figures["process_s"] = time.perf_counter() - started
        figures["load_s"] = figures["import_s"] + figures["resolve_s"]
        measured.append(figures)
    return {
        "seconds": statistics.median(m["load_s"] for m in measured),
        "process_seconds": statistics.median(m["process_s"] for m in measured),
        "assets": measured[0]["assets"],
        "runs": [{k: round(v, 3) if isinstance(v, float) else v for k, v in m.items()} for m in measured],
    }


# --- the product's stages, each in a fresh child process ------------------------------------------------


def worker_extract(warehouse: Path, read_timeout_s: float | None, profile: bool) -> dict[str, Any]:
    """In the child: extract every stream into `warehouse`, configured as any deployment is, from
    `DCW_<SOURCE>_*`; its own start and end, and the detail."""
    from connectors.sources import SOURCES

    jobs = all_jobs(configured_settings(SOURCES), SOURCES, read_timeout_s)
    started = time.time()
    if profile:
        with StackSampler() as profiler:
            results = run_extraction(warehouse, jobs)
        detail = {**_extraction_detail(results), "profile": profiler.summary()}
    else:
        detail = _extraction_detail(run_extraction(warehouse, jobs))
    return {"started": started, "finished": time.time(), "detail": detail}


def worker_pipeline(warehouse: Path, log: Path) -> dict[str, Any]:
    """In the child: the rest of `daily_pipeline` through Dagster."""
    return asdict(run_pipeline(warehouse, log))


def in_child(
    worker: str, args: Sequence[str], log: Path, out: Path, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Run `python -m dagster_project.bench --worker <worker>` (with `env` added to the environment)
    and read what it wrote to `out`."""
    with log.open("a") as output:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dagster_project.bench",
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


# --- the report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    value: float | None
    shown: str
    target: str
    passed: bool | None


def previous_peak_at_s(out_dir: Path, exclude: Path) -> tuple[float | None, str | None]:
    """The pipeline's peak RSS from the latest bench at scale s in the same folder (for l vs s)."""
    for path in sorted(out_dir.glob("*.json"), reverse=True):
        if path == exclude:
            continue
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        same_measure = report.get("memory_measured") == MEMORY_MEASURED
        if report.get("scale") == "s" and report.get("pipeline_peak_rss_mib") and same_measure:
            return report["pipeline_peak_rss_mib"], path.name
    return None, None


def checks(report: dict[str, Any]) -> list[Check]:
    """The issue's targets against this run's figures (targets are set for scale l)."""
    stages = report["stages"]
    out = []

    def ratio(name: str, value: float | None, shown: str, target: str, ok: Callable[[float], bool]) -> None:
        out.append(Check(name, value, shown, target, None if value is None else ok(value)))

    extract, http, local = (stages.get(k) for k in ("extract_load", "baseline_http", "baseline_duckdb"))
    vs_http = extract["records_per_s"] / http["records_per_s"] if extract and http else None
    ratio(
        "extraction throughput / baseline (a) HTTP+JSON",
        vs_http,
        f"{vs_http:.0%}" if vs_http is not None else "n/a",
        f">= {EXTRACTION_VS_HTTP_MIN:.0%}",
        lambda v: v >= EXTRACTION_VS_HTTP_MIN,
    )
    vs_local = extract["records_per_s"] / local["records_per_s"] if extract and local else None
    out.append(
        Check(
            "extraction throughput / baseline (b) DuckDB read_json",
            vs_local,
            f"{vs_local:.1%}" if vs_local is not None else "n/a",
            "(reference)",
            None,
        )
    )
    # Against the simulator both reads wait for the same server (one core at most); what the extraction
    # itself costs shows in this process's CPU, and that is what would limit it against a fast service.
    client_cpu = (
        extract["cpu_s"].get("product", 0.0) / http["cpu_s"]["harness"]
        if extract and http and http["cpu_s"].get("harness")
        else None
    )
    out.append(
        Check(
            "extraction client CPU / baseline (a) client CPU",
            client_cpu,
            f"{client_cpu:.1f}x" if client_cpu is not None else "n/a",
            "(reference)",
            None,
        )
    )
    dbt = stages.get("dbt_build")
    ratio(
        "dbt build with tests, seconds",
        dbt["seconds"] if dbt else None,
        f"{dbt['seconds']:.1f}s" if dbt else "not run",
        f"< {DBT_BUILD_MAX_S:.0f}s",
        lambda v: v < DBT_BUILD_MAX_S,
    )
    peak = report["pipeline_peak_rss_mib"]
    ratio(
        "peak RSS of the product's process tree",
        peak,
        f"{peak:.0f} MiB",
        f"< {PEAK_RSS_MAX_MIB:.0f} MiB",
        lambda v: v < PEAK_RSS_MAX_MIB,
    )
    growth = report.get("peak_vs_s")
    ratio(
        "peak RSS / peak RSS at s",
        growth,
        f"{growth:.2f}x"
        if growth is not None
        else "n/a (needs a run at s)"
        if report["scale"] != "s"
        else "- (this is s)",
        f"<= {PEAK_GROWTH_MAX}x",
        lambda v: v <= PEAK_GROWTH_MAX,
    )
    incremental = report.get("incremental_ratio")
    ratio(
        "incremental run / full run",
        incremental,
        f"{incremental:.0%}" if incremental is not None else "skipped",
        f"< {INCREMENTAL_MAX:.0%}",
        lambda v: v < INCREMENTAL_MAX,
    )
    load = report["definitions_load"]["seconds"] if report.get("definitions_load") else None
    ratio(
        "definitions load (import + asset graph)",
        load,
        f"{load:.1f}s" if load is not None else "n/a",
        f"< {DEFINITIONS_LOAD_MAX_S:.0f}s",
        lambda v: v < DEFINITIONS_LOAD_MAX_S,
    )
    return out


def format_report(report: dict[str, Any]) -> str:
    """The stage table and the targets table, as printed at the end of a run."""
    rows = []
    for stage in report["stages"].values():
        cpu = stage["cpu_s"]
        rows.append(
            [
                stage["label"],
                f"{stage['seconds']:.1f}",
                f"{stage['records']:,}",
                f"{stage['records_per_s']:,.0f}",
                f"{stage['peak_rss_mib']:.0f}",
                "/".join(f"{cpu.get(g, 0):.0f}" for g in GROUPS),
            ]
        )
    header = ["stage", "seconds", "records", "records/s", "peak RSS MiB", "CPU s harness/sim/product"]
    lines = [
        f"Bench at scale {report['scale']} (seed {report['seed']}, as of {report['as_of']}), "
        f"{report['started']}, {report['machine']['cpus']} CPUs:",
        format_table(header, rows),
        "",
        "Targets (set for scale l):",
    ]
    target_rows = [
        [c["name"], c["shown"], c["target"], {True: "pass", False: "FAIL", None: "-"}[c["passed"]]]
        for c in report["checks"]
    ]
    lines.append(format_table(["figure", "value", "target", "result"], target_rows))
    return "\n".join(lines)


def _stage_dict(stage: Stage) -> dict[str, Any]:
    return {**asdict(stage), "records_per_s": round(stage.records_per_s, 1)}


# --- the run --------------------------------------------------------------------------------------------


def _extraction_detail(results: list[StreamResult]) -> dict[str, Any]:
    return {
        "records": sum(r.rows_fetched for r in results),
        "inserted": sum(r.rows_inserted for r in results),
        "rejected": sum(r.rows_rejected for r in results),
        "pages": sum(r.pages for r in results),
        "requests": sum(r.requests for r in results),
        "retries": sum(r.retries for r in results),
        "streams": {
            f"{r.source}/{r.stream}": {
                "fetched": r.rows_fetched,
                "inserted": r.rows_inserted,
                "pages": r.pages,
                "requests": r.requests,
                "seconds": r.seconds,
            }
            for r in results
        },
    }


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
                "dagster": dg.__version__,
                "load_average_at_end": os.getloadavg(),
            },
            "success": full.success,
            "failed_checks": full.failed_checks,
            "stages": {name: _stage_dict(stage) for name, stage in stages.items()},
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", choices=SCALES, default="s")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        help=f"the simulated company's last day (default {DEFAULT_AS_OF_ISO}); an earlier day is a shorter "
        "history: fewer records at the same scale",
    )
    parser.add_argument("--skip-incremental", action="store_true", help="skip the one-day-later run")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the scratch folder and the JSON go (default: data/bench beside the working warehouse)",
    )
    parser.add_argument("--keep-pages", action="store_true", help="keep the saved pages of baseline (b)")
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=READ_TIMEOUT_S,
        help=f"seconds a client waits for a page (default {READ_TIMEOUT_S:.0f}; 0: the product's own)",
    )
    parser.add_argument(
        "--definitions-runs",
        type=int,
        default=DEFINITIONS_LOAD_RUNS,
        help="fresh interpreters that load the definitions (the median counts)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample the extraction threads' stacks (where the time goes)"
    )
    parser.add_argument(
        "--resume",
        type=Path,
        metavar="RUN_DIR",
        help="finish a run that stopped (data/bench/<timestamp>): its finished stages are kept, "
        "the warehouse is reused, and the rest runs (use the same --scale)",
    )
    # The bench's own child processes (one per product stage); not for use by hand.
    parser.add_argument("--worker", choices=("extract", "pipeline"), help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "extract":
        done = worker_extract(args.warehouse, args.read_timeout or None, args.profile)
        args.worker_out.write_text(json.dumps(done, default=str))
        return 0
    if args.worker == "pipeline":
        args.worker_out.write_text(json.dumps(worker_pipeline(args.warehouse, args.log), default=str))
        return 0
    out_dir = args.out or warehouse_path().resolve().parent / "bench"
    report, path = run_bench(
        args.scale,
        out_dir,
        incremental=not args.skip_incremental,
        keep_pages=args.keep_pages,
        read_timeout_s=args.read_timeout or None,
        definitions_runs=max(1, args.definitions_runs),
        profile=args.profile,
        resume=args.resume,
        as_of=args.as_of,
    )
    print()
    print(format_report(report))
    profiled = report["stages"]["extract_load"]["detail"].get("profile")
    if profiled:
        print(f"\nWhere the busy extraction threads were ({profiled['busy_thread_samples']} samples):")
        for kind in ("self", "inclusive"):
            rows = [[where, f"{share:.1%}"] for where, share in profiled[kind].items()]
            print(format_table([f"function ({kind})", "share"], rows))
    print(f"\nEvery figure: {path}")
    if not report["success"]:
        print(f"The pipeline did not complete: failed checks {report['failed_checks']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
