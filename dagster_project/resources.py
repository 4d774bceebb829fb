"""Resources: where the warehouse is, and where each source system is (or the embedded simulator)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

import dagster as dg
from pydantic import Field

from connectors.embedded import SimulatorProcess, simulator_from_env, source_settings
from connectors.settings import SourceSettings, warehouse_path


class Warehouse(dg.ConfigurableResource):
    """The working DuckDB database (`DCW_WAREHOUSE_PATH`, default `data/warehouse.duckdb`)."""

    path: str = Field(default_factory=lambda: str(warehouse_path()))


class SourceSystems(dg.ConfigurableResource):
    """Each source's URL and credentials from `DCW_<SOURCE>_*`; a source with no URL is read from the
    bundled simulator, started for the step on a free loopback port, so a fresh checkout just works.
    """

    simulator_seed: int | None = None
    simulator_scale: str | None = None
    simulator_as_of: str | None = None
    simulator_fault_rate: float | None = None

    def _simulator(self) -> SimulatorProcess:
        default = simulator_from_env()
        return SimulatorProcess(
            seed=self.simulator_seed if self.simulator_seed is not None else default.seed,
            scale=self.simulator_scale or default.scale,
            as_of=date.fromisoformat(self.simulator_as_of) if self.simulator_as_of else default.as_of,
            fault_rate=self.simulator_fault_rate
            if self.simulator_fault_rate is not None
            else default.fault_rate,
            defects=default.defects,
        )

    def connect(
        self, sources: set[str], log: dg.DagsterLogManager | None = None
    ) -> AbstractContextManager[dict[str, SourceSettings]]:
        """Settings for the given sources, starting (and afterwards stopping) the simulator if needed."""
        return source_settings(sources, self._simulator(), log.info if log else None)
