"""Lazy, ordered reading of an entity set: the paging engine shared by every API.

Records are generated in slices by creation day and never all at once. To serve "changed since X,
ordered by (modified, key)" page by page, a `Timeline` walks *windows*: the records whose visible
version falls on one local day. A window is built from the slices of the days a record could have
been created on (bounded by the kind's ``max_life``), so the cost of a page does not grow with its
offset. A page position is ``(window day, offset in the filtered window)``; `encode_token` makes it
opaque for ``$skiptoken``, Jira's ``nextPageToken`` and HubSpot's list ``after``. Small LRU caches keep
memory flat however large the set is.
"""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from simulator.clock import local_day
from simulator.records import Record

# (sort instant, key, record, visible version index)
Entry = tuple[int, tuple, Record, int]
Position = tuple[int, int]


class LRU:
    """A tiny bounded mapping; the simulator's only caches."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)


@dataclass(frozen=True)
class Filter:
    """Bounds on the entry instant (``lo`` inclusive, ``hi`` exclusive) plus an optional predicate.

    ``ident`` names the predicate for caching: two filters with the same bounds and ident must select
    the same entries.
    """

    lo: int | None = None
    hi: int | None = None
    pred: Callable[[Entry], bool] | None = None
    ident: str = ""

    @property
    def cache_key(self) -> tuple:
        return (self.lo, self.hi, self.ident)


ALL = Filter()


class WindowedSource:
    """Everything derived from ``window(day)``: filtering, paging, counting, seeking."""

    first_day: int
    last_day: int

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._filtered = LRU(8)
        self._counts: dict[tuple, int] = {}

    def window(self, day: int) -> list[Entry]:  # pragma: no cover - abstract
        raise NotImplementedError

    def day_range(self, f: Filter) -> tuple[int, int]:
        first = self.first_day if f.lo is None else max(self.first_day, local_day(f.lo))
        last = self.last_day if f.hi is None else min(self.last_day, local_day(f.hi - 1))
        return first, last

    def filtered(self, day: int, f: Filter) -> list[Entry]:
        if f is ALL or (f.pred is None and f.lo is None and f.hi is None):
            return self.window(day)
        key = (day, *f.cache_key)
        with self._lock:
            hit = self._filtered.get(key)
            if hit is None:
                hit = [
                    e
                    for e in self.window(day)
                    if (f.lo is None or e[0] >= f.lo)
                    and (f.hi is None or e[0] < f.hi)
                    and (f.pred is None or f.pred(e))
                ]
                self._filtered.put(key, hit)
            return hit

    def count_day(self, day: int, f: Filter) -> int:
        key = (day, *f.cache_key)
        n = self._counts.get(key)
        if n is None:
            n = len(self.filtered(day, f))
            self._counts[key] = n
        return n

    def count(self, f: Filter = ALL) -> int:
        first, last = self.day_range(f)
        return sum(self.count_day(d, f) for d in range(first, last + 1))

    def start(self, f: Filter = ALL) -> Position:
        return (self.day_range(f)[0], 0)

    def seek(self, f: Filter, n: int) -> Position | None:
        """Position of the n-th (0-based) entry, counting windows without keeping them."""
        first, last = self.day_range(f)
        for d in range(first, last + 1):
            c = self.count_day(d, f)
            if n < c:
                return (d, n)
            n -= c
        return None

    def _next_nonempty(self, pos: Position, f: Filter) -> Position | None:
        day, off = pos
        last = self.day_range(f)[1]
        while day <= last:
            if off < self.count_day(day, f):
                return (day, off)
            day, off = day + 1, 0
        return None

    def page(self, f: Filter, pos: Position, limit: int) -> tuple[list[Entry], Position | None]:
        """Up to ``limit`` entries from ``pos`` and the position of the next one (None at the end)."""
        out: list[Entry] = []
        day, off = pos
        last = self.day_range(f)[1]
        while day <= last and len(out) < limit:
            w = self.filtered(day, f)
            take = w[off : off + limit - len(out)]
            out.extend(take)
            off += len(take)
            if off >= len(w):
                day, off = day + 1, 0
        return out, self._next_nonempty((day, off), f)

    def iterate(self, f: Filter = ALL) -> Iterator[Entry]:
        first, last = self.day_range(f)
        for d in range(first, last + 1):
            yield from self.filtered(d, f)


class Timeline(WindowedSource):
    """One entity set ordered by modification (``order="modified"``) or creation (``"created"``).

    Either ``slice_fn(day)`` generates the records created on a day (lazy sets), or ``records`` holds a
    small set in memory. ``max_life`` bounds how many days after creation a record can still change.
    ``shift(record)`` (planted defects only) moves a record's sort instant by up to a day, so paging and
    filtering follow the instant an API renders; windows then look one day further back and forward.
    """

    def __init__(
        self,
        now: int,
        first_day: int,
        last_day: int,
        *,
        slice_fn: Callable[[int], list[Record]] | None = None,
        records: Iterable[Record] | None = None,
        max_life: int = 0,
        order: str = "modified",
        shift: Callable[[Record], int] | None = None,
    ) -> None:
        super().__init__()
        self.now = now
        self.first_day = first_day
        self.shift = shift
        # [defects] a shifted instant can land on the day after its version (even after the as-of day)
        extra = 0 if shift is None else 1
        self.last_day = min(last_day, local_day(now - 1) + extra)
        self.slice_fn = slice_fn
        self.order = order
        self.max_life = (max_life if order == "modified" else 0) + extra
        self._buckets = LRU(self.max_life + 2)
        self._windows = LRU(4)
        self._memory: dict[int, list[Entry]] | None = None
        if records is not None:
            grouped: dict[int, list[Entry]] = {}
            for rec in records:
                entry = self._entry(rec)
                if entry is not None:
                    grouped.setdefault(local_day(entry[0]), []).append(entry)
            for entries in grouped.values():
                entries.sort(key=self._sort_key)
            self._memory = grouped
            if grouped:
                self.first_day = min(self.first_day, min(grouped))

    def _entry(self, rec: Record) -> Entry | None:
        i = rec.visible_index(self.now)
        if i is None:
            return None
        ts = rec.versions[i].ts if self.order == "modified" else rec.created
        if self.shift is not None:  # [defects]
            ts += self.shift(rec)
        return (ts, rec.key, rec, i)

    def _bucket(self, cday: int) -> dict[int, list[Entry]]:
        hit = self._buckets.get(cday)
        if hit is None:
            hit = {}
            assert self.slice_fn is not None
            for rec in self.slice_fn(cday):
                entry = self._entry(rec)
                if entry is not None:
                    hit.setdefault(local_day(entry[0]), []).append(entry)
            self._buckets.put(cday, hit)
        return hit

    def window(self, day: int) -> list[Entry]:
        if self._memory is not None:
            return self._memory.get(day, [])
        with self._lock:
            hit = self._windows.get(day)
            if hit is None:
                hit = []
                for cday in range(max(self.first_day, day - self.max_life), day + 1):
                    hit.extend(self._bucket(cday).get(day, ()))
                hit.sort(key=self._sort_key)
                self._windows.put(day, hit)
            return hit

    def _sort_key(self, e: Entry) -> tuple:
        # creation order is id order (HubSpot lists); modification order breaks ties by key
        return e[1] if self.order == "created" else (e[0], e[1])


class MergedTimeline(WindowedSource):
    """Several timelines read as one (a Jira query over several projects)."""

    def __init__(self, parts: list[WindowedSource]) -> None:
        super().__init__()
        self.parts = parts
        self.first_day = min(p.first_day for p in parts)
        self.last_day = max(p.last_day for p in parts)
        self._windows = LRU(4)

    def window(self, day: int) -> list[Entry]:
        with self._lock:
            hit = self._windows.get(day)
            if hit is None:
                hit = sorted((e for p in self.parts for e in p.window(day)), key=_sort_key)
                self._windows.put(day, hit)
            return hit


def _sort_key(e: Entry) -> tuple:
    return (e[0], e[1])


def encode_token(pos: Position) -> str:
    """Opaque page token for a position."""
    return base64.urlsafe_b64encode(f"{pos[0]}:{pos[1]}".encode()).decode().rstrip("=")


def decode_token(token: str) -> Position:
    """Inverse of `encode_token`; raises ValueError on anything else."""
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    day, off = raw.split(":")
    pos = (int(day), int(off))
    if pos[1] < 0:
        raise ValueError("negative offset")
    return pos
