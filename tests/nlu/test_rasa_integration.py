"""Against a real Rasa 3.6 server, when the separate environment from `make rasa` exists."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlu import NluEngine
from nlu.rasa_client import RasaIntentClient

ROOT = Path(__file__).resolve().parents[2]
RASA_BIN = ROOT / "rasa" / ".venv" / "bin" / "rasa"
RASA_MODEL = ROOT / "rasa" / "models" / "coachloop-nlu.tar.gz"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (RASA_BIN.is_file() and RASA_MODEL.is_file()),
        reason="Rasa environment not built: run `make rasa` (bash rasa/setup.sh train) "
        "to create rasa/.venv with Python 3.10 and train rasa/models/coachloop-nlu.tar.gz",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def rasa_url() -> Iterator[str]:
    import httpx

    port = _free_port()
    proc = subprocess.Popen(
        [
            str(RASA_BIN),
            "run",
            "--enable-api",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            str(RASA_MODEL),
        ],
        cwd=ROOT / "rasa",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"rasa run exited with code {proc.returncode}")
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("Rasa server did not answer within 90 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_real_rasa_server_answers_model_parse(rasa_url: str) -> None:
    client = RasaIntentClient(rasa_url, timeout_s=5.0)
    name, confidence = client.intent("my knee hurts after the run")
    assert client.last_source == "rasa"
    assert name == "report_pain"
    assert 0.0 < confidence <= 1.0


def test_engine_with_rasa_backend_uses_the_server(rasa_url: str) -> None:
    engine = NluEngine("rasa", rasa_url=rasa_url)
    report = engine.parse("what's my plan today?")
    assert report.intent == "ask_today"
