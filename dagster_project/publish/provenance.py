"""Where published data came from: the bundled simulator (demo data) or the configured sources' hosts.

Every extraction records its origin in the ledger (`raw._loads.origin`: `simulator`, or the service's
host); dbt turns the ledger into `marts.source_origins`, which the BI snapshot copies. Everything
published reads it from there: the snapshot's `_snapshot` table and Parquet manifest, every scorecard
page (a "Demo data / 演示数据" banner when the simulator served any of it, the hosts otherwise) and every
sheet of every workbook. A warehouse that ever read the simulator stays marked: its raw layer still holds
those invented records. Only host names are published, never a credential or a full URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from connectors.landing.database import has_table
from dagster_project.publish import i18n
from dagster_project.publish.glossary import TERMS

ORIGINS_TABLE = "source_origins"
# The banner's words, in both languages on every page, whichever language the page is in.
DEMO_DATA = TERMS["demo_data"].both
UNRECORDED = "not recorded"  # stg_ledger__loads' origin of batches landed before origins were kept


@dataclass(frozen=True)
class SourceOrigin:
    """One source system read from one origin (a row of `marts.source_origins`)."""

    source_system: str
    origin: str
    is_simulator: bool
    last_succeeded_at: datetime | None


@dataclass(frozen=True)
class Provenance:
    """The origins of everything in a warehouse or snapshot; `recorded` is False for one built before
    origins were kept (then nothing can be vouched for)."""

    origins: tuple[SourceOrigin, ...]
    recorded: bool = True

    @property
    def is_demo(self) -> bool:
        """True when the bundled simulator served any of the data."""
        return any(o.is_simulator for o in self.origins)

    @property
    def is_unverified(self) -> bool:
        """True when some data's origin is not known."""
        return not (self.recorded and self.origins) or any(o.origin == UNRECORDED for o in self.origins)

    def banner(self, lang: str) -> str | None:
        """The warning every page and sheet shows first, or None for data from configured sources."""
        if self.is_demo:
            return f"{DEMO_DATA}: {i18n.label(lang, 'demo_data_text')}"
        if self.is_unverified:
            return i18n.label(lang, "origin_unknown")
        return None

    def sources_line(self, lang: str) -> str:
        """`Data from: crm api.hubapi.com (last extracted 2026-10-31 02:04 UTC); erp ...`."""
        parts = [_described(lang, o) for o in self.origins] or [i18n.label(lang, "origin_unrecorded")]
        return f"{i18n.label(lang, 'data_from')}{i18n.label(lang, 'colon')}{'; '.join(parts)}"

    def bilingual_banner(self) -> str | None:
        """The banner in both languages, for the HR pages (English with Chinese beside) and workbooks."""
        english, chinese = self.banner("en"), self.banner("zh")
        if english is None:
            return None
        return f"{english} / {chinese.split(': ', 1)[-1]}" if self.is_demo else f"{english} / {chinese}"

    def workbook_line(self) -> str:
        """The first row of every sheet: the bilingual banner, or where the data came from."""
        hosts = self.sources_line("en").split(": ", 1)[1]
        return self.bilingual_banner() or f"{TERMS['data_from'].both}: {hosts}"

    def as_dict(self) -> dict[str, Any]:
        """For the Parquet manifest: demo or not, and each source's origin."""
        return {
            "demo_data": self.is_demo,
            "recorded": self.recorded and not self.is_unverified,
            "sources": [
                {
                    "source_system": o.source_system,
                    "origin": o.origin,
                    "is_simulator": o.is_simulator,
                    "last_succeeded_at": o.last_succeeded_at.isoformat() if o.last_succeeded_at else None,
                }
                for o in self.origins
            ],
        }

    def summary(self) -> str:
        """One plain line for the `_snapshot` table: `simulator` or `crm=api.hubapi.com; erp=...`."""
        return "; ".join(f"{o.source_system}={o.origin}" for o in self.origins) or UNRECORDED


def _described(lang: str, o: SourceOrigin) -> str:
    """`crm api.hubapi.com (last extracted 2026-10-31 02:04 UTC)`."""
    if o.is_simulator:
        where = i18n.label(lang, "origin_simulator")
    elif o.origin == UNRECORDED:
        where = i18n.label(lang, "origin_unrecorded")
    else:
        where = o.origin
    if o.last_succeeded_at is None:
        return f"{o.source_system} {where}"
    return f"{o.source_system} {where} ({i18n.label(lang, 'last_extracted', at=_utc(o.last_succeeded_at))})"


def _utc(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(UTC)  # DuckDB hands instants over in the session's zone
    return at.strftime("%Y-%m-%d %H:%M UTC")


def load_provenance(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> Provenance:
    """The origins `schema.source_origins` records (a snapshot published before it existed: unrecorded)."""
    if not has_table(con, schema, ORIGINS_TABLE):
        return Provenance(origins=(), recorded=False)
    rows = con.execute(
        f"""select source_system, origin, is_simulator, last_succeeded_at
            from {schema}.{ORIGINS_TABLE} order by source_system, is_simulator desc, origin"""
    ).fetchall()
    return Provenance(tuple(SourceOrigin(*row) for row in rows))
