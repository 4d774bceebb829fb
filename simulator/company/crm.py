"""CRM truth (HubSpot): owners, deals moving through stages, monthly revenue goals, customer feedback.

Owners are the sales employees plus a couple of owners with no HR employee (orphans). Deals are won at
the department's win rate and sized by its quota-attainment lever; most closed-won deals are invoiced in
the ERP (see `gen_erp.sales_invoice_slice`). CSAT submissions follow implementation go-lives; NPS
submissions come from customers at large.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

from simulator.clock import add_months, at, month_start
from simulator.company import mess
from simulator.company.jira import IMPL_FOLLOWUP_LOOKBACK
from simulator.company.skill import scale_duration, shift_probability
from simulator.records import Record, Version, poisson, rng

if TYPE_CHECKING:
    from simulator.company.model import Company
    from simulator.company.people import Employee

DEAL_RATE = 0.3  # new deals per sales head per day
DEAL_SIZE = (10.57, 0.4)  # log-normal (mu, sigma) of a deal's CNY amount before the quota lever: ~42k mean
DEAL_CYCLE_DAYS = (10, 75)  # days from creation to close, before the owner's skill
DEAL_LIFE = 140  # up to ~100 days to close (a weak seller's cycle is longer), archived up to 30 days after
GOAL_LIFE = 15
NPS_RATE = 0.004  # submissions per customer per day
STAGES = (
    "appointmentscheduled",
    "qualifiedtobuy",
    "presentationscheduled",
    "decisionmakerboughtin",
    "contractsent",
)
DEAL_PRODUCTS = ("License", "Subscription", "Services")
SELLER_ROLES = ("sales_rep", "sales_sr")
# a seller's deal flow is proportional to their quota (a senior carries a bigger territory), so the quota
# is near the volume a seller of the department's win rate and deal size closes
MONTHLY_QUOTA = {"sales_rep": 150_000, "sales_sr": 240_000}
# how much one unit of the owner's skill (see skill.py) moves their deals: log-odds of winning, log of
# the amount, and the days to close
WIN_PER_SKILL = 0.2
AMOUNT_PER_SKILL = 0.05
CYCLE_PER_SKILL = 0.08
INVOICED_SHARE = 0.97  # closed-won deals that reach an ERP invoice
ORPHAN_OWNER_BASE = 79_990_000


def owner_id(emp: Employee) -> int:
    return 70_000_000 + emp.emp_id


def user_id(emp: Employee) -> int:
    return 9_000_000 + emp.emp_id


def _object_id(co: Company, day: int, seq: int) -> int:
    return (day - co.start + 1) * 10_000 + seq


def owners(co: Company) -> list[Record]:
    """CRM owners: every sales employee (archived after leaving) plus the orphan owners."""
    out = []
    for e in co.employees:
        dept = co.dept_by_id[e.dept_id]
        if dept.family != "sales":
            continue
        state = {
            "email": e.email,
            "firstName": e.first_name,
            "lastName": e.last_name,
            "userId": user_id(e),
            "teams": [(dept.crm_team_id, dept.crm_team_name)],
            "archived": False,
        }
        versions = [Version(e.record.created + 3600, state)]
        if e.termination_day is not None:
            versions.append(Version(at(e.termination_day + 2, 10 * 3600), {"archived": True}))
        out.append(
            Record(
                "crm.owners", (owner_id(e),), versions, truth={"emp_id": e.emp_id, "dept_id": dept.dept_id}
            )
        )
    for i in range(1, mess.ORPHAN_CRM_OWNERS + 1):
        state = {
            "email": f"partner{i}@channel.example.com",
            "firstName": "Channel",
            "lastName": f"Partner {i}",
            "userId": 9_990_000 + i,
            "teams": [],
            "archived": False,
        }
        out.append(
            Record(
                "crm.owners",
                (ORPHAN_OWNER_BASE + i,),
                [Version(at(co.start - 200, 9 * 3600), state)],
                orphan="owner_without_employee",
            )
        )
    return out


def deal_count(co: Company, day: int) -> int:
    return sum(
        poisson(rng(co.seed, co.scale, "deal-n", day, d.dept_id), co.heads(d.dept_id, day) * DEAL_RATE)
        for d in co.family_depts("sales")
    )


def deal_slice(co: Company, day: int) -> list[Record]:
    """Deals created on ``day`` and their stage history."""
    r = rng(co.seed, co.scale, "deal", day)
    seq = 0
    out = []
    for dept in co.family_depts("sales"):
        n = poisson(
            rng(co.seed, co.scale, "deal-n", day, dept.dept_id), co.heads(dept.dept_id, day) * DEAL_RATE
        )
        customers = co.customers_of(dept.dept_id)
        for _ in range(n):
            seq += 1
            did = _object_id(co, day, seq)
            seller = _seller(co, r, dept.dept_id, day) or co.manager(dept.dept_id)
            skill = seller.skill_on(day)
            oid, orphan = owner_id(seller), None
            if mess.hits(co.seed, "crm.deals.owner", did, mess.ORPHAN_RATES["crm.deals.owner"]):
                oid, orphan = ORPHAN_OWNER_BASE + 1 + did % mess.ORPHAN_CRM_OWNERS, "owner_without_employee"
            cust = r.choice(customers)
            size = r.lognormvariate(*DEAL_SIZE) * math.exp(AMOUNT_PER_SKILL * skill)
            amount = round(size * dept.profile.quota_attainment, -2)
            currency = "CNY"
            if r.random() < mess.USD_DEAL_RATE:
                amount, currency = round(amount / 7.1, -1), "USD"
            won = r.random() < shift_probability(dept.profile.win_rate, skill, WIN_PER_SKILL)
            path = [*STAGES[1:], "closedwon"] if won else [*STAGES[1 : r.randint(1, 5)], "closedlost"]
            created = at(day, r.randint(9 * 3600, 20 * 3600))
            duration = round(scale_duration(r.randint(*DEAL_CYCLE_DAYS), skill, CYCLE_PER_SKILL) * 86400)
            steps = sorted(r.randint(3600, duration) for _ in path)
            state = {
                "dealname": f"{cust.name.split(' Co.')[0]} - {r.choice(DEAL_PRODUCTS)}",
                "amount": amount,
                "deal_currency_code": currency,
                "dealstage": STAGES[0],
                "pipeline": "default",
                "closedate": created + 60 * 86400,
                "createdate": created,
                "hubspot_owner_id": oid,
                "hs_is_closed": False,
                "hs_is_closed_won": False,
                "archived": False,
            }
            versions = [Version(created, state)]
            for stage, offset in zip(path, steps, strict=True):
                ts = created + offset
                change: dict = {"dealstage": stage}
                if stage.startswith("closed"):
                    change.update(closedate=ts, hs_is_closed=True, hs_is_closed_won=stage == "closedwon")
                versions.append(Version(max(ts, versions[-1].ts + 60), change))
            close_ts = versions[-1].ts
            close_day = _day(close_ts)
            truth = {
                "dept_id": dept.dept_id,
                "customer": cust.party_id,
                "amount": amount,
                "currency": currency,
                "won": won,
                "close_day": close_day,
                "seller_emp_id": seller.emp_id,
            }
            if won and r.random() < INVOICED_SHARE:
                truth["invoice_day"] = close_day + r.randint(0, 20)
            if mess.hits(co.seed, "crm.deals.archive", did, mess.DEAL_ARCHIVE_RATE):
                versions.append(Version(close_ts + r.randint(5, 30) * 86400, {"archived": True}))
            out.append(
                Record(
                    "crm.deals",
                    (did,),
                    versions,
                    orphan=orphan,
                    truth=truth,
                    malformed=mess.malformed(co.seed, "crm.deals", did),
                )
            )
    return out


def _seller(co: Company, r, dept_id: str, day: int) -> Employee | None:
    """The owner of a new deal: a seller of the department, drawn in proportion to their quota."""
    largest = max(MONTHLY_QUOTA.values())
    seller = None
    for _ in range(24):
        seller = co.pick(r, dept_id, day, SELLER_ROLES)
        if seller is None or r.random() * largest < MONTHLY_QUOTA[seller.role_on(day)]:
            return seller
    return seller


def _day(ts: int) -> int:
    from simulator.clock import local_day

    return local_day(ts)


def goal_slice(co: Company, day: int) -> list[Record]:
    """On the 25th, next month's revenue quota for every seller (a few revised days later)."""
    d = date.fromordinal(day)
    if d.day != 25:
        return []
    y, m = add_months(d.year, d.month, 1)
    first = month_start(y, m)
    last = month_start(*add_months(y, m, 1)) - 1
    r = rng(co.seed, co.scale, "goal", day)
    out = []
    seq = 0
    for dept in co.family_depts("sales"):
        for e in co.staff(dept.dept_id, d.year, d.month):
            role = e.role_on(first)
            if role not in SELLER_ROLES or not e.active_on(day) or not e.active_on(first):
                continue
            seq += 1
            target = round(MONTHLY_QUOTA[role] * r.uniform(0.9, 1.1), -3)
            created = at(day, 10 * 3600 + seq)
            state = {
                "hs_goal_name": f"Revenue {y}-{m:02d} {e.display_name}",
                "hs_target_amount": target,
                "hs_start_datetime": at(first, 0),
                "hs_end_datetime": at(last + 1, 0) - 1,
                "hs_assignee_user_id": user_id(e),
                "hs_currency_code": "CNY",
                "archived": False,
            }
            versions = [Version(created, state)]
            if r.random() < 0.1:
                versions.append(
                    Version(
                        created + r.randint(3, 10) * 86400,
                        {"hs_target_amount": round(target * r.uniform(0.85, 1.1), -3)},
                    )
                )
            out.append(
                Record(
                    "crm.goal_targets",
                    (_object_id(co, day, seq),),
                    versions,
                    truth={"dept_id": dept.dept_id, "emp_id": e.emp_id, "month": (y, m)},
                )
            )
    return out


def feedback_slice(co: Company, day: int) -> list[Record]:
    """CSAT after implementation go-lives and NPS from customers, submitted on ``day`` (immutable)."""
    r = rng(co.seed, co.scale, "feedback", day)
    items = []
    for c in range(day - IMPL_FOLLOWUP_LOOKBACK, day + 1):
        for impl in co.slice("jira.IMPL", c):
            if impl.truth.get("csat_day") == day:
                cust = co.customers[int(impl.truth["customer_id"][1:]) - 1]
                items.append(
                    ("CSAT", impl.truth["csat_score"], cust, f"IMPL-{impl.key[1]}", impl.truth["dept_id"])
                )
    for _ in range(poisson(r, len(co.customers) * NPS_RATE)):
        cust = r.choice(co.customers)
        csat = co.dept_by_id[cust.dept_id].profile.csat
        score = max(0, min(10, round(r.gauss((csat - 1) / 4 * 10 + 0.5, 2.0))))
        items.append(("NPS", score, cust, None, cust.dept_id))
    out = []
    for seq, (survey, value, cust, impl_key, dept_id) in enumerate(items, start=1):
        fid = _object_id(co, day, seq)
        seller = co.pick(r, cust.dept_id, day, SELLER_ROLES) or co.manager(cust.dept_id)
        ts = at(day, r.randint(8 * 3600, 22 * 3600))
        state = {
            "hs_survey_type": survey,
            "hs_response_value": value,
            "hs_submission_timestamp": ts,
            "hs_contact_email": cust.email,
            "implementation_project_key": impl_key,
            "hubspot_owner_id": owner_id(seller),
            "archived": False,
        }
        out.append(
            Record(
                "crm.feedback_submissions",
                (fid,),
                [Version(ts, state)],
                malformed=mess.malformed(co.seed, "crm.feedback_submissions", fid),
                truth={"dept_id": dept_id, "customer_id": cust.party_id},
            )
        )
    return out
