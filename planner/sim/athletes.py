"""Simulated individuals for the training simulator, sampled per population.

The PPO paper (Bo 2025, Informatica, section 3.3) starts every simulated individual from one
standardised baseline (resting HR 68 bpm, VO2max 45 ml/kg/min, psychological score 3/5) and
generates differences "through normal distribution sampling". We do the same, around
population-specific means, and add what the simulator needs to respond individually:

* body type (sex, height, mass) -> the PyBullet joint-load indices (`planner.sim.body`);
* training level in [0, 1] (0 = untrained, 1 = elite): trained people gain less from the same
  stimulus (paper, Figure 3 and its discussion of HIIT in high-level athletes);
* Banister impulse-response parameters k1, k2, tau1, tau2 (Banister et al. 1975; typical values
  k1 ~ 1, k2 ~ 2 (relative), tau1 ~ 42 d, tau2 ~ 7 d, Busso 2003, Med Sci Sports Exerc 35(7));
* a recovery rate multiplying the fatigue decay and an injury susceptibility.

Populations (the paper's Table 5 groups: college students, youth 12-17 y, retired 35-50 y):

=========  ======  ========  =======  ======  ========  =========  ==========  ============
population  age     RHR        VO2max   psych   level     tau2 (d)   recovery    injury susc.
=========  ======  ========  =======  ======  ========  =========  ==========  ============
college     18-25   68 +- 6    45 +- 6  3 +- .5  .55 +- .15  7 +- 1   1.0 +- .1   1.0 +- .2
youth       12-17   74 +- 7    46 +- 5  3 +- .6  .40 +- .15  6 +- 1   1.15 +- .1  1.2 +- .25
retired     35-50   64 +- 6    38 +- 6  3 +- .5  .50 +- .20  9 +- 1.5 .85 +- .1   1.35 +- .3
=========  ======  ========  =======  ======  ========  =========  ==========  ============

Youth: smaller bodies, higher resting HR, faster recovery but growth-related (apophyseal)
vulnerability; retired: lower VO2max, slower recovery (longer fatigue time constant) and more
tissue vulnerability. HRmax follows Tanaka et al. 2001 (208 - 0.7 x age).

Seeds: every athlete is generated from its own integer ``athlete_seed``. Training uses even
seeds only and evaluation odd seeds only (`training_athlete_seed`, `heldout_athlete_seeds`), so
held-out athletes can never be ones a policy was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POPULATIONS = ("college", "youth", "retired")


@dataclass(frozen=True, slots=True)
class PopulationSpec:
    """Means and SDs (mean, sd) of the normal distributions one population is drawn from."""

    age: tuple[float, float]
    resting_hr: tuple[float, float]
    vo2max: tuple[float, float]
    psych: tuple[float, float]
    training_level: tuple[float, float]
    tau_fatigue: tuple[float, float]
    recovery_rate: tuple[float, float]
    injury_susceptibility: tuple[float, float]
    height_m: dict[str, tuple[float, float]]
    bmi: tuple[float, float]


SPECS: dict[str, PopulationSpec] = {
    "college": PopulationSpec(
        age=(21.0, 2.0),
        resting_hr=(68.0, 6.0),
        vo2max=(45.0, 6.0),
        psych=(3.0, 0.5),
        training_level=(0.55, 0.15),
        tau_fatigue=(7.0, 1.0),
        recovery_rate=(1.0, 0.1),
        injury_susceptibility=(1.0, 0.2),
        height_m={"M": (1.76, 0.07), "F": (1.64, 0.06)},
        bmi=(22.0, 2.0),
    ),
    "youth": PopulationSpec(
        age=(14.5, 1.5),
        resting_hr=(74.0, 7.0),
        vo2max=(46.0, 5.0),
        psych=(3.0, 0.6),
        training_level=(0.40, 0.15),
        tau_fatigue=(6.0, 1.0),
        recovery_rate=(1.15, 0.1),
        injury_susceptibility=(1.2, 0.25),
        height_m={"M": (1.63, 0.09), "F": (1.58, 0.07)},
        bmi=(19.5, 2.2),
    ),
    "retired": PopulationSpec(
        age=(42.0, 4.5),
        resting_hr=(64.0, 6.0),
        vo2max=(38.0, 6.0),
        psych=(3.0, 0.5),
        training_level=(0.50, 0.20),
        tau_fatigue=(9.0, 1.5),
        recovery_rate=(0.85, 0.1),
        injury_susceptibility=(1.35, 0.3),
        height_m={"M": (1.77, 0.07), "F": (1.65, 0.06)},
        bmi=(25.0, 2.8),
    ),
}

MODALITIES = ("aerobic", "strength", "speed", "flexibility", "recovery")


@dataclass(frozen=True, slots=True)
class SimAthlete:
    """One simulated individual. Hidden parameters (k1, k2, taus, susceptibility) are never put
    in the observation: a scheduler has to infer the response from what it can see."""

    athlete_seed: int
    population: str
    sex: str
    age: float
    height_m: float
    mass_kg: float
    training_level: float
    resting_hr: float
    hr_max: float
    vo2max: float
    psych: float
    hrv_ln_rmssd: float
    k1: float
    k2: float
    tau_fitness: float
    tau_fatigue: float
    recovery_rate: float
    injury_susceptibility: float
    modality_response: tuple[float, float, float, float, float]
    habitual_load: float

    @property
    def bmi(self) -> float:
        """Body-mass index (kg/m^2)."""
        return self.mass_kg / self.height_m**2


def _draw(rng: np.random.Generator, spec: tuple[float, float], lo: float, hi: float) -> float:
    return float(np.clip(rng.normal(spec[0], spec[1]), lo, hi))


def sample_athlete(athlete_seed: int, population: str = "college") -> SimAthlete:
    """Generate the athlete that ``athlete_seed`` names in ``population`` (deterministic)."""
    if population not in SPECS:
        raise ValueError(f"unknown population {population!r}; use one of {', '.join(POPULATIONS)}")
    if athlete_seed < 0:
        raise ValueError("athlete_seed must be a non-negative integer")
    spec = SPECS[population]
    rng = np.random.default_rng([athlete_seed, POPULATIONS.index(population)])
    sex = "M" if rng.random() < 0.5 else "F"  # the paper's samples are 1:1 male:female
    age = _draw(rng, spec.age, 10.0, 60.0)
    height = _draw(rng, spec.height_m[sex], 1.35, 2.10)
    mass = float(np.clip(_draw(rng, spec.bmi, 15.0, 35.0) * height**2, 30.0, 140.0))
    level = _draw(rng, spec.training_level, 0.05, 0.95)
    # Trained people respond less (paper Fig. 3): k1 shrinks with training level.
    k1 = _draw(rng, (0.0045 * (1.15 - 0.6 * level), 0.0007), 0.0008, 0.01)
    k2 = _draw(rng, (2.2 * k1, 0.4 * k1), 1.0 * k1, 4.0 * k1)
    response = tuple(float(x) for x in np.clip(rng.normal(1.0, 0.25, size=5), 0.4, 1.8))
    return SimAthlete(
        athlete_seed=athlete_seed,
        population=population,
        sex=sex,
        age=age,
        height_m=height,
        mass_kg=mass,
        training_level=level,
        resting_hr=_draw(rng, spec.resting_hr, 40.0, 95.0) - 6.0 * (level - 0.5),
        hr_max=float(208.0 - 0.7 * age + rng.normal(0.0, 5.0)),  # Tanaka et al. 2001
        vo2max=_draw(rng, spec.vo2max, 25.0, 75.0) + 8.0 * (level - 0.5),
        psych=_draw(rng, spec.psych, 1.0, 5.0),
        hrv_ln_rmssd=_draw(rng, (4.1 + 0.4 * (level - 0.5), 0.3), 2.8, 5.2),
        k1=k1,
        k2=k2,
        tau_fitness=_draw(rng, (42.0, 5.0), 25.0, 60.0),
        tau_fatigue=_draw(rng, spec.tau_fatigue, 3.0, 15.0),
        recovery_rate=_draw(rng, spec.recovery_rate, 0.5, 1.5),
        injury_susceptibility=_draw(rng, spec.injury_susceptibility, 0.4, 2.5),
        modality_response=response,  # type: ignore[arg-type]
        habitual_load=_draw(rng, (30.0 + 60.0 * level, 10.0), 10.0, 120.0),
    )


def training_athlete_seed(rng: np.random.Generator) -> int:
    """An athlete seed for training: always even, so it never collides with a held-out one."""
    return 2 * int(rng.integers(0, 2**30))


def heldout_athlete_seeds(n: int, seed: int) -> list[int]:
    """``n`` distinct odd athlete seeds for evaluation (disjoint from every training seed)."""
    if n < 1:
        raise ValueError("need at least one athlete")
    rng = np.random.default_rng([seed, 7919])
    picks = rng.choice(2**30, size=n, replace=False)
    return [2 * int(k) + 1 for k in picks]


def is_heldout_seed(athlete_seed: int) -> bool:
    """True for seeds reserved for evaluation (odd)."""
    return athlete_seed % 2 == 1


def sample_athletes(n: int, population: str = "college", seed: int = 0) -> list[SimAthlete]:
    """``n`` held-out athletes of ``population`` for evaluation, reproducible from ``seed``."""
    return [sample_athlete(s, population) for s in heldout_athlete_seeds(n, seed)]
