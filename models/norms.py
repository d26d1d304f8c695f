"""Norm-referenced z-scores: each item against the training rows of the same sex and age decade.

Fitness norms are tabled per sex and age band (a 45-year-old woman's grip is judged against
women in their forties), so "standardised per item" means against the row's norm group, not
against everybody. The hybrid feeds these z-scores to its booster and (``cnn_norms``) to its
CNN; `models.gbm.EarlyStoppedLightGBM(norms="sex_age")` feeds them to plain LightGBM, the fair
baseline that says how much of the hybrid's gain is the representation and how much the
convolution (docs/models.md, "Real data").

Functions, not an object, so the hybrid keeps its fitted attributes (``all_mean_``,
``norm_stats_``) and artefacts pickled before this module existed still load.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from models.qualities import quality_of

NORMS: Final[tuple[str, ...]] = ("none", "sex", "sex_age")
MIN_NORM_ROWS: Final = 20
"""Fewer rows than this in a sex x age-decade group and its rows keep the pooled scale."""

NormStats = dict[str, tuple[np.ndarray, np.ndarray]]
"""Norm group key -> (mean, SD) of every column over that group's training rows."""


def check_norms(norms: str) -> None:
    """Raise a ValueError naming the choices when ``norms`` is not one of them."""
    if norms not in NORMS:
        raise ValueError(f"norms {norms!r}: choose from {', '.join(NORMS)}")


def norm_keys(X: np.ndarray, names: list[str], norms: str) -> np.ndarray:
    """Each row's norm group: sex and age decade (``norms``), ``""`` when not encoded.

    Sex is read from one-hot columns named ``sex=...`` or ``gender=...``; the age decade from
    an ``age`` column, clipped to the 10s-70s.
    """
    keys = np.full(len(X), "", dtype=object)
    if norms == "none":
        return keys
    sex = [
        i
        for i, c in enumerate(names)
        if str(c).split("=", 1)[0] in ("sex", "gender") and "=" in str(c)
    ]
    if sex:
        keys = keys + np.array([names[sex[j]] for j in X[:, sex].argmax(axis=1)], dtype=object)
    if norms == "sex_age" and "age" in names:
        decade = np.clip(X[:, names.index("age")] // 10, 1, 7).astype(int)
        keys = keys + np.array([f"|{d}0s" for d in decade], dtype=object)
    return keys


def pooled_stats(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, SD) of every column over all rows; a constant column gets SD 1."""
    sd = X.std(axis=0)
    return X.mean(axis=0), np.where(sd > 0, sd, 1.0)


def fit_norm_stats(X: np.ndarray, keys: np.ndarray) -> NormStats:
    """(mean, SD) per norm group with at least `MIN_NORM_ROWS` rows (the others stay pooled)."""
    stats: NormStats = {}
    for key in dict.fromkeys(keys):
        rows = X[keys == key]
        if len(rows) >= MIN_NORM_ROWS:
            stats[key] = pooled_stats(rows)
    return stats


def norm_z(
    X: np.ndarray,
    names: list[str],
    keys: np.ndarray,
    pooled: tuple[np.ndarray, np.ndarray],
    stats: NormStats,
) -> np.ndarray:
    """Items z-scored against the row's norm group, pooled as fallback.

    Context columns (age, sex) keep the pooled scale: they say which norm applies.
    """
    mean_all, sd_all = pooled
    z = (X - mean_all) / sd_all
    items = [i for i, c in enumerate(names) if quality_of(c) != "context"]
    for key, (mean, sd) in stats.items():
        rows = keys == key
        if rows.any():
            z[np.ix_(rows, items)] = (X[np.ix_(rows, items)] - mean[items]) / sd[items]
    return z
