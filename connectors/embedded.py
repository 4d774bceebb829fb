"""The embedded default: the bundled simulator, for a deployment with no source configured (or
`DCW_SIMULATOR=1`); `connectors.deployment` decides which sources it serves.

The simulator runs as a child process (its own interpreter, so its page rendering never competes with
extraction for the GIL) on a free loopback port; its first stdout line says where each source lives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from connectors.deployment import plan_sources
from connectors.settings import (
    SIMULATOR_AS_OF_ENV,
    SIMULATOR_DEFECTS_ENV,
    SIMULATOR_FAULT_RATE_ENV,
    SIMULATOR_SCALE_ENV,
    SIMULATOR_SEED_ENV,
    SourceSettings,
    env_name,
    settings_from_env,
    settings_from_simulator,
)
from connectors.sources import SOURCES


@dataclass
class SimulatorProcess:
    """A running `python -m simulator`; stop it, or use it as a context manager.

    ``defects``: planted data defects (`simulator.defects.KINDS`), ``"all"`` or a comma
    list; empty (the default) starts the simulator exactly as before defects existed.
    """

    seed: int = 42
    scale: str = "s"
    as_of: date | None = None
    fault_rate: float = 0.0
    extra_args: tuple[str, ...] = ()
    defects: str | tuple[str, ...] = ()
    endpoints: dict = field(default_factory=dict, init=False)
    _process: subprocess.Popen | None = field(default=None, init=False, repr=False)

    def start(self) -> SimulatorProcess:
        args = [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            "0",
            "--seed",
            str(self.seed),
            "--scale",
            self.scale,
            "--fault-rate",
            str(self.fault_rate),
            *self.extra_args,
        ]
        if self.as_of is not None:
            args += ["--as-of", self.as_of.isoformat()]
        if self.defects_text:
            args += ["--defects", self.defects_text]
        self._process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=10)
            raise RuntimeError(f"the source simulator did not start: {self._process.stderr.read()[-2000:]}")
        self.endpoints = json.loads(line)
        return self

    @property
    def defects_text(self) -> str:
        """The ``--defects`` value ("" when none are planted)."""
        text = self.defects if isinstance(self.defects, str) else ",".join(self.defects)
        return text.strip()

    def settings(self, source: str) -> SourceSettings:
        return settings_from_simulator(source, self.endpoints[source], SOURCES[source].secret_keys)

    def environment(self) -> dict[str, str]:
        """The simulator's endpoints as `DCW_<SOURCE>_*` variables: how any real service is configured too."""
        env = {}
        for source in SOURCES:
            if source in self.endpoints:
                for key, value in self.endpoints[source].items():
                    env[env_name(source, key)] = str(value)
        return env

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.endpoints['port']}"

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def __enter__(self) -> SimulatorProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def configured_settings(sources: Mapping[str, object] = SOURCES) -> dict[str, SourceSettings | None]:
    """Each source's settings from `DCW_<SOURCE>_*`, or None where no base URL is configured."""
    return {name: settings_from_env(name, src.option_keys, src.secret_keys) for name, src in sources.items()}


def simulator_from_env() -> SimulatorProcess:
    """The simulator the embedded default starts, tuned by DCW_SIMULATOR_* (seed, scale, as-of, faults,
    planted defects)."""
    as_of = os.environ.get(SIMULATOR_AS_OF_ENV)
    return SimulatorProcess(
        seed=int(os.environ.get(SIMULATOR_SEED_ENV, "42")),
        scale=os.environ.get(SIMULATOR_SCALE_ENV, "s"),
        as_of=date.fromisoformat(as_of) if as_of else None,
        fault_rate=float(os.environ.get(SIMULATOR_FAULT_RATE_ENV, "0")),
        defects=os.environ.get(SIMULATOR_DEFECTS_ENV, "").strip(),
    )


@contextmanager
def source_settings(
    sources: Iterable[str],
    simulator: SimulatorProcess | None = None,
    log: Callable[[str], None] | None = None,
) -> Iterator[dict[str, SourceSettings]]:
    """Settings for the given sources: configured ones from the environment, the others from the bundled
    simulator, started for the duration (and `simulator_from_env()` unless one is given) where
    `connectors.deployment.plan_sources` allows it. Raises `PartialConfiguration` before starting
    anything when it does not."""
    settings = plan_sources(sources)
    missing = [name for name, value in settings.items() if value is None]
    if not missing:
        yield settings
        return
    with simulator or simulator_from_env() as running:
        if log:
            log(
                f"No source configured for {', '.join(missing)}: reading the bundled simulator at "
                f"{running.url} (seed {running.seed}, scale {running.scale}"
                + (f", planted defects: {running.defects_text}" if running.defects_text else "")
                + ")."
            )
        yield {name: value or running.settings(name) for name, value in settings.items()}
