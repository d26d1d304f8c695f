"""The adjustment rules from the papers, as small pure functions over plain history.

* Two-week rule (PE-teaching paper, kmeans-bp-nlp-pe-teaching, "NLP sentiment" step 3):
  every two weeks, daily *exercise levels* and *sentiment levels* (-1/0/1) decide whether
  intensity goes up 10 %, holds, or goes down 10 %. The paper's text gives the levels and the
  +/-10 % outcome but not its decision formula, so coachloop states its own (see
  `two_week_decision`), following the product specification: sustained negative sentiment
  with hard sessions lowers intensity, positive sentiment with completed sessions raises it.
* FRBI rule (cnn-lightgbm-shap-prescription, "Prescription Adjustment"): a fatigue-recovery
  balance index above 1.2 cuts load by 15-20 % for 3-5 days.
* Pain guard (product rule): pain on a body site forbids any increase; exercises loading the
  site are regressed or removed (`planner.session.guard_pain`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.explanation import FiredRule
from planner.frbi import FRBI_THRESHOLD

BLOCK_DAYS = 14
STEP = 0.10
MIN_EVIDENCE_DAYS = 4
SENTIMENT_THRESHOLD = 1 / 3
EXERCISE_THRESHOLD = 1 / 3
INTENSITY_BOUNDS = (0.7, 1.3)

FRBI_SEVERE = 1.3
FRBI_CUT_DAYS = 4
FRBI_CUT = 0.15
FRBI_CUT_SEVERE = 0.20

PAIN_LOOKBACK_DAYS = 3


@dataclass(frozen=True, slots=True)
class DayEvidence:
    """One day's levels for the two-week rule (None when the day has no report)."""

    day: dt.date
    exercise_level: int | None
    sentiment_level: int | None


def exercise_level(
    *,
    rpe: float | None,
    done: int = 0,
    skipped: int = 0,
    too_hard: int = 0,
    minutes_done: float | None = None,
    minutes_planned: float | None = None,
) -> int | None:
    """The day's exercise level in the PE paper's -1/0/1 coding.

    -1 ("hard"): an exercise marked too hard, most of the session skipped, under half the
    planned minutes, or session RPE >= 8. +1 ("completed"): the session was done (all
    exercises, or >= 90 % of the planned minutes) at RPE <= 6. 0 otherwise. None when the day
    carries no report at all.
    """
    if rpe is None and done + skipped + too_hard == 0 and minutes_done is None:
        return None
    logged = done + skipped + too_hard
    ratio = None
    if minutes_done is not None and minutes_planned:
        ratio = minutes_done / minutes_planned
    if too_hard > 0 or (logged and skipped * 2 > logged) or (rpe is not None and rpe >= 8):
        return -1
    if ratio is not None and ratio < 0.5:
        return -1
    completed = (logged > 0 and skipped == 0) or (ratio is not None and ratio >= 0.9) or (
        logged == 0 and ratio is None and minutes_done is not None and minutes_done > 0
    )
    if completed and (rpe is None or rpe <= 6):
        return 1
    return 0


def two_week_decision(evidence: Sequence[DayEvidence]) -> tuple[float, FiredRule]:
    """Intensity change for one two-week block: +0.10, 0.0 or -0.10, with its reasons.

    E = mean exercise level and S = mean sentiment level over the days that have both.
    S <= -1/3 and E <= 0: -10 %. S >= 1/3 and E >= 1/3: +10 %. Otherwise hold; also hold with
    fewer than 4 such days (too little evidence to act on).
    """
    both = [
        e for e in evidence if e.exercise_level is not None and e.sentiment_level is not None
    ]
    inputs: dict[str, float | int | None] = {"days": len(both), "exercise_mean": None}
    inputs["sentiment_mean"] = None
    if len(both) < MIN_EVIDENCE_DAYS:
        return 0.0, FiredRule(
            code="two_week_hold_little_data",
            effect="hold",
            inputs=inputs,
            threshold=f">= {MIN_EVIDENCE_DAYS} reported days in 14",
            sentence="",
        )
    e_mean = sum(e.exercise_level or 0 for e in both) / len(both)
    s_mean = sum(e.sentiment_level or 0 for e in both) / len(both)
    inputs.update(exercise_mean=round(e_mean, 2), sentiment_mean=round(s_mean, 2))
    if s_mean <= -SENTIMENT_THRESHOLD and e_mean <= 0:
        return -STEP, FiredRule(
            code="two_week_down",
            effect="-10% intensity",
            inputs=inputs,
            threshold="sentiment mean <= -0.33 and exercise mean <= 0",
            sentence=(
                f"Over the last two weeks you felt low (mood score {s_mean:+.2f}) and sessions "
                f"were hard (effort score {e_mean:+.2f}), so intensity is 10% lower."
            ),
        )
    if s_mean >= SENTIMENT_THRESHOLD and e_mean >= EXERCISE_THRESHOLD:
        return STEP, FiredRule(
            code="two_week_up",
            effect="+10% intensity",
            inputs=inputs,
            threshold="sentiment mean >= 0.33 and exercise mean >= 0.33",
            sentence=(
                f"You completed your sessions and felt good over the last two weeks (mood score "
                f"{s_mean:+.2f}, effort score {e_mean:+.2f}), so intensity goes up 10%."
            ),
        )
    return 0.0, FiredRule(
        code="two_week_hold",
        effect="hold",
        inputs=inputs,
        threshold="neither rule met",
        sentence="",
    )


@dataclass(frozen=True, slots=True)
class IntensityState:
    """The intensity factor after replaying every completed two-week block."""

    factor: float
    previous_factor: float
    last_rule: FiredRule | None
    block_start: dt.date


def replay_intensity(
    start: dt.date, today: dt.date, evidence: Mapping[dt.date, DayEvidence]
) -> IntensityState:
    """Apply the two-week rule at every block boundary from ``start`` up to ``today``.

    Deterministic given the stored history: blocks are [start + 14k, start + 14(k+1)), and the
    decision for a block takes effect on the first day after it. The factor is clamped to
    0.7-1.3 of the template's dose.
    """
    factor = 1.0
    previous = 1.0
    last: FiredRule | None = None
    block_start = start
    while block_start + dt.timedelta(days=BLOCK_DAYS) <= today:
        days = [block_start + dt.timedelta(days=i) for i in range(BLOCK_DAYS)]
        block = [evidence.get(d, DayEvidence(d, None, None)) for d in days]
        change, rule = two_week_decision(block)
        previous = factor
        low, high = INTENSITY_BOUNDS
        factor = min(high, max(low, round(factor * (1 + change), 4)))
        last = rule
        block_start += dt.timedelta(days=BLOCK_DAYS)
    return IntensityState(factor, previous, last, block_start)


def frbi_cut(
    frbi_by_day: Mapping[dt.date, float | None], today: dt.date
) -> tuple[float, FiredRule | None]:
    """Volume factor from the FRBI rule, and the rule that fired (or None).

    An *episode* is a run of consecutive days with FRBI > 1.2; its first day triggers a cut
    of 15 % (20 % when FRBI reaches 1.3 during the cut) for 4 days, inside the paper's 3-5.
    Later days of the same episode do not extend it: the rolling load window keeps one spike
    in the index for a week, and re-cutting on the same spike would turn a 3-5 day recovery
    into an open-ended one. The readiness flag stays raised for the coach meanwhile.
    """
    def high(day: dt.date) -> bool:
        value = frbi_by_day.get(day)
        return value is not None and value > FRBI_THRESHOLD

    for back in range(FRBI_CUT_DAYS):
        day = today - dt.timedelta(days=back)
        if not high(day) or high(day - dt.timedelta(days=1)):
            continue
        window = [frbi_by_day.get(day + dt.timedelta(days=i)) for i in range(back + 1)]
        peak = max(v for v in window if v is not None)
        trigger = frbi_by_day[day] or peak
        cut = FRBI_CUT_SEVERE if peak > FRBI_SEVERE else FRBI_CUT
        days_left = FRBI_CUT_DAYS - back
        when = "today" if back == 0 else f"{back} day{'s' if back > 1 else ''} ago"
        rule = FiredRule(
            code="frbi_cut",
            effect=f"-{cut:.0%} load",
            inputs={"frbi": round(trigger, 2), "frbi_peak": round(peak, 2),
                    "trigger_day": day.isoformat(), "days_left": days_left,
                    "cut": cut},
            threshold=f"FRBI > {FRBI_THRESHOLD}",
            sentence=(
                f"Load is {cut:.0%} lower for {FRBI_CUT_DAYS} days because your fatigue "
                f"balance was {trigger:.2f} {when}, above {FRBI_THRESHOLD}."
            ),
        )
        return 1.0 - cut, rule
    return 1.0, None


def active_pain_sites(
    pain_by_day: Mapping[dt.date, Sequence[str]], today: dt.date
) -> tuple[str, ...]:
    """Sites reported painful in the last 3 days (today included), sorted."""
    sites: set[str] = set()
    for back in range(PAIN_LOOKBACK_DAYS):
        sites.update(pain_by_day.get(today - dt.timedelta(days=back), ()))
    return tuple(sorted(sites))


def active_pain_sides(
    reports: Sequence[tuple[dt.date, Sequence[str], Mapping[str, str]]], today: dt.date
) -> dict[str, str]:
    """The side of each site reported in the last 3 days, when every report of it said one.

    ``reports`` are (day, sites, sides said) per check-in. A site reported once as "left
    knee" and once as "knee" or "right knee" has no single side: it is treated as both (the
    safe reading) and left out of the map.
    """
    recent = [(sites, sides) for day, sites, sides in reports
              if 0 <= (today - day).days < PAIN_LOOKBACK_DAYS]
    said: dict[str, set[str | None]] = {}
    for sites, sides in recent:
        for site in sites:
            said.setdefault(site, set()).add(sides.get(site))
    return {site: side for site, options in said.items() if len(options) == 1
            for side in options if side is not None}


def site_label(site: str, sides: Mapping[str, str] | None = None) -> str:
    """A site as said to a person: "left knee", "lower back" (no side said)."""
    side = (sides or {}).get(site)
    name = site.replace("_", " ")
    return f"{side} {name}" if side else name
