"""OData v4 pieces for the ERP: the entity model, CSDL ``$metadata``, and a small strict query parser.

Supported (PROTOCOLS.md): ``$filter`` = comparisons joined by ``and``, each either
``LastModifiedDateTime ge|gt|le|lt <DateTimeOffset>`` or ``<string key> eq '<text>'``; ``$orderby`` as a
comma list with ``asc|desc``; ``$select``; ``$top``; ``$skip``; ``$count``; ``$skiptoken`` (ours) and
``$format=json``. Anything else is a `QueryError`, answered as 400 with an OData error body.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import quoteattr

NAMESPACE = "Sim.Finance"
CONTAINER = "Finance"
MODIFIED = "LastModifiedDateTime"


class QueryError(ValueError):
    """A query option the simulator (like a strict OData service) does not accept."""


@dataclass(frozen=True)
class EntitySet:
    name: str
    type_name: str
    kind: str  # Company kind serving it
    keys: tuple[str, ...]
    properties: tuple[tuple[str, str], ...]  # (name, Edm type) in declaration order

    @property
    def types(self) -> dict[str, str]:
        return dict(self.properties)


def _props(spec: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in spec.split():
        name, _, t = item.partition(":")
        out.append((name, "Edm." + (t or "String")))
    out.append((MODIFIED, "Edm.DateTimeOffset"))
    return tuple(out)


ENTITY_SETS: dict[str, EntitySet] = {
    e.name: e
    for e in [
        EntitySet(
            "CostCenters",
            "CostCenter",
            "erp.cost_centers",
            ("CostCenterID",),
            _props(
                "CostCenterID CostCenterName CompanyCode ValidFrom:Date ValidTo:Date ResponsiblePersonEmail"
            ),
        ),
        EntitySet(
            "GLEntries",
            "GLEntry",
            "erp.gl_entries",
            ("EntryID",),
            _props(
                "EntryID DocumentNo PostingDate:Date FiscalYear:Int32 FiscalPeriod:Int32 GLAccount "
                "GLAccountType "
                "CostCenterID AmountInTransactionCurrency:Decimal TransactionCurrency Quantity:Int32 "
                "IsReversal:Boolean "
                "ReversedEntryID PostedByEmail"
            ),
        ),
        EntitySet(
            "Budgets",
            "Budget",
            "erp.budgets",
            ("BudgetID",),
            _props(
                "BudgetID CostCenterID FiscalYear:Int32 FiscalPeriod:Int32 GLAccountType "
                "BudgetAmount:Decimal Currency"
            ),
        ),
        EntitySet(
            "SalesInvoices",
            "SalesInvoice",
            "erp.sales_invoices",
            ("InvoiceID",),
            _props(
                "InvoiceID CustomerID CustomerName CRMDealID InvoiceDate:Date PostingDate:Date "
                "Amount:Decimal Currency "
                "CostCenterID Status"
            ),
        ),
        EntitySet(
            "PurchaseInvoices",
            "PurchaseInvoice",
            "erp.purchase_invoices",
            ("InvoiceID",),
            _props(
                "InvoiceID VendorID VendorName ReceivedDate:Date PostedDateTime:DateTimeOffset "
                "Amount:Decimal Currency "
                "CostCenterID ProcessedByEmail Status"
            ),
        ),
        EntitySet(
            "JournalCorrections",
            "JournalCorrection",
            "erp.journal_corrections",
            ("CorrectionID",),
            _props(
                "CorrectionID OriginalEntryID ReversalEntryID Reason PostedByEmail CorrectionDate:Date "
                "CostCenterID"
            ),
        ),
        EntitySet(
            "ExchangeRates",
            "ExchangeRate",
            "erp.exchange_rates",
            ("RateDate", "FromCurrency", "ToCurrency"),
            _props("RateDate:Date FromCurrency ToCurrency Rate:Decimal"),
        ),
        EntitySet(
            "PeriodCloses",
            "PeriodClose",
            "erp.period_closes",
            ("CompanyCode", "FiscalYear", "FiscalPeriod"),
            _props(
                "CompanyCode FiscalYear:Int32 FiscalPeriod:Int32 PeriodEndDate:Date "
                "ClosedDateTime:DateTimeOffset Status"
            ),
        ),
    ]
}


def metadata_xml() -> bytes:
    """CSDL (edmx 4.0) for every entity set, its key and property types."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
        "<edmx:DataServices>",
        f'<Schema Namespace="{NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ]
    for es in ENTITY_SETS.values():
        lines.append(f'<EntityType Name="{es.type_name}">')
        lines.append("<Key>" + "".join(f'<PropertyRef Name="{k}"/>' for k in es.keys) + "</Key>")
        for name, t in es.properties:
            extra = ' Precision="19" Scale="4"' if t == "Edm.Decimal" else ""
            nullable = "false" if name in es.keys or name == MODIFIED else "true"
            lines.append(
                f'<Property Name={quoteattr(name)} Type={quoteattr(t)} Nullable="{nullable}"{extra}/>'
            )
        lines.append("</EntityType>")
    lines.append(f'<EntityContainer Name="{CONTAINER}">')
    for es in ENTITY_SETS.values():
        lines.append(f'<EntitySet Name="{es.name}" EntityType="{NAMESPACE}.{es.type_name}"/>')
    lines += ["</EntityContainer>", "</Schema>", "</edmx:DataServices>", "</edmx:Edmx>"]
    return "\n".join(lines).encode()


@dataclass
class Query:
    """Parsed query options of one request."""

    lo: int | None = None  # LastModifiedDateTime lower bound, inclusive (epoch s)
    hi: int | None = None  # upper bound, exclusive
    key_eq: tuple[tuple[str, str], ...] = ()
    orderby: tuple[tuple[str, bool], ...] = ()  # (property, descending)
    select: tuple[str, ...] = ()
    top: int | None = None
    skip: int = 0
    count: bool = False
    skiptoken: str | None = None


_CMP = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s+(eq|ge|gt|le|lt)\s+('(?:[^']|'')*'|[0-9T:.\-+Z]+)\s*$")
_SPLIT_AND = re.compile(r"\s+and\s+")
_SYSTEM = {"$filter", "$orderby", "$select", "$top", "$skip", "$count", "$skiptoken", "$format"}


def _instant(text: str) -> float:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})", text):
        raise QueryError(f"'{text}' is not an Edm.DateTimeOffset literal")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise QueryError(f"'{text}' is not a valid DateTimeOffset") from exc


def _int_option(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise QueryError(f"{name} must be a non-negative integer")
    return int(raw)


def parse_query(es: EntitySet, params: dict[str, list[str]]) -> Query:
    """Validate and parse the system query options for ``es``."""
    q = Query()
    for name in params:
        if name.startswith("$") and name not in _SYSTEM:
            raise QueryError(f"The query option '{name}' is not supported")
    get = {k: v[-1] for k, v in params.items()}
    if "$format" in get and get["$format"].lower() not in ("json", "application/json"):
        raise QueryError("Only $format=json is supported")
    types = es.types
    if get.get("$filter", "").strip():
        lo, hi, eqs = None, None, []
        for part in _SPLIT_AND.split(get["$filter"].strip()):
            m = _CMP.match(part)
            if not m:
                raise QueryError(f"Unsupported $filter expression: '{part}'")
            prop, op, lit = m.groups()
            if prop == MODIFIED and op != "eq":
                t = _instant(lit)
                if op == "ge":
                    lo = max(lo or -(2**62), math.ceil(t))
                elif op == "gt":
                    lo = max(lo or -(2**62), math.floor(t) + 1)
                elif op == "lt":
                    hi = min(hi if hi is not None else 2**62, math.ceil(t))
                else:
                    hi = min(hi if hi is not None else 2**62, math.floor(t) + 1)
            elif op == "eq" and prop in es.keys and types[prop] == "Edm.String" and lit.startswith("'"):
                eqs.append((prop, lit[1:-1].replace("''", "'")))
            else:
                raise QueryError(
                    f"Unsupported $filter comparison: '{part}' (LastModifiedDateTime ge/gt/le/lt, "
                    "or eq on a string key)"
                )
        q.lo, q.hi, q.key_eq = lo, hi, tuple(eqs)
    if get.get("$orderby", "").strip():
        items = []
        for part in get["$orderby"].split(","):
            words = part.split()
            if (
                not words
                or len(words) > 2
                or words[0] not in types
                or (len(words) == 2 and words[1] not in ("asc", "desc"))
            ):
                raise QueryError(f"Unsupported $orderby item: '{part.strip()}'")
            items.append((words[0], len(words) == 2 and words[1] == "desc"))
        q.orderby = tuple(items)
    if get.get("$select", "").strip():
        sel = tuple(s.strip() for s in get["$select"].split(","))
        unknown = [s for s in sel if s not in types]
        if unknown:
            raise QueryError(f"Unknown property in $select: {', '.join(unknown)}")
        q.select = sel
    if "$top" in get:
        q.top = _int_option("$top", get["$top"])
    if "$skip" in get:
        q.skip = _int_option("$skip", get["$skip"])
    if "$count" in get:
        if get["$count"] not in ("true", "false"):
            raise QueryError("$count must be true or false")
        q.count = get["$count"] == "true"
    q.skiptoken = get.get("$skiptoken")
    return q


def is_natural_order(es: EntitySet, orderby: tuple[tuple[str, bool], ...]) -> bool:
    """True when the order is the server's own: LastModifiedDateTime then the key, ascending."""
    natural = (MODIFIED, *es.keys)
    return all(not desc and i < len(natural) and prop == natural[i] for i, (prop, desc) in enumerate(orderby))
