"""The employee oracle: facts that add up to the department ones, roles by month, scores by the rules.

Pure Python on the truth model (no warehouse, no HTTP): `simulator.oracles.employees` against
the department oracle, the seeds and the people model.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from simulator import Company
from simulator.clock import month_end
from simulator.company.org import ROLES
from simulator.oracles.departments import EMPLOYEE_ONLY, Expected, accumulate, expected_observations
from simulator.oracles.employees import (
    EMPLOYEE_METRICS,
    EmployeeExpectations,
    EmployeeObservation,
    ExpectedEmployee,
    RoleMonth,
    Seeds,
    employee_role_months,
    expected_employee_observations,
    expected_employee_scores,
    expected_employees,
    main,
    write_csv,
)

SEED, SCALE, AS_OF = 7, "s", date(2026, 10, 31)
# a seed whose history holds an Admin Officer -> General Affairs Officer change (two administration
# templates in one department); seed 7's promotions change role too (senior roles, recruiter), but none
# inside the administration department
CROSS_ROLE_SEED = 8
SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
MONTHS = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]

Scores = dict[tuple[str, str, str], ExpectedEmployee]
EmpObs = dict[tuple[str, str, str], EmployeeObservation]


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def company() -> Company:
    return Company(SEED, SCALE)


@pytest.fixture(scope="module")
def accumulated(company: Company):
    return accumulate(company, AS_OF)


@pytest.fixture(scope="module")
def dept_obs(company: Company) -> dict[tuple[str, str, str], Expected]:
    return expected_observations(company, AS_OF)


@pytest.fixture(scope="module")
def expected(company: Company) -> EmployeeExpectations:
    return expected_employees(company, AS_OF)


@pytest.fixture(scope="module")
def emp_obs(expected: EmployeeExpectations) -> EmpObs:
    return expected.observations


@pytest.fixture(scope="module")
def role_months(expected: EmployeeExpectations) -> dict[tuple[str, str], RoleMonth]:
    return expected.role_months


@pytest.fixture(scope="module")
def scores(expected: EmployeeExpectations) -> Scores:
    return expected.scores


@pytest.fixture(scope="module")
def dept_of(company: Company) -> dict[str, str]:
    return {str(e.emp_id): e.dept_id for e in company.employees}


def _promoted(company: Company, as_of: date) -> list[tuple[str, int, str, str]]:
    """(employee id, change day, old title, new title) of the well-formed role changes up to ``as_of``."""
    out = []
    for e in company.employees:
        if e.record.malformed:
            continue
        for (_, old), (day, new) in zip(e.roles, e.roles[1:], strict=False):
            if company.start <= day <= as_of.toordinal():
                out.append((str(e.emp_id), day, ROLES[old].title_en, ROLES[new].title_en))
    return out


def _month(day: int) -> str:
    return date.fromordinal(day).strftime("%Y-%m")


# ---- the seeds and the catalog ---------------------------------------------------------------------
def test_employee_metrics_are_exactly_the_catalogs_own_records_metrics(emp_obs):
    catalog = {r["metric_id"]: r["employee_attribution"] for r in _read("metric_catalog.csv")}
    assert set(catalog.values()) == {"own_records", "department_only"}
    own = {m for m, attribution in catalog.items() if attribution == "own_records"}
    assert set(EMPLOYEE_METRICS) == own
    assert len(EMPLOYEE_METRICS) == len(set(EMPLOYEE_METRICS))
    assert {m for _, _, m in emp_obs} == own, "every employee metric is observed for someone"


def test_every_template_weighs_100_and_every_scored_role_has_one():
    seeds = Seeds.load()
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for t in seeds.templates:
        weights[(t.scheme_version, t.role_id)] += t.weight
        assert t.metric_id in EMPLOYEE_METRICS, t
        assert t.tier in ("core", "extension") and t.target != t.floor, t
    assert weights and all(w == 100 for w in weights.values()), weights
    roles = {r["role_id"] for r in _read("job_roles.csv")}
    templated = {t.role_id for t in seeds.templates}
    assert templated == roles - {"department_manager"}
    for role in roles - {"department_manager"}:
        assert any(t.tier == "extension" for t in seeds.templates if t.role_id == role), role
    assert seeds.template("department_manager", date(2026, 1, 1)) is None
    # every simulator title maps to a role
    assert {r.title_en for r in ROLES.values()} == set(seeds.title_roles)


def test_the_scheme_in_force_is_the_latest_effective_from_per_role(tmp_path):
    for name in ("job_roles.csv", "grade_bands.csv", "metric_catalog.csv"):
        (tmp_path / name).write_text((SEEDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    lines = (SEEDS / "role_scoring_scheme.csv").read_text(encoding="utf-8").splitlines()
    draft = [
        line.replace("2026.2,2025-10-01,", "2026.9-draft,2026-09-01,")
        for line in lines[1:]
        if ",win_rate," not in line and ",sales_representative," in line and line.startswith("2026.2,")
    ]
    (tmp_path / "role_scoring_scheme.csv").write_text("\n".join([*lines, *draft]) + "\n", encoding="utf-8")
    seeds = Seeds.load(tmp_path)
    version, rows = seeds.template("sales_representative", date(2026, 9, 1)) or ("", [])
    assert version == "2026.9-draft" and "win_rate" not in {t.metric_id for t in rows}
    assert seeds.template("sales_representative", date(2026, 8, 1))[0] == "2026.2"
    assert seeds.template("rnd_engineer", date(2026, 10, 1))[0] == "2026.2"
    assert seeds.template("rnd_engineer", date(2025, 9, 1))[0] == "2026.1"
    assert [seeds.grade(x) for x in (0, 59.999, 60, 79.9, 80, 90, 100)] == ["D", "D", "C", "B", "A", "S", "S"]
    assert seeds.grade(59.99999999999999) == "C" and seeds.near_band_edge(59.99999999999999)
    assert seeds.grade(59.9999999) == "D" and seeds.near_band_edge(59.9999999)
    assert not seeds.near_band_edge(59.99)


# ---- facts: one person's own, adding up to the department ------------------------------------------
def test_employee_cells_of_a_metric_add_up_exactly_to_the_department_cell(accumulated, dept_obs, emp_obs):
    v, acc = accumulated
    summed: dict[tuple[str, str, str], list] = defaultdict(lambda: [0.0, 0.0, set()])
    for (emp, month, metric), cell in acc.emp_cells.items():
        s = summed[(v.people[emp].dept_id, month, metric)]
        s[0] += cell.num
        s[1] += cell.den
        s[2] |= cell.records
    dept_cells = {k: c for k, c in acc.cells.items() if k[2] in EMPLOYEE_METRICS}
    assert set(summed) == set(dept_cells)
    for key, cell in dept_cells.items():
        num, den, records = summed[key]
        assert math.isclose(num, cell.num, rel_tol=1e-12, abs_tol=1e-9), key
        assert math.isclose(den, cell.den, rel_tol=1e-12) and records == cell.records, key
    # the published department observations of an own_records metric are the sums of the people's
    checked = 0
    for (dept, month, metric), e in dept_obs.items():
        if metric not in EMPLOYEE_METRICS:
            continue
        num, den, records = summed[(dept, month, metric)]
        assert math.isclose(num, e.numerator, rel_tol=1e-12, abs_tol=1e-9), (dept, month, metric)
        assert math.isclose(den, e.denominator, rel_tol=1e-12), (dept, month, metric)
        assert len(records) == e.records
        checked += 1
    assert checked > 500
    # and the employee observations are the employee cells with a denominator
    assert {k: (o.numerator, o.denominator) for k, o in emp_obs.items()} == {
        (str(emp), month, metric): (c.num, c.den)
        for (emp, month, metric), c in acc.emp_cells.items()
        if c.den > 0
    }


def test_integer_count_metrics_add_up_without_rounding(accumulated):
    v, acc = accumulated
    counts = ("attendance_rate", "on_time_delivery_rate", "reopen_rate", "win_rate", "posting_accuracy")
    totals: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0])
    for (emp, month, metric), cell in acc.emp_cells.items():
        if metric in counts:
            t = totals[(v.people[emp].dept_id, month, metric)]
            t[0] += cell.num
            t[1] += cell.den
    for key, (num, den) in totals.items():
        assert (num, den) == (acc.cells[key].num, acc.cells[key].den), key


def test_employee_facts_ignore_the_metrics_department_families(company, emp_obs, dept_obs, dept_of):
    # a Finance Officer sits in the admin department: measured on posting accuracy, the department not
    officers = {
        str(e.emp_id) for e in company.employees if e.roles[0][1] == "adm_finance" and not e.record.malformed
    }
    posted = {emp for emp, _, metric in emp_obs if metric == "posting_accuracy" and emp in officers}
    assert posted, "finance officers post GL entries"
    assert {company.dept_by_id[dept_of[emp]].family for emp in posted} == {"admin"}
    assert not [k for k in dept_obs if k[2] == "posting_accuracy" and k[0] in {dept_of[e] for e in posted}]
    # incidents are answered in every serving family; employee-only metrics have no department value
    families = {
        company.dept_by_id[dept_of[emp]].family for emp, _, m in emp_obs if m == "incident_response_hours"
    }
    assert "admin" in families and families - {"admin"}, families
    assert not [k for k in dept_obs if k[2] in EMPLOYEE_ONLY]
    assert {m for _, _, m in emp_obs} >= EMPLOYEE_ONLY


def test_department_only_metrics_have_no_employee_value(emp_obs):
    assert {m for _, _, m in emp_obs} <= set(EMPLOYEE_METRICS)
    for metric in (
        "voluntary_attrition_rate",
        "support_requests_per_fte",
        "budget_variance",
        "time_to_fill_days",
    ):
        assert metric not in {m for _, _, m in emp_obs}


def test_review_360_weighs_every_reviewer_role_of_the_previous_quarters_cycle(company, emp_obs):
    from simulator.clock import now_for
    from simulator.company import hr as gen_hr

    checked = 0
    for emp, month, metric in list(emp_obs)[:4000]:
        if metric != "review_360_score":
            continue
        y, m = int(month[:4]), int(month[5:])
        q = (m - 1) // 3 + 1
        cycle = f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}"
        rows = [
            r
            for r in gen_hr.review_rows(company, company.emp_by_id[int(emp)], now_for(AS_OF))
            if r["customReviewCycle"] == cycle
        ]
        assert {r["customReviewerRole"] for r in rows} == {"self", "peer", "manager"}
        num = sum(float(r["customReviewScore"]) * int(r["customReviewerCount"]) for r in rows)
        den = sum(int(r["customReviewerCount"]) for r in rows)
        o = emp_obs[(emp, month, metric)]
        assert (o.numerator, o.denominator, o.records) == pytest.approx((num, den, 3)), (emp, month)
        peer = emp_obs[(emp, month, "peer_collaboration_score")]
        assert peer.records == 1 and peer.denominator == den - 2
        checked += 1
    assert checked > 100
    assert not [k for k in emp_obs if k[2] == "review_360_score" and k[1] in ("2025-11", "2025-12")]


# ---- roles by month --------------------------------------------------------------------------------
def test_role_months_cover_the_employed_months_of_the_visible_well_formed_people(company, role_months):
    seeds = Seeds.load()
    for (emp, month), rm in role_months.items():
        e = company.emp_by_id[int(emp)]
        assert not e.record.malformed and month in MONTHS
        y, m = int(month[:4]), int(month[5:])
        first, last = date(y, m, 1).toordinal(), month_end(y, m)
        assert e.hire_day <= last and (e.termination_day is None or e.termination_day >= first)
        day = last if e.termination_day is None else min(last, e.termination_day)
        assert rm.as_of_day == date.fromordinal(day)
        assert rm.job_title == ROLES[e.role_on(day)].title_en  # every change is visible at a month-end as-of
        assert rm.role_id == seeds.title_roles[rm.job_title] and rm.department_id == e.dept_id
    malformed = {str(e.emp_id) for e in company.employees if e.record.malformed}
    assert malformed and not {emp for emp, _ in role_months} & malformed
    # someone who left mid-history has role months up to the termination month only
    leaver = next(
        e
        for e in company.employees
        if not e.record.malformed
        and e.termination_day
        and company.start + 100 < e.termination_day < AS_OF.toordinal()
    )
    months = sorted(m for emp, m in role_months if emp == str(leaver.emp_id))
    assert months[-1] == _month(leaver.termination_day)


def test_a_promoted_employee_has_each_month_under_the_title_in_force_at_its_end(
    company, role_months, scores, emp_obs
):
    promoted = _promoted(company, AS_OF)
    assert len(promoted) >= 3
    for emp, day, old, new in promoted:
        change = _month(day)
        titles = {m: rm.job_title for (e, m), rm in role_months.items() if e == emp}
        assert titles, emp
        assert all(t == (new if m >= change else old) for m, t in titles.items()), (emp, titles)
        # a month's facts all go to that month's role, once
        for (e, month, role), s in scores.items():
            if e != emp:
                continue
            assert role == role_months[(emp, month)].role_id
            for metric, ms in s.metrics.items():
                o = emp_obs[(emp, month, metric)]
                assert (ms.numerator, ms.denominator) == (o.numerator, o.denominator)
        assert len({m for e, m, _ in scores if e == emp}) == len([1 for e, _, _ in scores if e == emp])


def test_a_role_change_counts_once_its_hr_version_is_visible(company):
    # a change that is not on a month's first day, so the day before is in the same month
    emp, day, old, new = next(p for p in _promoted(company, AS_OF) if _month(p[1]) == _month(p[1] - 1))
    month = _month(day)
    before = employee_role_months(company, date.fromordinal(day - 1))
    after = employee_role_months(company, date.fromordinal(day))
    assert month in {m for _, m in before}
    assert before[(emp, month)].job_title == old  # the month's end is after the change, but HR has not told
    assert after[(emp, month)].job_title == new


def test_a_promotion_that_changes_the_role_splits_the_months_between_two_templates():
    company = Company(CROSS_ROLE_SEED, SCALE)
    emp, day, _, _ = next(
        p for p in _promoted(company, AS_OF) if (p[2], p[3]) == ("Admin Officer", "General Affairs Officer")
    )
    both = expected_employees(company, AS_OF)
    scores, emp_obs = both.scores, both.observations
    roles = {m: r for e, m, r in scores if e == emp}
    assert set(roles.values()) == {"admin_officer", "general_affairs_officer"}, roles
    for month, role in roles.items():
        assert role == ("general_affairs_officer" if month >= _month(day) else "admin_officer")
        metrics = set(scores[(emp, month, role)].metrics)
        if role == "general_affairs_officer":
            assert "sla_attainment_rate" not in metrics  # not in that template, whatever the facts
    sla_months = {m for e, m, k in emp_obs if e == emp and k == "sla_attainment_rate"}
    assert {m for m in sla_months if roles.get(m) == "general_affairs_officer"}, "the facts exist, unscored"


# ---- scores ----------------------------------------------------------------------------------------
def test_scores_follow_the_rules(scores, role_months, emp_obs):
    seeds = Seeds.load()
    bands = sorted(((float(r["min_index"]), r["grade"]) for r in _read("grade_bands.csv")), reverse=True)
    assert len(scores) > 1000
    for (emp, month, role), s in scores.items():
        assert (s.employee_id, s.month, s.role_id) == (emp, month, role)
        assert role_months[(emp, month)].role_id == role != "department_manager"
        version, rows = seeds.template(role, date.fromisoformat(f"{month}-01"))
        assert s.scheme_version == version == "2026.2"  # the recalibrated templates, from 2025-10-01
        assert set(s.metrics) | set(s.unobserved) == {t.metric_id for t in rows}
        assert not set(s.metrics) & set(s.unobserved)
        assert any(m.tier == "extension" for m in s.metrics.values())
        assert math.isclose(sum(m.effective_weight for m in s.metrics.values()), 100)
        assert 0 <= s.index <= 100 + 1e-9
        assert math.isclose(s.index, sum(m.weighted_contribution for m in s.metrics.values()), abs_tol=1e-9)
        assert math.isclose(s.core_part + s.extension_part, s.index, abs_tol=1e-9)
        assert s.grade == next(g for lo, g in bands if lo <= s.index + 1e-9)
        assert s.near_band_edge == any(abs(s.index - lo) < 1e-6 for lo, _ in bands)
        for metric, m in s.metrics.items():
            o = emp_obs[(emp, month, metric)]
            assert (m.numerator, m.denominator, m.records, m.value) == (
                o.numerator,
                o.denominator,
                o.records,
                o.value,
            )
            assert 0 <= m.score <= 100
            lower_better = m.target < m.floor
            if (m.value <= m.target) if lower_better else (m.value >= m.target):
                assert m.score == 100
            if (m.value >= m.floor) if lower_better else (m.value <= m.floor):
                assert m.score == 0
            assert math.isclose(m.weighted_contribution, m.score * m.effective_weight / 100)
        for metric in s.unobserved:
            assert (emp, month, metric) not in emp_obs
    assert len({s.grade for s in scores.values()}) == 5, "every grade is used"
    # round weights and 0/100 scores put indices exactly on band edges, a few ulps off in floats
    edge = [s for s in scores.values() if s.near_band_edge]
    assert edge and all(s.grade == next(g for lo, g in bands if lo <= round(s.index, 6)) for s in edge)


def test_an_employee_month_without_an_extension_metric_is_not_scored(scores, role_months, emp_obs):
    seeds = Seeds.load()
    unscored = 0
    for (emp, month), rm in role_months.items():
        found = seeds.template(rm.role_id, date.fromisoformat(f"{month}-01"))
        if found is None:
            assert rm.role_id == "department_manager"
            assert (emp, month, rm.role_id) not in scores
            continue
        extension = [t.metric_id for t in found[1] if t.tier == "extension"]
        observed = any((emp, month, m) in emp_obs for m in extension)
        assert ((emp, month, rm.role_id) in scores) == observed, (emp, month)
        unscored += not observed
    assert unscored > 0


def test_csv_and_command_line(scores, capsys):
    out = io.StringIO()
    write_csv(scores, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == sum(len(s.metrics) for s in scores.values())
    for row in rows[:500]:
        s = scores[(row["employee_id"], row["month"], row["role_id"])]
        assert float(row["index"]) == s.index and float(row["score"]) == s.metrics[row["metric_id"]].score
    assert main(["--seed", str(SEED), "--scale", SCALE, "--as-of", AS_OF.isoformat()]) == 0
    assert "rnd_engineer" in capsys.readouterr().out


def test_the_public_functions_agree_with_the_single_pass(company, expected):
    as_of = AS_OF - timedelta(days=20)
    months = {m for _, m, _ in expected_employee_scores(company, as_of)}
    assert max(months) == as_of.strftime("%Y-%m"), "nothing after an as-of inside a month"
    assert employee_role_months(company, AS_OF) == expected.role_months
    assert expected_employee_observations(company, AS_OF) == expected.observations
