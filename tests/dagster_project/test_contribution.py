"""The product's heart: metric values against the generator's oracle, and how they become scores.

The oracle (`simulator.oracles.departments`) recomputes every (department, month, metric) in Python from
the generator's own model of the company, never from API payloads or SQL. The known mess the warehouse
cannot see (records rejected at landing, orphans that go to the exceptions) is excluded there, each
with its reason in the oracle's docstring, so every metric is compared exactly.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from dagster_project.paths import DBT_PROJECT_DIR, copy_dbt_project
from dagster_project.project import DBT_EXECUTABLE
from simulator import Company
from simulator.oracles.departments import expected_observations
from tests.conftest import AS_OF, SEED, copy_warehouse, query

TOLERANCE = 1e-6
SEEDS = DBT_PROJECT_DIR / "seeds"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=TOLERANCE)


def test_every_department_month_metric_equals_the_generators_oracle(built):
    expected = expected_observations(Company(SEED, "s"), AS_OF)
    rows = query(
        built.path,
        """
        select department_id, strftime(month_start_date, '%Y-%m'), metric_id, numerator, denominator,
            metric_value
        from intermediate.int_metric_observations
        where denominator > 0""",
    )
    actual = {(d, m, k): (n, q, v) for d, m, k, n, q, v in rows}
    assert set(actual) == set(expected), {
        "only in the warehouse": sorted(set(actual) - set(expected))[:10],
        "only in the oracle": sorted(set(expected) - set(actual))[:10],
    }
    wrong = [
        (key, (e.numerator, e.denominator), actual[key][:2])
        for key, e in sorted(expected.items())
        if not (
            _close(actual[key][0], e.numerator)
            and _close(actual[key][1], e.denominator)
            and abs(actual[key][2] - e.value) <= TOLERANCE
        )
    ]
    assert not wrong, f"{len(wrong)} of {len(expected)} differ, e.g. {wrong[:5]}"
    metrics = {
        row["metric_id"]
        for row in csv.DictReader((SEEDS / "metric_catalog.csv").open())
        if row["grain"] == "department_month"
    }
    assert {k for _, _, k in expected} == metrics, "the oracle covers every department metric"
    assert len(expected) > 800


def test_a_quarter_is_recomputed_from_its_months_parts_never_averaged(built):
    months = query(
        built.path,
        """
        select department_id, metric_id, numerator, denominator, metric_value
        from intermediate.int_metric_observations
        where month_start_date between date '2026-07-01' and date '2026-09-30'""",
    )
    parts: dict[tuple[str, str], list[tuple[float, float, float | None]]] = defaultdict(list)
    for department, metric, numerator, denominator, value in months:
        parts[(department, metric)].append((numerator, denominator, value))
    quarters = {
        (d, k): (v, rollup)
        for d, k, v, rollup in query(
            built.path,
            "select department_id, metric_id, metric_value, rollup from intermediate.int_metric_values "
            "where period_id = '2026-Q3'",
        )
    }
    averaged_differs = 0
    for key, (value, rollup) in quarters.items():
        if rollup != "ratio_of_sums" or value is None:
            continue
        numerators, denominators, values = zip(*parts[key], strict=True)
        assert _close(value, sum(numerators) / sum(denominators)), key
        observed = [v for v in values if v is not None]
        averaged_differs += not _close(value, sum(observed) / len(observed))
    assert averaged_differs > 10, "rates with unequal denominators: an average of months would differ"
    # a stock (period_end) is the quarter's last month, not a sum of three month-ends
    [(training_q3, training_sep)] = query(
        built.path,
        """
        select q.metric_value, m.metric_value
        from intermediate.int_metric_values q
        join intermediate.int_metric_values m
            on m.department_id = q.department_id and m.metric_id = q.metric_id and m.period_id = '2026-09'
        where q.period_id = '2026-Q3' and q.metric_id = 'training_completion_rate'
            and q.department_id = 'D01'""",
    )
    assert training_q3 == training_sep


def test_every_department_is_graded_every_period_on_a_scale_that_separates_them(built):
    """That each index is the sum of its contributions, within 0-100, is dbt's to assert
    (tests/assert_index_equals_sum_of_contributions.sql); here: every department in every period, and
    grades that tell departments apart."""
    [(rows,)] = query(built.path, "select count(*) from marts.fct_department_contribution")
    assert rows == 8 * (12 + 5), "8 departments, 12 months and 5 quarters at scale s"
    grades = {g for (g,) in query(built.path, "select distinct grade from marts.fct_department_contribution")}
    assert len(grades) >= 3, f"the unified scale separates departments: {grades}"


def test_a_scheme_version_applies_from_its_effective_date_only(built, tmp_path):
    history = dict(
        query(
            built.path,
            "select period_id, max(scheme_version) from marts.fct_department_contribution group by 1",
        )
    )
    assert {history[p] for p in ("2025-11", "2026-06", "2026-Q2")} == {"2025.1"}
    assert {history[p] for p in ("2026-07", "2026-10", "2026-Q3")} == {"2026.2"}

    # HR adds a version from 2026-10-01 that weighs R&D differently: October changes, history does not
    project = _project_copy(tmp_path)
    scheme = (project / "seeds" / "scoring_scheme.csv").read_text().splitlines()
    added = [
        line.replace("2026.2,2026-07-01", "2026.4,2026-10-01")
        for line in scheme
        if line.startswith("2026.2,")
    ]
    added = [
        _reweighted(line) if ",rnd,on_time_delivery_rate," in line or ",rnd,reopen_rate," in line else line
        for line in added
    ]
    (project / "seeds" / "scoring_scheme.csv").write_text("\n".join([*scheme, *added]) + "\n")
    warehouse = copy_warehouse(built.path, tmp_path / "w.duckdb")
    before = _indexes(warehouse)
    _dbt(project, warehouse, "seed", "--select", "scoring_scheme")
    _dbt(project, warehouse, "run", "--select", "int_scheme_in_force+")
    after = _indexes(warehouse)
    changed = {key for key in before if not _close(before[key][0], after[key][0])}
    assert changed and {period for _, period in changed} <= {"2026-10", "2026-Q4"}
    assert {after[key][1] for key in after if key[1] in ("2026-10", "2026-Q4")} == {"2026.4"}
    history = [key for key in before if key[1] < "2026-10" and key[1] != "2026-Q4"]
    rewritten = [
        (key, before[key], after[key])
        for key in history
        if after[key][1] != before[key][1] or not _close(after[key][0], before[key][0])
    ]
    assert len(history) > 80 and not rewritten, rewritten[:5]


def test_a_person_the_email_cannot_resolve_is_resolved_by_the_stewards_mapping(built, tmp_path):
    [(account, issues)] = query(
        built.path,
        """
        select u.reference_value, count(*)
        from intermediate.int_references_unresolved u
        join staging.stg_ticketing__rd_issues i on i.assignee_account_id = u.reference_value
        where u.reference_kind = 'jira_account' and i.resolution = 'Done'
        group by 1 order by 2 desc limit 1""",
    )
    [(employee,)] = query(
        built.path,
        "select min(employee_id) from intermediate.int_employees_mapped where department_id = 'D01'",
    )
    project = _project_copy(tmp_path)
    mapping = project / "seeds" / "person_mapping.csv"
    mapping.write_text(mapping.read_text() + f"ticketing,{account},{employee},contractor badge email\n")
    warehouse = copy_warehouse(built.path, tmp_path / "w.duckdb")
    delivered = "select sum(denominator) from intermediate.int_metric_facts where metric_id = 'reopen_rate'"
    [(before,)] = query(warehouse, delivered)
    _dbt(project, warehouse, "seed", "--select", "person_mapping")
    _dbt(project, warehouse, "run", "--select", "int_people_resolved+")
    [(after,)] = query(warehouse, delivered)
    assert after - before == issues > 0
    assert query(
        warehouse,
        "select resolved_by, employee_id from intermediate.int_people_resolved where person_id = ?",
        [account],
    ) == [("mapping", employee)]
    assert not query(
        warehouse, f"select 1 from intermediate.int_references_unresolved where reference_value = '{account}'"
    )


def _project_copy(tmp_path: Path) -> Path:
    return copy_dbt_project(tmp_path / "dbt_project")


def _reweighted(line: str) -> str:
    """on_time_delivery 35 -> 25 and reopen 15 -> 25 (the sum stays 100)."""
    fields = line.split(",")
    fields[5] = "25"
    return ",".join(fields)


def _indexes(warehouse: Path) -> dict[tuple[str, str], tuple[float, str]]:
    return {
        (d, p): (i, v)
        for d, p, i, v in query(
            warehouse,
            "select department_id, period_id, contribution_index, scheme_version "
            "from marts.fct_department_contribution",
        )
    }


def _dbt(project: Path, warehouse: Path, *args: str) -> str:
    result = subprocess.run(
        [DBT_EXECUTABLE, *args, "--project-dir", str(project), "--profiles-dir", str(project)],
        env={**_env(), "DCW_WAREHOUSE_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return result.stdout


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}


def test_every_value_is_traceable_to_the_raw_records_behind_it(built):
    """Evidence adds up to each value (dbt: tests/assert_evidence_adds_up_to_scores.sql); here: each
    evidence record is a record raw holds."""
    unknown = query(
        built.path,
        """
        select e.source_system, e.source_stream, count(*)
        from marts.metric_evidence e
        where not exists (
            select 1 from information_schema.tables t
            where t.table_schema = 'raw' and t.table_name = e.source_system || '__' || e.source_stream)
        group by all""",
    )
    assert not unknown, unknown
    streams = query(built.path, "select distinct source_system, source_stream from marts.metric_evidence")
    assert len(streams) >= 15
    for system, stream in streams:
        missing = query(
            built.path,
            f"""
            select count(*) from marts.metric_evidence e
            where e.source_system = '{system}' and e.source_stream = '{stream}'
                and e.record_key not in (select _key from raw.{system}__{stream})""",
        )
        assert missing == [(0,)], (system, stream)


def test_support_and_collaboration_add_up_to_the_service_desk(built):
    [(resolved,)] = query(
        built.path,
        "select count(*) from intermediate.int_service_requests_served where resolved_date is not null",
    )
    [(in_matrix,)] = query(
        built.path, "select sum(requests_resolved) from marts.fct_collaboration where period_type = 'month'"
    )
    assert in_matrix == resolved > 500
    rows = query(
        built.path,
        """
        select s.department_id, s.period_id, s.requests_resolved_for_others, sum(c.requests_resolved)
        from marts.fct_support_contribution s
        join marts.fct_collaboration c
            on c.serving_department_id = s.department_id and c.period_id = s.period_id
            and c.requesting_department_id is not null and not c.is_own_department
        group by all""",
    )
    assert {d for d, *_ in rows} == {"D18", "D19", "D20"}
    assert all(ours == matrix for _, _, ours, matrix in rows)


@pytest.mark.timeout(600)
def test_dbt_docs_generate_and_every_model_and_column_is_described(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "w.duckdb")
    target = tmp_path / "target"
    logs = tmp_path / "logs"
    _dbt(
        DBT_PROJECT_DIR, warehouse, "docs", "generate", "--target-path", str(target), "--log-path", str(logs)
    )
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    undocumented = []
    for unique_id, node in catalog["nodes"].items():
        declared = manifest["nodes"][unique_id]
        if not declared["description"].strip():
            undocumented.append(unique_id)
        described = {n.lower() for n, c in declared["columns"].items() if c["description"].strip()}
        undocumented += [f"{unique_id}.{c}" for c in node["columns"] if c.lower() not in described]
    assert len(catalog["nodes"]) > 50
    assert not undocumented, undocumented
