"""The atheris harness (benchmarks/fuzz_inputs.py) runs a bounded budget on every target.

Skipped when atheris is not installed (it is a dev extra: a compiled wheel, not needed to run
the bot); `make bench` can give it a larger budget with ``python -m benchmarks.fuzz_inputs``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.fuzz_inputs import TARGETS

pytest.importorskip("atheris", reason="atheris not installed (pip install atheris)")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_coverage_guided_fuzzing_finds_no_crash(target: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.fuzz_inputs", "--target", target, "--runs", "400",
         "--artifacts", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1"),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Done 400 runs" in done.stderr
    assert not list(tmp_path.iterdir()), "a crashing input was saved"


def test_a_crash_is_reported_with_the_input_saved(tmp_path: Path) -> None:
    """The harness can fail: a target that raises on every input exits non-zero."""
    script = (
        "import sys, atheris\n"
        "def one(data):\n"
        "    raise IndexError('planted bug')\n"
        f"atheris.Setup([sys.argv[0], '-runs=10', '-artifact_prefix={tmp_path}/'], one)\n"
        "atheris.Fuzz()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0 and "planted bug" in done.stdout + done.stderr
    assert list(tmp_path.iterdir())
