"""The BP net's inputs come from its training rows only; its ensemble and the paper's net."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from torch import nn

from models import norms
from models.bp import PAPER, BPNetClassifier
from models.torchnet import predict_logits, softmax

TINY: dict[str, Any] = {"hidden_units": 5, "max_epochs": 3, "n_seeds": 1}


def _people(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Synthetic adults of both sexes in their 20s-50s: grip by sex, grade from grip."""
    rng = np.random.default_rng(seed)
    male = rng.integers(0, 2, n).astype(float)
    age = rng.uniform(20, 59, n)
    grip = rng.normal(28 + 16 * male - 0.1 * (age - 20), 4)
    jump = rng.normal(160 + 50 * male, 20)
    frame = pd.DataFrame(
        {"age": age, "grip force": grip, "broad jump": jump, "gender=F": 1 - male,
         "gender=M": male}
    )
    grade = np.where(grip - 16 * male > 26, "A", "B")
    return frame, grade


def test_scaling_is_fitted_on_the_training_rows_only() -> None:
    X, y = _people(300)
    train, new = X.iloc[:200], X.iloc[200:]
    model = BPNetClassifier(**TINY).fit(train, y[:200])
    np.testing.assert_allclose(model.scaler_.mean_, train.mean().to_numpy())
    # rows far outside the training range are scored with the training statistics: a row's
    # probabilities do not depend on which other rows are predicted beside it
    shifted = new.copy()
    shifted["grip force"] += 40.0
    together = model.predict_proba(pd.concat([new.iloc[:5], shifted]))[:5]
    np.testing.assert_allclose(together, model.predict_proba(new.iloc[:5]), rtol=1e-6)
    np.testing.assert_allclose(model.scaler_.mean_, train.mean().to_numpy())


def test_norm_inputs_are_the_items_against_the_training_rows_of_their_sex_and_age() -> None:
    X, y = _people(400, seed=1)
    train = X.iloc[:300]
    model = BPNetClassifier(**TINY, norms="sex_age", use_pca=False).fit(train, y[:300])
    names = list(X.columns)
    data = train.to_numpy()
    keys = norms.norm_keys(data, names, "sex_age")
    expected = norms.norm_z(
        data, names, keys, norms.pooled_stats(data), norms.fit_norm_stats(data, keys)
    )[:, [1, 2]]  # grip and jump: age and sex are context, not items
    inputs = model._transform(train)
    assert inputs.shape[1] == len(names) + 2
    np.testing.assert_allclose(inputs[:, len(names):], expected)
    # new rows are scored against the training rows' norms, not their own
    new = X.iloc[300:].to_numpy()
    new_keys = norms.norm_keys(new, names, "sex_age")
    against_train = norms.norm_z(
        new, names, new_keys, norms.pooled_stats(data), norms.fit_norm_stats(data, keys)
    )[:, [1, 2]]
    np.testing.assert_allclose(model._transform(X.iloc[300:])[:, len(names):], against_train)


def test_an_unknown_norm_is_refused_with_the_choices() -> None:
    X, y = _people(50)
    with pytest.raises(ValueError, match="none, sex, sex_age"):
        BPNetClassifier(**TINY, norms="age").fit(X, y)


@pytest.mark.slow
def test_the_ensemble_averages_nets_that_held_out_different_rows() -> None:
    X, y = _people(300, seed=2)
    model = BPNetClassifier(hidden_units=5, max_epochs=5, n_seeds=3, n_layers=1).fit(X, y)
    assert len(model.nets_) == 3 and model.nets_[0] is model.net_
    z = model._transform(X)
    each = [softmax(predict_logits(net, z)) for net in model.nets_]
    np.testing.assert_allclose(model.predict_proba(X), np.mean(each, axis=0), rtol=1e-6)
    assert not np.allclose(each[0], each[1])


@pytest.mark.slow
def test_the_paper_preset_is_one_tanh_hidden_layer_and_the_default_three() -> None:
    X, y = _people(200, seed=3)
    paper = BPNetClassifier(**{**PAPER, "max_epochs": 2}).fit(X, y)
    linear = [m for m in paper.net_.modules() if isinstance(m, nn.Linear)]
    assert len(linear) == 2 and len(paper.nets_) == 1
    assert paper.hidden_units_ in PAPER["hidden_grid"]
    default = BPNetClassifier(max_epochs=2, n_seeds=2).fit(X, y)
    linear = [m for m in default.net_.modules() if isinstance(m, nn.Linear)]
    assert len(linear) == 4
    assert all(isinstance(m, nn.Tanh) for m in default.net_.net if not isinstance(m, nn.Linear))
