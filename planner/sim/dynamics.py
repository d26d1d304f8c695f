"""One simulated training day: session load, fitness-fatigue response, injury hazard, mood.

Pure numpy (no PyBullet here: joint loads arrive as a precomputed table), shared by the
gymnasium environment and by the surrogate the ACO / GA / LP schedulers plan with.

Formulas and where they come from:

* Session load: Banister TRIMP = minutes x dHR x 0.64 e^(1.92 dHR) (men; 0.86 e^(1.67 dHR)
  women), dHR = fraction of heart-rate reserve (Banister 1991, in MacDougall et al., Physiological
  Testing of the High-Performance Athlete).
* Fitness-fatigue: g_t = g e^(-1/tau1) + w, h_t = h e^(-r/tau2) + w, performance
  p = k1 g - k2(t) h (Banister et al. 1975) with Busso's (2003, Med Sci Sports Exerc 35(7))
  variable fatigue gain k2(t) = k2 (1 + b_t / B), b_t = b e^(-1/tau3) + w, which makes the
  optimum daily load finite (very high loads raise fatigue faster than fitness).
* Injury hazard per day: lambda = lambda0 s exp(1.5 (ACWR - 1.3)+ + 0.6 (monotony - 2)+ +
  0.8 (fatigue - 1)+ + 0.5 (joint exposure - 1)+), rising with the acute:chronic workload
  ratio (Gabbett 2016, Br J Sports Med 50(5): risk climbs above ~1.3-1.5), Foster's (1998)
  monotony (> 2 flagged), fatigue, and the PyBullet joint-load exposure.
* Reward (PPO paper, Bo 2025, Eq. 9): 0.6 x performance gain - 0.3 x fatigue - 0.1 x predicted
  injury risk; gain x 15 reward units per percentage point, fatigue as h / H_REF, risk as the
  7-day injury probability in percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from planner.sim.athletes import MODALITIES, SimAthlete
from planner.sim.body import EXERCISES
from planner.sim.exercises import MODALITY_EXERCISES

MAX_MINUTES = 120.0
H_REF = 700.0  # fatigue of ~100 TRIMP/day at tau2 = 7 d: "1.0" on the fatigue scale
LOAD_REF = 100.0
TAU_BUSSO = 4.0
B_REF = 1500.0
PERF_DIVISOR = 30.0
LAMBDA0 = 0.0012  # ~1.2 injuries per 1,000 athlete-days at safe loads
JL_REF = 3.0
# Intensity multiplier per modality (share of the prescribed HR-reserve fraction reached).
INTENSITY_FACTOR = np.array([1.0, 0.9, 1.0, 0.3, 0.35])
# (modality x exercise) averaging matrix: a modality's joint load is its exercises' mean.
_MODALITY_MEAN = np.array(
    [[1.0 / len(MODALITY_EXERCISES[m]) if e in MODALITY_EXERCISES[m] else 0.0 for e in EXERCISES]
     for m in MODALITIES]
)


@dataclass(frozen=True, slots=True)
class RewardWeights:
    """Eq. 9 weights of the PPO paper (alpha, beta, gamma) and the unit scales we chose.

    Reward = alpha x gain - beta x fatigue - gamma x injury risk, so every weight is a
    non-negative size of its term (a negative one would reward fatigue or injury); they need
    not sum to 1. Set from the command line (``--alpha/--beta/--gamma`` on
    ``coachloop train scheduler`` and ``coachloop simulate compare``).
    """

    alpha: float = 0.6
    beta: float = 0.3
    gamma: float = 0.1
    gain_scale: float = 15.0

    def __post_init__(self) -> None:
        for name in ("alpha", "beta", "gamma", "gain_scale"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0.0):
                raise ValueError(
                    f"reward weight {name} must be a non-negative number, not {value!r} "
                    "(Eq. 9 subtracts fatigue and injury risk itself)"
                )
        if self.alpha == self.beta == self.gamma == 0.0:
            raise ValueError("reward weights alpha, beta and gamma cannot all be 0")

    def as_dict(self) -> dict[str, float]:
        """The weights as plain numbers (recorded in a trained policy's manifest)."""
        return {"alpha": self.alpha, "beta": self.beta, "gamma": self.gamma,
                "gain_scale": self.gain_scale}


@dataclass(frozen=True, slots=True)
class DayAction:
    """A decoded action: what one day's session is."""

    intensity: float  # fraction of heart-rate reserve, 0..1
    minutes: float
    work_rest: float  # interval work:rest emphasis, 0..1
    mix: np.ndarray  # (5,) modality weights summing to 1, order = MODALITIES


def decode_action(action: np.ndarray) -> DayAction:
    """Map the 8 values in [-1, 1] to a session (see `encode_action` for the inverse)."""
    a = np.clip(np.asarray(action, dtype=np.float64), -1.0, 1.0)
    if a.shape != (8,):
        raise ValueError("an action has 8 values: intensity, volume, work:rest, 5 modality mix")
    logits = 2.0 * a[3:]
    mix = np.exp(logits - logits.max())
    return DayAction(
        intensity=float((a[0] + 1.0) / 2.0),
        minutes=float((a[1] + 1.0) / 2.0 * MAX_MINUTES),
        work_rest=float((a[2] + 1.0) / 2.0),
        mix=mix / mix.sum(),
    )


def encode_action(
    intensity: float, minutes: float, work_rest: float, mix: np.ndarray
) -> np.ndarray:
    """The action whose decoding is (close to) this session; mix is clipped to a 1:55 ratio."""
    m = np.clip(np.asarray(mix, dtype=np.float64), 1e-6, None)
    logits = 0.5 * np.log(m / m.max()) + 1.0
    return np.clip(
        np.concatenate(
            [[2 * intensity - 1, 2 * minutes / MAX_MINUTES - 1, 2 * work_rest - 1], logits]
        ),
        -1.0,
        1.0,
    ).astype(np.float32)


def trimp(minutes: float, hrr_fraction: float, sex: str) -> float:
    """Banister TRIMP of a session at ``hrr_fraction`` of heart-rate reserve."""
    x = min(max(float(hrr_fraction), 0.0), 1.0)
    a, b = (0.64, 1.92) if sex == "M" else (0.86, 1.67)
    return float(minutes * x * a * math.exp(b * x))


def session_load(act: DayAction, sex: str) -> float:
    """TRIMP of the decoded session, summed over the modality mix."""
    x = act.intensity * INTENSITY_FACTOR.copy()
    x[2] *= 0.8 + 0.4 * act.work_rest  # denser intervals drive speed sessions harder
    x[4] = min(x[4], 0.4)  # a recovery session stays easy whatever the intensity asked
    return float(sum(m * trimp(act.minutes, xi, sex) for m, xi in zip(act.mix, x, strict=True)))


def joint_exposure(act: DayAction, table: np.ndarray) -> np.ndarray:
    """Per joint group: sum over modalities of mix x mean exercise index x intensity x hours."""
    return (act.mix @ _MODALITY_MEAN @ table) * ((0.3 + act.intensity) * act.minutes / 60.0)


@dataclass(slots=True)
class SimState:
    """Everything the simulator carries from one day to the next."""

    g: float
    h: float
    b: float
    loads: np.ndarray  # last 28 daily TRIMP, oldest first
    perf: float
    perf0: float
    psych: float
    sentiment: float = 0.0
    rhr: float = 68.0
    ln_rmssd: float = 4.0
    vo2: float = 45.0
    day: int = 0
    days_since_rest: int = 0
    injured_days: int = 0
    joints: np.ndarray = field(default_factory=lambda: np.zeros(4))
    injuries: int = 0


def load_metrics(loads: np.ndarray) -> tuple[float, float, float, float, float]:
    """(acute 7-d mean, chronic 28-d mean, ACWR, monotony, strain) of a 28-day load history."""
    week = loads[-7:]
    acute, chronic = float(week.sum()) / 7.0, float(loads[-28:].sum()) / min(28, loads.size)
    acwr = acute / chronic if chronic > 1e-6 else 1.0
    sd = math.sqrt(max(float(np.dot(week, week)) / 7.0 - acute * acute, 0.0))
    monotony = min(acute / sd, 5.0) if sd > 1e-6 else (5.0 if acute > 0 else 0.0)
    return acute, chronic, acwr, monotony, float(week.sum()) * monotony


def performance(g: float, h: float, b: float, athlete: SimAthlete) -> float:
    """Performance on the simulator's % scale (gains over 8 weeks land in the 5-20 % the PPO
    paper reports: 10.5 % data-driven vs 5.2 % traditional, Fig. 5; 18.7 % PPO, Table 4)."""
    return float(100.0 * (athlete.k1 * g - athlete.k2 * (1.0 + b / B_REF) * h) / PERF_DIVISOR)


def banister_step(
    g: float, h: float, b: float, w: float, athlete: SimAthlete, eff: float, extra_recovery: float
) -> tuple[float, float, float, float]:
    """One day of the variable fitness-fatigue model; returns (g, h, b, performance %)."""
    g = g * np.exp(-1.0 / athlete.tau_fitness) + w * eff
    h = h * np.exp(-athlete.recovery_rate * (1.0 + extra_recovery) / athlete.tau_fatigue) + w
    b = b * np.exp(-1.0 / TAU_BUSSO) + w
    perf = performance(g, h, b, athlete)
    return float(g), float(h), float(b), float(perf)


def injury_probability(
    acwr: float, monotony: float, fatigue: float, exposure: float, susceptibility: float
) -> float:
    """Probability of an injury today (see module docstring for the hazard)."""
    lam = LAMBDA0 * susceptibility * np.exp(
        1.5 * max(0.0, acwr - 1.3)
        + 0.6 * max(0.0, monotony - 2.0)
        + 0.8 * max(0.0, fatigue - 1.0)
        + 0.5 * max(0.0, exposure / JL_REF - 1.0)
    )
    return float(1.0 - np.exp(-lam))


def initial_state(athlete: SimAthlete, rng: np.random.Generator | None = None) -> SimState:
    """Warm the model with 120 days of the athlete's habitual week (rest on days 3 and 7)."""
    pattern = np.array([1.1, 1.0, 0.0, 1.2, 1.0, 1.4, 0.0]) * athlete.habitual_load * 7 / 5.7
    g = h = b = 0.0
    loads = np.zeros(120)
    for d in range(120):
        w = pattern[d % 7] * (1.0 if rng is None else float(rng.uniform(0.85, 1.15)))
        loads[d] = w
        g, h, b, perf = banister_step(g, h, b, w, athlete, 1.0, 0.0)
    return SimState(
        g=g, h=h, b=b, loads=loads[-28:].copy(), perf=perf, perf0=perf, psych=athlete.psych,
        rhr=athlete.resting_hr, ln_rmssd=athlete.hrv_ln_rmssd, vo2=athlete.vo2max,
        days_since_rest=1,
    )


def simulate_day(
    state: SimState,
    athlete: SimAthlete,
    action: np.ndarray,
    table: np.ndarray,
    weights: RewardWeights,
    rng: np.random.Generator | None,
) -> tuple[float, dict[str, float]]:
    """Advance ``state`` by one day in place; return (reward, info). ``rng=None`` = expected
    values (no noise, no sampled injury): the deterministic surrogate the planners use."""
    act = decode_action(action)
    if state.injured_days > 0:  # injured: only an easy recovery session is possible
        act = DayAction(min(act.intensity, 0.3), min(act.minutes, 20.0), 0.0, np.eye(5)[4])
    compliance = float(np.clip(0.85 + 0.07 * (state.psych - 3.0), 0.6, 1.0))
    w = session_load(act, athlete.sex) * compliance
    response = float(np.dot(act.mix, athlete.modality_response))
    mood = 0.85 + 0.05 * state.psych
    extra = 0.3 * act.mix[4] * (act.minutes > 0) + 0.1 * act.mix[3] * (act.minutes > 0)
    prev = state.perf
    state.g, state.h, state.b, state.perf = banister_step(
        state.g, state.h, state.b, w, athlete, response * mood, extra
    )
    state.loads = np.append(state.loads[1:], w)
    acute, chronic, acwr, monotony, strain = load_metrics(state.loads)
    fatigue = state.h / H_REF
    exposure = joint_exposure(act, table)
    state.joints = exposure
    p_inj = injury_probability(
        acwr, monotony, fatigue, float(exposure.max()), athlete.injury_susceptibility
    )
    risk = 100.0 * (1.0 - (1.0 - p_inj) ** 7)
    gain = state.perf - prev
    noise = (lambda s: 0.0) if rng is None else (lambda s: float(rng.normal(0.0, s)))
    injured_now = 0.0
    if state.injured_days > 0:
        state.injured_days -= 1
    elif rng is not None and rng.random() < p_inj:
        state.injured_days = int(rng.integers(5, 22))
        state.injuries += 1
        injured_now = 1.0
    state.days_since_rest = 0 if w < 15.0 else state.days_since_rest + 1
    state.psych = float(
        np.clip(
            state.psych
            + 0.25 * np.tanh(15.0 * gain)
            - 0.3 * max(0.0, fatigue - 1.2)
            - 1.0 * injured_now
            + 0.1 * (athlete.psych - state.psych)
            + noise(0.1),
            1.0,
            5.0,
        )
    )
    daily_sent = float(np.tanh((state.psych - 3.0) / 1.5 + noise(0.2)))
    state.sentiment = 0.7 * state.sentiment + 0.3 * daily_sent
    progress = state.perf - state.perf0
    state.rhr = athlete.resting_hr + 5.0 * (fatigue - 0.6) - 0.6 * progress + noise(1.5)
    state.ln_rmssd = athlete.hrv_ln_rmssd - 0.2 * (fatigue - 0.6) + noise(0.07)
    state.vo2 = athlete.vo2max * (1.0 + 0.015 * (state.perf - state.perf0))
    state.day += 1
    reward = (
        weights.alpha * weights.gain_scale * gain - weights.beta * fatigue - weights.gamma * risk
    )
    info = {
        "load": w, "gain": gain, "fatigue": fatigue, "injury_risk": risk, "p_injury": p_inj,
        "injury": injured_now, "acwr": acwr, "monotony": monotony, "strain": strain,
        "acute": acute, "chronic": chronic, "perf_gain_pct": state.perf - state.perf0,
    }
    return float(reward), info
