"""BambooHR's job history (the jobInfo table) lands whole, one raw row per served row."""

from __future__ import annotations

import json

from connectors.sources import SOURCES
from tests.conftest import query


def test_job_history_lands_every_served_row_garbled_dates_included(baseline, simulator):
    client = SOURCES["hr"].connect(simulator.settings("hr"))
    served = client.get("employees/all/tables/jobInfo", stream="job_history")
    landed = {
        key: json.loads(payload)
        for key, payload in query(baseline.path, "select _key, _payload from raw.hr__job_history")
    }
    garbled = {row["id"] for row in served if row["date"] == "0000-00-00"}
    assert garbled, "the simulator garbled a hire date at this seed"
    assert landed == {row["id"]: row for row in served}, "raw keeps the rows as served, garbled ones too"
    owners = [row["employeeId"] for row in served]
    assert any(owners.count(employee) == 2 for employee in owners), "a promotion is in the history"
    rejected = query(baseline.path, "select count(*) from raw._rejects where stream = 'job_history'")
    assert rejected == [(0,)]
    result = baseline.results[("hr", "job_history")]
    assert result.rows_fetched == result.rows_inserted == len(served) and result.rows_rejected == 0
