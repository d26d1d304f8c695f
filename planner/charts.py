"""PNG charts of the load metrics (matplotlib, Agg canvas: no display, no pyplot state).

Every function takes plain data (a list of `LoadMetrics`, or a `daily_series` DataFrame for one
athlete) and returns PNG bytes, so the bot can send them in chat and the CLI can write a file.
matplotlib is imported inside the functions so that importing `planner` stays fast.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from planner.flags import ACWR_ALERT, ACWR_HIGH, ACWR_LOW, HOOPER_HIGH, MONOTONY_HIGH
from planner.loadtypes import LoadMetrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

History: TypeAlias = Sequence[LoadMetrics] | pd.DataFrame
READINESS_COLOURS = {"green": "#2e7d32", "watch": "#f9a825", "alert": "#c62828"}
ACWR_NOTE = "describes load change; not an injury predictor (Impellizzeri et al. 2020)"


def history_frame(history: History) -> pd.DataFrame:
    """One row per day with the chartable columns (NaN where undefined)."""
    if isinstance(history, pd.DataFrame):
        frame = history.copy()
        frame["date"] = pd.to_datetime(frame["date"])
        if "hooper" not in frame.columns:
            frame["hooper"] = np.nan
        return frame.reset_index(drop=True)
    rows = [
        {
            "date": pd.Timestamp(m.day), "load": m.load, "acwr_rolling": m.acwr_rolling,
            "acwr_ewma": m.acwr_ewma, "monotony": m.monotony, "strain": m.strain,
            "ctl": m.ctl, "atl": m.atl, "tsb": m.tsb, "hooper": m.hooper,
        }
        for m in history
    ]
    columns = ["date", "load", "acwr_rolling", "acwr_ewma", "monotony", "strain", "ctl", "atl",
               "tsb", "hooper"]
    return pd.DataFrame(rows, columns=columns).astype({c: float for c in columns[1:]})


def _figure(rows: int = 1, height: float = 3.2) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, height * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = [figure.add_subplot(rows, 1, i + 1) for i in range(rows)]
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _need_days(frame: pd.DataFrame) -> None:
    if frame.empty:
        raise ValueError("no days to chart: the athlete has no history in this range")


def draw_pmc(ax: Axes, frame: pd.DataFrame) -> None:
    """CTL (fitness), ATL (fatigue) and TSB (form) on one axis."""
    ax.plot(frame["date"], frame["ctl"], label="CTL (42-day)", color="#1565c0")
    ax.plot(frame["date"], frame["atl"], label="ATL (7-day)", color="#c62828")
    ax.bar(frame["date"], frame["tsb"], label="TSB", color="#9e9e9e", alpha=0.5, width=1.0)
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_title("Performance-management chart")
    ax.set_ylabel("AU")
    ax.legend(loc="upper left", fontsize=8)


def draw_acwr(ax: Axes, frame: pd.DataFrame) -> None:
    """Rolling and EWMA ACWR with the 0.8-1.3 band and the 1.5 line."""
    ax.axhspan(ACWR_LOW, ACWR_HIGH, color="#c8e6c9", alpha=0.6, label=f"{ACWR_LOW}-{ACWR_HIGH}")
    ax.axhline(ACWR_ALERT, color="#c62828", linestyle="--", linewidth=1, label=f"{ACWR_ALERT}")
    ax.plot(frame["date"], frame["acwr_rolling"], label="ACWR rolling", color="#37474f")
    ax.plot(frame["date"], frame["acwr_ewma"], label="ACWR EWMA", color="#6a1b9a", alpha=0.8)
    ax.set_title(f"Acute:chronic load ratio ({ACWR_NOTE})", fontsize=9)
    ax.legend(loc="upper left", fontsize=8)


def draw_weekly(ax: Axes, frame: pd.DataFrame) -> None:
    """Weekly (Mon-Sun) load bars and the monotony on each week's last day."""
    weeks = frame.set_index("date").resample("W-SUN")
    total = weeks["load"].sum()
    mono = weeks["monotony"].last()
    ax.bar(total.index, total.to_numpy(), width=5, color="#90caf9", label="weekly load")
    ax.set_ylabel("AU / week")
    twin = ax.twinx()
    twin.plot(mono.index, mono.to_numpy(), "o-", color="#e65100", label="monotony")
    twin.axhline(MONOTONY_HIGH, color="#e65100", linestyle=":", linewidth=1)
    twin.set_ylabel("monotony")
    ax.set_title("Weekly load and monotony")


def draw_wellness(ax: Axes, frame: pd.DataFrame) -> None:
    """Daily Hooper index (4-28, higher is worse) with its 7-day mean and the > 12 line."""
    hooper = frame.set_index("date")["hooper"]
    ax.plot(hooper.index, hooper.to_numpy(), ".", color="#5d4037", label="Hooper index")
    ax.plot(hooper.index, hooper.rolling(7, min_periods=1).mean().to_numpy(),
            color="#5d4037", alpha=0.6, label="7-day mean")
    ax.axhline(HOOPER_HIGH, color="#c62828", linestyle="--", linewidth=1, label="12")
    ax.set_ylim(4, 28)
    ax.set_title("Wellness (Hooper index; higher is worse)")
    ax.legend(loc="upper left", fontsize=8)


def _single(draw: Callable[[Any, pd.DataFrame], None], history: History) -> bytes:
    frame = history_frame(history)
    _need_days(frame)
    figure, (ax,) = _figure()
    draw(ax, frame)
    figure.autofmt_xdate()
    return _png(figure)


def pmc_chart(history: History) -> bytes:
    """PNG of the performance-management chart."""
    return _single(draw_pmc, history)


def acwr_chart(history: History) -> bytes:
    """PNG of the ACWR with its bands."""
    return _single(draw_acwr, history)


def weekly_load_chart(history: History) -> bytes:
    """PNG of weekly load and monotony."""
    return _single(draw_weekly, history)


def wellness_chart(history: History) -> bytes:
    """PNG of the wellness trend."""
    return _single(draw_wellness, history)


def report_chart(history: History, title: str = "") -> bytes:
    """All four panels in one PNG (what `coachloop report` writes)."""
    frame = history_frame(history)
    _need_days(frame)
    figure, axes = _figure(rows=4, height=2.6)
    for ax, draw in zip(axes, (draw_pmc, draw_acwr, draw_weekly, draw_wellness), strict=True):
        draw(ax, frame)
    if title:
        figure.suptitle(title)
    return _png(figure)


def team_chart(team: Sequence[tuple[str, LoadMetrics]]) -> bytes:
    """One row per athlete: ACWR (rolling) bar coloured by readiness, with the bands.

    Athletes without a defined ACWR get an empty row with "n/a" so nobody disappears.
    """
    if not team:
        raise ValueError("no athletes to chart")
    figure, (ax,) = _figure(height=max(2.0, 0.4 * len(team) + 1.2))
    names = [name for name, _ in team]
    values = [m.acwr_rolling if m.acwr_rolling is not None else np.nan for _, m in team]
    colours = [READINESS_COLOURS.get(m.readiness, "#9e9e9e") for _, m in team]
    positions = np.arange(len(team))
    ax.axvspan(ACWR_LOW, ACWR_HIGH, color="#c8e6c9", alpha=0.6)
    ax.axvline(ACWR_ALERT, color="#c62828", linestyle="--", linewidth=1)
    ax.barh(positions, np.nan_to_num(values), color=colours)
    for y, value in zip(positions, values, strict=True):
        label = "n/a" if np.isnan(value) else f"{value:.2f}"
        x = 0.0 if np.isnan(value) else float(value)
        ax.text(x, float(y), f" {label}", va="center", fontsize=8)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlabel("ACWR (rolling); colour = readiness")
    ax.set_title(f"Team readiness ({ACWR_NOTE})", fontsize=9)
    return _png(figure)
