"""Fault injection: seeded draws are deterministic; the /_sim/faults queue serves scripted faults."""

from __future__ import annotations

import requests
from sim_clients import Clients

from simulator import start_simulator


def _outcomes(c: Clients) -> list[str]:
    out = []
    for i in range(40):
        try:
            r = c.crm("/crm/v3/objects/deals", params={"limit": 5 + i % 4})
            out.append(str(r.status_code))
        except requests.RequestException:
            out.append("broken")
    return out


def test_fault_rate_draws_are_deterministic_from_the_seed():
    runs = []
    for _ in range(2):
        with start_simulator(port=0, fault_rate=0.4) as handle:
            runs.append(_outcomes(Clients(handle)))
    assert runs[0] == runs[1]
    assert set(runs[0]) - {"200"}, "some requests were faulted"
    assert "200" in runs[0]


def test_fault_queue_serves_scripted_faults_in_order_then_clears(fresh_sim):
    c = Clients(fresh_sim)
    base = fresh_sim.url
    spec = {
        "faults": [
            {"status": 429, "retry_after": 2, "path_prefix": "/crm"},
            {"status": 503},
            {"truncate": True, "path_prefix": "/erp"},
        ],
        "repeat": 1,
    }
    assert requests.post(f"{base}/_sim/faults", json=spec).json() == {"queued": 3}
    limited = c.crm("/crm/v3/owners")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
    assert "X-HubSpot-RateLimit-Remaining" in limited.headers and limited.json()["category"] == "RATE_LIMITS"
    unavailable = c.hr("/employees/directory")
    assert unavailable.status_code == 503
    try:
        c.erp("/GLEntries")
        raise AssertionError("a truncated body must not parse as a complete response")
    except requests.RequestException:
        pass
    assert c.erp("/GLEntries").status_code == 200
    requests.post(f"{base}/_sim/faults", json={"faults": [{"status": 500}], "repeat": 3})
    assert requests.delete(f"{base}/_sim/faults").json() == {"queued": 0}
    assert c.jira("/myself").status_code == 200
    stats = requests.get(f"{base}/_sim/stats").json()
    assert stats["requests"]["crm"] >= 1 and stats["requests"]["erp"] >= 2 and stats["faults_injected"] == 3


def test_rate_limit_shapes_follow_each_product(fresh_sim):
    c = Clients(fresh_sim)
    requests.post(f"{fresh_sim.url}/_sim/faults", json={"faults": [{"status": 429}], "repeat": 3})
    jira = c.jira("/myself")
    assert jira.status_code == 429 and {"X-RateLimit-Limit", "X-RateLimit-Reset", "RateLimit-Reason"} <= set(
        jira.headers
    )
    erp = c.erp("/")
    assert erp.status_code == 429 and erp.json()["error"]["code"] and erp.headers["Retry-After"] == "1"
    hr = c.hr("/employees/directory")
    assert hr.status_code == 429 and hr.headers["Retry-After"] == "1"
