"""Cross-validate several classifiers (or regressors) on the same folds, and time them.

Every model sees identical folds (StratifiedKFold, shuffled under ``seed``); whatever a model
does to its training rows (SMOTE, noise, inner validation split) happens inside its ``fit``, so
the held-out fold is always original data. Metrics: accuracy and macro-F1 per fold (the
prescription paper's and the data-mining paper's measures), fit seconds, and inference
milliseconds per sample measured on the whole held-out fold in one batch. A continuous label
(`cross_validate_regressors`) gets shuffled KFold under the same seed and R^2 and MAE per fold.

Two models scored on the same folds are compared with `paired_comparison`: Nadeau & Bengio's
corrected resampled t-test (Machine Learning 52, 2003, eq. 17, as in Bouckaert & Frank, PAKDD
2004) on the per-fold differences. The folds share training rows, so the plain paired t-test
underestimates the variance of the mean difference; the correction inflates it by
n_test / n_train: t = mean(d) / sqrt((1/k + n_test/n_train) * var(d)), with k - 1 degrees of
freedom. A difference whose two-sided p is not below 0.05 is reported as a tie, not a win.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

ALPHA = 0.05
"""Two-sided significance level below which a paired difference is called a win."""


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
    fold_accuracy: tuple[float, ...] = ()
    fold_macro_f1: tuple[float, ...] = ()
    train_rows: float = 0.0
    """Mean training rows per fold (n_train of the corrected t-test)."""
    test_rows: float = 0.0
    """Mean held-out rows per fold (n_test)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class PairedComparison:
    """``a`` minus ``b`` on one metric over the same folds, and whether it is beyond the noise."""

    a: str
    b: str
    metric: str
    mean_difference: float
    t: float
    p_value: float
    folds: int
    verdict: str
    """``"tie"``, or ``"<a> better"`` / ``"<b> better"`` when p < `ALPHA`."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


def corrected_resampled_ttest(
    differences: Sequence[float], n_train: float, n_test: float
) -> tuple[float, float]:
    """(t, two-sided p) of Nadeau & Bengio's corrected resampled t-test (see module docstring).

    All-equal differences have no variance: t is 0 (p 1) when they are 0, else +-inf (p 0).
    """
    from scipy import stats

    d = np.asarray(differences, dtype=float)
    k = len(d)
    if k < 2:
        raise ValueError("a paired comparison needs at least 2 folds")
    if n_train <= 0 or n_test <= 0:
        raise ValueError("n_train and n_test must be positive")
    mean = float(d.mean())
    var = float(d.var(ddof=1))
    if var == 0.0:
        return (0.0, 1.0) if mean == 0.0 else (float(np.sign(mean) * np.inf), 0.0)
    t = mean / float(np.sqrt((1.0 / k + n_test / n_train) * var))
    return t, float(2.0 * stats.t.sf(abs(t), k - 1))


def paired_comparison(
    a: ModelScore, b: ModelScore, metric: str = "accuracy", alpha: float = ALPHA
) -> PairedComparison:
    """``a`` - ``b`` on ``metric`` (``accuracy`` or ``macro_f1``) over their shared folds."""
    if metric not in ("accuracy", "macro_f1"):
        raise ValueError(f"metric {metric!r}: choose accuracy or macro_f1")
    fa, fb = getattr(a, f"fold_{metric}"), getattr(b, f"fold_{metric}")
    if len(fa) != len(fb) or not fa:
        raise ValueError(f"{a.model} and {b.model} were not scored on the same folds")
    diffs = np.asarray(fa) - np.asarray(fb)
    t, p = corrected_resampled_ttest(diffs, a.train_rows, a.test_rows)
    mean = float(diffs.mean())
    verdict = "tie" if p >= alpha else f"{a.model if mean > 0 else b.model} better"
    return PairedComparison(a.model, b.model, metric, mean, t, p, len(fa), verdict)


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
                fold_accuracy=tuple(accs),
                fold_macro_f1=tuple(f1s),
                train_rows=float(np.mean([len(tr) for tr, _ in splits])),
                test_rows=float(np.mean([len(te) for _, te in splits])),
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
