"""Assembly: one company, one simulated clock, four source APIs, one HTTP server.

`start_simulator` runs it in a background thread (tests, the orchestrator); ``python -m
simulator`` runs it in the foreground and prints the endpoints line.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simulator.bamboohr.api import COMPANY_DOMAIN, HrApi
from simulator.clock import now_for
from simulator.company.model import Company
from simulator.company.org import DEFAULT_AS_OF_ISO
from simulator.company.people import EMAIL_DOMAIN
from simulator.defects import Plan
from simulator.http_server import App, FaultInjector, make_server
from simulator.hubspot.api import HubspotApi
from simulator.jira.api import JiraApi
from simulator.odata.api import PREFIX as ERP_PREFIX
from simulator.odata.api import ErpApi

DEFAULT_AS_OF = date.fromisoformat(DEFAULT_AS_OF_ISO)


def demo_credentials(seed: int) -> dict[str, dict[str, str]]:
    """Deterministic, per-source demo credentials (derived from the seed, distinct per source)."""

    def h(label: str, n: int) -> str:
        return hashlib.sha256(f"simulator:{seed}:{label}".encode()).hexdigest()[:n]

    return {
        "hr": {"api_key": h("hr", 40)},
        "erp": {"token": "erp-" + h("erp", 48)},
        "ticketing": {"email": f"sim-bot@{EMAIL_DOMAIN}", "api_token": "ATATT3x" + h("jira", 40)},
        "crm": {"access_token": "pat-na1-" + str(uuid.UUID(h("crm", 32)))},
    }


class Simulator:
    """The served state: company truth, `now`, credentials, planted defects and the four APIs.

    ``defects``: kinds from `defects.KINDS` (``"all"``, ``"a,b"`` or a list); none by default, and then
    every body is what it was before defects existed.
    """

    def __init__(
        self,
        seed: int = 42,
        scale: str = "s",
        as_of: date = DEFAULT_AS_OF,
        fault_rate: float = 0.0,
        defects: str | Iterable[str] | None = None,
    ) -> None:
        self.seed, self.scale, self.as_of = seed, scale, as_of
        self.company = Company(seed, scale)
        if not (self.company.start + 1 <= as_of.toordinal() <= self.company.horizon):
            raise ValueError(
                f"as_of must be between {date.fromordinal(self.company.start + 1)} and "
                f"{date.fromordinal(self.company.horizon)}"
            )
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError("fault_rate must be within [0, 1]")
        self.now = now_for(as_of)
        self.credentials = demo_credentials(seed)
        self.defects = Plan(self.company, as_of, defects or ())  # [defects] the APIs' hooks
        self.hr = HrApi(self)
        self.erp = ErpApi(self)
        self.ticketing = JiraApi(self)
        self.crm = HubspotApi(self)
        self.app = App(
            {"hr": self.hr, "erp": self.erp, "ticketing": self.ticketing, "crm": self.crm},
            FaultInjector(seed, fault_rate),
            defects=self.defects.manifest,
        )

    def endpoints(self, origin: str, port: int) -> dict[str, Any]:
        c = self.credentials
        return {
            "hr": {
                "base_url": f"{origin}/hr/api/gateway.php/{COMPANY_DOMAIN}/v1",
                "company_domain": COMPANY_DOMAIN,
                "api_key": c["hr"]["api_key"],
            },
            "erp": {"base_url": f"{origin}{ERP_PREFIX}", "token": c["erp"]["token"]},
            "ticketing": {
                "base_url": f"{origin}/ticketing",
                "email": c["ticketing"]["email"],
                "api_token": c["ticketing"]["api_token"],
            },
            "crm": {"base_url": f"{origin}/crm", "access_token": c["crm"]["access_token"]},
            "port": port,
            "pid": os.getpid(),
        }


@dataclass
class SimulatorHandle:
    """A running simulator: ``.endpoints`` (the same dict as the CLI's JSON line), ``.url``, ``.stop()``."""

    simulator: Simulator
    server: Any
    thread: threading.Thread
    endpoints: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join(timeout=10)
        self.server.server_close()

    def __enter__(self) -> SimulatorHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_simulator(
    port: int = 0,
    seed: int = 42,
    scale: str = "s",
    as_of: date = DEFAULT_AS_OF,
    fault_rate: float = 0.0,
    host: str = "127.0.0.1",
    defects: str | Iterable[str] | None = None,
) -> SimulatorHandle:
    """Start a simulator serving in a background thread; ``port=0`` picks a free port."""
    sim = Simulator(seed, scale, as_of, fault_rate, defects)
    server = make_server(host, port, sim.app)
    thread = threading.Thread(
        target=server.serve_forever, name=f"simulator-{server.server_address[1]}", daemon=True
    )
    thread.start()
    handle = SimulatorHandle(sim, server, thread)
    handle.endpoints = sim.endpoints(handle.url, handle.port)
    return handle
