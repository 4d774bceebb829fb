"""The dbt target folder: saved parses reused per warehouse, old invocation folders pruned."""

import os
from pathlib import Path

from dagster_project.dbt_target import (
    PARTIAL_PARSE_FILE,
    invocation_target_path,
    prune_invocation_folders,
    reusing_saved_parse,
    saved_parse_path,
)


def test_only_the_newest_invocation_folders_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "target"
    folders = [invocation_target_path(tmp_path, "warehouse_models", f"{n:07x}aaaa") for n in range(8)]
    for age, folder in enumerate(reversed(folders)):
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))  # folders[-1] is the newest
    kept_apart = [target / "partial_parse", target / "compiled", target / "manifest.json"]
    kept_apart[0].mkdir()
    kept_apart[1].mkdir()
    kept_apart[2].write_text("{}")

    removed = prune_invocation_folders(tmp_path, keep=3)

    assert sorted(removed) == sorted(folders[:5])
    assert sorted(p for p in target.iterdir()) == sorted(folders[5:] + kept_apart)


def test_a_saved_parse_seeds_the_invocation_and_its_new_parse_is_saved(tmp_path: Path) -> None:
    first = saved_parse_path(tmp_path, {"DCW_WAREHOUSE_PATH": "/a.duckdb"})
    other = saved_parse_path(tmp_path, {"DCW_WAREHOUSE_PATH": "/b.duckdb"})
    assert first != other  # one per rendered profile

    invocation = invocation_target_path(tmp_path, "conformed_sources", "0123456789")
    with reusing_saved_parse(first, invocation):
        assert not (invocation / PARTIAL_PARSE_FILE).exists()  # nothing saved yet: dbt parses
        invocation.mkdir(parents=True)
        (invocation / PARTIAL_PARSE_FILE).write_bytes(b"parse 1")
    assert first.read_bytes() == b"parse 1"

    second = invocation_target_path(tmp_path, "conformed_sources", "0123456789")
    assert second != invocation
    with reusing_saved_parse(first, second):
        assert (second / PARTIAL_PARSE_FILE).read_bytes() == b"parse 1"
        (second / PARTIAL_PARSE_FILE).write_bytes(b"parse 2")
    assert first.read_bytes() == b"parse 2"
    assert not other.exists()
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no half-written copies left
