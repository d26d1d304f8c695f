"""A Rasa server that is down costs one timeout per back-off period, not one per message."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from nlu.rasa_client import RasaIntentClient


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _closed_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed on exit: connecting is refused


def _counting(client: RasaIntentClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real: Callable[[str], tuple[str, float]] = client.parse_remote

    def parse_remote(text: str) -> tuple[str, float]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(client, "parse_remote", parse_remote)
    return calls


def test_down_server_is_skipped_for_the_backoff_then_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    client = RasaIntentClient(
        f"http://127.0.0.1:{_closed_loopback_port()}", timeout_s=0.5, backoff_s=30.0, clock=clock
    )
    calls = _counting(client, monkeypatch)

    assert client.intent("my knee hurts")[0] == "report_pain"
    assert (len(calls), client.last_source, client.backing_off) == (1, "local", True)

    clock.now += 10.0
    assert client.intent("what's my plan today?")[0] == "ask_today"
    assert (len(calls), client.last_source) == (1, "local")  # Rasa not asked: no wait

    clock.now += 21.0  # 31 s after the failure
    assert not client.backing_off
    client.intent("hello")
    assert len(calls) == 2 and client.backing_off  # tried again, still down: back off again


class _FlakyRasa(BaseHTTPRequestHandler):
    """Answers 503 to the first /model/parse, then like Rasa."""

    requests = 0

    def do_POST(self) -> None:
        type(self).requests += 1
        if type(self).requests == 1:
            self.send_response(503)
            self.end_headers()
            return
        body = json.dumps({"intent": {"name": "greet", "confidence": 0.97}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def flaky_rasa() -> Iterator[str]:
    _FlakyRasa.requests = 0
    server = HTTPServer(("127.0.0.1", 0), _FlakyRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_server_back_after_the_backoff_is_used_again(flaky_rasa: str) -> None:
    clock = FakeClock()
    client = RasaIntentClient(flaky_rasa, timeout_s=2.0, backoff_s=30.0, clock=clock)
    client.intent("hi there")
    assert client.last_source == "local" and _FlakyRasa.requests == 1
    clock.now += 5.0
    client.intent("hi there")
    assert client.last_source == "local" and _FlakyRasa.requests == 1
    clock.now += 30.0
    assert client.intent("hi there") == ("greet", 0.97)
    assert client.last_source == "rasa" and not client.backing_off
