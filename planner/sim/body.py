"""A 12-DoF PyBullet body built from height, mass and sex; joint loads by inverse dynamics.

Why: the PPO paper (Bo 2025, section 3.3) simulates individuals as "12-degree-of-freedom joint
structures" in Gym + PyBullet whose body type changes the physiological response, and names
joint torque as a state feature. We build that body programmatically (segment parameters from
de Leva 1996 / Winter 2009, `planner.sim.anthropometry`), play each catalogue exercise
(`planner.sim.exercises`) as a joint trajectory and ask PyBullet's
``calculateInverseDynamics`` for the joint torques.

The chain is rooted at the supporting segment (foot, hand or pelvis, fixed base), so the
torques include carrying the rest of the body, as in a closed-chain exercise; a body pitched
forward (push-up) is simulated by rotating gravity into the body frame.

Joint-load index: RMS torque over a repetition at knee, hip, shoulder and lumbar joints (the
larger side), times the exercise's support share, divided by ``mass**(2/3) * height``. The
divisor is the allometric strength capacity (muscle force ~ mass^(2/3), moment arm ~ stature;
Jaric 2002, Sports Med 32(10):615-631), so the index is load relative to what the body can
produce: a heavier body at the same stature carries relatively more (torque ~ mass, capacity
~ mass^(2/3)). Results are cached per (sex, height rounded to 2 cm) and scaled exactly for
mass (`body_load_table`): PyBullet runs once per body type; the environment step reads numpy.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache
from pathlib import Path

import numpy as np

from planner.sim.anthropometry import (
    ROOT_POINT,
    JointSpec,
    Segment,
    build_joints,
    build_segments,
)
from planner.sim.exercises import CATALOGUE, Exercise, archetype_of

JOINT_GROUPS = ("knee", "hip", "shoulder", "lumbar")
EXERCISES = tuple(CATALOGUE)
GRAVITY = 9.81


_Order = list[tuple[str, str, int, float]]


def _tree(
    root: str, sex: str, height_m: float, mass_kg: float
) -> tuple[dict[str, Segment], list[JointSpec], _Order]:
    """Re-root the canonical segment tree at ``root``; return the link layout for PyBullet."""
    segs = {s.name: s for s in build_segments(sex, height_m, mass_kg)}
    joints = build_joints(height_m)
    adj: dict[str, list[tuple[str, int, float]]] = {name: [] for name in segs}
    for j_index, j in enumerate(joints):
        adj[j.parent].append((j.child, j_index, 1.0))
        adj[j.child].append((j.parent, j_index, -1.0))  # traversed against canonical direction
    if root not in segs:
        raise ValueError(f"unknown root segment {root!r}")
    order: list[tuple[str, str, int, float]] = []  # (child, parent, joint index, direction)
    seen, queue = {root}, deque([root])
    while queue:
        seg = queue.popleft()
        for nxt, j_index, direction in sorted(adj[seg], key=lambda t: t[1]):
            if nxt not in seen:
                seen.add(nxt)
                order.append((nxt, seg, j_index, direction))
                queue.append(nxt)
    return segs, joints, order


def _build(
    client: int, exercise: Exercise, sex: str, height_m: float, mass_kg: float
) -> tuple[int, list[tuple[str, float]]]:
    """Create the fixed-base multibody for ``exercise``; return (body id, joint map)."""
    import pybullet as p

    segs, joints, order = _tree(exercise.root, sex, height_m, mass_kg)
    root = segs[exercise.root]
    root_pt = np.array(ROOT_POINT[exercise.root]) * np.array([1.0, height_m, height_m])
    frame_of: dict[str, np.ndarray] = {exercise.root: root_pt}
    link_index: dict[str, int] = {exercise.root: -1}

    def box(seg: Segment) -> int:
        half = [seg.depth / 2, seg.depth / 2, seg.length / 2]
        return int(p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=client))

    masses: list[float] = []
    shapes: list[int] = []
    positions: list[list[float]] = []
    inertial: list[list[float]] = []
    parents: list[int] = []
    axes: list[list[float]] = []
    names: list[tuple[str, float]] = []
    for i, (child, parent, j_index, direction) in enumerate(order):
        j = joints[j_index]
        pos = np.array(j.position)
        frame_of[child] = pos
        link_index[child] = i
        seg = segs[child]
        masses.append(seg.mass)
        shapes.append(box(seg))
        positions.append(list(pos - frame_of[parent]))
        inertial.append(list(np.array(seg.com) - pos))
        parents.append(link_index[parent] + 1)  # PyBullet: 0 = base, k = link k-1
        axes.append([0.0, 1.0, 0.0])
        names.append((j.name, direction * j.sign))
    n = len(order)
    body = p.createMultiBody(
        baseMass=0.0,  # fixed base: the supporting segment is held by the floor / bar / saddle
        baseCollisionShapeIndex=box(root),
        basePosition=list(root_pt),
        baseInertialFramePosition=list(np.array(root.com) - root_pt),
        linkMasses=masses,
        linkCollisionShapeIndices=shapes,
        linkVisualShapeIndices=[-1] * n,
        linkPositions=positions,
        linkOrientations=[[0, 0, 0, 1]] * n,
        linkInertialFramePositions=inertial,
        linkInertialFrameOrientations=[[0, 0, 0, 1]] * n,
        linkParentIndices=parents,
        linkJointTypes=[p.JOINT_REVOLUTE] * n,
        linkJointAxis=axes,
        physicsClientId=client,
    )
    return int(body), names


def exercise_joint_torques(
    exercise: str, sex: str, height_m: float, mass_kg: float, n: int = 48
) -> dict[str, np.ndarray]:
    """Torque time series (N m, anatomical sign) per joint for one repetition of ``exercise``."""
    import pybullet as p

    if exercise not in CATALOGUE:
        raise ValueError(f"unknown exercise {exercise!r}; known: {', '.join(EXERCISES)}")
    ex = CATALOGUE[exercise]
    client = p.connect(p.DIRECT)  # never GUI: this runs in tests, CI and worker processes
    try:
        pitch = np.radians(ex.pitch_deg)
        # Body pitched forward by `pitch` == gravity rotated backwards in the body frame.
        p.setGravity(
            GRAVITY * np.sin(pitch), 0.0, -GRAVITY * np.cos(pitch), physicsClientId=client
        )
        body, names = _build(client, ex, sex, height_m, mass_kg)
        anat = [name for name, _ in names]
        signs = np.array([s for _, s in names])
        q, qd, qdd = ex.trajectory(anat, n)
        torques = np.empty_like(q)
        for k in range(n):
            tau = p.calculateInverseDynamics(
                body,
                list(q[k] * signs),
                list(qd[k] * signs),
                list(qdd[k] * signs),
                physicsClientId=client,
            )
            torques[k] = np.asarray(tau) * signs
        return {name: torques[:, i] for i, name in enumerate(anat)}
    finally:
        p.disconnect(physicsClientId=client)


def joint_load_index(exercise: str, sex: str, height_m: float, mass_kg: float) -> np.ndarray:
    """Load index per joint group (`JOINT_GROUPS`) for one exercise (see module docstring)."""
    tau = exercise_joint_torques(exercise, sex, height_m, mass_kg)
    share = CATALOGUE[exercise].support_share
    capacity = mass_kg ** (2.0 / 3.0) * height_m
    out = np.empty(len(JOINT_GROUPS))
    for g, group in enumerate(JOINT_GROUPS):
        series = [v for k, v in tau.items() if k.split("_")[0] == group]
        out[g] = max(float(np.sqrt(np.mean(s**2))) for s in series) * share / capacity
    return out


REFERENCE_MASS = 70.0


def body_key(sex: str, height_m: float) -> tuple[str, float]:
    """Cache key: sex and height to 2 cm (differences below are noise)."""
    return sex, round(round(height_m / 0.02) * 0.02, 2)


CACHE_PATH = Path(__file__).with_name("biomech_cache.npz")
HEIGHT_GRID = tuple(round(1.34 + 0.02 * i, 2) for i in range(40))  # 1.34 .. 2.12 m


def _compute(sex: str, height_m: float) -> np.ndarray:
    return np.stack([joint_load_index(e, sex, height_m, REFERENCE_MASS) for e in EXERCISES])


@lru_cache(maxsize=1)
def _disk() -> dict[tuple[str, float], np.ndarray]:
    """The shipped on-disk table (`write_cache`), ignored if its catalogue is out of date."""
    if not CACHE_PATH.exists():
        return {}
    with np.load(CACHE_PATH) as z:
        if tuple(str(e) for e in z["exercises"]) != EXERCISES:
            return {}
        heights = [round(float(h), 2) for h in z["heights"]]
        return {(sx, h): z[sx][i] for sx in ("M", "F") for i, h in enumerate(heights)}


@lru_cache(maxsize=512)
def _cached(sex: str, height_m: float) -> np.ndarray:
    table = _disk().get((sex, height_m))
    if table is None:
        table = _compute(sex, height_m)
    table = np.array(table, dtype=np.float64)
    table.setflags(write=False)
    return table


def write_cache(path: Path = CACHE_PATH) -> Path:
    """Run PyBullet for every height of `HEIGHT_GRID` and both sexes; save as npz (~30 kB)."""
    data = {sx: np.stack([_compute(sx, h) for h in HEIGHT_GRID]) for sx in ("M", "F")}
    np.savez_compressed(
        path, heights=np.array(HEIGHT_GRID), exercises=np.array(EXERCISES), M=data["M"], F=data["F"]
    )
    _disk.cache_clear()
    _cached.cache_clear()
    return path


def body_load_table(sex: str, height_m: float, mass_kg: float) -> np.ndarray:
    """(len(EXERCISES), len(JOINT_GROUPS)) joint-load indices for this body type (cached).

    PyBullet runs once per (sex, height to 2 cm) at a 70 kg reference mass. Mass is then exact
    arithmetic, not an approximation: at fixed geometry every segment mass is a fixed fraction
    of body mass, inverse dynamics is linear in the masses, so torque ~ mass and the index
    (torque / mass^(2/3)) ~ mass^(1/3). A test checks this against a direct PyBullet run.
    """
    if not 20.0 <= mass_kg <= 200.0:
        raise ValueError("mass must be 20-200 kg")
    return _cached(*body_key(sex, height_m)) * (mass_kg / REFERENCE_MASS) ** (1.0 / 3.0)


def exercise_load_index(
    exercise_id: str, sex: str, height_m: float, mass_kg: float
) -> dict[str, float]:
    """Joint-load index per joint group (knee, hip, shoulder, lumbar) of one exercise of the
    planner's catalogue (``planner/data/exercises.yml`` id) for this athlete's body.

    The exercise is played as its movement archetype (`planner.sim.exercises.ARCHETYPE_OF`);
    the value is that archetype's row of `body_load_table` (cached, no PyBullet run for a
    height inside `HEIGHT_GRID`). ``sex`` is "M" or "F", height in metres, mass in kg. The
    index is the RMS joint torque over one repetition relative to the body's strength capacity
    (module docstring): how hard the movement loads each joint, so it ranks exercises for one
    athlete and one exercise across bodies. It leaves out the dose (sets, reps, minutes) and
    any external load.
    """
    archetype = archetype_of(exercise_id)
    row = body_load_table(sex, height_m, mass_kg)[EXERCISES.index(archetype)]
    return {group: float(v) for group, v in zip(JOINT_GROUPS, row, strict=True)}
