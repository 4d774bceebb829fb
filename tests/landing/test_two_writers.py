"""Two writers: a process that meets the warehouse's lock says, in one line, which file is held, by which
process, and what to do (the CLI exits 2 with it), instead of a DuckDB traceback."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator

import pytest

from connectors.landing.database import WarehouseLocked, connect
from connectors.landing.raw_store import RawStore
from tests.deployment_helpers import (
    Held,
    assert_one_line_naming,
    environment_with,
    holding,
    run_command,
)


@pytest.fixture()
def held_warehouse(tmp_path) -> Iterator[Held]:
    with holding(tmp_path / "data" / "warehouse.duckdb") as held:
        yield held


def test_opening_a_held_warehouse_raises_one_readable_line(held_warehouse: Held):
    with pytest.raises(WarehouseLocked) as locked:
        connect(held_warehouse.path)
    assert (locked.value.file, locked.value.pid) == (str(held_warehouse.path), held_warehouse.pid)
    assert_one_line_naming(str(locked.value), held_warehouse)
    with pytest.raises(WarehouseLocked):
        connect(held_warehouse.path, read_only=True)  # a reader meets the writer's lock too
    with pytest.raises(WarehouseLocked):
        RawStore(held_warehouse.path)
    again = pickle.loads(pickle.dumps(locked.value))  # the gates' process hands it over pickled
    assert str(again) == str(locked.value)


def test_the_cli_prints_the_line_and_exits_2(held_warehouse: Held, simulator):
    crm = {k: v for k, v in simulator.environment().items() if k.startswith("DCW_CRM_")}
    done = run_command(
        [
            sys.executable,
            "-m",
            "connectors",
            "extract",
            "crm.owners",
            "--warehouse",
            str(held_warehouse.path),
        ],
        env=environment_with(crm),
        timeout=300,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert_one_line_naming(done.stderr, held_warehouse)
