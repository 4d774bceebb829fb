"""A scripted HTTP server on a free loopback port: per path, the answers a test wants a source to give.

The simulator answers like a healthy service; this one answers whatever a test scripts (an empty body,
a login page, a cursor token that comes back), so that the real connectors can be tried against a
hostile world. A route is a fixed `Answer` or a function of the `StubRequest`; every request is kept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class StubRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(document: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(document).encode())


Route = Answer | Callable[[StubRequest], Answer]
NOT_ROUTED = Answer(404, b'{"message": "no such path on the stub"}')


class StubServer:
    """`route(path, answer)` scripts a path (the path only; the query goes to a route function)."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Route] = {}
        self._lock = threading.Lock()
        self.requests: list[StubRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def route(self, path: str, answer: Route, method: str = "GET") -> None:
        with self._lock:
            self._routes[(method, path)] = answer

    def count(self, path: str) -> int:
        """Requests received for `path`, any method."""
        with self._lock:
            return sum(r.path == path for r in self.requests)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answer(self, request: StubRequest) -> Answer:
        with self._lock:
            self.requests.append(request)
            route = self._routes.get((request.method, request.path), NOT_ROUTED)
        return route(request) if callable(route) else route

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = StubRequest(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    body=json.loads(raw) if raw else None,
                    headers=dict(self.headers.items()),
                )
                answer = stub._answer(request)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        return Handler
