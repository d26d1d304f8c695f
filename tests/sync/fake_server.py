"""A local HTTP server in a thread, for the providers' fakes: no test reaches the internet.

A fake answers ``handle(request)`` with (status, headers, body); it records each request
(method, path, query, headers) so a test can check what the real client sent. Faults a test
switches on: ``fail_next`` answers the next requests with a given status and headers (429
with Retry-After, 500), ``malformed`` answers JSON endpoints with a body that is not JSON.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        """An ``application/x-www-form-urlencoded`` body."""
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Fake:
    """Base of a provider fake: faults, the request log, JSON answers."""

    requests: list[Request] = field(default_factory=list)
    faults: list[Answer] = field(default_factory=list)
    faults_at: dict[int, Answer] = field(default_factory=dict)  # the n-th request (1-based)
    malformed: bool = False
    base_url: str = ""

    def fail_next(self, status: int, headers: dict[str, str] | None = None, times: int = 1) -> None:
        """Answer the next ``times`` requests with ``status`` (and ``headers``)."""
        body = json.dumps({"status": status, "error": "fault"}).encode()
        self.faults.extend([(status, dict(headers or {}), body)] * times)

    def fail_at(self, number: int, status: int, headers: dict[str, str] | None = None) -> None:
        """Answer the ``number``-th request from now (1 = the next) with ``status``."""
        body = json.dumps({"status": status, "error": "fault"}).encode()
        self.faults_at[len(self.requests) + number] = (status, dict(headers or {}), body)

    def json_answer(
        self, value: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> Answer:
        if self.malformed:
            return 200, {"Content-Type": "application/json"}, b"<html>not json"
        return (
            status,
            {"Content-Type": "application/json", **(headers or {})},
            (json.dumps(value).encode()),
        )

    def answer(self, request: Request) -> Answer:
        self.requests.append(request)
        if len(self.requests) in self.faults_at:
            return self.faults_at[len(self.requests)]
        if self.faults:
            return self.faults.pop(0)
        return self.handle(request)

    def handle(self, request: Request) -> Answer:
        raise NotImplementedError

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def _handler(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(
                self.command,
                parts.path,
                {k: v[0] for k, v in parse_qs(parts.query).items()},
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
            status, headers, data = fake.answer(request)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output is the test's."""

    return Handler


F = TypeVar("F", bound=Fake)


@contextmanager
def serving(fake: F) -> Iterator[F]:
    """Run ``fake`` on a free local port; ``fake.base_url`` is where it listens."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
