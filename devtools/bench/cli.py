"""`python -m devtools.bench`: the bench's command line, and the entry of its own child processes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import devtools.bench
from connectors.settings import warehouse_path
from dagster_project.text_table import format_table
from devtools.bench.extraction import worker_extract
from devtools.bench.pipeline import DEFINITIONS_LOAD_RUNS, worker_pipeline
from devtools.bench.report import format_report
from devtools.bench.run import DEFAULT_AS_OF, READ_TIMEOUT_S, SCALES, run_bench
from simulator.company.org import DEFAULT_AS_OF_ISO


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.bench", description=devtools.bench.__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", choices=SCALES, default="s")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        help=f"the simulated company's last day (default {DEFAULT_AS_OF_ISO}); an earlier day is a shorter "
        "history: fewer records at the same scale",
    )
    parser.add_argument("--skip-incremental", action="store_true", help="skip the one-day-later run")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the scratch folder and the JSON go (default: data/bench beside the working warehouse)",
    )
    parser.add_argument("--keep-pages", action="store_true", help="keep the saved pages of baseline (b)")
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=READ_TIMEOUT_S,
        help=f"seconds a client waits for a page (default {READ_TIMEOUT_S:.0f}; 0: the product's own)",
    )
    parser.add_argument(
        "--definitions-runs",
        type=int,
        default=DEFINITIONS_LOAD_RUNS,
        help="fresh interpreters that load the definitions (the median counts)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample the extraction threads' stacks (where the time goes)"
    )
    parser.add_argument(
        "--resume",
        type=Path,
        metavar="RUN_DIR",
        help="finish a run that stopped (data/bench/<timestamp>): its finished stages are kept, "
        "the warehouse is reused, and the rest runs (use the same --scale)",
    )
    # The bench's own child processes (one per product stage); not for use by hand.
    parser.add_argument("--worker", choices=("extract", "pipeline"), help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "extract":
        done = worker_extract(args.warehouse, args.read_timeout or None, args.profile)
        args.worker_out.write_text(json.dumps(done, default=str))
        return 0
    if args.worker == "pipeline":
        args.worker_out.write_text(json.dumps(worker_pipeline(args.warehouse, args.log), default=str))
        return 0
    out_dir = args.out or warehouse_path().resolve().parent / "bench"
    report, path = run_bench(
        args.scale,
        out_dir,
        incremental=not args.skip_incremental,
        keep_pages=args.keep_pages,
        read_timeout_s=args.read_timeout or None,
        definitions_runs=max(1, args.definitions_runs),
        profile=args.profile,
        resume=args.resume,
        as_of=args.as_of,
    )
    print()
    print(format_report(report))
    profiled = report["stages"]["extract_load"]["detail"].get("profile")
    if profiled:
        print(f"\nWhere the busy extraction threads were ({profiled['busy_thread_samples']} samples):")
        for kind in ("self", "inclusive"):
            rows = [[where, f"{share:.1%}"] for where, share in profiled[kind].items()]
            print(format_table([f"function ({kind})", "share"], rows))
    print(f"\nEvery figure: {path}")
    if not report["success"]:
        print(f"The pipeline did not complete: failed checks {report['failed_checks']}", file=sys.stderr)
        return 1
    return 0
