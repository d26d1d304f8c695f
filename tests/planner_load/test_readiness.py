"""The typed per-day API: wellness, flags with thresholds and sources, readiness colour."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.flags import load_flags, readiness
from planner.frbi import Frbi
from planner.loadtypes import Flag, SessionLoad, WellnessDay
from planner.readiness import load_metrics, metrics_history
from planner.wellness import hooper_index, merge_wellness, wellness_z

D0 = dt.date(2024, 5, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def steady_wellness(days: int, today_values: tuple[int, int, int, int]) -> list[WellnessDay]:
    pattern = [(2, 2, 2, 2), (3, 2, 3, 2), (2, 3, 2, 3)]
    out = [WellnessDay(day(i), *pattern[i % 3]) for i in range(days)]
    out.append(WellnessDay(day(days), *today_values))
    return out


def test_hooper_index_is_the_sum_of_four_items() -> None:
    assert hooper_index(WellnessDay(D0, 3, 4, 5, 2)) == 14


def test_hooper_index_is_null_when_an_item_is_missing() -> None:
    assert hooper_index(WellnessDay(D0, 3, None, 5, 2)) is None


def test_later_wellness_report_corrects_the_earlier_one() -> None:
    merged = merge_wellness([WellnessDay(D0, 3, 4, 5, 2), WellnessDay(D0, None, 1, None, None)])
    assert merged[D0] == WellnessDay(D0, 3, 1, 5, 2)


def test_wellness_z_against_own_baseline_excludes_today() -> None:
    wellness = steady_wellness(28, (2, 2, 6, 2))
    z = wellness_z(merge_wellness(wellness), day(28))
    fatigue_base = [[2, 3, 2][i % 3] for i in range(28)]
    mean = sum(fatigue_base) / 28
    sd = (sum((x - mean) ** 2 for x in fatigue_base) / 27) ** 0.5
    assert z["fatigue"] == pytest.approx((6 - mean) / sd)


def test_wellness_z_needs_seven_baseline_days_and_some_spread() -> None:
    few = steady_wellness(6, (7, 7, 7, 7))
    assert wellness_z(merge_wellness(few), day(6)) == {}
    flat = [WellnessDay(day(i), 2, 2, 2, 2) for i in range(20)] + [WellnessDay(day(20), 6, 6, 6, 6)]
    assert wellness_z(merge_wellness(flat), day(20)) == {}


def test_bad_wellness_day_raises_wellness_and_hooper_flags() -> None:
    metrics = load_metrics([], steady_wellness(28, (6, 6, 6, 6)), day(28))
    codes = {f.code: f for f in metrics.flags}
    assert codes["wellness_z_fatigue"].level == "alert"
    assert codes["wellness_z_fatigue"].threshold == 2.0
    assert codes["hooper_high"].value == 24
    assert metrics.readiness == "alert"


def test_monotony_above_two_is_a_watch_flag_with_its_source() -> None:
    flags = load_flags(None, 2.5, 1000.0, {}, None, None)
    assert [(f.code, f.level, f.threshold) for f in flags] == [("monotony_high", "watch", 2.0)]
    assert "Foster 1998" in flags[0].source


@pytest.mark.parametrize(
    ("acwr", "expected"),
    [(0.7, ("acwr_low", "watch")), (1.0, None), (1.3, None), (1.4, ("acwr_high", "watch")),
     (1.5, ("acwr_spike", "alert"))],
)
def test_acwr_bands(acwr: float, expected: tuple[str, str] | None) -> None:
    flags = load_flags(acwr, None, None, {}, None, None)
    got = (flags[0].code, flags[0].level) if flags else None
    assert got == expected
    for flag in flags:
        assert "not an injury predictor" in flag.message
        assert "Impellizzeri" in flag.source


def test_frbi_above_threshold_is_an_alert_and_says_when_wellness_was_missing() -> None:
    flags = load_flags(None, None, None, {}, None, Frbi(1.25, 1.25, None))
    assert flags[0].code == "frbi_high" and flags[0].level == "alert"
    assert "load only" in flags[0].message
    assert load_flags(None, None, None, {}, None, Frbi(1.2, 1.2, None)) == ()


def test_strain_flag_uses_its_documented_threshold() -> None:
    flags = load_flags(None, None, 6500.0, {}, None, None)
    assert flags[0].code == "strain_high" and flags[0].threshold == 6000.0


def test_readiness_rule() -> None:
    watch = Flag("x", "watch", 1, 1, "s", "m")
    alert = Flag("y", "alert", 1, 1, "s", "m")
    assert readiness([]) == "green"
    assert readiness([watch]) == "watch"
    assert readiness([watch, alert]) == "alert"


def test_a_load_spike_after_a_steady_month_is_flagged() -> None:
    sessions = [SessionLoad(day(i), 5, 60) for i in range(28)]
    sessions += [SessionLoad(day(i), 9, 120) for i in range(28, 35)]
    metrics = load_metrics(sessions, [], day(34))
    assert metrics.acwr_rolling is not None and metrics.acwr_rolling >= 1.5
    assert metrics.frbi is not None and metrics.frbi > 1.2
    assert {"acwr_spike", "frbi_high"} <= {f.code for f in metrics.flags}
    assert metrics.readiness == "alert"


def test_steady_training_is_green() -> None:
    sessions = [SessionLoad(day(i), [4, 6, 0, 5, 7, 0, 3][i % 7], 60) for i in range(60)]
    wellness = [WellnessDay(day(i), 2 + i % 2, 2, 2 + (i // 2) % 2, 2) for i in range(59)]
    wellness.append(WellnessDay(day(59), 3, 2, 2, 2))  # a typical day for this athlete
    metrics = load_metrics(sessions, wellness, day(59))
    assert metrics.readiness == "green", metrics.flags
    assert metrics.frbi_wellness is not None


def test_history_before_the_first_session_is_empty_not_an_error() -> None:
    history = metrics_history([SessionLoad(day(5), 5, 60)], [], day(0), day(6))
    assert [m.days_of_history for m in history] == [0, 0, 0, 0, 0, 1, 2]
    assert history[5].load == 300 and history[0].ctl == 0


def test_history_refuses_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="before the start"):
        metrics_history([], [], day(3), day(1))
