"""``python -m simulator``: print one JSON line of endpoints, then serve until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import date

from simulator.defects import KINDS as DEFECT_KINDS
from simulator.http_server import make_server
from simulator.server import DEFAULT_AS_OF, Simulator


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, start the server, print the endpoints, serve until a signal."""
    p = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    p.add_argument("--port", type=int, required=True, help="TCP port (0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--scale", choices=("s", "m", "l"), default="s")
    p.add_argument(
        "--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="YYYY-MM-DD (company time)"
    )
    p.add_argument("--fault-rate", type=float, default=0.0)
    p.add_argument(
        "--defects",
        default="",
        metavar="KIND[,KIND...]|all",
        help=f"plant data defects (none by default): {', '.join(DEFECT_KINDS)}; GET /_sim/defects says where",
    )
    args = p.parse_args(argv)
    try:
        sim = Simulator(args.seed, args.scale, args.as_of, args.fault_rate, args.defects)
    except ValueError as exc:
        p.error(str(exc))
    server = make_server(args.host, args.port, sim.app)
    host, port = server.server_address[:2]
    print(json.dumps(sim.endpoints(f"http://{host}:{port}", port)), flush=True)

    stop = threading.Event()

    def _on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
