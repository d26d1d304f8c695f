"""The movement archetypes the body model plays, each a joint-angle trajectory, and which
archetype stands for each exercise of the planner's catalogue (`ARCHETYPE_OF`).

Ten archetypes (`CATALOGUE`) cover the movement patterns of the catalogue's exercises
(`planner/data/exercises.yml`): PyBullet runs once per archetype and body type, and a
catalogue exercise reads its archetype's joint-load index (`planner.sim.body.exercise_load_index`).

Each joint moves from a start angle to a peak angle and back over one repetition,
``q(phi) = q0 + (q1 - q0) (1 - cos 2 pi phi) / 2`` (a smooth out-and-back profile with analytic
velocity and acceleration). Angles are anatomical (degrees; flexion / dorsiflexion positive),
peak ranges follow typical sagittal kinematics reported for these movements (e.g. squat knee
flexion ~100 deg, Escamilla 2001, Med Sci Sports Exerc 33(1); running stance knee 15-40 deg,
Novacheck 1998, Gait Posture 7(1)).

``root`` is the supporting segment fixed to the world (foot on the floor, hand on the bar or
floor, pelvis on the saddle); ``pitch_deg`` tilts the body forward (push-up: 90 = prone);
``support_share`` is the fraction of the load the rooted limb carries (0.5 for symmetric
two-limb support; 0.65 for the hands in a push-up / plank, Suprak et al. 2011, J Strength Cond
Res 25(2): ~64-69 % of body weight on the hands).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class Exercise:
    """One catalogue exercise played as a joint trajectory on the body model."""

    name: str
    modality: str
    root: str
    period_s: float
    support_share: float
    pitch_deg: float = 0.0
    start: dict[str, float] = field(default_factory=dict)
    peak: dict[str, float] = field(default_factory=dict)

    def trajectory(
        self, joint_names: list[str], n: int = 48
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(q, qdot, qddot), each (n, joints), anatomical radians, over one repetition."""
        phi = np.linspace(0.0, 1.0, n, endpoint=False)
        w = 2.0 * np.pi / self.period_s
        q0 = np.radians([self.start.get(j, 0.0) for j in joint_names])
        q1 = np.radians([self.peak.get(j, self.start.get(j, 0.0)) for j in joint_names])
        amp = (q1 - q0) / 2.0
        c, s = np.cos(2 * np.pi * phi)[:, None], np.sin(2 * np.pi * phi)[:, None]
        q = q0 + amp * (1.0 - c)
        qd = amp * w * s
        qdd = amp * w * w * c
        return q, qd, qdd


def _both(**angles: float) -> dict[str, float]:
    """Same angle on both sides: ``knee=90`` -> knee_l and knee_r."""
    out: dict[str, float] = {}
    for k, v in angles.items():
        if k in ("lumbar", "neck"):
            out[k] = v
        else:
            out[f"{k}_l"] = v
            out[f"{k}_r"] = v
    return out


CATALOGUE: dict[str, Exercise] = {
    e.name: e
    for e in (
        Exercise(
            "squat", "strength", "foot_r", 3.0, 0.5,
            peak=_both(ankle=30, knee=100, hip=95, lumbar=20, shoulder=90),
        ),
        Exercise(
            "lunge", "strength", "foot_r", 3.0, 0.6,
            start={"hip_l": -10, "knee_l": 10},
            peak={"ankle_r": 25, "knee_r": 90, "hip_r": 80, "hip_l": -15, "knee_l": 95,
                  "lumbar": 5},
        ),
        # Stance (loading and unloading, period ~ one step at 2.8 Hz): the trunk keeps its lean
        # (ankle - knee + hip stays constant), swing leg and arms move in opposition.
        Exercise(
            "running_stride", "aerobic", "foot_r", 0.36, 1.0,
            start={"ankle_r": 0, "knee_r": 15, "hip_r": 40, "hip_l": -10, "knee_l": 60,
                   "shoulder_r": -30, "shoulder_l": 30, "elbow_r": 90, "elbow_l": 90},
            peak={"ankle_r": 12, "knee_r": 40, "hip_r": 53, "hip_l": 55, "knee_l": 100,
                  "shoulder_r": 30, "shoulder_l": -30},
        ),
        Exercise(
            "sprint_stride", "speed", "foot_r", 0.25, 1.0,
            start={"ankle_r": 0, "knee_r": 20, "hip_r": 50, "hip_l": -15, "knee_l": 80,
                   "shoulder_r": -50, "shoulder_l": 50, "elbow_r": 90, "elbow_l": 90},
            peak={"ankle_r": 15, "knee_r": 45, "hip_r": 60, "hip_l": 80, "knee_l": 120,
                  "shoulder_r": 50, "shoulder_l": -50},
        ),
        Exercise(
            "jump", "speed", "foot_r", 0.8, 0.5,
            start=_both(shoulder=-30),
            peak=_both(ankle=30, knee=90, hip=85, lumbar=25, shoulder=150),
        ),
        Exercise(
            "push_up", "strength", "forearm_r", 2.0, 0.65, pitch_deg=90.0,
            start=_both(shoulder=90),
            peak=_both(shoulder=40, elbow=90),
        ),
        Exercise(
            "pull_up", "strength", "forearm_r", 3.0, 0.5,
            start=_both(shoulder=175, hip=10, knee=20),
            peak=_both(shoulder=40, elbow=120, hip=20, knee=30),
        ),
        Exercise(
            "plank", "flexibility", "forearm_r", 4.0, 0.65, pitch_deg=90.0,
            start=_both(shoulder=90),
        ),
        Exercise(
            "cycling", "recovery", "pelvis", 1.0, 1.0,
            start={"hip_r": 60, "knee_r": 40, "hip_l": 110, "knee_l": 110, "lumbar": 30,
                   "shoulder_r": 60, "shoulder_l": 60},
            peak={"hip_r": 110, "knee_r": 110, "ankle_r": 15, "hip_l": 60, "knee_l": 40,
                  "lumbar": 30},
        ),
        Exercise(
            "forward_fold", "flexibility", "foot_r", 10.0, 0.5,
            peak=_both(hip=90, lumbar=30, neck=20, shoulder=60),
        ),
    )
}

# Which catalogue exercises stand for each training modality in the simulator.
MODALITY_EXERCISES: dict[str, tuple[str, ...]] = {
    "aerobic": ("running_stride", "cycling"),
    "strength": ("squat", "lunge", "push_up", "pull_up"),
    "speed": ("sprint_stride", "jump"),
    "flexibility": ("forward_fold", "plank"),
    "recovery": ("cycling",),
}

# Every exercise of the planner's catalogue (`planner/data/exercises.yml`, by id) -> the
# movement archetype above that the body plays for it. The archetypes are the simulator's
# movement patterns; a catalogue exercise is a dose or a variant of one of them. Where no
# archetype has the exercise's own pattern, the nearest loaded one is used and the comment
# says which way the index errs (over = more load than the real movement: the injury hazard
# is then cautious). Ankle and wrist are not index joints (`planner.sim.body.JOINT_GROUPS`).
# A test checks that this table covers the catalogue exactly and only names cached archetypes.
ARCHETYPE_OF: dict[str, str] = {
    # Prone and side support on forearms / hands: the plank's support share and posture.
    "plank": "plank",
    "knee_plank": "plank",  # over: the knees take part of the body weight
    "plank_reach": "plank",  # under: one hand carries more while the other reaches
    "side_plank": "plank",  # sagittal model: the lateral hold is played as a front plank
    "dead_bug": "plank",  # supine bracing, no archetype of its own; over at the shoulder
    # Push-ups: the push-up trajectory; easier variants carry less than it.
    "push_up": "push_up",
    "knee_push_up": "push_up",  # over
    "wall_push_up": "push_up",  # over (much: near-upright body)
    "decline_push_up": "push_up",  # under: feet raised put more weight on the hands
    # Hangs and pull-ups on a bar: the pull-up (a hang is its start posture held).
    "arm_hang": "pull_up",
    "assisted_hang": "pull_up",  # over: the feet carry part of the weight
    "bent_arm_hang": "pull_up",
    "pull_up": "pull_up",
    # Trunk flexion (supine in the catalogue): the forward fold's hip and lumbar flexion.
    "crunch": "forward_fold",
    "sit_up": "forward_fold",
    "v_up": "forward_fold",  # under: the legs are lifted too
    # Squats and single-leg knee-dominant work.
    "squat": "squat",
    "box_squat": "squat",  # over: the box takes the bottom of the movement
    "glute_bridge": "squat",  # hip extension under load, supine: over at the knee
    "lunge": "lunge",
    "split_squat": "lunge",
    "single_leg_bridge": "lunge",  # single-leg hip extension: over at the knee
    "hip_flexor_stretch": "lunge",  # the kneeling lunge position: over (held, not moved)
    # Jumps and explosive triple extension.
    "jump_squat": "jump",
    "standing_long_jump": "jump",
    "calf_raise": "jump",  # the push-off without the flight: over at knee and hip
    # Gait: running stance; walking is played as easy running (over).
    "easy_run": "running_stride",
    "long_run": "running_stride",
    "tempo_run": "running_stride",
    "brisk_walk": "running_stride",  # over
    "warm_up": "running_stride",  # easy jog, skips and leg swings
    "warm_up_walk": "running_stride",  # over
    "cool_down": "running_stride",  # walk, then stretches: over
    # Sprinting and change of direction.
    "sprints": "sprint_stride",
    "strides": "sprint_stride",  # over: relaxed, below top speed
    "shuttle_run": "sprint_stride",  # sagittal model: the turns are not played
    # Cycling.
    "bike_easy": "cycling",
    # Stretching and mobility.
    "sit_and_reach": "forward_fold",
    "shoulder_mobility": "forward_fold",  # arms raised while standing; no bar, no support
    "mobility_flow": "forward_fold",
    "foam_roll": "plank",  # body weight on the forearms over the roller: over
}


def archetype_of(exercise_id: str) -> str:
    """The movement archetype (`CATALOGUE` name) the body model plays for a catalogue id."""
    try:
        return ARCHETYPE_OF[exercise_id]
    except KeyError:
        raise ValueError(
            f"catalogue exercise {exercise_id!r} has no movement archetype: add it to "
            "planner.sim.exercises.ARCHETYPE_OF (one of "
            f"{', '.join(CATALOGUE)})"
        ) from None
