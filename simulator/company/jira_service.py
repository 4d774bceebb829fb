"""Ticketing truth for the support functions: service-desk requests with SLA cycles, security patrols.

Requests come from every department and are served by HR, finance or administration at the serving
department's SLA-speed lever; patrols are scheduled a week ahead for the administration department's
security officers and end Done or Missed at its patrol lever.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulator.clock import at, ymd
from simulator.company import mess
from simulator.company.jira import SD_TOPICS, SLA_GOALS_H, _issue, sd_count
from simulator.company.skill import shift_probability
from simulator.records import Version, rng, unit

if TYPE_CHECKING:
    from simulator.company.model import Company
    from simulator.records import Record

# how much one unit of the agent's or officer's skill (see skill.py) moves their own outcomes
SPEED_PER_SKILL = 0.12  # log of the speed factor on response and resolution times
RATING_PER_SKILL = 0.15  # points of the requester's 1-5 rating
PATROL_PER_SKILL = 0.4  # log-odds of a patrol done


def sd_slice(co: Company, day: int) -> list[Record]:
    """Service-desk requests from any department to HR, finance or administration, with SLA cycles."""
    r = rng(co.seed, co.scale, "SD", day)
    number = co.seq_base("jira.SD", day)
    out = []
    for _ in range(sd_count(co, day)):
        number += 1
        requester = co.pick(r, None, day)
        u, acc, family = r.random(), 0.0, "admin"
        for fam, (share, _, _) in SD_TOPICS.items():
            acc += share
            if u < acc:
                family = fam
                break
        _, topics, roles = SD_TOPICS[family]
        depts = co.family_depts(family)
        dept = depts[int(r.random() * len(depts))]
        agent = co.pick(r, dept.dept_id, day, roles) or co.manager(dept.dept_id)
        itype = "Incident" if r.random() < 0.25 else "Service Request"
        frt_goal, ttr_goal = (h * 3600 for h in SLA_GOALS_H[itype])
        speed = dept.profile.sla_speed * math.exp(SPEED_PER_SKILL * agent.skill_on(day))
        created = at(day, r.randint(8 * 3600, 21 * 3600))
        frt = max(60, int(r.expovariate(1 / (frt_goal * 0.45 / speed))))
        ttr = min(14 * 86400, frt + 600 + int(r.expovariate(1 / (ttr_goal * 0.5 / speed))))
        req_dept = co.dept_by_id[requester.dept_id] if requester else dept
        state = {
            "summary": r.choice(topics),
            "issuetype": itype,
            "status": "Waiting for support",
            "priority": "High" if itype == "Incident" else "Medium",
            "assignee": agent.emp_id,
            "reporter": requester.emp_id if requester else agent.emp_id,
            "created": created,
            "sla": {
                "start": created,
                "frt_goal": frt_goal,
                "ttr_goal": ttr_goal,
                "frt_stop": None,
                "ttr_stop": None,
            },
            "req_dept": mess.sd_spelling(unit(co.seed, "sd-spelling", number), req_dept.spellings),
        }
        reporter = state["reporter"]
        sla1 = dict(state["sla"], frt_stop=created + frt)
        versions = [
            Version(created, state, reporter),
            Version(created + frt, {"status": "In Progress", "sla": sla1}, agent.emp_id),
        ]
        done = created + ttr
        versions.append(
            Version(
                done,
                {
                    "status": "Resolved",
                    "resolution": "Done",
                    "resolutiondate": done,
                    "resolver": agent.emp_id,
                    "sla": dict(sla1, ttr_stop=done),
                },
                agent.emp_id,
            )
        )
        rating = None
        if r.random() < 0.45:
            mean = dept.profile.csat + RATING_PER_SKILL * agent.skill_on(day)
            rating = max(1, min(5, round(r.gauss(mean, 0.8))))
            versions.append(Version(done + r.randint(3600, 3 * 86400), {"satisfaction": rating}, reporter))
        out.append(
            _issue(
                "SD",
                number,
                versions,
                co,
                malformed=mess.malformed(co.seed, "jira.SD", number),
                truth={
                    "dept_id": dept.dept_id,
                    "requester_dept_id": req_dept.dept_id,
                    "frt_breached": frt > frt_goal,
                    "ttr_breached": ttr > ttr_goal,
                    "rating": rating,
                },
            )
        )
    return out


def sec_slice(co: Company, day: int) -> list[Record]:
    """Patrols scheduled on ``day`` for a week later: Done that evening or Missed the next morning."""
    r = rng(co.seed, co.scale, "SEC", day)
    number = co.seq_base("jira.SEC", day)
    admin = co.family_depts("admin")[0]
    mgr = co.manager(admin.dept_id)
    due = day + 7
    out = []
    for route in range(1, co.patrol_routes + 1):
        number += 1
        officer = co.pick(r, admin.dept_id, day, ("adm_security",)) or mgr
        created = at(day, 9 * 3600 + route * 60)
        state = {
            "summary": f"Patrol route {route} on {ymd(due)}",
            "issuetype": "Patrol",
            "status": "Scheduled",
            "priority": "Medium",
            "assignee": officer.emp_id,
            "reporter": mgr.emp_id,
            "created": created,
            "duedate": ymd(due),
        }
        versions = [Version(created, state, mgr.emp_id)]
        done = r.random() < shift_probability(
            admin.profile.patrol_done, officer.skill_on(day), PATROL_PER_SKILL
        )
        if done:
            ts = at(due, r.randint(20 * 3600, 23 * 3600))
            versions.append(
                Version(
                    ts,
                    {
                        "status": "Done",
                        "resolution": "Done",
                        "resolutiondate": ts,
                        "resolver": officer.emp_id,
                    },
                    officer.emp_id,
                )
            )
        else:
            ts = at(due + 1, 8 * 3600 + route * 60)
            versions.append(
                Version(
                    ts,
                    {
                        "status": "Missed",
                        "resolution": "Missed",
                        "resolutiondate": ts,
                        "resolver": mgr.emp_id,
                    },
                    mgr.emp_id,
                )
            )
        out.append(
            _issue(
                "SEC", number, versions, co, truth={"dept_id": admin.dept_id, "due_day": due, "done": done}
            )
        )
    return out
