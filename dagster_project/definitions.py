"""The one place that assembles the Dagster definitions.

A partly configured deployment fails to load, with the message that names what each source lacks:
`dagster dev` shows it as the code location's error and no schedule, sensor or run can start, so a
forgotten source is never read from the bundled simulator (see `connectors.deployment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from connectors.deployment import require_consistent_configuration
from dagster_project.assets.dbt import conformed_sources, conformed_sources_tests, warehouse_models
from dagster_project.assets.hr_scorecards import employee_scorecards
from dagster_project.assets.publication import bi_snapshot
from dagster_project.assets.quality import employee_gates, quality_gates
from dagster_project.assets.raw import build_raw_assets
from dagster_project.assets.scorecards import scorecards
from dagster_project.jobs import extract_job, pipeline_job, publication_job
from dagster_project.project import DBT_EXECUTABLE, dbt_project
from dagster_project.resources import SourceSystems, Warehouse
from dagster_project.schedules import daily_pipeline, monthly_publication
from dagster_project.sensors import record_why_not_published

raw_assets = build_raw_assets()


def build_definitions(
    warehouse: Warehouse | None = None,
    dbt_project_dir: str | Path | None = None,
    extra_assets: Sequence[dg.AssetsDefinition] = (),
) -> dg.Definitions:
    """The definitions; `make demo DEFECTS=...` points them at a scratch warehouse and dbt project copy.
    Raises `connectors.deployment.PartialConfiguration` for a partly configured deployment."""
    require_consistent_configuration()
    return dg.Definitions(
        assets=[
            raw_assets,
            conformed_sources,
            warehouse_models,
            bi_snapshot,
            scorecards,
            employee_scorecards,
            *extra_assets,
        ],
        asset_checks=[conformed_sources_tests, quality_gates, employee_gates],
        jobs=[extract_job, pipeline_job, publication_job],
        schedules=[daily_pipeline, monthly_publication],
        sensors=[record_why_not_published],
        resources={
            "warehouse": warehouse or Warehouse(),
            "source_systems": SourceSystems(),
            "dbt": DbtCliResource(
                project_dir=str(dbt_project_dir) if dbt_project_dir else dbt_project,
                dbt_executable=DBT_EXECUTABLE,
            ),
        },
    )


defs = build_definitions()
