"""Turning fitness-test deficiencies into extra work (the prescription paper's mapping).

The classifier's SHAP factors name the weakest test items; `models.items` maps each to an
exercise *emphasis*; this module maps an emphasis to catalogue exercises (data in
``planner/data/emphasis.yml``) and adds that work to a session: one more set of a matching
exercise already planned, else the matching exercise itself. Two emphases at most, so a
session keeps its shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import yaml

from planner.catalogue import Catalogue
from planner.session import Session, prescribe

MAX_EMPHASES = 2
PLAIN_NAMES = {
    "pull_ups": "pull-ups",
    "sit_ups": "sit-ups",
    "late_laps": "your last laps of the 3000 m",
    "mid_laps": "the middle laps of the 3000 m",
    "early_laps": "your first laps of the 3000 m",
    "run_3000m_s": "the 3000 m time",
    "endurance_run_s": "the endurance run",
    "run_50m_s": "the 50 m sprint",
    "shuttle_30x2_s": "the shuttle run",
    "standing_long_jump_cm": "the standing long jump",
    "sit_and_reach_cm": "sit-and-reach",
    "vital_capacity_ml": "lung capacity",
    "bmi": "body-mass index",
    "weight_kg": "body weight",
    "height_cm": "height",
    "grip_kg": "grip strength",
    "body_fat_pct": "body fat",
    "age": "age",
    "diastolic": "blood pressure (diastolic)",
    "systolic": "blood pressure (systolic)",
}


@dataclass(frozen=True, slots=True)
class Emphasis:
    """One deficiency to work on: the test item (or lap group), the emphasis, its SHAP weight."""

    feature: str
    emphasis: str
    contribution: float


@cache
def emphasis_map() -> dict[str, tuple[str, ...]]:
    """Emphasis name -> exercise ids, from the shipped data file."""
    text = (resources.files("planner") / "data" / "emphasis.yml").read_text("utf-8")
    return {k: tuple(v) for k, v in yaml.safe_load(text)["emphasis"].items()}


def plain_feature(feature: str) -> str:
    """A test item as a 15-year-old would say it."""
    return PLAIN_NAMES.get(feature, feature.replace("_", " "))


def apply_emphasis(
    session: Session, emphases: Sequence[Emphasis], catalogue: Catalogue
) -> tuple[Session, list[tuple[str, str]]]:
    """Add the work each emphasis asks for; returns the session and what changed (for why):
    ``(exercise_id, "set")`` for one more set, ``(exercise_id, "added")`` for a new line.

    Rest days stay rest days: a deficiency is trained on training days only.
    """
    if session.is_rest or not emphases:
        return session, []
    items = list(session.prescriptions)
    changes: list[tuple[str, str]] = []
    mapping = emphasis_map()
    for emphasis in list(emphases)[:MAX_EMPHASES]:
        candidates = [c for c in mapping.get(emphasis.emphasis, ()) if c in catalogue.exercises]
        present = [i for i, p in enumerate(items) if p.exercise_id in candidates]
        if present:
            index = present[0]
            items[index] = replace(items[index], sets=items[index].sets + 1)
            changes.append((items[index].exercise_id, "set"))
        elif candidates:
            added = prescribe(catalogue.exercise(candidates[0]))
            items.append(added)
            changes.append((added.exercise_id, "added"))
    return replace(session, prescriptions=tuple(items)), changes
