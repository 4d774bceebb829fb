"""The dbt layer: sources match the connectors, lineage reaches the raw assets, models build for real."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml

from connectors.landing.tables import RAW_SCHEMA, raw_table_name
from connectors.sources import SOURCES
from dagster_project.definitions import defs
from dagster_project.project import DBT_PROJECT_DIR
from dagster_project.quality.checks import EMPLOYEE_CHECKS
from simulator import Company
from simulator.company import jira as gen_jira
from simulator.company.erp_reference import ORPHAN_COST_CENTER
from simulator.company.mess import ORPHAN_CRM_OWNERS
from tests.conftest import BUILTIN_SOURCES, SEED, query


def test_dbt_sources_declare_exactly_the_streams_the_connectors_land():
    for source in BUILTIN_SOURCES:
        path = DBT_PROJECT_DIR / "models" / "staging" / source / f"_{source}__sources.yml"
        [declared] = yaml.safe_load(path.read_text())["sources"]
        assert declared["schema"] == RAW_SCHEMA
        tables = {t["name"]: t["identifier"] for t in declared["tables"]}
        assert tables == {s.name: raw_table_name(source, s.name) for s in SOURCES[source].streams}


def test_every_model_reads_raw_assets_that_exist():
    graph = defs.resolve_asset_graph()
    models = [k for k in graph.get_all_asset_keys() if k.path[0] != RAW_SCHEMA]
    assert models
    for key in models:
        for parent in graph.get(key).parent_keys:
            assert graph.has(parent), (
                f"{key.to_user_string()} reads {parent.to_user_string()}, which no asset makes"
            )
    stg = graph.get(dg.AssetKey(["staging", "stg_erp__gl_entries"]))
    assert dg.AssetKey([RAW_SCHEMA, "erp__gl_entries"]) in stg.parent_keys
    assert stg.group_name == "staging"


def test_models_build_into_exact_schemas_one_row_per_entity_in_the_reporting_currency(built):
    result, warehouse = built.result, built.path
    assert result.success
    checks = result.get_asset_check_evaluations()
    # the HR tier's checks only warn (a gap or a skew for HR to review); every other check passes
    warnings = {check.name for check in EMPLOYEE_CHECKS}
    failed = [c.check_name for c in checks if not c.passed and c.check_name not in warnings]
    assert checks and not failed, failed
    schemas = {s for (s,) in query(warehouse, "select distinct table_schema from information_schema.tables")}
    assert "staging" in schemas and not any(s.startswith("main_") for s in schemas)
    for model, table in [("stg_hr__employees", "hr__employees"), ("stg_erp__gl_entries", "erp__gl_entries")]:
        rows = query(warehouse, f"select count(*) from staging.{model}")[0][0]
        keys = query(warehouse, f"select count(distinct _key) from raw.{table}")[0][0]
        assert rows == keys > 0
    assert_amounts_are_in_the_reporting_currency_with_the_original_kept(warehouse)
    assert_exceptions_hold_exactly_what_does_not_resolve(warehouse)
    assert_headcount_equals_the_simulators_company(warehouse)


def assert_headcount_equals_the_simulators_company(warehouse: Path) -> None:
    """Headcount per department and month end, against the generator's own model of the company (minus
    the employees whose hire date does not read: they are in no headcount, see int_field_issues)."""
    company = Company(SEED, "s")
    unreadable = {
        key
        for (key,) in query(
            warehouse,
            "select record_key from intermediate.int_field_issues "
            "where source_stream = 'employees' and column_name = 'hire_date'",
        )
    }
    assert len(unreadable) == sum(e.record.malformed == "bad_hire_date" for e in company.employees) > 0
    rows = query(
        warehouse,
        "select department_id, month_end_date, headcount_at_month_end, voluntary_terminations, "
        "month_start_date from marts.fct_department_headcount",
    )
    assert len(rows) == 8 * 12, "8 departments over 12 months at scale s"
    for department_id, month_end, headcount, voluntary, month_start in rows:
        people = [
            e for e in company.employees if e.dept_id == department_id and str(e.emp_id) not in unreadable
        ]
        expected = sum(e.active_on(month_end.toordinal()) for e in people)
        quits = sum(
            e.termination_day is not None
            and e.termination_type == "Voluntary"
            and month_start.toordinal() <= e.termination_day <= month_end.toordinal()
            for e in people
        )
        assert (headcount, voluntary) == (expected, quits), (department_id, month_end)


def assert_exceptions_hold_exactly_what_does_not_resolve(warehouse: Path) -> None:
    """The simulator's planted orphans: no more. An employee whose hire date does not read still
    resolves (their HR record lands), so their tickets and deals count for their department."""
    company = Company(SEED, "s")
    outsiders = {u.email for u in gen_jira.users(company).values() if u.emp_id is None}
    expected = {
        ("erp", "cost_center", ORPHAN_COST_CENTER),
        *(("crm", "crm_owner", f"partner{i}@channel.example.com") for i in range(1, ORPHAN_CRM_OWNERS + 1)),
        *(("ticketing", "jira_account", email) for email in outsiders),
    }
    found = {
        (system, kind, label if kind.endswith(("owner", "account")) else value)
        for system, kind, value, label in query(
            warehouse,
            "select source_system, reference_kind, reference_value, reference_label "
            "from intermediate.int_references_unresolved",
        )
    }
    assert found == expected
    unmapped = query(warehouse, "select count(*) from intermediate.int_employees_mapped where not is_mapped")
    assert unmapped == [(0,)], "every HR department name maps to a department"


def assert_amounts_are_in_the_reporting_currency_with_the_original_kept(warehouse: Path) -> None:
    usd = query(
        warehouse,
        """
        select g.amount_original, g.amount, r.rate
        from intermediate.int_erp__gl_entries_in_reporting_currency g
        join staging.stg_erp__exchange_rates r on r.rate_date = g.posting_date and r.from_currency = 'USD'
        where g.currency_original = 'USD' limit 50""",
    )
    assert usd, "the simulator posts some USD lines"
    for original, converted, rate in usd:
        assert abs(converted - original * rate) < 1e-6


def _dbt_staging(warehouse: Path, *extra: str) -> None:
    """`dbt run` of the staging models against ``warehouse``, as the orchestrator runs them."""
    import subprocess

    from dagster_project.assets.dbt import warehouse_for_dbt
    from dagster_project.project import DBT_EXECUTABLE

    with warehouse_for_dbt(str(warehouse)):
        done = subprocess.run(
            [
                DBT_EXECUTABLE,
                "run",
                "--select",
                "fqn:staging",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(warehouse.parent / "target"),
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 0, done.stdout[-3000:]


def _staging_tables(warehouse: Path) -> dict[str, list[tuple]]:
    names = query(
        warehouse, "select table_name from information_schema.tables where table_schema = 'staging'"
    )
    return {t: sorted(query(warehouse, f"select * from staging.{t}"), key=repr) for (t,) in names}


def test_incremental_staging_after_a_day_equals_a_full_refresh(built, tmp_path):
    """A day later, the staging tables built from what landed since equal a rebuild from all of raw."""
    from datetime import timedelta

    from connectors.embedded import SimulatorProcess
    from tests.conftest import AS_OF, copy_warehouse, extract_all

    incremental = copy_warehouse(built.path, tmp_path / "incremental" / "warehouse.duckdb")
    before = query(incremental, "select max(extracted_at) from staging.stg_erp__gl_entries")[0][0]
    with SimulatorProcess(seed=SEED, scale="s", as_of=AS_OF + timedelta(days=1)) as later:
        extract_all(incremental, later)
    _dbt_staging(incremental)
    full = copy_warehouse(incremental, tmp_path / "full" / "warehouse.duckdb")
    _dbt_staging(full, "--full-refresh")

    changed = query(
        incremental,
        "select count(*) from staging.stg_erp__gl_entries where extracted_at > ?",
        [before],
    )[0][0]
    assert changed > 0, "the day's new GL entries reached staging"
    incremental_rows, full_rows = _staging_tables(incremental), _staging_tables(full)
    assert len(incremental_rows) == 28  # a model per source stream, and the extraction ledger's
    for table, rows in full_rows.items():
        assert incremental_rows[table] == rows, table


def test_dbt_profile_defaults_are_the_products_duckdb_bounds():
    """Run by hand, dbt gets the same DuckDB memory and thread bounds as every connection of the product."""
    from connectors.settings import (
        DEFAULT_DUCKDB_MEMORY_LIMIT,
        DEFAULT_DUCKDB_THREADS,
        DUCKDB_MEMORY_LIMIT_ENV,
        DUCKDB_THREADS_ENV,
    )

    settings = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())["department_contribution"]
    wanted = settings["outputs"]["warehouse"]["settings"]
    assert (
        wanted["memory_limit"]
        == f"{{{{ env_var('{DUCKDB_MEMORY_LIMIT_ENV}', '{DEFAULT_DUCKDB_MEMORY_LIMIT}') }}}}"
    )
    assert wanted["threads"] == f"{{{{ env_var('{DUCKDB_THREADS_ENV}', '{DEFAULT_DUCKDB_THREADS}') }}}}"


def test_every_staging_model_parses_its_payload_once(tmp_path, monkeypatch):
    """One JSON parse per row for all of a model's fields: per-field parses each keep a parse arena per
    thread in DuckDB, which is what made staging the memory peak."""
    from dbt.cli.main import dbtRunner

    monkeypatch.setenv("DCW_WAREHOUSE_PATH", str(tmp_path / "empty.duckdb"))
    target = tmp_path / "target"
    args = ["compile", "--select", "staging", "--quiet", "--target-path", str(target)]
    args += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    assert dbtRunner().invoke(args).success
    compiled = [
        path
        for source in BUILTIN_SOURCES
        for path in sorted(target.glob(f"compiled/*/models/staging/{source}/stg_*.sql"))
    ]
    assert len(compiled) == 27
    for path in compiled:
        sql = path.read_text()
        parses = sql.count("json_extract_string(_payload, [")
        per_field = sql.count("json_extract_string(_payload, '")
        assert (parses, per_field) == (1, 0), f"{path.name}: {parses} list parse(s), {per_field} per field"
        assert "_payload_fields[1]" in sql
