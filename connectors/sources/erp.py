"""ERP over OData v4, as SAP S/4HANA and Dynamics 365 serve it.

Quirks handled: server-driven paging (follow `@odata.nextLink`, never compute `$skip`), a page size
asked for with `Prefer: odata.maxpagesize`, incremental reads on `LastModifiedDateTime`, and deletes
that OData never shows (a periodic key scan with `$select` finds the rows that disappeared).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from connectors.core.auth import BasicAuth, BearerAuth
from connectors.core.http import HttpClient
from connectors.core.paginators import NextLinkPaginator, Request
from connectors.core.records import RecordRejected, format_instant, record_key
from connectors.core.source import Source
from connectors.core.streams import IncrementalCursor, ReadContext, Stream, paginate
from connectors.settings import SourceSettings

MODIFIED = "LastModifiedDateTime"
PAGE_SIZE = 1000


def _since_filter(request: Request, since: datetime) -> Request:
    # OData DateTimeOffset literals are unquoted.
    return request.with_params(**{"$filter": f"{MODIFIED} ge {format_instant(since)}"})


def _scan_keys(keys: tuple[str, ...]):
    def scan(ctx: ReadContext) -> Iterator[str]:
        # Server order: asking for another order makes large entity sets sort (or refuse) server-side.
        request = Request(path=ctx.stream.path, params={"$select": ",".join(keys)})
        for records, _ in paginate(ctx, request):
            for record in records:
                try:
                    yield record_key(record, keys)
                except RecordRejected:
                    continue  # no key, no row to match: its normal reads are rejected and kept already

    return scan


def entity_set(
    name: str,
    entity_set_name: str,
    keys: tuple[str, ...],
    description: str,
    rows_can_disappear: bool = False,
) -> Stream:
    """Every ERP stream is an entity set read the same way; only its name and key differ.

    Ledgers are append-only (a correction is a new entry), so only sets whose rows can really be
    deleted (budgets, draft invoices) pay for the periodic key scan.
    """
    return Stream(
        name=name,
        path=entity_set_name,
        primary_key=keys,
        description=description,
        records_at="value",
        paginator=NextLinkPaginator,
        params={"$orderby": ",".join([f"{MODIFIED} asc", *(f"{k} asc" for k in keys)])},
        cursor=IncrementalCursor(field=MODIFIED, apply=_since_filter, lookback=timedelta(minutes=10)),
        scan_keys=_scan_keys(keys) if rows_can_disappear else None,
    )


STREAMS = (
    entity_set(
        "cost_centers", "CostCenters", ("CostCenterID",), "Cost centers, the ERP's view of departments."
    ),
    entity_set(
        "gl_entries",
        "GLEntries",
        ("EntryID",),
        "General-ledger lines: revenue, payroll (with heads paid), expenses, reversals.",
    ),
    entity_set(
        "budgets",
        "Budgets",
        ("BudgetID",),
        "Budget per cost center, fiscal period and account type.",
        rows_can_disappear=True,
    ),
    entity_set(
        "sales_invoices",
        "SalesInvoices",
        ("InvoiceID",),
        "Customer invoices, linked to CRM deals where sales recorded the deal id.",
    ),
    entity_set(
        "purchase_invoices",
        "PurchaseInvoices",
        ("InvoiceID",),
        "Supplier invoices from receipt to posting: invoice processing time.",
        rows_can_disappear=True,
    ),
    entity_set(
        "journal_corrections",
        "JournalCorrections",
        ("CorrectionID",),
        "Corrections and reversals of posted entries: the posting-accuracy numerator.",
    ),
    entity_set(
        "exchange_rates",
        "ExchangeRates",
        ("RateDate", "FromCurrency", "ToCurrency"),
        "Daily exchange rates used to convert amounts into the reporting currency.",
    ),
    entity_set(
        "period_closes",
        "PeriodCloses",
        ("CompanyCode", "FiscalYear", "FiscalPeriod"),
        "Month-end close status and timestamp per fiscal period.",
    ),
)


def _client(settings: SourceSettings) -> HttpClient:
    if "token" in settings.secrets:
        auth = BearerAuth(settings.secret("token"))
    else:
        auth = BasicAuth(settings.secret("username"), settings.secret("password"))
    return HttpClient(
        source="erp",
        base_url=settings.base_url,
        auth=auth,
        headers={"Prefer": f"odata.maxpagesize={PAGE_SIZE}", "OData-Version": "4.0"},
        secrets=tuple(settings.secret_values()),
    )


SOURCE = Source(
    name="erp",
    product="OData v4 for SAP S/4HANA and Dynamics 365",
    option_keys=(),
    credentials=(("token",), ("username", "password")),
    client=_client,
    streams=STREAMS,
)
