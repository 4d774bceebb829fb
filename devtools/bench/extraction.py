"""The product's extraction as the bench runs it: every stream, through `extract_streams` and a `RawStore`."""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from connectors.core.http import HttpClient
from connectors.core.source import Source
from connectors.embedded import configured_settings
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import StreamJob, StreamResult, extract_streams
from connectors.settings import SourceSettings
from devtools.bench.profiler import StackSampler

# The extraction's concurrency, so that baseline (a) reads with exactly as many threads as the product.
WORKERS = inspect.signature(extract_streams).parameters["workers"].default


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


def extraction_detail(results: list[StreamResult]) -> dict[str, Any]:
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


def worker_extract(warehouse: Path, read_timeout_s: float | None, profile: bool) -> dict[str, Any]:
    """In the child: extract every stream into `warehouse`, configured as any deployment is, from
    `DCW_<SOURCE>_*`; its own start and end, and the detail."""
    from connectors.sources import SOURCES

    jobs = all_jobs(configured_settings(SOURCES), SOURCES, read_timeout_s)
    started = time.time()
    if profile:
        with StackSampler() as profiler:
            results = run_extraction(warehouse, jobs)
        detail = {**extraction_detail(results), "profile": profiler.summary()}
    else:
        detail = extraction_detail(run_extraction(warehouse, jobs))
    return {"started": started, "finished": time.time(), "detail": detail}
