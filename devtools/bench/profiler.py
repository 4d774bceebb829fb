"""Where the extraction's threads spend their time: a sampling profiler for `--profile`."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

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
