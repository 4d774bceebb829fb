"""HR over the BambooHR API (`/api/gateway.php/{company}/v1`).

Quirks handled: JSON only when asked for (`Accept: application/json`); the API key is the basic-auth
user name; `/employees/changed` returns ids only, so each changed employee is fetched by id with the
fields we need, in the order of their change time so that the cursor can advance page by page; time-off
requests have no change feed and are read in date windows; training records exist per employee only;
the job history (`jobInfo` table) has no change feed either and is read whole, for all employees at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from connectors.core.answers import Records
from connectors.core.auth import BasicAuth
from connectors.core.http import HttpClient
from connectors.core.paginators import PageNumberPaginator, Request
from connectors.core.records import EPOCH, format_instant, parse_instant
from connectors.core.source import Source
from connectors.core.streams import IncrementalCursor, Page, ReadContext, Stream
from connectors.settings import SourceSettings

EMPLOYEE_FIELDS = (
    "employeeNumber",
    "firstName",
    "lastName",
    "displayName",
    "workEmail",
    "department",
    "division",
    "jobTitle",
    "location",
    "hireDate",
    "terminationDate",
    "terminationType",
    "status",
    "supervisorEId",
    "payRate",
    "payPer",
    "lastChanged",
)
REVIEW_FIELDS = (
    "id",
    "customReviewCycle",
    "customReviewerRole",
    "customReviewScore",
    "customReviewerCount",
    "customReviewDate",
)
EMPLOYEES_PER_PAGE = 50
# Leave is filed ahead: read requests up to a year past today.
TIME_OFF_HORIZON = timedelta(days=366)
DEFAULT_START_DATE = "2024-01-01"


# `/employees/changed` answers {"employees": {"123": {"id": "123", "lastChanged": ...}}}; `/employees/{id}`
# answers the one employee.
CHANGED_EMPLOYEES = Records("employees", "by_id")
ONE_EMPLOYEE = Records(shape="one")


def _changed_since(ctx: ReadContext, since: datetime) -> list[tuple[datetime, str]]:
    """(lastChanged, id) for every employee changed at or after `since`, oldest first."""
    request = Request("employees/changed", params={"since": format_instant(since), "type": "updated"})
    response, _ = ctx.fetch(request, CHANGED_EMPLOYEES)
    changed = []
    for employee_id, entry in CHANGED_EMPLOYEES.by_id(response).items():
        try:
            when = parse_instant(entry.get("lastChanged") if isinstance(entry, dict) else None) or since
        except ValueError:
            when = since
        changed.append((when, str(employee_id)))
    return sorted(changed)


def read_employees(ctx: ReadContext) -> Iterator[Page]:
    changed = _changed_since(ctx, ctx.since or EPOCH)
    high = ctx.cursor
    fields = ",".join(EMPLOYEE_FIELDS)
    for start in range(0, len(changed), EMPLOYEES_PER_PAGE):
        batch = changed[start : start + EMPLOYEES_PER_PAGE]
        records = []
        for _, employee_id in batch:
            _, [employee] = ctx.fetch(
                Request(f"employees/{employee_id}", params={"fields": fields}), ONE_EMPLOYEE
            )
            records.append(employee)
        # The feed's own time, not the record's: a garbled lastChanged must not stall the cursor.
        high = max(high or EPOCH, batch[-1][0])
        yield Page(records, f"GET employees/{{id}} x{len(batch)} from employees/changed", checkpoint=high)


def _month_windows(start: date, end: date) -> Iterator[tuple[date, date]]:
    current = start.replace(day=1)
    while current <= end:
        following = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        yield current, following - timedelta(days=1)
        current = following


def read_time_off(ctx: ReadContext) -> Iterator[Page]:
    """Every request overlapping [start date, a year ahead], month by month, on every run.

    BambooHR filters requests by leave dates, not by when they changed, and a request is approved or
    cancelled long after it was filed: no change cursor can be derived, so the window is read whole.
    """
    start = date.fromisoformat(ctx.client.options.get("start_date", DEFAULT_START_DATE))
    end = (datetime.now(UTC) + TIME_OFF_HORIZON).date()
    for window_start, window_end in _month_windows(start, end):
        params = {"start": window_start.isoformat(), "end": window_end.isoformat()}
        request = Request("time_off/requests/", params=params)
        _, records = ctx.fetch(request)
        yield Page(records, request.describe())


def read_training_records(ctx: ReadContext) -> Iterator[Page]:
    employee_ids = [employee_id for _, employee_id in _changed_since(ctx, EPOCH)]
    for start in range(0, len(employee_ids), EMPLOYEES_PER_PAGE):
        batch = employee_ids[start : start + EMPLOYEES_PER_PAGE]
        records = []
        for employee_id in batch:
            records.extend(ctx.fetch(Request(f"training/record/employee/{employee_id}"))[1])
        yield Page(records, f"GET training/record/employee/{{id}} for {len(batch)} employees")


def read_reviews(ctx: ReadContext) -> Iterator[Page]:
    request = Request(
        "reports/custom",
        method="POST",
        params={"format": "JSON", "onlyCurrent": "false"},
        body={"title": "360 reviews (dcw)", "fields": list(REVIEW_FIELDS)},
    )
    _, records = ctx.fetch(request)
    yield Page(records, "POST reports/custom (360 reviews)")


STREAMS = (
    Stream(
        name="employees",
        path="employees/changed",
        primary_key=("id",),
        description="Employees with department, role, hire and termination, pay (HR tier only).",
        cursor=IncrementalCursor(field="lastChanged", lookback=timedelta(minutes=5)),
        deleted_when=lambda r: r.get("status") == "Inactive",
        read=read_employees,
    ),
    Stream(
        name="time_off_requests",
        path="time_off/requests/",
        primary_key=("id",),
        description="Leave requests with type, status and days: the absence side of attendance.",
        updated_at="status.lastChanged",
        read=read_time_off,
    ),
    Stream(
        name="training_types",
        path="training/type",
        primary_key=("id",),
        description="Training types, with which ones are required.",
        records_keyed_by_id=True,
    ),
    Stream(
        name="training_records",
        path="training/record/employee/{id}",
        primary_key=("id",),
        description="Completed trainings per employee with hours.",
        records_keyed_by_id=True,
        read=read_training_records,
    ),
    Stream(
        name="jobs",
        path="applicant_tracking/jobs",
        primary_key=("id",),
        description="Job openings with posted and filled dates: time to fill.",
    ),
    Stream(
        name="applications",
        path="applicant_tracking/applications",
        primary_key=("id",),
        description="Applications per job with their status (hired, rejected...).",
        records_at="applications",
        paginator=PageNumberPaginator,
    ),
    Stream(
        name="reviews",
        path="reports/custom",
        primary_key=("id", "customReviewCycle", "customReviewerRole"),
        description="360 review scores (self, peer, manager) per employee and cycle, from a custom report.",
        records_at="employees",
        reads_by_post=True,
        read=read_reviews,
    ),
    Stream(
        name="job_history",
        path="employees/all/tables/jobInfo",
        primary_key=("id",),
        description="Job history: one row at hire and one per role change, with the effective date.",
    ),
)


def _client(settings: SourceSettings) -> HttpClient:
    return HttpClient(
        source="hr",
        base_url=settings.base_url,
        auth=BasicAuth(settings.secret("api_key"), "x"),
        options=dict(settings.options),
        secrets=tuple(settings.secret_values()),
    )


SOURCE = Source(
    name="hr",
    product="BambooHR",
    option_keys=("company_domain", "start_date"),
    credentials=(("api_key",),),
    client=_client,
    streams=STREAMS,
)
