"""Every real device file imports or is refused with a reason; our numbers match the device's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.uploads import import_upload, series_from_activity
from planner.session_metrics import AthleteProfile, compute_session_metrics, hrv_time_domain
from storage.activities import list_activities
from storage.db import Database
from storage.readers import WearableFileError, read_wearable
from tests.wearables.conftest import needs_real, real_files

# Files that carry nothing a training log can use, and the reason we must give.
EXPECTED_REFUSALS = {"gpxpy__Mojstrovka.gpx": "no valid timestamps"}
LIMIT = 20 * 1024 * 1024


def _metrics(path: Path) -> list[tuple[object, object]]:
    parsed = read_wearable(path.name, path.read_bytes())
    out = []
    for activity in parsed.activities:
        year = activity.start.year if activity.start else 2020
        m = compute_session_metrics(series_from_activity(activity), AthleteProfile(), year)
        out.append((activity, m))
    return out


@needs_real
@pytest.mark.parametrize("path", real_files(), ids=lambda p: p.name)
def test_real_file_imports_or_is_refused_with_reason(
    path: Path, db: Database, athlete: int
) -> None:
    result = import_upload(db, athlete, path.name, path.read_bytes(), LIMIT)
    if path.name in EXPECTED_REFUSALS:
        assert result.status == "refused"
        assert EXPECTED_REFUSALS[path.name] in result.message
        with db.session() as session:
            assert list_activities(session, athlete, include_days=True) == []
    else:
        assert result.status == "imported", result.message
        assert result.activity_ids
    again = import_upload(db, athlete, path.name, path.read_bytes(), LIMIT)
    assert again.status == ("refused" if path.name in EXPECTED_REFUSALS else "duplicate")


@needs_real
@pytest.mark.parametrize("path", real_files("fit/*.fit"), ids=lambda p: p.name)
def test_fit_derived_totals_agree_with_session_message(path: Path) -> None:
    for activity, m in _metrics(path):
        device = activity.summary
        assert device is not None
        slack = max(6.0, 0.005 * device.elapsed_s)
        assert m.duration_s == pytest.approx(device.elapsed_s, abs=slack)
        assert m.moving_s is None or m.moving_s <= m.duration_s + 1
        if device.distance_m:
            assert m.distance_m == pytest.approx(device.distance_m, rel=0.01, abs=5.5)
        if device.hr_avg is not None:
            # Pool swims average HR over rests too (strap-stored HR); 4 % covers that case.
            assert m.hr_avg == pytest.approx(device.hr_avg, rel=0.04)
            assert m.hr_max == pytest.approx(device.hr_max, abs=1.0)
        if device.ascent_m and device.ascent_m > 20:
            assert m.elevation_gain_m == pytest.approx(device.ascent_m, rel=0.25)


@needs_real
@pytest.mark.parametrize("path", real_files("tcx_gpx/*.tcx"), ids=lambda p: p.name)
def test_tcx_derived_totals_agree_with_lap_totals(path: Path) -> None:
    for activity, m in _metrics(path):
        laps = activity.summary
        assert laps is not None and laps.timer_s is not None
        assert m.duration_s == pytest.approx(laps.timer_s, rel=0.02, abs=5.0)
        if laps.distance_m and len(activity.samples) > 100:
            assert m.distance_m == pytest.approx(laps.distance_m, rel=0.02)
        if laps.hr_avg is not None:
            assert m.hr_avg == pytest.approx(laps.hr_avg, abs=2.0)
            # Smart recording keeps a trackpoint every few seconds, so the lap's true peak
            # may fall between trackpoints: ours can be slightly lower, never higher.
            assert laps.hr_max - 3.0 <= m.hr_max <= laps.hr_max + 0.5


@needs_real
def test_multisport_fit_becomes_one_activity_per_sport_session(
    db: Database, athlete: int
) -> None:
    path = next(p for p in real_files("fit/*.fit") if p.name == "sample_mulitple_header.fit")
    result = import_upload(db, athlete, path.name, path.read_bytes(), LIMIT)
    with db.session() as session:
        sports = [a.sport for a in list_activities(session, athlete)]
    assert len(result.activity_ids) == 5
    assert sorted(sports) == sorted(["swimming", "transition", "cycling", "transition", "running"])


@needs_real
def test_ectopic_filtering_lowers_rmssd_of_noisy_polar_recording() -> None:
    path = next(p for p in real_files("hrv/*") if "noisy" in p.name)
    rr = np.asarray(read_wearable(path.name, path.read_bytes()).activities[0].rr_ms)
    raw_rmssd, raw_sdnn, _ = hrv_time_domain(rr, filter_ectopic=False)
    rmssd, sdnn, kept = hrv_time_domain(rr)
    assert rmssd < 0.8 * raw_rmssd  # ectopic beats inflate successive differences
    assert sdnn <= raw_sdnn
    assert 0.5 < kept < 0.99  # many beats dropped, most kept
    assert 5.0 < rmssd < 150.0  # a physiological RMSSD


@needs_real
def test_gpx_without_heart_rate_imports_distance_only(db: Database, athlete: int) -> None:
    path = next(p for p in real_files("tcx_gpx/*.gpx") if "cerknicko" in p.name)
    ((_activity, m),) = _metrics(path)
    assert m.hr_avg is None and m.trimp_banister is None
    assert m.distance_m is not None and m.distance_m > 1000


def test_unreadable_is_a_wearable_file_error() -> None:
    with pytest.raises(WearableFileError):
        read_wearable("a.fit", b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00")
