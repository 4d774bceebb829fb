"""A bench stage: its time, records, memory and CPU, saved as it finishes so that a stopped run resumes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from devtools.bench.sampling import TreeSampler

MIB = 1024 * 1024


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
