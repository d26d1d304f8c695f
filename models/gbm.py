"""The one LightGBM configuration the plain baseline and the hybrid's head share.

A fair comparison of "LightGBM on the raw items" with "LightGBM on CNN features + raw items"
needs the same booster: the same parameters, the same inner validation split of the training
fold, the same early stopping and the same class weights. Both go through `fit_early_stopped`.

Why a refit: early stopping needs rows the booster does not train on, and holding 15 % of a
4,000-row fold out for good costs more accuracy than the stopping gains (docs/models.md). So
the inner split only chooses the number of trees; the booster is then refitted on every
training row with that many trees, scaled by the share of rows it gains (more data at the same
learning rate supports more trees). The held-out test fold is never seen by either step.

Parameters (chosen on the development file's inner splits, see docs/models.md): a small
learning rate with early stopping, 15 leaves, the prescription paper's L1 1.2 / L2 0.8, row and
column subsampling, balanced class weights (instead of SMOTE for the booster: they reweight the
loss without inventing rows).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from models import norms as norm_groups

LGBM_PARAMS: Final[dict[str, Any]] = {
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_child_samples": 20,
    "reg_alpha": 1.2,
    "reg_lambda": 0.8,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "class_weight": "balanced",
    "deterministic": True,
    "force_row_wise": True,
    "n_jobs": 1,
    "verbose": -1,
}
"""Shared by `models.baselines.lightgbm` and `models.hybrid.HybridCNNLightGBM`'s head."""

MAX_TREES: Final = 2000
STOPPING_ROUNDS: Final = 50
VALIDATION_FRACTION: Final = 0.15


def inner_split(
    n_rows: int, codes: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """(train, validation) row indices of a training fold, stratified when every class can be."""
    from sklearn.model_selection import train_test_split

    _, counts = np.unique(codes, return_counts=True)
    stratify = codes if counts.min() >= 2 else None
    train, val = train_test_split(
        np.arange(n_rows), test_size=fraction, random_state=seed, stratify=stratify
    )
    return np.asarray(train), np.asarray(val)


def fit_early_stopped(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    *,
    seed: int,
    refit: bool = True,
    params: dict[str, Any] | None = None,
) -> Any:
    """Early-stop on (X_val, y_val); with ``refit``, refit on train + val with the trees found.

    Returns a fitted ``LGBMClassifier`` whose ``best_trees_`` attribute records the number of
    trees the validation split chose (before scaling).
    """
    import lightgbm as lgb

    settings = {**LGBM_PARAMS, **(params or {})}
    probe = lgb.LGBMClassifier(n_estimators=MAX_TREES, random_state=seed, **settings)
    probe.fit(
        X_train,
        y_train,
        eval_X=(X_val,),
        eval_y=(y_val,),
        callbacks=[lgb.early_stopping(STOPPING_ROUNDS, verbose=False)],
    )
    best = int(probe.best_iteration_ or MAX_TREES)
    if not refit:
        probe.best_trees_ = best
        return probe
    total = len(X_train) + len(X_val)
    trees = max(1, round(best * total / max(len(X_train), 1)))
    final = lgb.LGBMClassifier(n_estimators=trees, random_state=seed, **settings)
    final.fit(np.concatenate([X_train, X_val]), np.concatenate([y_train, y_val]))
    final.best_trees_ = best
    return final


class EarlyStoppedLightGBM(ClassifierMixin, BaseEstimator):
    """Plain LightGBM on the raw items with the shared configuration (the fair baseline).

    With ``norms="sex_age"`` the booster also gets every item z-scored against the training
    rows of the same sex and age decade (`models.norms`), the representation the hybrid's head
    gets beside the CNN's logits: LightGBM with everything the hybrid has but the CNN.

    Parameters
    ----------
    validation_fraction: share of the training rows that chooses the number of trees.
    refit: refit on all training rows with the chosen number of trees (see module docstring).
    norms: ``"none"`` (raw items only), ``"sex"`` or ``"sex_age"`` (norm-group z-scores added).
    random_state: seed of the inner split and of the booster.
    """

    def __init__(
        self,
        validation_fraction: float = VALIDATION_FRACTION,
        refit: bool = True,
        norms: str = "none",
        random_state: int = 0,
    ) -> None:
        self.validation_fraction = validation_fraction
        self.refit = refit
        self.norms = norms
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> EarlyStoppedLightGBM:
        """Inner split, early stopping, refit (all inside the rows given)."""
        from sklearn.preprocessing import LabelEncoder

        norm_groups.check_norms(self.norms)
        if hasattr(X, "columns"):
            self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        data = np.asarray(X, dtype=float)
        self.n_features_in_ = data.shape[1]
        if self.norms != "none":
            self.pooled_ = norm_groups.pooled_stats(data)
            self.norm_stats_ = norm_groups.fit_norm_stats(data, self._keys(data))
            data = self._features(data)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        codes = encoder.transform(y)
        train, val = inner_split(len(data), codes, self.validation_fraction, self.random_state)
        self.gbm_ = fit_early_stopped(
            data[train],
            codes[train],
            data[val],
            codes[val],
            seed=self.random_state,
            refit=self.refit,
        )
        return self

    def _names(self) -> list[str]:
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{i}" for i in range(self.n_features_in_)]

    def _keys(self, data: np.ndarray) -> np.ndarray:
        return norm_groups.norm_keys(data, self._names(), self.norms)

    def _features(self, data: np.ndarray) -> np.ndarray:
        """The booster's input: the raw items, then (``norms``) their norm-group z-scores."""
        if getattr(self, "norms", "none") == "none":  # artefacts saved before ``norms``
            return data
        z = norm_groups.norm_z(
            data, self._names(), self._keys(data), self.pooled_, self.norm_stats_
        )
        return np.concatenate([data, z], axis=1)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        if not hasattr(self, "gbm_"):
            raise ValueError("EarlyStoppedLightGBM is not fitted yet: call fit() first")
        return np.asarray(self.gbm_.predict_proba(self._features(np.asarray(X, dtype=float))))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class for each row."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])
