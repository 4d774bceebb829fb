"""The one loopback HTTP server: routing by prefix, fault injection, test controls, byte-stable JSON.

Each source API (`hr_api`, `erp_api`, `jira_api`, `hubspot_api`) is mounted under its prefix and owns
its auth check and error shapes; this module only decides *whether* a request gets a fault (seeded
draws, or the FIFO queue filled through ``POST /_sim/faults``) and writes bytes. Response bodies never
contain wall-clock values, so the same seed, scale and as-of give byte-identical bodies.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from simulator.records import unit

SOURCES = ("hr", "erp", "ticketing", "crm")


def dumps(obj: Any) -> bytes:
    """Compact JSON; key order is the insertion order the renderers fix, so output is byte-stable."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class Request:
    """One HTTP request as the source APIs see it."""

    method: str
    path: str
    query: str
    headers: Any
    body: bytes
    origin: str  # "http://127.0.0.1:PORT"
    params: dict[str, list[str]] = field(default_factory=dict)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        return json.loads(self.body.decode() or "null")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json; charset=utf-8"


def json_response(status: int, obj: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, dumps(obj), headers or [])


class SourceApi(Protocol):
    """What a mounted source provides (see the four *_api modules)."""

    def authorized(self, req: Request) -> bool: ...
    def unauthorized(self) -> Response: ...
    def rate_limited(self, retry_after: int) -> Response: ...
    def server_error(self, status: int) -> Response: ...
    def handle(self, req: Request) -> Response: ...


@dataclass
class Fault:
    status: int | None = None
    retry_after: int = 1
    truncate: bool = False
    delay: float = 0.0
    path_prefix: str = ""


class FaultInjector:
    """Seeded random faults (``--fault-rate``) and a FIFO queue of scripted ones."""

    def __init__(self, seed: int, rate: float) -> None:
        self.seed, self.rate = seed, rate
        self.seen: Counter[str] = Counter()
        self.queue: list[Fault] = []
        self.injected = 0
        self._lock = threading.Lock()

    def enqueue(self, spec: dict[str, Any]) -> int:
        faults = []
        for f in spec.get("faults", []):
            faults.append(
                Fault(
                    status=f.get("status"),
                    retry_after=int(f.get("retry_after", 1)),
                    truncate=bool(f.get("truncate", False)),
                    delay=float(f.get("delay", 0.0)),
                    path_prefix=str(f.get("path_prefix", "")),
                )
            )
        with self._lock:
            self.queue.extend(faults * int(spec.get("repeat", 1)))
            return len(self.queue)

    def clear(self) -> None:
        with self._lock:
            self.queue.clear()

    def draw(self, req: Request) -> Fault | None:
        with self._lock:
            for i, f in enumerate(self.queue):
                if req.path.startswith(f.path_prefix):
                    self.injected += 1
                    return self.queue.pop(i)
            if self.rate <= 0:
                return None
            key = f"{req.method} {req.path}?{req.query} {hashlib.sha256(req.body).hexdigest()[:16]}"
            n = self.seen[key]
            self.seen[key] += 1
        if unit(self.seed, "fault", key, n) >= self.rate:
            return None
        self.injected += 1
        u = unit(self.seed, "fault-kind", key, n)
        if u < 0.35:
            return Fault(status=429, retry_after=1)
        if u < 0.6:
            return Fault(status=(500, 502, 503)[int(unit(self.seed, "fault-status", key, n) * 3)])
        if u < 0.8:
            return Fault(delay=0.05 + 0.25 * unit(self.seed, "fault-delay", key, n))
        return Fault(truncate=True)


class App:
    """Routes requests to the source APIs and applies faults; one per server."""

    def __init__(
        self,
        apis: dict[str, SourceApi],
        injector: FaultInjector,
        defects: Callable[[], list[dict[str, Any]]] | None = None,
    ) -> None:
        self.apis = apis
        self.injector = injector
        self.defects = defects  # [defects] the planted-defect manifest, served at /_sim/defects
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()

    def handle(self, req: Request) -> tuple[Response, Fault | None]:
        if req.path.startswith("/_sim/"):
            return self._control(req), None
        source = req.path.split("/", 2)[1] if req.path.count("/") >= 1 else ""
        api = self.apis.get(source)
        if api is None:
            return json_response(404, {"message": f"no source mounted at /{source}"}), None
        with self._lock:
            self.requests[source] += 1
        fault = self.injector.draw(req)
        if fault is not None and fault.status is not None:
            if fault.status == 429:
                return api.rate_limited(fault.retry_after), None
            return api.server_error(fault.status), None
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if not api.authorized(req):
            return api.unauthorized(), fault
        return api.handle(req), fault

    def _control(self, req: Request) -> Response:
        if req.path == "/_sim/faults" and req.method == "POST":
            try:
                queued = self.injector.enqueue(req.json() or {})
            except (ValueError, TypeError, AttributeError) as exc:
                return json_response(400, {"message": f"bad fault spec: {exc}"})
            return json_response(200, {"queued": queued})
        if req.path == "/_sim/faults" and req.method == "DELETE":
            self.injector.clear()
            return json_response(200, {"queued": 0})
        if req.path == "/_sim/stats" and req.method == "GET":
            with self._lock:
                counts = {s: self.requests.get(s, 0) for s in SOURCES}
            return json_response(
                200,
                {
                    "requests": counts,
                    "total": sum(counts.values()),
                    "faults_injected": self.injector.injected,
                    "faults_queued": len(self.injector.queue),
                },
            )
        if req.path == "/_sim/defects" and req.method == "GET":  # [defects]
            return json_response(200, self.defects() if self.defects else [])
        return json_response(404, {"message": "unknown simulator control"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, each small keep-alive response then waits
    # for the client's delayed ACK (~40 ms), which made per-employee BambooHR calls crawl.
    disable_nagle_algorithm = True
    server_version = "source-simulator"
    sys_version = ""
    app: App

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging: the simulator's stdout carries only the endpoints line."""

    def _serve(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host, port = self.server.server_address[:2]
        req = Request(
            self.command,
            split.path,
            split.query,
            self.headers,
            body,
            f"http://{host}:{port}",
            parse_qs(split.query, keep_blank_values=True),
        )
        try:
            resp, fault = self.app.handle(req)
        except Exception:  # a bug must not kill the connection silently
            traceback.print_exc(file=sys.stderr)
            resp, fault = json_response(500, {"message": "simulator error"}), None
        self.send_response(resp.status)
        if resp.body or resp.status != 204:
            self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers:
            self.send_header(name, value)
        if fault is not None and fault.truncate:
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(resp.body[: len(resp.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _serve


def make_server(host: str, port: int, app: App) -> ThreadingHTTPServer:
    """A threading HTTP/1.1 server bound to ``host:port`` (0 picks a free port)."""
    handler = type("Handler", (_Handler,), {"app": app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
