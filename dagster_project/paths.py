"""Where the repository's parts are, importable without Dagster.

The quality gates run in a process of their own and need the dbt project's vars, nothing of Dagster:
reached through `dagster_project.project`, which imports dagster-dbt, the path cost that process about
110 MiB of imports at the run's peak.
"""

import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"  # parsed at install (see `project`)


def copy_dbt_project(target: Path) -> Path:
    """A scratch copy of the dbt project (without its build output): for a broken scheme planted on
    purpose, or a test that edits a seed, never the repository's own files."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(DBT_PROJECT_DIR, target, ignore=shutil.ignore_patterns("target", "logs"))
    return target
