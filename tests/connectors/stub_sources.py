"""The four products' good answers on the stub server, and what a cleanly failed read leaves behind.

Each `serve_*` routes one product's endpoints with small, valid collections in the product's own
envelopes, so that a test can land a good read first and then break one answer (`Fault`,
`fail_after_a_good_read`). The settings carry a distinctive secret, which no error, ledger row or log
may show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from connectors.core.errors import ConnectorError
from connectors.core.records import parse_instant
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import extract_stream
from connectors.settings import Secret, SourceSettings
from connectors.sources import SOURCES
from tests.conftest import FAST_RETRY
from tests.stub_server import Answer, Route, StubRequest, StubServer, json_answer

SECRET = "stub-SECRET-4q7Zr9xW"
PREFIX = {"hr": "/hr", "erp": "/erp", "ticketing": "/jira", "crm": ""}
SECRETS = {
    "hr": {"api_key": SECRET},
    "erp": {"token": SECRET},
    "ticketing": {"email": "bot@example.com", "api_token": SECRET},
    "crm": {"access_token": SECRET},
}
JIRA = "/jira/rest/api/3"
START = datetime(2026, 1, 1, tzinfo=UTC)


def settings_for(source: str, stub: StubServer, **options: str) -> SourceSettings:
    return SourceSettings(
        source,
        stub.url + PREFIX[source],
        options=options,
        secrets={k: Secret(v) for k, v in SECRETS[source].items()},
    )


def stamp(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


# ---- HubSpot -------------------------------------------------------------------------------------
def owners(count: int) -> list[dict]:
    return [
        {"id": str(i), "email": f"owner{i}@example.com", "updatedAt": stamp(i), "archived": False}
        for i in range(1, count + 1)
    ]


def hubspot_objects(count: int, prefix: str = "") -> list[dict]:
    return [
        {
            "id": f"{prefix}{i}",
            "properties": {"hs_lastmodifieddate": stamp(i), "amount": "10", "hs_response_value": "9"},
            "archived": False,
        }
        for i in range(1, count + 1)
    ]


def hubspot_list(records: list[dict]) -> Route:
    """`GET /crm/v3/...?limit=&after=&archived=`; `after` is an offset here, opaque to the reader."""

    def answer(request: StubRequest) -> Answer:
        rows = [] if request.query.get("archived") == "true" else records
        start, limit = int(request.query.get("after", 0)), int(request.query.get("limit", 100))
        document: dict[str, Any] = {"results": rows[start : start + limit]}
        if start + limit < len(rows):
            document["paging"] = {"next": {"after": str(start + limit)}}
        return json_answer(document)

    return answer


def hubspot_search(records: list[dict]) -> Route:
    """`POST /crm/v3/objects/{type}/search` honouring the `hs_lastmodifieddate` filter."""

    def answer(request: StubRequest) -> Answer:
        [condition] = request.body["filterGroups"][0]["filters"]
        low = datetime.fromtimestamp(int(condition["value"]) / 1000, tz=UTC)
        hits = [r for r in records if parse_instant(r["properties"]["hs_lastmodifieddate"]) >= low]
        return json_answer({"total": len(hits), "results": hits[: request.body["limit"]]})

    return answer


def serve_hubspot(stub: StubServer, owner_count: int = 60) -> None:
    stub.route("/crm/v3/owners", hubspot_list(owners(owner_count)))
    for kind, count in (("deals", 30), ("feedback_submissions", 150)):
        stub.route(f"/crm/v3/objects/{kind}/search", hubspot_search(hubspot_objects(count)), "POST")
        stub.route(f"/crm/v3/objects/{kind}", hubspot_list([]))


# ---- Jira ----------------------------------------------------------------------------------------
ISSUES = [
    {
        "id": str(10_000 + i),
        "key": f"RD-{i}",
        "fields": {
            "created": "2026-01-01T00:00:00.000+0000",
            "updated": f"2026-01-01T{i // 60:02d}:{i % 60:02d}:00.000+0000",
        },
    }
    for i in range(150)
]
PROJECTS = [{"id": str(i), "key": f"P{i}", "name": f"Project {i}"} for i in range(60)]
USERS = [{"accountId": f"acc-{i}", "emailAddress": f"user{i}@example.com"} for i in range(250)]


def jira_search(issues: list[dict]) -> Route:
    """`GET /search/jql` with opaque `nextPageToken`s (here the offset, dressed up)."""

    def answer(request: StubRequest) -> Answer:
        start = int(request.query.get("nextPageToken", "tok-0").removeprefix("tok-"))
        end = start + int(request.query["maxResults"])
        document: dict[str, Any] = {"issues": issues[start:end], "isLast": end >= len(issues)}
        if end < len(issues):
            document["nextPageToken"] = f"tok-{end}"
        return json_answer(document)

    return answer


def jira_projects(projects: list[dict]) -> Route:
    def answer(request: StubRequest) -> Answer:
        start, size = int(request.query["startAt"]), int(request.query["maxResults"])
        return json_answer(
            {
                "startAt": start,
                "maxResults": size,
                "total": len(projects),
                "isLast": start + size >= len(projects),
                "values": projects[start : start + size],
            }
        )

    return answer


def jira_users(request: StubRequest) -> Answer:
    start, size = int(request.query["startAt"]), int(request.query["maxResults"])
    return json_answer(USERS[start : start + size])


def serve_jira(stub: StubServer) -> None:
    stub.route(f"{JIRA}/myself", json_answer({"accountId": "bot", "timeZone": "UTC"}))
    stub.route(f"{JIRA}/search/jql", jira_search(ISSUES))
    stub.route(f"{JIRA}/project/search", jira_projects(PROJECTS))
    stub.route(f"{JIRA}/users/search", jira_users)


# ---- OData ---------------------------------------------------------------------------------------
def budgets(count: int) -> list[dict]:
    return [
        {"BudgetID": f"B{i:03d}", "BudgetAmount": 1000 + i, "LastModifiedDateTime": stamp(i)}
        for i in range(1, count + 1)
    ]


def gl_entries(count: int) -> list[dict]:
    return [
        {
            "EntryID": f"GL{i:05d}",
            "AmountInTransactionCurrency": 12.5,
            "PostingDate": "2026-01-01",
            "CostCenterID": "CC1",
            "LastModifiedDateTime": stamp(i),
        }
        for i in range(1, count + 1)
    ]


def odata(stub: StubServer, rows: list[dict], page_size: int = 20) -> Route:
    """Server-driven paging: an absolute `@odata.nextLink` carrying every option plus `$skiptoken`;
    `$select` honoured (the key scan), `$filter` and `$orderby` ignored (landing drops re-reads)."""

    def answer(request: StubRequest) -> Answer:
        start = int(request.query.get("$skiptoken", 0))
        chosen = rows
        if "$select" in request.query:
            keys = request.query["$select"].split(",")
            chosen = [{k: r[k] for k in keys} for r in rows]
        document: dict[str, Any] = {"@odata.context": "$metadata", "value": chosen[start : start + page_size]}
        if start + page_size < len(chosen):
            options = {**request.query, "$skiptoken": start + page_size}
            document["@odata.nextLink"] = f"{stub.url}{request.path}?{urlencode(options)}"
        return json_answer(document)

    return answer


def serve_odata(stub: StubServer, budget_count: int = 50) -> None:
    stub.route("/erp/Budgets", odata(stub, budgets(budget_count)))
    stub.route("/erp/GLEntries", odata(stub, gl_entries(70)))


# ---- BambooHR ------------------------------------------------------------------------------------
EMPLOYEE_IDS = ("1", "2", "3")
APPLICATIONS = [{"id": i, "appliedDate": stamp(i), "status": {"label": "New"}} for i in range(1, 46)]


def bamboo_employee(request: StubRequest) -> Answer:
    employee_id = request.path.rsplit("/", 1)[1]
    return json_answer(
        {
            "id": employee_id,
            "workEmail": f"e{employee_id}@example.com",
            "hireDate": "2020-01-01",
            "status": "Active",
            "lastChanged": stamp(int(employee_id)),
        }
    )


def bamboo_applications(apps: list[dict], size: int = 20) -> Route:
    def answer(request: StubRequest) -> Answer:
        page = int(request.query["page"])
        rows = apps[(page - 1) * size : page * size]
        return json_answer({"paginationComplete": page * size >= len(apps), "applications": rows})

    return answer


def serve_bamboo(stub: StubServer) -> None:
    changed = {i: {"id": i, "action": "Updated", "lastChanged": stamp(int(i))} for i in EMPLOYEE_IDS}
    stub.route("/hr/employees/changed", json_answer({"latest": stamp(3), "employees": changed}))
    for employee_id in EMPLOYEE_IDS:
        stub.route(f"/hr/employees/{employee_id}", bamboo_employee)
        record = {"id": int(employee_id), "employeeId": employee_id, "completed": "2026-01-05", "hours": 2}
        stub.route(f"/hr/training/record/employee/{employee_id}", json_answer({employee_id: record}))
    stub.route("/hr/training/type", json_answer({"1": {"id": 1, "name": "Safety", "required": True}}))
    stub.route("/hr/time_off/requests/", json_answer([{"id": "1", "employeeId": "1", "start": "2026-01-02"}]))
    reviews = [{"id": i, "customReviewCycle": "2026-Q1", "customReviewerRole": "self"} for i in EMPLOYEE_IDS]
    stub.route(
        "/hr/reports/custom", json_answer({"title": "360", "fields": [], "employees": reviews}), "POST"
    )
    stub.route("/hr/applicant_tracking/jobs", json_answer([{"id": 5, "postedDate": stamp(0)}]))
    stub.route("/hr/applicant_tracking/applications", bamboo_applications(APPLICATIONS))


def serve_all(stub: StubServer) -> None:
    serve_hubspot(stub)
    serve_jira(stub)
    serve_odata(stub)
    serve_bamboo(stub)


# ---- what a cleanly failed read leaves --------------------------------------------------------
def snapshot(store: RawStore, source: str, stream: str) -> tuple:
    """(cursor, versions, deleted versions) of a stream: what a failed read must leave as it was."""
    table = f"raw.{source}__{stream}"
    [(versions, deleted)] = store.query(f"select count(*), count(*) filter (where _is_deleted) from {table}")
    return store.cursor(source, stream)[0], versions, deleted


def assert_failed_cleanly(store: RawStore, source: str, stream: str, error: Exception, before: tuple) -> str:
    """The read failed naming its stream, left cursor and raw as they were, and leaked no secret."""
    message = str(error)
    assert message.startswith(f"[{source}/{stream}] "), message
    assert SECRET not in message
    assert snapshot(store, source, stream) == before, "cursor, versions and deletes are as before"
    status, ledger_error = store.query(
        "select status, error from raw._loads where source = ? and stream = ? "
        "order by started_at desc limit 1",
        [source, stream],
    )[0]
    assert (status, ledger_error) == ("failed", message)
    [(ledger,)] = store.query("select string_agg(l::varchar, ' ') from raw._loads l")
    assert SECRET not in ledger
    return message


@dataclass(frozen=True)
class Fault:
    """One answer gone bad: which stream reads it, at which path, and what the error must say."""

    name: str
    source: str
    stream: str
    path: str
    answer: Route
    says: str
    method: str = "GET"
    reconcile: bool | None = None


def fail_after_a_good_read(
    stub: StubServer, tmp_path, caplog, fault: Fault, error: type[ConnectorError]
) -> tuple[str, int]:
    """Land a good read, serve the fault, read again: (the error message, requests sent to the fault)."""
    serve_all(stub)
    settings = settings_for(fault.source, stub)
    source = SOURCES[fault.source]
    with RawStore(tmp_path / "w.duckdb") as store:
        good = extract_stream(store, source, settings, fault.stream, retry=FAST_RETRY)
        assert good.status == "succeeded" and good.rows_loaded > 0
        before = snapshot(store, fault.source, fault.stream)
        stub.route(fault.path, fault.answer, fault.method)
        asked_before = stub.count(fault.path)
        with pytest.raises(error) as caught:
            extract_stream(store, source, settings, fault.stream, retry=FAST_RETRY, reconcile=fault.reconcile)
        message = assert_failed_cleanly(store, fault.source, fault.stream, caught.value, before)
    assert SECRET not in caplog.text, "the retries and the failure are logged, the secret is not"
    assert fault.says in message
    return message, stub.count(fault.path) - asked_before
