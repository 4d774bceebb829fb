"""Every paginator is bounded: a token, link or position that repeats, an offset past the total, the same
page again, or more pages than any real read, stops the stream with an error naming it.

As in test_bad_answers: a good read from the stub first, then the faulty paging, through the real
stream declarations and `extract_stream`; the read must return (the pytest timeout is the hang bound).
"""

from __future__ import annotations

import pytest

from connectors.core.errors import PagingError
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import extract_stream
from connectors.settings import MAX_PAGES_PER_READ_ENV
from connectors.sources import SOURCES
from tests.conftest import FAST_RETRY
from tests.connectors.stub_sources import (
    APPLICATIONS,
    ISSUES,
    JIRA,
    PROJECTS,
    SECRET,
    Fault,
    budgets,
    fail_after_a_good_read,
    hubspot_objects,
    serve_all,
    settings_for,
)
from tests.stub_server import Answer, Route, StubRequest, StubServer, json_answer

pytestmark = pytest.mark.timeout(120)  # a bound on a hang: without the bounds these tests never return


def repeating_token(request: StubRequest) -> Answer:
    """Jira search whose second page hands back the token that led to it."""
    start = 0 if "nextPageToken" not in request.query else 100
    return json_answer({"issues": ISSUES[start : start + 100], "nextPageToken": "tok-100", "isLast": False})


def repeating_link(request: StubRequest) -> Answer:
    """An OData key scan whose second page links to itself; the link carries the token (a gateway's)."""
    rows = budgets(50)
    if "$select" not in request.query:
        return json_answer({"value": rows})
    start = int(request.query.get("$skiptoken", 0))
    link = (
        f"http://{request.headers['Host']}/erp/Budgets?$select=BudgetID&$skiptoken=20&access_token={SECRET}"
    )
    keys = [{"BudgetID": r["BudgetID"]} for r in rows[start : start + 20]]
    return json_answer({"value": keys, "@odata.nextLink": link})


def past_the_total(request: StubRequest) -> Answer:
    """Jira offset paging that reports 60 projects and sends a hundred."""
    start = int(request.query["startAt"])
    values = [PROJECTS[i] if i < len(PROJECTS) else {"id": str(i)} for i in range(start, start + 50)]
    return json_answer({"startAt": start, "maxResults": 50, "total": 60, "isLast": False, "values": values})


def ignoring_the_page(request: StubRequest) -> Answer:
    """BambooHR applications that answer page 1 whatever page is asked for, and never complete."""
    return json_answer({"paginationComplete": False, "applications": APPLICATIONS[:20]})


def ignoring_the_keyset(request: StubRequest) -> Answer:
    """HubSpot search that answers its first hundred results whatever the filter says."""
    return json_answer({"total": 150, "results": hubspot_objects(150)[:100]})


def ignoring_the_offset(request: StubRequest) -> Answer:
    """Jira offset paging that serves the first page whatever `startAt` says."""
    return json_answer(
        {"startAt": 0, "maxResults": 50, "total": 60, "isLast": False, "values": PROJECTS[:50]}
    )


LOOPS = [
    Fault(
        "repeated cursor token",
        "ticketing",
        "rd_issues",
        f"{JIRA}/search/jql",
        repeating_token,
        "the source sent the cursor token (nextPageToken) 'tok-100' a second time",
    ),
    Fault(
        "repeated next link",
        "erp",
        "budgets",
        "/erp/Budgets",
        repeating_link,
        "the source sent the next link (@odata.nextLink) 'http://",
        reconcile=True,
    ),
    Fault(
        "offset past the total",
        "ticketing",
        "projects",
        f"{JIRA}/project/search",
        past_the_total,
        "startAt=50 brought the records read to 100, past the total of 60 the source reports",
    ),
    Fault(
        "offset ignored",
        "ticketing",
        "projects",
        f"{JIRA}/project/search",
        ignoring_the_offset,
        "asked for startAt=50, the source answered startAt=0",
    ),
    Fault(
        "page number ignored",
        "hr",
        "applications",
        "/hr/applicant_tracking/applications",
        ignoring_the_page,
        "the page at page=2 holds the same 20 records as the page before: the source ignores 'page'",
    ),
    Fault(
        "keyset filter ignored",
        "crm",
        "feedback_submissions",
        "/crm/v3/objects/feedback_submissions/search",
        ignoring_the_keyset,
        "answered a record modified at 2026-01-01T00:01:00+00:00, before the lower bound",
        method="POST",
    ),
]


@pytest.mark.parametrize("case", LOOPS, ids=lambda c: c.name)
def test_paging_that_would_not_end_stops_the_stream_and_changes_nothing(case, stub_server, tmp_path, caplog):
    message, _ = fail_after_a_good_read(stub_server, tmp_path, caplog, case, PagingError)
    assert "paging stopped after" in message and case.path.rsplit("/", 1)[1] in message


def test_a_repeated_link_is_named_without_the_secret_it_carries(stub_server, tmp_path, caplog):
    [link] = [case for case in LOOPS if case.name == "repeated next link"]
    message, _ = fail_after_a_good_read(stub_server, tmp_path, caplog, link, PagingError)
    assert "$skiptoken=20&access_token=***' a second time" in message


def endless_odata(stub: StubServer) -> Route:
    """A next link that never repeats and never ends: only the page cap stops it."""

    def answer(request: StubRequest) -> Answer:
        start = int(request.query.get("$skiptoken", 0))
        rows = [{**row, "BudgetID": f"B{start + i}"} for i, row in enumerate(budgets(2))]
        return json_answer(
            {"value": rows, "@odata.nextLink": f"{stub.url}/erp/Budgets?$skiptoken={start + 2}"}
        )

    return answer


def test_a_read_stops_at_the_page_cap_whatever_its_paging(stub_server, tmp_path, monkeypatch):
    serve_all(stub_server)
    stub_server.route("/erp/Budgets", endless_odata(stub_server))
    monkeypatch.setenv(MAX_PAGES_PER_READ_ENV, "25")
    with RawStore(tmp_path / "w.duckdb") as store, pytest.raises(PagingError) as caught:
        extract_stream(store, SOURCES["erp"], settings_for("erp", stub_server), "budgets", retry=FAST_RETRY)
    message = str(caught.value)
    assert message.startswith(
        "[erp/budgets] 25 pages read and the source still sends more (next: GET http://"
    )
    assert f"raise {MAX_PAGES_PER_READ_ENV}" in message
    assert stub_server.count("/erp/Budgets") == 25
