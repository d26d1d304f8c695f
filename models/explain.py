"""SHAP attributions on the ORIGINAL test items, deficiencies, and the exercise emphasis.

Prescription paper, "Prescription algorithm": (1) the hybrid gives a class and SHAP values for
the input fitness tests; (2) the 1-2 features with the highest positive SHAP contribution
("a strong association with a less healthy category") are the deficiencies; (3) fixed rules map
each deficiency to an emphasis (`models.items.EMPHASIS`).

Choice of explainer (why not TreeExplainer on the LightGBM): the booster sees the 256-d CNN
embedding, and SHAP values on embedding units name no test item. We explain the whole pipeline,
raw items in -> probabilities out, with model-agnostic Shapley estimators over a small
background sample (independent masker): `shap.explainers.Exact` when there are at most 10 items
(all 2^F coalitions, exact), `shap.PermutationExplainer` otherwise (antithetic permutations).
Both satisfy efficiency: base value + sum of contributions = the explained output for the row.

The explained output is an expected "badness": sum_c P(c | x) * badness(c), with badness
ordered by health (fail 3 > pass 2 > good 1 > excellent 0; obese 2 > overweight 1 = underweight 1
> normal 0). A positive contribution pushes the person toward a less healthy class. For labels
with no known order the predicted class's probability is explained and no deficiency is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.items import direction_of, emphasis_for, group_of

BADNESS: dict[str, float] = {
    "excellent": 0.0,
    "good": 1.0,
    "pass": 2.0,
    "fail": 3.0,
    "normal": 0.0,
    "underweight": 1.0,
    "overweight": 1.0,
    "obese": 2.0,
}


@dataclass(frozen=True)
class ShapFactor:
    """One test item's value and its SHAP contribution to the explained output."""

    feature: str
    value: float
    contribution: float


@dataclass(frozen=True)
class Deficiency:
    """A weak item (or lap third) that pushes toward a less healthy class, and what to train."""

    feature: str
    emphasis: str
    contribution: float


@dataclass(frozen=True)
class Explanation:
    """Everything the planner's `Explanation` needs from a model for one person."""

    target: str
    base_value: float
    output: float
    predicted_class: str
    probabilities: dict[str, float]
    factors: list[ShapFactor]
    deficiencies: list[Deficiency]
    method: str


def badness_weights(
    classes: Sequence[str], adverse: Sequence[str] | None = None
) -> np.ndarray | None:
    """Per-class badness: ``adverse`` classes 1 else 0, or the known order, or None if unknown."""
    if adverse:
        return np.array([1.0 if c in set(adverse) else 0.0 for c in classes])
    if all(str(c) in BADNESS for c in classes):
        return np.array([BADNESS[str(c)] for c in classes])
    return None


def _output_function(model: Any, columns: list[str], weights: np.ndarray | None, cls: int) -> Any:
    def f(data: np.ndarray) -> np.ndarray:
        proba = np.asarray(model.predict_proba(pd.DataFrame(np.asarray(data), columns=columns)))
        return proba @ weights if weights is not None else proba[:, cls]

    return f


def shap_values(
    model: Any,
    background: pd.DataFrame,
    rows: pd.DataFrame,
    *,
    weights: np.ndarray | None,
    class_index: int = 0,
    max_background: int = 30,
    permutations: int = 3,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, str]:
    """(values [n, F], base values [n], method) for ``rows`` against a background sample.

    ``permutations`` antithetic permutations per row (PermutationExplainer only): each costs
    2F + 1 model calls over the background; 3 keeps one explanation to about a second on CPU.
    """
    import shap

    columns = [str(c) for c in rows.columns]
    bg = background.sample(min(len(background), max_background), random_state=seed)
    masker = shap.maskers.Independent(bg.to_numpy(dtype=float), max_samples=max_background)
    f = _output_function(model, columns, weights, class_index)
    n_features = len(columns)
    data = rows.to_numpy(dtype=float)
    if n_features <= 10:
        explainer: Any = shap.explainers.Exact(f, masker)
        result = explainer(data)
        method = "shap.Exact (all coalitions)"
    else:
        explainer = shap.PermutationExplainer(f, masker, seed=seed)
        result = explainer(data, max_evals=permutations * (2 * n_features + 1), silent=True)
        method = "shap.PermutationExplainer"
    return np.asarray(result.values), np.asarray(result.base_values).reshape(-1), method


def deficiencies(
    factors: Sequence[ShapFactor],
    reference: Mapping[str, float],
    top: int = 2,
) -> list[Deficiency]:
    """Top ``top`` items (lap splits summed per third) with positive contribution that are weak.

    Weak: worse than the reference (the background median) in the item's better direction. The
    paper ranks by SHAP alone; the weakness check keeps "weak pull-ups" from being named for a
    strong puller whose count merely interacts with another item.
    """
    grouped: dict[str, list[ShapFactor]] = {}
    for factor in factors:
        grouped.setdefault(group_of(factor.feature), []).append(factor)
    candidates: list[Deficiency] = []
    for group, members in grouped.items():
        contribution = float(sum(m.contribution for m in members))
        if contribution <= 0.0:
            continue
        gaps = [
            direction_of(m.feature) * (m.value - reference[m.feature])
            for m in members
            if m.feature in reference
        ]
        if not gaps or float(np.mean(gaps)) >= 0.0:
            continue
        candidates.append(Deficiency(group, emphasis_for(group), contribution))
    candidates.sort(key=lambda d: -d.contribution)
    return candidates[:top]


def explain_row(
    model: Any,
    background: pd.DataFrame,
    row: pd.DataFrame,
    *,
    adverse: Sequence[str] | None = None,
    top: int = 2,
    seed: int = 0,
) -> Explanation:
    """SHAP factors, deficiencies and emphasis for a single-row frame ``row``."""
    if len(row) != 1:
        raise ValueError("explain_row takes exactly one row")
    classes = [str(c) for c in model.classes_]
    proba = np.asarray(model.predict_proba(row))[0]
    predicted = int(np.argmax(proba))
    weights = badness_weights(classes, adverse)
    values, base, method = shap_values(
        model, background, row, weights=weights, class_index=predicted, seed=seed
    )
    columns = [str(c) for c in row.columns]
    factors = [
        ShapFactor(col, float(row.iloc[0, j]), float(values[0, j])) for j, col in enumerate(columns)
    ]
    output = float(proba @ weights) if weights is not None else float(proba[predicted])
    target = "expected badness" if weights is not None else f"P({classes[predicted]})"
    reference = {c: float(background[c].median()) for c in columns}
    found = deficiencies(factors, reference, top) if weights is not None else []
    return Explanation(
        target=target,
        base_value=float(base[0]),
        output=output,
        predicted_class=classes[predicted],
        probabilities={c: float(p) for c, p in zip(classes, proba, strict=True)},
        factors=sorted(factors, key=lambda f: -abs(f.contribution)),
        deficiencies=found,
        method=method,
    )
