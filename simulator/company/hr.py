"""HR events: time-off requests, training, job applications, quarterly 360 reviews and job history.

Time off drives attendance (sick share is a department lever); each required training is renewed
yearly, in time at the department's training lever (moved by the person's skill), late otherwise;
applications trail each job opening and one of them is the hire; 360 reviews score each employee
quarterly around the department's review lever, moved by the person's skill; the job history
(BambooHR's ``jobInfo`` table) has a row at hire and one per role change, read off the people model.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from simulator.clock import at, month_end, ymd
from simulator.company import mess
from simulator.company.org import GIVEN, ROLES, SURNAMES
from simulator.company.skill import shift_probability
from simulator.records import Record, Version, poisson, rng

if TYPE_CHECKING:
    from simulator.company.model import Company
    from simulator.company.people import Employee, Job

TIME_OFF_RATE = 0.025  # requests per employee per day
TIME_OFF_LIFE = 31  # decisions within 3 days, cancellations before the start (<= 30 days ahead)
TIME_OFF_LEAD = (-2, 30)  # start relative to creation (sick leave is filed up to 2 days late)
TIME_OFF_MAX_DAYS = 7
TIME_OFF_TYPES = {"Vacation": "78", "Sick": "79", "Personal": "80"}

# how much one unit of a person's skill (see skill.py) moves their 360 reviews (points of 1-5) and the
# log-odds of completing a required training; the rest of a review is the cycle's own noise
REVIEW_PER_SKILL = 0.2
REVIEW_NOISE = 0.3
TRAINING_PER_SKILL = 0.5
REQUIRED_TRAINING_VALID_DAYS = 365  # a required training counts for a year (the trailing-12-month window)

TRAINING_TYPES: list[dict[str, Any]] = [
    {
        "id": 1,
        "name": "Information Security Awareness",
        "required": True,
        "category": (1, "Compliance"),
        "hours": 2.0,
        "cost": 0,
    },
    {
        "id": 2,
        "name": "Workplace Safety",
        "required": True,
        "category": (2, "Safety"),
        "hours": 1.5,
        "cost": 0,
    },
    {
        "id": 3,
        "name": "Anti-Bribery & Code of Conduct",
        "required": True,
        "category": (1, "Compliance"),
        "hours": 1.0,
        "cost": 0,
    },
    {
        "id": 4,
        "name": "Leadership Essentials",
        "required": False,
        "category": (3, "Leadership"),
        "hours": 12.0,
        "cost": 3200,
    },
    {
        "id": 5,
        "name": "Product Deep Dive",
        "required": False,
        "category": (4, "Product"),
        "hours": 6.0,
        "cost": 800,
    },
    {
        "id": 6,
        "name": "Project Management Fundamentals",
        "required": False,
        "category": (5, "Skills"),
        "hours": 8.0,
        "cost": 1500,
    },
    {
        "id": 7,
        "name": "Financial Controls",
        "required": False,
        "category": (5, "Skills"),
        "hours": 4.0,
        "cost": 600,
    },
]
INSTRUCTORS = ("Internal Academy", "SafeWork Partners", "Deloitte Learning", "Coursera for Business")
REVIEW_ROLES = ("self", "peer", "manager")


def time_off_count(co: Company, day: int) -> int:
    return poisson(rng(co.seed, co.scale, "timeoff-n", day), co.heads(None, day) * TIME_OFF_RATE)


def time_off_slice(co: Company, day: int) -> list[Record]:
    """Time-off requests filed on ``day``: requested -> approved/denied (-> canceled)."""
    r = rng(co.seed, co.scale, "timeoff", day)
    base = co.seq_base("hr.time_off", day)
    out = []
    for i in range(time_off_count(co, day)):
        emp = co.pick(r, None, day)
        if emp is None:
            continue
        dept = co.dept_by_id[emp.dept_id]
        u = r.random()
        if u < dept.profile.sick_share:
            kind, start, amount = "Sick", day - r.randint(0, 2), r.choice((1, 1, 1, 2, 2, 3, 5))
        elif u < dept.profile.sick_share + 0.1:
            kind, start, amount = "Personal", day + r.randint(1, 10), 1
        else:
            kind, start, amount = "Vacation", day + r.randint(3, 30), r.randint(1, TIME_OFF_MAX_DAYS)
        rid = base + i + 1
        approver = emp.supervisor_id or emp.emp_id
        created = at(day, r.randint(8 * 3600, 20 * 3600))
        v0 = {
            "employeeId": emp.emp_id,
            "status": "requested",
            "name": emp.display_name,
            "start": ymd(start),
            "end": ymd(start + amount - 1),
            "created": ymd(day),
            "type": kind,
            "amount": amount,
        }
        versions = [Version(created, v0, emp.emp_id)]
        decided = created + r.randint(1800, 3 * 86400)
        approved = (kind == "Sick" and r.random() < 0.97) or (kind != "Sick" and r.random() < 0.88)
        versions.append(Version(decided, {"status": "approved" if approved else "denied"}, approver))
        if approved and kind != "Sick" and r.random() < 0.05:
            cancel = min(decided + r.randint(3600, 20 * 86400), at(start, 0) - 3600)
            if cancel > decided:
                versions.append(Version(cancel, {"status": "canceled"}, emp.emp_id))
        out.append(
            Record(
                "hr.time_off",
                (rid,),
                versions,
                malformed=mess.malformed(co.seed, "hr.time_off", rid),
                truth={"start_day": start, "days": amount, "type": kind, "dept_id": emp.dept_id},
            )
        )
    return out


def training_records(co: Company, emp: Employee) -> list[dict[str, Any]]:
    """Completed trainings of one employee, all years of the history (completed date is the version)."""
    cache = co.aux_cache("training", 512)
    hit = cache.get(emp.emp_id)
    if hit is not None:
        return hit
    r = rng(co.seed, co.scale, "training", emp.emp_id)
    dept = co.dept_by_id[emp.dept_id]
    last_day = min(co.horizon, emp.termination_day if emp.termination_day is not None else co.horizon)
    completions: list[tuple[int, dict[str, Any]]] = []
    renewed_in_time = shift_probability(dept.profile.training, emp.skill, TRAINING_PER_SKILL)
    for t in TRAINING_TYPES:
        if not t["required"]:
            continue
        # the completion in force when the history starts (or the one at onboarding), then one renewal a
        # year: in the month before it lapses, or after a lapse of a few weeks to months
        if emp.hire_day > co.start - REQUIRED_TRAINING_VALID_DAYS:
            day = emp.hire_day + r.randint(7, 45)
        else:
            day = co.start - r.randint(1, REQUIRED_TRAINING_VALID_DAYS)
        while day <= last_day:
            completions.append((day, t))
            if r.random() < renewed_in_time:
                day += REQUIRED_TRAINING_VALID_DAYS - r.randint(0, 30)
            else:
                day += REQUIRED_TRAINING_VALID_DAYS + r.randint(15, 120)
    for year in range(date.fromordinal(co.start).year, date.fromordinal(co.horizon).year + 1):
        lo = max(emp.hire_day + 7, date(year, 1, 1).toordinal(), co.start)
        hi = min(date(year, 12, 31).toordinal(), last_day)
        if lo > hi:
            continue
        for t in TRAINING_TYPES:
            if not t["required"]:
                completions += [(r.randint(lo, hi), t) for _ in range(poisson(r, 0.3))]
    out = [
        {
            "id": emp.emp_id * 100 + n,
            "employeeId": emp.emp_id,
            "day": day,
            "type": t,
            "instructor": r.choice(INSTRUCTORS),
        }
        for n, (day, t) in enumerate(completions, start=1)
    ]
    out.sort(key=lambda x: x["id"])
    cache.put(emp.emp_id, out)
    return out


def applications(co: Company, job: Job) -> list[Record]:
    """Applications to one job; when the job is filled, one of them is the hire."""
    r = rng(co.seed, co.scale, "apps", job.job_id)
    end = job.filled_day or job.canceled_day or job.posted_day + 90
    hired_at = r.randrange(job.applicants) if job.hire is not None else -1
    out = []
    for i in range(job.applicants):
        app_id = job.job_id * 100 + i + 1
        applied = r.randint(job.posted_day, max(job.posted_day, end - 3))
        if i == hired_at and job.hire is not None:
            first, last = job.hire.first_name, job.hire.last_name
            email = f"{first.lower()}.{last.lower()}.cv{app_id % 97}@example.cn"
            path = ["Reviewed", "Interviewed", "Offered", "Hired"]
        else:
            first, last = r.choice(GIVEN), r.choice(SURNAMES)
            email = f"{first.lower()}.{last.lower()}{app_id % 97}@example.cn"
            path = ["Reviewed", "Interviewed", "Rejected"][: r.randint(1, 3)]
            if path[-1] != "Rejected" and r.random() < 0.7:
                path.append("Rejected")
        ts = at(applied, r.randint(8 * 3600, 23 * 3600))
        versions = [
            Version(
                ts,
                {
                    "status": "New",
                    "applicant": (app_id, first, last, email),
                    "job_id": job.job_id,
                    "appliedDate": ts,
                },
            )
        ]
        for status in path:
            ts = max(ts + 3600, at(end, 15 * 3600)) if status == "Hired" else ts + r.randint(1, 8) * 86400
            versions.append(Version(ts, {"status": status}))
        out.append(Record("hr.applications", (app_id,), versions))
    return out


def review_rows(co: Company, emp: Employee, now: int) -> list[dict[str, Any]]:
    """Quarterly 360 review rows (self, peer, manager) visible at ``now``."""
    rows = []
    y, q = date.fromordinal(co.start).year, (date.fromordinal(co.start).month - 1) // 3 + 1
    dept = co.dept_by_id[emp.dept_id]
    while True:
        qend = month_end(y, q * 3)
        if qend > co.horizon:
            break
        if emp.active_on(qend) and emp.hire_day <= qend - 60 and qend >= co.start:
            r = rng(co.seed, co.scale, "review", emp.emp_id, y, q)
            review_day = qend + r.randint(5, 20)
            if at(review_day, 12 * 3600) < now:
                base = r.gauss(dept.profile.review + REVIEW_PER_SKILL * emp.skill_on(qend), REVIEW_NOISE)
                for role, bias, count in (
                    ("self", 0.3, 1),
                    ("peer", 0.0, r.randint(2, 6)),
                    ("manager", -0.1, 1),
                ):
                    score = min(5.0, max(1.0, base + bias + r.gauss(0, 0.2)))
                    rows.append(
                        {
                            "id": str(emp.emp_id),
                            "customReviewCycle": f"{y}-Q{q}",
                            "customReviewerRole": role,
                            "customReviewScore": f"{score:.1f}",
                            "customReviewerCount": str(count),
                            "customReviewDate": ymd(review_day),
                        }
                    )
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return rows


def job_info_rows(co: Company, emp: Employee, now: int) -> list[dict[str, Any]]:
    """BambooHR ``jobInfo`` rows of one employee visible at ``now``, oldest first (no random draws).

    One row at hire, visible with the employee record, and one per later role change, visible with the
    HR record version that carries that ``jobTitle`` change. The dates are the truth: the API garbles a
    ``bad_hire_date`` record's hire row as it garbles the record.
    """
    last = emp.record.visible_index(now)
    if last is None:
        return []
    # versions after the first that change jobTitle, in time order: one per role change, in role order
    title_versions = [i for i, v in enumerate(emp.record.versions) if i and "jobTitle" in v.changes]
    dept = co.dept_by_id[emp.dept_id]
    sup = co.emp_by_id.get(emp.supervisor_id) if emp.supervisor_id else None
    rows = []
    for n, (day, role_id) in enumerate(emp.roles):
        if n and title_versions[n - 1] > last:
            break
        rows.append(
            {
                "id": str(emp.emp_id * 100 + n + 1),
                "employeeId": str(emp.emp_id),
                "date": ymd(day),
                "location": emp.location,
                "department": dept.hr_name,
                "division": dept.division,
                "jobTitle": ROLES[role_id].title_en,
                "reportsTo": sup.display_name if sup else None,
            }
        )
    return rows


def time_off_days_between(start: int, end: int) -> range:
    """Creation days whose requests can overlap [start, end] (see TIME_OFF_LEAD)."""
    return range(start - TIME_OFF_LEAD[1] - TIME_OFF_MAX_DAYS, end - TIME_OFF_LEAD[0] + 1)
