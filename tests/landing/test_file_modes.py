"""HR-tier files are private from the moment they exist (DuckDB's own WAL included), or readable by the
group `DCW_HR_GROUP` names; the BI tier's files are readable by everyone."""

from __future__ import annotations

import grp
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import pytest

from connectors.landing.file_modes import (
    make_folder,
    make_passable,
    make_private,
    remove_partial_files,
    write_atomically,
)
from dagster_project.resources import Warehouse
from tests.deployment_helpers import environment_with, run_command

# A process started with the usual umask (022: new files world-readable) that writes a warehouse and,
# with the write-ahead log DuckDB created for it still there, reports the modes.
WRITER = textwrap.dedent(
    """
    import json, os, stat, sys
    import duckdb
    from connectors.landing.database import connect
    path = sys.argv[1]
    if sys.argv[2] == "older":  # a warehouse an earlier version wrote: world-readable
        duckdb.connect(path).close()
    connection = connect(path)
    connection.execute("create table people (name varchar)")
    connection.execute("insert into people values ('Wang Fang')")
    modes = {p: oct(stat.S_IMODE(os.stat(p).st_mode)) for p in (path, path + ".wal") if os.path.exists(p)}
    groups = {p: os.stat(p).st_gid for p in modes}
    print(json.dumps({"modes": modes, "groups": groups}))
    """
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _write_warehouse(path: Path, how: str, variables: dict[str, str] | None = None) -> dict:
    done = run_command(
        [sys.executable, "-c", WRITER, str(path), how],
        env=environment_with(variables or {}),
        umask=0o022,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("how", ["new", "older"])
def test_a_warehouse_and_the_wal_duckdb_creates_are_owner_only(tmp_path, how):
    path = tmp_path / "warehouse.duckdb"
    seen = _write_warehouse(path, how)["modes"]
    assert seen == {str(path): "0o600", f"{path}.wal": "0o600"}, "the WAL existed, private, while written"


def test_with_an_hr_group_the_warehouse_is_readable_by_that_group_only(tmp_path):
    group = grp.getgrgid(os.getgid())
    path = tmp_path / "warehouse.duckdb"
    seen = _write_warehouse(path, "older", {"DCW_HR_GROUP": group.gr_name})
    assert set(seen["modes"].values()) == {"0o640"} and set(seen["groups"].values()) == {group.gr_gid}


def test_an_hr_group_the_user_cannot_use_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DCW_HR_GROUP", "no-such-group-dcw")
    folder = make_folder(tmp_path / "hr", readable=True)
    with pytest.raises(PermissionError, match=r"^DCW_HR_GROUP=no-such-group-dcw: .* cannot be given"):
        make_private(folder)


def test_hr_folders_carry_the_group_to_what_is_created_in_them(tmp_path, monkeypatch):
    group = grp.getgrgid(os.getgid())
    monkeypatch.setenv("DCW_HR_GROUP", group.gr_name)
    folder = make_folder(tmp_path / "hr" / "scorecards", readable=False)
    page = write_atomically(folder / "index.html", lambda p: p.write_text("names"), readable=False)
    # the folder it was asked for is the HR tier's; the parent it created only leads there
    assert mode(folder) == 0o2750 and mode(folder.parent) == 0o755 and mode(page) == 0o640
    assert page.stat().st_gid == group.gr_gid


def test_bi_files_are_readable_and_hr_files_private_whatever_the_umask(tmp_path):
    previous = os.umask(0o077)  # what the product sets once it has opened the warehouse
    try:
        page = write_atomically(
            tmp_path / "bi" / "2026-10" / "index.html", lambda p: p.write_text("x"), readable=True
        )
        private = write_atomically(
            tmp_path / "hr" / "2026-10" / "a.html", lambda p: p.write_text("x"), readable=False
        )
    finally:
        os.umask(previous)
    assert mode(page) == 0o644 and mode(page.parent) == mode(page.parent.parent) == 0o755
    assert mode(private) == 0o600 and mode(private.parent) == 0o700 and mode(private.parent.parent) == 0o755
    assert not list(tmp_path.rglob(".*.tmp"))


def test_a_partial_file_a_killed_writer_left_is_removed_and_a_live_ones_kept(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    left = tmp_path / f".index.html.{dead.stdout.strip()}.tmp"
    live = tmp_path / f".dept.html.{os.getpid()}.tmp"
    left.write_text("half a page")
    live.write_text("being written")
    assert remove_partial_files(tmp_path) == [left]
    assert live.exists() and not left.exists()


def test_every_dagster_step_that_touches_the_warehouse_makes_new_files_private(tmp_path):
    """dbt and the quality gates' process inherit it: the files they create are private too."""
    previous = os.umask(0o022)
    try:
        with dg.build_resources({"warehouse": Warehouse(path=str(tmp_path / "w.duckdb"))}):
            umask = os.umask(0o022)
    finally:
        os.umask(previous)
    assert umask == 0o077


def test_a_private_folder_leaves_its_new_parents_passable(tmp_path):
    """The data folder holds both tiers: creating data/secrets/ must not make data/ owner-only."""
    os.umask(0o077)  # as every writer of the warehouse runs
    try:
        make_folder(tmp_path / "data" / "secrets", readable=False)
    finally:
        os.umask(0o022)
    assert mode(tmp_path / "data") == 0o755 and mode(tmp_path / "data" / "secrets") == 0o700


def test_the_bi_tier_is_reachable_through_a_data_folder_a_private_process_made(tmp_path):
    """A test or an HR-tier step with a private umask may have made data/ first: publishing opens the way
    to the BI tier (read and search added for others, nothing taken away), and to nothing else."""
    data = tmp_path / "data"
    (data / "scorecards" / "2026-10").mkdir(parents=True)
    for folder in (data, data / "scorecards", data / "scorecards" / "2026-10"):
        folder.chmod(0o700)
    (data / "hr").mkdir(mode=0o700)
    make_passable(data, data / "scorecards" / "2026-10")
    assert [mode(f) for f in (data, data / "scorecards", data / "scorecards" / "2026-10")] == [0o755] * 3
    assert mode(data / "hr") == 0o700 and mode(tmp_path) == mode(tmp_path)
    with pytest.raises(ValueError, match="is not inside"):
        make_passable(data / "hr", data / "scorecards")
