"""The BI tier: an atomic, read-only snapshot of the department-level marts, as DuckDB and Parquet.

BI tools must be able to query while the pipeline runs and never see half a result. So the snapshot is
built beside the published one, in a `.building-<id>` folder (the DuckDB file and the Parquet folder),
and swapped in with renames: a reader that opened the old file keeps reading it, the next one opens the
new one, and nobody ever shares a file with a writer (no lock errors). Parquet files live in a
versioned folder that a `parquet` symlink points at, swapped the same way; resolve the link once and
read all tables from that folder to see one snapshot.

A publication killed midway leaves a `.building-*` folder, perhaps a temporary link or a version folder
the link never pointed at; the next one removes them first, so they never count among the versions
kept (`PARQUET_VERSIONS_KEPT` counts complete, published versions only) and never reach a reader.

BI tools' drivers ship older DuckDB releases than the pipeline's, and DuckDB cannot read a file written
in a newer storage format than its own. So the snapshot is written in an older one (`BI_STORAGE_VERSION`),
which DuckDB `OLDEST_BI_DUCKDB` and later open (tests/publish/test_bi_readers.py reads it with that
release). Every table and column carries its description (see `descriptions`), in DuckDB's comments and
in the Parquet files' metadata; counts are integers in both (the marts cast their sums to bigint).

Every snapshot says where its data came from (`marts.source_origins`, the `_snapshot` table's
`is_demo_data` and `data_origin`, the manifest's `origin`): see `provenance`.

Employee-level data stays in the working database (the HR tier). Here only department-level tables are
copied; a column the dbt YAML tags `meta: {sensitive: true}` (a record key where it names a person's
record: the HR source's employees, reviews, time off, training) is replaced by a keyed hash whose key
comes from `DCW_PSEUDONYM_KEY`: stable across runs, different under another key, not reversible without
it. The tags are read from dbt's manifest, so tagging a column is all it takes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from connectors.landing.database import attach, connect
from connectors.landing.file_modes import make_folder, make_private, make_readable
from connectors.settings import PSEUDONYM_KEY_ENV, Secret
from dagster_project.paths import DBT_MANIFEST
from dagster_project.publish.descriptions import (
    QUALITY_RESULTS_DESCRIPTION,
    SNAPSHOT_DESCRIPTION,
    SNAPSHOT_TABLES_DESCRIPTION,
    describe,
    described_tables,
    write_described_parquet,
)
from dagster_project.publish.provenance import load_provenance
from dagster_project.quality.record import QUALITY_RESULTS, QUALITY_TABLE

PUBLISHED_DB = "warehouse.duckdb"
PARQUET_LINK = "parquet"
SNAPSHOT_TABLE = "_snapshot"
SNAPSHOT_TABLES_TABLE = "_snapshot_tables"
PARQUET_VERSIONS_KEPT = 3
MANIFEST = "_snapshot.json"
BUILDING_PREFIX = ".building-"
LOCAL_KEY_FILE = Path("secrets") / "pseudonym.key"
# The storage format the snapshot is written in, and the oldest DuckDB found to open it (0.10.0-0.10.2
# refuse it with a serialization error; 2.0's own format needs 2.0 or later).
BI_STORAGE_VERSION = "v1.1.0"
OLDEST_BI_DUCKDB = "0.10.3"

# Asset keys of the HR tier (employee level) start with this: their check verdicts stay in that tier.
HR_TIER_ASSETS = "hr/%"
# Checks on these assets observe places that can be people (an employee id, a work email): the BI tier
# shows their verdict, not their observation.
PERSON_LEVEL_ASSET_PREFIXES = ("staging/stg_hr__", "intermediate/", "hr/")
WITHHELD_OBSERVATION = "see the HR tier"


def observation_for_bi(asset: str, observed: str) -> str:
    """What the BI tier may show of a check's observation (the snapshot's `quality_results` says the
    same in SQL)."""
    return WITHHELD_OBSERVATION if asset.startswith(PERSON_LEVEL_ASSET_PREFIXES) else observed


PSEUDONYM = "'p_' || substr(sha256(pseudonym.key || '|' || cast({column} as varchar)), 1, 16)"

# The department-level marts copied to the BI tier (as they are, but for their sensitive columns).
MART_TABLES = (
    "departments",
    "dim_department",
    "source_origins",
    "metric_catalog",
    "scoring_scheme",
    "grade_bands",
    "fct_department_headcount",
    "fct_metric_scores",
    "fct_department_contribution",
    "fct_support_contribution",
    "fct_collaboration",
    "metric_evidence",
)
BI_TABLES = (*MART_TABLES, QUALITY_TABLE)
# The verdicts, without the per-place details (a place can be an employee id); HR-source checks keep
# their verdict but not their observation, which can name people.
QUALITY_RESULTS_SELECT = f"""
    select check_name, asset, severity, passed,
        case when {" or ".join(f"starts_with(asset, '{p}')" for p in PERSON_LEVEL_ASSET_PREFIXES)}
            then '{WITHHELD_OBSERVATION}' else observed end as observed,
        expected, run_id, checked_at, engine
    from working.{QUALITY_RESULTS}
    -- the HR tier's own checks (employee roll-ups, calibration) stay in the HR tier
    where asset not like '{HR_TIER_ASSETS}'"""


@dataclass(frozen=True)
class SensitiveColumn:
    """A column the dbt YAML tags `meta: {sensitive: true}`. `only_where` (the tag's `sensitive_when`:
    column -> values) narrows it to the rows that name a person: an HR record's key does, an ERP
    invoice's does not, and BI keeps the latter as the source has it."""

    name: str
    only_where: dict[str, tuple[str, ...]]

    def select(self, table: str) -> str:
        hashed = PSEUDONYM.format(column=f"{table}.{self.name}")
        if not self.only_where:
            return f"{hashed} as {self.name}"
        when = " and ".join(
            f"{table}.{column} in ({', '.join(_literal(v) for v in values)})"
            for column, values in self.only_where.items()
        )
        return f"case when {when} then {hashed} else {table}.{self.name} end as {self.name}"


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def sensitive_columns(manifest: Path = DBT_MANIFEST) -> dict[str, tuple[SensitiveColumn, ...]]:
    """The tagged columns of each mart the BI tier copies, read from the dbt manifest: tagging a column
    in the YAML is all it takes for the snapshot to pseudonymize it."""
    if not manifest.is_file():
        raise FileNotFoundError(
            f"the dbt manifest {manifest} is missing: it says which columns the BI snapshot pseudonymizes; "
            "run `make dbt_project/target/manifest.json` (dagster-dbt project prepare-and-package)"
        )
    nodes = json.loads(manifest.read_text())["nodes"].values()
    found: dict[str, tuple[SensitiveColumn, ...]] = {}
    for node in nodes:
        if node["resource_type"] not in ("model", "seed") or node["schema"] != "marts":
            continue
        if node["name"] not in MART_TABLES:
            continue
        tagged = tuple(
            SensitiveColumn(name, {k: tuple(v) for k, v in (meta.get("sensitive_when") or {}).items()})
            for name, column in node["columns"].items()
            if (meta := column.get("meta") or {}).get("sensitive")
        )
        if tagged:
            found[node["name"]] = tagged
    return found


def bi_selects(manifest: Path = DBT_MANIFEST) -> dict[str, str]:
    """table -> its select over the working database (attached as `working`), department grain only,
    each sensitive column replaced by its keyed pseudonym (the `pseudonym` table holds the key)."""
    sensitive = sensitive_columns(manifest)
    selects = {}
    for table in MART_TABLES:
        columns = sensitive.get(table)
        if not columns:
            selects[table] = f"select * from working.marts.{table}"
            continue
        replaced = ", ".join(c.select(table) for c in columns)
        selects[table] = (
            f"select {table}.* replace ({replaced}) "
            f"from working.marts.{table} as {table} cross join pseudonym"
        )
    selects[QUALITY_TABLE] = QUALITY_RESULTS_SELECT
    return selects


# The tables the product writes itself; dbt describes the others.
OWN_TABLES = {
    SNAPSHOT_TABLE: SNAPSHOT_DESCRIPTION,
    SNAPSHOT_TABLES_TABLE: SNAPSHOT_TABLES_DESCRIPTION,
    QUALITY_TABLE: QUALITY_RESULTS_DESCRIPTION,
}


@dataclass(frozen=True)
class Snapshot:
    """What was published: where, when, from which run, and how many rows per table."""

    database: Path
    parquet: Path
    snapshot_id: str
    published_at: str
    row_counts: dict[str, int]
    is_demo_data: bool
    data_origin: str


def pseudonym_key(data_dir: Path) -> Secret:
    """The key from the environment; for the embedded default, a random key kept in data/secrets/."""
    value = os.environ.get(PSEUDONYM_KEY_ENV, "").strip()
    if value:
        return Secret(value)
    path = data_dir / LOCAL_KEY_FILE
    if not path.exists():
        make_folder(path.parent, readable=False)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    make_private(path.parent)
    return Secret(path.read_text().strip())


def publish_snapshot(
    warehouse: Path, published: Path, key: Secret, run_id: str, manifest: Path = DBT_MANIFEST
) -> Snapshot:
    """Build the BI tier beside the published one, then swap it in atomically (file and Parquet);
    `manifest` (dbt's) says which columns are sensitive."""
    selects = bi_selects(manifest)
    make_folder(published, readable=True)
    remove_leftovers(published)
    published_at = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    snapshot_id = f"{published_at}-{run_id[:8]}"
    building = published / f"{BUILDING_PREFIX}{snapshot_id}"
    building.mkdir()
    database = building / PUBLISHED_DB
    parquet = building / f"{PARQUET_LINK}-{snapshot_id}"
    parquet.mkdir()
    counts: dict[str, int] = {}
    with connect(database, storage_version=BI_STORAGE_VERSION) as out:
        attach(out, warehouse, "working")
        out.execute("create temp table pseudonym as select ?::varchar as key", [key.reveal()])
        out.execute("create schema marts")
        working = described_tables(out, "marts", database="working")
        for table, select in selects.items():
            out.execute(f"create table marts.{table} as {select}")
            counts[table] = out.execute(f"select count(*) from marts.{table}").fetchall()[0][0]
            describe(out, f"marts.{table}", OWN_TABLES.get(table) or working[table])
        out.execute("drop table pseudonym")
        out.execute("detach working")
        provenance = load_provenance(out)
        out.execute(
            f"create table marts.{SNAPSHOT_TABLE} as select ? as snapshot_id, ? as published_at, "
            "? as run_id, ? as is_demo_data, ? as data_origin",
            [snapshot_id, published_at, run_id, provenance.is_demo, provenance.summary()],
        )
        out.execute(f"create table marts.{SNAPSHOT_TABLES_TABLE} (table_name varchar, row_count bigint)")
        out.executemany(f"insert into marts.{SNAPSHOT_TABLES_TABLE} values (?, ?)", list(counts.items()))
        for table in (SNAPSHOT_TABLE, SNAPSHOT_TABLES_TABLE):
            describe(out, f"marts.{table}", OWN_TABLES[table])
        published_tables = described_tables(out, "marts")
        for table in BI_TABLES:
            write_described_parquet(
                out,
                f"marts.{table}",
                parquet / f"{table}.parquet",
                published_tables[table],
                {"snapshot_id": snapshot_id},
            )
        out.execute("checkpoint")
    manifest = {
        "snapshot_id": snapshot_id,
        "published_at": published_at,
        "run_id": run_id,
        "origin": provenance.as_dict(),
        "rows": counts,
    }
    (parquet / MANIFEST).write_text(json.dumps(manifest, indent=2))
    make_readable(database, parquet)
    version = published / parquet.name
    os.replace(parquet, version)
    os.replace(database, published / PUBLISHED_DB)
    _swap_link(published / PARQUET_LINK, version)
    shutil.rmtree(building, ignore_errors=True)
    _prune(published)
    return Snapshot(
        published / PUBLISHED_DB,
        version,
        snapshot_id,
        published_at,
        counts,
        provenance.is_demo,
        provenance.summary(),
    )


def _swap_link(link: Path, target: Path) -> None:
    """Point `link` at `target` with one rename, so a reader resolves either the old or the new folder."""
    temporary = link.with_name(f".{link.name}-{target.name}")
    temporary.symlink_to(target.name)
    os.replace(temporary, link)


def _published_versions(published: Path) -> list[Path]:
    """The complete Parquet versions the link has pointed at: a manifest, and no newer than its target
    (a version newer than the link's target was never published: its run died before the swap)."""
    link = published / PARQUET_LINK
    current = os.readlink(link) if link.is_symlink() else None
    return sorted(
        p
        for p in published.glob(f"{PARQUET_LINK}-*")
        if p.is_dir() and not p.is_symlink() and (p / MANIFEST).is_file() and current and p.name <= current
    )


def remove_leftovers(published: Path) -> list[Path]:
    """Remove what a killed publication left: `.building-*` folders, temporary links, and version
    folders never published (incomplete, or newer than the link's target). Returns what it removed."""
    kept = set(_published_versions(published))
    leftovers = [
        *published.glob(f"{BUILDING_PREFIX}*"),
        *published.glob(f".{PARQUET_LINK}-*"),
        *(p for p in published.glob(f"{PARQUET_LINK}-*") if p not in kept),
    ]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return leftovers


def _prune(published: Path) -> None:
    """Keep a few Parquet versions: a reader that resolved the link a moment ago still finds its files."""
    for old in _published_versions(published)[:-PARQUET_VERSIONS_KEPT]:
        shutil.rmtree(old, ignore_errors=True)
