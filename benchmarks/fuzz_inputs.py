"""Coverage-guided fuzzing (atheris / libFuzzer) of the text extraction and every file reader.

Hypothesis (tests/nlu, tests/wearables/test_fuzz.py) draws inputs blindly; atheris watches which
branches an input reaches and mutates towards new ones, so it finds the odd byte that walks a
FIT definition message or a regex alternation nobody thought of. Each target runs in its own
process (libFuzzer ends the process when its run budget is spent), seeded with valid inputs.

Targets and what counts as a crash:
- ``nlu``: `NluEngine.parse` (VADER backend) on any Unicode text raises, or returns an RPE,
  minutes or sleep value outside the ranges the extractor promises (nlu/extract.py).
- ``fit``, ``gpx``, ``tcx``, ``hrm``, ``rr``, ``csv``: the reader itself (not the dispatcher,
  whose last line of defence would hide a reader bug) raises anything but `WearableFileError`.

    python -m benchmarks.fuzz_inputs [--runs 2000] [--target nlu|fit|...|all] [--artifacts DIR]

Exit status 0: no crash within the budget; otherwise the crashing input is saved under
``--artifacts`` (a temporary folder by default) and libFuzzer's report names it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

READER_TARGETS = ("fit", "gpx", "tcx", "hrm", "rr", "csv")
TARGETS = ("nlu", *READER_TARGETS)
TEXT_SEEDS = (
    "rpe 6, 45 min, legs a bit heavy",
    "RPE 8, 70 min, tough intervals, knee sore",
    "effort 7/10, 1h, slept badly, stressed",
    "slept 7.5 hours, ran 10 km in 52:30, left hamstring tight",
    "rpe 99, -3 min, 10000 minutes",
    "𝟕 out of 10 \u202eRPE 7\u202c 😭 knee",
)


def _seeds(target: str) -> list[bytes]:
    """Valid inputs to start from (the wearable tests' fixtures, shared with hypothesis)."""
    if target == "nlu":
        return [t.encode("utf-8") for t in TEXT_SEEDS]
    from tests.wearables.test_fuzz import VALID

    if target in VALID:
        return [VALID[target]]
    if target == "rr":
        return [b"812\n790\n805\n1203\n640\n", b"RR\n0.812\n0.790\n"]
    return []


def _nlu_target() -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports(include=["nlu"]):
        from nlu import NluEngine
        from nlu.extract import MINUTES_RANGE, RPE_RANGE, SLEEP_RANGE
    engine = NluEngine.create(backend="vader")

    def inside(value: float | None, bounds: tuple[float, float]) -> bool:
        return value is None or bounds[0] <= value <= bounds[1]

    def one(data: bytes) -> None:
        text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4000)
        report = engine.parse(text)
        if not (inside(report.rpe, RPE_RANGE) and inside(report.minutes, MINUTES_RANGE)
                and inside(report.sleep_h, SLEEP_RANGE)):
            raise RuntimeError(f"out-of-range value extracted from {text!r}: {report}")

    return one


def _reader_target(kind: str) -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports(include=["storage.readers"]):
        from storage.readers import READERS, WearableFileError
    reader = READERS[kind]

    def one(data: bytes) -> None:
        with contextlib.suppress(WearableFileError):
            reader(data)

    return one


def run_target(target: str, runs: int, artifacts: Path) -> None:
    """Fuzz one target in this process (libFuzzer exits when done)."""
    import atheris

    one = _nlu_target() if target == "nlu" else _reader_target(target)
    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{target}-"))
    for i, seed in enumerate(_seeds(target)):
        (corpus / f"seed{i}").write_bytes(seed)
    artifacts.mkdir(parents=True, exist_ok=True)
    args = [sys.argv[0], f"-runs={runs}", "-timeout=30", "-rss_limit_mb=3072",
            "-max_len=65536", f"-artifact_prefix={artifacts}/{target}-", "-print_final_stats=1",
            str(corpus)]
    atheris.Setup(args, one)
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2000, help="inputs per target")
    parser.add_argument("--target", choices=(*TARGETS, "all"), default="all")
    parser.add_argument("--artifacts", type=Path, default=None,
                        help="where crashing inputs are saved (default: a temporary folder)")
    parser.add_argument("--quick", action="store_true", help="300 inputs per target")
    args = parser.parse_args()
    runs = 300 if args.quick else args.runs
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="fuzz-artifacts-"))
    if args.target != "all":
        run_target(args.target, runs, artifacts)
        return 0
    failed = []
    for target in TARGETS:  # one process each: libFuzzer ends the process it runs in
        code = subprocess.call(
            [sys.executable, "-m", "benchmarks.fuzz_inputs", "--target", target,
             "--runs", str(runs), "--artifacts", str(artifacts)],
            env=dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1"),
        )
        print(f"fuzz {target}: {runs} inputs, exit {code}", flush=True)
        if code != 0:
            failed.append(target)
    if failed:
        print(f"crashes in: {', '.join(failed)}; inputs saved under {artifacts}")
        return 1
    print(f"no crash in {runs} inputs per target ({', '.join(TARGETS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
