"""Training-fold augmentation of the prescription paper: SMOTE then Gaussian noise.

"Data augmentation" section: SMOTE (k = 5 neighbours) oversamples every minority class up to the
majority class, then zero-mean Gaussian noise (sigma = 0.1, in standardised units) is added to
synthetic and original rows alike. The paper applies both "only within the training folds of the
stratified 5-fold cross-validation loop"; estimators call this from ``fit`` on the rows they are
given, so whatever splits the data before ``fit`` keeps validation rows untouched. Rows come in
and go out in the caller's raw units; SMOTE's neighbour search runs on z-scores so that a 60 s
lap split does not drown a pull-up count.
"""

from __future__ import annotations

import numpy as np


def smote_and_noise(
    X: np.ndarray,
    y: np.ndarray,
    *,
    noise_sigma: float = 0.1,
    k_neighbors: int = 5,
    random_state: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Balance classes with SMOTE and jitter every row; returns new (X, y) in raw units.

    Classes with a single row cannot be interpolated: they are duplicated (random oversampling)
    instead. ``noise_sigma`` is in SD units of each column (0 disables the noise).
    """
    from imblearn.over_sampling import SMOTE, RandomOverSampler

    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    mean = X.mean(axis=0)
    sd = X.std(axis=0)
    sd[sd == 0.0] = 1.0
    z = (X - mean) / sd
    _, counts = np.unique(y, return_counts=True)
    if len(counts) < 2:
        z_aug, y_aug = z, y
    elif counts.min() < 2:
        z_aug, y_aug = RandomOverSampler(random_state=random_state).fit_resample(z, y)
    else:
        k = min(k_neighbors, int(counts.min()) - 1)
        z_aug, y_aug = SMOTE(k_neighbors=k, random_state=random_state).fit_resample(z, y)
    z_aug = np.asarray(z_aug, dtype=float)
    if noise_sigma > 0.0:
        rng = np.random.default_rng(random_state)
        z_aug = z_aug + rng.normal(0.0, noise_sigma, size=z_aug.shape)
    return z_aug * sd + mean, np.asarray(y_aug)
