"""Jobs select by group, never by listing asset names."""

from __future__ import annotations

import dagster as dg

from connectors.sources import SOURCES
from dagster_project.assets.raw import LEDGER_KEY, RAW_GROUP_PREFIX

raw_selection = dg.AssetSelection.groups(
    *(f"{RAW_GROUP_PREFIX}{name}" for name in SOURCES)
) | dg.AssetSelection.assets(LEDGER_KEY)

# Every job opens the working warehouse, which DuckDB lets one process write at a time: the instance's
# run queue (dagster_project/dagster.yaml) runs at most one run with this tag at once.
WAREHOUSE_TAG = {"dcw/working_warehouse": "exclusive"}

extract_job = dg.define_asset_job(
    name="extract_sources",
    tags=WAREHOUSE_TAG,
    selection=raw_selection,
    description="Extract every source stream into the raw layer of the working warehouse.",
)

# The department scorecards and the HR-only employee scorecards: monthly, never in the daily run.
scorecards_selection = dg.AssetSelection.assets(
    dg.AssetKey(["published", "scorecards"]), dg.AssetKey(["hr", "employee_scorecards"])
)

pipeline_job = dg.define_asset_job(
    name="daily_pipeline",
    tags=WAREHOUSE_TAG,
    selection=dg.AssetSelection.all() - scorecards_selection,
    description="Extract every source, build and test the models behind the quality gates, and publish "
    "the BI snapshot when every blocking check passed.",
)

publication_job = dg.define_asset_job(
    name="monthly_publication",
    tags=WAREHOUSE_TAG,
    selection=scorecards_selection,
    description="Render a month's scorecards (HTML, Excel) from the published snapshot; backfill any month.",
)
