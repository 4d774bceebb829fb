"""Every environment variable the product reads, named once.

Secrets come from the environment only; the values are held in `Secret` so that they never print.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

ENV_PREFIX = "DCW_"
WAREHOUSE_PATH_ENV = "DCW_WAREHOUSE_PATH"
DEFAULT_WAREHOUSE_PATH = Path("data") / "warehouse.duckdb"
# The bundled simulator that stands in for any source without a configured base URL.
SIMULATOR_SEED_ENV = "DCW_SIMULATOR_SEED"
SIMULATOR_SCALE_ENV = "DCW_SIMULATOR_SCALE"
SIMULATOR_AS_OF_ENV = "DCW_SIMULATOR_AS_OF"
SIMULATOR_FAULT_RATE_ENV = "DCW_SIMULATOR_FAULT_RATE"
# Planted data defects for testing quality gates: "all" or a comma list of kinds (unset: none).
SIMULATOR_DEFECTS_ENV = "DCW_SIMULATOR_DEFECTS"
# What one DuckDB connection may use: every connection the product opens (raw landing, quality gates,
# publication, dbt through its profile) gets the same bounds, so that memory stays flat as data grows:
# past the limit DuckDB spills to disk instead of growing. Staging parses each JSON document once
# (macro with_json_fields), so the widest model fits too; `make bench` shows the peak at s, m and l.
DUCKDB_MEMORY_LIMIT_ENV = "DCW_DUCKDB_MEMORY_LIMIT"
DUCKDB_THREADS_ENV = "DCW_DUCKDB_THREADS"
DEFAULT_DUCKDB_MEMORY_LIMIT = "300MB"
DEFAULT_DUCKDB_THREADS = "2"
# The key of the keyed hash that pseudonymizes employee keys in the published BI tier (a secret).
PSEUDONYM_KEY_ENV = "DCW_PSEUDONYM_KEY"
# The mass-deletion guard: the share of a stream's live keys one read may mark deleted (a read of the
# whole stream, or a key scan), and the streams allowed past it ("crm.owners,erp.budgets" or "erp").
DELETE_SHARE_LIMIT_ENV = "DCW_DELETE_SHARE_LIMIT"
DEFAULT_DELETE_SHARE_LIMIT = 0.2
ACCEPT_DELETES_ENV = "DCW_ACCEPT_DELETES"
# The last-resort bound on pages (answers) per stream read, far above the largest real read (the ERP
# ledger at scale l: about 8,000 pages of 1,000 lines): past it the source is looping.
MAX_PAGES_PER_READ_ENV = "DCW_MAX_PAGES_PER_READ"
DEFAULT_MAX_PAGES_PER_READ = 100_000

# --- Deployment: where the data comes from, and who may read the HR tier -------------------------------
# The bundled simulator serves a deployment with no source configured (the demo, the tests, a fresh
# clone). Once any source is configured it serves nothing unless asked: `DCW_SIMULATOR=1` lets it stand
# in for the sources that have none of their variables set, so that a forgotten source is never filled
# with invented employees by accident.
SIMULATOR_ENV = "DCW_SIMULATOR"
# The origin recorded for data the simulator served (otherwise the origin is the source's host).
SIMULATOR_ORIGIN = "simulator"
# A group that may read the HR tier (the working warehouse, data/hr, data/quality, ...) besides its
# owner; unset, those files are readable by their owner only.
HR_GROUP_ENV = "DCW_HR_GROUP"


def simulator_requested() -> bool:
    """True when `DCW_SIMULATOR` asks for the simulator (`1`, `true`, `yes`)."""
    return os.environ.get(SIMULATOR_ENV, "").strip().lower() in {"1", "true", "yes"}


def hr_group() -> str | None:
    """The group named by `DCW_HR_GROUP`, or None (owner only)."""
    return os.environ.get(HR_GROUP_ENV, "").strip() or None


def host_of(url: str) -> str:
    """The host (and port) of a URL, without scheme, credentials, path or query: safe to publish."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{host}:{parts.port}" if parts.port else host


class Secret:
    """A credential that renders as `***` in reprs, logs and f-strings; `.reveal()` is explicit."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SourceSettings:
    """Where one source system lives and how to authenticate; built from env vars or a simulator line."""

    source: str
    base_url: str
    options: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)
    simulated: bool = False  # served by the bundled simulator

    @property
    def origin(self) -> str:
        """Where this source's data comes from, as recorded in `raw._loads` and published: `simulator`,
        or the service's host."""
        return SIMULATOR_ORIGIN if self.simulated else host_of(self.base_url)

    def secret(self, name: str) -> str:
        try:
            return self.secrets[name].reveal()
        except KeyError:
            raise KeyError(
                f"{self.source}: credential '{name}' is not configured; set {env_name(self.source, name)}"
            ) from None

    def secret_values(self) -> list[str]:
        return [s.reveal() for s in self.secrets.values() if s]


def env_name(source: str, key: str) -> str:
    """`env_name("hr", "api_key")` -> `DCW_HR_API_KEY`: the one rule that names every source variable."""
    return f"{ENV_PREFIX}{source.upper()}_{key.upper()}"


def warehouse_path() -> Path:
    return Path(os.environ.get(WAREHOUSE_PATH_ENV, str(DEFAULT_WAREHOUSE_PATH)))


def duckdb_settings() -> dict[str, str]:
    """The DuckDB settings every connection gets (`DCW_DUCKDB_MEMORY_LIMIT`, `DCW_DUCKDB_THREADS`)."""
    return {
        "memory_limit": os.environ.get(DUCKDB_MEMORY_LIMIT_ENV, DEFAULT_DUCKDB_MEMORY_LIMIT),
        "threads": os.environ.get(DUCKDB_THREADS_ENV, DEFAULT_DUCKDB_THREADS),
    }


@dataclass(frozen=True)
class DeletionPolicy:
    """How many of a stream's live keys one read may mark deleted before it stops and asks.

    A read that would mark more than `share_limit` of them, and more than one key (so that a stream of
    three keys may lose one), marks none unless the stream is accepted by name (`source.stream`) or by
    its source (`source`): a source that answers with too little looks exactly like a mass deletion.
    """

    share_limit: float = DEFAULT_DELETE_SHARE_LIMIT
    accepted: frozenset[str] = frozenset()

    def refuses(self, source: str, stream: str, missing: int, live: int) -> bool:
        if missing <= 1 or missing <= self.share_limit * live:
            return False
        return not ({source, f"{source}.{stream}"} & self.accepted)

    def accepting(self, names: Iterable[str]) -> DeletionPolicy:
        return replace(self, accepted=self.accepted | _names(names))


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(n.strip() for value in values for n in value.split(",") if n.strip())


def deletion_policy() -> DeletionPolicy:
    """The guard from `DCW_DELETE_SHARE_LIMIT` and `DCW_ACCEPT_DELETES`."""
    raw = os.environ.get(DELETE_SHARE_LIMIT_ENV, "").strip()
    try:
        share = float(raw) if raw else DEFAULT_DELETE_SHARE_LIMIT
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{DELETE_SHARE_LIMIT_ENV}={raw!r}: set a share between 0 and 1, e.g. 0.2 for 20%")
    return DeletionPolicy(share, _names([os.environ.get(ACCEPT_DELETES_ENV, "")]))


def max_pages_per_read() -> int:
    raw = os.environ.get(MAX_PAGES_PER_READ_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_PAGES_PER_READ
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{MAX_PAGES_PER_READ_ENV}={raw!r}: set a whole number of pages, e.g. 100000")
    return int(raw)


def settings_from_env(
    source: str, option_keys: tuple[str, ...], secret_keys: tuple[str, ...]
) -> SourceSettings | None:
    """The source's settings from `DCW_<SOURCE>_*`, or None when its base URL is not configured."""
    base_url = os.environ.get(env_name(source, "base_url"), "").strip()
    if not base_url:
        return None
    options = {
        k: os.environ[env_name(source, k)].strip() for k in option_keys if os.environ.get(env_name(source, k))
    }
    secrets = {
        k: _secret_from_env(source, k) for k in secret_keys if os.environ.get(env_name(source, k), "").strip()
    }
    return SourceSettings(source=source, base_url=base_url, options=options, secrets=secrets)


def _secret_from_env(source: str, key: str) -> Secret:
    """A credential, trimmed: `export X=$(cat file)` leaves a newline that would otherwise end up in an
    HTTP header, and from there in the exception `requests` raises, with the secret in it."""
    value = os.environ[env_name(source, key)].strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(
            f"{env_name(source, key)} contains a control character; set it to the bare credential"
        )
    return Secret(value)


def settings_from_simulator(source: str, endpoint: dict, secret_keys: tuple[str, ...]) -> SourceSettings:
    """Settings for one source from the simulator's startup line (`simulator`)."""
    options = {k: str(v) for k, v in endpoint.items() if k != "base_url" and k not in secret_keys}
    secrets = {k: Secret(str(endpoint[k])) for k in secret_keys if k in endpoint}
    return SourceSettings(
        source=source, base_url=endpoint["base_url"], options=options, secrets=secrets, simulated=True
    )
