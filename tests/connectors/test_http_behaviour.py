"""How every connector behaves when the network or the server misbehaves."""

from __future__ import annotations

import dataclasses

import pytest

from connectors.core.errors import AuthenticationError, RetriesExhaustedError
from connectors.core.http import RetryPolicy
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import extract_stream
from connectors.settings import Secret
from connectors.sources import SOURCES
from tests.conftest import query

WRONG_SECRET = "wrong-secret-4f2a9c"


@pytest.mark.parametrize("source", ["hr", "erp", "ticketing", "crm"])
def test_wrong_credentials_fail_clearly_without_echoing_the_secret(source, simulator, tmp_path):
    good = simulator.settings(source)
    bad = dataclasses.replace(good, secrets={k: Secret(WRONG_SECRET) for k in good.secrets})
    stream = SOURCES[source].streams[0].name
    warehouse = tmp_path / "w.duckdb"
    with RawStore(warehouse) as store, pytest.raises(AuthenticationError) as caught:
        extract_stream(store, SOURCES[source], bad, stream)
    message = str(caught.value)
    assert f"[{source}/{stream}]" in message
    assert "401" in message
    assert f"DCW_{source.upper()}_" in message, "the error says which variables to fix"
    assert WRONG_SECRET not in message
    status, error = query(warehouse, "select status, error from raw._loads")[0]
    assert status == "failed"
    assert WRONG_SECRET not in error


def _recording_client(simulator, source):
    client = SOURCES[source].connect(simulator.settings(source))
    client.sleeps = []
    client.sleep = client.sleeps.append
    return client


def test_429_retry_after_is_honoured(simulator, faults):
    faults({"status": 429, "retry_after": 2, "path_prefix": "/crm"})
    client = _recording_client(simulator, "crm")
    response = client.get("crm/v3/owners", params={"limit": 5})
    assert len(response["results"]) == 5
    [waited] = client.sleeps
    assert 2.0 <= waited <= 2.0 * (1 + client.retry.jitter), "Retry-After, plus a little jitter, never less"


def test_a_wait_longer_than_allowed_fails_at_once_and_says_how_long(simulator, faults):
    faults({"status": 429, "retry_after": 3600, "path_prefix": "/ticketing"})
    client = _recording_client(simulator, "ticketing")
    client.retry = RetryPolicy(retry_after_max_s=30)
    with pytest.raises(RetriesExhaustedError, match="asks to wait 3600s, more than the 30s allowed"):
        client.get("rest/api/3/serverInfo")
    assert client.sleeps == [], "a quota is not waited out"


def test_408_request_timeout_is_retried(simulator, faults):
    faults({"status": 408, "path_prefix": "/erp"})
    client = _recording_client(simulator, "erp")
    assert client.get("CostCenters")["value"]
    assert client.retries == 1


def test_5xx_is_retried_with_growing_backoff(simulator, faults):
    faults(
        {"status": 503, "path_prefix": "/erp"},
        {"status": 500, "path_prefix": "/erp"},
        {"status": 502, "path_prefix": "/erp"},
    )
    client = _recording_client(simulator, "erp")
    response = client.get("CostCenters")
    assert response["value"]
    assert client.retries == 3
    assert client.sleeps[0] < client.sleeps[1] < client.sleeps[2]


def test_truncated_body_is_retried(simulator, faults):
    faults({"truncate": True, "path_prefix": "/hr"})
    client = _recording_client(simulator, "hr")
    response = client.get("employees/directory")
    assert response["employees"]
    assert client.retries == 1


def test_exhausted_retries_fail_clearly_and_leave_the_cursor_where_it_was(simulator, faults, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    settings = simulator.settings("crm")
    with RawStore(warehouse) as store:
        first = extract_stream(store, SOURCES["crm"], settings, "deals")
        cursor_before, _ = store.cursor("crm", "deals")
        assert cursor_before is not None and first.rows_inserted > 0
        faults(*[{"status": 503, "path_prefix": "/crm"}] * 3)
        fast = RetryPolicy(max_attempts=3, backoff_base_s=0.01, backoff_max_s=0.02)
        with pytest.raises(RetriesExhaustedError) as caught:
            extract_stream(store, SOURCES["crm"], settings, "deals", retry=fast)
        assert store.cursor("crm", "deals")[0] == cursor_before
    message = str(caught.value)
    assert "[crm/deals]" in message and "3 attempt(s)" in message and "HTTP 503" in message
    statuses = [s for (s,) in query(warehouse, "select status from raw._loads order by started_at")]
    assert statuses == ["succeeded", "failed"]


def test_a_secret_never_reaches_the_warehouse(baseline, simulator):
    secrets = [
        v for source in ("hr", "erp", "ticketing", "crm") for v in simulator.settings(source).secret_values()
    ]
    tokens = [
        s for s in secrets if "@" not in s
    ]  # a Jira account email is an identity that may appear in data
    dumped = query(baseline.path, "select string_agg(l::varchar, '') from raw._loads l")[0][0]
    dumped += query(baseline.path, "select coalesce(string_agg(request, ''), '') from raw._rejects")[0][0]
    for token in tokens:
        assert token not in dumped
