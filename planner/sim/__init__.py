"""The training simulator: simulated athletes, a PyBullet body, and a gymnasium environment."""

from planner.sim.athletes import (
    POPULATIONS,
    SimAthlete,
    heldout_athlete_seeds,
    sample_athlete,
    sample_athletes,
)
from planner.sim.body import JOINT_GROUPS, exercise_load_index
from planner.sim.exercises import ARCHETYPE_OF, archetype_of
from planner.sim.observation import FEATURES, OBS_DIM, observation_from_history

__all__ = [
    "ARCHETYPE_OF",
    "FEATURES",
    "JOINT_GROUPS",
    "OBS_DIM",
    "POPULATIONS",
    "SimAthlete",
    "TrainingSchedulerEnv",
    "archetype_of",
    "exercise_load_index",
    "heldout_athlete_seeds",
    "observation_from_history",
    "sample_athlete",
    "sample_athletes",
]


def __getattr__(name: str) -> object:
    """``TrainingSchedulerEnv`` on first use: the environment imports `planner.week`, which
    imports this package's athletes, so an eager import here would be circular."""
    if name == "TrainingSchedulerEnv":
        from planner.sim.env import TrainingSchedulerEnv

        return TrainingSchedulerEnv
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
