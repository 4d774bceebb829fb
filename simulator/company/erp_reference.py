"""ERP reference data held in memory: cost centers, budgets, daily FX rates and period closes.

These sets are small (thousands of rows even at scale l), so they are built once per company. FX rates
are a pure function of the day, shared with the ledger generators that convert USD amounts.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

from simulator.clock import add_months, at, is_workday, month_end, month_key, month_start, ymd
from simulator.company import mess
from simulator.records import Record, Version, rng, unit

if TYPE_CHECKING:
    from simulator.company.model import Company

COMPANY_CODE = "1000"
ORPHAN_COST_CENTER = "CC9990"
GL_DENSITY = {"s": 0.45, "m": 0.5, "l": 1.45}  # GL expense lines per head per day (workday-weighted)
EXPENSE_LINE_MEAN = 1800  # CNY, mean of one expense line (lognormal mu=7, sigma=1)


def fx_rate(day: int) -> float:
    """USD->CNY on a day: a smooth wave plus daily noise, independent of any other draw."""
    return round(
        7.12 + 0.09 * math.sin(day / 47.0) + 0.03 * math.sin(day / 6.9) + 0.02 * (unit("fx", day) - 0.5), 4
    )


def cost_centers(co: Company) -> list[Record]:
    """One cost center per department (two for R&D at m/l) plus a legacy one no department maps to."""
    created = at(date(2019, 1, 1).toordinal(), 9 * 3600)
    out = []
    for dept in co.departments:
        for j, cc in enumerate(dept.cost_center_ids):
            state = {
                "CostCenterName": dept.erp_name + (" LAB" if j else ""),
                "CompanyCode": COMPANY_CODE,
                "ValidFrom": "2019-01-01",
                "ValidTo": "9999-12-31",
                "ResponsiblePersonEmail": co.manager(dept.dept_id).email,
            }
            versions = [Version(created, state)]
            if dept.family == "admin":  # renamed during the history: the mapping must follow the id
                versions.append(Version(at(co.start + 100, 10 * 3600), {"CostCenterName": "ADM & LOGISTICS"}))
            out.append(Record("erp.cost_centers", (cc,), versions, truth={"dept_id": dept.dept_id}))
    out.append(
        Record(
            "erp.cost_centers",
            (ORPHAN_COST_CENTER,),
            [
                Version(
                    created,
                    {
                        "CostCenterName": "LEGACY PROJECTS",
                        "CompanyCode": COMPANY_CODE,
                        "ValidFrom": "2019-01-01",
                        "ValidTo": "2025-12-31",
                        "ResponsiblePersonEmail": None,
                    },
                )
            ],
            orphan="unmapped_cost_center",
        )
    )
    return out


def budgets(co: Company) -> list[Record]:
    """Monthly budgets per cost center and account type, set each December; a few revised or deleted."""
    out = []
    for fy in range(date.fromordinal(co.start).year, date.fromordinal(co.horizon).year + 1):
        created = at(date(fy - 1, 12, 15).toordinal(), 10 * 3600)
        for dept in co.departments:
            for j, cc in enumerate(dept.cost_center_ids):
                types = (
                    ["Expense"]
                    + (["Payroll"] if j == 0 else [])
                    + (["Revenue"] if dept.family == "sales" and j == 0 else [])
                )
                for t in types:
                    for m in range(1, 13):
                        bid = f"BU{fy}{cc}{t[0]}{m:02d}"
                        r = rng(co.seed, co.scale, "budget", bid)
                        heads = max(1, len(co.staff(dept.dept_id, fy, m)))
                        base = {
                            "Payroll": heads * 17000 * 1.3,
                            "Expense": heads * 30 * GL_DENSITY[co.scale] * EXPENSE_LINE_MEAN,
                            "Revenue": heads * 420000,
                        }[t] / (1 if t != "Expense" else len(dept.cost_center_ids))
                        state = {
                            "CostCenterID": cc,
                            "FiscalYear": fy,
                            "FiscalPeriod": m,
                            "GLAccountType": t,
                            "BudgetAmount": round(base * r.uniform(0.92, 1.1), -2),
                            "Currency": "CNY",
                        }
                        rec = Record(
                            "erp.budgets",
                            (bid,),
                            [Version(created + j * 60 + m, state)],
                            truth={"dept_id": dept.dept_id},
                        )
                        if r.random() < 0.15:
                            rec.versions.append(
                                Version(
                                    at(date(fy, 6, 20).toordinal(), 10 * 3600 + m * 60),
                                    {"BudgetAmount": round(state["BudgetAmount"] * r.uniform(0.9, 1.12), -2)},
                                )
                            )
                        if mess.hits(co.seed, "erp.budgets.delete", bid, mess.BUDGET_DELETE_RATE):
                            rec.deleted_at = at(date(fy, r.randint(2, 11), 10).toordinal(), 11 * 3600)
                        out.append(rec)
    return out


def exchange_rates(co: Company) -> list[Record]:
    """Daily USD->CNY rates, published at 09:15 company time."""
    return [
        Record(
            "erp.exchange_rates",
            (ymd(d), "USD", "CNY"),
            [Version(at(d, 9 * 3600 + 900), {"Rate": fx_rate(d)})],
        )
        for d in range(co.start - 31, co.horizon + 1)
    ]


def period_closes(co: Company) -> list[Record]:
    """Monthly periods: open at the month start, closed a few business days after month end."""
    out = []
    y, m = month_key(co.start)
    lever = co.family_depts("finance")[0].profile.close_days
    while month_start(y, m) <= co.horizon:
        r = rng(co.seed, co.scale, "close", y, m)
        end = month_end(y, m)
        state = {"PeriodEndDate": ymd(end), "ClosedDateTime": None, "Status": "Open"}
        versions = [Version(at(month_start(y, m), 300), state)]
        business = max(1, round(r.gauss(lever, 1.0)))
        d, left = end, business
        while left:
            d += 1
            left -= is_workday(d)
        closed = at(d, r.randint(17 * 3600, 22 * 3600))
        versions.append(Version(closed, {"ClosedDateTime": closed, "Status": "Closed"}))
        out.append(
            Record(
                "erp.period_closes", (COMPANY_CODE, y, m), versions, truth={"close_business_days": business}
            )
        )
        y, m = add_months(y, m, 1)
    return out
