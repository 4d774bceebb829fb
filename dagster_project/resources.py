"""Resources: where the warehouse is, and where each source system is (or the embedded simulator)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import dagster as dg
from pydantic import Field

from connectors.deployment import PartialConfiguration
from connectors.embedded import SimulatorProcess, simulator_from_env, source_settings
from connectors.landing.database import WarehouseLocked
from connectors.landing.file_modes import keep_new_files_private
from connectors.settings import SourceSettings, warehouse_path


@contextmanager
def refusals_as_failures() -> Iterator[None]:
    """A step refused before it did anything (a partial configuration, a warehouse another process
    holds) fails with the one line that says what to do, not with a traceback."""
    try:
        yield
    except (PartialConfiguration, WarehouseLocked) as refused:
        raise dg.Failure(description=str(refused), allow_retries=False) from None


class Warehouse(dg.ConfigurableResource):
    """The working DuckDB database (`DCW_WAREHOUSE_PATH`, default `data/warehouse.duckdb`).

    Every step that touches it makes the files it (and dbt, and the gates' process) creates private to
    the HR tier (`connectors.landing.file_modes`); the BI tier's writers make theirs readable.
    """

    path: str = Field(default_factory=lambda: str(warehouse_path()))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        keep_new_files_private()


class SourceSystems(dg.ConfigurableResource):
    """Each source's URL and credentials from `DCW_<SOURCE>_*`. With no source configured (or with
    `DCW_SIMULATOR=1`) the bundled simulator serves, started for the step on a free loopback port, so a
    fresh checkout just works; a partly configured deployment fails the step with what to set.
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

    @contextmanager
    def connect(
        self, sources: set[str], log: dg.DagsterLogManager | None = None
    ) -> Iterator[dict[str, SourceSettings]]:
        """Settings for the given sources, starting (and afterwards stopping) the simulator if needed;
        a partly configured deployment, or a warehouse held by another process while these settings are
        in use, fails the step with the one line that says what to do."""
        with (
            refusals_as_failures(),
            source_settings(sources, self._simulator(), log.info if log else None) as settings,
        ):
            yield settings
