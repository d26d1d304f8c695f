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


def assess(
    tests: Mapping[str, float],
    sex: str,
    model_dir: Path | None = None,
    *,
    explain: bool = True,
) -> FitnessAssessment:
    """Group, classify and explain one athlete's fitness tests with the current artefacts."""
    sex = normalise_sex(sex)
    if sex not in ("male", "female"):
        raise ValueError("sex must be 'male' or 'female' (the papers' norms are per sex)")
    grouping_art, clf_art = _load(str(model_dir) if model_dir else None)
    extra: dict[str, Any] = clf_art.manifest.extra
    features: list[str] = list(extra["features"])
    grouping = grouping_art.objects["model.joblib"]
    needed = list(dict.fromkeys([*features, *grouping.features_]))
    medians = medians_for(extra, sex)
    defaults = {**grouping.centre(sex), **medians}
    values, imputed = complete_tests(tests, sex, defaults, needed)
    assignment = grouping.group_for(values, sex=sex)
    row = pd.DataFrame([{f: values[f] for f in features}])
    for col, levels in extra.get("categorical", {}).items():
        for level in levels:
            row[f"{col}={level}"] = (
                1.0 if col == "sex" and normalise_sex(level) == sex else 0.0
            )
    model = clf_art.objects["model.joblib"]
    background: pd.DataFrame = clf_art.objects["background.joblib"]
    row = row[list(background.columns)]
    if explain:
        result = explain_row(
            model,
            background,
            row,
            sex=sex,
            background_sex=extra.get("background_sex"),
            reference=medians if sex in extra.get("medians_by_sex", {}) else None,
        )
        factors = [f for f in result.factors if "=" not in f.feature]
        filled = set(imputed)
        deficiencies = [  # a lap third counts as imputed when any of its splits was filled
            d for d in result.deficiencies
            if filled.isdisjoint(FEATURE_GROUPS.get(d.feature, (d.feature,)))
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
