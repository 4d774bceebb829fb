"""`python -m connectors extract [SOURCE[.STREAM] ...]`: land streams without any orchestrator.

With no source configured, every source is read from the bundled simulator, started for the run; a
partly configured deployment is refused (see `connectors.deployment`), as is a warehouse another process
holds: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from connectors.deployment import PartialConfiguration
from connectors.embedded import source_settings
from connectors.landing.database import WarehouseLocked
from connectors.landing.file_modes import keep_new_files_private
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import StreamJob, extract_streams
from connectors.settings import deletion_policy, warehouse_path
from connectors.sources import SOURCES

# The exit code of a run refused before it read anything (a partial configuration, a held warehouse);
# 1 is a run in which some stream failed.
REFUSED = 2


def _selected(names: list[str]) -> list[tuple[str, str]]:
    if not names:
        return [(s.name, st.name) for s in SOURCES.values() for st in s.streams]
    chosen = []
    for name in names:
        source, _, stream = name.partition(".")
        if source not in SOURCES:
            raise SystemExit(f"unknown source '{source}' (sources: {', '.join(SOURCES)})")
        if stream:
            try:
                SOURCES[source].stream(stream)
            except KeyError as exc:
                raise SystemExit(exc.args[0]) from None
        streams = [stream] if stream else [s.name for s in SOURCES[source].streams]
        chosen += [(source, s) for s in streams]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="land streams into the raw layer")
    extract.add_argument("streams", nargs="*", help="SOURCE or SOURCE.STREAM (default: everything)")
    extract.add_argument("--warehouse", default=None, help="DuckDB file (default: $DCW_WAREHOUSE_PATH)")
    extract.add_argument("--workers", type=int, default=4)
    extract.add_argument("--reconcile", action="store_true", help="force the key scan that finds deletes")
    extract.add_argument(
        "--accept-deletes",
        action="append",
        default=[],
        metavar="SOURCE[.STREAM]",
        help="let these streams mark more than DCW_DELETE_SHARE_LIMIT of their keys deleted in this run "
        "(repeat or comma-separate; added to DCW_ACCEPT_DELETES)",
    )
    sub.add_parser("streams", help="list sources and streams")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)

    if args.command == "streams":
        for source in SOURCES.values():
            for stream in source.streams:
                print(f"{source.name}.{stream.name}\t{stream.description}")
        return 0

    keep_new_files_private()
    selected = _selected(args.streams)
    accepted = [name.strip() for value in args.accept_deletes for name in value.split(",") if name.strip()]
    if accepted:
        _selected(accepted)  # a misspelt name stops the run here rather than accepting nothing
    deletions = deletion_policy().accepting(accepted)
    log = logging.getLogger("connectors")
    try:
        with (
            source_settings({src for src, _ in selected}, log=log.info) as settings,
            RawStore(args.warehouse or warehouse_path()) as store,
        ):
            jobs = [StreamJob(SOURCES[src], settings[src], stream) for src, stream in selected]
            results, failures = extract_streams(
                store,
                jobs,
                workers=args.workers,
                reconcile=True if args.reconcile else None,
                deletions=deletions,
            )
    except (PartialConfiguration, WarehouseLocked) as refused:
        print(refused, file=sys.stderr)
        return REFUSED
    for result in results:
        print(json.dumps(result.as_dict(), default=str))
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0
