"""The two baselines that give the extraction's figure a meaning, read over the same pages.

(a) the same streams read over HTTP by the same readers and paginators, JSON parsed, nothing landed;
(b) those pages' bodies, saved to files during (a), landed by DuckDB's own JSON reader, one row per record.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import requests

from connectors.core.source import Source
from connectors.core.streams import ReadContext
from connectors.landing.runner import StreamJob
from connectors.landing.tables import raw_table_name
from devtools.bench.extraction import WORKERS

# Responses that steer a read but carry no records (BambooHR's ids-only change feed, Jira's /myself):
# not saved for baseline (b), which lands records only.
CONTROL_PATHS = ("/employees/changed", "/myself")
# Where the records sit in each saved body, for baseline (b): the stream's `records_at`, except for the
# readers that dig them out themselves (a report's rows, collections keyed by id).
RECORDS_AT = {"hr/reviews": "$.employees", "hr/training_types": "$.*", "hr/training_records": "$.*"}
# DuckDB's default largest JSON document; a saved body can be larger (the 360 report at l: 25 MB).
DUCKDB_MAX_OBJECT_BYTES = 16 << 20


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
