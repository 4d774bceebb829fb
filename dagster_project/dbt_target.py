"""dbt's target folder as the product uses it: a folder per invocation, one saved parse per warehouse,
and only the recent invocations kept.

dbt skips re-parsing the project only when the profile it renders now is the one its saved parse was
made with, and the rendered profile holds the warehouse path and DuckDB's bounds. dagster-dbt gives each
invocation a fresh target folder seeded from `target/partial_parse.msgpack`, which `make install` wrote
for the default warehouse: against any other warehouse (every bench run, every test) each invocation
parsed the whole project again, about 6 s of the 9 s a small `dbt build` costs here, three times a run.
The saved parse is kept per rendered profile instead, and dbt still checks it against the files and the
profile and re-parses whatever changed, so a stale one costs a parse, never a wrong result.

An invocation's folder (manifest, run results, compiled SQL: 12-19 MB here) is what an engineer opens
after a failed run, so it outlives the run; but three a day for a year would be 18 GB. The newest
`KEPT_INVOCATIONS` stay, older ones are removed after each invocation.
"""

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
KEPT_INVOCATIONS = 30  # ten daily runs of three dbt invocations
# <step>-<run id, 7 hex>-<invocation, 7 hex>: ours and dagster-dbt's own naming
INVOCATION_FOLDER = re.compile(r"^[A-Za-z0-9_]+-[0-9a-f]{7}-[0-9a-f]{7}$")


def saved_parse_path(project_dir: Path, profile_env: Mapping[str, str]) -> Path:
    """Where the parse made under these profile settings is kept (named by their hash, since the
    settings hold paths)."""
    key = hashlib.sha256(json.dumps(dict(profile_env), sort_keys=True).encode()).hexdigest()[:16]
    return project_dir / "target" / "partial_parse" / f"{key}.msgpack"


def invocation_target_path(project_dir: Path, step_name: str, run_id: str) -> Path:
    """A target folder of the invocation's own, named like dagster-dbt's (step, run, invocation)."""
    return project_dir / "target" / f"{step_name}-{run_id[:7]}-{uuid.uuid4().hex[:7]}"


@contextmanager
def reusing_saved_parse(saved: Path, target_path: Path) -> Iterator[None]:
    """Seed the invocation's target folder with the saved parse; afterwards keep the parse it wrote.

    The copy back is written beside the saved file and renamed over it, so that a second run against the
    same warehouse reads either the old parse or the new one, never half of one.
    """
    if saved.exists():
        target_path.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, target_path / PARTIAL_PARSE_FILE)
    try:
        yield
    finally:
        written = target_path / PARTIAL_PARSE_FILE
        if written.exists():
            saved.parent.mkdir(parents=True, exist_ok=True)
            partial = saved.with_name(f"{saved.name}.{uuid.uuid4().hex[:8]}.tmp")
            shutil.copyfile(written, partial)
            os.replace(partial, saved)


def prune_invocation_folders(project_dir: Path, keep: int = KEPT_INVOCATIONS) -> list[Path]:
    """Remove all but the `keep` newest invocation folders under the project's target folder (by last
    change; an invocation still running changes its folder as it goes). Returns what was removed."""
    target = project_dir / "target"
    if not target.is_dir():
        return []
    folders = [entry for entry in target.iterdir() if entry.is_dir() and INVOCATION_FOLDER.match(entry.name)]
    folders.sort(key=lambda folder: folder.stat().st_mtime, reverse=True)
    removed = folders[keep:]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed
