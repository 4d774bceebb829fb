"""The bench's memory and CPU figures: the process tree under the bench, sampled in a background thread.

psutil reads what the kernel keeps per process (resident memory, CPU time, parent), on every platform
it supports, so the bench does not parse /proc itself.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psutil

SAMPLE_INTERVAL_S = 0.2
# The bench process (it runs the baselines), the simulator, and everything else: the product's children.
GROUPS = ("harness", "simulator", "product")
# A process that exits between being listed and being read, or that the kernel will not show.
GONE = (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied)


def process_tree(root: int) -> dict[int, psutil.Process]:
    """Every live process in the tree under `root` (itself included), by pid."""
    try:
        top = psutil.Process(root)
        return {p.pid: p for p in (top, *top.children(recursive=True))}
    except GONE:
        return {}


def cpu_seconds(process: psutil.Process) -> float | None:
    """User and system CPU seconds the process has used (not its children's), or None when it is gone."""
    try:
        times = process.cpu_times()
    except GONE:
        return None
    return times.user + times.system


def rss_bytes(process: psutil.Process) -> int:
    """Resident memory of one process (0 once it has exited: zombies have none)."""
    try:
        return process.memory_info().rss
    except GONE:
        return 0


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

    The tree is re-read at every sample, so dbt's short-lived subprocesses count while they live. CPU
    is kept per process as last seen, so a process that exits keeps its share in the cumulative totals.
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
            for pid, process in tree.items():
                seconds = cpu_seconds(process)
                if seconds is None:
                    continue
                group = (
                    "harness" if pid == self.root else "simulator" if pid in self._simulators else "product"
                )
                rss[group] += rss_bytes(process)
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
