"""Rescaled weights: what a scorecard says when some of its metrics had nothing to observe.

The marts score an unobserved metric with no weight and scale the observed metrics' weights up to 100 %
(`effective_weight`), so that a department or a person is not punished for what did not happen. A tier
then carries more than the scheme gives it: core, about 30 % by design, can carry 35 % or more, and a
core part above 30 points is no error. Where that happens the pages say so; this module reads it off the
scored lines (it recomputes nothing: both weights are the marts').
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

TIERS = ("core", "extension")
ROUNDING = 6  # decimals at which a scaled weight counts as changed (the marts' sums are floats)


class ScoredLine(Protocol):
    tier: str
    weight: float
    effective_weight: float
    is_observed: bool


@dataclass(frozen=True)
class Rescaling:
    """The lines that had nothing to observe, and each tier's weight in the scheme and as scored."""

    unobserved: tuple[ScoredLine, ...]
    scheme: dict[str, float]  # tier -> % of the index the scheme gives it
    scored: dict[str, float]  # tier -> % of the index it carries after scaling


def rescaling(lines: Iterable[ScoredLine], tiers: Sequence[str] = TIERS) -> Rescaling | None:
    """How the weights of `lines` (one scorecard's core and extension lines) were scaled; None when
    every line was observed, so each tier carries what the scheme gives it."""
    lines = [line for line in lines if line.tier in tiers]
    scheme = {tier: sum(line.weight for line in lines if line.tier == tier) for tier in tiers}
    scored = {tier: sum(line.effective_weight for line in lines if line.tier == tier) for tier in tiers}
    if all(round(scheme[t] - scored[t], ROUNDING) == 0 for t in tiers):
        return None
    return Rescaling(tuple(line for line in lines if not line.is_observed), scheme, scored)
