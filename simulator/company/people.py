"""Employees and job openings: hires, terminations, role changes, pay, and the HR record versions.

Managers never leave. Everyone else leaves at the department's annual attrition hazard (new hires also
risk leaving inside 90 days); each departure inside the history opens a backfill job that HR fills after
a time-to-fill scaled by the department's and HR's levers, and the filled job brings a new hire, who can
leave in turn. A few people are promoted mid-window; most get an April pay raise. Employee ids follow
hire order.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date

from simulator.clock import at, ymd
from simulator.company import mess
from simulator.company.org import GIVEN, LOCATIONS, ROLES, SURNAMES, Department, roles_of
from simulator.company.skill import draw_skill
from simulator.records import Record, Version

EMAIL_DOMAIN = "acme.example.com"
VOLUNTARY_SHARE = 0.7
PROMOTION_RATE = 0.04
APRIL_RAISE_RATE = 0.6
GROWTH_PER_YEAR = 0.05
JOB_CANCEL_RATE = 0.08


@dataclass
class Employee:
    """One person as the HR system knows them; ``record`` holds the BambooHR versions."""

    emp_id: int
    employee_number: str
    first_name: str
    last_name: str
    email: str
    dept_id: str
    location: str
    hire_day: int
    termination_day: int | None
    termination_type: str | None
    roles: list[tuple[int, str]]  # (effective day, role id), first at hire
    pay: list[tuple[int, int]]  # (effective day, CNY per month)
    supervisor_id: int | None
    job_id: int | None
    is_manager: bool
    skill: float = 0.0  # how well they do their own work, a z-score (see skill.py)
    record: Record = field(repr=False, default=None)  # type: ignore[assignment]

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def active_on(self, day: int) -> bool:
        """Employed on ``day`` (hire day to termination day, both inclusive)."""
        return self.hire_day <= day and (self.termination_day is None or day <= self.termination_day)

    def role_on(self, day: int) -> str:
        role = self.roles[0][1]
        for eff, rid in self.roles:
            if eff <= day:
                role = rid
        return role

    def skill_on(self, day: int) -> float:
        """Their skill plus the experience of the role they hold on ``day`` (see skill.py)."""
        return self.skill + ROLES[self.role_on(day)].experience

    def pay_on(self, day: int) -> int:
        amount = self.pay[0][1]
        for eff, value in self.pay:
            if eff <= day:
                amount = value
        return amount


@dataclass
class Job:
    """A job opening (BambooHR applicant tracking); ``hire`` is the employee who filled it."""

    job_id: int
    dept_id: str
    role_id: str
    location: str
    posted_day: int
    filled_day: int | None
    canceled_day: int | None
    reason: str  # backfill | growth
    hire: Employee | None = None
    applicants: int = 0
    record: Record = field(repr=False, default=None)  # type: ignore[assignment]

    @property
    def time_to_fill_days(self) -> int | None:
        return None if self.filled_day is None else self.filled_day - self.posted_day


@dataclass
class _Proto:
    dept: Department
    role_id: str
    hire_day: int
    new_hire: bool
    job: Job | None = None
    term_day: int | None = None
    term_type: str | None = None


def build_people(
    seed: int, scale: str, depts: list[Department], start: int, horizon: int
) -> tuple[list[Employee], list[Job]]:
    """Generate every employee and job opening of the company (deterministic from seed and scale)."""
    r = random.Random(f"{seed}:{scale}:people")
    hr_lever = next(d.profile.time_to_fill for d in depts if d.family == "hr")
    protos: list[_Proto] = []
    jobs: list[Job] = []
    queue: deque[_Proto] = deque()

    def open_job(dept: Department, role_id: str, posted: int, reason: str) -> None:
        job = Job(len(jobs) + 1, dept.dept_id, role_id, r.choice(LOCATIONS), posted, None, None, reason)
        jobs.append(job)
        job.applicants = r.randint(5, 30)
        if r.random() < JOB_CANCEL_RATE:
            job.canceled_day = posted + r.randint(15, 60)
            return
        ttf = round(r.uniform(18, 60) * dept.profile.time_to_fill * hr_lever)
        job.filled_day = posted + ttf
        hire_day = job.filled_day + r.randint(7, 28)
        if hire_day <= horizon:
            proto = _Proto(dept, role_id, hire_day, True, job)
            protos.append(proto)
            queue.append(proto)

    for dept in depts:
        staff_roles = [x for x in roles_of(dept.family) if not x.is_manager]
        mgr = next(x for x in roles_of(dept.family) if x.is_manager)
        protos.append(_Proto(dept, mgr.role_id, start - r.randint(1500, 4000), False))
        for _ in range(dept.size - 1):
            role = r.choices(staff_roles, weights=[x.weight for x in staff_roles])[0]
            proto = _Proto(dept, role.role_id, start - int(r.triangular(10, 3650, 60)), False)
            protos.append(proto)
            queue.append(proto)
        growth = round(dept.size * GROWTH_PER_YEAR * (horizon - start) / 365)
        for _ in range(growth):
            role = r.choices(staff_roles, weights=[x.weight for x in staff_roles])[0]
            open_job(dept, role.role_id, r.randint(start, horizon - 30), "growth")

    while queue:
        p = queue.popleft()
        hazard = p.dept.profile.attrition
        t0 = max(p.hire_day, start)
        if p.new_hire and r.random() < hazard * 0.5:
            term = p.hire_day + r.randint(20, 89)
        else:
            term = (p.hire_day + 90 if p.new_hire else t0) + int(r.expovariate(hazard / 365))
        if term <= horizon:
            p.term_day = term
            p.term_type = "Voluntary" if r.random() < VOLUNTARY_SHARE else "Involuntary"
            open_job(p.dept, p.role_id, max(start, term - r.randint(0, 20)), "backfill")

    protos.sort(key=lambda p: p.hire_day)
    employees: list[Employee] = []
    managers: dict[str, int] = {}
    used_emails: set[str] = set()
    for i, p in enumerate(protos):
        emp_id = 1001 + i
        first, last = r.choice(GIVEN), r.choice(SURNAMES)
        local = f"{first}.{last}".lower()
        email, k = f"{local}@{EMAIL_DOMAIN}", 1
        while email in used_emails:
            k += 1
            email = f"{local}{k}@{EMAIL_DOMAIN}"
        used_emails.add(email)
        role = ROLES[p.role_id]
        pay = round(r.uniform(role.pay_lo, role.pay_hi), -2)
        emp = Employee(
            emp_id,
            f"E{emp_id:05d}",
            first,
            last,
            email,
            p.dept.dept_id,
            p.job.location if p.job else r.choice(LOCATIONS),
            p.hire_day,
            p.term_day,
            p.term_type,
            [(p.hire_day, p.role_id)],
            [(p.hire_day, int(pay))],
            None,
            p.job.job_id if p.job else None,
            role.is_manager,
            draw_skill(seed, emp_id),
        )
        if role.is_manager:
            managers[p.dept.dept_id] = emp_id
        if p.job:
            p.job.hire = emp
        employees.append(emp)

    for emp in employees:
        emp.supervisor_id = None if emp.is_manager else managers[emp.dept_id]
        _promote_and_raise(r, emp, start, horizon)
        emp.record = _hr_record(seed, r, emp, depts)
    for job in jobs:
        job.record = _job_record(r, job)
    return employees, jobs


def _promote_and_raise(r: random.Random, emp: Employee, start: int, horizon: int) -> None:
    last_day = emp.termination_day if emp.termination_day is not None else horizon
    role = ROLES[emp.roles[0][1]]
    lo, hi = max(emp.hire_day + 180, start + 30), last_day - 1
    if role.promotes_to and lo < hi and r.random() < PROMOTION_RATE:
        day = r.randint(lo, hi)
        emp.roles.append((day, role.promotes_to))
        emp.pay.append((day, int(round(emp.pay_on(day) * 1.15, -2))))
    year = _year_of(start)
    while True:
        april = _april_first(year)
        if april > horizon:
            break
        if (
            april >= start
            and emp.hire_day < april - 90
            and emp.active_on(april)
            and r.random() < APRIL_RAISE_RATE
        ):
            emp.pay.append((april, int(round(emp.pay_on(april) * r.uniform(1.03, 1.08), -2))))
        year += 1
    emp.pay.sort()


def _year_of(day: int) -> int:
    return int(ymd(day)[:4])


def _april_first(year: int) -> int:
    return date(year, 4, 1).toordinal()


def _hr_record(seed: int, r: random.Random, emp: Employee, depts: list[Department]) -> Record:
    dept = next(d for d in depts if d.dept_id == emp.dept_id)
    first_role = ROLES[emp.roles[0][1]]
    base = {
        "employeeNumber": emp.employee_number,
        "firstName": emp.first_name,
        "lastName": emp.last_name,
        "displayName": emp.display_name,
        "workEmail": emp.email,
        "department": dept.hr_name,
        "division": dept.division,
        "jobTitle": first_role.title_en,
        "location": emp.location,
        "hireDate": ymd(emp.hire_day),
        "terminationDate": "0000-00-00",
        "terminationType": None,
        "status": "Active",
        "supervisorEId": None if emp.supervisor_id is None else str(emp.supervisor_id),
        "payRate": f"{emp.pay[0][1]:.2f} CNY",
        "payPer": "Month",
    }
    versions = [Version(at(emp.hire_day - r.randint(7, 21), r.randint(9 * 3600, 18 * 3600)), base)]
    changes: list[Version] = []
    for day, rid in emp.roles[1:]:
        changes.append(Version(at(day, r.randint(9 * 3600, 18 * 3600)), {"jobTitle": ROLES[rid].title_en}))
    for day, amount in emp.pay[1:]:
        changes.append(Version(at(day, 8 * 3600 + r.randint(0, 3600)), {"payRate": f"{amount:.2f} CNY"}))
    if emp.termination_day is not None:
        changes.append(
            Version(
                at(emp.termination_day, r.randint(16 * 3600, 20 * 3600)),
                {
                    "terminationDate": ymd(emp.termination_day),
                    "terminationType": emp.termination_type,
                    "status": "Inactive",
                },
            )
        )
    changes.sort(key=lambda v: v.ts)
    merged: list[Version] = versions
    for v in changes:
        if v.ts == merged[-1].ts:
            merged[-1].changes.update(v.changes)
        else:
            merged.append(v)
    return Record(
        "hr.employees", (emp.emp_id,), merged, malformed=mess.malformed(seed, "hr.employees", emp.emp_id)
    )


def _job_record(r: random.Random, job: Job) -> Record:
    role = ROLES[job.role_id]
    base = {"title": role.title_en, "status": "Open", "filledDate": None}
    versions = [Version(at(job.posted_day, r.randint(9 * 3600, 12 * 3600)), base)]
    if job.filled_day is not None:
        ts = at(job.filled_day, r.randint(13 * 3600, 18 * 3600))
        versions.append(Version(ts, {"status": "Filled", "filledDate": ts}))
    elif job.canceled_day is not None:
        versions.append(
            Version(at(job.canceled_day, r.randint(13 * 3600, 18 * 3600)), {"status": "Canceled"})
        )
    return Record("hr.jobs", (job.job_id,), versions)
