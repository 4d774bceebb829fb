"""THE TRUTH: the generated company, deterministic from (seed, scale).

`Company` holds the small sets in memory (departments, employees, jobs, customers, vendors) and serves
every event stream lazily, one creation day at a time: ``company.slice(kind, day)`` is a pure function of
(seed, scale, kind, day), cached in a small LRU. Nothing here depends on the as-of date: the as-of only
decides which versions are visible (`Record.visible_index`). A later oracle can recompute every metric
from this model with `records(kind)`, `memory(kind)`, the `Employee`/`Job` lists and the ``truth`` dict
on each record, independently of any API payload.

Kinds (``KINDS``): ``hr.time_off``, ``erp.gl_entries``, ``erp.sales_invoices``,
``erp.purchase_invoices``, ``erp.journal_corrections``, ``jira.RD``, ``jira.IMPL``, ``jira.SD``,
``jira.SEC``, ``jira.CMP``, ``crm.deals``, ``crm.goal_targets``, ``crm.feedback_submissions`` are lazy;
``erp.cost_centers``, ``erp.budgets``, ``erp.exchange_rates``, ``erp.period_closes``, ``crm.owners``,
``hr.employees``, ``hr.jobs`` live in memory. ``erp.gl_reversible``, ``erp.pi_posted`` and
``crm.deals_invoiced`` are small lazy digests of other kinds, kept so that streams derived over long
look-backs (reversals, posted invoices, invoiced deals) stay cheap while several streams page at once.
Per-person sets are functions of the model:
`gen_hr.training_records(company, employee)`, `gen_hr.applications(company, job)`,
`gen_hr.review_rows(company, employee, now)`. Departments carry their performance levers
(`Department.profile`), employees their hire/termination days, roles and pay history, and each record's
``truth`` dict the facts behind it (department, due and go-live days, SLA breaches, ratings...).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from simulator.clock import month_key
from simulator.company import crm as gen_crm
from simulator.company import erp as gen_erp
from simulator.company import erp_reference as gen_erp_reference
from simulator.company import hr as gen_hr
from simulator.company import jira as gen_jira
from simulator.company import jira_service as gen_jira_service
from simulator.company import mess
from simulator.company.org import (
    CITIES,
    COMPANY_KINDS,
    COMPANY_WORDS,
    HISTORY_START_ISO,
    HORIZON_END_ISO,
    Department,
    build_departments,
)
from simulator.company.people import Employee, Job, build_people
from simulator.records import Record, rng
from simulator.timeline import LRU

SCALES = ("s", "m", "l")
CUSTOMERS = {"s": 120, "m": 400, "l": 1500}
VENDORS = {"s": 40, "m": 120, "l": 300}
PATROL_ROUTES = {"s": 3, "m": 6, "l": 12}


@dataclass(frozen=True)
class KindSpec:
    """How one entity stream is produced.

    ``max_life``: days after creation a record can still change (bounds the window scan).
    ``build``: ``(company, day) -> records`` for lazy kinds, ``(company) -> records`` for memory kinds.
    ``count``: optional cheap ``(company, day) -> n`` used to number records densely (Jira keys, ids).
    ``cache``: slices kept in the LRU (at least the longest look-back of the kinds derived from it).
    """

    name: str
    lazy: bool
    max_life: int
    build: Callable
    count: Callable | None = None
    cache: int = 64


KINDS: dict[str, KindSpec] = {
    k.name: k
    for k in [
        KindSpec("hr.time_off", True, gen_hr.TIME_OFF_LIFE, gen_hr.time_off_slice, gen_hr.time_off_count, 80),
        KindSpec("erp.gl_base", True, 0, gen_erp.gl_base_slice, None, 3),
        KindSpec("erp.gl_reversible", True, 0, gen_erp.reversible_slice, None, 64),
        KindSpec("erp.gl_entries", True, 0, gen_erp.gl_slice, None, 2),
        KindSpec(
            "erp.sales_invoices", True, gen_erp.SALES_INVOICE_LIFE, gen_erp.sales_invoice_slice, None, 16
        ),
        KindSpec(
            "erp.purchase_invoices",
            True,
            gen_erp.PURCHASE_INVOICE_LIFE,
            gen_erp.purchase_invoice_slice,
            None,
            24,
        ),
        KindSpec("erp.pi_posted", True, 0, gen_erp.pi_posted_slice, None, 64),
        KindSpec("erp.journal_corrections", True, 0, gen_erp.correction_slice, None, 8),
        KindSpec("erp.cost_centers", False, 0, gen_erp_reference.cost_centers),
        KindSpec("erp.budgets", False, 0, gen_erp_reference.budgets),
        KindSpec("erp.exchange_rates", False, 0, gen_erp_reference.exchange_rates),
        KindSpec("erp.period_closes", False, 0, gen_erp_reference.period_closes),
        KindSpec("jira.RD", True, gen_jira.RD_LIFE, gen_jira.rd_slice, gen_jira.rd_count),
        KindSpec("jira.IMPL", True, gen_jira.IMPL_LIFE, gen_jira.impl_slice, gen_jira.impl_count, 150),
        KindSpec("jira.SD", True, gen_jira.SD_LIFE, gen_jira_service.sd_slice, gen_jira.sd_count),
        KindSpec("jira.SEC", True, gen_jira.SEC_LIFE, gen_jira_service.sec_slice, gen_jira.sec_count),
        KindSpec("jira.CMP", True, gen_jira.CMP_LIFE, gen_jira.cmp_slice, None),
        KindSpec("crm.owners", False, 0, gen_crm.owners),
        KindSpec("crm.deals", True, gen_crm.DEAL_LIFE, gen_crm.deal_slice, gen_crm.deal_count, 170),
        KindSpec("crm.deals_invoiced", True, 0, gen_erp.deals_invoiced_slice, None, 512),
        KindSpec("crm.goal_targets", True, gen_crm.GOAL_LIFE, gen_crm.goal_slice, None),
        KindSpec("crm.feedback_submissions", True, 0, gen_crm.feedback_slice, None),
    ]
}


@dataclass(frozen=True)
class Party:
    """A customer or a vendor."""

    party_id: str
    name: str
    dept_id: str | None  # owning sales department (customers)
    email: str


class Company:
    """The generated company; see the module docstring for what a later oracle can read."""

    def __init__(self, seed: int = 42, scale: str = "s") -> None:
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
        self.seed, self.scale = seed, scale
        self.start = date.fromisoformat(HISTORY_START_ISO[scale]).toordinal()
        self.horizon = date.fromisoformat(HORIZON_END_ISO).toordinal()
        self.departments: list[Department] = build_departments(seed, scale)
        self.dept_by_id = {d.dept_id: d for d in self.departments}
        self.employees, self.jobs = build_people(seed, scale, self.departments, self.start, self.horizon)
        self.employees: list[Employee]
        self.jobs: list[Job]
        self.emp_by_id = {e.emp_id: e for e in self.employees}
        self.emp_by_email = {e.email: e for e in self.employees}
        self.patrol_routes = PATROL_ROUTES[scale]
        r = rng(seed, scale, "parties")
        sales = [d.dept_id for d in self.departments if d.family == "sales"]
        self.customers = [_party(r, f"C{i + 1:05d}", sales[i % len(sales)]) for i in range(CUSTOMERS[scale])]
        self.vendors = [_party(r, f"V{i + 1:04d}", None) for i in range(VENDORS[scale])]
        self._by_month: dict[tuple, list[Employee]] = {}
        self._customers_by_dept: dict[str, list[Party]] = {}
        self._families: dict[str, list[Department]] = {}
        self._managers = {e.dept_id: e for e in self.employees if e.is_manager}
        self._slices = {k: LRU(spec.cache) for k, spec in KINDS.items() if spec.lazy}
        self._memory: dict[str, list[Record]] = {}
        self._seq: dict[str, list[int]] = {}
        self._locks = {k: threading.RLock() for k in KINDS}
        self._aux_lock = threading.RLock()
        self.aux: dict[str, LRU] = {}  # per-generator scratch caches (e.g. per-employee training)

    # ---- people lookups used by the generators -------------------------------------------------
    def staff(self, dept_id: str | None, year: int, month: int) -> list[Employee]:
        """Employees of a department (None: everyone) employed at some point of the month."""
        key = (dept_id, year, month)
        hit = self._by_month.get(key)
        if hit is None:
            from simulator.clock import month_end, month_start

            lo, hi = month_start(year, month), month_end(year, month)
            hit = [
                e
                for e in self.employees
                if (dept_id is None or e.dept_id == dept_id)
                and e.hire_day <= hi
                and (e.termination_day is None or e.termination_day >= lo)
            ]
            with self._aux_lock:
                self._by_month[key] = hit
        return hit

    def heads(self, dept_id: str | None, day: int) -> int:
        """Approximate headcount for rates: employed at some point of the day's month."""
        return len(self.staff(dept_id, *month_key(day)))

    def pick(self, r, dept_id: str | None, day: int, roles: tuple[str, ...] | None = None) -> Employee | None:
        """A random employee of the department active on ``day`` (optionally in one of ``roles``)."""
        pool = self.staff(dept_id, *month_key(day))
        if not pool:
            return None
        for _ in range(24):
            e = pool[int(r.random() * len(pool))]
            if e.active_on(day) and (roles is None or e.role_on(day) in roles):
                return e
        for e in pool:
            if e.active_on(day) and (roles is None or e.role_on(day) in roles):
                return e
        return None

    def customers_of(self, dept_id: str) -> list[Party]:
        """Customers owned by a sales department."""
        hit = self._customers_by_dept.get(dept_id)
        if hit is None:
            hit = [c for c in self.customers if c.dept_id == dept_id]
            self._customers_by_dept[dept_id] = hit
        return hit

    def family_depts(self, family: str) -> list[Department]:
        return self._families.setdefault(family, [d for d in self.departments if d.family == family])

    def manager(self, dept_id: str) -> Employee:
        return self._managers[dept_id]

    # ---- event streams -----------------------------------------------------------------------
    def slice(self, kind: str, day: int) -> list[Record]:
        """Records of a lazy kind created on local ``day`` (pure function of seed, scale, kind, day)."""
        spec = KINDS[kind]
        with self._locks[kind]:
            cache = self._slices[kind]
            hit = cache.get(day)
            if hit is None:
                hit = spec.build(self, day) if self.start <= day <= self.horizon else []
                cache.put(day, hit)
            return hit

    def seq_base(self, kind: str, day: int) -> int:
        """How many records of ``kind`` were created before ``day`` (for dense numbering)."""
        spec = KINDS[kind]
        with self._locks[kind]:
            prefix = self._seq.setdefault(kind, [0])
            while len(prefix) <= day - self.start:
                d = self.start + len(prefix) - 1
                n = spec.count(self, d) if spec.count else len(self.slice(kind, d))
                prefix.append(prefix[-1] + n)
            return prefix[max(0, day - self.start)]

    def memory(self, kind: str) -> list[Record]:
        """All records of a small kind (built once)."""
        if kind == "hr.employees":
            return [e.record for e in self.employees]
        if kind == "hr.jobs":
            return [j.record for j in self.jobs]
        with self._locks[kind]:
            if kind not in self._memory:
                self._memory[kind] = KINDS[kind].build(self)
            return self._memory[kind]

    def records(
        self, kind: str, first_day: int | None = None, last_day: int | None = None
    ) -> Iterator[Record]:
        """Every record of a kind by creation day (the truth, ignoring any as-of)."""
        spec = KINDS.get(kind)
        if spec is None or not spec.lazy:
            yield from self.memory(kind)
            return
        lo = self.start if first_day is None else max(first_day, self.start)
        hi = self.horizon if last_day is None else min(last_day, self.horizon)
        for d in range(lo, hi + 1):
            yield from self.slice(kind, d)

    def month_records(self, kind: str, year: int, month: int) -> Iterator[Record]:
        """Records of a lazy kind created in one calendar month (company time)."""
        from simulator.clock import month_end, month_start

        return self.records(kind, month_start(year, month), month_end(year, month))

    def mess_counts(self, kind: str, now: int) -> dict[str, int]:
        """Visible records of a kind at ``now`` by malformed/orphan tag (for tests and the oracle)."""
        from simulator.clock import local_day

        out: dict[str, int] = {"records": 0}
        for rec in self.records(kind, last_day=local_day(now - 1)):
            if rec.visible_index(now) is None:
                continue
            out["records"] += 1
            for tag in (rec.malformed, rec.orphan):
                if tag:
                    out[tag] = out.get(tag, 0) + 1
        return out

    def aux_cache(self, name: str, size: int = 256) -> LRU:
        with self._aux_lock:
            return self.aux.setdefault(name, LRU(size))


def _party(r, party_id: str, dept_id: str | None) -> Party:
    word = r.choice(COMPANY_WORDS)
    name = f"{r.choice(CITIES)} {word} {r.choice(COMPANY_KINDS)} Co., Ltd."
    return Party(party_id, name, dept_id, f"contact@{word.lower()}-{party_id.lower()}.example.cn")


__all__ = ["KINDS", "Company", "KindSpec", "Party", "mess"]
