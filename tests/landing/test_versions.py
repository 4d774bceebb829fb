"""Which version is the newest: reverts, deletes that are undone, stale re-reads."""

from __future__ import annotations

import pytest

from connectors.core.streams import Stream
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import prepare_page

# Date-granular change stamps, as BambooHR's time-off `status.lastChanged`: a change and its undoing
# can carry the same stamp.
STREAM = Stream(name="requests", path="p", primary_key=("id",), description="d", updated_at="changed")


def land(store: RawStore, *records: dict, batch: str = "b") -> int:
    page = prepare_page(STREAM, records)
    return store.land_page(
        "hr", "requests", batch, page, checkpoint=None, request="test", pruned_by_time=True
    )


def latest(store: RawStore, key: str) -> tuple:
    return store.query(
        "select _payload->>'status', _is_deleted from raw.hr__requests where _key = ? "
        "order by _extracted_at desc limit 1",
        [key],
    )[0]


@pytest.fixture()
def store(tmp_path):
    with RawStore(tmp_path / "w.duckdb") as raw_store:
        raw_store.ensure_table("hr", "requests")
        raw_store.begin_batch("hr", "requests", None)
        yield raw_store


def test_a_record_that_changes_back_lands_again_as_the_newest_version(store):
    approved = {"id": 1, "status": "approved", "changed": "2026-03-01"}
    cancelled = {"id": 1, "status": "cancelled", "changed": "2026-03-01"}
    assert [land(store, approved), land(store, cancelled), land(store, approved)] == [1, 1, 1]
    assert latest(store, "1") == ("approved", False)


def test_the_same_record_read_again_is_not_written_again(store):
    record = {"id": 2, "status": "approved", "changed": "2026-03-01"}
    assert [land(store, record), land(store, record), land(store, record)] == [1, 0, 0]


def test_a_stale_read_older_than_the_latest_version_is_not_landed(store):
    land(store, {"id": 3, "status": "requested", "changed": "2026-03-01"})
    land(store, {"id": 3, "status": "approved", "changed": "2026-03-05"})
    assert land(store, {"id": 3, "status": "requested", "changed": "2026-03-01"}) == 0
    assert latest(store, "3") == ("approved", False)


def test_a_deleted_record_that_reappears_lands_again(store):
    record = {"id": 4, "status": "approved", "changed": "2026-03-01"}
    land(store, record, {"id": 5, "status": "approved", "changed": "2026-03-01"})
    assert store.tombstone_missing("hr", "requests", "b", present_keys=["5"]) == 1
    assert latest(store, "4") == ("approved", True)
    assert land(store, record) == 1, "the record is back in the source"
    assert latest(store, "4") == ("approved", False)


def test_two_versions_of_a_key_in_one_page_keep_the_last_one_sent(store):
    first = {"id": 6, "status": "requested", "changed": "2026-03-01"}
    second = {"id": 6, "status": "approved", "changed": "2026-03-01"}
    assert land(store, first, second) == 1
    assert latest(store, "6") == ("approved", False)


def test_pruning_by_time_never_hides_the_latest_version(store):
    land(store, {"id": 7, "status": "approved", "changed": "2025-01-01"})
    # a page whose earliest stamp is much later: the key's old version lies outside the window
    assert (
        land(
            store,
            {"id": 8, "status": "approved", "changed": "2026-06-01"},
            {"id": 7, "status": "approved", "changed": "2025-01-01"},
        )
        == 1
    )
    assert store.query("select count(*) from raw.hr__requests where _key = '7'")[0][0] == 1


def test_a_change_stamp_that_does_not_read_lands_without_one_and_versions_by_content(store):
    garbled = {"id": 9, "status": "approved", "changed": "31.02.2026"}
    # beside a readable stamp in the same page: the time window cannot apply, every key is compared
    assert land(store, garbled, {"id": 10, "status": "approved", "changed": "2026-03-01"}) == 2
    assert store.query("select _source_updated_at from raw.hr__requests where _key = '9'") == [(None,)]
    assert land(store, garbled) == 0, "the same content read again is not written again"
    assert land(store, {"id": 9, "status": "cancelled", "changed": "31.02.2026"}) == 1
    assert land(store, {"id": 9, "status": "cancelled", "changed": "2026-03-09"}) == 1, "stamp readable again"
    assert latest(store, "9") == ("cancelled", False)
