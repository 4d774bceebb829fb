"""Where the repository's parts are, importable without Dagster.

The quality gates run in a process of their own and need the dbt project's vars, nothing of Dagster:
reached through `dagster_project.project`, which imports dagster-dbt, the path cost that process about
110 MiB of imports at the run's peak.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"  # parsed at install (see `project`)
