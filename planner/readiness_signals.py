"""The numbers behind the readiness flags, per athlete and calendar day, one numpy pass each.

For each athlete the days run from their first record (a session or a wellness report) to
their last. Load follows `planner.load`'s convention: the load history starts on the first
session day, several sessions a day sum, a day without a session is a rest day (0 AU); before
the first session there is no load history (NaN, ``history_days`` 0). A day without a wellness
report is unknown (NaN), never "as usual".

Columns (NaN where undefined):

* ``history_days``; ``load``; ``acwr`` (coupled rolling, `planner.loadseries`), ``monotony``,
  ``strain`` (Foster 1998);
* ``load_mean``, ``load_z``: the day's load against the athlete's previous 28 days
  (`planner.baseline`, rest days count as 0); ``strain_mean``, ``strain_z`` likewise for the
  weekly strain;
* per wellness item ``<item>`` (as answered), ``<item>_ours`` (coachloop's 1-7, higher worse,
  `planner.wellness_scales`), ``<item>_mean`` (baseline mean, ours), ``<item>_n`` (baseline
  values), ``<item>_z`` (positive = worse than usual); ``total`` (the sum of the listed items,
  only when all were answered: a partial sum is not comparable, as for Hooper's index), with
  ``total_mean``, ``total_n``, ``total_z``; ``wellness_gap``: days since the last report (0 =
  reported today).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planner.baseline import FloatArray, trailing_baseline
from planner.loadseries import club_matrix_metrics
from planner.wellness_scales import WellnessItem

LOAD_COLUMNS = (
    "history_days", "load", "acwr", "monotony", "strain", "load_mean", "load_z", "strain_mean",
    "strain_z",
)


def signal_columns(items: Sequence[WellnessItem]) -> tuple[str, ...]:
    """The columns `readiness_signals` returns for these wellness items, in order."""
    columns = ["athlete", "date", *LOAD_COLUMNS]
    for item in items:
        columns += [item.name, f"{item.name}_ours", f"{item.name}_mean", f"{item.name}_n",
                    f"{item.name}_z"]
    if items:
        columns += ["total", "total_mean", "total_n", "total_z", "wellness_gap"]
    return tuple(columns)


def readiness_signals(
    sessions: pd.DataFrame,
    wellness: pd.DataFrame | None = None,
    items: Sequence[WellnessItem] = (),
) -> pd.DataFrame:
    """Every number the flags read, one row per athlete and day (module docstring).

    ``sessions``: columns ``athlete``, ``date`` (calendar days) and ``load`` (AU, >= 0; the
    caller validates and computes RPE x minutes). ``wellness``: ``athlete``, ``date`` and one
    column per item *name*, values as answered on the item's scale (NaN = not answered);
    several rows of a day merge, a later row's answers overriding earlier ones (corrections).
    """
    if wellness is not None and not items:
        raise ValueError("wellness data need the list of items and their scales")
    s_days = _day_numbers(sessions["date"])
    s_loads = sessions["load"].to_numpy(dtype=np.float64)
    if np.any(~np.isfinite(s_loads)) or np.any(s_loads < 0):
        raise ValueError("every session load must be a non-negative number")
    s_groups = _groups(sessions["athlete"])
    w_groups: dict[str, NDArray[np.intp]] = {}
    w_days = np.zeros(0, dtype=np.int64)
    w_values: dict[str, FloatArray] = {}
    if wellness is not None:
        w_days = _day_numbers(wellness["date"])
        w_values = {it.name: wellness[it.name].to_numpy(dtype=np.float64) for it in items}
        answered = np.any([~np.isnan(v) for v in w_values.values()], axis=0)
        w_groups = _groups(wellness["athlete"], answered)
    frames = []
    for athlete in sorted(set(s_groups) | set(w_groups)):
        s_rows = s_groups.get(athlete, np.zeros(0, dtype=np.intp))
        w_rows = w_groups.get(athlete, np.zeros(0, dtype=np.intp))
        columns = _athlete(
            s_days[s_rows], s_loads[s_rows], w_days[w_rows],
            {name: values[w_rows] for name, values in w_values.items()}, items,
            with_wellness=wellness is not None,
        )
        frames.append(pd.DataFrame({"athlete": athlete, **columns}))
    if not frames:
        return pd.DataFrame({name: [] for name in signal_columns(items)})
    return pd.concat(frames, ignore_index=True)[list(signal_columns(items))]


def _day_numbers(dates: pd.Series) -> NDArray[np.int64]:
    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[D]")
    if np.any(np.isnat(days)):
        raise ValueError("every row needs a date")
    return days.astype(np.int64)


def _groups(athletes: pd.Series, keep: NDArray[np.bool_] | None = None
            ) -> dict[str, NDArray[np.intp]]:
    """Row positions per athlete (in file order), optionally only the rows in ``keep``."""
    names = athletes.astype(str).to_numpy()
    positions = np.arange(len(names)) if keep is None else np.nonzero(keep)[0]
    if positions.size == 0:
        return {}
    codes, uniques = pd.factorize(names[positions])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {str(uniques[k]): positions[order[bounds[k]:bounds[k + 1]]]
            for k in range(len(uniques))}


def _athlete(
    s_days: NDArray[np.int64], s_loads: FloatArray, w_days: NDArray[np.int64],
    w_values: dict[str, FloatArray], items: Sequence[WellnessItem], with_wellness: bool,
) -> dict[str, object]:
    """One athlete's columns from their sessions and answered wellness rows."""
    first = int(min(np.concatenate([s_days, w_days])))
    last = int(max(np.concatenate([s_days, w_days])))
    n = last - first + 1
    out: dict[str, object] = {
        "date": (first + np.arange(n)).astype("datetime64[D]"),
        **_load_columns(s_days - first, s_loads, n),
    }
    if with_wellness:
        out.update(_wellness_columns(w_days - first, w_values, items, n))
    return out


def _load_columns(offsets: NDArray[np.int64], loads: FloatArray, n: int) -> dict[str, object]:
    nan = np.full(n, np.nan)
    if offsets.size == 0:
        return {"history_days": np.zeros(n, dtype=np.int64),
                **{name: nan for name in LOAD_COLUMNS[1:]}}
    start = int(offsets.min())
    series = np.zeros(n - start)
    np.add.at(series, offsets - start, loads)
    metrics = club_matrix_metrics(series[None, :])
    strain = metrics["strain"][0]
    base = trailing_baseline(np.vstack([series, strain]))

    def padded(values: FloatArray) -> FloatArray:
        full = nan.copy()
        full[start:] = values
        return full

    return {
        "history_days": np.maximum(np.arange(n) - start + 1, 0),
        "load": padded(series), "acwr": padded(metrics["acwr_rolling"][0]),
        "monotony": padded(metrics["monotony"][0]), "strain": padded(strain),
        "load_mean": padded(base.mean[0]), "load_z": padded(base.z[0]),
        "strain_mean": padded(base.mean[1]), "strain_z": padded(base.z[1]),
    }


def _wellness_columns(
    offsets: NDArray[np.int64], values: dict[str, FloatArray], items: Sequence[WellnessItem],
    n: int,
) -> dict[str, object]:
    order = np.argsort(offsets, kind="stable")
    offsets = offsets[order]
    answered = [_last_answer_per_day(offsets, values[it.name][order], n) for it in items]
    ours = np.vstack([it.scale.to_ours(a) for it, a in zip(items, answered, strict=True)])
    total = ours.sum(axis=0)  # NaN unless every item was answered
    floors = [it.scale.smallest_change for it in items]
    # one call for every item and the total: each row its own series and floor
    base = trailing_baseline(np.vstack([ours, total]), floor=np.array([*floors, min(floors)]))
    out: dict[str, object] = {}
    for k, item in enumerate(items):
        out |= {item.name: answered[k], f"{item.name}_ours": ours[k],
                f"{item.name}_mean": base.mean[k], f"{item.name}_n": base.count[k],
                f"{item.name}_z": base.z[k]}
    reported = ~np.all(np.isnan(ours), axis=0)
    day = np.arange(n)
    last_report = np.maximum.accumulate(np.where(reported, day, -1))
    gap = np.where(last_report >= 0, day - last_report, day + 1)
    return out | {"total": total, "total_mean": base.mean[-1], "total_n": base.count[-1],
                  "total_z": base.z[-1], "wellness_gap": gap}


def _last_answer_per_day(offsets: NDArray[np.int64], values: FloatArray, n: int) -> FloatArray:
    """Day-indexed answers: the last non-missing answer of each day (``offsets`` sorted)."""
    out = np.full(n, np.nan)
    given = ~np.isnan(values)
    days, answers = offsets[given], values[given]
    if days.size:
        is_last = np.r_[days[1:] != days[:-1], True]
        out[days[is_last]] = answers[is_last]
    return out
