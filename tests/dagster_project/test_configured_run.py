"""A configured deployment, end to end: `python -m dagster_project.demo` with every source configured
through its DCW_<SOURCE>_* variables (the simulator's endpoints, as `make bench` configures them: to the
product they are four remote services), started with the usual umask 022.

What it publishes names the sources' hosts and carries no demo banner; the HR tier (the working warehouse,
the HR-only scorecards, the quality gates' Data Docs, the pseudonym key) is owner-only and the BI tier
readable, after the run and after a rerun over files an older version left world-readable.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from connectors.settings import env_name, host_of
from connectors.sources import SOURCES
from tests.conftest import BUILTIN_SOURCES
from tests.deployment_helpers import environment_with, run_command
from tests.publish.provenance_checks import assert_every_page_and_sheet_names_the_hosts

HR_TIER = ("warehouse.duckdb", "warehouse.duckdb.wal", "warehouse.duckdb.tmp", "hr", "quality", "secrets")
BI_TIER = ("published", "scorecards")


@dataclass(frozen=True)
class ConfiguredRun:
    data: Path
    env: dict[str, str]
    origins: dict[str, str]  # source -> the host its data came from
    secrets: list[str]  # the credentials the run was configured with


def run_demo(env: dict[str, str]) -> str:
    done = run_command(
        [sys.executable, "-m", "dagster_project.demo"],
        env=env,
        umask=0o022,
        timeout=1800,
    )
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


@pytest.fixture(scope="module")
def configured_run(simulator, tmp_path_factory) -> Iterator[ConfiguredRun]:
    data = tmp_path_factory.mktemp("configured") / "data"
    sources = simulator.environment()
    env = environment_with({**sources, "DCW_WAREHOUSE_PATH": str(data / "warehouse.duckdb")})
    origins = {s: host_of(sources[env_name(s, "base_url")]) for s in BUILTIN_SOURCES}
    names = [env_name(s, key) for s in BUILTIN_SOURCES for key in SOURCES[s].secret_keys]
    secrets = [sources[name] for name in names if name in sources]
    output = run_demo(env)
    assert "Published for BI" in output and "HR-only employee scorecards" in output, output[-3000:]
    yield ConfiguredRun(data, env, origins, secrets)


def _tree(root: Path) -> list[Path]:
    if not root.exists() or root.is_symlink():
        return []
    return [root, *(p for p in root.rglob("*") if not p.is_symlink())] if root.is_dir() else [root]


def assert_hr_tier_is_owner_only(data: Path) -> None:
    for name in ("warehouse.duckdb", "hr", "quality", "secrets"):
        assert (data / name).exists(), name
    for name in HR_TIER:
        for path in _tree(data / name):
            expected = 0o700 if path.is_dir() else 0o600
            assert stat.S_IMODE(path.stat().st_mode) == expected, (path, oct(path.stat().st_mode))


def assert_bi_tier_is_readable(data: Path) -> None:
    assert stat.S_IMODE(data.stat().st_mode) & 0o005 == 0o005, "readers can pass through data/"
    for name in BI_TIER:
        paths = _tree(data / name)
        assert len(paths) > 10, name
        for path in paths:
            expected = 0o755 if path.is_dir() else 0o644
            assert stat.S_IMODE(path.stat().st_mode) == expected, (path, oct(path.stat().st_mode))


def assert_published_names_the_hosts(run: ConfiguredRun) -> None:
    assert_every_page_and_sheet_names_the_hosts([run.data / "scorecards", run.data / "hr"], run.origins)
    with duckdb.connect(str(run.data / "published" / "warehouse.duckdb"), read_only=True) as connection:
        [(is_demo, origin)] = connection.execute(
            "select is_demo_data, data_origin from marts._snapshot"
        ).fetchall()
    assert is_demo is False
    assert origin == "; ".join(f"{s}={run.origins[s]}" for s in sorted(BUILTIN_SOURCES))
    manifest = json.loads((run.data / "published" / "parquet" / "_snapshot.json").read_text())
    assert manifest["origin"]["demo_data"] is False and manifest["origin"]["recorded"] is True
    assert {s["source_system"]: s["origin"] for s in manifest["origin"]["sources"]} == run.origins
    for path in [p for tier in (*BI_TIER, "hr") for p in _tree(run.data / tier) if p.is_file()]:
        content = path.read_bytes()
        assert not [secret for secret in run.secrets if secret.encode() in content], path


def test_a_configured_run_names_its_sources_hosts_everywhere_and_no_banner(configured_run: ConfiguredRun):
    assert_published_names_the_hosts(configured_run)


def test_after_a_run_the_hr_tier_is_owner_only_and_the_bi_tier_readable(configured_run: ConfiguredRun):
    assert_hr_tier_is_owner_only(configured_run.data)
    assert_bi_tier_is_readable(configured_run.data)


def test_a_rerun_over_world_readable_files_leaves_them_owner_only(configured_run: ConfiguredRun):
    """What an older version left (every file 0644, every folder 0755) is private after the next run."""
    for path in _tree(configured_run.data)[1:]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    run_demo(configured_run.env)
    assert_hr_tier_is_owner_only(configured_run.data)
    assert_bi_tier_is_readable(configured_run.data)
    assert_published_names_the_hosts(configured_run)
