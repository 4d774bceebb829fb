"""Product behaviours the simulator does not provoke on its own, reproduced with small fakes."""

from __future__ import annotations

import pytest

from connectors.core.errors import ConnectorError
from connectors.core.records import parse_instant
from connectors.core.streams import ReadContext
from connectors.settings import settings_from_env
from connectors.sources import SOURCES
from connectors.sources.crm import PAGE_SIZE


class MovingSearch:
    """HubSpot search over records that change while they are read: after the first request, the
    oldest record is modified and jumps to the end of the ordering, as it does on the real service."""

    def __init__(self, count: int) -> None:
        self.records = [
            {
                "id": str(i),
                "properties": {"hs_lastmodifieddate": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z"},
            }
            for i in range(count)
        ]
        self.requests = 0

    def request(self, method, path, *, stream, json_body, idempotent, params=None, records=None):
        self.requests += 1
        if self.requests == 2:
            self.records[0]["properties"]["hs_lastmodifieddate"] = "2026-01-02T00:00:00Z"
        [flt] = json_body["filterGroups"][0]["filters"]
        low = int(flt["value"])
        ordered = sorted(self.records, key=lambda r: r["properties"]["hs_lastmodifieddate"])
        hits = [
            r
            for r in ordered
            if parse_instant(r["properties"]["hs_lastmodifieddate"]).timestamp() * 1000 >= low
        ]
        return {"total": len(hits), "results": hits[: json_body["limit"]]}


def test_hubspot_records_modified_during_a_read_are_not_skipped():
    fake = MovingSearch(count=3 * PAGE_SIZE + 17)
    stream = SOURCES["crm"].stream("feedback_submissions")
    pages = list(stream.pages(ReadContext(client=fake, stream=stream, cursor=None)))
    read = [r["id"] for page in pages for r in page.records]
    assert set(read) == {r["id"] for r in fake.records}, "every record read at least once"
    assert read.count("0") == 2, "the record modified mid-read is read again, as its new version"
    assert pages[-1].checkpoint.isoformat() == "2026-01-02T00:00:00+00:00"


def test_a_credential_with_a_trailing_newline_is_trimmed(monkeypatch):
    monkeypatch.setenv("DCW_CRM_BASE_URL", "https://api.example.com")
    monkeypatch.setenv("DCW_CRM_ACCESS_TOKEN", "pat-secret-value\n")
    assert settings_from_env("crm", (), ("access_token",)).secret("access_token") == "pat-secret-value"


def test_a_credential_with_a_control_character_is_refused_without_printing_it(monkeypatch):
    monkeypatch.setenv("DCW_CRM_BASE_URL", "https://api.example.com")
    monkeypatch.setenv("DCW_CRM_ACCESS_TOKEN", "pat-secret\x07value")
    with pytest.raises(ValueError, match="DCW_CRM_ACCESS_TOKEN contains a control character") as caught:
        settings_from_env("crm", (), ("access_token",))
    assert "pat-secret" not in str(caught.value)


def test_a_request_that_cannot_be_sent_names_the_stream_and_hides_the_secret(simulator):
    client = SOURCES["crm"].connect(simulator.settings("crm"))
    secret = simulator.settings("crm").secret("access_token")
    client._session.headers["X-Broken"] = f"{secret}\n"  # a header requests refuses, quoting its value
    with pytest.raises(ConnectorError) as caught:
        client.get("crm/v3/owners", stream="owners")
    assert "[crm/owners]" in str(caught.value) and secret not in str(caught.value)
