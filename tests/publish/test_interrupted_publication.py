"""A publication killed midway leaves nothing behind: the next one removes its half-built snapshot, its
temporary link and its never-published Parquet version, keeps exactly the newest complete published
versions, and a reader that resolved the link before the kill still reads its version."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from connectors.settings import Secret
from dagster_project.publish.snapshot import (
    BUILDING_PREFIX,
    MANIFEST,
    PARQUET_LINK,
    PARQUET_VERSIONS_KEPT,
    PUBLISHED_DB,
    publish_snapshot,
)
from tests.conftest import copy_warehouse

KEY = Secret("interrupted-publication")
# A publication in a child process that stops at a chosen point and says so, to be killed there.
KILLED_PUBLICATION = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from connectors.settings import Secret
    from dagster_project.publish import snapshot

    warehouse, published, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

    def stop_here():
        print("stopped", flush=True)
        time.sleep(3600)

    if point == "copying":  # the fourth table's Parquet file: three are written, the DuckDB file half
        write = snapshot.write_described_parquet
        written = []

        def stops_at_the_fourth(*args, **kwargs):
            written.append(args)
            if len(written) == 4:
                stop_here()
            return write(*args, **kwargs)

        snapshot.write_described_parquet = stops_at_the_fourth
    elif point == "before the link swap":  # the version folder and the DuckDB file are in place
        snapshot._swap_link = lambda link, target: stop_here()
    elif point == "temporary link made":  # the new link exists under its temporary name
        replace = os.replace
        def replace_unless_the_link(source, target):
            if Path(source).name.startswith(".parquet-"):
                stop_here()
            return replace(source, target)
        os.replace = replace_unless_the_link
    snapshot.publish_snapshot(warehouse, published, Secret("interrupted-publication"), "killedrun")
    """
)


@pytest.fixture(scope="module")
def three_published(built, tmp_path_factory) -> tuple[Path, Path]:
    """A warehouse and its published folder after three complete publications."""
    tmp = tmp_path_factory.mktemp("interrupted")
    warehouse = copy_warehouse(built.path, tmp / "warehouse.duckdb")
    for run in ("run00001", "run00002", "run00003"):
        publish_snapshot(warehouse, tmp / "published", KEY, run)
    return warehouse, tmp / "published"


def _kill_publication_at(point: str, warehouse: Path, published: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLICATION, str(warehouse), str(published), point],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = child.stdout.readline().strip()
        assert said == "stopped", child.stderr.read()[-2000:] if child.poll() is not None else said
    finally:
        child.kill()  # SIGKILL: no cleanup, no finally, as a machine losing power or the OOM killer
        child.wait(timeout=60)


def _versions(published: Path) -> list[str]:
    return sorted(p.name for p in published.glob(f"{PARQUET_LINK}-*"))


def _read_version(folder: Path) -> dict[str, int]:
    """Every table of a Parquet version, counted, against its manifest."""
    manifest = json.loads((folder / MANIFEST).read_text())
    counts = {
        table: duckdb.sql(f"select count(*) from read_parquet('{folder / (table + '.parquet')}')").fetchall()[
            0
        ][0]
        for table in manifest["rows"]
    }
    assert counts == manifest["rows"], folder
    return counts


@pytest.mark.parametrize("point", ["copying", "before the link swap", "temporary link made"])
def test_the_next_publication_removes_what_a_killed_one_left(three_published, tmp_path, point):
    warehouse, template = three_published
    published = tmp_path / "published"
    shutil.copytree(template, published, symlinks=True)
    before = _versions(published)
    assert len(before) == PARQUET_VERSIONS_KEPT
    reading = (published / PARQUET_LINK).resolve()  # a BI reader resolved the link a moment ago
    assert reading.name == before[-1]

    _kill_publication_at(point, warehouse, published)

    building = list(published.glob(f"{BUILDING_PREFIX}*"))
    assert len(building) == 1, "the killed run left its half-built snapshot"
    if point == "copying":
        assert len(list(building[0].rglob("*.parquet"))) == 3
    else:
        killed = [v for v in _versions(published) if v not in before]
        assert len(killed) == 1 and (published / killed[0] / MANIFEST).exists(), "complete, never published"
    if point == "temporary link made":
        assert [p.name for p in published.glob(f".{PARQUET_LINK}-*")] == [f".{PARQUET_LINK}-{killed[0]}"]
    assert (published / PARQUET_LINK).resolve() == reading, "the kill changed nothing readers see"
    _read_version(reading)

    snapshot = publish_snapshot(warehouse, published, KEY, "run00005")

    leftovers = [*published.glob(f"{BUILDING_PREFIX}*"), *published.glob(f".{PARQUET_LINK}-*")]
    assert leftovers == []
    assert _versions(published) == [*before[1:], snapshot.parquet.name], "complete published versions only"
    for version in _versions(published):
        _read_version(published / version)
    assert (published / PARQUET_LINK).resolve() == snapshot.parquet
    with duckdb.connect(str(published / PUBLISHED_DB), read_only=True) as connection:
        assert connection.execute("select snapshot_id from marts._snapshot").fetchall() == [
            (snapshot.snapshot_id,)
        ]
    assert reading.exists(), "a reader's version is kept while newer ones are few"
    _read_version(reading)
    assert not [
        p for p in published.iterdir() if p.name not in {PUBLISHED_DB, PARQUET_LINK, *_versions(published)}
    ]


def test_a_version_folder_an_older_version_left_half_written_is_not_kept(three_published, tmp_path):
    """The exact leftover of a run killed before this change: a Parquet version folder in the published
    folder, half written, no manifest. It is removed, and never counted among the kept versions."""
    warehouse, template = three_published
    published = tmp_path / "published"
    shutil.copytree(template, published, symlinks=True)
    before = _versions(published)
    half = published / f"{PARQUET_LINK}-99991231T000000000000Z-halfdone"  # newest by name
    half.mkdir()
    shutil.copy(published / before[-1] / "departments.parquet", half / "departments.parquet")
    snapshot = publish_snapshot(warehouse, published, KEY, "run00006")
    assert not half.exists()
    assert _versions(published) == [*before[1:], snapshot.parquet.name]
    assert os.readlink(published / PARQUET_LINK) == snapshot.parquet.name
