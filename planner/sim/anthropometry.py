"""Segment masses, lengths and centre-of-mass positions from standard anthropometric tables.

Mass fractions and centre-of-mass (COM) positions: de Leva P. (1996), "Adjustments to
Zatsiorsky-Seluyanov's segment inertia parameters", J Biomech 29(9):1223-1230, Table 4
(separate male and female values; the trunk split into upper/middle/lower parts).
Joint heights and limb lengths as fractions of stature: Winter D.A. (2009), "Biomechanics and
Motor Control of Human Movement", 4th ed., Fig. 4.1 (after Drillis & Contini 1966).

The body is a 12-degree-of-freedom sagittal model: ankles, knees, hips, lumbar, neck,
shoulders, elbows (one revolute joint each, axis = medio-lateral y).
"""

from __future__ import annotations

from dataclasses import dataclass

# de Leva (1996) mass fractions (% of body mass): male, female.
_MASS = {
    "head": (6.94, 6.68),
    "thorax": (15.96 + 16.33, 15.45 + 14.65),  # upper + middle trunk
    "pelvis": (11.17, 12.47),  # lower trunk
    "upperarm": (2.71, 2.55),
    "forearm": (1.62, 1.38),
    "hand": (0.61, 0.56),
    "thigh": (14.16, 14.78),
    "shank": (4.33, 4.81),
    "foot": (1.37, 1.29),
}
# de Leva (1996) COM position from the proximal joint, fraction of segment length.
_COM = {
    "upperarm": (0.5772, 0.5754),
    "forearm": (0.4574, 0.4559),
    "thigh": (0.4095, 0.3612),
    "shank": (0.4459, 0.4416),
}
# Winter (2009) Fig. 4.1: heights above ground / lengths as fractions of stature H.
ANKLE_H = 0.039
KNEE_H = 0.285
HIP_H = 0.530
LUMBAR_H = 0.630
SHOULDER_H = 0.818
NECK_H = 0.870
UPPERARM_L = 0.186
FOREARM_L = 0.146
HAND_L = 0.108
FOOT_L = 0.152


@dataclass(frozen=True, slots=True)
class Segment:
    """One rigid segment in the neutral standing pose (x forward, y left, z up; metres, kg).

    ``length`` and ``depth`` size a box whose inertia stands in for the segment's (a rod-like
    approximation; the gravitational and COM terms, which dominate joint torque, are exact).
    """

    name: str
    mass: float
    com: tuple[float, float, float]
    length: float
    depth: float


@dataclass(frozen=True, slots=True)
class JointSpec:
    """A revolute sagittal joint between ``parent`` and ``child`` (canonical pelvis-rooted tree).

    ``sign`` converts the anatomical angle (flexion / dorsiflexion positive) into a rotation
    of the child about +y in the canonical direction.
    """

    name: str
    parent: str
    child: str
    position: tuple[float, float, float]
    sign: float


def build_segments(sex: str, height_m: float, mass_kg: float) -> list[Segment]:
    """The 13 segments of a body of this sex, stature and mass (neutral standing pose):
    pelvis, thorax, head, and per side thigh, shank, foot, upper arm, forearm+hand."""
    if sex not in ("M", "F"):
        raise ValueError("sex must be 'M' or 'F'")
    if not (1.0 <= height_m <= 2.3) or not (20.0 <= mass_kg <= 200.0):
        raise ValueError("height must be 1.0-2.3 m and mass 20-200 kg")
    i = 0 if sex == "M" else 1
    h = height_m

    def m(name: str) -> float:
        return _MASS[name][i] / 100.0 * mass_kg

    segs = [
        Segment("pelvis", m("pelvis"), (0.0, 0.0, 0.58 * h), 0.10 * h, 0.12 * h),
        Segment("thorax", m("thorax"), (0.0, 0.0, 0.725 * h), 0.19 * h, 0.13 * h),
        Segment("head", m("head"), (0.0, 0.0, 0.935 * h), 0.13 * h, 0.11 * h),
    ]
    fa_m, hd_m = m("forearm"), m("hand")
    fa_com = (fa_m * _COM["forearm"][i] * FOREARM_L + hd_m * (FOREARM_L + 0.5 * HAND_L)) / (
        fa_m + hd_m
    )
    for side, y in (("r", -1.0), ("l", 1.0)):
        hip_y, sh_y = y * 0.05 * h, y * 0.12 * h
        thigh_l = HIP_H - KNEE_H
        shank_l = KNEE_H - ANKLE_H
        segs += [
            Segment(
                f"thigh_{side}",
                m("thigh"),
                (0.0, hip_y, (HIP_H - _COM["thigh"][i] * thigh_l) * h),
                thigh_l * h,
                0.07 * h,
            ),
            Segment(
                f"shank_{side}",
                m("shank"),
                (0.0, hip_y, (KNEE_H - _COM["shank"][i] * shank_l) * h),
                shank_l * h,
                0.05 * h,
            ),
            Segment(f"foot_{side}", m("foot"), (0.03 * h, hip_y, 0.015 * h), FOOT_L * h, 0.03 * h),
            Segment(
                f"upperarm_{side}",
                m("upperarm"),
                (0.0, sh_y, (SHOULDER_H - _COM["upperarm"][i] * UPPERARM_L) * h),
                UPPERARM_L * h,
                0.04 * h,
            ),
            Segment(
                f"forearm_{side}",
                fa_m + hd_m,
                (0.0, sh_y, (SHOULDER_H - UPPERARM_L - fa_com) * h),
                (FOREARM_L + HAND_L) * h,
                0.03 * h,
            ),
        ]
    return segs


def build_joints(height_m: float) -> list[JointSpec]:
    """The 12 sagittal joints (canonical tree rooted at the pelvis), neutral standing pose."""
    h = height_m
    joints = [
        JointSpec("lumbar", "pelvis", "thorax", (0.0, 0.0, LUMBAR_H * h), 1.0),
        JointSpec("neck", "thorax", "head", (0.0, 0.0, NECK_H * h), 1.0),
    ]
    for side, y in (("r", -1.0), ("l", 1.0)):
        hip_y, sh_y = y * 0.05 * h, y * 0.12 * h
        joints += [
            # Hip flexion swings a downward thigh forward = negative rotation about +y.
            JointSpec(f"hip_{side}", "pelvis", f"thigh_{side}", (0.0, hip_y, HIP_H * h), -1.0),
            JointSpec(
                f"knee_{side}", f"thigh_{side}", f"shank_{side}", (0.0, hip_y, KNEE_H * h), 1.0
            ),
            JointSpec(
                f"ankle_{side}", f"shank_{side}", f"foot_{side}", (0.0, hip_y, ANKLE_H * h), -1.0
            ),
            JointSpec(
                f"shoulder_{side}", "thorax", f"upperarm_{side}", (0.0, sh_y, SHOULDER_H * h), -1.0
            ),
            JointSpec(
                f"elbow_{side}",
                f"upperarm_{side}",
                f"forearm_{side}",
                (0.0, sh_y, (SHOULDER_H - UPPERARM_L) * h),
                -1.0,
            ),
        ]
    return joints


# Where the supporting contact is for each root segment (neutral pose, fraction of stature):
# the sole under the ankle, the palm at the end of the forearm+hand segment, the saddle.
ROOT_POINT = {
    "foot_r": (0.0, -0.05, 0.0),
    "forearm_r": (0.0, -0.12, SHOULDER_H - UPPERARM_L - FOREARM_L - 0.5 * HAND_L),
    "pelvis": (0.0, 0.0, HIP_H),
}
