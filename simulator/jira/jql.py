"""A strict parser for the JQL subset the simulator serves (see PROTOCOLS.md, "Ticketing").

Grammar: ``clause (AND clause)* [ORDER BY updated [ASC] [, key [ASC]]]`` where a clause is
``project = K`` | ``project in (K, ...)`` | ``issuetype = T`` | ``issuetype in (T, ...)`` |
``updated (>=|>|<|<=) "yyyy-MM-dd HH:mm"`` (or ``"yyyy-MM-dd"``, or the ``yyyy/MM/dd`` spelling).
Dates are read in the searching user's time zone (`myself`: Asia/Shanghai) at minute granularity; the
comparison is against that instant, so ``updated >= "2026-03-01 10:03"`` includes 10:03:00 and later.
Anything else raises `JqlError` (answered as 400).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from simulator.company.jira import ISSUE_TYPES

_TOKEN = re.compile(
    r'\s*(?:(>=|<=|!=|=|>|<|\(|\)|,)|"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|([A-Za-z0-9_\-./:]+))'
)
_DATE = re.compile(r"(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$")


class JqlError(ValueError):
    """JQL outside the supported subset."""


@dataclass(frozen=True)
class JqlQuery:
    projects: tuple[str, ...] | None
    issuetypes: tuple[str, ...] | None
    lo: int | None  # updated lower bound, inclusive (epoch s)
    hi: int | None  # upper bound, exclusive


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise JqlError(f"Error in the JQL Query: unexpected character at position {pos}.")
        op, dq, sq, word = m.groups()
        if op:
            out.append(("op", op))
        elif dq is not None or sq is not None:
            out.append(("str", dq if dq is not None else sq))
        else:
            out.append(("word", word))
        pos = m.end()
    return out


def _instant(text: str, offset_minutes: int) -> int:
    m = _DATE.match(text.strip())
    if not m:
        raise JqlError(
            f"Date value '{text}' for field 'updated' is invalid. Valid formats include: "
            "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'."
        )
    y, mo, d, hh, mm = m.groups()
    try:
        dt = datetime(
            int(y),
            int(mo),
            int(d),
            int(hh or 0),
            int(mm or 0),
            tzinfo=timezone(timedelta(minutes=offset_minutes)),
        )
    except ValueError as exc:
        raise JqlError(f"Date value '{text}' for field 'updated' is invalid.") from exc
    return int(dt.timestamp())


def parse_jql(text: str, projects: tuple[str, ...], offset_minutes: int = 480) -> JqlQuery:
    """Parse ``text``; ``projects`` are the known project keys."""
    toks = _tokens(text or "")
    i = 0
    proj: set[str] | None = None
    types: set[str] | None = None
    lo: int | None = None
    hi: int | None = None
    known_types = {t.lower(): t for ts in ISSUE_TYPES.values() for t in ts}

    def peek(k: int = 0) -> tuple[str, str] | None:
        return toks[i + k] if i + k < len(toks) else None

    def is_word(tok: tuple[str, str] | None, *words: str) -> bool:
        return tok is not None and tok[0] == "word" and tok[1].lower() in words

    def values() -> list[str]:
        nonlocal i
        tok = peek()
        if tok == ("op", "("):
            i += 1
            out = []
            while True:
                tok = peek()
                if tok is None or tok[0] == "op":
                    raise JqlError("Error in the JQL Query: expecting a value in the list.")
                out.append(tok[1])
                i += 1
                tok = peek()
                if tok == ("op", ")"):
                    i += 1
                    return out
                if tok != ("op", ","):
                    raise JqlError("Error in the JQL Query: expecting ',' or ')'.")
                i += 1
        if tok is None or tok[0] == "op":
            raise JqlError("Error in the JQL Query: expecting a value.")
        i += 1
        return [tok[1]]

    while i < len(toks) and not is_word(peek(), "order"):
        if proj is not None or types is not None or lo is not None or hi is not None:
            if not is_word(peek(), "and"):
                raise JqlError("Error in the JQL Query: only AND is supported between clauses.")
            i += 1
        field, op = peek(), peek(1)
        if field is None or field[0] != "word" or op is None:
            raise JqlError("Error in the JQL Query: expecting a field name and an operator.")
        name = field[1].lower()
        i += 2
        if name in ("project", "issuetype", "type"):
            if op not in (("op", "="),) and not is_word(op, "in"):
                raise JqlError(f"The operator '{op[1]}' is not supported for field '{field[1]}'.")
            if op == ("op", "=") and peek() == ("op", "("):
                raise JqlError("Error in the JQL Query: use 'in' with a list.")
            vals = values()
            if name == "project":
                bad = [v for v in vals if v.upper() not in projects]
                if bad:
                    raise JqlError(f"The value '{bad[0]}' does not exist for the field 'project'.")
                new = {v.upper() for v in vals}
                proj = new if proj is None else proj & new
            else:
                bad = [v for v in vals if v.lower() not in known_types]
                if bad:
                    raise JqlError(f"The value '{bad[0]}' does not exist for the field 'issuetype'.")
                new = {known_types[v.lower()] for v in vals}
                types = new if types is None else types & new
        elif name == "updated":
            if op[0] != "op" or op[1] not in (">=", ">", "<", "<="):
                raise JqlError(f"The operator '{op[1]}' is not supported for field 'updated'.")
            tok = peek()
            if tok is None or tok[0] not in ("str", "word"):
                raise JqlError("Error in the JQL Query: expecting a date after the operator.")
            i += 1
            t = _instant(tok[1], offset_minutes)
            if op[1] == ">=":
                lo = t if lo is None else max(lo, t)
            elif op[1] == ">":
                lo = t + 1 if lo is None else max(lo, t + 1)
            elif op[1] == "<":
                hi = t if hi is None else min(hi, t)
            else:
                hi = t + 1 if hi is None else min(hi, t + 1)
        else:
            raise JqlError(f"Field '{field[1]}' is not supported by this JQL subset.")
    if i < len(toks):
        if not is_word(peek(1), "by"):
            raise JqlError("Error in the JQL Query: expecting 'BY' after 'ORDER'.")
        i += 2
        order = []
        while i < len(toks):
            tok = peek()
            if tok is None or tok[0] != "word":
                raise JqlError("Error in the JQL Query: expecting a field in ORDER BY.")
            item = [tok[1].lower()]
            i += 1
            if is_word(peek(), "asc", "desc"):
                item.append(peek()[1].lower())  # type: ignore[index]
                i += 1
            order.append(tuple(item))
            if peek() == ("op", ","):
                i += 1
            elif peek() is not None:
                raise JqlError("Error in the JQL Query: expecting ',' in ORDER BY.")
        allowed = [[("updated",), ("updated", "asc")], [("key",), ("key", "asc")]]
        if not order or len(order) > 2 or any(o not in allowed[k] for k, o in enumerate(order)):
            raise JqlError("Only 'ORDER BY updated ASC[, key ASC]' is supported.")
    return JqlQuery(
        tuple(sorted(proj)) if proj is not None else None,
        tuple(sorted(types)) if types is not None else None,
        lo,
        hi,
    )
