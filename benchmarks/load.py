"""Benchmark: club-wide load metrics, vectorised path vs the scalar per-athlete loop.

Run from the repo root: ``python -m benchmarks.load`` (1,000 athletes x 365 days) or
``python -m benchmarks.load --quick`` (100 athletes). Both paths run in the same process on
the same synthetic club; the scalar loop (`planner.readiness.metrics_history`, one athlete at a
time) runs on a subsample of athletes because it is slow, and its time is scaled per
athlete-year. The two paths are also checked to give the same numbers on the subsample.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from planner.loadseries import daily_series
from planner.loadtypes import SessionLoad
from planner.readiness import metrics_history

METRICS = ("load", "acwr_rolling", "acwr_ewma", "monotony", "strain", "ctl", "atl", "tsb")


def synthetic_club(athletes: int, days: int, seed: int = 0) -> pd.DataFrame:
    """Sessions on ~70 % of days, a second session on ~10 %, RPE 1-10, 20-120 min."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01")
    n = athletes * days
    athlete = np.repeat(np.arange(athletes), days)
    day = np.tile(np.arange(days), athletes)
    keep = rng.random(n) < 0.7
    keep[::days] = True  # every athlete starts on day 0 and ends on the last day
    keep[days - 1 :: days] = True
    extra = keep & (rng.random(n) < 0.1)
    index = np.concatenate([np.nonzero(keep)[0], np.nonzero(extra)[0]])
    return pd.DataFrame({
        "athlete": [f"a{a:04d}" for a in athlete[index]],
        "date": start + day[index].astype("timedelta64[D]"),
        "rpe": rng.integers(1, 11, len(index)).astype(float),
        "minutes": rng.integers(20, 121, len(index)).astype(float),
    })


def scalar_loop(club: pd.DataFrame) -> dict[str, list[tuple[float | None, ...]]]:
    """The typed per-athlete API, one athlete after another."""
    out = {}
    for athlete, group in club.groupby("athlete", sort=True):
        dates = pd.to_datetime(group["date"]).dt.date
        sessions = [
            SessionLoad(d, r, m)
            for d, r, m in zip(dates, group["rpe"], group["minutes"], strict=True)
        ]
        history = metrics_history(sessions, [], min(dates), max(dates))
        out[str(athlete)] = [tuple(getattr(m, k) for k in METRICS) for m in history]
    return out


def _agree(vector: pd.DataFrame, scalar: dict[str, list[tuple[float | None, ...]]]) -> bool:
    for athlete, rows in scalar.items():
        mine = vector[vector["athlete"] == athlete][list(METRICS)].to_numpy(dtype=float)
        theirs = np.array([[np.nan if v is None else v for v in row] for row in rows], float)
        if mine.shape != theirs.shape or not np.allclose(
            mine, theirs, rtol=1e-9, atol=1e-6, equal_nan=True
        ):
            return False
    return True


def main() -> None:
    """Time both paths and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 athletes, small subsample")
    parser.add_argument("--athletes", type=int, default=None)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--scalar-athletes", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    athletes = args.athletes or (100 if args.quick else 1000)
    sub = args.scalar_athletes or (10 if args.quick else 50)
    club = synthetic_club(athletes, args.days)
    years = athletes * args.days / 365.0

    times = []
    for _ in range(args.repeats):
        begin = time.perf_counter()
        vector = daily_series(club)
        times.append(time.perf_counter() - begin)
    vector_s = min(times)

    names = sorted(club["athlete"].unique())[:sub]
    subsample = club[club["athlete"].isin(names)]
    begin = time.perf_counter()
    scalar = scalar_loop(subsample)
    scalar_s = time.perf_counter() - begin
    scalar_years = sub * args.days / 365.0

    vector_per = vector_s / years
    scalar_per = scalar_s / scalar_years
    print(f"club: {athletes} athletes x {args.days} days, {len(club)} session rows")
    print(f"vectorised daily_series: {vector_s:.3f} s total (best of {args.repeats}), "
          f"{vector_per * 1e3:.3f} ms per athlete-year")
    print(f"scalar metrics_history loop: {scalar_s:.3f} s for {sub} athletes (subsample), "
          f"{scalar_per * 1e3:.3f} ms per athlete-year")
    print(f"speed-up (scalar / vectorised per athlete-year): {scalar_per / vector_per:.1f}x")
    print(f"scalar estimate for the whole club: {scalar_per * years:.1f} s "
          f"(extrapolated from the subsample)")
    print(f"same numbers on the subsample: {_agree(vector, scalar)}")
    if not math.isfinite(vector_per):
        raise SystemExit("benchmark failed")


if __name__ == "__main__":
    main()
