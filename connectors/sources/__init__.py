"""The registry of sources. A new system is one module declaring a `Source`, registered here."""

from __future__ import annotations

from connectors.core.source import Source
from connectors.sources import crm, erp, hr, ticketing

SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> Source:
    """Add a source (a plugin, or a test's); its streams get raw tables and Dagster assets like the rest."""
    if source.name in SOURCES and SOURCES[source.name] is not source:
        raise ValueError(f"a source named '{source.name}' is already registered")
    SOURCES[source.name] = source
    return source


def unregister_source(name: str) -> None:
    SOURCES.pop(name, None)


for _module in (hr, erp, ticketing, crm):
    register_source(_module.SOURCE)
