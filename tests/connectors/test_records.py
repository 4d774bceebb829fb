"""Keys, hashes, timestamps and validation: the rules every record passes through."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors.core.records import (
    RecordRejected,
    canonical_json,
    check_field,
    dig,
    parse_instant,
    record_key,
)
from connectors.core.streams import Stream
from connectors.landing.runner import prepare_page


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


@pytest.mark.parametrize(
    ("value", "kind", "reason"),
    [
        ("N/A", "number", "is not a number"),
        ("31/12/2026", "date", "is not a date"),
        ("", "required", "missing required field"),
        (True, "number", "is not a number"),
    ],
)
def test_checks_name_the_field_and_the_problem(value, kind, reason):
    with pytest.raises(RecordRejected, match=reason):
        check_field({"f": value}, "f", kind)


def test_a_page_splits_into_versions_and_rejects_and_key_order_does_not_change_the_hash():
    stream = Stream(name="s", path="p", primary_key=("id",), description="d", checks={"n": "number"})
    page = prepare_page(stream, [{"id": 1, "n": 2}, {"n": 2, "id": 1}, {"id": 2, "n": "x"}, "not an object"])
    assert page.keys == ["1", "1"] and page.hashes[0] == page.hashes[1]
    assert [r[1] for r in page.rejects] == [
        "field 'n' is not a number: 'x'",
        "record #3 is not a JSON object",
    ]
    assert page.fetched == 4


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
