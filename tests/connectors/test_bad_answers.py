"""A bad answer is an error, never an empty page.

Each test lands a good read of a real stream declaration from the stub server, then serves one answer
that cannot be read, and runs the real `extract_stream` again: the stream fails with an error naming
the source, stream, request and problem, after the retries; its cursor stays, nothing lands or is
marked deleted, the ledger row says `failed`, and the secret is nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from connectors.core.errors import UnreadableResponseError
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import extract_stream
from connectors.sources import SOURCES
from tests.conftest import FAST_RETRY
from tests.connectors.stub_sources import (
    JIRA,
    SECRET,
    assert_failed_cleanly,
    serve_all,
    settings_for,
    snapshot,
)
from tests.stub_server import Answer, json_answer

pytestmark = pytest.mark.timeout(120)  # a bound on a hang: each test takes well under a second


@dataclass(frozen=True)
class BadAnswer:
    name: str
    source: str
    stream: str
    path: str
    answer: Answer
    says: str
    method: str = "GET"


LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in - Corporate SSO (token " + SECRET.encode() + b" refused)"
    b"</title></head><body><form action='/login'></form></body></html>"
)
BAD_ANSWERS = [
    BadAnswer(
        "empty 200",
        "crm",
        "owners",
        "/crm/v3/owners",
        Answer(200, b""),
        "answered HTTP 200 with an empty body (0 bytes)",
    ),
    BadAnswer(
        "HTML 200",
        "erp",
        "gl_entries",
        "/erp/GLEntries",
        Answer(200, LOGIN_PAGE, "text/html; charset=utf-8"),
        "answered HTTP 200 with an HTML page instead of JSON (title 'Sign in - Corporate SSO (token *** "
        "refused)'",
    ),
    BadAnswer(
        "invalid UTF-8",
        "ticketing",
        "users",
        f"{JIRA}/users/search",
        Answer(200, b'[{"accountId": "acc-\xff"}]'),
        "answered HTTP 200 with a body that is not valid UTF-8 (byte 0xff at offset 20 of 24)",
    ),
    BadAnswer(
        "JSON without the records array",
        "crm",
        "deals",
        "/crm/v3/objects/deals/search",
        json_answer({"total": 3, "paging": {}}),
        "answered HTTP 200 with JSON without its records array 'results'; top-level keys: total, paging",
        method="POST",
    ),
    BadAnswer(
        "records of the wrong type",
        "hr",
        "applications",
        "/hr/applicant_tracking/applications",
        json_answer({"paginationComplete": True, "applications": {"1": {"id": 1}, "2": {"id": 2}}}),
        "the records field 'applications' is a JSON object (keys: 1, 2), not an array of records",
    ),
]
# Every custom reader goes through the same strict extraction.
CUSTOM_READERS = [
    BadAnswer(
        "hr change feed without its employees",
        "hr",
        "employees",
        "/hr/employees/changed",
        json_answer({"latest": "2026-01-01T00:00:00+00:00"}),
        "JSON without its records object 'employees'; top-level keys: latest",
    ),
    BadAnswer(
        "hr employee that is not an object",
        "hr",
        "employees",
        "/hr/employees/2",
        json_answer([]),
        "a JSON array where one record (a JSON object) was expected",
    ),
    BadAnswer(
        "hr time off as an object",
        "hr",
        "time_off_requests",
        "/hr/time_off/requests/",
        json_answer({}),
        "the body is a JSON object (keys: none (an empty object)), not an array of records",
    ),
    BadAnswer(
        "hr trainings as an array where they are keyed by id",
        "hr",
        "training_records",
        "/hr/training/record/employee/3",
        json_answer([{"id": 3, "employeeId": "3"}]),
        "the body is a JSON array, not an object of records keyed by id",
    ),
    BadAnswer(
        "hr training types declared keyed by id",
        "hr",
        "training_types",
        "/hr/training/type",
        json_answer("Safety"),
        "the body is a string, not an object of records keyed by id",
    ),
    BadAnswer(
        "hr 360 report without its rows",
        "hr",
        "reviews",
        "/hr/reports/custom",
        json_answer({"title": "360 reviews (dcw)", "fields": []}),
        "JSON without its records array 'employees'; top-level keys: title, fields",
        method="POST",
    ),
    BadAnswer(
        "jira profile empty",
        "ticketing",
        "rd_issues",
        f"{JIRA}/myself",
        Answer(200, b"  \n"),
        "answered HTTP 200 with an empty body (3 bytes)",
    ),
]


def _fail_after_a_good_read(stub, tmp_path, caplog, case: BadAnswer) -> tuple[str, int]:
    serve_all(stub)
    settings = settings_for(case.source, stub)
    source = SOURCES[case.source]
    with RawStore(tmp_path / "w.duckdb") as store:
        good = extract_stream(store, source, settings, case.stream, retry=FAST_RETRY)
        assert good.status == "succeeded" and good.rows_loaded > 0
        before = snapshot(store, case.source, case.stream)
        stub.route(case.path, case.answer, case.method)
        asked_before = stub.count(case.path)
        with pytest.raises(UnreadableResponseError) as caught:
            extract_stream(store, source, settings, case.stream, retry=FAST_RETRY)
        message = assert_failed_cleanly(store, case.source, case.stream, caught.value, before)
    assert caplog.records and SECRET not in caplog.text, "the retries are logged, the secret is not"
    return message, stub.count(case.path) - asked_before


@pytest.mark.parametrize("case", BAD_ANSWERS + CUSTOM_READERS, ids=lambda c: c.name)
def test_an_answer_that_cannot_be_read_fails_the_stream_and_changes_nothing(
    case, stub_server, tmp_path, caplog
):
    message, asked = _fail_after_a_good_read(stub_server, tmp_path, caplog, case)
    assert case.says in message
    assert f"{case.path}" in message, "the message names the request"
    assert f"({FAST_RETRY.max_attempts} attempt(s))" in message
    assert asked == FAST_RETRY.max_attempts, "retried like a truncated body, in the one retry loop"


def test_a_login_page_says_that_the_base_url_points_at_a_login_page(stub_server, tmp_path, caplog):
    [html] = [case for case in BAD_ANSWERS if case.name == "HTML 200"]
    message, _ = _fail_after_a_good_read(stub_server, tmp_path, caplog, html)
    assert "DCW_ERP_BASE_URL points at a login page or a proxy, not at the API" in message


def test_an_empty_answer_to_a_full_read_marks_no_owner_deleted(stub_server, tmp_path, caplog):
    """The issue's case: an empty 200 on CRM owners once marked 60 of 60 owners deleted."""
    [empty] = [case for case in BAD_ANSWERS if case.name == "empty 200"]
    _fail_after_a_good_read(stub_server, tmp_path, caplog, empty)
    with RawStore(tmp_path / "w.duckdb") as store:
        assert store.query("select count(*), count(*) filter (where _is_deleted) from raw.crm__owners") == [
            (60, 0)
        ]
