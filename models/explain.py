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

Sex is context, not a factor. Both papers' norms are per sex (PE paper Table 2; the K-means is
run per sex), so a woman is compared with women: the background is restricted to rows of the
person's sex (when it is known and at least `MIN_SAME_SEX_ROWS` such rows exist), the sex
columns (``sex`` or one-hot ``sex=...``) are held at the person's value while the other items
are masked, and the weakness check uses the same-sex background median. Sex stays a model
input, but it is never attributed, reported as a factor, or named as a deficiency: nobody can
train it. Without this a female median athlete was told her standing long jump (about 60 cm
below the men's median) was a deficiency, and ``sex=male`` came out as a top "factor".

The explained output is an expected "badness": sum_c P(c | x) * badness(c), with badness
ordered by health (fail 3 > pass 2 > good 1 > excellent 0; obese 2 > overweight 1 = underweight 1
> normal 0). A positive contribution pushes the person toward a less healthy class. For labels
with no known order the predicted class's probability is explained and no deficiency is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from models.grouping import normalise_sex
from models.items import UNTRAINABLE, direction_of, emphasis_for, group_of

BADNESS: dict[str, float] = {
    "excellent": 0.0,
    "good": 1.0,
    "pass": 2.0,
    "fail": 3.0,
    "normal": 0.0,
    "underweight": 1.0,
    "overweight": 1.0,
    "obese": 2.0,
    # the body-performance grades (the real file's ``class``): A best ... D worst
    "A": 0.0,
    "B": 1.0,
    "C": 2.0,
    "D": 3.0,
}

CONTEXT_COLUMN: Final = "sex"
"""The grouping variable: a model input that is never attributed or named as a deficiency."""

HELD_COLUMNS: Final = frozenset({"age"})
"""Other context: held at the person's value like sex (real fitness norms are per age band)."""

MIN_SAME_SEX_ROWS: Final = 10
"""Fewer same-sex background rows than this and the whole background is used (and the method
says so): a median and a Shapley baseline over a handful of rows would be noise."""

MIN_WEAKNESS_SD: Final = 0.5
"""How far below the same-sex median (in same-sex SDs) an item must be to be called weak.

Within half an SD of the median is the "average" band (the 31st-69th percentiles for normal
data), not a deficiency. It is also the noise floor of the reference: the median of a 30-row
background has a standard error of sqrt(pi/2) * SD / sqrt(30) ~= 0.23 SD, so a smaller gap is
within two standard errors of it (the test cohort's 30-row medians differ from the full
same-sex medians by up to 0.29 SD)."""


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
    comparison: str = ""
    """Whom the person was compared with (same-sex background or not) and what was held."""


@dataclass(frozen=True)
class ShapValues:
    """SHAP values of ``rows`` on the explained (non-context) ``columns``."""

    values: np.ndarray
    base_values: np.ndarray
    method: str
    columns: list[str]
    comparison: str = ""


def is_context(feature: str) -> bool:
    """True for sex and its one-hot levels (``sex``, ``sex=male``, ...) and for age."""
    return (
        feature == CONTEXT_COLUMN
        or feature.startswith(CONTEXT_COLUMN + "=")
        or feature in HELD_COLUMNS
    )


def sex_of_rows(frame: pd.DataFrame) -> list[str | None]:
    """Each row's sex read from its ``sex`` / ``sex=...`` columns, or None when not encoded."""
    onehot = [str(c) for c in frame.columns if str(c).startswith(CONTEXT_COLUMN + "=")]
    if onehot:
        levels = [normalise_sex(c.split("=", 1)[1]) for c in onehot]
        data = frame[onehot].to_numpy(dtype=float)
        return [levels[int(np.argmax(r))] if r.max() > 0.5 else None for r in data]
    if CONTEXT_COLUMN in frame.columns:
        out: list[str | None] = []
        for value in frame[CONTEXT_COLUMN]:
            number = pd.to_numeric(value, errors="coerce")
            text = str(int(number)) if pd.notna(number) and float(number).is_integer() else value
            sex = normalise_sex(text)
            out.append(sex if sex in ("male", "female") else None)
        return out
    return [None] * len(frame)


def background_sample(
    X: pd.DataFrame, sexes: Sequence[str | None] | None = None, per_sex: int = 30, seed: int = 0
) -> tuple[pd.DataFrame, list[str | None]]:
    """Up to ``per_sex`` rows of each sex (or ``per_sex`` rows when sex is unknown), and sexes.

    Stratified so that each sex has its own Shapley baseline and median (see module docstring);
    a pooled random sample of 30 left the shipped classifier with 9 women.
    """
    labels = list(sexes) if sexes is not None else sex_of_rows(X)
    if len(labels) != len(X):
        raise ValueError("one sex label per row is needed")
    key = pd.Series([s or "" for s in labels], index=X.index)
    parts = [
        X.loc[key == s].sample(min(per_sex, int((key == s).sum())), random_state=seed)
        for s in sorted(key.unique())
    ]
    sample = pd.concat(parts)
    return sample, [s or None for s in key.loc[sample.index]]


def badness_weights(
    classes: Sequence[str], adverse: Sequence[str] | None = None
) -> np.ndarray | None:
    """Per-class badness: ``adverse`` classes 1 else 0, or the known order, or None if unknown."""
    if adverse:
        return np.array([1.0 if c in set(adverse) else 0.0 for c in classes])
    if all(str(c) in BADNESS for c in classes):
        return np.array([BADNESS[str(c)] for c in classes])
    return None


def _output_function(
    model: Any,
    columns: list[str],
    free: list[str],
    fixed: Mapping[str, float],
    weights: np.ndarray | None,
    cls: int,
) -> Any:
    """The explained output over the ``free`` columns, context columns held at ``fixed``."""

    def f(data: np.ndarray) -> np.ndarray:
        frame = pd.DataFrame(np.asarray(data, dtype=float), columns=free)
        for col, value in fixed.items():
            frame[col] = value
        proba = np.asarray(model.predict_proba(frame[columns]))
        return proba @ weights if weights is not None else proba[:, cls]

    return f


def _known(labels: list[str | None]) -> list[str | None] | None:
    return labels if any(s is not None for s in labels) else None


def same_sex_background(
    background: pd.DataFrame,
    background_sex: Sequence[str | None] | None,
    sex: str | None,
) -> tuple[pd.DataFrame, str]:
    """Background rows of ``sex`` when enough exist, else all of them; and a note saying which."""
    if sex is None or background_sex is None:
        return background, "background of all rows (sex unknown)"
    if len(background_sex) != len(background):
        raise ValueError("background_sex needs one label per background row")
    mask = np.array([s == sex for s in background_sex])
    if mask.sum() < MIN_SAME_SEX_ROWS:
        return background, f"mixed-sex background (only {int(mask.sum())} {sex} rows)"
    return background.loc[mask], f"{int(mask.sum())} {sex} background rows"


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
    sexes: Sequence[str | None] | None = None,
    background_sex: Sequence[str | None] | None = None,
) -> ShapValues:
    """SHAP values of ``rows`` over their non-context columns, each row against its own sex.

    ``sexes`` / ``background_sex`` default to what the sex columns encode. ``permutations``
    antithetic permutations per row (PermutationExplainer only): each costs 2F + 1 model calls
    over the background; 3 keeps one explanation to about a second on CPU.
    """
    import shap

    columns = [str(c) for c in rows.columns]
    free = [c for c in columns if not is_context(c)]
    if not free:
        raise ValueError("nothing to explain: the only columns are sex (a context variable)")
    row_sex = list(sexes) if sexes is not None else sex_of_rows(rows)
    bg_sex = _known(list(background_sex) if background_sex is not None else sex_of_rows(background))
    context = [c for c in columns if c not in free]
    data = rows[free].to_numpy(dtype=float)
    held = rows[context].to_numpy(dtype=float)
    keys = [(row_sex[i], tuple(held[i])) for i in range(len(rows))]
    values = np.zeros((len(rows), len(free)))
    base = np.zeros(len(rows))
    notes: set[str] = set()
    method = ""
    for key in dict.fromkeys(keys):  # one explainer per (sex, context values), in row order
        idx = [i for i, k in enumerate(keys) if k == key]
        bg, note = same_sex_background(background, bg_sex, key[0])
        notes.add(note)
        bg = bg.sample(min(len(bg), max_background), random_state=seed)
        fixed = dict(zip(context, key[1], strict=True))
        f = _output_function(model, columns, free, fixed, weights, class_index)
        masker = shap.maskers.Independent(bg[free].to_numpy(dtype=float),
                                          max_samples=max_background)
        if len(free) <= 10:
            result = shap.explainers.Exact(f, masker)(data[idx])
            method = "shap.Exact (all coalitions)"
        else:
            explainer = shap.PermutationExplainer(f, masker, seed=seed)
            result = explainer(
                data[idx], max_evals=permutations * (2 * len(free) + 1), silent=True
            )
            method = "shap.PermutationExplainer"
        values[idx] = np.asarray(result.values).reshape(len(idx), len(free))
        base[idx] = np.asarray(result.base_values).reshape(-1)
    if context:
        notes.add(f"{', '.join(context)} held at the person's value")
    return ShapValues(values, base, method, free, "; ".join(sorted(notes)))


def deficiencies(
    factors: Sequence[ShapFactor],
    reference: Mapping[str, float],
    top: int = 2,
    spread: Mapping[str, float] | None = None,
    min_gap_sd: float = MIN_WEAKNESS_SD,
) -> list[Deficiency]:
    """Top ``top`` items (lap splits summed per third) with positive contribution that are weak.

    Weak: worse than the reference (the same-sex background median) in the item's better
    direction, by more than ``min_gap_sd`` of ``spread`` (the same-sex SD) when it is given.
    The paper ranks by SHAP alone; the weakness check keeps "weak pull-ups" from being named
    for a strong puller whose count merely interacts with another item. Sex is never one.
    """
    grouped: dict[str, list[ShapFactor]] = {}
    for factor in factors:
        if not is_context(factor.feature) and factor.feature not in UNTRAINABLE:
            grouped.setdefault(group_of(factor.feature), []).append(factor)
    candidates: list[Deficiency] = []
    for group, members in grouped.items():
        contribution = float(sum(m.contribution for m in members))
        if contribution <= 0.0:
            continue
        gaps = [
            direction_of(m.feature) * (m.value - reference[m.feature]) / _scale(spread, m.feature)
            for m in members
            if m.feature in reference
        ]
        limit = -min_gap_sd if spread is not None else 0.0
        if not gaps or float(np.mean(gaps)) >= limit:
            continue
        candidates.append(Deficiency(group, emphasis_for(group), contribution))
    candidates.sort(key=lambda d: -d.contribution)
    return candidates[:top]


def _scale(spread: Mapping[str, float] | None, feature: str) -> float:
    if spread is None:
        return 1.0
    value = float(spread.get(feature, 0.0))
    return value if np.isfinite(value) and value > 0.0 else 1.0


def explain_row(
    model: Any,
    background: pd.DataFrame,
    row: pd.DataFrame,
    *,
    adverse: Sequence[str] | None = None,
    top: int = 2,
    seed: int = 0,
    sex: str | None = None,
    background_sex: Sequence[str | None] | None = None,
    reference: Mapping[str, float] | None = None,
    spread: Mapping[str, float] | None = None,
) -> Explanation:
    """SHAP factors, deficiencies and emphasis for a single-row frame ``row``.

    ``sex`` / ``background_sex`` are needed only when the model has no sex column (then the
    comparison is still made with the same sex); by default they are read from the columns.
    ``reference``: same-sex medians of the whole training set (more exact than the
    background's); items it lacks use the same-sex background median. ``spread``: same-sex
    SDs of the training set, needed when the background is a summary (centroids are less
    spread than people); items it lacks use the background's SD.
    """
    if len(row) != 1:
        raise ValueError("explain_row takes exactly one row")
    classes = [str(c) for c in model.classes_]
    proba = np.asarray(model.predict_proba(row))[0]
    predicted = int(np.argmax(proba))
    weights = badness_weights(classes, adverse)
    row_sex = [normalise_sex(sex)] if sex is not None else sex_of_rows(row)
    bg_sex = list(background_sex) if background_sex is not None else sex_of_rows(background)
    shap_result = shap_values(
        model, background, row, weights=weights, class_index=predicted, seed=seed,
        sexes=row_sex, background_sex=bg_sex,
    )
    factors = [
        ShapFactor(col, float(row.iloc[0][col]), float(shap_result.values[0, j]))
        for j, col in enumerate(shap_result.columns)
    ]
    output = float(proba @ weights) if weights is not None else float(proba[predicted])
    target = "expected badness" if weights is not None else f"P({classes[predicted]})"
    peers, _ = same_sex_background(background, _known(bg_sex), row_sex[0])
    medians = {c: float(peers[c].median()) for c in shap_result.columns}
    medians.update({c: float(v) for c, v in (reference or {}).items() if c in medians})
    sds = {c: float(peers[c].std()) for c in shap_result.columns}
    sds.update({c: float(v) for c, v in (spread or {}).items() if c in sds})
    found = deficiencies(factors, medians, top, sds) if weights is not None else []
    return Explanation(
        target=target,
        base_value=float(shap_result.base_values[0]),
        output=output,
        predicted_class=classes[predicted],
        probabilities={c: float(p) for c, p in zip(classes, proba, strict=True)},
        factors=sorted(factors, key=lambda f: -abs(f.contribution)),
        deficiencies=found,
        method=shap_result.method,
        comparison=shap_result.comparison,
    )
