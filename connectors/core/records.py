"""What makes a raw record: its key, its content hash, its source timestamp, and why it may be refused.

Only a record without a usable key (or, on an incremental stream, cursor) is refused; the values of
its other fields are staging's to judge (`dbt_project/macros/field_checks.sql`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

_MISSING = object()
# Datetimes (from custom readers) go through `default=str`, exactly as the standard library wrote them.
_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
# The lower bound of a first read: everything the source has.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def dig(obj: Any, path: str | None, default: Any = None) -> Any:
    """`dig(r, "fields.assignee.emailAddress")`: a dotted path into nested dicts, `default` when absent.

    A whole key that contains dots (OData's `@odata.nextLink`) wins over splitting it.
    """
    if path is None:
        return obj
    if not isinstance(obj, Mapping):
        return default
    if path in obj:
        return obj[path]
    head, _, rest = path.partition(".")
    if rest and head in obj:
        return dig(obj[head], rest, default)
    return default


def parse_instant(value: Any) -> datetime | None:
    """Any timestamp the four APIs send, as an aware UTC datetime; None for empty; ValueError if garbled.

    Seen in the wild: `2026-03-01T02:03:04Z`, `...+00:00`, Jira's `2026-03-01T10:03:04.000+0800`,
    HubSpot epoch milliseconds, plain dates (read as midnight UTC), BambooHR's `0000-00-00` for "none".
    """
    if value is None or value == "" or value == "0000-00-00":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")
    text = value.strip()
    if text.isdigit() and len(text) >= 12:
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    try:
        # Python 3.11 reads `Z` and `+0800` itself; the rewrite below is for anything it still refuses.
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(_OFFSET_WITHOUT_COLON.sub(r"\1:\2", text.replace("Z", "+00:00")))
        except ValueError:
            raise ValueError(f"not a timestamp: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def canonical_json(record: Any) -> str:
    """Key-sorted compact JSON: equal content gives equal text, whatever order the API sent keys in.

    Written once per record on the extraction's one busy core, so by orjson: several times faster than
    the standard library, and the same text (sorted keys, no spaces, UTF-8 unescaped), except that a
    float below 1e-4 in magnitude is spelled differently (0.000015 and 1e-7 where Python writes
    1.5e-05 and 1e-07): such a record lands once more after an upgrade, as a version of equal content.
    Integers beyond 64 bits, which orjson refuses, are written by the standard library.
    """
    try:
        return orjson.dumps(record, option=_CANONICAL, default=str).decode()
    except orjson.JSONEncodeError:
        return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(canonical: str) -> str:
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


def without_keys(record: Any, names: frozenset[str]) -> Any:
    """The record minus every key in `names`, at any depth: what the content hash is computed over.

    Called on every Jira record (a few hundred nodes with its changelog), so it only recurses into
    containers, and tests types exactly: parsed JSON holds plain dicts and lists.
    """
    if isinstance(record, dict):
        return {
            k: without_keys(v, names) if isinstance(v, dict | list) else v
            for k, v in record.items()
            if k not in names
        }
    if isinstance(record, list):
        return [without_keys(v, names) if isinstance(v, dict | list) else v for v in record]
    return record


def record_key(record: Mapping[str, Any], primary_key: tuple[str, ...]) -> str:
    """The `_key` column: the primary key's value, or its parts joined by `|` for a composite key (a `|` or
    `\\` inside a part is escaped with `\\`, so that two different keys never join to the same text)."""
    parts = []
    for path in primary_key:
        value = dig(record, path, _MISSING)
        if value is _MISSING or value is None or value == "":
            raise RecordRejected(f"missing primary key field '{path}'")
        if isinstance(value, list | dict):
            # str() of a container is no identity the source would recognise, and two spellings of
            # the same list would land as two records.
            kind = "a list" if isinstance(value, list) else "an object"
            raise RecordRejected(f"primary key field '{path}' is {kind}, not a scalar")
        parts.append(str(value))
    if len(parts) == 1:
        return parts[0]
    return "|".join(p.replace("\\", "\\\\").replace("|", "\\|") for p in parts)


class RecordRejected(ValueError):
    """A record that cannot be landed; the reason goes to `raw._rejects` with the raw text."""
