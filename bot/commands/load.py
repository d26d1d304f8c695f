"""`coachloop load` (load metrics from a CSV of sessions) and `coachloop report` (PNG charts).

``coachloop load`` is a stable contract used to evaluate coachloop on outside data: it prints,
per athlete and calendar day from the athlete's first to last date, one record with athlete,
date, load, acwr_rolling, acwr_ewma, monotony, strain, ctl, atl, tsb (null where undefined, as
defined in `planner.acwr`, `planner.monotony` and `planner.pmc`). Rows with a missing or
out-of-range value are skipped and counted on stderr, never used.

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.config import load_settings
from storage.people import find_person

if TYPE_CHECKING:
    import pandas as pd

    from planner.performance import PerformanceForecast

OUTPUT_COLUMNS = (
    "athlete", "date", "load", "acwr_rolling", "acwr_ewma", "monotony", "strain", "ctl", "atl",
    "tsb",
)
SKIP_REASONS = {
    "athlete": "athlete missing",
    "date": "date missing or not an ISO date/timestamp",
    "rpe": "RPE missing or outside 0-10",
    "minutes": "minutes missing or outside (0, 1440]",
}


def parse_day(text: str) -> dt.date | None:
    """The calendar day of an ISO date or timestamp, as written (no time-zone conversion).

    A timestamp with an offset keeps its own wall-clock date: that is the day the athlete lived.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_sessions_csv(
    path: Path, athlete_col: str, date_col: str, rpe_col: str, minutes_col: str
) -> tuple[pd.DataFrame, int, Counter[str]]:
    """(valid rows as athlete/date/rpe/minutes, rows read, skipped rows per reason)."""
    import pandas as pd

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in (athlete_col, date_col, rpe_col, minutes_col) if c not in raw.columns]
    if missing:
        raise ValueError(
            f"column(s) {missing} not in {path.name}; it has {list(raw.columns)}"
        )
    skipped: Counter[str] = Counter()
    rows: list[tuple[str, dt.date, float, float]] = []
    columns = zip(raw[athlete_col], raw[date_col], raw[rpe_col], raw[minutes_col], strict=True)
    for athlete, date_text, rpe_text, minutes_text in columns:
        name = athlete.strip()
        day = parse_day(date_text)
        rpe = _number(rpe_text)
        minutes = _number(minutes_text)
        if not name:
            skipped["athlete"] += 1
        elif day is None:
            skipped["date"] += 1
        elif rpe is None or not (0 <= rpe <= 10):
            skipped["rpe"] += 1
        elif minutes is None or not (0 < minutes <= 1440):
            skipped["minutes"] += 1
        else:
            rows.append((name, day, rpe, minutes))
    frame = pd.DataFrame(rows, columns=["athlete", "date", "rpe", "minutes"])
    return frame, len(raw), skipped


def series_records(series: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records: ISO dates, floats, and None for undefined (NaN) values."""
    records = []
    for row in series.itertuples(index=False):
        record: dict[str, Any] = {"athlete": str(row.athlete), "date": str(row.date)[:10]}
        for name in OUTPUT_COLUMNS[2:]:
            value = float(getattr(row, name))
            record[name] = None if math.isnan(value) else value
        records.append(record)
    return records


def _summary(read: int, used: int, skipped: Counter[str]) -> str:
    parts = ", ".join(f"{SKIP_REASONS[k]}: {skipped[k]}" for k in SKIP_REASONS if skipped[k])
    text = f"coachloop load: {read} rows read, {used} used, {sum(skipped.values())} skipped"
    return text + (f" ({parts})" if parts else "")


def _table_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def run_load(
    csv: Path, athlete_col: str, date_col: str, rpe_col: str, minutes_col: str, as_json: bool
) -> None:
    """The body of ``coachloop load`` (separate from typer so tests can call it)."""
    from planner.loadseries import daily_series

    try:
        frame, read, skipped = read_sessions_csv(csv, athlete_col, date_col, rpe_col, minutes_col)
    except (OSError, ValueError) as exc:
        typer.echo(f"coachloop load: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(_summary(read, len(frame), skipped), err=True)
    records = series_records(daily_series(frame)) if len(frame) else []
    if as_json:
        json.dump(records, sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
        return
    print("\t".join(OUTPUT_COLUMNS))
    for record in records:
        print("\t".join(_table_value(record[c]) for c in OUTPUT_COLUMNS))


def run_report(
    athlete: str, out: Path, days: int, as_json: bool = False, item: str | None = None
) -> None:
    """The body of ``coachloop report``: read the athlete's history, write the PNG.

    Also fits the athlete's Banister model to their performance tests and predicts the next
    test day (`planner.performance`). Planned load: each stored prescribed session after the
    last recorded day counts as its planned minutes x the athlete's minutes-weighted mean RPE
    of the last 28 days (planned RPE is not stored); every other day keeps the last 28-day
    mean daily load.
    """
    from bot.services.history import (
        Outlook,
        first_day,
        performance_outlook,
        stored_inputs,
        stored_nights,
    )
    from bot.wiring import open_migrated
    from planner.charts import report_chart
    from planner.performance import PLAN_BASELINE_DAYS
    from planner.readiness import metrics_history

    # open_migrated also configures ENCRYPTION_KEY: prescribed sessions' inputs are encrypted
    database = open_migrated(load_settings())
    outlook: Outlook | None = None
    with database.session() as session:
        person = find_person(session, athlete)
        if person is None:
            typer.echo(f"no athlete matches {athlete!r} (use an id, @username or name)", err=True)
            raise typer.Exit(code=2)
        name = person.display_name
        sessions, wellness = stored_inputs(session, person.id, dt.date.max)
        first = first_day(sessions, wellness)
        end = max([s.day for s in sessions] + [w.day for w in wellness]) if first else None
        nights = stored_nights(session, person.id, end) if end is not None else []
        if end is not None:
            try:
                outlook = performance_outlook(session, person.id, sessions, end, item)
            except ValueError as exc:
                typer.echo(f"coachloop report: {exc}", err=True)
                raise typer.Exit(code=2) from exc
    if first is None or end is None or outlook is None:
        typer.echo(f"{name} has no check-ins or activities yet: nothing to chart", err=True)
        raise typer.Exit(code=1)
    if outlook.plan_unreadable:
        typer.echo("prescribed sessions are encrypted with a key that is not set "
                   "(ENCRYPTION_KEY): planned load = last 28-day mean", err=True)
    start = max(first, end - dt.timedelta(days=days - 1))
    history = metrics_history(sessions, wellness, start, end, nights=nights)
    forecast, planned_loads, rpe = outlook.forecast, outlook.planned_loads, outlook.assumed_rpe
    out.write_bytes(report_chart(history, title=f"{name}: {start} to {end}",
                                 performance=forecast))
    today = history[-1]
    used = sum(1 for d in planned_loads if forecast.target_day and d < forecast.target_day)
    if as_json:
        json.dump({
            "athlete": name, "out": str(out), "start": start.isoformat(),
            "end": end.isoformat(), "days": len(history), "readiness": today.readiness,
            "banister": forecast.as_dict(),
            "plan": {"prescribed_days": used, "assumed_rpe": rpe,
                     "baseline_days": PLAN_BASELINE_DAYS},
        }, sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
        return
    typer.echo(f"wrote {out} ({len(history)} days; readiness on {end}: {today.readiness})")
    for line in _forecast_lines(forecast, used, rpe):
        typer.echo(line)


def _forecast_lines(forecast: PerformanceForecast, prescribed: int, rpe: float | None
                    ) -> list[str]:
    """The Banister fit and prediction as the report prints them (or why there is none)."""
    from planner.performance import PERFORMANCE_ITEMS

    fit = forecast.fit
    if fit is None or forecast.item is None:
        return [f"Banister model not fitted: {forecast.reason}"]
    spec = PERFORMANCE_ITEMS[forecast.item]
    unit = spec.unit
    r2 = "n/a" if fit.r2 is None else f"{fit.r2:.2f}"
    loo = ("n/a (needs 4 tests)" if fit.loo_rmse is None
           else f"{fit.loo_rmse:.3g} {unit}")
    lines = [
        f"Banister model on {spec.name} ({unit}, higher is better; {fit.n_tests} tests, "
        f"{forecast.tests[0][0]} to {forecast.tests[-1][0]}):",
        f"  k1={fit.k1:.4g} k2={fit.k2:.4g} tau1={fit.tau1:.1f} d tau2={fit.tau2:.1f} d "
        f"p0={fit.p0:.4g} {unit}",
        f"  fit: RMSE {fit.rmse:.3g} {unit}, R² {r2}, leave-one-out RMSE {loo}",
    ]
    if forecast.predicted is not None and forecast.target_day is not None:
        shown = "" if forecast.predicted_value is None else (
            f" = {spec.format(forecast.predicted_value)}")
        lines.append(f"prediction for {forecast.target_day} (next test day): "
                     f"{forecast.predicted:.4g} {unit}{shown}")
        plan = (f"{forecast.planned_days} planned days, mean "
                f"{forecast.planned_mean_load or 0:.0f} AU/day" if forecast.planned_days
                else "no planned days")
        how = [f"other days keep the last 28-day mean {forecast.baseline_load or 0:.0f} AU/day"]
        if prescribed and rpe is not None:
            how.insert(0, f"{prescribed} prescribed session(s) at planned minutes x mean RPE "
                          f"{rpe:.1f}")
        lines.append(f"  under the planned load: {plan} ({'; '.join(how)})")
    return lines


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add ``load`` and ``report`` to the coachloop app."""

    @app.command("load")
    def load(
        csv: Annotated[Path, typer.Option("--csv", help="CSV file of sessions, one per row.")],
        athlete_col: Annotated[str, typer.Option("--athlete-col", help="Athlete column.")],
        date_col: Annotated[str, typer.Option("--date-col", help="ISO date/timestamp column.")],
        rpe_col: Annotated[str, typer.Option("--rpe-col", help="CR-10 session RPE column.")],
        minutes_col: Annotated[str, typer.Option("--minutes-col", help="Duration column.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    ) -> None:
        """Daily load, ACWR, monotony, strain and CTL/ATL/TSB per athlete and day."""
        run_load(csv, athlete_col, date_col, rpe_col, minutes_col, as_json)

    @app.command("report")
    def report(
        athlete: Annotated[str, typer.Option("--athlete", help="Id, @username or name.")],
        out: Annotated[Path, typer.Option("--out", help="PNG file to write.")],
        days: Annotated[int, typer.Option("--days", min=7, help="Days to chart.")] = 120,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
        item: Annotated[str | None, typer.Option(
            "--item", help="Performance test for the Banister model (default: first of "
            "run_3000m_s, endurance_run_s, run_50m_s, standing_long_jump_cm with 3 tests).",
        )] = None,
    ) -> None:
        """Write an athlete's load report (PMC, ACWR, weekly load, wellness, Banister) as PNG."""
        run_report(athlete, out, days, as_json, item)
