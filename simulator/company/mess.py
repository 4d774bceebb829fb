"""The realistic mess, at known rates.

Everything here is a constant or a pure function of (seed, kind, key), so a test or a later oracle can
recount the mess exactly: each generated `Record` carries ``malformed`` (which defect, if any) and
``orphan`` (which reference dangles, if any); `Company.mess_counts` tallies them.

What the mess is, per system:
- department names: each system spells a department its own way (`hr_name`, `erp_name`,
  `crm_team_name`) and service-desk requesters type free text (`sd_spelling`), mixed at
  `SD_SPELLING_MIX`;
- time zones: Jira timestamps use the offset of the user who made the change (`JIRA_TIMEZONE_MIX`);
  OData and HubSpot speak UTC ``Z``, BambooHR ``+00:00`` instants and local dates;
- currencies: CNY and USD deals, invoices and expenses (`USD_*_RATE`);
- orphans (`ORPHAN_RATES`): RD issues assigned to contractor accounts with no HR employee, deals owned by
  CRM owners with no HR employee, GL expense lines on a cost center no department maps to;
- malformed records (`MALFORMED`): one defect per stream at a fixed rate;
- lifecycle: archived deals, deleted budgets and draft purchase invoices, invoice/deal differences.
"""

from __future__ import annotations

from simulator.records import unit

# kind -> (rate, defect name, what the defect looks like on the wire)
MALFORMED: dict[str, tuple[float, str, str]] = {
    "hr.employees": (0.005, "bad_hire_date", 'hireDate is "0000-00-00"'),
    "hr.time_off": (0.004, "bad_date", 'start is "not-a-date"'),
    "erp.gl_entries": (0.001, "amount_not_number", 'AmountInTransactionCurrency is a string like "1.234,56"'),
    "erp.sales_invoices": (0.01, "bad_posting_date", 'PostingDate is "31.02.2026"'),
    "erp.purchase_invoices": (0.005, "missing_id", "InvoiceID is null"),
    "jira.RD": (0.005, "bad_story_points", 'customfield_10016 is "?"'),
    "jira.SD": (0.004, "bad_timestamp", 'fields.created is "2026-02-30T25:61:00.000+0800"-like garbage'),
    "crm.deals": (0.005, "amount_not_number", 'amount is "TBD"'),
    "crm.feedback_submissions": (0.005, "empty_value", 'hs_response_value is ""'),
}

# which reference dangles -> rate among the records of that stream
ORPHAN_RATES: dict[str, float] = {
    "jira.RD.assignee": 0.005,  # assignee is a contractor account with no HR employee
    "crm.deals.owner": 0.01,  # owner is a CRM owner with no HR employee
    "erp.gl_entries.cost_center": 0.004,  # expense line on the legacy cost center no department maps to
}
ORPHAN_JIRA_USERS = 2
ORPHAN_CRM_OWNERS = 2

SALES_INVOICE_WITHOUT_DEAL_RATE = 0.05  # invoices with CRMDealID null (renewals billed outside the CRM)
SALES_INVOICE_AMOUNT_DIFF_RATE = 0.03  # invoice amount differs from the deal (discount 2-10 %)
DEAL_ARCHIVE_RATE = 0.03  # closed deals archived 5-30 days after closing
BUDGET_DELETE_RATE = 0.01  # budget rows deleted (vanish from OData) during the year
DRAFT_PURCHASE_INVOICE_DELETE_RATE = 0.02  # drafts deleted 2-9 days after receipt, never posted
GL_REVERSAL_RATE = 0.008  # expense lines reversed 1-7 days later by a finance officer
USD_DEAL_RATE = 0.2
USD_EXPENSE_RATE = 0.04

# (IANA name shown on the user, UTC offset in minutes, share of users)
JIRA_TIMEZONE_MIX: tuple[tuple[str, int, float], ...] = (
    ("Asia/Shanghai", 480, 0.80),
    ("Asia/Tokyo", 540, 0.08),
    ("UTC", 0, 0.06),
    ("Asia/Kolkata", 330, 0.06),
)

# how a service-desk requester spells their own department
SD_SPELLING_MIX: tuple[tuple[str, float], ...] = (
    ("hr_name", 0.55),
    ("name_zh", 0.20),
    ("lower_en", 0.15),
    ("short", 0.10),
)


def european_spelling(amount: float) -> str:
    """An amount as a German-locale system writes it: ``1.234,56`` (a malformed number on the wire)."""
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def hits(seed: int, what: str, key: object, rate: float) -> bool:
    """Whether the record ``key`` of stream ``what`` gets this piece of mess (stable per key)."""
    return unit(seed, "mess", what, key) < rate


def malformed(seed: int, kind: str, key: object) -> str | None:
    """The defect name for this record, or None (stable per key: a hash of seed, kind and key)."""
    spec = MALFORMED.get(kind)
    if spec and hits(seed, kind, key, spec[0]):
        return spec[1]
    return None


def pick_mix(u: float, mix: tuple[tuple, ...]) -> tuple:
    """The entry of a (..., share) mix that the uniform draw ``u`` lands in."""
    acc = 0.0
    for entry in mix:
        acc += entry[-1]
        if u < acc:
            return entry
    return mix[-1]


def timezone_for(seed: int, account: str) -> tuple[str, int]:
    """Time zone (name, offset minutes) of a Jira user."""
    name, offset, _ = pick_mix(unit(seed, "tz", account), JIRA_TIMEZONE_MIX)
    return name, offset


def sd_spelling(u: float, spellings: dict[str, str]) -> str:
    """The free text a requester types as their department, from the department's spellings."""
    return spellings[pick_mix(u, SD_SPELLING_MIX)[0]]
