"""The gymnasium environment: one simulated athlete, one day per step, up to 60 days.

Why: the PPO paper (Bo 2025, section 3.3) trains its scheduler in a custom Gym + PyBullet
"personalized motion task environment" with a 25-dim state, an 8-dim action in [-1, 1] and
the reward of its Eq. 9 over training periods of at most 60 days. This is that environment:
PyBullet runs only when a new body type is met (`planner.sim.body`, cached); `step` is numpy.

Action (8 values in [-1, 1]): intensity (HR-reserve fraction), volume (0-120 min),
interval work:rest emphasis, then the modality mix logits for aerobic, strength, speed,
flexibility, recovery (softmax). Observation: `planner.sim.observation.FEATURES`.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

from planner.sim.athletes import (
    SimAthlete,
    is_heldout_seed,
    sample_athlete,
    training_athlete_seed,
)
from planner.sim.body import body_load_table
from planner.sim.dynamics import (
    RewardWeights,
    SimState,
    decode_action,
    initial_state,
    simulate_day,
)
from planner.sim.observation import OBS_CLIP, OBS_DIM, encode
from planner.week import HARD_INTENSITY, WeekConstraints, project_action

ACTION_DIM = 8


class TrainingSchedulerEnv(gym.Env[np.ndarray, np.ndarray]):
    """One athlete's training block as an MDP (see module docstring).

    ``population`` picks the athlete distribution; ``max_days`` the episode length (paper: 60);
    ``alpha``, ``beta``, ``gamma`` are Eq. 9's reward weights; ``heldout`` allows the odd
    (evaluation) athlete seeds, which a training environment refuses; ``constrained``
    projects every action onto the PE paper's week (4-6 sessions of 35-60 min, rest after a
    hard day, HR inside the safe interval; `planner.week.project_action`).
    ``reset(options={"athlete": SimAthlete})`` runs a given athlete instead of sampling one.
    """

    metadata: dict[str, Any] = {"render_modes": []}  # noqa: RUF012

    def __init__(
        self,
        population: str = "college",
        max_days: int = 60,
        alpha: float = 0.6,
        beta: float = 0.3,
        gamma: float = 0.1,
        gain_scale: float = 15.0,
        heldout: bool = False,
        constrained: bool = False,
    ) -> None:
        if not 1 <= max_days <= 365:
            raise ValueError("max_days must be between 1 and 365")
        self.population = population
        self.max_days = max_days
        self.weights = RewardWeights(alpha, beta, gamma, gain_scale)
        self.heldout = heldout
        self.constrained = constrained
        self._week_sessions = 0
        self._yesterday_hard = False
        self.observation_space = gym.spaces.Box(-OBS_CLIP, OBS_CLIP, (OBS_DIM,), np.float32)
        self.action_space = gym.spaces.Box(-1.0, 1.0, (ACTION_DIM,), np.float32)
        self.athlete: SimAthlete | None = None
        self.state: SimState | None = None
        self._table = np.zeros((1, 4))

    def _obs(self) -> np.ndarray:
        a, s = self.athlete, self.state
        if a is None or s is None:
            raise RuntimeError("call reset() before step()")
        return encode(
            resting_hr=s.rhr, ln_rmssd=s.ln_rmssd, fatigue_h=s.h, fitness_g=s.g, vo2max=s.vo2,
            psych=s.psych, sentiment_trend=s.sentiment, joints=s.joints, loads=s.loads,
            days_since_rest=s.days_since_rest, injured=s.injured_days > 0, day_of_week=s.day,
            sex=a.sex, height_m=a.height_m, mass_kg=a.mass_kg,
        )

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Start a new block with a sampled (or the given) athlete."""
        super().reset(seed=seed)
        athlete = (options or {}).get("athlete")
        if athlete is None:
            athlete = sample_athlete(training_athlete_seed(self.np_random), self.population)
        if is_heldout_seed(athlete.athlete_seed) and not self.heldout:
            raise ValueError(
                "athlete seed is a held-out (odd) seed; build the env with heldout=True to "
                "evaluate, never to train"
            )
        self.athlete = athlete
        self._table = body_load_table(athlete.sex, athlete.height_m, athlete.mass_kg)
        self.state = initial_state(athlete, self.np_random)
        self._week_sessions, self._yesterday_hard = 0, False
        return self._obs(), {"athlete_seed": athlete.athlete_seed}

    def _project(self, action: np.ndarray) -> np.ndarray:
        """Keep the day inside the week constraints (`planner.week.project_action`)."""
        a, s = self.athlete, self.state
        if a is None or s is None:
            raise RuntimeError("call reset() before step()")
        if s.day % 7 == 0:
            self._week_sessions = 0
        c = WeekConstraints(hr_rest=a.resting_hr, hr_max=a.hr_max)
        projected, trained = project_action(
            action, c, s.day, self._week_sessions, self._yesterday_hard
        )
        self._week_sessions += int(trained)
        self._yesterday_hard = trained and decode_action(projected).intensity >= HARD_INTENSITY
        return projected

    def step(
        self, action: np.ndarray
    ) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        """Play one day's session; the block ends (truncated) after ``max_days``."""
        if self.athlete is None or self.state is None:
            raise RuntimeError("call reset() before step()")
        if self.constrained:
            action = self._project(action)
        reward, info = simulate_day(
            self.state, self.athlete, action, self._table, self.weights, self.np_random
        )
        truncated = self.state.day >= self.max_days
        return self._obs(), reward, False, truncated, info
