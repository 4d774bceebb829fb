"""Every dbt model as an asset, downstream of the raw assets its sources read."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from connectors.settings import WAREHOUSE_PATH_ENV
from dagster_project.assets.raw import raw_asset_key
from dagster_project.project import dbt_project
from dagster_project.resources import Warehouse


class WarehouseTranslator(DagsterDbtTranslator):
    """dbt sources are the raw assets; models are grouped by layer (staging, intermediate, marts)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return raw_asset_key(dbt_resource_props["source_name"], dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else super().get_group_name(dbt_resource_props)


@contextmanager
def warehouse_for_dbt(path: str) -> Iterator[None]:
    """dbt runs from its own directory and reads the database path from the environment: hand it the
    warehouse resource's path, absolute, for the duration of the call."""
    previous = os.environ.get(WAREHOUSE_PATH_ENV)
    os.environ[WAREHOUSE_PATH_ENV] = str(Path(path).resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(WAREHOUSE_PATH_ENV, None)
        else:
            os.environ[WAREHOUSE_PATH_ENV] = previous


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=WarehouseTranslator()
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    """Build the selected models and run their tests (`dbt build`), streaming results as they land."""
    with warehouse_for_dbt(warehouse.path):
        yield from dbt.cli(["build"], context=context).stream()
