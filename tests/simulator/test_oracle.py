"""The oracle's expected metrics: sane against the catalog, and equal to recounts done other ways.

The recounts are deliberately independent of `simulator.oracles.departments`: some read the simulator's
HTTP APIs as a client would (HubSpot deals and owners, Jira patrols, OData period closes, BambooHR
people), others read the generator's ``truth`` dicts instead of the record versions.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sim_clients import Clients

from simulator import Company, start_simulator
from simulator.clock import is_workday, local_day, now_for
from simulator.company.hr import TIME_OFF_LEAD, TIME_OFF_MAX_DAYS
from simulator.oracles.departments import (
    COMPANY_WIDE,
    EMPLOYEE_ONLY,
    METRIC_FAMILIES,
    Expected,
    expected_observations,
    main,
    write_csv,
)

SEED, SCALE, AS_OF = 7, "s", date(2026, 10, 31)
CATALOG = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "metric_catalog.csv"
SHANGHAI = timezone(timedelta(hours=8))
MONTHS = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]

Observations = dict[tuple[str, str, str], Expected]


@pytest.fixture(scope="module")
def company() -> Company:
    return Company(SEED, SCALE)


@pytest.fixture(scope="module")
def obs(company: Company) -> Observations:
    return expected_observations(company, AS_OF)


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict[str, str]]:
    with CATALOG.open(encoding="utf-8") as fh:
        return {row["metric_id"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def api() -> Iterator[Clients]:
    with start_simulator(port=0, seed=SEED, scale=SCALE, as_of=AS_OF) as handle:
        yield Clients(handle)


@pytest.fixture(scope="module")
def people_by_email(api: Clients) -> dict[str, str]:
    """Work email -> department id, from BambooHR: every employee, a garbled hire date included (the
    record lands; the employee's work still resolves to their department)."""
    hr_names = {d.hr_name: d.dept_id for d in Company(SEED, SCALE).departments}
    changed = api.hr("/employees/changed", params={"since": "2000-01-01T00:00:00+00:00"}).json()
    out = {}
    for emp_id in changed["employees"]:
        row = api.hr(f"/employees/{emp_id}", params={"fields": "workEmail,department"}).json()
        out[row["workEmail"].lower()] = hr_names[row["department"]]
    return out


def _local_month(instant: str) -> str:
    parsed = datetime.strptime(instant.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")
    return parsed.astimezone(SHANGHAI).strftime("%Y-%m")


def _local_date(instant: str) -> date:
    text = instant.replace("Z", "+00:00")
    return datetime.fromisoformat(text).astimezone(SHANGHAI).date()


def _of(obs: Observations, metric: str) -> dict[tuple[str, str], Expected]:
    return {(d, m): e for (d, m, k), e in obs.items() if k == metric}


# ---- sanity against the catalog --------------------------------------------------------------------
def test_the_oracle_knows_exactly_the_catalog_metrics_and_their_families(catalog):
    assert set(METRIC_FAMILIES) == set(catalog)
    for metric, row in catalog.items():
        assert set(METRIC_FAMILIES[metric]) == set(row["department_families"].split("|")), metric
        assert row["grain"] == ("employee_month" if metric in EMPLOYEE_ONLY else "department_month")
    for metric, family in COMPANY_WIDE.items():
        assert METRIC_FAMILIES[metric] == (family,)


def test_every_observation_is_a_catalog_metric_of_an_applicable_family_within_its_valid_range(
    obs, company, catalog
):
    assert len(obs) > 500
    for (dept, month, metric), e in obs.items():
        assert (e.department_id, e.month, e.metric_id) == (dept, month, metric)
        assert company.dept_by_id[dept].family in METRIC_FAMILIES[metric], (dept, metric)
        assert month in MONTHS, month
        assert e.denominator > 0 and e.records > 0 and math.isfinite(e.value), (dept, month, metric)
        row = catalog[metric]
        assert float(row["valid_min"]) <= e.value <= float(row["valid_max"]), (dept, month, metric, e.value)


def test_every_metric_has_observations_and_the_headcount_metrics_cover_every_department_month(obs, company):
    assert {k for _, _, k in obs} == set(METRIC_FAMILIES) - EMPLOYEE_ONLY
    full = {(d.dept_id, m) for d in company.departments for m in MONTHS}
    for metric in ("attendance_rate", "voluntary_attrition_rate", "training_completion_rate"):
        assert set(_of(obs, metric)) == full, metric
    assert not [k for k in obs if k[1] > "2026-10"], "nothing after the as-of month"


def test_company_wide_metrics_are_identical_across_the_departments_of_the_family(obs, company):
    for metric, family in COMPANY_WIDE.items():
        family_depts = {d.dept_id for d in company.family_depts(family)}
        by_month: dict[str, list[Expected]] = defaultdict(list)
        for (_, month), e in _of(obs, metric).items():
            by_month[month].append(e)
        assert by_month, metric
        for month, rows in by_month.items():
            assert {e.department_id for e in rows} == family_depts, (metric, month)
            assert len({(e.numerator, e.denominator, e.records) for e in rows}) == 1, (metric, month)


def test_ratio_metrics_have_integer_counts_and_the_value_is_numerator_over_denominator(obs):
    counts = (
        "on_time_delivery_rate",
        "reopen_rate",
        "win_rate",
        "posting_accuracy",
        "patrol_completion_rate",
    )
    for (_, _, metric), e in obs.items():
        assert e.value == e.numerator / e.denominator
        if metric in counts:
            assert e.numerator == int(e.numerator) and e.denominator == e.records


def test_csv_round_trips_every_observation(obs, capsys):
    out = io.StringIO()
    write_csv(obs, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(obs)
    for row in rows:
        e = obs[(row["department_id"], row["month"], row["metric_id"])]
        assert float(row["numerator"]) == e.numerator and float(row["denominator"]) == e.denominator
        assert float(row["value"]) == e.value and int(row["records"]) == e.records
    assert main(["--seed", str(SEED), "--scale", SCALE, "--as-of", AS_OF.isoformat()]) == 0
    assert "win_rate" in capsys.readouterr().out


# ---- recounts from the generator's truth ----------------------------------------------------------
def test_attendance_of_one_department_month_recounted_from_the_time_off_truth(obs, company):
    dept, month = "D01", "2026-09"
    first, last = date(2026, 9, 1).toordinal(), date(2026, 9, 30).toordinal()
    now = now_for(AS_OF)
    staff = [e for e in company.employees if e.dept_id == dept and not e.record.malformed]
    scheduled = {
        (e.emp_id, d) for e in staff for d in range(first, last + 1) if is_workday(d) and e.active_on(d)
    }
    absent = set()
    # requests filed up to a month ahead, sick leave up to two days late (gen_hr.TIME_OFF_LEAD)
    for rec in company.records(
        "hr.time_off", first - TIME_OFF_LEAD[1] - TIME_OFF_MAX_DAYS, last - TIME_OFF_LEAD[0]
    ):
        t = rec.truth
        if rec.malformed or t["dept_id"] != dept or t["type"] == "Vacation":
            continue
        final = [v.changes["status"] for v in rec.versions if v.ts < now and "status" in v.changes][-1]
        if final == "approved":
            emp = rec.versions[0].changes["employeeId"]
            absent |= {(emp, d) for d in range(t["start_day"], t["start_day"] + t["days"])} & scheduled
    e = obs[(dept, month, "attendance_rate")]
    assert (e.numerator, e.denominator) == (len(scheduled) - len(absent), len(scheduled))
    assert 0 < len(absent) < len(scheduled)


def test_voluntary_attrition_recounted_from_the_people_model(obs, company):
    nonzero = 0
    for key, e in _of(obs, "voluntary_attrition_rate").items():
        dept, month = key
        y, m = int(month[:4]), int(month[5:])
        first = date(y, m, 1).toordinal()
        last = (date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)).toordinal()
        staff = [x for x in company.employees if x.dept_id == dept and not x.record.malformed]
        quits = sum(
            x.termination_type == "Voluntary"
            and x.termination_day is not None
            and first <= x.termination_day <= last
            for x in staff
        )
        heads = (sum(x.active_on(first) for x in staff) + sum(x.active_on(last) for x in staff)) / 2
        assert (e.numerator, e.denominator) == (quits, heads), key
        nonzero += quits > 0
    assert nonzero >= 5, "the recount must exercise months with leavers"


# ---- recounts through the simulator's HTTP APIs ----------------------------------------------------
def test_win_rate_and_sales_cycle_recounted_from_the_hubspot_api(obs, api, people_by_email):
    owners = {}
    for archived in ("false", "true"):
        body = api.crm("/crm/v3/owners", params={"limit": 500, "archived": archived}).json()
        owners.update({o["id"]: o["email"].lower() for o in body["results"]})
    props = "dealstage,closedate,createdate,hubspot_owner_id,amount"
    deals = api.walk_crm_list("deals", properties=props) + api.walk_crm_list(
        "deals", archived=True, properties=props
    )
    won, closed, days = defaultdict(int), defaultdict(int), defaultdict(int)
    for deal in deals:
        p = deal["properties"]
        dept = people_by_email.get(owners.get(p["hubspot_owner_id"], ""))
        if dept is None or p["dealstage"] not in ("closedwon", "closedlost"):
            continue
        # an amount of "TBD" keeps the deal in win rate and sales cycle (neither reads the amount)
        key = (dept, _local_month(p["closedate"]))
        closed[key] += 1
        if p["dealstage"] == "closedwon":
            won[key] += 1
            days[key] += (_local_date(p["closedate"]) - _local_date(p["createdate"])).days
    expected_win = {k: (won[k], n) for k, n in closed.items() if k[1] in MONTHS}
    assert {k: (e.numerator, e.denominator) for k, e in _of(obs, "win_rate").items()} == expected_win
    expected_cycle = {k: (days[k], won[k]) for k in expected_win if won[k]}
    assert {
        k: (e.numerator, e.denominator) for k, e in _of(obs, "sales_cycle_days").items()
    } == expected_cycle


def test_patrol_completion_recounted_from_the_jira_api(obs, api, people_by_email):
    done, total = defaultdict(int), defaultdict(int)
    for issue in api.walk_jira("project = SEC", fields="assignee,status,duedate"):
        f = issue["fields"]
        dept = people_by_email.get((f["assignee"] or {}).get("emailAddress", "").lower())
        if dept is None or f["status"]["name"] not in ("Done", "Missed"):
            continue
        key = (dept, f["duedate"][:7])
        total[key] += 1
        done[key] += f["status"]["name"] == "Done"
    expected = {k: (done[k], n) for k, n in total.items() if k[1] in MONTHS}
    assert {
        k: (e.numerator, e.denominator) for k, e in _of(obs, "patrol_completion_rate").items()
    } == expected


def test_month_end_close_recounted_from_the_odata_api(obs, api, company):
    days, n = defaultdict(int), defaultdict(int)
    for row in api.walk_odata("PeriodCloses"):
        if row["Status"] != "Closed":
            continue
        closed = _local_date(row["ClosedDateTime"])
        month = closed.strftime("%Y-%m")
        days[month] += (closed - date.fromisoformat(row["PeriodEndDate"])).days
        n[month] += 1
    finance = [d.dept_id for d in company.family_depts("finance")]
    expected = {(d, m): (days[m], n[m]) for d in finance for m in n if m in MONTHS}
    assert {k: (e.numerator, e.denominator) for k, e in _of(obs, "month_end_close_days").items()} == expected
    assert local_day(now_for(AS_OF) - 1) == AS_OF.toordinal()


def test_service_desk_resolution_metrics_recounted_from_the_jira_api(obs, api, people_by_email, company):
    spellings = {t.strip().lower(): d.dept_id for d in company.departments for t in d.spellings.values()}
    fields = "assignee,created,resolutiondate,customfield_10201,customfield_10300,customfield_10400"
    sums: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for issue in api.walk_jira("project = SD", fields=fields):
        f = issue["fields"]  # a garbled `created` counts too: these metrics read the SLA cycles
        dept = people_by_email.get((f["assignee"] or {}).get("emailAddress", "").lower())
        cycles = f["customfield_10201"]["completedCycles"]
        if dept is None or not cycles:
            continue
        stop = datetime.fromisoformat(cycles[0]["stopTime"]["iso8601"].replace("+0800", "+08:00"))
        key = (dept, stop.strftime("%Y-%m"))
        within = not cycles[0]["breached"]
        rating = (f["customfield_10300"] or {}).get("rating")
        other = spellings.get((f["customfield_10400"] or "").strip().lower()) not in (None, dept)
        for metric, wanted in (("sla_attainment_rate", True), ("support_sla_attainment", other)):
            if wanted:
                sums[metric][key][0] += within
                sums[metric][key][1] += 1
        for metric, wanted in (("requester_satisfaction", True), ("support_requester_satisfaction", other)):
            if wanted and rating is not None:
                sums[metric][key][0] += rating
                sums[metric][key][1] += 1
    assert sums["support_sla_attainment"], "some requests come from other departments"
    for metric, cells in sums.items():
        expected = {k: (num, den) for k, (num, den) in cells.items() if k[1] in MONTHS}
        assert {k: (e.numerator, e.denominator) for k, e in _of(obs, metric).items()} == expected, metric
    per_fte = _of(obs, "support_requests_per_fte")
    assert {k: e.numerator for k, e in per_fte.items()} == {
        k: sums["support_sla_attainment"].get(k, [0, 0])[1] for k in per_fte
    }


def test_service_desk_response_metrics_recounted_from_the_jira_api(obs, api, people_by_email, company):
    family_metric = {"hr": "hr_service_response_hours", "admin": "work_order_response_hours"}
    sums: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for issue in api.walk_jira("project = SD", fields="assignee,created,issuetype,customfield_10200"):
        f = issue["fields"]  # a garbled `created` counts too: these metrics read the SLA cycles
        dept = people_by_email.get((f["assignee"] or {}).get("emailAddress", "").lower())
        cycles = f["customfield_10200"]["completedCycles"]
        if dept is None or not cycles:
            continue
        stop = datetime.fromisoformat(cycles[0]["stopTime"]["iso8601"].replace("+0800", "+08:00"))
        key = (dept, stop.strftime("%Y-%m"))
        hours = cycles[0]["elapsedTime"]["millis"] / 3_600_000
        family = company.dept_by_id[dept].family
        # (incident_response_hours is an employee-only metric: no department observation)
        metric = family_metric.get(family)
        if metric is not None:
            sums[metric][key][0] += hours
            sums[metric][key][1] += 1
    assert set(sums) == set(family_metric.values())
    assert not _of(obs, "incident_response_hours")
    for metric, cells in sums.items():
        expected = {k: (pytest.approx(h), n) for k, (h, n) in cells.items() if k[1] in MONTHS}
        assert {k: (e.numerator, e.denominator) for k, e in _of(obs, metric).items()} == expected, metric
