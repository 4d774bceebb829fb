"""Ticketing truth (Jira): RD stories and bugs, IMPL projects, SD requests with SLAs, SEC patrols, CMP.

Issue state uses neutral field names (``assignee`` is an actor id: an employee id, or ``"x1"``... for
contractor accounts with no HR employee); `jira_api` renders it. Every version's ``actor`` is the user who
made the change, whose time zone decides the offset of the rendered timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.clock import COMPANY_OFFSET_S, COMPANY_TZ_NAME, at, local_day, ymd
from simulator.company import mess
from simulator.company.people import EMAIL_DOMAIN
from simulator.company.skill import shift_probability
from simulator.records import Record, Version, poisson, rng, unit

if TYPE_CHECKING:
    from simulator.company.model import Company

RD_RATE = 0.2  # issues per R&D head per day (stories and bugs of a day or two each)
IMPL_RATE = 0.035  # projects per implementation head per day (each consultant runs a few at once)
SD_RATE = 0.03  # service-desk requests per head per day
RD_LIFE, IMPL_LIFE, SD_LIFE, SEC_LIFE, CMP_LIFE = 60, 120, 20, 9, 20
IMPL_FOLLOWUP_LOOKBACK = 135  # complaints and CSAT surveys come up to this many days after an IMPL starts
# how much one unit of the assignee's skill (see skill.py) moves their own outcomes, in log-odds
ON_TIME_PER_SKILL = 0.45  # an RD issue or IMPL project done by its due date
REOPEN_PER_SKILL = -0.4  # an RD bug reopened
COMPLAINT_PER_SKILL = -0.4  # a customer complaint after an IMPL project
CSAT_PER_SKILL = 0.3  # points of the customer's 1-5 CSAT rating
PROJECTS = {  # key: (name, type, id base)
    "RD": ("Research & Development", "software", 1_000_000),
    "IMPL": ("Implementation", "business", 2_000_000),
    "SD": ("Service Desk", "service_desk", 3_000_000),
    "SEC": ("Security Patrols", "business", 4_000_000),
    "CMP": ("Customer Complaints", "business", 5_000_000),
}
ISSUE_TYPES = {
    "RD": ("Story", "Bug"),
    "IMPL": ("Implementation",),
    "SD": ("Service Request", "Incident"),
    "SEC": ("Patrol",),
    "CMP": ("Complaint",),
}
STATUS_CATEGORY = {
    "To Do": "new",
    "Scheduled": "new",
    "Open": "new",
    "Waiting for support": "new",
    "In Progress": "indeterminate",
    "Reopened": "indeterminate",
    "Done": "done",
    "Resolved": "done",
    "Missed": "done",
}
SLA_GOALS_H = {"Service Request": (8, 72), "Incident": (2, 24)}  # (first response, resolution)
SD_TOPICS = {  # family of the serving department -> (share, topics, roles that answer)
    "hr": (
        0.35,
        ("Leave balance question", "Employment certificate", "Onboarding checklist", "Payslip access"),
        ("hr_spec", "hr_recruiter"),
    ),
    "finance": (
        0.25,
        ("Expense reimbursement", "Invoice request", "Payment status", "Budget query"),
        ("fin_acct", "fin_sr"),
    ),
    "admin": (
        0.40,
        ("Access badge", "Office supplies", "Meeting room repair", "Parking permit", "Travel booking"),
        ("adm_officer", "adm_general", "adm_security", "adm_finance"),
    ),
}
RD_WORK = ("Add", "Refactor", "Fix", "Improve", "Migrate", "Document", "Optimize")
RD_THINGS = (
    "login flow",
    "billing export",
    "report builder",
    "search index",
    "API rate limiter",
    "mobile sync",
    "audit log",
    "data import",
    "notification service",
    "permissions model",
)
PRODUCTS = ("ERP rollout", "HR suite", "CRM integration", "BI dashboards", "Payroll module")


@dataclass(frozen=True)
class JiraUser:
    """A Jira account; ``emp_id`` is None for the contractor accounts (orphans) and the API bot."""

    actor: Any
    account_id: str
    email: str
    display_name: str
    tz_name: str
    offset: int
    emp_id: int | None
    inactive_from: int | None


BOT_ACTOR = "bot"


def users(co: Company) -> dict[Any, JiraUser]:
    """Every Jira account by actor id: employees, contractor orphans, the integration bot."""
    cache = co.aux_cache("jira-users", 1)
    hit = cache.get("all")
    if hit is not None:
        return hit
    out: dict[Any, JiraUser] = {}
    for e in co.employees:
        tz, off = mess.timezone_for(co.seed, e.emp_id)
        out[e.emp_id] = JiraUser(
            e.emp_id,
            _account(co, e.emp_id),
            e.email,
            e.display_name,
            tz,
            off,
            e.emp_id,
            None if e.termination_day is None else at(e.termination_day + 1, 0),
        )
    for i in range(1, mess.ORPHAN_JIRA_USERS + 1):
        out[f"x{i}"] = JiraUser(
            f"x{i}",
            _account(co, f"x{i}"),
            f"contractor{i}@partner.example.com",
            f"Contractor {i}",
            "UTC",
            0,
            None,
            None,
        )
    out[BOT_ACTOR] = JiraUser(
        BOT_ACTOR,
        _account(co, BOT_ACTOR),
        f"sim-bot@{EMAIL_DOMAIN}",
        "Simulator Bot",
        COMPANY_TZ_NAME,
        COMPANY_OFFSET_S // 60,
        None,
        None,
    )
    cache.put("all", out)
    return out


def _account(co: Company, actor: Any) -> str:
    return (
        "712020:"
        + f"{int(unit(co.seed, 'acct', actor) * 16**12):012x}"
        + f"-{int(unit(co.seed, 'acct2', actor) * 16**12):012x}"
    )


def _count(co: Company, project: str, family: str, rate: float, day: int) -> list[tuple]:
    return [
        (d, poisson(rng(co.seed, co.scale, f"{project}-n", day, d.dept_id), co.heads(d.dept_id, day) * rate))
        for d in co.family_depts(family)
    ]


def rd_count(co: Company, day: int) -> int:
    return sum(n for _, n in _count(co, "RD", "rnd", RD_RATE, day))


def impl_count(co: Company, day: int) -> int:
    return sum(n for _, n in _count(co, "IMPL", "implementation", IMPL_RATE, day))


def sd_count(co: Company, day: int) -> int:
    return poisson(rng(co.seed, co.scale, "SD-n", day), co.heads(None, day) * SD_RATE)


def sec_count(co: Company, day: int) -> int:
    return co.patrol_routes


def _issue(project: str, number: int, versions: list[Version], co: Company, **kw: Any) -> Record:
    return Record(f"jira.{project}", (project, number), versions, **kw)


def rd_slice(co: Company, day: int) -> list[Record]:
    """Stories and bugs: To Do -> In Progress -> Done, on time at the department's lever; bugs may reopen."""
    r = rng(co.seed, co.scale, "RD", day)
    number = co.seq_base("jira.RD", day)
    out = []
    for dept, n in _count(co, "RD", "rnd", RD_RATE, day):
        mgr = co.manager(dept.dept_id)
        for _ in range(n):
            number += 1
            bug = r.random() < 0.35
            emp = co.pick(
                r, dept.dept_id, day, ("rnd_qa", "rnd_eng", "rnd_sr") if bug else ("rnd_eng", "rnd_sr")
            )
            assignee = emp.emp_id if emp else mgr.emp_id
            skill = emp.skill_on(day) if emp else 0.0
            orphan = None
            if mess.hits(co.seed, "jira.RD.assignee", number, mess.ORPHAN_RATES["jira.RD.assignee"]):
                assignee, orphan = f"x{1 + number % mess.ORPHAN_JIRA_USERS}", "assignee_without_employee"
            reporter = mgr.emp_id if not bug else (co.pick(r, dept.dept_id, day, ("rnd_qa",)) or mgr).emp_id
            created = at(day, r.randint(9 * 3600, 20 * 3600))
            due = day + r.randint(5, 25)
            state = {
                "summary": f"{r.choice(RD_WORK)} {r.choice(RD_THINGS)}",
                "issuetype": "Bug" if bug else "Story",
                "status": "To Do",
                "priority": "High" if bug and r.random() < 0.3 else "Medium",
                "assignee": assignee,
                "reporter": reporter,
                "created": created,
                "duedate": ymd(due),
                "story_points": None if bug else r.choice((1, 2, 3, 3, 5, 5, 8)),
            }
            versions = [Version(created, state, reporter)]
            started = created + r.randint(1, 3 * 86400)
            versions.append(Version(started, {"status": "In Progress"}, assignee))
            if r.random() < shift_probability(dept.profile.on_time, skill, ON_TIME_PER_SKILL):
                done_day = max(local_day(started), due - r.randint(0, max(0, (due - day) // 2)))
            else:
                done_day = due + r.randint(1, 20)
            done = max(started + 3600, at(done_day, r.randint(10 * 3600, 21 * 3600)))
            res = "Won't Do" if r.random() < 0.03 else "Done"
            versions.append(
                Version(
                    done,
                    {"status": "Done", "resolution": res, "resolutiondate": done, "resolver": assignee},
                    assignee,
                )
            )
            reopened = bug and r.random() < shift_probability(dept.profile.reopen, skill, REOPEN_PER_SKILL)
            if reopened:
                again = done + r.randint(1, 5) * 86400
                versions.append(
                    Version(
                        again, {"status": "Reopened", "resolution": None, "resolutiondate": None}, reporter
                    )
                )
                fixed = again + r.randint(1, 7) * 86400
                versions.append(
                    Version(
                        fixed,
                        {
                            "status": "Done",
                            "resolution": "Done",
                            "resolutiondate": fixed,
                            "resolver": assignee,
                        },
                        assignee,
                    )
                )
            out.append(
                _issue(
                    "RD",
                    number,
                    versions,
                    co,
                    orphan=orphan,
                    malformed=mess.malformed(co.seed, "jira.RD", number),
                    truth={"dept_id": dept.dept_id, "due_day": due, "reopened": reopened},
                )
            )
    return out


def impl_slice(co: Company, day: int) -> list[Record]:
    """Implementation projects: due date vs go-live date; some draw a complaint and a CSAT survey later."""
    r = rng(co.seed, co.scale, "IMPL", day)
    number = co.seq_base("jira.IMPL", day)
    out = []
    for dept, n in _count(co, "IMPL", "implementation", IMPL_RATE, day):
        mgr = co.manager(dept.dept_id)
        for _ in range(n):
            number += 1
            emp = co.pick(r, dept.dept_id, day, ("impl_con", "impl_sr"))
            assignee = emp.emp_id if emp else mgr.emp_id
            skill = emp.skill_on(day) if emp else 0.0
            cust = r.choice(co.customers)
            created = at(day, r.randint(9 * 3600, 18 * 3600))
            due = day + r.randint(45, 100)
            on_time = r.random() < shift_probability(dept.profile.on_time, skill, ON_TIME_PER_SKILL)
            golive = due - r.randint(0, 10) if on_time else due + r.randint(1, 25)
            golive = min(golive, day + IMPL_LIFE - 2)
            state = {
                "summary": f"{r.choice(PRODUCTS)} for {cust.name}",
                "issuetype": "Implementation",
                "status": "To Do",
                "priority": "Medium",
                "assignee": assignee,
                "reporter": mgr.emp_id,
                "created": created,
                "duedate": ymd(due),
                "customer": cust.name,
            }
            versions = [
                Version(created, state, mgr.emp_id),
                Version(created + r.randint(3, 10) * 86400, {"status": "In Progress"}, assignee),
            ]
            live_ts = max(versions[-1].ts + 3600, at(golive, r.randint(10 * 3600, 20 * 3600)))
            versions.append(
                Version(
                    live_ts,
                    {
                        "status": "Done",
                        "resolution": "Done",
                        "resolutiondate": live_ts,
                        "resolver": assignee,
                        "golive": ymd(golive),
                    },
                    assignee,
                )
            )
            truth: dict[str, Any] = {
                "dept_id": dept.dept_id,
                "due_day": due,
                "golive_day": golive,
                "customer_id": cust.party_id,
            }
            complaint = shift_probability(_complaint_rate(dept.profile.csat), skill, COMPLAINT_PER_SKILL)
            if r.random() < complaint:
                truth["complaint_day"] = day + r.randint(20, IMPL_FOLLOWUP_LOOKBACK - 5)
            if r.random() < 0.7:
                truth["csat_day"] = golive + r.randint(3, 12)
                rating = r.gauss(dept.profile.csat + CSAT_PER_SKILL * skill, 0.7)
                truth["csat_score"] = max(1, min(5, round(rating)))
            out.append(_issue("IMPL", number, versions, co, truth=truth))
    return out


def _complaint_rate(csat: float) -> float:
    """Share of a department's projects that draw a complaint: a few, more where customers are less happy."""
    return 0.03 + 0.2 * (4.8 - csat) / 1.4


def cmp_slice(co: Company, day: int) -> list[Record]:
    """Customer complaints raised on ``day`` against implementation projects."""
    r = rng(co.seed, co.scale, "CMP", day)
    number = co.seq_base("jira.CMP", day)
    out = []
    for c in range(day - IMPL_FOLLOWUP_LOOKBACK, day):
        for impl in co.slice("jira.IMPL", c):
            if impl.truth.get("complaint_day") != day:
                continue
            number += 1
            dept = co.dept_by_id[impl.truth["dept_id"]]
            mgr = co.manager(dept.dept_id)
            s = impl.versions[0].changes
            created = at(day, r.randint(9 * 3600, 19 * 3600))
            state = {
                "summary": f"Complaint about {impl.key[0]}-{impl.key[1]}",
                "issuetype": "Complaint",
                "status": "Open",
                "priority": "High",
                "assignee": mgr.emp_id,
                "reporter": mgr.emp_id,
                "created": created,
                "customer": s["customer"],
                "related": f"{impl.key[0]}-{impl.key[1]}",
            }
            versions = [
                Version(created, state, mgr.emp_id),
                Version(created + r.randint(1, 3) * 86400, {"status": "In Progress"}, mgr.emp_id),
            ]
            done = versions[-1].ts + r.randint(1, 14) * 86400
            versions.append(
                Version(
                    done,
                    {
                        "status": "Resolved",
                        "resolution": "Done",
                        "resolutiondate": done,
                        "resolver": mgr.emp_id,
                    },
                    mgr.emp_id,
                )
            )
            out.append(
                _issue(
                    "CMP", number, versions, co, truth={"dept_id": dept.dept_id, "impl_key": state["related"]}
                )
            )
    return out
