"""The plans held against a PMData-shaped history: the closed loop runs through the bot's own
planning, and the table counts what it should."""

from __future__ import annotations

import pytest

from benchmarks.real_histories import BAND, KINDS, WeekResult, run, table


@pytest.mark.slow
def test_one_athletes_weeks_are_planned_and_followed() -> None:
    kinds = KINDS[:2]  # a usual week and the week back from the break (the suite's budget)
    results = run(athletes=1, seed=0, progress=False, kinds=kinds)
    assert [r.kind for r in results] == list(kinds)
    for r in results:
        assert r.acwr_end is not None and 0.0 < r.acwr_end < 5.0
        # the policy's proposal stays inside its bound (+/- 5 %) on every day it ran
        assert all(abs(c) <= 0.05 + 1e-9 for c in r.volume_changes)
    # back from ten days off, the athlete's own chronic load is low: their own usual week
    # would read above the band too, so a high ACWR then is theirs, not the plan's
    back = results[1]
    assert back.acwr_usual is not None and back.acwr_usual > BAND[1]


def test_the_table_counts_weeks_outside_the_band_and_who_drove_them() -> None:
    rows = [WeekResult("usual week", (0.02,), 0.1, 1.1, 1.0, 1.0),
            WeekResult("usual week", (0.03,), 0.5, 1.7, 1.0, 1.1),  # the plan's doing
            WeekResult("back from the break", (), None, 1.9, 0.3, 1.8)]  # the athlete's own
    text = table(rows)
    usual = next(line for line in text.splitlines() if line.startswith("| usual week"))
    assert usual.split("|")[-3:-1] == [" 1 ", " 0 "]
    back = next(line for line in text.splitlines() if line.startswith("| back from"))
    assert back.split("|")[-3:-1] == [" 1 ", " 1 "]
    assert next(line for line in text.splitlines() if line.startswith("| all")).split(
        "|")[-3:-1] == [" 2 ", " 1 "]
