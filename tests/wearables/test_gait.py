"""IMU: FIT accelerometer messages -> magnitude (eq. 1) -> FFT step frequency (eq. 2), RMS."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from bot.uploads import import_upload
from planner.gait import gait_features
from storage.activities import list_activities
from storage.db import Database
from storage.readers import read_wearable
from tests.wearables.fit_writer import write_fit

START = dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC)
LIMIT = 20 * 1024 * 1024


def running_accel(
    seconds: int, step_hz: float = 2.8, rate: int = 25, seed: int = 0
) -> tuple[list[float], list[float], list[float]]:
    """A wrist-like trace in g: vertical bounce at the step frequency plus its harmonic,
    arm swing at the stride frequency (half of it) sideways, and sensor noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds * rate) / rate
    noise = 0.05 * rng.standard_normal((3, t.size))
    x = 0.3 * np.sin(np.pi * step_hz * t) + noise[0]
    y = noise[1]
    z = 1.0 + 0.6 * np.sin(2 * np.pi * step_hz * t) + 0.2 * np.sin(4 * np.pi * step_hz * t)
    return x.tolist(), y.tolist(), (z + noise[2]).tolist()


def test_fit_accelerometer_run_yields_cadence_of_its_step_frequency(
    db: Database, athlete: int
) -> None:
    data = write_fit(START, [150] * 300, accel=running_accel(300, step_hz=2.8))
    result = import_upload(db, athlete, "imu-run.fit", data, LIMIT)
    assert result.status == "imported", result.message
    assert result.records == 300 + 300 * 25  # records + accelerometer samples
    with db.session() as session:
        (activity,) = list_activities(session, athlete)
    imu = activity.extra["imu"]
    assert imu["cadence_spm"] == pytest.approx(168.0, abs=1.0)
    assert imu["step_hz"] == pytest.approx(2.8, abs=0.02)
    assert imu["rate_hz"] == pytest.approx(25.0, abs=0.1)
    assert imu["source"] == "calibrated" and imu["periodic_windows"] == imu["windows"] == 15
    assert 1.0 < imu["rms_g"] < 1.3 and imu["dynamic_rms_g"] > 0.3


def test_raw_counts_are_calibrated_and_rotated_as_the_fit_protocol_says() -> None:
    x, y, z = running_accel(60)
    swap = [0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]  # device frame -> (-y, x, z)
    data = write_fit(START, [150] * 60, accel=(x, y, z), accel_raw=True, orientation=swap)
    (activity,) = read_wearable("raw.fit", data).activities
    accel = activity.accel
    assert accel is not None and accel.source == "raw" and len(accel) == 60 * 25
    # counts are whole thousandths of a g: the conversion is exact to 0.5 mg
    assert np.allclose(accel.x, -np.asarray(y), atol=6e-4)
    assert np.allclose(accel.y, np.asarray(x), atol=6e-4)
    assert np.allclose(accel.z, np.asarray(z), atol=6e-4)
    assert accel.t[1] - accel.t[0] == pytest.approx(0.04, abs=1e-6)


def test_raw_run_gives_the_same_cadence_as_calibrated(db: Database, athlete: int) -> None:
    data = write_fit(START, [150] * 180, accel=running_accel(180, 3.1), accel_raw=True)
    import_upload(db, athlete, "raw-run.fit", data, LIMIT)
    with db.session() as session:
        (activity,) = list_activities(session, athlete)
    assert activity.extra["imu"]["cadence_spm"] == pytest.approx(186.0, abs=1.0)
    assert activity.extra["imu"]["source"] == "raw"


def test_raw_counts_without_calibration_are_dropped_with_a_warning() -> None:
    data = write_fit(START, [150] * 60, accel=running_accel(60), accel_raw=True,
                     calibration=False)
    parsed = read_wearable("uncalibrated.fit", data)
    assert parsed.activities[0].accel is None
    assert any("without a usable calibration" in w for w in parsed.warnings)


def test_invalid_accelerometer_values_drop_only_their_sample() -> None:
    x, y, z = running_accel(60)
    for i in (5, 100, 1000):
        y[i] = float("nan")
    data = write_fit(START, [150] * 60, accel=(x, y, z))
    (activity,) = read_wearable("gaps.fit", data).activities
    assert activity.accel is not None and len(activity.accel) == 60 * 25 - 3
    assert np.isfinite(activity.accel.y).all()


def test_fit_without_accelerometer_has_no_imu_features(db: Database, athlete: int) -> None:
    import_upload(db, athlete, "plain.fit", write_fit(START, [150] * 300), LIMIT)
    with db.session() as session:
        (activity,) = list_activities(session, athlete)
    assert "imu" not in activity.extra


def test_standing_still_gives_rms_but_no_cadence() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(0, 120, 1 / 25)
    quiet = 0.005 * rng.standard_normal(t.size)
    gait = gait_features(t, quiet, quiet[::-1], 1.0 + quiet)
    assert gait is not None and gait.cadence_spm is None and gait.periodic_windows == 0
    assert gait.rms_g == pytest.approx(1.0, abs=0.01)


def test_random_movement_is_not_a_cadence() -> None:
    rng = np.random.default_rng(2)
    t = np.arange(0, 120, 1 / 25)
    shaking = 0.3 * rng.standard_normal((3, t.size))
    gait = gait_features(t, shaking[0], shaking[1], 1.0 + shaking[2])
    assert gait is not None and gait.cadence_spm is None


def test_a_stream_too_slow_for_steps_gives_no_cadence() -> None:
    t = np.arange(0, 300, 1.0)  # 1 Hz: Nyquist 0.5 Hz, below any step frequency
    z = 1.0 + 0.5 * np.sin(2 * np.pi * 0.3 * t)
    gait = gait_features(t, 0 * t, 0 * t, z)
    assert gait is not None and gait.cadence_spm is None and gait.windows == 0


def test_pauses_and_dropped_samples_do_not_shift_the_cadence() -> None:
    x, y, z = (np.asarray(a) for a in running_accel(240, step_hz=2.6, seed=3))
    t = np.arange(x.size) / 25
    rng = np.random.default_rng(4)
    keep = (rng.random(t.size) > 0.03) & ~((t > 100) & (t < 130))  # 3 % lost, 30 s pause
    gait = gait_features(t[keep], x[keep], y[keep], z[keep])
    assert gait is not None and gait.cadence_spm == pytest.approx(156.0, abs=1.0)
    assert gait.windows < 12  # the pause splits the stream; no window spans it


def test_hostile_timestamps_do_not_allocate_a_grid_for_the_whole_span() -> None:
    t = np.array([0.0, 0.04, 0.08, 0.12, 3e8, 3e8 + 0.04])  # ten years apart
    gait = gait_features(t, 0 * t, 0 * t, 1 + 0 * t)
    assert gait is not None and gait.cadence_spm is None
