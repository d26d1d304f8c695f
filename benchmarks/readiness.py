"""Benchmark: ``coachloop readiness`` against a plain pandas groupby-rolling baseline.

Run from the repo root: ``python -m benchmarks.readiness`` (50 athletes x 730 days, a
PMData-shaped export from `tests.planner_load.team_exports`) or ``--quick`` (10 x 365).
Both paths read the same two CSV files in the same process:

* the command: `bot.commands.readiness.run_readiness` end to end (validation, signals, flags,
  JSON text of every athlete-day with its flags and messages);
* the baseline: the same rules written the obvious way, ``groupby(...).rolling(...)`` per
  column, giving only the level of each athlete-day (no validation, no flag texts).

It prints both times, their ratio, and whether the two give the same level on every day (an
independent check of the rules, not only a timing).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from bot.commands.readiness import ReadinessRequest, read_inputs, run_readiness
from planner.readiness_signals import readiness_signals
from planner.triage import triage
from planner.wellness_scales import WellnessItem, parse_wellness_items
from tests.planner_load.team_exports import WELLNESS_COLS, team_export

CHRONIC, ACUTE, WINDOW, MIN_OBS = 28, 7, 28, 14
T = TypeVar("T")


def _roll(frame: pd.DataFrame, column: str, window: int, how: str, shift: bool = False,
          min_periods: int | None = None) -> pd.Series:
    """Per-athlete rolling statistic of a column (optionally over the previous days only)."""
    series = frame[column]
    if shift:
        series = series.groupby(level=0).shift(1)
    rolled = series.groupby(level=0).rolling(window, min_periods=min_periods or window)
    out = getattr(rolled, how)(ddof=1) if how == "std" else getattr(rolled, how)()
    return out.droplevel(0).reindex(frame.index)


def _z(frame: pd.DataFrame, column: str, floor: float) -> pd.Series:
    """Today against the previous 28 days: >= 14 values, SD floored, flat windows SD 0."""
    count = _roll(frame, column, WINDOW, "count", shift=True, min_periods=1)
    mean = _roll(frame, column, WINDOW, "mean", shift=True, min_periods=1)
    sd = _roll(frame, column, WINDOW, "std", shift=True, min_periods=2)
    flat = (_roll(frame, column, WINDOW, "max", shift=True, min_periods=1)
            == _roll(frame, column, WINDOW, "min", shift=True, min_periods=1))
    scale = sd.where(~flat, 0.0).clip(lower=floor)
    z = (frame[column] - mean) / scale
    return z.where((count >= MIN_OBS) & (scale > 0))


def pandas_levels(sessions_csv: Path, wellness_csv: Path, items: tuple[WellnessItem, ...]
                  ) -> list[str]:
    """The level of every athlete-day by groupby-rolling (athlete, then date order)."""
    s = pd.read_csv(sessions_csv)
    s["date"] = pd.to_datetime(s["end_date_time"].str[:10])
    s["load"] = s["perceived_exertion"] * s["duration_min"]
    w = pd.read_csv(wellness_csv)
    w["date"] = pd.to_datetime(w["effective_time_frame"].str[:10])
    names = [it.name for it in items]
    for it in items:
        w[it.name] = it.scale.to_ours(w[it.column].to_numpy(dtype=float))
    spans = pd.concat([s[["participant", "date"]], w[["participant", "date"]]]).groupby(
        "participant")["date"].agg(["min", "max"])
    grid = pd.MultiIndex.from_tuples(
        [(a, d) for a, row in spans.iterrows() for d in pd.date_range(row["min"], row["max"])],
        names=["athlete", "date"])
    frame = pd.DataFrame(index=grid)
    frame = frame.join(s.groupby(["participant", "date"])["load"].sum().rename_axis(
        ["athlete", "date"])).join(w.groupby(["participant", "date"])[names].last().rename_axis(
            ["athlete", "date"]))
    first = s.groupby("participant")["date"].min()
    started = frame.index.get_level_values("date") >= first.reindex(
        frame.index.get_level_values("athlete")).to_numpy()
    frame["load"] = frame["load"].fillna(0.0).where(started)
    acwr = _roll(frame, "load", ACUTE, "mean") / _roll(frame, "load", CHRONIC, "mean")
    acwr = acwr.replace([np.inf], np.nan).where(_roll(frame, "load", CHRONIC, "sum") > 0)
    week_flat = _roll(frame, "load", ACUTE, "max") == _roll(frame, "load", ACUTE, "min")
    monotony = (_roll(frame, "load", ACUTE, "mean") / frame["load"].groupby(level=0).rolling(
        ACUTE).std(ddof=0).droplevel(0).reindex(frame.index)).where(~week_flat)
    frame["strain"] = _roll(frame, "load", ACUTE, "sum") * monotony
    spike_load = _z(frame, "load", 0.0) >= 2
    spike_strain = _z(frame, "strain", 0.0) >= 2
    frame["total"] = frame[names].sum(axis=1, min_count=len(names))
    total_z = _z(frame, "total", min(it.scale.smallest_change for it in items))
    worse = total_z >= 1
    for it in items:
        worse |= frame[it.name] >= 6.0
        if len(items) > 1:
            worse |= _z(frame, it.name, it.scale.smallest_change) >= 2
    rising = (acwr > 1.3) | (monotony > 2) | spike_load | spike_strain
    red = (acwr >= 1.5) | (total_z >= 2) | (rising & worse)
    amber = rising | (acwr < 0.8) | worse
    return np.select([red, amber], ["red", "amber"], "green").tolist()


def main() -> None:
    """Time both paths on the same files and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 athletes x 365 days")
    parser.add_argument("--athletes", type=int, default=None)
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    athletes = args.athletes or (10 if args.quick else 50)
    days = args.days or (365 if args.quick else 730)
    export = team_export(athletes=athletes, days=days, seed=0)
    items = parse_wellness_items(WELLNESS_COLS, "1-5", higher_is_better=True)
    with tempfile.TemporaryDirectory() as folder:
        sessions, wellness = Path(folder) / "srpe.csv", Path(folder) / "wellness.csv"
        export.sessions.to_csv(sessions, index=False)
        export.wellness.to_csv(wellness, index=False)
        request = ReadinessRequest(
            sessions, "participant", "end_date_time", "perceived_exertion", "duration_min",
            wellness_csv=wellness, wellness_cols=WELLNESS_COLS, wellness_scale="1-5",
            higher_is_better=True, wellness_date_col="effective_time_frame")
        command_s, text = _best(args.repeats, lambda: _command(request))
        baseline_s, levels = _best(args.repeats, lambda: pandas_levels(sessions, wellness, items))
        parts = _parts(request)
    records = json.loads(text)
    same = [r["level"] for r in records] == levels
    print(f"export: {athletes} athletes x {days} days, {len(export.sessions)} session rows, "
          f"{len(export.wellness)} wellness rows, {len(records)} athlete-days")
    print(f"coachloop readiness (CSV -> JSON of levels and flags): {command_s:.3f} s "
          f"(best of {args.repeats})")
    print("  one more run, step by step: "
          + ", ".join(f"{name} {took:.3f} s" for name, took in parts.items()))
    print(f"pandas groupby-rolling baseline (CSV -> levels only): {baseline_s:.3f} s")
    print(f"ratio baseline / command: {baseline_s / command_s:.2f}x")
    print(f"same level on every athlete-day: {same}")
    if not same:
        raise SystemExit("the command and the baseline disagree")


def _command(request: ReadinessRequest) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        run_readiness(request, as_json=True)
    return out.getvalue()


def _parts(request: ReadinessRequest) -> dict[str, float]:
    """One more run of the command, step by step: where its time goes."""
    took: dict[str, float] = {}
    begin = time.perf_counter()
    sessions, wellness, items, _ = read_inputs(request)
    took["reading and checking the CSVs"] = time.perf_counter() - begin
    begin = time.perf_counter()
    signals = readiness_signals(sessions, wellness, items)
    took["signals"] = time.perf_counter() - begin
    begin = time.perf_counter()
    days = triage(signals, items)
    took["flags and levels"] = time.perf_counter() - begin
    begin = time.perf_counter()
    json.dumps([day.as_dict() for day in days])
    took["JSON text"] = time.perf_counter() - begin
    return took


def _best(repeats: int, run: Callable[[], T]) -> tuple[float, T]:
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - begin)
    return min(times), result


if __name__ == "__main__":
    main()
