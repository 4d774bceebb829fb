"""Jobs select by group, never by listing asset names."""

from __future__ import annotations

import dagster as dg

from connectors.sources import SOURCES
from dagster_project.assets.raw import RAW_GROUP_PREFIX

raw_selection = dg.AssetSelection.groups(*(f"{RAW_GROUP_PREFIX}{name}" for name in SOURCES))

extract_job = dg.define_asset_job(
    name="extract_sources",
    selection=raw_selection,
    description="Extract every source stream into the raw layer of the working warehouse.",
)

pipeline_job = dg.define_asset_job(
    name="daily_pipeline",
    selection=dg.AssetSelection.all(),
    description="Extract every source, then build and test every dbt model downstream of it.",
)
