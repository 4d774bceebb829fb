"""Planted data defects: known errors at known places, for testing the warehouse's quality gates.

The mess in `mess.py` is background noise every run carries; a *defect* is opt-in (``--defects``) and
breaks one rule a quality gate is meant to enforce, at a place this module can name. Each kind below
changes only what an API puts on the wire, never the generated company: `Company` (and so the oracle)
stays the truth, and the defect is the difference between that truth and what a source reports. With no
kinds the hooks are no-ops and every body is byte-identical to a run without this module.

Where the defects sit (`manifest` lists the exact records):

- "the defect month" is the last complete calendar month before the as-of month (as-of 2026-10-31 ->
  2026-09): inside the history, away from the edge where late records still arrive;
- ``unmapped_cost_center`` (ERP): an extra cost center ``CC9991`` and 12 % of the month's GL expense
  lines moved onto it;
- ``revenue_mismatch`` (ERP): the month's CRM-linked sales invoices, and their GL revenue lines, x 1.30;
- ``minutes_not_hours`` (HR): the month's training records report minutes in ``hours``;
- ``duplicated_keys`` (HR): three new employee ids re-using three active employees' work email;
- ``wrong_timezone`` (Jira): the month's SD issues render company wall-clock time labelled ``+0000``;
- ``stale_source`` (CRM): HubSpot serves everything as of 10 days before the simulator's as-of;
- ``locale_amounts`` (ERP): from the defect month's first day on, the purchase-invoice interface writes
  ``Amount`` in the German spelling (``1.234,56``), as after a locale switch: every invoice received
  since then has a malformed amount.

The APIs call the hooks of one `Plan` per simulator (each call site is marked ``[defects]``);
`manifest` is the same plan's account of where it planted what, also served at ``GET /_sim/defects``.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from simulator.clock import (
    COMPANY_OFFSET_S,
    DAY_S,
    add_months,
    at,
    jira_ts,
    local_day,
    month_end,
    month_start,
    now_for,
)
from simulator.company.erp_reference import COMPANY_CODE, ORPHAN_COST_CENTER
from simulator.company.hr import training_records
from simulator.company.jira import PROJECTS
from simulator.company.mess import european_spelling
from simulator.records import Record, Version, unit

if TYPE_CHECKING:
    from simulator.company.model import Company
    from simulator.company.people import Employee

MANIFEST_KEYS_MAX = 50  # a manifest entry lists at most this many keys (``key_count`` has the total)

UNMAPPED_COST_CENTER = "CC9991"
UNMAPPED_COST_CENTER_NAME = "PMO TRANSITION"
UNMAPPED_SHARE = 0.12  # of the defect month's GL expense lines (not reversals)
REVENUE_FACTOR = 1.30
MINUTES_PER_HOUR = 60
DUPLICATED_EMPLOYEES = 3
WRONG_TZ_PROJECT = "SD"
WRONG_TZ_SHIFT_S = COMPANY_OFFSET_S  # +0800 wall clock labelled +0000: the instant reads 8 h late
STALE_DAYS = 10


@dataclass(frozen=True)
class DefectKind:
    """One registered defect: its name, the source it lives in, and what a gate should see."""

    name: str
    source: str
    summary: str
    locate: Callable[[Plan], list[dict[str, Any]]]


def defect_month(as_of: date) -> tuple[int, int]:
    """The last complete calendar month before the as-of month: (year, month)."""
    return add_months(as_of.year, as_of.month, -1)


def mislabelled_jira_ts(ts: int) -> str:
    """A Jira timestamp showing company wall-clock time (+0800) but labelled ``+0000``."""
    return jira_ts(ts + WRONG_TZ_SHIFT_S, 0)


class Plan:
    """The defects of one simulator run: which kinds are on, where they land, and the API hooks.

    Hooks are cheap when their kind is off (one set lookup), so the APIs call them unconditionally.
    Anything that needs a scan of the company (which GL lines, which invoices) is computed once, on
    first use, under a lock: the server is threaded.
    """

    def __init__(self, company: Company, as_of: date, kinds: Iterable[str] = ()) -> None:
        self.co = company
        self.as_of = as_of
        self.kinds = parse_kinds(kinds)
        self.on = frozenset(self.kinds)
        self.now = now_for(as_of)
        self.year, self.month = defect_month(as_of)
        self.first_day = month_start(self.year, self.month)
        self.last_day = month_end(self.year, self.month)
        if self.on - {"stale_source"} and self.first_day < company.start:
            raise ValueError(
                f"defects need a whole month of history before the as-of month: as-of {as_of} puts "
                f"the defect month {self.month_text} before the history starts "
                f"({date.fromordinal(company.start)}); use an as-of from {_earliest_as_of(company)} on"
            )
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self._manifest: list[dict[str, Any]] | None = None

    @property
    def month_text(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def in_month(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day

    def _once(self, name: str, build: Callable[[], Any]) -> Any:
        with self._lock:
            if name not in self._cache:
                self._cache[name] = build()
            return self._cache[name]

    # ---- ERP hooks ----------------------------------------------------------------------------
    def extra_records(self, kind: str) -> list[Record]:
        """Rows a memory entity set gains (the unmapped cost center); empty when off."""
        if kind == "erp.cost_centers" and "unmapped_cost_center" in self.on:
            return [self._unmapped_cost_center()]
        return []

    def erp_row(self, entity_set: str, rec: Record, state: dict[str, Any]) -> None:
        """Rewrite one OData row's state in place, before its malformed spelling is applied."""
        if not self.on & {"unmapped_cost_center", "revenue_mismatch", "locale_amounts"}:
            return
        eid = rec.key[0]
        if (
            entity_set == "PurchaseInvoices"
            and "locale_amounts" in self.on
            and self._after_locale_switch(rec)
        ):
            state["Amount"] = european_spelling(state["Amount"])
        if entity_set == "GLEntries":
            if "unmapped_cost_center" in self.on and eid in self._moved_gl_lines():
                state["CostCenterID"] = UNMAPPED_COST_CENTER
            if "revenue_mismatch" in self.on and eid in self._inflated()[1]:
                state["AmountInTransactionCurrency"] = _inflate(state["AmountInTransactionCurrency"])
        elif entity_set == "SalesInvoices" and "revenue_mismatch" in self.on and eid in self._inflated()[0]:
            state["Amount"] = _inflate(state["Amount"])

    def _after_locale_switch(self, rec: Record) -> bool:
        return local_day(rec.created) >= self.first_day

    def _unmapped_cost_center(self) -> Record:
        state = {
            "CostCenterName": UNMAPPED_COST_CENTER_NAME,
            "CompanyCode": COMPANY_CODE,
            "ValidFrom": date.fromordinal(self.first_day).isoformat(),
            "ValidTo": "9999-12-31",
            "ResponsiblePersonEmail": None,
        }
        return Record(
            "erp.cost_centers",
            (UNMAPPED_COST_CENTER,),
            [Version(at(self.first_day, 9 * 3600), state)],
            orphan="unmapped_cost_center",
        )

    def _month_gl(self) -> list[Record]:
        return self._once("gl", lambda: list(self.co.month_records("erp.gl_entries", self.year, self.month)))

    def _moved_gl_lines(self) -> frozenset[str]:
        """12 % of the month's expense lines (by count), drawn by a seeded hash from the lines that can
        move alone: the daily expense lines that are never reversed (a reversal copies its original's
        cost center, so moving a reversed line would leak CC9991 into the next month) and not already on
        the legacy orphan; purchase-invoice lines stay, so the GL still reconciles with its invoices."""

        def build() -> frozenset[str]:
            expense = [
                rec
                for rec in self._month_gl()
                if rec.versions[0].changes["GLAccountType"] == "Expense"
                and not rec.versions[0].changes["IsReversal"]
            ]
            movable = [
                rec
                for rec in expense
                if "purchase_invoice_id" not in rec.truth
                and "reversal_day" not in rec.truth
                and rec.versions[0].changes["CostCenterID"] != ORPHAN_COST_CENTER
            ]
            k = round(UNMAPPED_SHARE * len(expense))
            movable.sort(key=lambda rec: unit(self.co.seed, "defect", "unmapped_cost_center", rec.key[0]))
            return frozenset(rec.key[0] for rec in movable[:k])

        return self._once("moved", build)

    def _inflated(self) -> tuple[frozenset[str], frozenset[str]]:
        """(sales invoice ids, their GL revenue line ids): the month's invoices that carry a CRM deal."""

        def build() -> tuple[frozenset[str], frozenset[str]]:
            invoices = frozenset(
                rec.key[0]
                for rec in self.co.month_records("erp.sales_invoices", self.year, self.month)
                if rec.versions[0].changes["CRMDealID"] is not None
            )
            lines = frozenset(
                rec.key[0] for rec in self._month_gl() if rec.truth.get("invoice_id") in invoices
            )
            return invoices, lines

        return self._once("inflated", build)

    # ---- HR hooks -----------------------------------------------------------------------------
    def extra_employees(self) -> list[Employee]:
        """Employees the HR API serves after the real ones (the rehired duplicates); empty when off."""
        if "duplicated_keys" not in self.on:
            return []
        return self._once("duplicates", self._build_duplicates)

    def is_planted(self, emp_id: int) -> bool:
        """True for an employee that exists only as a defect (it has no trainings, reviews, time off)."""
        return any(e.emp_id == emp_id for e in self.extra_employees())

    def training_hours(self, day: int, hours: float) -> float:
        """A training record's ``hours`` as served: minutes for the defect month's completions."""
        if "minutes_not_hours" in self.on and self.in_month(day):
            return hours * MINUTES_PER_HOUR
        return hours

    def _build_duplicates(self) -> list[Employee]:
        """Three new ids after the company's last id (so no later hire can collide), each a second
        record of an active employee: same names, department, job, hire date and work email, its own
        employee number, created on the defect month's first day. The originals are staff (not
        managers), hired before the month, still employed at the as-of, with a well-formed record."""
        as_of_day = self.as_of.toordinal()
        candidates = [
            e
            for e in self.co.employees
            if not e.is_manager
            and e.hire_day < self.first_day
            and (e.termination_day is None or e.termination_day > as_of_day)
            and e.record.malformed is None
        ]
        candidates.sort(key=lambda e: unit(self.co.seed, "defect", "duplicated_keys", e.emp_id))
        originals = sorted(candidates[:DUPLICATED_EMPLOYEES], key=lambda e: e.emp_id)
        next_id = max(e.emp_id for e in self.co.employees) + 1
        created = at(self.first_day, 10 * 3600)
        out = []
        for k, orig in enumerate(originals):
            emp_id = next_id + k
            state = orig.record.state(orig.record.visible_index(created) or 0)
            state.update(
                employeeNumber=f"E{emp_id:05d}",
                terminationDate="0000-00-00",
                terminationType=None,
                status="Active",
            )
            record = Record(
                "hr.employees",
                (emp_id,),
                [Version(created + k * 60, state)],
                orphan="duplicated_work_email",
                truth={"duplicates": orig.emp_id},
            )
            out.append(
                dataclasses.replace(
                    orig,
                    emp_id=emp_id,
                    employee_number=f"E{emp_id:05d}",
                    termination_day=None,
                    termination_type=None,
                    job_id=None,
                    record=record,
                )
            )
        return out

    # ---- Jira hooks ---------------------------------------------------------------------------
    def jira_shift(self, rec: Record) -> int:
        """Seconds an issue's rendered timestamps are late by (8 h for the month's SD issues, else 0)."""
        if (
            "wrong_timezone" in self.on
            and rec.key[0] == WRONG_TZ_PROJECT
            and self.in_month(local_day(rec.created))
        ):
            return WRONG_TZ_SHIFT_S
        return 0

    def jira_shift_fn(self, project: str) -> Callable[[Record], int] | None:
        """The shift for a project's search timeline, so JQL on ``updated`` sees the rendered instant."""
        return self.jira_shift if "wrong_timezone" in self.on and project == WRONG_TZ_PROJECT else None

    # ---- CRM hook -----------------------------------------------------------------------------
    def crm_now(self, now: int) -> int:
        """The `now` HubSpot serves: 10 days earlier when the CRM is stale."""
        return now - STALE_DAYS * DAY_S if "stale_source" in self.on else now

    # ---- manifest -----------------------------------------------------------------------------
    def manifest(self) -> list[dict[str, Any]]:
        """Where each planted defect is: one entry per (kind, stream), in registry order."""
        with self._lock:
            if self._manifest is None:
                out: list[dict[str, Any]] = []
                for name in self.kinds:
                    out.extend(KINDS[name].locate(self))
                self._manifest = out
            return self._manifest


def _earliest_as_of(co: Company) -> date:
    """The first as-of whose defect month lies wholly inside the history."""
    d = date.fromordinal(co.start)
    y, m = (d.year, d.month) if d.day == 1 else add_months(d.year, d.month, 1)
    return date.fromordinal(month_start(*add_months(y, m, 1)))


def _inflate(amount: Any) -> Any:
    return round(amount * REVENUE_FACTOR, 2) if isinstance(amount, int | float) else amount


def _entry(
    kind: str, source: str, stream: str, where: str, keys: Iterable[Any], month: str
) -> dict[str, Any]:
    ordered = [str(k) for k in keys]
    return {
        "kind": kind,
        "source": source,
        "stream": stream,
        "where": where,
        "keys": ordered[:MANIFEST_KEYS_MAX],
        "key_count": len(ordered),
        "month": month,
    }


# ---- where each kind lands (the manifest) --------------------------------------------------------
def _locate_unmapped_cost_center(p: Plan) -> list[dict[str, Any]]:
    moved = sorted(p._moved_gl_lines())
    expense = sum(
        1
        for rec in p._month_gl()
        if rec.versions[0].changes["GLAccountType"] == "Expense" and not rec.versions[0].changes["IsReversal"]
    )
    m = p.month_text
    return [
        _entry(
            "unmapped_cost_center",
            "erp",
            "gl_entries",
            f"GLEntries: {len(moved)} of the {expense} Expense lines (not reversals) posted in {m} carry "
            f"CostCenterID {UNMAPPED_COST_CENTER} instead of their own",
            moved,
            m,
        ),
        _entry(
            "unmapped_cost_center",
            "erp",
            "cost_centers",
            f'CostCenters: extra cost center {UNMAPPED_COST_CENTER} "{UNMAPPED_COST_CENTER_NAME}", valid '
            f"from {date.fromordinal(p.first_day)}, no responsible person, owned by no department",
            [UNMAPPED_COST_CENTER],
            m,
        ),
    ]


def _locate_revenue_mismatch(p: Plan) -> list[dict[str, Any]]:
    invoices, lines = p._inflated()
    m = p.month_text
    return [
        _entry(
            "revenue_mismatch",
            "erp",
            "sales_invoices",
            f"SalesInvoices: every invoice dated in {m} with a CRMDealID has Amount x {REVENUE_FACTOR:.2f} "
            "(the CRM deal amount is unchanged)",
            sorted(invoices),
            m,
        ),
        _entry(
            "revenue_mismatch",
            "erp",
            "gl_entries",
            f"GLEntries: the account 6001 revenue lines of those invoices (DocumentNo = InvoiceID) have "
            f"AmountInTransactionCurrency x {REVENUE_FACTOR:.2f}, so the ERP agrees with itself",
            sorted(lines),
            m,
        ),
    ]


def _locate_minutes_not_hours(p: Plan) -> list[dict[str, Any]]:
    keys: list[int] = []
    for emp in p.co.employees:
        if emp.record.visible_index(p.now) is None:
            continue
        keys.extend(x["id"] for x in training_records(p.co, emp) if p.in_month(x["day"]))
    m = p.month_text
    return [
        _entry(
            "minutes_not_hours",
            "hr",
            "training_records",
            f"GET /training/record/employee/{{id}}: records completed in {m} report hours x "
            f"{MINUTES_PER_HOUR} (minutes); every other field and month unchanged",
            sorted(keys),
            m,
        )
    ]


def _locate_duplicated_keys(p: Plan) -> list[dict[str, Any]]:
    dups = p.extra_employees()
    pairs = ", ".join(f"{d.emp_id} = {d.record.truth['duplicates']} ({d.email})" for d in dups)
    return [
        _entry(
            "duplicated_keys",
            "hr",
            "employees",
            f"Employees (directory, changed feed, GET /employees/{{id}}): new ids duplicate an active "
            f"employee's workEmail (rehired under a new id), created {date.fromordinal(p.first_day)}: "
            f"{pairs}",
            [d.emp_id for d in dups],
            p.month_text,
        )
    ]


def _locate_wrong_timezone(p: Plan) -> list[dict[str, Any]]:
    base = PROJECTS[WRONG_TZ_PROJECT][2]
    keys = [
        base + rec.key[1]
        for rec in p.co.month_records(f"jira.{WRONG_TZ_PROJECT}", p.year, p.month)
        if rec.visible_index(p.now) is not None
    ]
    m = p.month_text
    return [
        _entry(
            "wrong_timezone",
            "ticketing",
            "service_requests",
            f"Jira {WRONG_TZ_PROJECT} issues created in {m}: fields.created, updated, resolutiondate (and "
            "changelog created) show company wall-clock time labelled +0000 (8 h late); SLA "
            "customfield_10200/10201 times stay correct; JQL on updated matches the rendered instant",
            sorted(keys),
            m,
        )
    ]


def _locate_stale_source(p: Plan) -> list[dict[str, Any]]:
    from simulator.company.model import KINDS as COMPANY_KINDS

    stale_now = p.crm_now(p.now)
    first_missing = local_day(stale_now)
    served = date.fromordinal(first_missing - 1)
    out = []
    for stream, kind in (
        ("owners", "crm.owners"),
        ("deals", "crm.deals"),
        ("goal_targets", "crm.goal_targets"),
        ("feedback_submissions", "crm.feedback_submissions"),
    ):
        spec = COMPANY_KINDS[kind]
        records = (
            p.co.records(kind, first_missing - spec.max_life - 1, local_day(p.now - 1))
            if spec.lazy
            else p.co.memory(kind)
        )
        keys = sorted(
            rec.key[0] for rec in records if rec.visible_index(p.now) != rec.visible_index(stale_now)
        )
        if not keys:
            continue
        out.append(
            _entry(
                "stale_source",
                "crm",
                stream,
                f"HubSpot serves everything as of {served} ({STALE_DAYS} days before the simulator's as-of "
                f"{p.as_of}): these {stream} are missing or show an older version; nothing modified "
                f"after {served} exists in the CRM",
                keys,
                f"{date.fromordinal(first_missing):%Y-%m}",
            )
        )
    return out


def _locate_locale_amounts(p: Plan) -> list[dict[str, Any]]:
    keys = [
        rec.key[0]
        for rec in p.co.records("erp.purchase_invoices", p.first_day, local_day(p.now - 1))
        if rec.visible_index(p.now) is not None and rec.malformed is None
    ]
    m = p.month_text
    return [
        _entry(
            "locale_amounts",
            "erp",
            "purchase_invoices",
            f"PurchaseInvoices received from {date.fromordinal(p.first_day)} on: Amount is text in the "
            "German spelling (1.234,56) instead of a number, as after a locale switch of the interface",
            sorted(keys),
            m,
        )
    ]


KINDS: dict[str, DefectKind] = {
    k.name: k
    for k in (
        DefectKind(
            "unmapped_cost_center",
            "erp",
            "GL expense lines on a cost center no department maps to",
            _locate_unmapped_cost_center,
        ),
        DefectKind(
            "revenue_mismatch",
            "erp",
            "ERP invoices disagree with their CRM deals (x 1.30)",
            _locate_revenue_mismatch,
        ),
        DefectKind(
            "minutes_not_hours", "hr", "training hours reported in minutes", _locate_minutes_not_hours
        ),
        DefectKind(
            "duplicated_keys", "hr", "one person under two employee ids (work email)", _locate_duplicated_keys
        ),
        DefectKind(
            "wrong_timezone",
            "ticketing",
            "service-desk timestamps with the wrong UTC offset",
            _locate_wrong_timezone,
        ),
        DefectKind(
            "stale_source", "crm", f"the CRM stops {STALE_DAYS} days before the as-of", _locate_stale_source
        ),
        DefectKind(
            "locale_amounts",
            "erp",
            "purchase-invoice amounts in the German spelling since a locale switch",
            _locate_locale_amounts,
        ),
    )
}


def parse_kinds(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Defect kinds from ``"a,b"``, ``"all"``, a list, or None/"" (none), in registry order.

    Registry order (not the caller's) keeps the manifest identical however the kinds were spelled.
    Raises ValueError naming the valid kinds for anything unknown.
    """
    if spec is None:
        return ()
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    wanted = {n.strip() for n in names if n and n.strip()}
    if "all" in wanted:
        wanted = (wanted - {"all"}) | set(KINDS)
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise ValueError(
            f"unknown defect kind(s) {', '.join(unknown)}; valid kinds: {', '.join(KINDS)} (or 'all')"
        )
    return tuple(k for k in KINDS if k in wanted)


def manifest(company: Company, as_of: date, kinds: str | Iterable[str] | None) -> list[dict[str, Any]]:
    """Where the given defect kinds land for this company and as-of (what ``GET /_sim/defects`` serves).

    Pure: a function of (seed, scale, as-of, kinds) only; the company is not modified.
    """
    return Plan(company, as_of, parse_kinds(kinds)).manifest()


__all__ = [
    "KINDS",
    "DefectKind",
    "Plan",
    "defect_month",
    "manifest",
    "mislabelled_jira_ts",
    "parse_kinds",
]
