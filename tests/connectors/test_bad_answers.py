"""A bad answer is an error, never an empty page.

Each test lands a good read of a real stream declaration from the stub server, then serves one answer
that cannot be read, and runs the real `extract_stream` again: the stream fails with an error naming
the source, stream, request and problem, after the retries; its cursor stays, nothing lands or is
marked deleted, the ledger row says `failed`, and the secret is nowhere.
"""

from __future__ import annotations

import pytest

from connectors.core.errors import UnreadableResponseError
from connectors.landing.raw_store import RawStore
from tests.conftest import FAST_RETRY
from tests.connectors.stub_sources import JIRA, SECRET, Fault, fail_after_a_good_read
from tests.stub_server import Answer, json_answer

pytestmark = pytest.mark.timeout(120)  # a bound on a hang: each test takes well under a second


LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in - Corporate SSO (token " + SECRET.encode() + b" refused)"
    b"</title></head><body><form action='/login'></form></body></html>"
)
BAD_ANSWERS = [
    Fault(
        "empty 200",
        "crm",
        "owners",
        "/crm/v3/owners",
        Answer(200, b""),
        "answered HTTP 200: an empty body (0 bytes)",
    ),
    Fault(
        "HTML 200",
        "erp",
        "gl_entries",
        "/erp/GLEntries",
        Answer(200, LOGIN_PAGE, "text/html; charset=utf-8"),
        "answered HTTP 200: an HTML page instead of JSON (title 'Sign in - Corporate SSO (token *** "
        "refused)'",
    ),
    Fault(
        "invalid UTF-8",
        "ticketing",
        "users",
        f"{JIRA}/users/search",
        Answer(200, b'[{"accountId": "acc-\xff"}]'),
        "answered HTTP 200: a body that is not valid UTF-8 (byte 0xff at offset 20 of 24)",
    ),
    Fault(
        "JSON without the records array",
        "crm",
        "deals",
        "/crm/v3/objects/deals/search",
        json_answer({"total": 3, "paging": {}}),
        "answered HTTP 200: JSON without its records array 'results'; top-level keys: total, paging",
        method="POST",
    ),
    Fault(
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
    Fault(
        "hr change feed without its employees",
        "hr",
        "employees",
        "/hr/employees/changed",
        json_answer({"latest": "2026-01-01T00:00:00+00:00"}),
        "JSON without its records object 'employees'; top-level keys: latest",
    ),
    Fault(
        "hr employee that is not an object",
        "hr",
        "employees",
        "/hr/employees/2",
        json_answer([]),
        "a JSON array where one record (a JSON object) was expected",
    ),
    Fault(
        "hr time off as an object",
        "hr",
        "time_off_requests",
        "/hr/time_off/requests/",
        json_answer({}),
        "the body is a JSON object (keys: none (an empty object)), not an array of records",
    ),
    Fault(
        "hr trainings as an array where they are keyed by id",
        "hr",
        "training_records",
        "/hr/training/record/employee/3",
        json_answer([{"id": 3, "employeeId": "3"}]),
        "the body is a JSON array, not an object of records keyed by id",
    ),
    Fault(
        "hr training types declared keyed by id",
        "hr",
        "training_types",
        "/hr/training/type",
        json_answer("Safety"),
        "the body is a string, not an object of records keyed by id",
    ),
    Fault(
        "hr 360 report without its rows",
        "hr",
        "reviews",
        "/hr/reports/custom",
        json_answer({"title": "360 reviews (dcw)", "fields": []}),
        "JSON without its records array 'employees'; top-level keys: title, fields",
        method="POST",
    ),
    Fault(
        "jira profile empty",
        "ticketing",
        "rd_issues",
        f"{JIRA}/myself",
        Answer(200, b"  \n"),
        "answered HTTP 200: an empty body (3 bytes)",
    ),
]


@pytest.mark.parametrize("case", BAD_ANSWERS + CUSTOM_READERS, ids=lambda c: c.name)
def test_an_answer_that_cannot_be_read_fails_the_stream_and_changes_nothing(
    case, stub_server, tmp_path, caplog
):
    message, asked = fail_after_a_good_read(stub_server, tmp_path, caplog, case, UnreadableResponseError)
    assert caplog.records, "each retry is logged"
    assert f"{case.path}" in message, "the message names the request"
    assert f", {FAST_RETRY.max_attempts} attempt(s) in a row. Not read as an empty page: " in message
    assert asked == FAST_RETRY.max_attempts, "retried like a truncated body, in the one retry loop"


def test_a_login_page_says_that_the_base_url_points_at_a_login_page(stub_server, tmp_path, caplog):
    [html] = [case for case in BAD_ANSWERS if case.name == "HTML 200"]
    message, _ = fail_after_a_good_read(stub_server, tmp_path, caplog, html, UnreadableResponseError)
    assert "DCW_ERP_BASE_URL points at a login page or a proxy, not at the API" in message


def test_an_empty_answer_to_a_full_read_marks_no_owner_deleted(stub_server, tmp_path, caplog):
    """The issue's case: an empty 200 on CRM owners once marked 60 of 60 owners deleted."""
    [empty] = [case for case in BAD_ANSWERS if case.name == "empty 200"]
    fail_after_a_good_read(stub_server, tmp_path, caplog, empty, UnreadableResponseError)
    with RawStore(tmp_path / "w.duckdb") as store:
        assert store.query("select count(*), count(*) filter (where _is_deleted) from raw.crm__owners") == [
            (60, 0)
        ]
