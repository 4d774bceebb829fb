"""Verdicts flow one way: Dagster's check results gate, `quality.quality_results` only records.

The record is written by the steps that judge and read by people (the demo, the Data Docs index, the
BI snapshot and its scorecards). A gate that read it back would decide on what an earlier step wrote,
not on what this run's checks found; the HR scorecards' refusal is shown to follow Dagster's record in
tests/publish/test_hr_scorecards.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from dagster_project.quality.checks import CHECKS, EMPLOYEE_CHECKS
from dagster_project.quality.record import QUALITY_TABLE

PACKAGE = Path(__file__).resolve().parents[2] / "dagster_project"
# A query that reads the record: `from quality.quality_results`, `join marts.quality_results`, ...
READS_THE_RECORD = re.compile(rf"\b(from|join)\s+[\w.]*\b{QUALITY_TABLE}\b", re.IGNORECASE)
# What decides whether a step runs or publishes: the checks, the assets, the sensor and the run's verdicts.
DECIDING_MODULES = (
    *sorted((PACKAGE / "assets").glob("*.py")),
    PACKAGE / "sensors.py",
    PACKAGE / "quality" / "run_verdicts.py",
)


def test_no_check_queries_the_recorded_verdicts():
    reading = [check.name for check in (*CHECKS, *EMPLOYEE_CHECKS) if QUALITY_TABLE in check.sql]
    assert not reading, f"checks that judge by a verdict recorded earlier: {reading}"


def test_no_asset_or_sensor_reads_the_recorded_verdicts():
    reading = [
        f"{path.relative_to(PACKAGE.parent)}: {match[0]}"
        for path in DECIDING_MODULES
        for match in READS_THE_RECORD.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not reading, reading
