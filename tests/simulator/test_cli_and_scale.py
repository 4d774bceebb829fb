"""The command line prints one endpoints line and exits cleanly; large scales serve any page from a bounded
number of day slices (how fast is `make bench`'s business: a timed assert fails on a busy machine)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import requests
from sim_clients import Clients

from simulator import start_simulator
from simulator.timeline import encode_token

ROOT = Path(__file__).resolve().parents[2]


def test_cli_prints_one_json_line_and_stops_on_sigterm():
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--seed", "42"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        endpoints = json.loads(line)
        assert (
            set(endpoints) == {"hr", "erp", "ticketing", "crm", "port", "pid"}
            and endpoints["pid"] == proc.pid
        )
        r = requests.get(
            endpoints["erp"]["base_url"] + "/CostCenters",
            headers={"Authorization": f"Bearer {endpoints['erp']['token']}"},
        )
        assert r.status_code == 200 and r.headers["Content-Length"] == str(len(r.content))
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    assert proc.stdout.read() == ""


def test_scale_l_serves_first_and_deep_pages_without_materializing():
    with start_simulator(port=0, scale="l") as big:
        c = Clients(big)
        assert len(big.simulator.company.employees) > 8000
        first = c.erp("/GLEntries")
        assert first.status_code == 200 and len(first.json()["value"]) == 1000
        deep_token = encode_token((big.simulator.company.start + 500, 0))
        deep = c.erp(f"/GLEntries?$skiptoken={deep_token}")
        assert deep.status_code == 200 and deep.json()["value"][0]["PostingDate"] >= "2026-03"
        page = c.crm("/crm/v3/objects/deals", params={"limit": 100})
        assert page.status_code == 200 and len(page.json()["results"]) == 100
        # a cold window costs a bounded number of day slices (reversals look back 7 days), whatever the
        # offset: about 450 slices, most records in the ~140 days of deals a deal's life looks back over
        held = sum(len(s) for lru in big.simulator.company._slices.values() for s in lru._data.values())
        assert held < 160_000, "only a bounded number of day slices is kept, whatever the offset"
