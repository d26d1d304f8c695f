"""Cross-validate several classifiers (or regressors) on the same folds, and time them.

Every model sees identical folds (StratifiedKFold, shuffled under ``seed``); whatever a model
does to its training rows (SMOTE, noise, inner validation split) happens inside its ``fit``, so
the held-out fold is always original data. Metrics: accuracy and macro-F1 per fold (the
prescription paper's and the data-mining paper's measures), fit seconds, and inference
milliseconds per sample measured on the whole held-out fold in one batch. A continuous label
(`cross_validate_regressors`) gets shuffled KFold under the same seed and R^2 and MAE per fold.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ModelScore:
    """Fold-averaged scores of one model (SD over folds, population SD)."""

    model: str
    accuracy_mean: float
    accuracy_sd: float
    macro_f1_mean: float
    macro_f1_sd: float
    fit_seconds: float
    infer_ms_per_sample: float
    folds: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


def fold_indices(y: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The shared (train, test) index pairs; errors if a class is smaller than ``folds``."""
    from sklearn.model_selection import StratifiedKFold

    _, counts = np.unique(y, return_counts=True)
    if counts.min() < folds:
        raise ValueError(
            f"the smallest class has {counts.min()} rows, fewer than --folds {folds}: "
            "lower --folds or merge rare classes"
        )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(tr, te) for tr, te in splitter.split(np.zeros(len(y)), y)]


def _fit_predict(
    model: Any, X: pd.DataFrame, y: np.ndarray, train: np.ndarray, test: np.ndarray
) -> tuple[Any, float, float]:
    """Fit on the training rows, predict the held-out ones: (predictions, fit seconds,
    inference ms per held-out sample)."""
    start = time.perf_counter()
    model.fit(X.iloc[train], y[train])
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pred = model.predict(X.iloc[test])
    return pred, fit_seconds, (time.perf_counter() - start) * 1000.0 / len(test)


def cross_validate_models(
    X: pd.DataFrame,
    y: np.ndarray,
    models: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    factory: Callable[[str, int], Any] | None = None,
    on_step: Callable[[str, int], None] | None = None,
) -> list[ModelScore]:
    """Scores for each named model over the same folds; ``on_step`` ticks a progress bar."""
    from sklearn.metrics import accuracy_score, f1_score

    from models.baselines import make_classifier

    make = factory or make_classifier
    splits = fold_indices(np.asarray(y), folds, seed)
    scores: list[ModelScore] = []
    for name in models:
        accs: list[float] = []
        f1s: list[float] = []
        fit_s: list[float] = []
        infer: list[float] = []
        for k, (tr, te) in enumerate(splits):
            pred, seconds, ms = _fit_predict(make(name, seed), X, y, tr, te)
            fit_s.append(seconds)
            infer.append(ms)
            if len(pred) != len(te):
                raise RuntimeError(f"{name} returned {len(pred)} predictions for {len(te)} rows")
            accs.append(float(accuracy_score(y[te], pred)))
            f1s.append(float(f1_score(y[te], pred, average="macro")))
            if on_step is not None:
                on_step(name, k)
        scores.append(
            ModelScore(
                model=name,
                accuracy_mean=float(np.mean(accs)),
                accuracy_sd=float(np.std(accs)),
                macro_f1_mean=float(np.mean(f1s)),
                macro_f1_sd=float(np.std(f1s)),
                fit_seconds=float(np.mean(fit_s)),
                infer_ms_per_sample=float(np.mean(infer)),
                folds=folds,
            )
        )
    return scores


@dataclass(frozen=True)
class RegressionScore:
    """Fold-averaged R^2 and MAE of one regressor (SD over folds, population SD)."""

    model: str
    r2_mean: float
    r2_sd: float
    mae_mean: float
    mae_sd: float
    fit_seconds: float
    infer_ms_per_sample: float
    folds: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


def is_continuous(values: pd.Series, min_distinct: int = 10) -> bool:
    """True when every value is a number and there are at least ``min_distinct`` of them.

    Ten distinct numbers is where class labels stop being plausible (a 1-5 grade or a 0/1
    flag stays a classification); a CSV's "3000 m time" or "VO2max" is far above it.
    """
    numbers = pd.to_numeric(values, errors="coerce")
    return bool(numbers.notna().all()) and int(numbers.nunique()) >= min_distinct


def cross_validate_regressors(
    X: pd.DataFrame,
    y: np.ndarray,
    models: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    factory: Callable[[str, int], Any] | None = None,
    on_step: Callable[[str, int], None] | None = None,
) -> list[RegressionScore]:
    """R^2 and MAE for each named regressor over the same shuffled KFold splits."""
    from sklearn.metrics import mean_absolute_error, r2_score
    from sklearn.model_selection import KFold

    from models.baselines import make_regressor

    make = factory or make_regressor
    target = np.asarray(y, dtype=float)
    if len(target) < 2 * folds:
        raise ValueError(f"{len(target)} rows are too few for --folds {folds}: lower --folds")
    splits = list(KFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(target))))
    scores: list[RegressionScore] = []
    for name in models:
        r2s: list[float] = []
        maes: list[float] = []
        fit_s: list[float] = []
        infer: list[float] = []
        for k, (tr, te) in enumerate(splits):
            raw, seconds, ms = _fit_predict(make(name, seed), X, target, tr, te)
            pred = np.asarray(raw, dtype=float)
            fit_s.append(seconds)
            infer.append(ms)
            r2s.append(float(r2_score(target[te], pred)))
            maes.append(float(mean_absolute_error(target[te], pred)))
            if on_step is not None:
                on_step(name, k)
        scores.append(
            RegressionScore(
                model=name,
                r2_mean=float(np.mean(r2s)),
                r2_sd=float(np.std(r2s)),
                mae_mean=float(np.mean(maes)),
                mae_sd=float(np.std(maes)),
                fit_seconds=float(np.mean(fit_s)),
                infer_ms_per_sample=float(np.mean(infer)),
                folds=folds,
            )
        )
    return scores
