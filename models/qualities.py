"""The physical quality each test item measures: what the hybrid's CNN reads side by side.

A fitness row is a set of unordered items, not a time series, so a convolution over the
columns in file order would mix neighbours that happen to be adjacent in a CSV. The hybrid's
``layout="grouped"`` orders the items by the quality they measure, so a kernel slides over
related tests (body size and composition, then cardiovascular, strength, flexibility, power and
speed, endurance): the ACSM's health-related fitness components (ACSM's Guidelines for Exercise
Testing and Prescription, 11th ed., ch. 3) with the skill-related power/speed tests apart.
Age and sex are context: they are not a quality and are replicated on every step instead.

Names cover both vocabularies: ours (`models.items`) and the real body-performance file's
columns (age, gender, height, weight, fat, diastolic, systolic, grip force, sit and bend forward,
sit-ups, broad jump).
"""

from __future__ import annotations

from typing import Final

QUALITIES: Final[tuple[str, ...]] = (
    "body",
    "cardiovascular",
    "strength",
    "flexibility",
    "power",
    "endurance",
    "other",
)
"""The order of the groups along the CNN's axis; ``other`` holds unknown columns, last."""

QUALITY_OF_ITEM: Final[dict[str, str]] = {
    # body size and composition
    "height": "body",
    "height_cm": "body",
    "weight": "body",
    "weight_kg": "body",
    "bmi": "body",
    "fat": "body",
    "body_fat_pct": "body",
    # cardiovascular (resting blood pressure, lung volume)
    "diastolic": "cardiovascular",
    "systolic": "cardiovascular",
    "vital_capacity_ml": "cardiovascular",
    # muscular strength and muscular endurance
    "grip force": "strength",
    "grip_kg": "strength",
    "sit-ups": "strength",
    "sit_ups": "strength",
    "pull_ups": "strength",
    # flexibility
    "sit and bend forward": "flexibility",
    "sit_and_reach_cm": "flexibility",
    # power and speed
    "broad jump": "power",
    "standing_long_jump_cm": "power",
    "run_50m_s": "power",
    "shuttle_30x2_s": "power",
    # aerobic endurance
    "endurance_run_s": "endurance",
    "run_3000m_s": "endurance",
}

CONTEXT_ITEMS: Final[frozenset[str]] = frozenset({"age", "sex", "gender"})
"""Columns (and the prefixes of their one-hot levels) that are context, not a quality."""


def quality_of(column: str) -> str:
    """The quality of a column (``other`` when unknown); ``context`` for age and sex."""
    if column in CONTEXT_ITEMS or column.split("=", 1)[0] in CONTEXT_ITEMS:
        return "context"
    return QUALITY_OF_ITEM.get(column, "other")


def grouped_order(columns: list[str]) -> list[int]:
    """Indices of the non-context columns, ordered by quality, then by their input order."""
    ranked = [
        (QUALITIES.index(quality_of(c)), i)
        for i, c in enumerate(columns)
        if quality_of(c) != "context"
    ]
    return [i for _, i in sorted(ranked)]
