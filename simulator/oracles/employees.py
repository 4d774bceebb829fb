"""The correctness oracle for employees: the expected score of every (employee, month, role).

The warehouse scores people as well as departments (``hr.fct_employee_scorecard`` and
``hr.fct_employee_metric_scores``, ``period_type = 'month'``). This module recomputes those scores from
the truth model, independently of the SQL, on top of `simulator.oracles.departments`: the same view of the
company at ``clock.now_for(as_of)`` (visibility, malformed records, orphans, months, attribution of a
fact to the HR employee who did the work: read that module's docstring first), and the same facts, since
`oracle._Acc` keeps a fact that is one person's own work per (employee, month, metric) beside the
department cell it also feeds. An employee whose hire date is unreadable keeps their facts (they count
in the department) but has no role month, so no scorecard of their own.

Metric facts per employee (`expected_employee_observations`):
- exactly the catalog metrics with ``employee_attribution = own_records`` (`EMPLOYEE_METRICS`), each
  summing only that person's own facts: their scheduled workdays and absent days; their training
  completion (1/0, in months they are employed on the last day); the peer rows and all 360 rows (self,
  peer, manager) of their own reviews of the previous quarter's cycle; the RD issues, IMPL projects and
  SD requests assigned to them; the complaints and CSAT of the IMPL projects assigned to them; the deals
  they own and the revenue goals of their CRM user; the GL entries they posted; the purchase invoices
  they processed; the patrols assigned to them;
- NOT filtered by the metric's department families: a Finance Officer in the admin department has
  posting accuracy although admin departments do not. The response-hours metric of an SD request is
  still chosen by the family of the assignee's department (hr: hr_service_response_hours, admin:
  work_order_response_hours, others: none); incident_response_hours counts the incidents of every
  family;
- department-only metrics (attrition, support_*, the company-wide ones) have no employee value;
- an observation needs a denominator > 0 (a month with closed-won deals but no goal has no revenue
  attainment). Facts are kept whether or not the person is employed in the month (a complaint about a
  project whose assignee has left); only employed months are scored (below).

Role of a month (`employee_role_months`): for every visible employee with a readable hire date and every
oracle month
in which they are employed at least one day (hire <= last day and termination >= first day), the job
title in force on the month's last day of employment (the month's last day, or the termination day if
earlier): the entry of `Employee.roles` with the latest effective day <= that day, counting only the
role changes whose HR record version (the one carrying the ``jobTitle`` change, see
``people._hr_record``) is visible at ``now``. The title maps to a role through the seed
``job_roles.csv``; an unmapped title has no role month.

Scores (`expected_employee_scores`): a month's facts all belong to that month's role.
- Template: ``role_scoring_scheme.csv``; for each role, the version in force for a month is the one with
  the latest ``effective_from`` <= the month's first day. A role without a template in force
  (``department_manager``) is not scored.
- Per template metric: value = numerator / denominator when observed (denominator > 0); score =
  100 x (value - floor) / (target - floor), capped to [0, 100] (a lower-is-better metric has
  target < floor, the same formula); effective weight = weight x 100 / (sum of the weights of the
  template's observed metrics); weighted contribution = score x effective weight / 100.
- index = sum of the weighted contributions; core part and extension part = the same sum per tier
  (core + extension = index).
- The employee-month is scored only when at least one EXTENSION metric is observed: core metrics alone
  (attendance, training, reviews) do not make a score.
- Grade: ``grade_bands.csv``, the band with the highest ``min_index`` <= index. Weights and the scores
  0 and 100 are round numbers, so many indices are exactly a band edge in exact arithmetic but land a
  few ulps below it in floats (59.99999999999999): the grade is read at ``index + GRADE_TOLERANCE``
  (the exact-arithmetic grade), and ``near_band_edge`` flags the indices within ``EDGE_WINDOW`` of an
  edge, where a float computation in another summation order (SQL) may legitimately pick the other
  grade: compare the index at 1e-6 everywhere, and the grade only where ``near_band_edge`` is false.

API: `expected_employee_scores` -> {(employee_id, 'YYYY-MM', role_id): `ExpectedEmployee`} (per-metric
`MetricScore` in ``metrics``); `expected_employee_observations` -> {(employee_id, month, metric_id):
`EmployeeObservation`}; `employee_role_months` -> {(employee_id, month): `RoleMonth`};
`expected_employees` returns all three from one pass. ``employee_id`` is the HR id as a string, as the
HR API spells it. ``seeds_dir`` points at another copy of the seeds (a planted scheme defect).
``python -m simulator.oracles.employees --seed 7 --csv out.csv`` writes one row per scored
metric.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from simulator.company.model import SCALES, Company
from simulator.company.org import ROLES
from simulator.oracles.departments import _Acc, _Person, _View, accumulate

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
GRADE_TOLERANCE = 1e-9  # an index this close below a band edge reaches it (float noise, see docstring)
EDGE_WINDOW = 1e-6  # indices this close to a band edge get ``near_band_edge``

# the catalog's ``employee_attribution = own_records`` metrics: the ones measured per person
EMPLOYEE_METRICS: tuple[str, ...] = (
    "attendance_rate",
    "training_completion_rate",
    "peer_collaboration_score",
    "review_360_score",
    "on_time_delivery_rate",
    "defect_fix_time_hours",
    "reopen_rate",
    "go_live_on_time_rate",
    "customer_complaint_rate",
    "customer_satisfaction",
    "revenue_attainment",
    "win_rate",
    "sales_cycle_days",
    "hr_service_response_hours",
    "posting_accuracy",
    "invoice_processing_days",
    "work_order_response_hours",
    "incident_response_hours",
    "sla_attainment_rate",
    "patrol_completion_rate",
    "requester_satisfaction",
)


@dataclass(frozen=True)
class EmployeeObservation:
    """One expected per-person fact: (employee, month, metric) as numerator over denominator."""

    employee_id: str  # the HR employee id, as the HR API spells it
    month: str  # 'YYYY-MM'
    metric_id: str
    numerator: float
    denominator: float
    records: int  # source records behind it (as in the department oracle's _METRIC_RECORDS)

    @property
    def value(self) -> float:
        return self.numerator / self.denominator


@dataclass(frozen=True)
class RoleMonth:
    """The role an employee holds for a month (see the module docstring)."""

    employee_id: str
    month: str
    department_id: str
    job_title: str
    role_id: str
    as_of_day: date  # the month's last day of employment, where the title was read


@dataclass(frozen=True)
class TemplateRow:
    scheme_version: str
    effective_from: date
    role_id: str
    metric_id: str
    tier: str  # core | extension
    weight: float
    target: float
    floor: float


@dataclass(frozen=True)
class MetricScore:
    """One observed template metric of a scored employee-month."""

    metric_id: str
    tier: str
    weight: float  # the template's weight
    target: float
    floor: float
    numerator: float
    denominator: float
    records: int
    value: float
    score: float  # 0..100
    effective_weight: float  # weight re-based over the observed metrics, the observed ones sum to 100
    weighted_contribution: float  # score x effective_weight / 100


@dataclass(frozen=True)
class ExpectedEmployee:
    """The expected score of one (employee, period, role); a quarter holds only the role's months."""

    employee_id: str
    month: str  # the period: 'YYYY-MM', or 'YYYY-Qn' from `score_employee_quarters`
    role_id: str
    department_id: str
    job_title: str
    scheme_version: str
    index: float
    core_part: float
    extension_part: float
    grade: str
    near_band_edge: bool  # the index is within EDGE_WINDOW of a band's min_index: the grade is fragile
    metrics: dict[str, MetricScore] = field(default_factory=dict)  # observed template metrics only
    unobserved: tuple[str, ...] = ()  # template metrics without a value in the month
    months_in_role: int = 1  # months of the period held in the role


@dataclass(frozen=True)
class Seeds:
    """The HR-owned seeds the employee scores read."""

    title_roles: dict[str, str]  # job_title -> role_id
    templates: list[TemplateRow]
    grades: list[tuple[float, str]]  # (min_index, grade), highest first
    rollups: dict[str, str]  # metric_id -> ratio_of_sums | period_end (metric_catalog.csv)

    @classmethod
    def load(cls, seeds_dir: Path | None = None) -> Seeds:
        base = seeds_dir or SEEDS_DIR
        title_roles = {r["job_title"]: r["role_id"] for r in _read(base / "job_roles.csv")}
        templates = [
            TemplateRow(
                r["scheme_version"],
                date.fromisoformat(r["effective_from"]),
                r["role_id"],
                r["metric_id"],
                r["tier"],
                float(r["weight"]),
                float(r["target"]),
                float(r["floor"]),
            )
            for r in _read(base / "role_scoring_scheme.csv")
        ]
        grades = sorted(
            ((float(r["min_index"]), r["grade"]) for r in _read(base / "grade_bands.csv")), reverse=True
        )
        rollups = {r["metric_id"]: r["rollup"] for r in _read(base / "metric_catalog.csv")}
        return cls(title_roles, templates, grades, rollups)

    def template(self, role_id: str, first_day: date) -> tuple[str, list[TemplateRow]] | None:
        """(scheme version, rows) in force for ``role_id`` on a month's first day, None without one."""
        rows = [t for t in self.templates if t.role_id == role_id and t.effective_from <= first_day]
        if not rows:
            return None
        start = max(t.effective_from for t in rows)
        rows = [t for t in rows if t.effective_from == start]
        versions = {t.scheme_version for t in rows}
        if len(versions) != 1:
            raise ValueError(f"{role_id}: versions {sorted(versions)} all start on {start}")
        return versions.pop(), rows

    def grade(self, index: float) -> str:
        return next(g for lo, g in self.grades if lo <= index + GRADE_TOLERANCE)

    def near_band_edge(self, index: float) -> bool:
        return any(abs(index - lo) < EDGE_WINDOW for lo, _ in self.grades)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def expected_employee_observations(
    company: Company, as_of: date
) -> dict[tuple[str, str, str], EmployeeObservation]:
    """Every expected (employee_id, month, metric_id) -> `EmployeeObservation` (denominator > 0)."""
    _, acc = accumulate(company, as_of)
    return _observations(acc)


def employee_role_months(
    company: Company, as_of: date, seeds_dir: Path | None = None
) -> dict[tuple[str, str], RoleMonth]:
    """Every (employee_id, month) -> `RoleMonth` of a mapped employee employed in the month."""
    return _role_months(_View(company, as_of), Seeds.load(seeds_dir))


def expected_employee_scores(
    company: Company, as_of: date, seeds_dir: Path | None = None
) -> dict[tuple[str, str, str], ExpectedEmployee]:
    """Every scored (employee_id, month 'YYYY-MM', role_id) -> `ExpectedEmployee` at ``as_of``."""
    return expected_employees(company, as_of, seeds_dir).scores


@dataclass(frozen=True)
class EmployeeExpectations:
    """The three employee results of one pass over the company (one `accumulate`)."""

    observations: dict[tuple[str, str, str], EmployeeObservation]  # (employee_id, month, metric_id)
    role_months: dict[tuple[str, str], RoleMonth]  # (employee_id, month)
    scores: dict[tuple[str, str, str], ExpectedEmployee]  # (employee_id, month, role_id)
    quarter_scores: dict[tuple[str, str, str], ExpectedEmployee]  # (employee_id, 'YYYY-Qn', role_id)


def expected_employees(company: Company, as_of: date, seeds_dir: Path | None = None) -> EmployeeExpectations:
    """Observations, role months and scores at ``as_of`` from a single pass over the company."""
    v, acc = accumulate(company, as_of)
    seeds = Seeds.load(seeds_dir)
    observations, role_months = _observations(acc), _role_months(v, seeds)
    cells = {
        (str(emp), month, metric): (cell.num, cell.den, len(cell.records))
        for (emp, month, metric), cell in acc.emp_cells.items()
    }
    return EmployeeExpectations(
        observations,
        role_months,
        score_employees(observations, role_months, seeds),
        score_employee_quarters(cells, role_months, seeds),
    )


def _observations(acc: _Acc) -> dict[tuple[str, str, str], EmployeeObservation]:
    out = {}
    for (emp_id, month, metric), cell in sorted(acc.emp_cells.items()):
        if metric not in EMPLOYEE_METRICS:
            raise ValueError(f"{metric} is not an employee metric but has employee facts")
        if cell.den > 0:
            key = (str(emp_id), month, metric)
            out[key] = EmployeeObservation(*key, cell.num, cell.den, len(cell.records))
    return out


def _visible_roles(v: _View, p: _Person) -> list[tuple[int, str]]:
    """(effective day, role id) of the role changes the HR API shows at ``now``, first at hire."""
    emp = v.co.emp_by_id[p.emp_id]
    rec = emp.record
    last = rec.visible_index(v.now)
    assert last is not None  # a _Person is visible
    changes = sum("jobTitle" in ver.changes for ver in rec.versions[1 : last + 1])
    return emp.roles[: 1 + changes]


def _role_months(v: _View, seeds: Seeds) -> dict[tuple[str, str], RoleMonth]:
    out = {}
    for p in sorted(v.staff, key=lambda x: x.emp_id):
        roles = _visible_roles(v, p)
        for month, first, last in v.months:
            if p.hire > last or (p.term is not None and p.term < first):
                continue
            day = last if p.term is None else min(last, p.term)
            title = ROLES[max((r for r in roles if r[0] <= day), key=lambda r: r[0])[1]].title_en
            role_id = seeds.title_roles.get(title)
            if role_id is not None:
                out[(str(p.emp_id), month)] = RoleMonth(
                    str(p.emp_id), month, p.dept_id, title, role_id, date.fromordinal(day)
                )
    return out


def score_employees(
    observations: dict[tuple[str, str, str], EmployeeObservation],
    role_months: dict[tuple[str, str], RoleMonth],
    seeds: Seeds,
) -> dict[tuple[str, str, str], ExpectedEmployee]:
    """The scores of the role months from the observations (the rules of the module docstring)."""
    out = {}
    for (emp, month), rm in sorted(role_months.items()):
        scored = _score(emp, month, rm, date.fromisoformat(f"{month}-01"), observations, seeds)
        if scored is not None:
            out[(emp, month, rm.role_id)] = scored
    return out


def score_employee_quarters(
    cells: dict[tuple[str, str, str], tuple[float, float, int]],
    role_months: dict[tuple[str, str], RoleMonth],
    seeds: Seeds,
) -> dict[tuple[str, str, str], ExpectedEmployee]:
    """(employee_id, 'YYYY-Qn', role_id) -> the quarter's score over the months held in that role:
    ratio_of_sums metrics sum those months' numerators and denominators (a month with a numerator but
    no denominator still counts), period_end metrics take the role's last month in the quarter. ``cells``
    are the raw per-month facts, (employee_id, month, metric_id) -> (numerator, denominator, records)."""
    held: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for (emp, month), rm in role_months.items():
        held[(emp, _quarter(month), rm.role_id)].append(month)
    out = {}
    for (emp, quarter, role_id), months in sorted(held.items()):
        months.sort()
        observations: dict[tuple[str, str, str], EmployeeObservation] = {}
        for metric in EMPLOYEE_METRICS:
            span = [months[-1]] if seeds.rollups[metric] == "period_end" else months
            parts = [cells[(emp, m, metric)] for m in span if (emp, m, metric) in cells]
            num, den = sum(x[0] for x in parts), sum(x[1] for x in parts)
            if den > 0:
                observations[(emp, quarter, metric)] = EmployeeObservation(
                    emp, quarter, metric, num, den, sum(x[2] for x in parts)
                )
        rm = role_months[(emp, months[-1])]
        year, number = int(quarter[:4]), int(quarter[-1])
        scored = _score(emp, quarter, rm, date(year, 3 * number - 2, 1), observations, seeds)
        if scored is not None:
            out[(emp, quarter, role_id)] = dataclasses.replace(scored, months_in_role=len(months))
    return out


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"


def _score(
    emp: str,
    period: str,
    rm: RoleMonth,
    first_day: date,
    observations: dict[tuple[str, str, str], EmployeeObservation],
    seeds: Seeds,
) -> ExpectedEmployee | None:
    found = seeds.template(rm.role_id, first_day)
    if found is None:
        return None
    version, rows = found
    seen = [
        (t, observations[(emp, period, t.metric_id)])
        for t in rows
        if (emp, period, t.metric_id) in observations
    ]
    if not any(t.tier == "extension" for t, _ in seen):
        return None
    total_weight = sum(t.weight for t, _ in seen)
    metrics = {}
    parts: dict[str, float] = defaultdict(float)
    for t, o in seen:
        if t.target == t.floor:
            raise ValueError(f"{version} {t.role_id} {t.metric_id}: target equals floor")
        score = min(100.0, max(0.0, 100 * (o.value - t.floor) / (t.target - t.floor)))
        eff = t.weight * 100 / total_weight
        contribution = score * eff / 100
        parts[t.tier] += contribution
        metrics[t.metric_id] = MetricScore(
            t.metric_id,
            t.tier,
            t.weight,
            t.target,
            t.floor,
            o.numerator,
            o.denominator,
            o.records,
            o.value,
            score,
            eff,
            contribution,
        )
    index = sum(m.weighted_contribution for m in metrics.values())
    return ExpectedEmployee(
        emp,
        period,
        rm.role_id,
        rm.department_id,
        rm.job_title,
        version,
        index,
        parts["core"],
        parts["extension"],
        seeds.grade(index),
        seeds.near_band_edge(index),
        metrics,
        tuple(t.metric_id for t in rows if t.metric_id not in metrics),
    )


# ---- command line ----------------------------------------------------------------------------------
def write_csv(scores: dict[tuple[str, str, str], ExpectedEmployee], out: Any) -> None:
    """One row per scored metric (full float precision), sorted by employee, month, role, metric."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "employee_id",
            "month",
            "role_id",
            "department_id",
            "scheme_version",
            "index",
            "core_part",
            "extension_part",
            "grade",
            "near_band_edge",
            "metric_id",
            "tier",
            "numerator",
            "denominator",
            "value",
            "score",
            "effective_weight",
            "weighted_contribution",
        ]
    )
    for key in sorted(scores, key=lambda k: (int(k[0]), k[1], k[2])):
        e = scores[key]
        for m in sorted(e.metrics.values(), key=lambda m: m.metric_id):
            w.writerow(
                [
                    e.employee_id,
                    e.month,
                    e.role_id,
                    e.department_id,
                    e.scheme_version,
                    repr(e.index),
                    repr(e.core_part),
                    repr(e.extension_part),
                    e.grade,
                    int(e.near_band_edge),
                    m.metric_id,
                    m.tier,
                    repr(m.numerator),
                    repr(m.denominator),
                    repr(m.value),
                    repr(m.score),
                    repr(m.effective_weight),
                    repr(m.weighted_contribution),
                ]
            )


def main(argv: list[str] | None = None) -> int:
    """``python -m simulator.oracles.employees --seed 7 --scale s [--csv out.csv]``."""
    ap = argparse.ArgumentParser(
        prog="python -m simulator.oracles.employees", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", choices=SCALES, default="s")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    ap.add_argument("--csv", help="write every scored metric to this file ('-' for stdout)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    scores = expected_employee_scores(Company(args.seed, args.scale), args.as_of)
    elapsed = time.perf_counter() - started
    if args.csv == "-":
        write_csv(scores, sys.stdout)
        return 0
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            write_csv(scores, fh)
    people = {k[0] for k in scores}
    print(
        f"seed {args.seed} scale {args.scale} as-of {args.as_of}: {len(scores)} employee-months "
        f"({len(people)} employees) in {elapsed:.1f} s"
    )
    per_grade: dict[str, int] = defaultdict(int)
    per_role: dict[str, int] = defaultdict(int)
    for e in scores.values():
        per_grade[e.grade] += 1
        per_role[e.role_id] += 1
    print("  grades: " + ", ".join(f"{g} {per_grade[g]}" for g in sorted(per_grade)))
    for role, n in sorted(per_role.items()):
        print(f"  {role:<28} {n:>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
