"""Versioned records: the unit of truth every API renders.

A record is a list of versions; each version carries only the fields that changed, and the full state
at a version is the fold of the deltas up to it. What an API shows is the latest version strictly
before `now`, so the rendered JSON depends on that version alone and not on `now` itself: when the
as-of advances, only records that gained a version render differently.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any


def rng(*parts: object) -> random.Random:
    """A generator seeded from a readable path, e.g. ``rng(42, "s", "gl", day)``.

    ``random.Random`` seeds from a string through SHA-512, so this is stable across processes and
    independent of ``PYTHONHASHSEED``.
    """
    return random.Random(":".join(str(p) for p in parts))


def unit(*parts: object) -> float:
    """A deterministic float in [0, 1) from a path; cheaper than building a ``Random``."""
    digest = hashlib.blake2b(":".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def poisson(r: random.Random, lam: float) -> int:
    """Poisson draw (Knuth for small means, a rounded normal for large ones)."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(r.gauss(lam, lam**0.5)))
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= r.random()
        if p <= limit:
            return k
        k += 1


@dataclass(slots=True)
class Version:
    """One change of a record: when, who (an actor id the API maps to a user), and the changed fields."""

    ts: int
    changes: dict[str, Any]
    actor: Any = None


@dataclass(slots=True)
class Record:
    """One entity with its history.

    ``key`` orders records of a kind (ties in modification time are broken by it). ``deleted_at``
    marks a hard delete (OData rows that vanish). ``malformed`` and ``orphan`` name the mess applied
    to this record (see ``mess.py``); ``truth`` holds facts an oracle needs that no API shows.
    """

    kind: str
    key: tuple
    versions: list[Version]
    deleted_at: int | None = None
    malformed: str | None = None
    orphan: str | None = None
    truth: dict[str, Any] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return self.versions[0].ts

    def visible_index(self, now: int) -> int | None:
        """Index of the latest version strictly before ``now``; None if absent (not yet, or deleted)."""
        if self.versions[0].ts >= now or (self.deleted_at is not None and self.deleted_at < now):
            return None
        i = len(self.versions) - 1
        while self.versions[i].ts >= now:
            i -= 1
        return i

    def state(self, index: int) -> dict[str, Any]:
        """Full field state at version ``index``."""
        out: dict[str, Any] = {}
        for v in self.versions[: index + 1]:
            out.update(v.changes)
        return out
