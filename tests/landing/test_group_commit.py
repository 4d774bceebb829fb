"""The writer thread: pages land in order per stream, a failing page fails its own stream only, and no
cursor passes a page that did not land."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.core.streams import Stream
from connectors.landing.raw_store import PageToLand, PreparedPage, RawStore
from connectors.landing.runner import prepare_page

STREAM = Stream(name="s", path="p", primary_key=("id",), description="d", updated_at="changed")


def page(*ids: int) -> PreparedPage:
    return prepare_page(STREAM, [{"id": i, "changed": f"2026-03-0{i % 9 + 1}"} for i in ids])


def broken_page() -> PreparedPage:
    """A page DuckDB refuses (a payload that is not JSON): what a disk or engine error looks like."""
    bad = page(99)
    bad.payloads[0] = "{not json"
    return bad


def at(day: int) -> datetime:
    return datetime(2026, 3, day, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path):
    with RawStore(tmp_path / "w.duckdb") as raw_store:
        for stream in ("a", "b"):
            raw_store.ensure_table("hr", stream)
        yield raw_store


def submit(store: RawStore, stream: str, batch: str, prepared: PreparedPage, checkpoint: datetime):
    return store.submit_page(
        "hr", stream, batch, prepared, checkpoint=checkpoint, request="GET /x", pruned_by_time=True
    )


def state(store: RawStore, stream: str) -> tuple:
    rows = store.query(f"select count(*) from raw.hr__{stream}")[0][0]
    return rows, store.cursor("hr", stream)[0]


def test_a_failed_page_stops_its_stream_at_the_page_before_and_spares_the_others(store):
    a = store.begin_batch("hr", "a", None)
    b = store.begin_batch("hr", "b", None)
    assert store.wait([submit(store, "a", a, page(1, 2), at(1))]) == 2
    failed = submit(store, "a", a, broken_page(), at(2))
    b1 = submit(store, "b", b, page(1), at(3))
    after = submit(store, "a", a, page(3), at(4))
    b2 = submit(store, "b", b, page(2, 3), at(5))
    assert store.wait([b1, b2]) == 3
    for refused in (failed, after):
        with pytest.raises(Exception, match="JSON"):
            refused.result()
    assert state(store, "a") == (2, at(1))  # page 3 would have moved the cursor past the lost page
    assert state(store, "b") == (3, at(5))
    assert store.ledger(a)["pages"] == 1 and store.ledger(b)["pages"] == 2


def test_one_group_with_a_bad_page_lands_the_other_streams_pages_in_their_own_transaction(store):
    a = store.begin_batch("hr", "a", None)
    b = store.begin_batch("hr", "b", None)
    group = [
        PageToLand("hr", "b", b, page(1), at(1), "GET /x", True),
        PageToLand("hr", "a", a, broken_page(), at(2), "GET /x", True),
        PageToLand("hr", "b", b, page(2), at(3), "GET /x", True),
    ]
    with store._lock:
        store._land_group(group)
    assert [item.landed.exception() is None for item in group] == [True, False, True]
    assert state(store, "a") == (0, None)
    assert state(store, "b") == (2, at(3))
    ledger = store.ledger(b)
    assert (ledger["pages"], ledger["rows_inserted"], ledger["cursor_to"]) == (2, 2, at(3))


def test_pages_of_one_stream_land_in_the_order_they_were_read(store):
    a = store.begin_batch("hr", "a", None)
    changed = [prepare_page(STREAM, [{"id": 1, "changed": "2026-03-01", "v": v}]) for v in range(40)]
    futures = [submit(store, "a", a, p, at(1)) for p in changed]
    assert store.wait(futures) == 40
    assert store.query("select _payload->>'v' from raw.hr__a order by _extracted_at desc limit 1") == [
        ("39",)
    ]
