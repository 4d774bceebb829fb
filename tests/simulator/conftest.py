"""Fixtures: the real simulator on a free port, and clients that walk each paging style."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sim_clients import Clients

from simulator import SimulatorHandle, start_simulator


@pytest.fixture(scope="session")
def sim() -> Iterator[SimulatorHandle]:
    """One default simulator (seed 42, scale s, as-of 2026-10-31) shared by the read-only tests."""
    with start_simulator(port=0) as handle:
        yield handle


@pytest.fixture(scope="session")
def clients(sim: SimulatorHandle) -> Clients:
    return Clients(sim)


@pytest.fixture
def fresh_sim() -> Iterator[SimulatorHandle]:
    """A private simulator for tests that change server state (fault queue, caps)."""
    with start_simulator(port=0) as handle:
        yield handle
