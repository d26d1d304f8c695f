"""PNG charts of the load metrics (matplotlib, Agg canvas: no display, no pyplot state).

Every function takes plain data (a list of `LoadMetrics`, or a `daily_series` DataFrame for one
athlete; the report also a `planner.performance.PerformanceForecast`) and returns PNG bytes,
so the bot can send them in chat and the CLI can write a file. matplotlib is imported inside the
functions so that importing `planner` stays fast.

The words on a chart are English unless the caller passes a `ChartText`: a translate callable,
a number format and the font families to draw with (the bot builds one from the reader's
language; this module never imports the bot). A font other than matplotlib's default is set
with ``rc_context`` around the whole render, under a lock, because matplotlib reads the font
from its global settings both when a text is made and when tick labels are drawn.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from planner.flags import ACWR_ALERT, ACWR_HIGH, ACWR_LOW, HOOPER_HIGH, MONOTONY_HIGH
from planner.loadtypes import LoadMetrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from planner.performance import PerformanceForecast

History: TypeAlias = Sequence[LoadMetrics] | pd.DataFrame
READINESS_COLOURS = {"green": "#2e7d32", "watch": "#f9a825", "alert": "#c62828"}
ACWR_NOTE = "describes load change; not an injury predictor (Impellizzeri et al. 2020)"
NUMERIC_DATES = ("%Y", "%m", "%d", "%H:%M", "%H:%M", "%S.%f")
"""Date tick formats without month names (English month abbreviations in any language)."""
NUMERIC_OFFSETS = ("", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M")
_RENDER = threading.Lock()


def _same(text: str) -> str:
    return text


def _fixed(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


@dataclass(frozen=True, slots=True)
class ChartText:
    """The words and font of a chart: ``translate`` maps each English label (the strings this
    module draws) to the reader's language, ``number`` writes a value with so many decimals,
    ``families`` are the fonts to draw with in order (empty: matplotlib's default), and
    ``numeric_dates`` draws date ticks as numbers rather than English month names."""

    translate: Callable[[str], str] = _same
    number: Callable[[float, int], str] = _fixed
    families: tuple[str, ...] = ()
    numeric_dates: bool = False


ENGLISH = ChartText()


@contextmanager
def _style(text: ChartText) -> Iterator[None]:
    """Draw and save a figure with the chart's fonts (one render at a time: global settings)."""
    import matplotlib

    with _RENDER:
        if not text.families:
            yield
            return
        with matplotlib.rc_context({"font.family": list(text.families)}):
            yield


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


def draw_pmc(ax: Axes, frame: pd.DataFrame, text: ChartText = ENGLISH) -> None:
    """CTL (fitness), ATL (fatigue) and TSB (form) on one axis."""
    t = text.translate
    ax.plot(frame["date"], frame["ctl"], label=t("CTL (42-day)"), color="#1565c0")
    ax.plot(frame["date"], frame["atl"], label=t("ATL (7-day)"), color="#c62828")
    ax.bar(frame["date"], frame["tsb"], label="TSB", color="#9e9e9e", alpha=0.5, width=1.0)
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_title(t("Performance-management chart"))
    ax.set_ylabel("AU")
    ax.legend(loc="upper left", fontsize=8)


def draw_acwr(ax: Axes, frame: pd.DataFrame, text: ChartText = ENGLISH) -> None:
    """Rolling and EWMA ACWR with the 0.8-1.3 band and the 1.5 line."""
    t, n = text.translate, text.number
    ax.axhspan(ACWR_LOW, ACWR_HIGH, color="#c8e6c9", alpha=0.6,
               label=f"{n(ACWR_LOW, 1)}-{n(ACWR_HIGH, 1)}")
    ax.axhline(ACWR_ALERT, color="#c62828", linestyle="--", linewidth=1, label=n(ACWR_ALERT, 1))
    ax.plot(frame["date"], frame["acwr_rolling"], label=t("ACWR rolling"), color="#37474f")
    ax.plot(frame["date"], frame["acwr_ewma"], label=t("ACWR EWMA"), color="#6a1b9a",
            alpha=0.8)
    ax.set_title(t("Acute:chronic load ratio ({note})").format(note=t(ACWR_NOTE)), fontsize=9)
    ax.legend(loc="upper left", fontsize=8)


def draw_weekly(ax: Axes, frame: pd.DataFrame, text: ChartText = ENGLISH) -> None:
    """Weekly (Mon-Sun) load bars and the monotony on each week's last day."""
    t = text.translate
    weeks = frame.set_index("date").resample("W-SUN")
    total = weeks["load"].sum()
    mono = weeks["monotony"].last()
    ax.bar(total.index, total.to_numpy(), width=5, color="#90caf9", label=t("weekly load"))
    ax.set_ylabel(t("AU / week"))
    twin = ax.twinx()
    twin.plot(mono.index, mono.to_numpy(), "o-", color="#e65100", label=t("monotony"))
    twin.axhline(MONOTONY_HIGH, color="#e65100", linestyle=":", linewidth=1)
    twin.set_ylabel(t("monotony"))
    ax.set_title(t("Weekly load and monotony"))


def draw_wellness(ax: Axes, frame: pd.DataFrame, text: ChartText = ENGLISH) -> None:
    """Daily Hooper index (4-28, higher is worse) with its 7-day mean and the > 12 line."""
    t = text.translate
    hooper = frame.set_index("date")["hooper"]
    ax.plot(hooper.index, hooper.to_numpy(), ".", color="#5d4037", label=t("Hooper index"))
    ax.plot(hooper.index, hooper.rolling(7, min_periods=1).mean().to_numpy(),
            color="#5d4037", alpha=0.6, label=t("7-day mean"))
    ax.axhline(HOOPER_HIGH, color="#c62828", linestyle="--", linewidth=1, label="12")
    ax.set_ylim(4, 28)
    ax.set_title(t("Wellness (Hooper index; higher is worse)"))
    ax.legend(loc="upper left", fontsize=8)


def draw_performance(ax: Axes, forecast: PerformanceForecast,
                     text: ChartText = ENGLISH) -> None:
    """Measured tests, the fitted Banister curve and its prediction under the planned load.

    The curve is solid over the recorded history and dashed over the planned days, so a coach
    sees which part is a fit and which a forecast (`planner.performance`).
    """
    from planner.performance import PERFORMANCE_ITEMS

    if forecast.fit is None or forecast.item is None or forecast.history_end is None:
        raise ValueError(f"no Banister fit to chart: {forecast.reason}")
    spec = PERFORMANCE_ITEMS[forecast.item]
    t = text.translate
    fit = forecast.fit
    days = pd.to_datetime([d for d, _ in forecast.curve])
    values = np.array([v for _, v in forecast.curve])
    recorded = np.array([d <= forecast.history_end for d, _ in forecast.curve])
    ax.plot(days[recorded], values[recorded], color="#1565c0", label=t("Banister fit"))
    if not recorded.all():
        # start the dashed part on the last recorded day so the two lines join
        planned = np.concatenate([[max(0, int(recorded.sum()) - 1)], np.flatnonzero(~recorded)])
        ax.plot(days[planned], values[planned], "--", color="#1565c0",
                label=t("planned load ({load} AU/day)").format(
                    load=text.number(forecast.planned_mean_load or 0, 0)))
    ax.plot(pd.to_datetime([d for d, _ in forecast.tests]), [p for _, p in forecast.tests],
            "o", color="#37474f", label=t("tests"))
    if forecast.target_day is not None and forecast.predicted is not None:
        shown = (spec.format(forecast.predicted_value)
                 if forecast.predicted_value is not None else f"{forecast.predicted:.3g}")
        ax.plot([pd.Timestamp(forecast.target_day)], [forecast.predicted], "*", markersize=12,
                color="#c62828", label=t("predicted {day}: {value}").format(
                    day=forecast.target_day, value=shown))
    ax.set_title(
        f"{t(spec.name)} (Banister: k1={fit.k1:.3g}, k2={fit.k2:.3g}, "
        f"τ1={fit.tau1:.0f} d, τ2={fit.tau2:.0f} d, p0={fit.p0:.3g})", fontsize=9,
    )
    ax.set_ylabel(t("{unit}, higher is better").format(unit=t(spec.unit)), fontsize=8)
    ax.legend(loc="upper left", fontsize=8)


def _single(draw: Callable[[Any, pd.DataFrame, ChartText], None], history: History,
            text: ChartText) -> bytes:
    frame = history_frame(history)
    _need_days(frame)
    with _style(text):
        figure, (ax,) = _figure()
        draw(ax, frame, text)
        figure.autofmt_xdate()
        return _png(figure)


def pmc_chart(history: History, text: ChartText = ENGLISH) -> bytes:
    """PNG of the performance-management chart."""
    return _single(draw_pmc, history, text)


def acwr_chart(history: History, text: ChartText = ENGLISH) -> bytes:
    """PNG of the ACWR with its bands."""
    return _single(draw_acwr, history, text)


def weekly_load_chart(history: History, text: ChartText = ENGLISH) -> bytes:
    """PNG of weekly load and monotony."""
    return _single(draw_weekly, history, text)


def wellness_chart(history: History, text: ChartText = ENGLISH) -> bytes:
    """PNG of the wellness trend."""
    return _single(draw_wellness, history, text)


REPORT_PANEL_HEIGHT = 2.6
"""Inches per report panel (at 100 dpi: 260 px per panel)."""


def _concise_dates(axes: Sequence[Axes], numeric: bool = False) -> None:
    """Short date ticks (no overlapping full dates) on panels with their own date ranges;
    ``numeric``: month numbers instead of English month names."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    for ax in axes:
        locator = AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        formatter = (ConciseDateFormatter(locator, formats=list(NUMERIC_DATES),
                                          offset_formats=list(NUMERIC_OFFSETS))
                     if numeric else ConciseDateFormatter(locator))
        ax.xaxis.set_major_formatter(formatter)


def report_figure(
    history: History, title: str = "", performance: PerformanceForecast | None = None,
    text: ChartText = ENGLISH,
) -> Figure:
    """The report's figure: four load panels, and a fifth when the Banister model was fitted.

    A forecast that was refused (fewer than 3 tests, no load) adds no panel: the command prints
    the reason instead, so an empty panel never looks like a flat prediction.
    """
    frame = history_frame(history)
    _need_days(frame)
    fitted = performance is not None and performance.fit is not None
    figure, axes = _figure(rows=5 if fitted else 4, height=REPORT_PANEL_HEIGHT)
    for ax, draw in zip(axes, (draw_pmc, draw_acwr, draw_weekly, draw_wellness), strict=False):
        draw(ax, frame, text)
    if fitted and performance is not None:
        draw_performance(axes[4], performance, text)
    _concise_dates(axes, text.numeric_dates)
    if title:
        figure.suptitle(title)
    return figure


def report_chart(
    history: History, title: str = "", performance: PerformanceForecast | None = None,
    text: ChartText = ENGLISH,
) -> bytes:
    """The report PNG (what `coachloop report` writes, /history sends): `report_figure`
    rendered."""
    with _style(text):
        return _png(report_figure(history, title, performance, text))


def team_chart(team: Sequence[tuple[str, LoadMetrics]], text: ChartText = ENGLISH) -> bytes:
    """One row per athlete: ACWR (rolling) bar coloured by readiness, with the bands.

    Athletes without a defined ACWR get an empty row with "n/a" so nobody disappears.
    """
    if not team:
        raise ValueError("no athletes to chart")
    with _style(text):
        return _team_png(team, text)


def _team_png(team: Sequence[tuple[str, LoadMetrics]], text: ChartText) -> bytes:
    t = text.translate
    figure, (ax,) = _figure(height=max(2.0, 0.4 * len(team) + 1.2))
    names = [name for name, _ in team]
    values = [m.acwr_rolling if m.acwr_rolling is not None else np.nan for _, m in team]
    colours = [READINESS_COLOURS.get(m.readiness, "#9e9e9e") for _, m in team]
    positions = np.arange(len(team))
    ax.axvspan(ACWR_LOW, ACWR_HIGH, color="#c8e6c9", alpha=0.6)
    ax.axvline(ACWR_ALERT, color="#c62828", linestyle="--", linewidth=1)
    ax.barh(positions, np.nan_to_num(values), color=colours)
    for y, value in zip(positions, values, strict=True):
        label = t("n/a") if np.isnan(value) else text.number(float(value), 2)
        x = 0.0 if np.isnan(value) else float(value)
        ax.text(x, float(y), f" {label}", va="center", fontsize=8)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlabel(t("ACWR (rolling); colour = readiness"))
    ax.set_title(t("Team readiness ({note})").format(note=t(ACWR_NOTE)), fontsize=9)
    return _png(figure)


TABLE_COLOURS = {"red": "#ffcdd2", "amber": "#ffe0b2", "green": "#c8e6c9"}


def table_png(header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str = "",
              levels: Sequence[str] = (), text: ChartText = ENGLISH) -> bytes:
    """Rows of text as a PNG table (Telegram renders no tables); ``levels`` colour each row
    (red / amber / green). The cells come worded; ``text`` gives the font to draw them in."""
    with _style(text):
        return _table(header, rows, title, levels)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], title: str,
           levels: Sequence[str]) -> bytes:
    height = 0.8 + 0.22 * (len(rows) + 1)
    figure, (ax,) = _figure(1, height)
    figure.set_size_inches(11, height)
    ax.axis("off")
    cells = [[str(c)[:60] for c in row] for row in rows] or [["-"] * len(header)]
    table = ax.table(cellText=cells, colLabels=list(header), loc="upper center",
                     cellLoc="left", colLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.auto_set_column_width(list(range(len(header))))
    for i, level in enumerate(levels, start=1):
        for j in range(len(header)):
            table[i, j].set_facecolor(TABLE_COLOURS.get(level, "white"))
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return _png(figure)
