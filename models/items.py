"""Fitness-test item names, their "better" direction, and what a weak item asks to train.

One vocabulary shared by the cohort generator, grouping, classifiers and SHAP explanations, so
that a deficiency found by any model maps to the same exercise emphasis.

Sources:
- PE-teaching paper (Wan 2025, "Machine Learning Model Construction ... Physical Education",
  Table 2 and the K-means section): BMI, vital capacity, sit-and-reach, standing long jump,
  50 m, 1000 m (men) / 800 m (women), pull-ups (men) / sit-ups (women).
- Prescription paper ("A machine learning framework for personalized exercise prescription
  based on BMI and physical fitness assessment", Fitness test battery): 3000 m with fifteen
  200 m lap splits, pull-ups, 60 s sit-ups, 30x2 shuttle run.
- The deficiency -> emphasis rules follow that paper's "Prescription Mapping" step (weak
  pull-ups -> upper-body resistance training; slow 3000 m -> aerobic conditioning; attention on
  fading final laps -> aerobic volume) and extend it to the PE paper's other items.
"""

from __future__ import annotations

from typing import Final

N_LAPS: Final = 15
LAP_ITEMS: Final[tuple[str, ...]] = tuple(f"lap_{i:02d}_s" for i in range(1, N_LAPS + 1))

PE_ITEMS: Final[tuple[str, ...]] = (
    "bmi",
    "vital_capacity_ml",
    "sit_and_reach_cm",
    "standing_long_jump_cm",
    "run_50m_s",
    "endurance_run_s",
    "pull_ups",
    "sit_ups",
)
"""The PE paper's K-means inputs (its 7 items, with both strength items kept for both sexes)."""

PRESCRIPTION_STATIC_ITEMS: Final[tuple[str, ...]] = ("pull_ups", "sit_ups", "shuttle_30x2_s")
"""The prescription paper's three single-measurement tests replicated along the lap axis."""

# +1: higher is better; -1: lower is better (times, and BMI above the healthy range).
DIRECTION: Final[dict[str, int]] = {
    "bmi": -1,
    "weight_kg": -1,
    "height_cm": 1,
    "vital_capacity_ml": 1,
    "sit_and_reach_cm": 1,
    "standing_long_jump_cm": 1,
    "run_50m_s": -1,
    "endurance_run_s": -1,
    "pull_ups": 1,
    "sit_ups": 1,
    "shuttle_30x2_s": -1,
    "run_3000m_s": -1,
    "grip_kg": 1,
    "body_fat_pct": -1,
    **{lap: -1 for lap in LAP_ITEMS},
    # the real body-performance file's columns (`models.item_map`)
    "weight": -1,
    "fat": -1,
    "diastolic": -1,
    "systolic": -1,
    "grip force": 1,
    "sit and bend forward": 1,
    "sit-ups": 1,
    "broad jump": 1,
}

UNTRAINABLE: Final[frozenset[str]] = frozenset({"height", "height_cm", "age"})
"""Model inputs no training changes: never named as a deficiency, whatever their SHAP value."""

FEATURE_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "early_laps": LAP_ITEMS[:5],
    "mid_laps": LAP_ITEMS[5:10],
    "late_laps": LAP_ITEMS[10:],
}
"""Lap splits are explained one by one but prescribed in thirds: SHAP values are additive, so the
sum over a group is that group's attribution (used for the paper's "fading final laps")."""

EMPHASIS: Final[dict[str, str]] = {
    "pull_ups": "upper-body strength",
    "sit_ups": "core endurance",
    "late_laps": "aerobic volume",
    "mid_laps": "aerobic conditioning",
    "early_laps": "pacing and aerobic conditioning",
    "run_3000m_s": "aerobic conditioning",
    "endurance_run_s": "aerobic conditioning",
    "vital_capacity_ml": "aerobic conditioning",
    "run_50m_s": "speed",
    "shuttle_30x2_s": "speed and agility",
    "standing_long_jump_cm": "lower-body power",
    "sit_and_reach_cm": "flexibility",
    "bmi": "weight management and aerobic work",
    "weight_kg": "weight management and aerobic work",
    "grip_kg": "upper-body strength",
    "body_fat_pct": "weight management and aerobic work",
    "weight": "weight management and aerobic work",
    "fat": "weight management and aerobic work",
    "grip force": "upper-body strength",
    "sit and bend forward": "flexibility",
    "sit-ups": "core endurance",
    "broad jump": "lower-body power",
    # regular aerobic exercise lowers resting blood pressure (ACSM position stand, 2004)
    "diastolic": "aerobic conditioning",
    "systolic": "aerobic conditioning",
}

TEMPLATE_OF_ITEM: Final[dict[str, str]] = {
    "pull_ups": "upper-strength",
    "sit_ups": "core-endurance",
    "late_laps": "aerobic-base",
    "mid_laps": "aerobic-base",
    "early_laps": "aerobic-base",
    "run_3000m_s": "aerobic-base",
    "endurance_run_s": "aerobic-base",
    "vital_capacity_ml": "aerobic-base",
    "run_50m_s": "speed-power",
    "shuttle_30x2_s": "speed-power",
    "standing_long_jump_cm": "speed-power",
    "sit_and_reach_cm": "mobility",
    "bmi": "weight-management",
    "weight_kg": "weight-management",
    "grip_kg": "upper-strength",
    "body_fat_pct": "weight-management",
}
"""Prescription templates a cluster maps to through its weakest item (see `models.grouping`)."""

TEMPLATES: Final[tuple[str, ...]] = (
    "aerobic-base",
    "upper-strength",
    "core-endurance",
    "speed-power",
    "mobility",
    "weight-management",
    "all-round-maintenance",
)


def group_of(feature: str) -> str:
    """The prescription-level name of a feature (a lap split belongs to its third of the race)."""
    for group, members in FEATURE_GROUPS.items():
        if feature in members:
            return group
    return feature


def emphasis_for(feature_or_group: str) -> str:
    """Exercise emphasis for a weak item; unknown columns get a generic, honest answer."""
    return EMPHASIS.get(group_of(feature_or_group), "general conditioning")


def template_for(feature_or_group: str) -> str:
    """Prescription template for a cluster whose weakest item is ``feature_or_group``."""
    return TEMPLATE_OF_ITEM.get(group_of(feature_or_group), "all-round-maintenance")


def direction_of(feature: str) -> int:
    """+1 if a higher value is better, -1 if lower is better; unknown columns count as +1."""
    return DIRECTION.get(feature, 1)

TEST_RANGES: Final[dict[str, tuple[float, float, str, str]]] = {
    "height_cm": (100, 230, "cm", "height"),
    "weight_kg": (20, 250, "kg", "body mass"),
    "vital_capacity_ml": (500, 9000, "ml", "vital capacity"),
    "sit_and_reach_cm": (-30, 50, "cm", "sit-and-reach"),
    "standing_long_jump_cm": (50, 350, "cm", "standing long jump"),
    "run_50m_s": (5, 20, "s", "50 m sprint"),
    "endurance_run_s": (120, 900, "s", "1000 m (men) / 800 m (women) run"),
    "run_3000m_s": (480, 3000, "s", "3000 m run"),
    "pull_ups": (0, 60, "reps", "pull-ups"),
    "sit_ups": (0, 100, "reps", "sit-ups in 60 s"),
    "shuttle_30x2_s": (8, 40, "s", "30 m x 2 shuttle run"),
    "grip_kg": (5, 100, "kg", "hand-grip strength (best hand)"),
    "body_fat_pct": (3, 60, "%", "body fat"),
}
"""Item -> (min, max, unit, what): plausible human ranges of the tests a person can enter (the PE
paper's Table 2 spans, widened). The chat's ``/test`` and ``coachloop import-tests`` refuse a
value outside them; one table, so the two can never disagree."""
