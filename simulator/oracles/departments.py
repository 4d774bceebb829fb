"""The correctness oracle: the expected value of every (department, month, metric), from the truth model.

Why it exists: the warehouse computes the metrics of ``dbt_project/seeds/metric_catalog.csv`` in SQL
from what the connectors extracted over HTTP. This module recomputes them a second, independent way, in
plain Python from `Company` (employees, jobs, records, their versions and ``truth`` dicts), never from an
API payload or from SQL, so the two can be compared at 1e-6. Each observation is a numerator and a
denominator (``ratio_of_sums`` rolls up by summing both), plus how many source records are behind it.

The view is the APIs' view at ``clock.now_for(as_of)``: a record exists when `Record.visible_index`
finds a version strictly before ``now`` (this also drops deleted budgets and deleted draft purchase
invoices, whose ``deleted_at`` has passed), and its fields are the fold of the versions up to that one.
Every lazy kind keeps all of its versions within ``max_life`` days of its creation day, so the API
timelines serve exactly the records `visible_index` finds. Employees are read from their visible HR
version too (hire date, termination date and type); department = `Employee.dept_id` (never changes).

Common rules (the contract shared with the SQL):
- months: every calendar month from ``company.start`` through the as-of month, ``'YYYY-MM'``; an event
  belongs to the month of its company-local (UTC+8) calendar date;
- attribution: the department of the HR employee who did the work (Jira assignee, CRM deal owner and
  goal assignee, GL ``PostedByEmail``, purchase-invoice processor, the employee of a time-off request,
  training record or review). Company-wide metrics (`COMPANY_WIDE`) get one value per month, repeated for
  every department of the owning family;
- only departments whose family is listed for the metric (`METRIC_FAMILIES`) and only denominators > 0;
- headcount on day d: hire day <= d <= termination day (both inclusive, None = still employed); average
  headcount = (headcount on the month's first day + on its last day) / 2; workdays are Monday-Friday.

Malformed records (``Record.malformed``) land in the warehouse as the source sent them; staging turns
the malformed field into null (a row of ``intermediate.int_field_issues``), and only the metrics that
need that field skip the record (the catalog's ``required_fields``). So a malformed record counts in
every metric that does not need its malformed field:
- an employee with hire date "0000-00-00" (`HIRE_DATE_UNREADABLE`) is in no headcount and in nothing
  measured over the months of employment (attendance and its time off, voluntary attrition, training
  completion, training hours per employee and their training records, 90-day retention, the per-FTE
  denominator of support, their own employee scorecard months), but their work resolves to their
  department by work email: their tickets, deals, postings, processed invoices and 360 reviews count;
- a GL line with a European-spelled amount counts in posting accuracy, not in budget variance's actuals;
- an RD issue with "?" story points counts everywhere (no metric reads story points); so does an SD
  issue with a garbage ``created`` (the SD metrics read the SLA cycles and the resolution);
- a deal with amount "TBD" counts in win rate and sales cycle, not in revenue attainment;
- feedback with an empty value is in no CSAT; time off with an unparseable start is no absence.

Excluded on purpose, because the warehouse cannot see it (each would otherwise make the comparison
inexact):
- records without a usable key (`UNLANDABLE`: purchase invoices without an id): only these stay in
  ``raw._rejects``;
- orphans (``Record.orphan``): RD issues assigned to contractor accounts, deals owned by CRM owners with
  no HR employee, and GL lines (and their reversals) on the legacy cost center CC9990: they land in the
  warehouse's exceptions table and count in no department's actuals (CC9990 has no budget either).
  Their poster is a known person, though, so they do count in that person's posting accuracy;
- what has not happened yet at ``now``: later versions (a reopen, a rating, a close, a budget revision,
  a termination, a go-live field) and records created later do not exist, whatever ``truth`` says. In
  particular ``truth["reopened"]``, ``truth["rating"]``, ``truth["golive_day"]`` and the ``*_breached``
  flags are NOT used: each is recomputed from the visible versions;
- work whose actor resolves to nobody (an assignee, owner, poster or processor with no visible HR
  employee): dropped, as the warehouse cannot attribute it.

Interpretations chosen where the catalog text leaves room (reported to the warehouse author):
- attendance: leave days are counted once per (employee, workday): two overlapping approved requests
  do not make a day absent twice (the catalog subtracts "the days ... falling on" scheduled workdays);
  scheduled workdays run over the whole calendar month, not capped at the as-of date;
- training completion: a required type counts when completed on a day in [first day of the month 11
  months before the period, last day of the period]; the window may start before the history (there
  are no records before it, so early months score low: that is the data, not a bug);
- peer score: all visible peer rows of the previous quarter's cycle for the department's employees,
  whether or not the employee is still employed in the period; no row for a month whose cycle has no
  rows (2025-11 and 2025-12: the history starts in 2025-Q4); the 360 review score is the same over the
  rows of every reviewer role (self, peer, manager), each weighted by its reviewer count;
- complaints and CSAT: the department of the related IMPL project's assignee (not the CMP assignee, who
  is that department's manager anyway, nor the feedback's sales owner);
- revenue attainment: a goal belongs to the month of its ``hs_start_datetime`` (local); goals and USD
  deals are converted at the ERP rate of that date / of the close date, without rounding the converted
  amount; closed-won deals count whatever their archive state;
- time to fill: posted date = local date of ``postedDate`` (the job's first version), filled date =
  local date of ``filledDate``; jobs of every department count (company-wide);
- new-hire retention: every visible well-formed employee is a hire (including pre-history staff whose
  90th day falls inside the history);
- SD metrics: first response instant = the first-response SLA cycle stop; resolution = the resolution
  SLA stop (= ``resolutiondate``), attained when elapsed <= goal (Jira's ``breached`` is elapsed > goal);
  incident response = the first-response hours of the issues of type Incident, whatever the assignee's
  family (only admin departments get the department value); incidents also count in their family's
  response-hours metric (HR service / work order), which covers every SD issue;
- support metrics (support_*): the requesting department is the SD free text ``customfield_10400``
  (the requester's own spelling) matched case-insensitively to a department's spellings
  (`Department.spellings`), not the reporter's HR record: a request typed by a rejected employee
  still names a department. Requests whose text names the serving department itself are not "for
  another department"; the per-FTE denominator is the serving department's average headcount;
- budget variance: actuals are every well-formed, non-orphan GL line with that cost center and account
  type posted in the month (reversals included), USD converted at the posting date's rate, unrounded;
- posting accuracy: "corrected" = a visible journal correction names the entry in ``OriginalEntryID``
  (the catalog's definition; a correction posted after the as-of does not count yet).

An as-of inside a month gives that month exactly what is visible by then (headcounts and scheduled
workdays still span the whole calendar month); a month-end as-of is the intended use.

``records`` (how many source records are behind an observation) is documented per metric in
`_METRIC_RECORDS`. A fact that is one person's own work (the ``employee_attribution = own_records``
metrics) is also kept per (employee, month, metric): `simulator.oracles.employees` scores
people from those cells.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simulator.clock import add_months, is_workday, local_day, month_end, month_start, now_for
from simulator.company import hr as gen_hr
from simulator.company.model import KINDS, SCALES, Company
from simulator.records import Record

# metric -> department families that get observations (the catalog's department_families column)
METRIC_FAMILIES: dict[str, tuple[str, ...]] = {
    "attendance_rate": ("rnd", "implementation", "sales", "hr", "finance", "admin"),
    "voluntary_attrition_rate": ("rnd", "implementation", "sales", "hr", "finance", "admin"),
    "training_completion_rate": ("rnd", "implementation", "sales", "hr", "finance", "admin"),
    "peer_collaboration_score": ("rnd", "implementation", "sales", "hr", "finance", "admin"),
    "review_360_score": ("rnd", "implementation", "sales", "hr", "finance", "admin"),
    "on_time_delivery_rate": ("rnd",),
    "defect_fix_time_hours": ("rnd",),
    "reopen_rate": ("rnd",),
    "go_live_on_time_rate": ("implementation",),
    "customer_complaint_rate": ("implementation",),
    "customer_satisfaction": ("implementation",),
    "revenue_attainment": ("sales",),
    "win_rate": ("sales",),
    "sales_cycle_days": ("sales",),
    "time_to_fill_days": ("hr",),
    "new_hire_retention_90d": ("hr",),
    "training_hours_per_employee": ("hr",),
    "hr_service_response_hours": ("hr",),
    "posting_accuracy": ("finance",),
    "month_end_close_days": ("finance",),
    "budget_variance": ("finance",),
    "invoice_processing_days": ("finance",),
    "work_order_response_hours": ("admin",),
    "incident_response_hours": ("admin",),
    "sla_attainment_rate": ("hr", "finance", "admin"),
    "patrol_completion_rate": ("admin",),
    "requester_satisfaction": ("hr", "finance", "admin"),
    "support_requests_per_fte": ("hr", "finance", "admin"),
    "support_sla_attainment": ("hr", "finance", "admin"),
    "support_requester_satisfaction": ("hr", "finance", "admin"),
}

# metrics only people are scored on (catalog grain employee_month): accumulated per employee, never
# reported for a department
EMPLOYEE_ONLY: frozenset[str] = frozenset({"review_360_score", "incident_response_hours"})

# metrics computed once per month for the whole company and repeated for each department of the family
COMPANY_WIDE: dict[str, str] = {
    "time_to_fill_days": "hr",
    "new_hire_retention_90d": "hr",
    "training_hours_per_employee": "hr",
    "month_end_close_days": "finance",
    "budget_variance": "finance",
}

# what ``records`` counts, per metric
_METRIC_RECORDS: dict[str, str] = {
    "attendance_rate": "employees with a scheduled workday in the month + approved leave requests with a "
    "counted day in it",
    "voluntary_attrition_rate": "distinct employees employed on the first or last day, or leaving "
    "voluntarily in the month",
    "training_completion_rate": "employees employed on the last day",
    "peer_collaboration_score": "peer review rows",
    "review_360_score": "review rows (self, peer and manager)",
    "on_time_delivery_rate": "stories and bugs in the denominator",
    "defect_fix_time_hours": "bugs in the denominator",
    "reopen_rate": "stories and bugs in the denominator",
    "go_live_on_time_rate": "IMPL projects going live in the month",
    "customer_complaint_rate": "IMPL projects open in the month + complaints created in it",
    "customer_satisfaction": "CSAT submissions",
    "revenue_attainment": "closed-won deals + goals",
    "win_rate": "closed deals",
    "sales_cycle_days": "closed-won deals",
    "time_to_fill_days": "jobs filled in the month",
    "new_hire_retention_90d": "employees whose 90th day falls in the month",
    "training_hours_per_employee": "training records completed in the month + distinct employees "
    "employed on its first or last day",
    "hr_service_response_hours": "SD requests first answered in the month",
    "posting_accuracy": "GL entries in the denominator",
    "month_end_close_days": "period closes closed in the month",
    "budget_variance": "budget rows + GL lines matched to them",
    "invoice_processing_days": "purchase invoices posted in the month",
    "work_order_response_hours": "SD requests first answered in the month",
    "incident_response_hours": "SD incidents first answered in the month",
    "sla_attainment_rate": "SD requests resolved in the month",
    "patrol_completion_rate": "patrols with an outcome scheduled in the month",
    "requester_satisfaction": "rated SD requests resolved in the month",
    "support_requests_per_fte": "SD requests for other departments resolved in the month + distinct "
    "employees of the serving department employed on its first or last day",
    "support_sla_attainment": "SD requests for other departments resolved in the month",
    "support_requester_satisfaction": "rated SD requests for other departments resolved in the month",
}

# the mess that leaves a record without a usable key: refused at landing, so the warehouse never sees it
UNLANDABLE: frozenset[str] = frozenset({"missing_id"})
# the employee mess that makes employment dates unreadable (``_Person.hire`` is None)
HIRE_DATE_UNREADABLE = "bad_hire_date"

REQUIRED_TRAINING_TYPES = frozenset(t["id"] for t in gen_hr.TRAINING_TYPES if t["required"])
LEAVE_TYPES = ("Sick", "Personal")
_ALL = "*"  # department placeholder of a company-wide accumulator


@dataclass(frozen=True)
class Expected:
    """One expected observation: (department, month, metric) as numerator over denominator."""

    department_id: str
    month: str  # 'YYYY-MM'
    metric_id: str
    numerator: float
    denominator: float
    records: int  # source records behind it, see _METRIC_RECORDS

    @property
    def value(self) -> float:
        return self.numerator / self.denominator


@dataclass
class _Person:
    """An employee as the warehouse knows them (a visible HR record); ``hire`` is None when the HR
    record's hire date is unreadable: such a person is never employed on any day (in no headcount)."""

    emp_id: int
    dept_id: str
    email: str
    hire: int | None
    term: int | None
    term_type: str | None

    def employed(self, day: int) -> bool:
        return self.hire is not None and self.hire <= day and (self.term is None or day <= self.term)


@dataclass
class _Cell:
    num: float = 0.0
    den: float = 0.0
    records: set[Any] = field(default_factory=set)


def _ordinal(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def _month_of(day: int) -> str:
    d = date.fromordinal(day)
    return f"{d.year:04d}-{d.month:02d}"


class _View:
    """The company as the APIs show it at ``now``, with one cached scan per kind."""

    def __init__(self, company: Company, as_of: date) -> None:
        self.co = company
        self.now = now_for(as_of)
        self.last_day = local_day(self.now - 1)
        self.months: list[tuple[str, int, int]] = []  # (key, first day, last day)
        y, m = date.fromordinal(company.start).year, date.fromordinal(company.start).month
        while month_start(y, m) <= self.last_day:
            self.months.append((f"{y:04d}-{m:02d}", month_start(y, m), month_end(y, m)))
            y, m = add_months(y, m, 1)
        self.month_keys = {key for key, _, _ in self.months}
        self.people: dict[int, _Person] = {}
        for e in company.employees:
            rec = e.record
            i = rec.visible_index(self.now)
            if i is None:
                continue
            s = rec.state(i)
            term = None if s["terminationDate"] in (None, "0000-00-00") else _ordinal(s["terminationDate"])
            self.people[e.emp_id] = _Person(
                e.emp_id,
                e.dept_id,
                s["workEmail"].lower(),
                None if rec.malformed == HIRE_DATE_UNREADABLE else _ordinal(s["hireDate"]),
                term,
                s["terminationType"],
            )
        self.by_email = {p.email: p for p in self.people.values()}
        # the people measured over their months of employment (headcount, attendance, training, tenure)
        self.staff = [p for p in self.people.values() if p.hire is not None]
        self.fx = {
            rec.key[0]: rec.state(i)["Rate"]
            for rec in company.memory("erp.exchange_rates")
            if (i := rec.visible_index(self.now)) is not None and rec.key[1:] == ("USD", "CNY")
        }
        self._scans: dict[str, list[tuple[Record, dict[str, Any], int]]] = {}

    def visible(self, kind: str) -> list[tuple[Record, dict[str, Any], int]]:
        """(record, visible state, version index) of every record of ``kind`` at ``now`` that lands: all
        but the `UNLANDABLE` ones (``Record.malformed`` says which field of the others is malformed)."""
        hit = self._scans.get(kind)
        if hit is None:
            hit = []
            if kind in ("hr.employees", "hr.jobs") or not KINDS[kind].lazy:
                source: Iterator[Record] = iter(self.co.memory(kind))
            else:
                source = (
                    rec for d in range(self.co.start, self.last_day + 1) for rec in self.co.slice(kind, d)
                )
            for rec in source:
                i = rec.visible_index(self.now)
                if i is not None and rec.malformed not in UNLANDABLE:
                    hit.append((rec, rec.state(i), i))
            self._scans[kind] = hit
        return hit

    def cny(self, amount: float, currency: str, day: int) -> float:
        """An amount in the reporting currency at the ERP USD->CNY rate of ``day``."""
        if currency == "CNY":
            return float(amount)
        if currency != "USD":
            raise ValueError(f"no rate for {currency}")
        return float(amount) * self.fx[date.fromordinal(day).isoformat()]

    def headcount(self, people: list[_Person], day: int) -> list[_Person]:
        return [p for p in people if p.employed(day)]


class _Acc:
    """Accumulates numerators, denominators and record ids per (department, month, metric).

    A fact that is one person's own work (``emp`` given) also goes to ``emp_cells`` per (employee id,
    month, metric), whatever the department's family: `oracle_employees` scores people from them.
    """

    def __init__(self, months: set[str]) -> None:
        self.months = months
        self.cells: dict[tuple[str, str, str], _Cell] = defaultdict(_Cell)
        self.emp_cells: dict[tuple[int, str, str], _Cell] = defaultdict(_Cell)

    def add(
        self, dept: str, month: str, metric: str, num: float, den: float, record: Any, emp: int | None = None
    ) -> None:
        if month not in self.months:
            return
        cells = [self.cells[(dept, month, metric)]]
        if emp is not None:
            cells.append(self.emp_cells[(emp, month, metric)])
        for cell in cells:
            cell.num += num
            cell.den += den
            if record is not None:
                cell.records.add(record)


def accumulate(company: Company, as_of: date) -> tuple[_View, _Acc]:
    """The view at ``as_of`` and every department (and employee) cell, before any family filter."""
    v = _View(company, as_of)
    acc = _Acc(v.month_keys)
    _hr_metrics(v, acc)
    _rd_metrics(v, acc)
    _impl_metrics(v, acc)
    _crm_metrics(v, acc)
    _service_desk_metrics(v, acc)
    _erp_metrics(v, acc)
    return v, acc


def expected_observations(company: Company, as_of: date) -> dict[tuple[str, str, str], Expected]:
    """Every expected (department_id, month, metric_id) -> `Expected` at ``as_of`` (see module docstring)."""
    _, acc = accumulate(company, as_of)
    out: dict[tuple[str, str, str], Expected] = {}
    for (dept, month, metric), cell in sorted(acc.cells.items()):
        if cell.den <= 0 or metric in EMPLOYEE_ONLY:
            continue
        if dept == _ALL:
            targets = [d.dept_id for d in company.family_depts(COMPANY_WIDE[metric])]
        else:
            fam = company.dept_by_id[dept].family
            targets = [dept] if fam in METRIC_FAMILIES[metric] else []
        for target in targets:
            out[(target, month, metric)] = Expected(
                target, month, metric, cell.num, cell.den, len(cell.records)
            )
    return out


# ---- HR --------------------------------------------------------------------------------------------
def _hr_metrics(v: _View, acc: _Acc) -> None:
    co = v.co
    by_dept: dict[str, list[_Person]] = defaultdict(list)
    for p in v.staff:
        by_dept[p.dept_id].append(p)
    everyone = v.staff

    # approved sick/personal leave, as distinct (employee, workday) inside employment; a request whose
    # start does not read is no absence (attendance needs it)
    leave: dict[tuple[int, int], set[Any]] = defaultdict(set)
    for rec, s, _ in v.visible("hr.time_off"):
        p = v.people.get(int(s["employeeId"]))
        if p is None or rec.malformed or s["status"] != "approved" or s["type"] not in LEAVE_TYPES:
            continue
        start = _ordinal(s["start"])
        for day in range(start, start + int(s["amount"])):
            if is_workday(day) and p.employed(day):
                leave[(p.emp_id, day)].add(rec.key)

    trainings = {p.emp_id: _trainings(v, p) for p in everyone}

    for key, first, last in v.months:
        # attendance
        for p in everyone:
            lo, hi = max(first, p.hire), min(last, p.term if p.term is not None else last)
            scheduled = [d for d in range(lo, hi + 1) if is_workday(d)]
            if not scheduled:
                continue
            absent = 0
            for d in scheduled:
                recs = leave.get((p.emp_id, d))
                if recs:
                    absent += 1
                    for r in recs:
                        acc.add(p.dept_id, key, "attendance_rate", 0, 0, ("time_off", r), p.emp_id)
            scheduled_n = len(scheduled)
            acc.add(p.dept_id, key, "attendance_rate", scheduled_n - absent, scheduled_n, p.emp_id, p.emp_id)

        for dept, people in by_dept.items():
            at_first, at_last = v.headcount(people, first), v.headcount(people, last)
            # voluntary attrition
            leavers = [
                p
                for p in people
                if p.term is not None and first <= p.term <= last and p.term_type == "Voluntary"
            ]
            cell_key = (dept, key, "voluntary_attrition_rate")
            acc.add(
                dept, key, "voluntary_attrition_rate", len(leavers), (len(at_first) + len(at_last)) / 2, None
            )
            for p in (*at_first, *at_last, *leavers):
                acc.cells[cell_key].records.add(p.emp_id)
            # training completion
            y, m = int(key[:4]), int(key[5:])
            window_start = month_start(*add_months(y, m, -11))
            for p in at_last:
                done = {t for day, t, _, _ in trainings[p.emp_id] if window_start <= day <= last}
                complete = done >= REQUIRED_TRAINING_TYPES
                acc.add(dept, key, "training_completion_rate", int(complete), 1, p.emp_id, p.emp_id)

        # company-wide: training hours per employee
        hours = 0.0
        cell_key = (_ALL, key, "training_hours_per_employee")
        for p in everyone:
            for day, _, h, training_id in trainings[p.emp_id]:
                if first <= day <= last:
                    hours += h
                    acc.cells[cell_key].records.add(("training", training_id))
        at_first, at_last = v.headcount(everyone, first), v.headcount(everyone, last)
        acc.add(_ALL, key, "training_hours_per_employee", hours, (len(at_first) + len(at_last)) / 2, None)
        for p in (*at_first, *at_last):
            acc.cells[cell_key].records.add(p.emp_id)

    # company-wide: 90-day new-hire retention
    for p in everyone:
        day90 = p.hire + 90
        retained = p.term is None or p.term >= day90
        acc.add(_ALL, _month_of(day90), "new_hire_retention_90d", int(retained), 1, p.emp_id)

    # company-wide: time to fill
    for rec, s, _ in v.visible("hr.jobs"):
        if s["status"] != "Filled" or not s.get("filledDate"):
            continue
        filled, posted = local_day(s["filledDate"]), local_day(rec.created)
        acc.add(_ALL, _month_of(filled), "time_to_fill_days", filled - posted, 1, rec.key)

    # 360 scores of the previous quarter's cycle: peer rows only, and every reviewer role; they need the
    # employee's department, not their employment dates
    rows_by_cycle: dict[str, list[tuple[str, str, float, int, int]]] = defaultdict(list)
    for p in v.people.values():
        for row in gen_hr.review_rows(co, co.emp_by_id[p.emp_id], v.now):
            score, count = float(row["customReviewScore"]), int(row["customReviewerCount"])
            role = row["customReviewerRole"]
            rows_by_cycle[row["customReviewCycle"]].append((p.dept_id, role, score, count, p.emp_id))
    for key, _, _ in v.months:
        y, m = int(key[:4]), int(key[5:])
        q = (m - 1) // 3 + 1
        cycle = f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}"
        for dept, role, score, count, emp_id in rows_by_cycle.get(cycle, ()):
            if role == "peer":
                rec_id = (emp_id, cycle)
                acc.add(dept, key, "peer_collaboration_score", score * count, count, rec_id, emp_id)
            acc.add(dept, key, "review_360_score", score * count, count, (emp_id, cycle, role), emp_id)


def _trainings(v: _View, p: _Person) -> list[tuple[int, int, float, int]]:
    """(completed day, type id, hours, record id) of the training records the HR API serves."""
    emp = v.co.emp_by_id[p.emp_id]
    return [
        (x["day"], x["type"]["id"], float(x["type"]["hours"]), x["id"])
        for x in gen_hr.training_records(v.co, emp)
        if x["day"] <= v.last_day
    ]


# ---- ticketing: R&D and implementation ---------------------------------------------------------------
def _assignee(v: _View, rec: Record, s: dict[str, Any]) -> _Person | None:
    if rec.orphan:
        return None
    a = s.get("assignee")
    return v.people.get(a) if isinstance(a, int) else None


def _rd_metrics(v: _View, acc: _Acc) -> None:
    for rec, s, i in v.visible("jira.RD"):
        p = _assignee(v, rec, s)
        if p is None or s["issuetype"] not in ("Story", "Bug"):
            continue
        if s["status"] != "Done" or s.get("resolution") != "Done":
            continue
        resolved = local_day(s["resolutiondate"])
        month = _month_of(resolved)
        if s.get("duedate"):
            on_time = resolved <= _ordinal(s["duedate"])
            acc.add(p.dept_id, month, "on_time_delivery_rate", int(on_time), 1, rec.key, p.emp_id)
        reopened = any(ver.changes.get("status") == "Reopened" for ver in rec.versions[: i + 1])
        acc.add(p.dept_id, month, "reopen_rate", int(reopened), 1, rec.key, p.emp_id)
        if s["issuetype"] == "Bug":
            hours = (s["resolutiondate"] - s["created"]) / 3600
            acc.add(p.dept_id, month, "defect_fix_time_hours", hours, 1, rec.key, p.emp_id)


def _impl_metrics(v: _View, acc: _Acc) -> None:
    project_person: dict[str, _Person] = {}
    for rec, s, _ in v.visible("jira.IMPL"):
        p = _assignee(v, rec, s)
        if p is None:
            continue
        project_person[f"{rec.key[0]}-{rec.key[1]}"] = p
        if s.get("golive"):
            golive = _ordinal(s["golive"])
            on_time = s.get("duedate") is not None and golive <= _ordinal(s["duedate"])
            month = _month_of(golive)
            acc.add(p.dept_id, month, "go_live_on_time_rate", int(on_time), 1, rec.key, p.emp_id)
        created = local_day(s["created"])
        resolved = None if s.get("resolutiondate") is None else local_day(s["resolutiondate"])
        for key, first, last in v.months:
            if created <= last and (resolved is None or resolved >= first):
                acc.add(p.dept_id, key, "customer_complaint_rate", 0, 1, rec.key, p.emp_id)
    for rec, s, _ in v.visible("jira.CMP"):
        p = project_person.get(s.get("related") or "")
        if p is None:
            continue
        month = _month_of(local_day(s["created"]))
        acc.add(p.dept_id, month, "customer_complaint_rate", 1, 0, rec.key, p.emp_id)
    for rec, s, _ in v.visible("crm.feedback_submissions"):
        if rec.malformed or s["hs_survey_type"] != "CSAT" or not s.get("implementation_project_key"):
            continue  # an empty response value is no rating
        p = project_person.get(s["implementation_project_key"])
        if p is None:
            continue
        month = _month_of(local_day(s["hs_submission_timestamp"]))
        rating = float(s["hs_response_value"])
        acc.add(p.dept_id, month, "customer_satisfaction", rating, 1, rec.key, p.emp_id)


# ---- CRM -------------------------------------------------------------------------------------------
def _crm_metrics(v: _View, acc: _Acc) -> None:
    owners: dict[int, _Person] = {}
    users: dict[int, _Person] = {}
    for rec, s, _ in v.visible("crm.owners"):
        p = v.by_email.get(s["email"].lower())
        if p is None or rec.orphan:
            continue
        owners[rec.key[0]] = p
        users[s["userId"]] = p
    for rec, s, _ in v.visible("crm.deals"):
        p = None if rec.orphan else owners.get(s["hubspot_owner_id"])
        if p is None or s["dealstage"] not in ("closedwon", "closedlost"):
            continue
        closed = local_day(s["closedate"])
        month = _month_of(closed)
        won = s["dealstage"] == "closedwon"
        acc.add(p.dept_id, month, "win_rate", int(won), 1, rec.key, p.emp_id)
        if won and not rec.malformed:  # an amount of "TBD" is no revenue; the deal still closed
            amount = v.cny(s["amount"], s["deal_currency_code"], closed)
            acc.add(p.dept_id, month, "revenue_attainment", amount, 0, ("deal", rec.key), p.emp_id)
        if won:
            cycle = closed - local_day(s["createdate"])
            acc.add(p.dept_id, month, "sales_cycle_days", cycle, 1, rec.key, p.emp_id)
    for rec, s, _ in v.visible("crm.goal_targets"):
        p = users.get(s["hs_assignee_user_id"])
        if p is None:
            continue
        start = local_day(s["hs_start_datetime"])
        target = v.cny(s["hs_target_amount"], s["hs_currency_code"], start)
        acc.add(p.dept_id, _month_of(start), "revenue_attainment", 0, target, ("goal", rec.key), p.emp_id)


# ---- ticketing: service desk and patrols --------------------------------------------------------------
def _service_desk_metrics(v: _View, acc: _Acc) -> None:
    response_metric = {"hr": "hr_service_response_hours", "admin": "work_order_response_hours"}
    spellings = {text.strip().lower(): d.dept_id for d in v.co.departments for text in d.spellings.values()}
    # support_requests_per_fte: the serving department's average headcount, every month
    for d in v.co.departments:
        if d.family not in METRIC_FAMILIES["support_requests_per_fte"]:
            continue
        people = [p for p in v.staff if p.dept_id == d.dept_id]
        for key, first, last in v.months:
            at_first, at_last = v.headcount(people, first), v.headcount(people, last)
            acc.add(d.dept_id, key, "support_requests_per_fte", 0, (len(at_first) + len(at_last)) / 2, None)
            acc.cells[(d.dept_id, key, "support_requests_per_fte")].records.update(
                p.emp_id for p in (*at_first, *at_last)
            )
    for rec, s, _ in v.visible("jira.SD"):
        p = _assignee(v, rec, s)
        if p is None:
            continue
        family = v.co.dept_by_id[p.dept_id].family
        sla = s["sla"]
        if sla.get("frt_stop") is not None:
            hours = (sla["frt_stop"] - sla["start"]) / 3600
            month = _month_of(local_day(sla["frt_stop"]))
            if family in response_metric:
                acc.add(p.dept_id, month, response_metric[family], hours, 1, rec.key, p.emp_id)
            if s["issuetype"] == "Incident":
                acc.add(p.dept_id, month, "incident_response_hours", hours, 1, rec.key, p.emp_id)
        if sla.get("ttr_stop") is not None:
            month = _month_of(local_day(sla["ttr_stop"]))
            within = sla["ttr_stop"] - sla["start"] <= sla["ttr_goal"]
            rating = s.get("satisfaction")
            acc.add(p.dept_id, month, "sla_attainment_rate", int(within), 1, rec.key, p.emp_id)
            if rating is not None:
                acc.add(p.dept_id, month, "requester_satisfaction", float(rating), 1, rec.key, p.emp_id)
            requester = spellings.get((s.get("req_dept") or "").strip().lower())
            if requester is not None and requester != p.dept_id:
                acc.add(p.dept_id, month, "support_requests_per_fte", 1, 0, ("request", rec.key))
                acc.add(p.dept_id, month, "support_sla_attainment", int(within), 1, rec.key)
                if rating is not None:
                    acc.add(p.dept_id, month, "support_requester_satisfaction", float(rating), 1, rec.key)
    for rec, s, _ in v.visible("jira.SEC"):
        p = _assignee(v, rec, s)
        if p is None or s["status"] not in ("Done", "Missed") or not s.get("duedate"):
            continue
        month = _month_of(_ordinal(s["duedate"]))
        done = int(s["status"] == "Done")
        acc.add(p.dept_id, month, "patrol_completion_rate", done, 1, rec.key, p.emp_id)


# ---- ERP -------------------------------------------------------------------------------------------
def _erp_metrics(v: _View, acc: _Acc) -> None:
    gl = [(rec, s) for rec, s, _ in v.visible("erp.gl_entries")]
    corrected_ids = {s["OriginalEntryID"] for _, s, _ in v.visible("erp.journal_corrections")}
    actuals: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [0.0, []])
    for rec, s in gl:
        posted = _ordinal(s["PostingDate"])
        month = _month_of(posted)
        # an unreadable amount is no actual; the line was still posted (posting accuracy counts it)
        if s["GLAccountType"] in ("Expense", "Payroll") and not rec.orphan and not rec.malformed:
            cell = actuals[(s["CostCenterID"], s["GLAccountType"], month)]
            cell[0] += v.cny(s["AmountInTransactionCurrency"], s["TransactionCurrency"], posted)
            cell[1].append(rec.key)
        if s["IsReversal"]:
            continue
        p = v.by_email.get((s.get("PostedByEmail") or "").lower())
        if p is not None:
            correct = rec.key[0] not in corrected_ids
            acc.add(p.dept_id, month, "posting_accuracy", int(correct), 1, rec.key, p.emp_id)

    # company-wide: budget variance over the budgets of the month
    for rec, s, _ in v.visible("erp.budgets"):
        if s["GLAccountType"] not in ("Expense", "Payroll"):
            continue
        month = f"{int(s['FiscalYear']):04d}-{int(s['FiscalPeriod']):02d}"
        budget = float(s["BudgetAmount"])
        actual, lines = actuals.get((s["CostCenterID"], s["GLAccountType"], month), (0.0, []))
        acc.add(_ALL, month, "budget_variance", abs(actual - budget), budget, ("budget", rec.key))
        if month in v.month_keys:
            acc.cells[(_ALL, month, "budget_variance")].records.update(("gl", k) for k in lines)

    # company-wide: month-end close
    for rec, s, _ in v.visible("erp.period_closes"):
        if s["Status"] != "Closed" or s.get("ClosedDateTime") is None:
            continue
        closed = local_day(s["ClosedDateTime"])
        days = closed - _ordinal(s["PeriodEndDate"])
        acc.add(_ALL, _month_of(closed), "month_end_close_days", days, 1, rec.key)

    for rec, s, _ in v.visible("erp.purchase_invoices"):
        if s.get("PostedDateTime") is None:
            continue
        p = v.by_email.get((s.get("ProcessedByEmail") or "").lower())
        if p is None:
            continue
        posted = local_day(s["PostedDateTime"])
        days = posted - _ordinal(s["ReceivedDate"])
        acc.add(p.dept_id, _month_of(posted), "invoice_processing_days", days, 1, rec.key, p.emp_id)


# ---- command line ----------------------------------------------------------------------------------
def write_csv(observations: dict[tuple[str, str, str], Expected], out: Any) -> None:
    """CSV with full float precision (repr), sorted by department, month, metric."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["department_id", "month", "metric_id", "numerator", "denominator", "value", "records"])
    for key in sorted(observations):
        e = observations[key]
        w.writerow(
            [
                e.department_id,
                e.month,
                e.metric_id,
                repr(e.numerator),
                repr(e.denominator),
                repr(e.value),
                e.records,
            ]
        )


def main(argv: list[str] | None = None) -> int:
    """``python -m simulator.oracles.departments --seed 7 --scale s --as-of 2026-10-31 [--csv out.csv]``."""
    ap = argparse.ArgumentParser(
        prog="python -m simulator.oracles.departments", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", choices=SCALES, default="s")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    ap.add_argument("--csv", help="write every observation to this file ('-' for stdout)")
    ap.add_argument(
        "--show", action="append", default=[], metavar="DEPT:YYYY-MM", help="print one department-month"
    )
    args = ap.parse_args(argv)
    started = time.perf_counter()
    obs = expected_observations(Company(args.seed, args.scale), args.as_of)
    elapsed = time.perf_counter() - started
    if args.csv == "-":
        write_csv(obs, sys.stdout)
        return 0
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            write_csv(obs, fh)
    per_metric: dict[str, int] = defaultdict(int)
    for _, _, metric in obs:
        per_metric[metric] += 1
    print(
        f"seed {args.seed} scale {args.scale} as-of {args.as_of}: {len(obs)} observations in {elapsed:.1f} s"
    )
    for metric in METRIC_FAMILIES:
        print(f"  {metric:<30} {per_metric.get(metric, 0):>5}")
    for item in args.show:
        dept, _, month = item.partition(":")
        print(f"{dept} {month}:")
        for (d, m, metric), e in sorted(obs.items()):
            if d == dept and m == month:
                print(
                    f"  {metric:<30} {e.value:>14.6f} = {e.numerator:.6f} / {e.denominator:.6f} ({e.records})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
