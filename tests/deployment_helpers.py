"""Helpers for the tests of a deployment's edges: its environment, and a warehouse another process holds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HOLDER = textwrap.dedent(
    """
    import sys
    from connectors.landing.database import connect
    connection = connect(sys.argv[1])
    connection.execute("create table if not exists held (a int)")
    print("holding", flush=True)
    sys.stdin.read()  # until the test closes the pipe
    """
)


def run_command(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
    timeout: float = 600,
    **options,
) -> subprocess.CompletedProcess[str]:
    """An entry point run as a user runs it, its output captured; `timeout` bounds a hang, not the speed."""
    return subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, **options
    )


def environment_with(variables: dict[str, str]) -> dict[str, str]:
    """This process's environment without any DCW_ variable or DAGSTER_HOME, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DCW_") and k != "DAGSTER_HOME"}
    return {**env, **variables}


@dataclass(frozen=True)
class Held:
    path: Path
    pid: int


@contextmanager
def holding(path: Path) -> Iterator[Held]:
    """The warehouse at `path` open for writing in another process, as a forgotten shell or a CLI run
    would hold it, until the block ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield Held(path, holder.pid)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def assert_one_line_naming(message: str, held: Held) -> None:
    """The refusal: one line, the file, the process holding it, what to do; no DuckDB traceback."""
    assert "\n" not in message.strip(), message
    assert message.startswith(f"{held.path} is held by process {held.pid} (")
    assert "Wait for that process to finish" in message and f"kill {held.pid}" in message
    assert "Traceback" not in message and "IO Error" not in message
