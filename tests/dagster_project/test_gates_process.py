"""The quality gates' own process stays small: it imports great-expectations and DuckDB, not Dagster."""

import subprocess
import sys

from dagster_project.quality.gates_process import main as gates_process_main


def test_the_gates_process_does_not_import_dagster() -> None:
    # Dagster in the gates' process (once through a path constant, once as a spawned child re-importing
    # the parent's main module) took it from 457 to 636 MiB at scale l, beside the Dagster process.
    probe = (
        "import sys, importlib;"
        f"importlib.import_module({gates_process_main.__module__!r});"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'dagster_dbt')))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert imported == "[]"
