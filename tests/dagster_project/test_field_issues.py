"""Raw keeps what the source sent; staging judges it; only the metrics that need a malformed field skip it.

The simulator garbles one field of a known set of records per stream (`simulator.company.mess`,
tallied by `Company.mess_counts`). Those records land, staging lists each bad field once in
`intermediate.int_field_issues`, and every metric that does not need the field still counts them.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from connectors.sources import SOURCES
from dagster_project.project import DBT_PROJECT_DIR
from simulator import Company
from simulator.clock import now_for
from simulator.company.mess import MALFORMED
from simulator.oracles.departments import EMPLOYEE_ONLY, METRIC_FAMILIES, accumulate
from tests.conftest import AS_OF, BUILTIN_SOURCES, SEED, query

TOLERANCE = 1e-6
STAGING = DBT_PROJECT_DIR / "models" / "staging"


def _matches(pattern: str):
    return lambda raw: raw is not None and re.fullmatch(pattern, raw) is not None


# mess kind -> the (stream, field as the source names it, reason, how the raw value looks) it garbles
PLANTED: dict[str, tuple[tuple[str, str, str, object], ...]] = {
    "hr.employees": (
        ("employees", "hireDate", "missing, but required", _matches("0000-00-00")),
        ("job_history", "date", "missing, but required", _matches("0000-00-00")),
    ),
    "hr.time_off": (("time_off_requests", "start", "not a date", _matches("not-a-date")),),
    "erp.gl_entries": (
        ("gl_entries", "AmountInTransactionCurrency", "not a number", _matches(r"\d{1,3}(\.\d{3})*,\d\d")),
    ),
    "erp.sales_invoices": (("sales_invoices", "PostingDate", "not a date", _matches(r"\d\d\.\d\d\.\d{4}")),),
    "jira.RD": (("rd_issues", "fields.customfield_10016", "not a number", _matches(r"\?")),),
    "jira.SD": (
        ("service_requests", "fields.created", "not a timestamp", _matches(r".*T25:61:00\.000\+0800")),
    ),
    "crm.deals": (("deals", "properties.amount", "not a number", _matches("TBD")),),
    "crm.feedback_submissions": (
        ("feedback_submissions", "properties.hs_response_value", "missing, but required", _matches("")),
    ),
}


@pytest.fixture(scope="module")
def company() -> Company:
    return Company(SEED, "s")


def _catalog() -> dict[str, dict[str, str]]:
    with (DBT_PROJECT_DIR / "seeds" / "metric_catalog.csv").open(encoding="utf-8") as fh:
        return {row["metric_id"]: row for row in csv.DictReader(fh)}


def _unreadable_hire_dates(warehouse: Path) -> set[str]:
    rows = query(
        warehouse,
        "select record_key from intermediate.int_field_issues "
        "where source_stream = 'employees' and column_name = 'hire_date'",
    )
    return {key for (key,) in rows}


def test_the_field_issues_hold_one_row_per_planted_mess_record_with_field_and_raw_value(built, company):
    rows = query(
        built.path,
        "select source_stream, field, reason, raw_value, record_key, landed_at "
        "from intermediate.int_field_issues",
    )
    found: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for stream, field, reason, raw, key, landed in rows:
        found[(stream, field)].append((reason, raw, key, landed))
    now = now_for(AS_OF)
    for kind, places in PLANTED.items():
        planted = company.mess_counts(kind, now)[MALFORMED[kind][1]]
        for stream, field, reason, looks_like in places:
            issues = found.pop((stream, field), [])
            assert len(issues) == planted > 0, f"{stream}.{field}: {MALFORMED[kind][2]}"
            assert {r for r, *_ in issues} == {reason}
            assert all(looks_like(raw) and landed is not None for _, raw, _, landed in issues), issues[:3]
    assert not found, f"issues where the simulator garbled nothing: {sorted(found)}"
    garbled = {str(e.emp_id) for e in company.employees if e.record.malformed == "bad_hire_date"}
    assert _unreadable_hire_dates(built.path) == garbled
    # the record is in staging as it landed, with only the bad field null
    [(hire, email, department)] = query(
        built.path,
        "select hire_date, work_email, hr_department_name from staging.stg_hr__employees "
        "where employee_id = ?",
        [min(garbled)],
    )
    assert hire is None and email and department


def test_an_employee_with_a_garbled_hire_date_keeps_their_tickets_and_deals_in_their_department(
    built, company
):
    view, acc = accumulate(company, AS_OF)
    catalog = _catalog()
    work_metrics = 0
    for employee in sorted(_unreadable_hire_dates(built.path)):
        person = view.people[int(employee)]
        family = company.dept_by_id[person.dept_id].family
        expected = {
            (month, metric): (cell.num, cell.den)
            for (emp, month, metric), cell in acc.emp_cells.items()
            if emp == person.emp_id and family in METRIC_FAMILIES[metric] and metric not in EMPLOYEE_ONLY
        }
        rows = query(
            built.path,
            """
            select strftime(month_start_date, '%Y-%m'), metric_id, department_id,
                sum(numerator), sum(denominator)
            from intermediate.int_metric_facts
            where employee_id = ?
            group by all""",
            [employee],
        )
        actual = {(month, metric): (num, den) for month, metric, dept, num, den in rows}
        assert {dept for *_, dept, _, _ in rows} == {person.dept_id}, "their work counts for their department"
        assert actual.keys() == expected.keys(), employee
        for key, (num, den) in expected.items():
            assert abs(actual[key][0] - num) <= TOLERANCE and abs(actual[key][1] - den) <= TOLERANCE, key
        work = {metric for _, metric in actual if catalog[metric]["source_system"] in ("ticketing", "crm")}
        assert not {metric for _, metric in actual} & _needing("stg_hr__employees.hire_date", catalog)
        work_metrics += len(work)
        # what needs the hire date skips them, and says so; they have no scorecard of their own
        skipped = query(
            built.path,
            "select distinct metric_id from intermediate.int_metric_exceptions "
            "where scope = 'department' and source_stream = 'employees' and record_key = ?",
            [employee],
        )
        assert {m for (m,) in skipped} == _needing("stg_hr__employees.hire_date", catalog)
        scorecards = query(
            built.path, "select count(*) from hr.fct_employee_scorecard where employee_id = ?", [employee]
        )
        assert scorecards == [(0,)]
    assert work_metrics >= 3, "the garbled employees did tickets or deals at this seed"


def _needing(column: str, catalog: dict[str, dict[str, str]]) -> set[str]:
    return {m for m, row in catalog.items() if column in row["required_fields"].split("|")}


@pytest.mark.parametrize(
    ("stream", "column", "counted_in", "skipped_by"),
    [
        ("deals", "amount_original", {"win_rate", "sales_cycle_days"}, {"revenue_attainment"}),
        ("gl_entries", "amount_original", {"posting_accuracy"}, {"budget_variance"}),
        (
            "rd_issues",
            "story_points",
            {"on_time_delivery_rate", "defect_fix_time_hours", "reopen_rate"},
            set(),
        ),
        ("service_requests", "created_at", {"sla_attainment_rate", "requester_satisfaction"}, set()),
    ],
)
def test_a_malformed_field_skips_the_record_only_in_the_metrics_that_need_it(
    built, stream, column, counted_in, skipped_by
):
    keys = query(
        built.path,
        "select record_key from intermediate.int_field_issues where source_stream = ? and column_name = ?",
        [stream, column],
    )
    assert keys
    facts = query(
        built.path,
        """
        select facts.metric_id, count(distinct facts.record_key)
        from intermediate.int_metric_facts as facts
        inner join intermediate.int_field_issues as issues
            on issues.source_stream = facts.source_stream and issues.record_key = facts.record_key
        where issues.source_stream = ? and issues.column_name = ?
        group by all""",
        [stream, column],
    )
    counted = dict(facts)
    assert counted_in <= set(counted), f"{stream} records with a bad {column} counted in {counted}"
    assert not set(counted) & skipped_by
    skipped = query(
        built.path,
        "select metric_id, count(*) from intermediate.int_metric_exceptions "
        "where scope = 'department' and source_stream = ? and column_name = ? group by all",
        [stream, column],
    )
    assert dict(skipped) == {metric: len(keys) for metric in skipped_by}


def test_no_fact_counts_a_record_its_metric_lists_as_an_exception(built):
    for scope, facts in (("department", "int_metric_facts"), ("employee", "int_employee_metric_facts")):
        leaked = query(
            built.path,
            f"""
            select count(*)
            from intermediate.{facts} as facts
            inner join intermediate.int_metric_exceptions as exceptions
                on exceptions.metric_id = facts.metric_id and exceptions.scope = '{scope}'
                and exceptions.source_stream = facts.source_stream
                and exceptions.record_key = facts.record_key""",
        )
        assert leaked == [(0,)], scope


def test_the_malformed_fields_gate_passes_the_realistic_mess_and_reports_its_counts(built):
    [evaluation] = [
        e for e in built.result.get_asset_check_evaluations() if e.check_name == "malformed_fields_stay_rare"
    ]
    assert evaluation.passed, evaluation.metadata["observed"].value
    [(details,)] = query(
        built.path,
        "select details from quality.quality_results where check_name = 'malformed_fields_stay_rare'",
    )
    counted = {
        tuple(re.match(r"(\w+)/(\w+) (\S+) landed .*: (\d+) of", row["location"]).groups()[1:])
        for row in json.loads(details)
        if " landed " in row["location"]
    }
    issues = query(
        built.path,
        "select source_stream, field, cast(count(*) as varchar) "
        "from intermediate.int_field_issues group by all",
    )
    assert counted == set(issues)


# ---- declarations that must agree with the project ------------------------------------------------
def _stream_models() -> list:
    """The staging models of the sources' streams (the ledger's own model, raw._loads, reads no payload)."""
    return [path for path in STAGING.glob("*/stg_*.sql") if path.parent.name in BUILTIN_SOURCES]


def _checked_columns() -> dict[str, set[str]]:
    """model -> the columns its SQL types with checked_field (the Jira models through jira_issue_columns)."""
    call = re.compile(r"checked_field\(\w+, '(\w+)'")
    jira = set(call.findall((DBT_PROJECT_DIR / "macros" / "staging_erp_ticketing.sql").read_text()))
    out = {}
    for path in _stream_models():
        sql = path.read_text()
        out[path.stem] = set(call.findall(sql)) | (jira if "jira_issue_columns(" in sql else set())
    return out


def test_every_staging_model_carries_field_issues_and_the_issues_model_reads_them_all():
    models = {
        f"stg_{source}__{stream.name}" for source in BUILTIN_SOURCES for stream in SOURCES[source].streams
    }
    assert set(_checked_columns()) == models
    listed = re.findall(r"'(stg_\w+)'", (DBT_PROJECT_DIR / "macros" / "field_checks.sql").read_text())
    assert sorted(listed) == sorted(models), "macro staging_models() lists every staging model once"
    for path in _stream_models():
        assert "{{ field_issues(payload) }}" in path.read_text(), path.name


def test_every_field_a_metric_needs_is_a_checked_staging_column():
    checked = _checked_columns()
    for metric, row in _catalog().items():
        for needed in filter(None, row["required_fields"].split("|")):
            model, _, column = needed.partition(".")
            assert column in checked.get(model, set()), f"{metric}: {needed} is not a checked column"
