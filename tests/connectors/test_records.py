"""Keys, hashes, timestamps and what makes a record landable: the rules every record passes through."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors.core.records import (
    RecordRejected,
    canonical_json,
    dig,
    parse_instant,
    record_key,
)
from connectors.core.streams import Stream
from connectors.landing.runner import prepare_page
from connectors.sources import SOURCES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T02:03:04Z", datetime(2026, 3, 1, 2, 3, 4, tzinfo=UTC)),
        ("2026-03-01T10:03:04.000+0800", datetime(2026, 3, 1, 2, 3, 4, tzinfo=UTC)),
        ("2026-03-01T10:03:04+08:00", datetime(2026, 3, 1, 2, 3, 4, tzinfo=UTC)),
        ("1772330584000", datetime(2026, 3, 1, 2, 3, 4, tzinfo=UTC)),
        ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
        ("0000-00-00", None),
        (None, None),
    ],
)
def test_every_timestamp_shape_the_apis_send_reads_as_utc(text, expected):
    assert parse_instant(text) == expected


def test_a_garbled_timestamp_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="not a timestamp"):
        parse_instant("yesterday-ish")


def test_composite_keys_join_their_parts_and_missing_parts_are_rejected():
    assert record_key({"d": "2026-01-01", "f": "USD", "t": "CNY"}, ("d", "f", "t")) == "2026-01-01|USD|CNY"
    with pytest.raises(RecordRejected, match="missing primary key field 't'"):
        record_key({"d": "2026-01-01", "f": "USD"}, ("d", "f", "t"))


def test_a_bar_inside_a_composite_key_part_cannot_make_two_keys_equal():
    first = record_key({"a": "x|y", "b": "z"}, ("a", "b"))
    second = record_key({"a": "x", "b": "y|z"}, ("a", "b"))
    assert first != second
    assert record_key({"id": "a|b"}, ("id",)) == "a|b", "a single-part key is kept as the source sent it"


def test_dotted_keys_win_over_nested_paths():
    assert dig({"@odata.nextLink": "x"}, "@odata.nextLink") == "x"
    assert dig({"paging": {"next": {"after": "5"}}}, "paging.next.after") == "5"


def test_a_record_lands_as_the_source_sent_it_whatever_its_other_fields_hold():
    stream = SOURCES["hr"].stream("employees")  # the real declaration
    changed = "2026-10-01T02:00:00+00:00"
    sent = [
        {"id": "1", "lastChanged": changed, "workEmail": "a@example.com"},
        {"workEmail": "a@example.com", "lastChanged": changed, "id": "1"},
        {"id": "2", "lastChanged": changed, "hireDate": "0000-00-00", "payRate": "1.234,56 CNY"},
        "not an object",
        {"lastChanged": changed},
    ]
    page = prepare_page(stream, sent)
    assert page.keys == ["1", "1", "2"] and page.hashes[0] == page.hashes[1]
    assert json.loads(page.payloads[2]) == sent[2], "raw keeps the malformed values exactly"
    assert [r[1] for r in page.rejects] == [
        "record #3 is not a JSON object",
        "missing primary key field 'id'",
    ]
    assert page.fetched == 5


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (["RD-1", "RD-2"], "primary key field 'id' is a list, not a scalar"),
        ({"value": 7}, "primary key field 'id' is an object, not a scalar"),
    ],
)
def test_a_key_must_be_a_scalar(key, reason):
    with pytest.raises(RecordRejected, match=reason):
        record_key({"id": key}, ("id",))
    # the real declaration of a stream keyed by `id`, as landing prepares its page
    page = prepare_page(SOURCES["ticketing"].stream("rd_issues"), [_jira_issue(key), _jira_issue("10001")])
    assert page.keys == ["10001"]
    [(rejected_key, why, text, _)] = page.rejects
    assert rejected_key is None and why == reason and json.loads(text)["id"] == key


def _jira_issue(issue_id: object) -> dict:
    return {"id": issue_id, "key": "RD-1", "fields": {"updated": "2026-10-01T10:00:00.000+0800"}}


def test_an_incremental_stream_needs_a_readable_cursor_and_nothing_else():
    stream = SOURCES["ticketing"].stream("rd_issues")
    garbled = _jira_issue("3") | {"fields": {"updated": "2026-02-30T25:61:00.000+0800"}}
    missing = _jira_issue("4") | {"fields": {}}
    odd = _jira_issue("5") | {"fields": {"updated": "2026-10-01T10:00:00.000+0800", "created": "yesterday"}}
    page = prepare_page(stream, [garbled, missing, odd])
    assert page.keys == ["5"] and page.updated_at == [datetime(2026, 10, 1, 2, tzinfo=UTC)]
    assert [(key, why) for key, why, *_ in page.rejects] == [
        ("3", "cursor field 'fields.updated' is not a timestamp: '2026-02-30T25:61:00.000+0800'"),
        ("4", "missing cursor field 'fields.updated'"),
    ]


def test_an_unreadable_updated_at_outside_a_cursor_lands_without_a_source_timestamp():
    stream = SOURCES["crm"].stream("goal_targets")  # `updated_at` declared, read in full (no cursor)
    goal = {"id": "9", "properties": {"hs_lastmodifieddate": "2026-10-01T02:00:00.000Z"}}
    garbled = {"id": "10", "properties": {"hs_lastmodifieddate": "last Tuesday"}}
    page = prepare_page(stream, [goal, garbled])
    assert page.keys == ["9", "10"] and not page.rejects
    assert page.updated_at == [datetime(2026, 10, 1, 2, tzinfo=UTC), None]


def test_links_that_locate_a_record_do_not_change_its_content_hash():
    stream = Stream(name="s", path="p", primary_key=("id",), description="d", not_hashed=frozenset({"self"}))
    moved = [
        {
            "id": 1,
            "self": "https://old.example/1",
            "assignee": {"self": "https://old.example/u", "name": "a"},
        },
        {
            "id": 1,
            "self": "https://new.example/1",
            "assignee": {"self": "https://new.example/u", "name": "a"},
        },
    ]
    page = prepare_page(stream, moved)
    assert page.hashes[0] == page.hashes[1]
    assert "https://new.example/1" in page.payloads[1], "the payload keeps the record as sent"


STDLIB_CANONICAL = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False, "default": str}


@pytest.mark.parametrize(
    "record",
    [
        {"b": 1, "a": {"z": [3, 2.5, None, True], "y": '北京 "quoted" \\ \n\t\u0001'}},
        {"amount": 1234567.891, "small": 0.00012, "big": 1.5e300, "neg": -0.0, "int": 2**63 - 1},
        {"id": 2**70, "nested": [{"k": 2**64}]},  # beyond 64 bits: the standard library writes it
        {"when": datetime(2026, 3, 1, tzinfo=UTC), "emoji": "✓😀"},
    ],
)
def test_canonical_text_is_the_standard_librarys_so_landed_hashes_stay_valid(record):
    assert canonical_json(record) == json.dumps(record, **STDLIB_CANONICAL)


def test_the_one_documented_difference_still_reads_back_exactly():
    record = {"rate": 1.5e-05, "tiny": 1e-07}
    assert canonical_json(record) == '{"rate":0.000015,"tiny":1e-7}'  # Python: 1.5e-05, 1e-07
    assert json.loads(canonical_json(record)) == record
