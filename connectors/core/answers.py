"""What a readable answer is: a JSON body, with the records where the stream says and in the shape it says.

Anything else (an empty body, a login page, bytes that are not UTF-8, JSON without its records array or
with a mapping where a list belongs) is a problem to retry and then to report; it is never read as an
empty page, because an empty page read in full would mark every live key deleted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from connectors.core.records import dig

Shape = Literal["list", "by_id", "one"]
_MISSING = object()
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_KEYS_SHOWN = 12

# What to do, per kind of problem; `{base_url}` is the source's base-URL variable.
CHECK_SERVICE = (
    "if it persists, check the service's status and what sits between it and this machine (a proxy or "
    "gateway that drops bodies)"
)
CHECK_BASE_URL = (
    "an HTML page usually means that {base_url} points at a login page or a proxy, not at the API: "
    "check it, and that the network path needs no browser sign-in"
)
CHECK_ENCODING = (
    "JSON must be UTF-8; a proxy that re-encodes bodies, or a wrong base URL ({base_url}), sends other bytes"
)
CHECK_SHAPE = (
    "the answer does not have the shape this connector reads: check that {base_url} is the API root of "
    "the product the source module expects, and the API version it serves"
)


class UnreadableAnswer(ValueError):
    """One answer's problem, in words a user can act on; the HTTP client adds source, stream and request."""

    def __init__(self, problem: str, hint: str = CHECK_SHAPE) -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(problem)


def parse_body(body: bytes, content_type: str | None = None) -> Any:
    """The JSON document of a 2xx body, or UnreadableAnswer saying what came instead."""
    if not body.strip():
        raise UnreadableAnswer(f"an empty body ({len(body)} bytes)", CHECK_SERVICE)
    if body.lstrip()[:1] == b"<":  # no JSON document starts with '<'
        raise UnreadableAnswer(f"an HTML page instead of JSON ({_describe_page(body)})", CHECK_BASE_URL)
    try:
        return json.loads(body)
    except UnicodeDecodeError as exc:
        raise UnreadableAnswer(
            f"a body that is not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start} of "
            f"{len(body)})",
            CHECK_ENCODING,
        ) from None
    except ValueError as exc:
        kind = content_type or "no Content-Type"
        if "html" in kind.lower():
            page = _describe_page(body)
            raise UnreadableAnswer(f"an HTML page instead of JSON ({page})", CHECK_BASE_URL) from None
        raise UnreadableAnswer(
            f"a body that is not JSON, or JSON cut short ({len(body)} bytes, {kind}: {exc})", CHECK_SHAPE
        ) from None


def _describe_page(body: bytes) -> str:
    title = _TITLE.search(body[:4096])
    text = title.group(1) if title else body[:80]
    words = " ".join(text.decode("utf-8", errors="replace").split())
    return f"{'title' if title else 'begins'} {words!r}, {len(body)} bytes"


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a JSON object"
    if isinstance(value, list):
        return "a JSON array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a string" if isinstance(value, str) else "a number"


def _keys(obj: Mapping[str, Any]) -> str:
    names = [str(k) for k in list(obj)[: _KEYS_SHOWN + 1]]
    if not names:
        return "none (an empty object)"
    shown = ", ".join(names[:_KEYS_SHOWN])
    return shown + ", ..." if len(names) > _KEYS_SHOWN else shown


@dataclass(frozen=True)
class Records:
    """Where an answer holds its records, and in which shape, so that nothing else passes for them.

    `at` is a dotted path into the body (None: the body itself). `shape` is `list` (a JSON array of
    records), `by_id` (an object keyed by record id, as BambooHR sends some collections:
    `{"7": {...}, "8": {...}}`; empty, PHP encodes it as `[]`) or `one` (the body is a single record).
    """

    at: str | None = None
    shape: Shape = "list"

    def extract(self, body: Any) -> list[Any]:
        """The records, or UnreadableAnswer; a missing, null or mistyped records field is never `[]`."""
        if self.shape == "by_id":
            return list(self.by_id(body).values())
        found = self._locate(body)
        if self.shape == "one":
            if not isinstance(found, Mapping):
                raise UnreadableAnswer(f"{_kind(found)} where one record (a JSON object) was expected")
            return [found]
        if not isinstance(found, list):
            detail = f" (keys: {_keys(found)})" if isinstance(found, Mapping) else ""
            raise UnreadableAnswer(f"{self._name()} is {_kind(found)}{detail}, not an array of records")
        return found

    def by_id(self, body: Any) -> Mapping[str, Any]:
        """The collection keyed by id (shape `by_id`), with its keys, as a mapping."""
        found = self._locate(body)
        if isinstance(found, list) and not found:
            return {}
        if not isinstance(found, Mapping):
            raise UnreadableAnswer(f"{self._name()} is {_kind(found)}, not an object of records keyed by id")
        return found

    def _name(self) -> str:
        return f"the records field '{self.at}'" if self.at else "the body"

    def _locate(self, body: Any) -> Any:
        if self.at is None:
            return body
        if not isinstance(body, Mapping):
            raise UnreadableAnswer(f"{_kind(body)} where an object holding '{self.at}' was expected")
        found = dig(body, self.at, _MISSING)
        if found is _MISSING:
            container = "array" if self.shape == "list" else "object"
            raise UnreadableAnswer(
                f"JSON without its records {container} '{self.at}'; top-level keys: {_keys(body)}"
            )
        if found is None:
            raise UnreadableAnswer(f"{self._name()} is null, not records")
        return found
