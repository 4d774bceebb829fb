"""BambooHR's job history (the jobInfo table) lands whole, one raw row per served row."""

from __future__ import annotations

import json

from connectors.sources import SOURCES
from tests.conftest import query


def test_job_history_lands_every_served_row_and_rejects_only_the_garbled_hire_dates(baseline, simulator):
    client = SOURCES["hr"].connect(simulator.settings("hr"))
    served = client.get("employees/all/tables/jobInfo", stream="job_history")
    landed = {
        key: json.loads(payload)
        for key, payload in query(baseline.path, "select _key, _payload from raw.hr__job_history")
    }
    garbled = {row["id"] for row in served if row["date"] == "0000-00-00"}
    assert garbled, "the simulator garbled a hire date at this seed"
    assert landed == {row["id"]: row for row in served if row["id"] not in garbled}
    owners = [row["employeeId"] for row in served]
    assert any(owners.count(employee) == 2 for employee in owners), "a promotion is in the history"
    rejected = query(
        baseline.path,
        "select record_key, reason from raw._rejects where source = 'hr' and stream = 'job_history'",
    )
    assert {key for key, _ in rejected} == garbled
    assert all("date" in reason for _, reason in rejected)
    result = baseline.results[("hr", "job_history")]
    assert result.rows_fetched == len(served) and result.rows_rejected == len(garbled)
