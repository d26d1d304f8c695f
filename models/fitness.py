"""The planner's entry point: one athlete's tests -> group, template, class, SHAP, emphasis.

Pure: no storage, no chat. Loads the current "grouping" and "classifier" artefacts through the
registry (user's model_dir first, shipped defaults otherwise) and caches them per model_dir.

Missing items are filled so a new athlete with a partial battery still gets a first
prescription, and every filled item is listed in ``imputed``: BMI from height and weight; lap
splits as an even split of a given 3000 m time, or of the 3000 m predicted from the endurance
run by Riegel's model T2 = T1 (D2/D1)^1.06 (1000 m men, 800 m women); anything else from the
classifier's training median for the athlete's sex (`medians_for`: pooled medians when the
artefact was trained without a sex column), or, for an item only the grouping uses, the
grouping's training mean for that sex. An imputed item sits at the centre, so its SHAP
contribution is small, and it is never named as a deficiency.

A classifier trained on another vocabulary (the shipped one, on the real body-performance
file) carries ``item_map`` in its manifest: model column -> our item (`models.item_map`). Its
columns are read from the athlete's items through that map; a column without an item of ours,
or one the athlete has not taken, is the same-sex training median and is listed in
``imputed`` (by our item name when it has one). Factors and deficiencies come back in our
item names, so the planner's emphasis rules and plain names apply unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from models import registry
from models.explain import Deficiency, ShapFactor, explain_row
from models.grouping import normalise_sex
from models.item_map import item_of
from models.items import FEATURE_GROUPS, LAP_ITEMS, N_LAPS


@dataclass(frozen=True)
class FitnessAssessment:
    """What the planner needs for a first prescription, with the evidence behind it."""

    cluster_id: str
    template: str
    profile: dict[str, float]
    predicted_class: str
    probabilities: dict[str, float]
    factors: list[ShapFactor]
    deficiencies: list[Deficiency]
    imputed: list[str] = field(default_factory=list)
    model_versions: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _load(model_dir: str | None) -> tuple[registry.Artifact, registry.Artifact]:
    path = Path(model_dir) if model_dir else None
    return registry.load_current("grouping", path), registry.load_current("classifier", path)


def clear_cache() -> None:
    """Forget loaded artefacts (after `coachloop train ... --save`)."""
    _load.cache_clear()


def complete_tests(
    tests: Mapping[str, float], sex: str, medians: Mapping[str, float], features: list[str]
) -> tuple[dict[str, float], list[str]]:
    """Fill the items ``features`` needs; returns (values, names of filled items)."""
    values = {k: float(v) for k, v in tests.items()}
    imputed: list[str] = []
    if "bmi" not in values and {"height_cm", "weight_kg"} <= values.keys():
        values["bmi"] = values["weight_kg"] / (values["height_cm"] / 100.0) ** 2
    missing_laps = [lap for lap in LAP_ITEMS if lap in features and lap not in values]
    if missing_laps:
        total = values.get("run_3000m_s")
        if total is None and "endurance_run_s" in values:
            distance = 1000.0 if sex == "male" else 800.0
            total = values["endurance_run_s"] * (3000.0 / distance) ** 1.06
        for lap in missing_laps:
            values[lap] = total / N_LAPS if total is not None else float(medians[lap])
            imputed.append(lap)
    for item in features:
        if item not in values:
            if item not in medians:
                raise ValueError(f"test item {item!r} is needed and has no default")
            values[item] = float(medians[item])
            imputed.append(item)
    return values, imputed


def medians_for(extra: Mapping[str, Any], sex: str) -> dict[str, float]:
    """The imputation medians for ``sex``: per-sex when the artefact has them, else pooled.

    Artefacts saved before per-sex medians existed carry only ``{"all": ...}``; a KeyError
    there used to drop the athlete to the general template without a word. The pooled
    medians are a worse default (a woman's missing jump is filled with a mixed median) but an
    honest one: every filled item is listed in ``imputed``.
    """
    by_sex: Mapping[str, Mapping[str, float]] = extra.get("medians_by_sex") or {}
    for key in (sex, "all"):
        if key in by_sex:
            return {k: float(v) for k, v in by_sex[key].items()}
    if by_sex:  # keys written as "M"/"F" or 0/1 by an older or outside artefact
        for key, medians in by_sex.items():
            if normalise_sex(key) == sex:
                return {k: float(v) for k, v in medians.items()}
    return {}


def mapped_row(
    tests: Mapping[str, float],
    features: list[str],
    item_map: dict[str, str],
    medians: Mapping[str, float],
) -> tuple[dict[str, float], list[str]]:
    """The model's columns read through ``item_map``; (values, our names of imputed ones)."""
    values: dict[str, float] = {}
    imputed: list[str] = []
    for column in features:
        item = item_of(column, item_map)
        if item in tests:
            values[column] = float(tests[item])
            continue
        if column not in medians:
            raise ValueError(f"test item {item!r} is needed and has no default")
        values[column] = float(medians[column])
        imputed.append(item)
    return values, imputed


def _renamed(feature: str, item_map: dict[str, str]) -> str:
    return item_of(feature, item_map)


def assess(
    tests: Mapping[str, float],
    sex: str,
    model_dir: Path | None = None,
    *,
    explain: bool = True,
    age: float | None = None,
) -> FitnessAssessment:
    """Group, classify and explain one athlete's fitness tests with the current artefacts.

    ``age`` (years) is an input of a classifier trained with an ``age`` column; without it the
    same-sex training median stands in, and ``imputed`` says so.
    """
    sex = normalise_sex(sex)
    if sex not in ("male", "female"):
        raise ValueError("sex must be 'male' or 'female' (the papers' norms are per sex)")
    grouping_art, clf_art = _load(str(model_dir) if model_dir else None)
    extra: dict[str, Any] = clf_art.manifest.extra
    features: list[str] = list(extra["features"])
    item_map: dict[str, str] = dict(extra.get("item_map") or {})
    grouping = grouping_art.objects["model.joblib"]
    medians = medians_for(extra, sex)
    measured = {k: float(v) for k, v in tests.items()}
    if age is not None:
        measured["age"] = float(age)
    if item_map:
        values, imputed = complete_tests(measured, sex, grouping.centre(sex),
                                         list(grouping.features_))
        row_values, clf_imputed = mapped_row(measured, features, item_map, medians)
        imputed = list(dict.fromkeys([*clf_imputed, *imputed]))
    else:
        needed = list(dict.fromkeys([*features, *grouping.features_]))
        values, imputed = complete_tests(measured, sex, {**grouping.centre(sex), **medians},
                                         needed)
        row_values = {f: values[f] for f in features}
    assignment = grouping.group_for(values, sex=sex)
    row = pd.DataFrame([row_values])
    for col, levels in extra.get("categorical", {}).items():
        for level in levels:
            row[f"{col}={level}"] = (
                1.0 if col == "sex" and normalise_sex(level) == sex else 0.0
            )
    model = clf_art.objects["model.joblib"]
    background: pd.DataFrame = clf_art.objects["background.joblib"]
    row = row[list(background.columns)]
    if explain:
        per_sex = sex in extra.get("medians_by_sex", {})
        result = explain_row(
            model,
            background,
            row,
            sex=sex,
            background_sex=extra.get("background_sex"),
            reference=medians if per_sex else None,
            spread=(extra.get("sd_by_sex") or {}).get(sex),
        )
        factors = [
            ShapFactor(_renamed(f.feature, item_map), f.value, f.contribution)
            for f in result.factors if "=" not in f.feature and f.feature != "age"
        ]
        filled = set(imputed)
        deficiencies = [  # a lap third counts as imputed when any of its splits was filled
            Deficiency(_renamed(d.feature, item_map), d.emphasis, d.contribution)
            for d in result.deficiencies
            if filled.isdisjoint(
                _renamed(f, item_map) for f in FEATURE_GROUPS.get(d.feature, (d.feature,))
            )
        ]
        predicted, probabilities = result.predicted_class, result.probabilities
    else:
        proba = model.predict_proba(row)[0]
        probabilities = {str(c): float(p) for c, p in zip(model.classes_, proba, strict=True)}
        predicted = max(probabilities, key=lambda c: probabilities[c])
        factors, deficiencies = [], []
    return FitnessAssessment(
        cluster_id=assignment.cluster_id,
        template=assignment.template,
        profile=assignment.profile,
        predicted_class=predicted,
        probabilities=probabilities,
        factors=factors,
        deficiencies=deficiencies,
        imputed=imputed,
        model_versions={
            "grouping": grouping_art.manifest.version,
            "classifier": clf_art.manifest.version,
        },
    )
