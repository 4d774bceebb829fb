"""Which sources a run reads from their configured services and which from the bundled simulator.

The simulator is the embedded default: it serves a deployment that configures no source at all (the
demo, the tests, `dagster dev` on a fresh clone), or, when `DCW_SIMULATOR=1` asks for it, the sources
that have none of their variables set. A deployment that configures some sources and forgets another
is refused, in one message naming what each incomplete source lacks: otherwise the forgotten source
would be read from the simulator and its invented employees published as the company's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from connectors.core.source import Source
from connectors.settings import (
    SIMULATOR_ENV,
    SourceSettings,
    env_name,
    settings_from_env,
    simulator_requested,
)
from connectors.sources import SOURCES

BASE_URL = "base_url"


class PartialConfiguration(ValueError):
    """Some sources are configured and others are not: the message says what to set, source by source."""


def _is_set(source: str, key: str) -> bool:
    return bool(os.environ.get(env_name(source, key), "").strip())


def is_touched(source: Source) -> bool:
    """True when any of the source's location or credential variables is set: the deployment means to
    read it from a real service."""
    return any(_is_set(source.name, key) for key in (BASE_URL, *source.secret_keys))


def missing_variables(source: Source) -> tuple[tuple[str, ...], ...]:
    """For each way of authenticating, the variables still unset, the way closest to complete first (of
    two as close, the one begun); `()` when one way is complete."""
    base = () if _is_set(source.name, BASE_URL) else (env_name(source.name, BASE_URL),)
    ways = []
    for keys in source.credentials or ((),):
        unset = tuple(env_name(source.name, key) for key in keys if not _is_set(source.name, key))
        ways.append((len(unset), len(unset) - len(keys), base + unset))
    if any(not missing for *_, missing in ways):
        return ()
    return tuple(missing for *_, missing in sorted(ways, key=lambda way: way[:2]))


def _listed(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def _what_to_set(source: Source, ways: tuple[tuple[str, ...], ...]) -> str:
    """`erp (OData v4 ...): set DCW_ERP_BASE_URL and DCW_ERP_TOKEN, or DCW_ERP_USERNAME and
    DCW_ERP_PASSWORD`: the base URL, which every way needs, named once."""
    base = env_name(source.name, BASE_URL)
    first, *others = ways
    alternatives = [_listed(list(first)), *(_listed([v for v in way if v != base]) for way in others)]
    return f"{source.name} ({source.product}): set {', or '.join(alternatives)}"


def plan_sources(
    selected: Iterable[str], sources: Mapping[str, Source] = SOURCES
) -> dict[str, SourceSettings | None]:
    """The selected sources' settings from the environment, or None for each the simulator is to serve.

    Whether the simulator may serve is decided over every registered source, not only the selected
    ones: reading `hr` alone from the simulator into a warehouse whose CRM data is real is the same
    mistake. Raises `PartialConfiguration`, naming each selected source that is neither configured nor
    allowed to be simulated.
    """
    simulator_allowed = simulator_requested() or not any(is_touched(s) for s in sources.values())
    plan: dict[str, SourceSettings | None] = {}
    gaps: list[str] = []
    hint = False
    for name in sorted(set(selected), key=list(sources).index):
        source = sources[name]
        ways = missing_variables(source)
        if not ways:
            plan[name] = settings_from_env(name, source.option_keys, source.secret_keys)
        elif simulator_allowed and not is_touched(source):
            plan[name] = None
        else:
            gaps.append(_what_to_set(source, ways))
            hint = hint or not is_touched(source)
    if gaps:
        simulator = (
            f"; or set {SIMULATOR_ENV}=1 to read the unconfigured ones from the bundled simulator"
            if hint
            else ""
        )
        raise PartialConfiguration(
            "Not every source is configured, and the bundled simulator stands in only when none is: "
            f"{'; '.join(gaps)}{simulator}."
        )
    return plan


def require_consistent_configuration(sources: Mapping[str, Source] = SOURCES) -> None:
    """Refuse a partly configured deployment at start (the Dagster definitions, the demo), before any
    schedule or run can read a forgotten source from the simulator."""
    plan_sources(sources, sources)
