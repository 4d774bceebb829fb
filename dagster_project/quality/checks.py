"""The quality gates that dbt tests cannot express: cross-source, time, money, units, malformed fields,
freshness, volume.

Each check is a query that DuckDB answers with one small row per place (a month, a department, a source):
`location` names the place, `value` is what is measured there, `records` how many records stand behind
it. great-expectations then asserts the value against the stated band and keeps the evidence (Data
Docs). Doing the aggregation in DuckDB keeps a check's cost flat at any scale; GX sees a few hundred rows.

The `meaning` and `fix` of every check are what the README's section for data stewards is made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from connectors.landing.tables import raw_table_name
from connectors.sources import SOURCES
from dagster_project.company import CALIBRATION_SIGNIFICANCE, EMPLOYEE_ROLLUP_TOLERANCE, REPORTING_CURRENCY


class Severity(StrEnum):
    """Blocking checks stop everything downstream (publication included); warnings travel with it."""

    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class QualityCheck:
    name: str
    asset: tuple[str, ...]  # the asset key the check is attached to (what it vouches for)
    severity: Severity
    sql: str  # rows of (location, value, records)
    min_value: float | None
    max_value: float | None
    expected: str  # the band, in words
    meaning: str  # what a failure means
    fix: str  # how a data steward fixes its cause


# Stated tolerances (README, section for data stewards).
COST_CENTER_RESOLUTION_MIN = 0.98  # share of a month's GL lines whose cost center maps to a department
PEOPLE_RESOLUTION_MIN = 0.90  # share of a month's issues / deals whose assignee / owner is an HR employee
REVENUE_TOLERANCE = 0.02  # CRM closed-won vs ERP invoiced, same deals, per close month
# HR employed on payroll day vs heads on the payroll line: 2 people or 1.5% of the heads paid, whichever is
# larger. A fixed count fails every large department: HR records with an unreadable hire date (0.5% of
# employees in the simulator's realistic mess) put a 440-person department 5 heads short.
HEADCOUNT_TOLERANCE = 2
HEADCOUNT_TOLERANCE_SHARE = 0.015
SAME_INSTANT_SECONDS = 60  # one event, two clocks (Jira fields vs its SLA engine)
FRESHNESS_MAX_HOURS = 48  # a source's newest change behind the newest change of any source
VOLUME_BAND = (0.99, 1.5)  # keys now / keys at the previous check: never shrink, never explode
# One field malformed in more than this share of a stream's current records landed on one day is a
# systematic format change at the source (a locale switch in amounts, a new date format), not the odd
# typo: sources mistype up to about 1% (the simulator's realistic mess). A day that landed fewer than
# MALFORMED_FLOOR_RECORDS records is judged as if it had that many, so that one typo among three
# records is not a format change.
MALFORMED_SHARE_MAX = 0.05
MALFORMED_FLOOR_RECORDS = 100

STAGING = "staging"
INTERMEDIATE = "intermediate"
# A date the source sent malformed is null in staging (see int_field_issues): its place says so.
MONTH = "coalesce(strftime({column}, '%Y-%m'), 'date unreadable')"


def _month(column: str) -> str:
    return MONTH.format(column=column)


# (stream, column, declared unit, largest plausible value)
UNIT_BOUNDS: tuple[tuple[str, str, str, float], ...] = (
    ("stg_hr__training_records", "training_hours", "hours per training", 24),
    ("stg_hr__time_off_requests", "duration_days", "days per request", 31),
    ("stg_ticketing__service_requests", "resolution_sla_elapsed_hours", "hours", 24 * 15),
    ("stg_ticketing__service_requests", "first_response_sla_elapsed_hours", "hours", 24 * 15),
)
UNIT_DATES = {
    "stg_hr__training_records": "completed_date",
    "stg_hr__time_off_requests": "start_date",
    "stg_ticketing__service_requests": "created_date",
}

# (intermediate model, converted column, original column, date column): staging keeps each amount as its
# source sent it; the models of dbt_project/models/intermediate/currency convert it.
MONEY: tuple[tuple[str, str, str, str], ...] = (
    ("int_erp__gl_entries_in_reporting_currency", "amount", "amount_original", "posting_date"),
    ("int_erp__sales_invoices_in_reporting_currency", "amount", "amount_original", "invoice_date"),
    ("int_erp__purchase_invoices_in_reporting_currency", "amount", "amount_original", "received_date"),
    ("int_erp__budgets_in_reporting_currency", "amount", "amount_original", "period_start_date"),
    ("int_crm__deals_in_reporting_currency", "amount", "amount_original", "created_date"),
    (
        "int_crm__goal_targets_in_reporting_currency",
        "target_amount",
        "target_amount_original",
        "period_start_date",
    ),
    ("int_hr__training_records_in_reporting_currency", "cost", "cost_original", "completed_date"),
)

ISSUE_STREAMS = (
    "rd_issues",
    "implementation_projects",
    "service_requests",
    "security_patrols",
    "customer_complaints",
)

# Where each source's freshness and volume are reported: the model HR and the metrics lean on most.
SOURCE_ANCHORS = {
    "hr": "stg_hr__employees",
    "erp": "stg_erp__gl_entries",
    "ticketing": "stg_ticketing__service_requests",
    "crm": "stg_crm__deals",
}


def _money_sql() -> str:
    # A row with a malformed field (its amount, or the date its rate is taken on) cannot be converted:
    # that is malformed_fields_stay_rare's to count, not a missing rate.
    parts = [
        f"""
        select '{model} ' || {_month(date)} as location,
            count(*) filter (where {original} is not null and field_issues is null and (
                {converted} is null
                or abs({converted} - {original} * exchange_rate) > 0.01
                or (currency_original = '{REPORTING_CURRENCY}' and exchange_rate <> 1))) as value,
            count(*) as records
        from {INTERMEDIATE}.{model}
        group by all"""
        for model, converted, original, date in MONEY
    ]
    return "\nunion all\n".join(parts)


def _units_sql() -> str:
    parts = [
        f"""
        select '{model}.{column} ({unit}) ' || {_month(UNIT_DATES[model])} as location,
            coalesce(max({column}), 0) / {bound} as value, count(*) as records
        from {STAGING}.{model}
        group by all"""
        for model, column, unit, bound in UNIT_BOUNDS
    ]
    return "\nunion all\n".join(parts)


def _people_sql() -> str:
    issues = "\nunion all\n".join(
        f"select assignee_account_id as person_id, created_date as event_date "
        f"from {STAGING}.stg_ticketing__{stream} where not is_deleted"
        for stream in ISSUE_STREAMS
    )
    return f"""
        with references_ as (
            select 'ticketing' as source_system, person_id, event_date from ({issues})
            union all
            select 'crm', owner_id, created_date from {STAGING}.stg_crm__deals
        )
        select references_.source_system || ' ' || {_month("references_.event_date")} as location,
            avg(case when people.is_resolved then 1.0 else 0.0 end) as value,
            count(*) as records
        from references_
        left join intermediate.int_people_resolved as people
            on people.source_system = references_.source_system and people.person_id = references_.person_id
        where references_.person_id is not null
        group by all"""


def _malformed_fields_sql() -> str:
    landed = "\nunion all\n".join(
        f"select '{source}' as source_system, '{stream.name}' as source_stream, "
        f"cast(extracted_at as date) as landed_on, count(*) as records "
        f"from {STAGING}.stg_{source}__{stream.name} group by all"
        for source in SOURCE_ANCHORS
        for stream in SOURCES[source].streams
    )
    return f"""
        with landed as ({landed}),
        malformed as (
            select source_system, source_stream, cast(landed_at as date) as landed_on, field,
                count(*) as records
            from {INTERMEDIATE}.int_field_issues
            group by all
        )
        select landed.source_system || '/' || landed.source_stream || ' ' || malformed.field
                || ' landed ' || strftime(landed.landed_on, '%Y-%m-%d') || ': '
                || malformed.records || ' of ' || landed.records || ' malformed' as location,
            malformed.records / greatest(landed.records, {MALFORMED_FLOOR_RECORDS}) as value,
            landed.records as records
        from landed
        inner join malformed using (source_system, source_stream, landed_on)
        union all
        -- the days without a malformed field, one place per stream
        select source_system || '/' || source_stream || ': no malformed field in '
                || sum(records) || ' records' as location,
            0 as value,
            sum(records) as records
        from landed
        where not exists (
            select 1 from malformed
            where malformed.source_system = landed.source_system
                and malformed.source_stream = landed.source_stream
                and malformed.landed_on = landed.landed_on
        )
        group by source_system, source_stream"""


def _raw_tables(source: str) -> list[str]:
    return [f"raw.{raw_table_name(source, stream.name)}" for stream in SOURCES[source].streams]


def _freshness_sql(source: str) -> str:
    newest = "\nunion all\n".join(
        f"select '{name}' as source_system, max(_source_updated_at) as newest from {table}"
        for name in SOURCES
        for table in _raw_tables(name)
    )
    return f"""
        with newest as (
            select source_system, max(newest) as newest from ({newest}) group by source_system
        )
        select '{source} newest change ' || strftime(mine.newest, '%Y-%m-%d %H:%M') || ' UTC' as location,
            date_diff('second', mine.newest, (select max(newest) from newest)) / 3600.0 as value,
            1 as records
        from newest as mine
        where mine.source_system = '{source}'"""


def _volume_sql(source: str) -> str:
    return "\nunion all\n".join(
        f"select '{table}' as location, count(distinct _key) as value, count(*) as records from {table}"
        for table in _raw_tables(source)
    )


def _checks() -> list[QualityCheck]:
    checks = [
        QualityCheck(
            name="cost_centers_resolve",
            asset=(STAGING, "stg_erp__gl_entries"),
            severity=Severity.BLOCKING,
            sql=f"""
                select {_month("gl.posting_date")} || coalesce(' unmapped: ' || string_agg(distinct
                        case when not coalesce(cc.is_mapped, false) then gl.cost_center_id end, ', '), '')
                        as location,
                    avg(case when cc.is_mapped then 1.0 else 0.0 end) as value,
                    count(*) as records
                from {STAGING}.stg_erp__gl_entries as gl
                left join intermediate.int_cost_centers_mapped as cc on cc.cost_center_id = gl.cost_center_id
                where not gl.is_deleted
                group by {_month("gl.posting_date")}""",
            min_value=COST_CENTER_RESOLUTION_MIN,
            max_value=1,
            expected=f"at least {COST_CENTER_RESOLUTION_MIN:.0%} of each month's GL lines on a mapped "
            "cost center",
            meaning="GL lines post to a cost center that no department maps to: their cost is in no "
            "department's actuals and budget variance is understated.",
            fix="Add the cost center to dbt_project/seeds/department_aliases.csv (source_system erp, "
            "alias_kind cost_center_id), or have finance repost the lines; "
            "intermediate.int_references_unresolved lists each one with its line count.",
        ),
        QualityCheck(
            name="people_resolve",
            asset=(STAGING, "stg_ticketing__service_requests"),
            severity=Severity.BLOCKING,
            sql=_people_sql(),
            min_value=PEOPLE_RESOLUTION_MIN,
            max_value=1,
            expected=f"at least {PEOPLE_RESOLUTION_MIN:.0%} of each month's issues and deals "
            "assigned to someone HR knows",
            meaning="Work is assigned to accounts that resolve to no HR employee, so it counts for no "
            "department.",
            fix="Fix the account's email in Jira / HubSpot, or map it in "
            "dbt_project/seeds/person_mapping.csv; see intermediate.int_references_unresolved.",
        ),
        QualityCheck(
            name="work_emails_identify_one_employee",
            asset=(STAGING, "stg_hr__employees"),
            severity=Severity.BLOCKING,
            sql=f"""
                select 'employees ' || string_agg(employee_id, ', ' order by employee_id) as location,
                    count(*) as value, count(*) as records
                from {STAGING}.stg_hr__employees
                where work_email is not null
                group by lower(work_email)""",
            min_value=1,
            max_value=1,
            expected="one HR employee record per work email",
            meaning="Two employee records share a work email (typically a rehire under a new id): every "
            "ticket, deal and posting of that person would count twice.",
            fix="Merge or terminate the duplicate record in the HR system (BambooHR); the location lists "
            "the employee ids.",
        ),
        QualityCheck(
            name="crm_revenue_reconciles_with_erp",
            # Attached to the invoices as staged, so that a failure holds back all they feed (no model
            # reads the converted invoices); what it compares is their amount in the reporting currency.
            asset=(STAGING, "stg_erp__sales_invoices"),
            severity=Severity.BLOCKING,
            sql=f"""
                with invoiced as (
                    select crm_deal_id, sum(amount) as erp_amount
                    from {INTERMEDIATE}.int_erp__sales_invoices_in_reporting_currency
                    where crm_deal_id is not null and not is_deleted
                    group by crm_deal_id
                    -- a deal with an invoice whose amount does not read cannot be compared
                    having count(amount) = count(*)
                )
                select 'deals closed ' || {_month("deals.close_date")} as location,
                    sum(invoiced.erp_amount) / sum(deals.amount) - 1 as value,
                    count(*) as records
                from {INTERMEDIATE}.int_crm__deals_in_reporting_currency as deals
                inner join invoiced on invoiced.crm_deal_id = deals.deal_id
                where deals.is_closed_won and deals.amount is not null
                group by all""",
            min_value=-REVENUE_TOLERANCE,
            max_value=REVENUE_TOLERANCE,
            expected=f"ERP invoiced within ±{REVENUE_TOLERANCE:.0%} of the CRM's closed-won amount of the "
            f"same deals, per close month ({REPORTING_CURRENCY})",
            meaning="The ERP billed a different amount than the CRM says was sold: revenue attainment "
            "and finance's revenue disagree.",
            fix="Compare the month's invoices with their deals (stg_erp__sales_invoices.crm_deal_id); "
            "correct the deal amount in the CRM or the invoice in the ERP.",
        ),
        QualityCheck(
            name="headcount_matches_payroll",
            asset=(STAGING, "stg_erp__gl_entries"),
            severity=Severity.BLOCKING,
            sql=f"""
                with payroll as (
                    select cc.department_id, gl.posting_date, sum(gl.quantity) as paid
                    from {STAGING}.stg_erp__gl_entries as gl
                    inner join intermediate.int_cost_centers_mapped as cc
                        on cc.cost_center_id = gl.cost_center_id
                    where gl.gl_account = '6601' and not gl.is_reversal and not gl.is_deleted
                    group by all
                )
                select payroll.department_id || ' payroll ' || strftime(payroll.posting_date, '%Y-%m-%d')
                        || ': HR ' || count(employees.employee_id)
                        || ', paid ' || any_value(payroll.paid)::bigint as location,
                    (count(employees.employee_id) - any_value(payroll.paid)) / greatest(
                        {HEADCOUNT_TOLERANCE}, {HEADCOUNT_TOLERANCE_SHARE} * any_value(payroll.paid)
                    ) as value,
                    count(employees.employee_id) as records
                from payroll
                left join intermediate.int_employees_mapped as employees
                    on employees.department_id = payroll.department_id
                    and employees.hire_date <= payroll.posting_date
                    and (employees.termination_date is null
                        or employees.termination_date >= payroll.posting_date)
                group by payroll.department_id, payroll.posting_date""",
            min_value=-1.0,
            max_value=1.0,
            expected=f"HR's employed headcount on payroll day within ±{HEADCOUNT_TOLERANCE} people or "
            f"±{HEADCOUNT_TOLERANCE_SHARE:.1%} of the heads paid on the department's payroll line, whichever "
            "is larger (value: the difference over that allowance)",
            meaning="HR and payroll disagree on who works in the department: headcount-based rates "
            "(attrition, per-FTE support) rest on the wrong denominator.",
            fix="Check hires and terminations near payroll day in HR against the payroll run; an HR "
            "record whose hire or termination date does not read (intermediate.int_field_issues) is a "
            "common cause.",
        ),
        QualityCheck(
            name="events_keep_their_instant_across_clocks",
            asset=(STAGING, "stg_ticketing__service_requests"),
            severity=Severity.BLOCKING,
            sql=f"""
                select 'service requests created ' || {_month("created_date")} as location,
                    count(*) filter (where
                        abs(date_diff('second', created_at, sla_started_at)) > {SAME_INSTANT_SECONDS}
                        or abs(date_diff('second', resolved_at, resolution_sla_stopped_at))
                            > {SAME_INSTANT_SECONDS}) as value,
                    count(*) as records
                from {STAGING}.stg_ticketing__service_requests
                where not is_deleted
                group by all""",
            min_value=0,
            max_value=0,
            expected=f"created and resolved instants within {SAME_INSTANT_SECONDS} s of the SLA engine's "
            "start and stop of the same request",
            meaning="Timestamps carry a wrong UTC offset, so events land in the wrong day or month and "
            "response times are off by hours.",
            fix="Fix the time zone of the Jira site or of the users named (Jira profile settings); the "
            "next extraction reads the corrected instants.",
        ),
        QualityCheck(
            name="money_in_the_reporting_currency",
            asset=(STAGING, "stg_erp__exchange_rates"),
            severity=Severity.BLOCKING,
            sql=_money_sql(),
            min_value=0,
            max_value=0,
            expected=f"every amount converted to {REPORTING_CURRENCY} at the ERP's rate of its date",
            meaning="An amount has no exchange rate for its date (or was converted twice): revenue and "
            "budget metrics would mix currencies.",
            fix="Load the missing rates into the ERP's exchange-rate table (stg_erp__exchange_rates).",
        ),
        QualityCheck(
            name="units_as_declared",
            asset=(STAGING, "stg_hr__training_records"),
            severity=Severity.BLOCKING,
            sql=_units_sql(),
            min_value=0,
            max_value=1,
            expected="the month's largest value within the plausible maximum of its declared unit",
            meaning="Values far beyond the unit's plausible range: typically minutes sent where hours are "
            "declared, which inflates training hours and response times sixty-fold.",
            fix="Correct the unit at the source (the HR system's training hours); the location names the "
            "stream, column and month.",
        ),
        QualityCheck(
            name="malformed_fields_stay_rare",
            asset=(INTERMEDIATE, "int_field_issues"),
            severity=Severity.BLOCKING,
            sql=_malformed_fields_sql(),
            min_value=0,
            max_value=MALFORMED_SHARE_MAX,
            expected=f"no field malformed in more than {MALFORMED_SHARE_MAX:.0%} of a stream's current "
            f"records landed on one day (a day with fewer than {MALFORMED_FLOOR_RECORDS} records counts "
            f"as {MALFORMED_FLOOR_RECORDS})",
            meaning="One field of a stream arrives malformed in many records at once: a format change at "
            "the source (amounts in another locale, 1.234,56; a new date format), not a typo. The field "
            "is null for every such record, so each metric that needs it skips them all "
            "(intermediate.int_metric_exceptions).",
            fix="intermediate.int_field_issues lists each record with the raw value: have the source "
            "system's interface send the field in its documented format again (or adapt the staging "
            "model if the new format is here to stay); the next extraction lands the corrected records.",
        ),
    ]
    for source, model in SOURCE_ANCHORS.items():
        checks.append(
            QualityCheck(
                name=f"{source}_is_fresh",
                asset=(STAGING, model),
                severity=Severity.BLOCKING,
                sql=_freshness_sql(source),
                min_value=0,
                max_value=FRESHNESS_MAX_HOURS,
                expected=f"newest change at most {FRESHNESS_MAX_HOURS} h behind the newest change of "
                "any source",
                meaning=f"The {source} source stopped delivering changes: its metrics would silently "
                "describe an older company.",
                fix=f"Check the {source} extraction (raw._loads for errors, credentials, the service's "
                "status) and rerun it.",
            )
        )
        checks.append(
            QualityCheck(
                name=f"{source}_volume_within_band",
                asset=(STAGING, model),
                severity=Severity.WARNING,
                sql=_volume_sql(source),
                min_value=VOLUME_BAND[0],
                max_value=VOLUME_BAND[1],
                expected=f"records per raw table between {VOLUME_BAND[0]:.0%} and {VOLUME_BAND[1]:.0%} "
                "of the previous check",
                meaning="A stream lost records or suddenly grew: a filter, a permission or a duplicate "
                "feed changed at the source.",
                fix="Compare raw._loads for the stream with the previous runs; look for permission or "
                "filter changes in the source system.",
            )
        )
    return checks


CHECKS: tuple[QualityCheck, ...] = tuple(_checks())

HR = "hr"


def _employee_checks() -> list[QualityCheck]:
    """The HR tier's checks: they run after the employee marts and warn; an employee scorecard that does
    not reconcile or calibrate is for HR to review, never a reason to hold back the department marts."""
    return [
        QualityCheck(
            name="employee_rollup_reconciles_with_department_index",
            asset=(HR, "employee_rollup_reconciliation"),
            severity=Severity.WARNING,
            sql=f"""
                select department_id || ' ' || period_id || ': department ' || round(department_index, 1)
                        || ' vs people ' || coalesce(cast(round(employee_rollup_index, 1) as varchar), 'none')
                        || ' (' || divergence_reasons || ')' as location,
                    coalesce(abs(difference), 100) as value,
                    employees_scored as records
                from {HR}.employee_rollup_reconciliation""",
            min_value=0,
            max_value=EMPLOYEE_ROLLUP_TOLERANCE,
            expected=f"each department index within {EMPLOYEE_ROLLUP_TOLERANCE:g} points (dbt var "
            "employee_rollup_tolerance_points) of the months-weighted mean index of its scored people",
            meaning="The department's index and the roll-up of its people tell different stories: people "
            "are missing from the roll-up (new hires, vacancies, managers), the department leans on "
            "metrics no person carries, or a few people far above target lift the pooled department "
            "value but not the mean of capped personal scores. The location says which applies.",
            fix="Read hr.employee_rollup_reconciliation for the department and period; if a person is "
            "missing, check their job title (seed job_roles) and their records; otherwise review the role "
            "templates' targets against the department scheme's (seed role_scoring_scheme).",
        ),
        QualityCheck(
            name="employee_grades_calibrated",
            asset=(HR, "grade_calibration"),
            severity=Severity.WARNING,
            sql=f"""
                select department_id || ' ' || role_id || ' ' || period_id || ': '
                        || string_agg(grade || ' ' || round(100 * share) || '% vs '
                            || round(100 * target_share) || '%'
                            || case when is_off_target then ' (p '
                                || coalesce(cast(round(p_value, 4) as varchar), 'n/a') || ')' else '' end,
                            ', ' order by grade) as location,
                    max(case when is_flagged_for_review then 1 else 0 end) as value,
                    max(group_size) as records
                from {HR}.grade_calibration
                where period_type = 'quarter' and is_period_complete
                group by department_id, role_id, period_id""",
            min_value=0,
            max_value=0,
            expected="in each complete quarter, each department and role's grade shares within the tolerance "
            "of seed grade_distribution_targets, or off by no more than chance explains in a group of that "
            f"size (p-value at the tolerance's edge of at least {CALIBRATION_SIGNIFICANCE:g}, dbt var "
            "calibration_significance; groups of at least var calibration_min_group_size people)",
            meaning="A group's grades bunch up (everyone excellent, or everyone failing) beyond what HR "
            "expects and beyond a small group's luck: lenient or harsh reviews, a target set too easy or too "
            "hard, or a real outlier team.",
            fix="HR reviews the flagged group in hr.grade_calibration and the people's evidence "
            "(hr.employee_metric_evidence); grades are never changed automatically: if the targets were "
            'wrong, add a role_scoring_scheme version with an effective date (README, "Recalibrating the '
            'role templates").',
        ),
    ]


EMPLOYEE_CHECKS: tuple[QualityCheck, ...] = tuple(_employee_checks())
VOLUME_CHECKS = frozenset(c.name for c in CHECKS if c.name.endswith("_volume_within_band"))


def check_named(name: str) -> QualityCheck:
    return next(c for c in (*CHECKS, *EMPLOYEE_CHECKS) if c.name == name)


def quality_dir(warehouse: str | Path) -> Path:
    """Data Docs live beside the warehouse: `data/quality/` for `data/warehouse.duckdb`."""
    return Path(warehouse).resolve().parent / "quality"
