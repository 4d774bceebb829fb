"""A kill -9 at any moment loses nothing and duplicates nothing once the run is repeated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import extract_all, query, raw_versions


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_equals_an_uninterrupted_run(baseline, simulator, tmp_path):
    warehouse = tmp_path / "killed.duckdb"
    env = {**os.environ, **simulator.environment(), "DCW_WAREHOUSE_PATH": str(warehouse)}
    process = subprocess.Popen(
        [sys.executable, "-m", "connectors", "extract", "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    finished_streams = threading.Event()

    def watch() -> None:
        for line in process.stderr:
            if "succeeded: fetched" in line:
                finished_streams.set()

    threading.Thread(target=watch, daemon=True).start()
    assert finished_streams.wait(timeout=600), "the extraction never finished a first stream"
    time.sleep(0.5)  # the other streams are now somewhere in the middle of their pages
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL

    partial = raw_versions(warehouse)
    complete = raw_versions(baseline.path)
    assert 0 < sum(map(len, partial.values())) < sum(map(len, complete.values())), "killed mid-run"

    extract_all(warehouse, simulator)
    assert raw_versions(warehouse) == complete
    duplicates = query(warehouse, "select count(*) from raw._loads where status = 'interrupted'")[0][0]
    assert duplicates >= 1, "the ledger says which batches a crash interrupted"
    for table in complete:
        rows, distinct = query(
            warehouse, f"select count(*), count(distinct (_key, _record_hash)) from raw.{table}"
        )[0]
        assert rows == distinct, f"raw.{table} holds a version twice"
