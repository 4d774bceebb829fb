"""ERP ledger truth: GL lines, sales and purchase invoices, journal corrections (lazy, by day).

GL entries dominate the volume: daily expense lines per cost center, one revenue line per sales invoice,
monthly payroll per department (Quantity = heads paid, the same people HR shows as employed), a line per
posted purchase invoice, and reversals (with a JournalCorrection) of a few expense lines. GL entries and
FX rates are immutable: a correction is a new entry. Sales invoices follow closed-won CRM deals.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import date
from typing import TYPE_CHECKING

from simulator.clock import at, is_workday, local_day, month_key, ymd
from simulator.company import mess
from simulator.company.crm import DEAL_RATE
from simulator.company.erp_reference import GL_DENSITY, ORPHAN_COST_CENTER, fx_rate
from simulator.company.skill import scale_duration, shift_probability
from simulator.records import Record, Version, poisson, rng

if TYPE_CHECKING:
    from simulator.company.model import Company
    from simulator.company.people import Employee

PURCHASE_INVOICE_RATE = 0.018  # per head per day
SALES_INVOICE_LIFE = 61
PURCHASE_INVOICE_LIFE = 60
DEAL_INVOICE_LOOKBACK = 135  # a deal created this many days ago can still be invoiced today
PI_POSTING_LOOKBACK = 12
REVERSAL_LOOKBACK = 7
PAYROLL_DAY = 25  # salaries post on the 25th (the Friday before when it is a weekend)
EXPENSE_ACCOUNTS = (
    ("6603", "Expense"),
    ("6604", "Expense"),
    ("6605", "Expense"),
    ("6606", "Expense"),
    ("6607", "Expense"),
    ("6608", "Expense"),
    ("6711", "Other"),
)
FINANCE_ROLES = ("adm_finance", "fin_acct", "fin_sr")
# how much one unit of the poster's skill (see skill.py) moves their own work: the log-odds of an
# expense line they post being reversed later, and the time they take to post a purchase invoice
REVERSAL_PER_SKILL = -0.4
PROCESSING_PER_SKILL = 0.08
CORRECTION_REASONS = ("Wrong cost center", "Duplicate posting", "Wrong amount", "Wrong GL account")


def payroll_day(year: int, month: int) -> int:
    d = date(year, month, PAYROLL_DAY).toordinal()
    while not is_workday(d):
        d -= 1
    return d


def _entry_id(day: int, seq: int) -> str:
    return f"GL{ymd(day).replace('-', '')}{seq:06d}"


def _gl(
    co: Company,
    day: int,
    seq: int,
    ts: int,
    account: tuple[str, str],
    cc: str,
    amount: float,
    currency: str,
    poster: str | None,
    *,
    doc: str,
    qty: int | None = None,
    reversed_id: str | None = None,
    truth: dict | None = None,
    orphan: str | None = None,
    u: float | None = None,
) -> Record:
    """One GL line; ``u`` is the uniform draw deciding the malformed defect (hash of the id if None)."""
    day_text = ymd(day)
    eid = f"GL{day_text.replace('-', '')}{seq:06d}"
    y, m = int(day_text[:4]), int(day_text[5:7])
    if u is None:
        bad = mess.malformed(co.seed, "erp.gl_entries", eid)
    else:
        rate, defect, _ = mess.MALFORMED["erp.gl_entries"]
        bad = defect if u < rate else None
    state = {
        "DocumentNo": doc,
        "PostingDate": day_text,
        "FiscalYear": y,
        "FiscalPeriod": m,
        "GLAccount": account[0],
        "GLAccountType": account[1],
        "CostCenterID": cc,
        "AmountInTransactionCurrency": round(amount, 2),
        "TransactionCurrency": currency,
        "Quantity": qty,
        "IsReversal": reversed_id is not None,
        "ReversedEntryID": reversed_id,
        "PostedByEmail": poster,
    }
    return Record(
        "erp.gl_entries",
        (eid,),
        [Version(ts, state)],
        malformed=bad,
        orphan=orphan,
        truth=truth or {},
    )


def _poster(co: Company, r, day: int) -> str | None:
    emp = _clerk(co, r, day)
    return emp.email if emp else None


def _clerk(co: Company, r, day: int) -> Employee | None:
    """A finance employee (finance department, or an admin finance officer) at work on ``day``."""
    fam = "finance" if r.random() < 0.6 else "admin"
    return co.pick(r, co.family_depts(fam)[0].dept_id, day, FINANCE_ROLES)


def _posters(co: Company, day: int) -> tuple[list[str], list[str]]:
    """Finance staff (finance department, admin finance officers) who can post on ``day``."""
    pools = []
    for fam in ("finance", "admin"):
        dept = co.family_depts(fam)[0]
        pool = [
            e.email
            for e in co.staff(dept.dept_id, *month_key(day))
            if e.active_on(day) and e.role_on(day) in FINANCE_ROLES
        ]
        pools.append(pool or [co.manager(dept.dept_id).email])
    return pools[0], pools[1]


def _dept_weights(co: Company, day: int) -> tuple[list, list[int]]:
    depts = co.departments
    return depts, [max(1, co.heads(d.dept_id, day)) for d in depts]


def gl_base_slice(co: Company, day: int) -> list[Record]:
    """Expense lines posted on ``day`` (the reversible part of the GL)."""
    r = rng(co.seed, co.scale, "gl", day)
    factor = 1.3 if is_workday(day) else 0.25
    n = poisson(r, co.heads(None, day) * GL_DENSITY[co.scale] * factor)
    depts, weights = _dept_weights(co, day)
    cum = list(itertools.accumulate(weights))
    fin, adm = _posters(co, day)
    orphan_rate = mess.ORPHAN_RATES["erp.gl_entries.cost_center"]
    out = []
    for seq in range(1, n + 1):
        # one generator drives every draw of the day: cheaper than hashing each line, equally deterministic
        dept = depts[bisect.bisect_right(cum, r.random() * cum[-1])]
        cc = dept.cost_center_ids[int(r.random() * len(dept.cost_center_ids))]
        orphan = None
        if r.random() < orphan_rate:
            cc, orphan = ORPHAN_COST_CENTER, "unknown_cost_center"
        usd = r.random() < mess.USD_EXPENSE_RATE
        amount = r.lognormvariate(7.0, 1.0) / (fx_rate(day) if usd else 1)
        truth = {"dept_id": None if orphan else dept.dept_id}
        poster = r.choice(fin) if r.random() < 0.6 else r.choice(adm)
        skill = co.emp_by_email[poster].skill_on(day)
        if r.random() < shift_probability(mess.GL_REVERSAL_RATE, skill, REVERSAL_PER_SKILL):
            truth["reversal_day"] = day + r.randint(1, REVERSAL_LOOKBACK)
        out.append(
            _gl(
                co,
                day,
                seq,
                at(day, r.randint(9 * 3600, 21 * 3600)),
                r.choice(EXPENSE_ACCOUNTS),
                cc,
                amount,
                "USD" if usd else "CNY",
                poster,
                doc=f"EXP{day % 100000:05d}{seq:05d}",
                truth=truth,
                orphan=orphan,
                u=r.random(),
            )
        )
    return out


def gl_slice(co: Company, day: int) -> list[Record]:
    """Every GL entry posted on ``day``: expenses, reversals, revenue, payroll, purchase invoices.

    Reversals come right after the day's expense lines and draw from their own generator, so that
    `correction_slice` can rebuild them from the small `reversible_slice` lists alone: a journal
    corrections page then never regenerates revenue, payroll or purchase invoices, and paging it beside
    the GL does not thrash the caches.
    """
    out = list(co.slice("erp.gl_base", day))
    out += reversal_lines(co, day, len(out) + 1)
    r = rng(co.seed, co.scale, "gl-derived", day)
    seq = len(out)
    for inv in co.slice("erp.sales_invoices", day):
        s = inv.versions[0].changes
        seq += 1
        out.append(
            _gl(
                co,
                day,
                seq,
                inv.created + 600,
                ("6001", "Revenue"),
                s["CostCenterID"],
                s["Amount"],
                s["Currency"],
                _poster(co, r, day),
                doc=inv.key[0],
                truth={"dept_id": inv.truth["dept_id"], "invoice_id": inv.key[0]},
            )
        )
    y, m = month_key(day)
    if day == payroll_day(y, m):
        for dept in co.departments:
            paid = [e for e in co.staff(dept.dept_id, y, m) if e.active_on(day)]
            total = sum(e.pay_on(day) for e in paid)
            for account, share in ((("6601", "Payroll"), 1.0), (("6602", "Payroll"), 0.3)):
                seq += 1
                out.append(
                    _gl(
                        co,
                        day,
                        seq,
                        at(day, 20 * 3600 + seq),
                        account,
                        dept.cost_center_ids[0],
                        total * share,
                        "CNY",
                        _poster(co, r, day),
                        doc=f"PAY{y}{m:02d}{dept.dept_id}",
                        qty=len(paid),
                        truth={"dept_id": dept.dept_id, "employee_ids": [e.emp_id for e in paid]},
                    )
                )
    for c in range(day - PI_POSTING_LOOKBACK, day + 1):
        for posted, s, truth in co.slice("erp.pi_posted", c):
            if local_day(posted) == day:
                seq += 1
                out.append(
                    _gl(
                        co,
                        day,
                        seq,
                        posted + 5,
                        truth["account"],
                        s["CostCenterID"],
                        s["Amount"],
                        s["Currency"],
                        truth["processor"],
                        doc=truth["invoice_id"],
                        truth={"dept_id": truth["dept_id"], "purchase_invoice_id": truth["invoice_id"]},
                    )
                )
    return out


def reversible_slice(co: Company, day: int) -> list[Record]:
    """The expense lines of ``day`` that a later day reverses: a few per day, cheap to keep many days of."""
    return [rec for rec in co.slice("erp.gl_base", day) if rec.truth.get("reversal_day")]


def pi_posted_slice(co: Company, day: int) -> list[tuple[int, dict, dict]]:
    """(posted instant, first version, truth) of the purchase invoices created on ``day`` that get posted."""
    return [
        (pi.truth["posted_ts"], pi.versions[0].changes, pi.truth)
        for pi in co.slice("erp.purchase_invoices", day)
        if pi.truth.get("posted_ts") is not None
    ]


def reversal_lines(co: Company, day: int, first_seq: int) -> list[Record]:
    """The reversal entries posted on ``day``, numbered from ``first_seq`` (right after the expenses)."""
    r = rng(co.seed, co.scale, "gl-reversals", day)
    out = []
    for c in range(day - REVERSAL_LOOKBACK, day):
        for orig in co.slice("erp.gl_reversible", c):
            if orig.truth["reversal_day"] != day:
                continue
            s, k = orig.versions[0].changes, len(out) + 1
            poster = co.pick(r, co.family_depts("admin")[0].dept_id, day, ("adm_finance",))
            out.append(
                _gl(
                    co,
                    day,
                    first_seq + k - 1,
                    at(day, r.randint(10 * 3600, 19 * 3600)),
                    (s["GLAccount"], s["GLAccountType"]),
                    s["CostCenterID"],
                    -s["AmountInTransactionCurrency"],
                    s["TransactionCurrency"],
                    poster.email if poster else None,
                    doc=f"REV{orig.key[0][2:]}",
                    reversed_id=orig.key[0],
                    truth={
                        "dept_id": orig.truth["dept_id"],
                        "correction_id": f"JC{ymd(day).replace('-', '')}{k:04d}",
                        "reason": r.choice(CORRECTION_REASONS),
                    },
                    orphan=orig.orphan,
                )
            )
    return out


def correction_slice(co: Company, day: int) -> list[Record]:
    """JournalCorrections: one per reversal entry posted on ``day``."""
    out = []
    for rev in reversal_lines(co, day, len(co.slice("erp.gl_base", day)) + 1):
        s = rev.versions[0].changes
        cid = rev.truth["correction_id"]
        out.append(
            Record(
                "erp.journal_corrections",
                (cid,),
                [
                    Version(
                        rev.created,
                        {
                            "OriginalEntryID": s["ReversedEntryID"],
                            "ReversalEntryID": rev.key[0],
                            "Reason": rev.truth["reason"],
                            "PostedByEmail": s["PostedByEmail"],
                            "CorrectionDate": ymd(day),
                            "CostCenterID": s["CostCenterID"],
                        },
                    )
                ],
                truth={"dept_id": rev.truth["dept_id"]},
            )
        )
    return out


def deals_invoiced_slice(co: Company, day: int) -> list[tuple[int, tuple]]:
    """(invoice day, invoice source) of the deals created on ``day`` that get invoiced.

    A sales invoice day looks back over 135 days of deals; these small lists let the cache hold that
    window for every stream paging at once, where whole deal slices would be evicted and rebuilt.
    """
    out = []
    for deal in co.slice("crm.deals", day):
        t = deal.truth
        if t.get("invoice_day") is not None:
            out.append(
                (t["invoice_day"], (t["customer"], t["dept_id"], t["amount"], t["currency"], deal.key[0]))
            )
    return out


def sales_invoice_slice(co: Company, day: int) -> list[Record]:
    """Sales invoices dated ``day``: closed-won deals invoiced today, plus renewals billed outside the CRM."""
    r = rng(co.seed, co.scale, "si", day)
    out: list[Record] = []
    sources = []
    for c in range(day - DEAL_INVOICE_LOOKBACK, day + 1):
        sources += [source for invoice_day, source in co.slice("crm.deals_invoiced", c) if invoice_day == day]
    sales = co.family_depts("sales")
    won_per_day = sum(co.heads(d.dept_id, day) for d in sales) * DEAL_RATE * 0.4
    lam = won_per_day * mess.SALES_INVOICE_WITHOUT_DEAL_RATE
    for _ in range(poisson(r, lam)):
        cust = r.choice(co.customers)
        sources.append((cust.party_id, cust.dept_id, round(r.lognormvariate(11.0, 0.6), -2), "CNY", None))
    for seq, (cust_id, dept_id, amount, currency, deal_id) in enumerate(sources, start=1):
        inv_id = f"SI{ymd(day).replace('-', '')}{seq:04d}"
        differs = deal_id is not None and mess.hits(
            co.seed, "erp.sales_invoices.amount", inv_id, mess.SALES_INVOICE_AMOUNT_DIFF_RATE
        )
        if differs:
            amount = amount * (1 - r.uniform(0.02, 0.10))
        if currency == "USD" and r.random() < 0.3:
            amount, currency = amount * fx_rate(day), "CNY"
        cust = co.customers[int(cust_id[1:]) - 1]
        ts = at(day, r.randint(9 * 3600, 18 * 3600))
        state = {
            "CustomerID": cust_id,
            "CustomerName": cust.name,
            "CRMDealID": deal_id,
            "InvoiceDate": ymd(day),
            "PostingDate": ymd(day),
            "Amount": round(amount, 2),
            "Currency": currency,
            "CostCenterID": co.dept_by_id[dept_id].cost_center_ids[0],
            "Status": "Posted",
        }
        versions = [Version(ts, state), Version(ts + r.randint(20, 60) * 86400, {"Status": "Paid"})]
        out.append(
            Record(
                "erp.sales_invoices",
                (inv_id,),
                versions,
                malformed=mess.malformed(co.seed, "erp.sales_invoices", inv_id),
                truth={"dept_id": dept_id, "amount_differs": differs},
            )
        )
    return out


def purchase_invoice_slice(co: Company, day: int) -> list[Record]:
    """Vendor invoices received on ``day``: Draft -> Posted (processing time) -> Paid; some drafts deleted."""
    r = rng(co.seed, co.scale, "pi", day)
    n = poisson(r, co.heads(None, day) * PURCHASE_INVOICE_RATE * (1.3 if is_workday(day) else 0.2))
    close_days = co.family_depts("finance")[0].profile.close_days
    depts, weights = _dept_weights(co, day)
    out = []
    for seq in range(1, n + 1):
        inv_id = f"PI{ymd(day).replace('-', '')}{seq:04d}"
        dept = r.choices(depts, weights)[0]
        vendor = r.choice(co.vendors)
        usd = r.random() < mess.USD_EXPENSE_RATE
        amount = round(r.lognormvariate(8.5, 1.1) / (fx_rate(day) if usd else 1), 2)
        ts = at(day, r.randint(9 * 3600, 18 * 3600))
        state = {
            "VendorID": vendor.party_id,
            "VendorName": vendor.name,
            "ReceivedDate": ymd(day),
            "PostedDateTime": None,
            "Amount": amount,
            "Currency": "USD" if usd else "CNY",
            "CostCenterID": dept.cost_center_ids[0],
            "ProcessedByEmail": None,
            "Status": "Draft",
        }
        versions = [Version(ts, state)]
        truth = {"invoice_id": inv_id, "dept_id": dept.dept_id, "account": r.choice(EXPENSE_ACCOUNTS[:6])}
        rec = Record(
            "erp.purchase_invoices",
            (inv_id,),
            versions,
            malformed=mess.malformed(co.seed, "erp.purchase_invoices", inv_id),
            truth=truth,
        )
        if mess.hits(
            co.seed, "erp.purchase_invoices.delete", inv_id, mess.DRAFT_PURCHASE_INVOICE_DELETE_RATE
        ):
            rec.deleted_at = ts + r.randint(2, 9) * 86400
        else:
            clerk = _clerk(co, r, day)
            skill = clerk.skill_on(day) if clerk else 0.0
            delay = max(
                1, round(scale_duration(r.uniform(0.4, 1.4) * close_days, skill, PROCESSING_PER_SKILL))
            )
            if clerk is not None and not clerk.active_on(day + delay):
                clerk = _clerk(co, r, day + delay)
            proc = clerk.email if clerk else None
            posted = at(day + delay, r.randint(9 * 3600, 19 * 3600))
            versions.append(
                Version(posted, {"PostedDateTime": posted, "ProcessedByEmail": proc, "Status": "Posted"})
            )
            versions.append(Version(posted + r.randint(25, 45) * 86400, {"Status": "Paid"}))
            truth.update(posted_ts=posted, processor=proc, processing_days=delay)
        out.append(rec)
    return out
