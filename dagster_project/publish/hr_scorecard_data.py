"""One period's employee scorecards (HR tier), read once from the `hr` marts of the WORKING database.

These pages name people, so they are rendered from the working database (opened read-only), never from
the BI snapshot, which has no `hr` schema. As for the department scorecards, Python only selects, groups
and formats: every index, score, rank and flag is the marts' own (`hr.fct_employee_scorecard`,
`fct_employee_metric_scores`, `employee_metric_evidence`, `employee_rollup_reconciliation`,
`grade_calibration`), with the metric names of `marts.metric_catalog`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from connectors.landing.database import connect, has_table
from dagster_project.publish.provenance import Provenance, load_provenance
from dagster_project.publish.scorecard_data import (
    GradeBand,
    Period,
    ScorecardError,
    fetch_rows,
    load_grade_bands,
    natural_key,
)

HR = "hr"
MARTS = "marts"


@dataclass(frozen=True)
class RoleScore:
    """One row of hr.fct_employee_scorecard: a person in one role in the period."""

    employee_id: str
    employee_number: str | None
    display_name: str
    department_id: str
    department_name_en: str
    department_name_zh: str
    role_id: str
    role_name_en: str
    role_name_zh: str
    period_start_date: date
    period_end_date: date
    months_in_role: int
    scheme_version: str
    employee_index: float
    core_part: float
    extension_part: float
    grade: str
    rank_in_role: int
    employees_in_role: int
    rank_in_department: int
    employees_in_department: int
    rank_in_department_role: int
    employees_in_department_role: int
    weight_coverage_pct: float
    metrics_observed: int
    metrics_in_template: int
    evidence_record_count: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.employee_id, self.role_id)


@dataclass(frozen=True)
class PersonMetric:
    """One row of hr.fct_employee_metric_scores, with the catalog's names."""

    tier: str
    metric_id: str
    name_en: str
    name_zh: str
    metric_value: float | None
    unit: str
    direction: str
    numerator: float | None
    denominator: float | None
    target: float
    floor: float
    score: float | None
    weight: float
    effective_weight: float
    weighted_contribution: float
    record_count: int
    is_observed: bool


@dataclass(frozen=True)
class PersonRecord:
    """One row of hr.employee_metric_evidence: a source record behind a person's metric value."""

    month_start_date: date
    source_system: str
    source_stream: str
    record_key: str
    numerator_part: float | None
    denominator_part: float | None


@dataclass(frozen=True)
class Reconciliation:
    """One row of hr.employee_rollup_reconciliation: the department index vs the roll-up of its people."""

    department_index: float | None
    employee_rollup_index: float | None
    difference: float | None
    tolerance_points: float
    employees_scored: int
    employees_in_period: int
    is_within_tolerance: bool | None
    divergence_reasons: str | None

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in (self.divergence_reasons or "").split(";") if r.strip())


@dataclass(frozen=True)
class CalibrationGrade:
    """One grade of a calibration group (hr.grade_calibration)."""

    grade: str
    employees: int
    share: float
    target_share: float
    tolerance: float
    deviation: float
    is_off_target: bool


@dataclass(frozen=True)
class CalibrationGroup:
    """A department and role's grade distribution against HR's target distribution."""

    role_id: str
    role_name_en: str
    role_name_zh: str
    group_size: int
    is_flagged_for_review: bool
    grades: tuple[CalibrationGrade, ...]


@dataclass(frozen=True)
class DepartmentPeople:
    """A department's scored people in the period, ordered by their rank in the department."""

    department_id: str
    name_en: str
    name_zh: str
    roles: tuple[RoleScore, ...]
    reconciliation: Reconciliation | None
    calibration: tuple[CalibrationGroup, ...]

    @property
    def people(self) -> tuple[str, ...]:
        """Employee ids in order of their best rank (a person who changed role has two rows)."""
        return tuple(dict.fromkeys(r.employee_id for r in self.roles))

    @property
    def flagged(self) -> tuple[CalibrationGroup, ...]:
        return tuple(g for g in self.calibration if g.is_flagged_for_review)


@dataclass(frozen=True)
class HrScorecard:
    """One period's employee scorecards for every department with scored people."""

    period: Period
    data_through: date | None
    departments: dict[str, DepartmentPeople]  # by department id
    metrics: dict[tuple[str, str], tuple[PersonMetric, ...]]  # (employee, role) -> template lines
    evidence: dict[tuple[str, str, str], tuple[PersonRecord, ...]]  # (employee, role, metric) -> records
    roles_of: dict[str, tuple[RoleScore, ...]]  # employee -> every role row in the period, any department
    grade_bands: tuple[GradeBand, ...]
    provenance: Provenance  # where the data came from: the simulator (demo data) or the sources' hosts

    @property
    def is_partial(self) -> bool:
        ends = [r.period_end_date for d in self.departments.values() for r in d.roles[:1]]
        return bool(ends and self.data_through and self.data_through < ends[0])

    @property
    def scheme_versions(self) -> tuple[str, ...]:
        return tuple(sorted({r.scheme_version for d in self.departments.values() for r in d.roles}))

    @property
    def people_count(self) -> int:
        return len(self.roles_of)


def _has_hr_scorecard(con: duckdb.DuckDBPyConnection) -> bool:
    return has_table(con, HR, "fct_employee_scorecard")


def scored_periods(database: Path) -> list[str]:
    """The periods with employee scores in `database` (opened read-only); empty without an `hr` schema."""
    with connect(database, read_only=True) as con:
        if not _has_hr_scorecard(con):
            return []
        query = f"select distinct period_id from {HR}.fct_employee_scorecard order by 1"
        return [p for (p,) in con.execute(query).fetchall()]


def _role_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute(f"select role_id, any_value(role_name_zh) from {MARTS}.job_roles group by 1")
    return dict(rows.fetchall())


def load_hr_scorecard(database: Path, period_id: str) -> HrScorecard:
    """Read one period's employee scorecards from the `hr` marts of `database`, opened read-only."""
    period = Period.parse(period_id)
    with connect(database, read_only=True) as con:
        if not _has_hr_scorecard(con):
            raise ScorecardError(f"{database} has no hr.fct_employee_scorecard: build the HR tier first")
        fields = ", ".join(RoleScore.__dataclass_fields__)
        roles = [
            RoleScore(**r)
            for r in fetch_rows(
                con,
                f"""select {fields} from {HR}.fct_employee_scorecard where period_id = ?
                    order by department_id, rank_in_department, display_name, employee_id, role_id""",
                [period.id],
            )
        ]
        if not roles:
            scored = con.execute(f"select distinct period_id from {HR}.fct_employee_scorecard order by 1")
            periods = ", ".join(p for (p,) in scored.fetchall()) or "none"
            raise ScorecardError(f"no employee is scored in {period.id} (scored periods: {periods})")

        by_department: dict[str, list[RoleScore]] = defaultdict(list)
        roles_of: dict[str, list[RoleScore]] = defaultdict(list)
        for role in roles:
            by_department[role.department_id].append(role)
            roles_of[role.employee_id].append(role)
        scored_keys = {role.key for role in roles}

        metrics: dict[tuple[str, str], list[PersonMetric]] = defaultdict(list)
        for r in fetch_rows(
            con,
            f"""select s.employee_id, s.role_id, s.tier, s.metric_id,
                    coalesce(c.name_en, s.metric_id) as name_en,
                    coalesce(c.name_zh, c.name_en, s.metric_id) as name_zh,
                    s.metric_value, s.unit, s.direction, s.numerator, s.denominator, s.target, s.floor,
                    s.score, s.weight, s.effective_weight, s.weighted_contribution, s.record_count,
                    s.is_observed
                from {HR}.fct_employee_metric_scores s
                left join {MARTS}.metric_catalog c using (metric_id)
                where s.period_id = ?
                order by s.employee_id, s.role_id, s.tier, s.weight desc, s.metric_id""",
            [period.id],
        ):
            key = (r.pop("employee_id"), r.pop("role_id"))
            if key in scored_keys:
                metrics[key].append(PersonMetric(**r))

        template_lines = {(*key, m.metric_id) for key, lines in metrics.items() for m in lines}
        evidence: dict[tuple[str, str, str], list[PersonRecord]] = defaultdict(list)
        for r in fetch_rows(
            con,
            f"""select employee_id, role_id, metric_id, month_start_date, source_system, source_stream,
                    record_key, numerator_part, denominator_part
                from {HR}.employee_metric_evidence where period_id = ?""",
            [period.id],
        ):
            key = (r.pop("employee_id"), r.pop("role_id"), r.pop("metric_id"))
            if key in template_lines:  # records of a metric outside the role's template score nothing
                evidence[key].append(PersonRecord(**r))
        for records in evidence.values():
            records.sort(key=lambda rec: (rec.month_start_date, natural_key(rec.record_key)))

        reconciliation = {
            r.pop("department_id"): Reconciliation(**r)
            for r in fetch_rows(
                con,
                f"""select department_id, department_index, employee_rollup_index, difference,
                        tolerance_points, employees_scored, employees_in_period, is_within_tolerance,
                        divergence_reasons
                    from {HR}.employee_rollup_reconciliation where period_id = ?""",
                [period.id],
            )
        }

        role_zh = _role_names(con)
        groups: dict[tuple[str, str], dict] = {}
        for r in fetch_rows(
            con,
            f"""select department_id, role_id, role_name_en, group_size, is_flagged_for_review, grade,
                    employees, share, target_share, tolerance, deviation, is_off_target
                from {HR}.grade_calibration g
                left join {MARTS}.grade_bands b using (grade)
                where period_id = ?
                order by department_id, role_id, b.min_index desc nulls last, grade""",
            [period.id],
        ):
            group = groups.setdefault(
                (r.pop("department_id"), r["role_id"]),
                {
                    "role_id": r["role_id"],
                    "role_name_en": r["role_name_en"],
                    "role_name_zh": role_zh.get(r["role_id"]) or r["role_name_en"],
                    "group_size": r["group_size"],
                    "is_flagged_for_review": False,
                    "grades": [],
                },
            )
            group["is_flagged_for_review"] |= bool(r["is_flagged_for_review"])
            for name in ("role_id", "role_name_en", "group_size", "is_flagged_for_review"):
                r.pop(name)
            group["grades"].append(CalibrationGrade(**r))
        calibration: dict[str, list[CalibrationGroup]] = defaultdict(list)
        for (department_id, _), group in groups.items():
            calibration[department_id].append(CalibrationGroup(**{**group, "grades": tuple(group["grades"])}))

        data_through = con.execute(
            f"select max(month_end_date) from {MARTS}.fct_department_headcount"
        ).fetchall()[0][0]
        departments = {
            d: DepartmentPeople(
                department_id=d,
                name_en=rows[0].department_name_en,
                name_zh=rows[0].department_name_zh,
                roles=tuple(rows),
                reconciliation=reconciliation.get(d),
                calibration=tuple(calibration.get(d, ())),
            )
            for d, rows in sorted(by_department.items(), key=lambda item: natural_key(item[0]))
        }
        return HrScorecard(
            period=period,
            data_through=data_through,
            departments=departments,
            metrics={k: tuple(v) for k, v in metrics.items()},
            evidence={k: tuple(v) for k, v in evidence.items()},
            roles_of={k: tuple(v) for k, v in roles_of.items()},
            grade_bands=load_grade_bands(con),
            provenance=load_provenance(con),
        )
