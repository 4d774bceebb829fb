"""The one place that assembles the Dagster definitions."""

from __future__ import annotations

import dagster as dg

from dagster_project.assets.raw import build_raw_assets
from dagster_project.jobs import extract_job
from dagster_project.resources import SourceSystems, Warehouse
from dagster_project.schedules import daily_extraction

raw_assets = build_raw_assets()

defs = dg.Definitions(
    assets=[raw_assets],
    jobs=[extract_job],
    schedules=[daily_extraction],
    resources={"warehouse": Warehouse(), "source_systems": SourceSystems()},
)
