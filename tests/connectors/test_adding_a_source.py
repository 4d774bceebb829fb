"""A new system is one declarative module: here a timesheet API, served by a tiny local server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import dagster as dg
import pytest

from connectors.core.auth import ApiKeyHeaderAuth
from connectors.core.http import HttpClient
from connectors.core.paginators import OffsetPaginator
from connectors.core.source import Source
from connectors.core.streams import Stream
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import extract_stream
from connectors.settings import Secret, SourceSettings
from connectors.sources import SOURCES, register_source, unregister_source
from dagster_project.assets.raw import build_raw_assets, raw_asset_key
from dagster_project.resources import SourceSystems, Warehouse
from tests.conftest import query

ENTRIES = [
    {
        "entryId": i,
        "employeeEmail": f"user{i % 7}@example.com",
        "hours": 7.5 + i % 3,
        "workDate": f"2026-10-{1 + i % 28:02d}",
    }
    for i in range(1, 124)
]
ENTRIES[10] = {"employeeEmail": "no.id@example.com", "hours": 8, "workDate": "2026-10-02"}  # malformed


class TimesheetAPI(BaseHTTPRequestHandler):
    entries = ENTRIES

    def do_GET(self):
        if self.headers.get("X-API-Key") != "ts-key":
            self.send_response(401)
            self.end_headers()
            return
        query_args = parse_qs(urlparse(self.path).query)
        offset, limit = int(query_args["offset"][0]), int(query_args["limit"][0])
        page = self.entries[offset : offset + limit]
        body = json.dumps({"total": len(self.entries), "entries": page}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


# ---- the whole declarative module a data engineer would write, as `connectors/sources/timesheet.py` ----
TIMESHEET = Source(
    name="timesheet",
    product="Example Timesheets API",
    option_keys=(),
    credentials=(("api_key",),),
    client=lambda s: HttpClient(
        source="timesheet",
        base_url=s.base_url,
        auth=ApiKeyHeaderAuth(s.secret("api_key")),
        secrets=tuple(s.secret_values()),
    ),
    streams=(
        Stream(
            name="entries",
            path="api/entries",
            primary_key=("entryId",),
            records_at="entries",
            description="Hours booked per employee and day.",
            paginator=lambda: OffsetPaginator(
                offset_param="offset", limit_param="limit", limit=50, is_last_path=None
            ),
        ),
    ),
)
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture()
def timesheet_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TimesheetAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    register_source(TIMESHEET)
    yield f"http://127.0.0.1:{server.server_port}"
    unregister_source("timesheet")
    server.shutdown()


def test_a_declared_source_lands_through_the_shared_machinery(timesheet_api, tmp_path):
    settings = SourceSettings("timesheet", timesheet_api, secrets={"api_key": Secret("ts-key")})
    with RawStore(tmp_path / "w.duckdb") as store:
        result = extract_stream(store, SOURCES["timesheet"], settings, "entries")
    assert (result.rows_fetched, result.rows_inserted, result.rows_rejected, result.pages) == (123, 122, 1, 3)
    reason = query(tmp_path / "w.duckdb", "select reason from raw._rejects")[0][0]
    assert reason == "missing primary key field 'entryId'"


def test_a_declared_source_gets_its_dagster_asset(timesheet_api, tmp_path, monkeypatch):
    monkeypatch.setenv("DCW_TIMESHEET_BASE_URL", timesheet_api)
    monkeypatch.setenv("DCW_TIMESHEET_API_KEY", "ts-key")
    assets = build_raw_assets(SOURCES)
    key = raw_asset_key("timesheet", "entries")
    assert key in assets.keys
    result = dg.materialize(
        [assets],
        selection=[key],
        resources={
            "warehouse": Warehouse(path=str(tmp_path / "w.duckdb")),
            "source_systems": SourceSystems(),
        },
    )
    assert result.success
    [materialization] = result.asset_materializations_for_node("extract_raw")
    assert materialization.metadata["rows_inserted"].value == 122


def test_a_key_gone_from_a_full_read_gets_a_deleted_version(timesheet_api, tmp_path, monkeypatch):
    settings = SourceSettings("timesheet", timesheet_api, secrets={"api_key": Secret("ts-key")})
    with RawStore(tmp_path / "w.duckdb") as store:
        extract_stream(store, SOURCES["timesheet"], settings, "entries")
        monkeypatch.setattr(TimesheetAPI, "entries", [e for e in ENTRIES if e.get("entryId") != 42])
        second = extract_stream(store, SOURCES["timesheet"], settings, "entries")
        assert (second.rows_inserted, second.rows_tombstoned) == (0, 1)
        assert store.query(
            "select _is_deleted from raw.timesheet__entries where _key = '42' "
            "order by _extracted_at desc limit 1"
        ) == [(True,)]
