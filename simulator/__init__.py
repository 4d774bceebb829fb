"""The bundled source simulator: BambooHR, OData v4, Jira Cloud and HubSpot APIs over one generated company.

Use `start_simulator` from Python (tests, orchestration) or ``python -m simulator --port 0``.
`Company` is the generated truth a later oracle can compute expected metrics from. PROTOCOLS.md in this
folder is the contract with the connectors.
"""

from simulator.company.model import Company
from simulator.server import Simulator, SimulatorHandle, demo_credentials, start_simulator

__all__ = ["Company", "Simulator", "SimulatorHandle", "demo_credentials", "start_simulator"]
