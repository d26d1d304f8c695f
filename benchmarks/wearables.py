"""Wearable import throughput: our reader and full import vs the bare parser library.

Run from the repo root: ``python -m benchmarks.wearables [--quick]``. For each format the same
files are read, side by side in one run, by (1) the bare library (fitdecode iterating every
frame, tcxreader, gpxpy), (2) our reader (``storage.readers.read_wearable``: detection,
safety checks, normalisation) and (3) our reader + cleaning + metrics (``bot.uploads.build_rows``,
no database). Records/s counts our normalised records; the ratio is our time / bare time.
Uses the shared real files when present, else files our own fixture writers produce. None of
the real FIT files carries accelerometer data, so the ``fit-imu`` row is always a generated
file (one hour at 25 Hz, a 2.8 Hz step rhythm): it measures the IMU decoding and gait features.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import fitdecode
import gpxpy
from tcxreader.tcxreader import TCXReader

from bot.uploads import build_rows
from planner.session_metrics import AthleteProfile
from storage.readers import read_wearable

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "wearables"
if not REAL.is_dir():
    REAL = Path("/work/shared/data/wearables")


def _bare_fit(path: Path, data: bytes) -> None:
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for _ in reader:
            pass


def _bare_tcx(path: Path, data: bytes) -> None:
    TCXReader().read(str(path))


def _bare_gpx(path: Path, data: bytes) -> None:
    gpxpy.parse(data.decode("utf-8"))


def _ours_read(path: Path, data: bytes) -> None:
    read_wearable(path.name, data)


def _ours_import(path: Path, data: bytes) -> None:
    build_rows(read_wearable(path.name, data), path.name, AthleteProfile())


def _files(kind: str, quick: bool, scratch: Path) -> list[Path]:
    if kind == "fit-imu":
        return [_generated(kind, scratch)]
    pattern = {"fit": "fit/*.fit", "tcx": "tcx_gpx/*.tcx", "gpx": "tcx_gpx/*.gpx"}[kind]
    found = sorted(REAL.glob(pattern)) if REAL.is_dir() else []
    usable = []
    for path in found:
        try:
            build_rows(read_wearable(path.name, path.read_bytes()), path.name, AthleteProfile())
            usable.append(path)
        except ValueError:
            continue  # refused files (no timestamps) are not throughput
    if not usable:
        usable = [_generated(kind, scratch)]
    return usable[:2] if quick else usable


def _generated(kind: str, scratch: Path) -> Path:
    from tests.wearables.fit_writer import write_fit
    from tests.wearables.test_gait import running_accel
    from tests.wearables.test_readers_fixtures import make_gpx, make_tcx

    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    data = {
        "fit": lambda: write_fit(start, [130 + i % 40 for i in range(3600)]),
        "fit-imu": lambda: write_fit(start, [150] * 3600, accel=running_accel(3600)),
        "tcx": lambda: make_tcx([[140 + i % 20 for i in range(1200)]] * 3),
        "gpx": lambda: make_gpx(3600),
    }[kind]()
    path = scratch / f"generated-{kind}.{kind.split('-')[0]}"
    path.write_bytes(data)
    return path


def _time(
    fn: Callable[[Path, bytes], None], files: list[tuple[Path, bytes]], repeats: int
) -> float:
    """Best CPU seconds of this process over ``repeats`` runs.

    CPU time, not wall time: the benchmark runs on machines shared with other jobs, and
    waiting for a core is not our overhead. The three readers are single-threaded, so CPU time
    is their run time on an idle machine.
    """
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for path, data in files:
            fn(path, data)
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 files per format, 1 repeat")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    bare = {"fit": _bare_fit, "fit-imu": _bare_fit, "tcx": _bare_tcx, "gpx": _bare_gpx}
    print(f"files: {REAL if REAL.is_dir() else 'generated fixtures'}; best of {repeats} "
          "(CPU time)")
    print(f"{'format':7} {'files':>4} {'records':>8} {'bare rec/s':>11} {'reader rec/s':>13} "
          f"{'import rec/s':>13} {'reader/bare':>12} {'import/bare':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("fit", "fit-imu", "tcx", "gpx"):
            files = [(p, p.read_bytes()) for p in _files(kind, args.quick, Path(tmp))]
            records = sum(read_wearable(p.name, d).record_count for p, d in files)
            t_bare = _time(bare[kind], files, repeats)
            t_read = _time(_ours_read, files, repeats)
            t_import = _time(_ours_import, files, repeats)
            print(f"{kind:7} {len(files):4d} {records:8d} {records / t_bare:11.0f} "
                  f"{records / t_read:13.0f} {records / t_import:13.0f} "
                  f"{t_read / t_bare:11.2f}x {t_import / t_bare:11.2f}x")


if __name__ == "__main__":
    main()
