"""A virtualenv of a BI tool's reader: the oldest DuckDB the snapshot supports, with duckdb-engine and
SQLAlchemy (what Superset connects through), pandas and Polars. It is the product's own venv only in
that it starts from the same Python; nothing of the product is installed in it.

Built once and kept in data/bi-readers/<key>/ (git-ignored; the key changes with the requirements or the
Python), so later runs cost nothing; built in a scratch folder and renamed into place, so a killed build
never leaves a venv that looks complete. The suite skips, saying why, only when the package index cannot
be reached; any other install failure fails.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.paths import REPO_ROOT
from dagster_project.publish.snapshot import OLDEST_BI_DUCKDB

# SQLAlchemy 1.4 as Superset pins it; numpy 1 because DuckDB 0.10 was built against it.
REQUIREMENTS = (
    f"duckdb=={OLDEST_BI_DUCKDB}",
    "duckdb-engine==0.17.0",
    "SQLAlchemy==1.4.54",
    "pandas==2.2.3",
    "numpy==1.26.4",
    "polars==1.39.3",
)
CACHE = REPO_ROOT / "data" / "bi-readers"
INSTALLED = ".installed"
# What pip says when it cannot reach the index (as opposed to a requirement that does not exist).
UNREACHABLE = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ConnectTimeoutError",
    "Read timed out",
    "ProxyError",
    "Could not fetch URL",
)
INSTALL_BOUND_S = 1200  # a hang's bound, far above the half minute an install takes


def reader_python() -> Path:
    """The reader venv's Python, built on first use; skips the test when the index is out of reach."""
    key = hashlib.sha256("\n".join([sys.version, *REQUIREMENTS]).encode()).hexdigest()[:12]
    venv = CACHE / f"duckdb-{OLDEST_BI_DUCKDB}-{key}"
    python = venv / "bin" / "python"
    if (venv / INSTALLED).exists():
        return python
    CACHE.mkdir(parents=True, exist_ok=True)
    scratch = CACHE / f".building-{venv.name}-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(scratch)], check=True, timeout=INSTALL_BOUND_S)
    pip = [str(scratch / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    result = subprocess.run(
        [*pip, "--timeout", "30", "--retries", "2", *REQUIREMENTS],
        capture_output=True,
        text=True,
        timeout=INSTALL_BOUND_S,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        output = result.stdout + result.stderr
        unreachable = [line.strip() for line in output.splitlines() if any(m in line for m in UNREACHABLE)]
        if unreachable:
            pytest.skip(
                f"the package index could not be reached to install {', '.join(REQUIREMENTS)}: "
                f"{unreachable[0]}"
            )
        pytest.fail(f"installing the BI reader venv failed:\n{output}")
    (scratch / INSTALLED).touch()
    try:
        os.replace(scratch, venv)
    except OSError:  # another run finished first: keep its venv
        shutil.rmtree(scratch, ignore_errors=True)
    return python
