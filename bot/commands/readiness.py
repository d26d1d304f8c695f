"""`coachloop readiness`: per athlete-day readiness level and flags from CSVs of sessions and
of daily wellness, as real teams export them.

A contract used to check coachloop on outside data: ``--json`` prints one JSON list of
``{"athlete", "date", "level", "flags"}`` per athlete and calendar day from the athlete's first
to last record (`planner.readiness_signals`, `planner.triage`); without it a table and a
summary. Bad input is refused with a message and exit code 2 before anything is printed on
standard output.

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

    from planner.triage import DayReadiness
    from planner.wellness_scales import WellnessItem

MAX_SPAN_DAYS = 20 * 366
"""An athlete's records spanning more than 20 years are a mistyped year, not a history."""


@dataclass(frozen=True, slots=True)
class ReadinessRequest:
    """The command's options: where the columns are and how the wellness items are scaled."""

    csv: Path
    athlete_col: str
    date_col: str
    rpe_col: str
    minutes_col: str
    wellness_csv: Path | None = None
    wellness_cols: str | None = None
    wellness_scale: str | None = None
    higher_is_better: bool = False
    wellness_athlete_col: str | None = None
    wellness_date_col: str | None = None
    rpe_scale: str = "0-10"
    date_format: str | None = None


def run_readiness(request: ReadinessRequest, as_json: bool = False) -> None:
    """The body of ``coachloop readiness`` (apart from typer, so tests and the benchmark call
    it): read, refuse or compute, print."""
    from bot.commands.readiness_input import InputError
    from planner.readiness_signals import readiness_signals
    from planner.triage import triage

    try:
        sessions, wellness, items, note = read_inputs(request)
        signals = readiness_signals(sessions, wellness, items)
        _check_spans(signals)
    except (InputError, ValueError) as exc:
        typer.echo(f"coachloop readiness: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(note, err=True)
    days = triage(signals, items)
    if as_json:
        # dumps, not dump: only the one-shot encoder is the C one (~5x faster on big files)
        sys.stdout.write(json.dumps([day.as_dict() for day in days], allow_nan=False) + "\n")
        return
    for line in table_lines(days):
        typer.echo(line)


def read_inputs(
    request: ReadinessRequest,
) -> tuple[pd.DataFrame, pd.DataFrame | None, tuple[WellnessItem, ...], str]:
    """Validated sessions, wellness (or None), the items, and the line for stderr."""
    from bot.commands.readiness_input import InputError, read_sessions, read_wellness
    from planner.wellness_scales import ITEMS_FORM, parse_wellness_items

    r = request
    if (r.wellness_csv is None) != (r.wellness_cols is None):
        raise InputError(f"--wellness-csv and --wellness-cols go together: --wellness-cols "
                         f"{ITEMS_FORM}")
    if r.wellness_csv is None and (r.wellness_scale or r.higher_is_better
                                   or r.wellness_athlete_col or r.wellness_date_col):
        raise InputError("--wellness-scale, --higher-is-better and --wellness-*-col describe "
                         "--wellness-csv, which is not given")
    items: tuple[WellnessItem, ...] = ()
    if r.wellness_cols is not None:
        items = parse_wellness_items(r.wellness_cols, r.wellness_scale, r.higher_is_better)
    sessions = read_sessions(r.csv, r.athlete_col, r.date_col, r.rpe_col, r.minutes_col,
                             r.rpe_scale, r.date_format)
    note = (f"coachloop readiness: {sessions.read} session rows read, {len(sessions.frame)} "
            f"used, {sessions.unrated} without RPE or minutes left out")
    wellness = None
    if r.wellness_csv is not None:
        wellness = read_wellness(r.wellness_csv, r.wellness_athlete_col or r.athlete_col,
                                 r.wellness_date_col or r.date_col, items, r.date_format)
        described = ", ".join(f"{it.name}={it.column} ({it.scale.describe()})" for it in items)
        note += f"; {len(wellness)} wellness rows, items {described}"
    return sessions.frame, wellness, items, note


def _check_spans(signals: pd.DataFrame) -> None:
    counts = signals.groupby("athlete").size()
    too_long = counts[counts > MAX_SPAN_DAYS]
    if len(too_long):
        name = str(too_long.index[0])
        dates = signals.loc[signals["athlete"] == name, "date"]
        raise ValueError(
            f"athlete {name!r} has records from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
            f" (over 20 years): check for a mistyped year"
        )


def table_lines(days: Sequence[DayReadiness]) -> list[str]:
    """An aligned table (flags with their values; info flags in the summary), then a summary."""
    from planner.triage import level_counts

    width = max([len("athlete"), *(len(d.athlete) for d in days)])
    lines = [f"{'athlete':<{width}}  date        level  flags"]
    for day in days:
        shown = [f"{f.code} {f.value:.2f}" if f.value is not None else f.code
                 for f in day.flags if f.severity != "info"]
        lines.append(f"{day.athlete:<{width}}  {day.day.isoformat()}  {day.level:<5}  "
                     f"{'; '.join(shown) or '-'}")
    by_athlete: dict[str, list[DayReadiness]] = {}
    for day in days:
        by_athlete.setdefault(day.athlete, []).append(day)
    total = level_counts(days)
    lines.append("")
    lines.append(f"summary: {len(by_athlete)} athletes, {len(days)} athlete-days: "
                 + ", ".join(f"{level} {count}" for level, count in total.items()))
    for athlete, own in by_athlete.items():
        counts = level_counts(own)
        codes = Counter(f.code for d in own for f in d.flags if f.severity != "info")
        info = Counter(f.code for d in own for f in d.flags if f.severity == "info")
        common = ", ".join(f"{code} {n}" for code, n in codes.most_common(3)) or "none"
        lines.append(
            f"  {athlete}: {len(own)} day{'s' if len(own) > 1 else ''} ({own[0].day} to "
            f"{own[-1].day}), "
            + ", ".join(f"{level} {n}" for level, n in counts.items())
            + f"; most frequent flags: {common}; days without wellness "
            f"{info['wellness_missing']}, without ACWR history {info['acwr_not_enough_history']}"
        )
    return lines


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add ``readiness`` to the coachloop app."""

    @app.command("readiness")
    def readiness(
        csv: Annotated[Path, typer.Option("--csv", help="CSV of sessions, one per row.")],
        athlete_col: Annotated[str, typer.Option("--athlete-col", help="Athlete column.")],
        date_col: Annotated[str, typer.Option("--date-col", help="Date/timestamp column.")],
        rpe_col: Annotated[str, typer.Option("--rpe-col", help="Session RPE column.")],
        minutes_col: Annotated[str, typer.Option("--minutes-col", help="Duration column.")],
        wellness_csv: Annotated[Path | None, typer.Option(
            "--wellness-csv", help="CSV of daily wellness reports.")] = None,
        wellness_cols: Annotated[str | None, typer.Option(
            "--wellness-cols", help="item=COLUMN[:LOW-HIGH][:higher-is-better|"
            "higher-is-worse],... items: fatigue, soreness, stress, sleep_quality, mood.",
        )] = None,
        wellness_scale: Annotated[str | None, typer.Option(
            "--wellness-scale", help="Scale of every item without its own, e.g. 1-5.")] = None,
        higher_is_better: Annotated[bool, typer.Option(
            "--higher-is-better", help="Higher answers are better (default: worse, as "
            "Hooper's 1-7) for every item without its own direction.")] = False,
        wellness_athlete_col: Annotated[str | None, typer.Option(
            "--wellness-athlete-col", help="Athlete column of the wellness CSV "
            "(default: --athlete-col).")] = None,
        wellness_date_col: Annotated[str | None, typer.Option(
            "--wellness-date-col", help="Date column of the wellness CSV "
            "(default: --date-col).")] = None,
        rpe_scale: Annotated[str, typer.Option(
            "--rpe-scale", help="0-10 (CR-10) or 0-100 (CR100).")] = "0-10",
        date_format: Annotated[str | None, typer.Option(
            "--date-format", help="strftime form of non-ISO dates, e.g. %d/%m/%Y.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    ) -> None:
        """Readiness (green/amber/red) and its flags per athlete and day, from CSVs."""
        run_readiness(ReadinessRequest(
            csv, athlete_col, date_col, rpe_col, minutes_col, wellness_csv, wellness_cols,
            wellness_scale, higher_is_better, wellness_athlete_col, wellness_date_col,
            rpe_scale, date_format,
        ), as_json)
