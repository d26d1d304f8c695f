"""SHAP attribution of a scheduling policy's decision to its state features.

The explained quantity is one action component of a deterministic policy (e.g. PPO's volume
output). Attributions are Shapley values relative to a reference state, by SHAP's permutation
explainer with a fixed seed (deterministic); their sum equals f(x) - f(reference), so "why
more volume than for a typical athlete" is answered feature by feature.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Attribution:
    """One state feature's share of the decision."""

    feature: str
    value: float
    contribution: float


def explain_outputs(
    f: Callable[[NDArray[np.float32]], NDArray[np.float64]],
    x: NDArray[np.float32],
    reference: NDArray[np.float32],
    feature_names: Sequence[str],
    *,
    seed: int = 0,
    max_evals: int = 256,
) -> list[list[Attribution]]:
    """Shapley values of each column of ``f`` (rows -> (rows, k)) at ``x``, largest first.

    One permutation pass serves every output: the policy is asked once per masked row, not
    once per row and output (explaining intensity and volume costs what one of them did).
    """
    import shap

    x = np.asarray(x, dtype=np.float32).reshape(1, -1)
    reference = np.asarray(reference, dtype=np.float32).reshape(1, -1)
    if x.shape != reference.shape or x.shape[1] != len(feature_names):
        raise ValueError("x, reference and feature_names must have the same length")
    masker = shap.maskers.Independent(reference, max_samples=1)
    explainer = shap.PermutationExplainer(
        lambda rows: np.asarray(f(np.asarray(rows, dtype=np.float32)), dtype=np.float64),
        masker,
        feature_names=list(feature_names),
        seed=seed,
    )
    values = np.asarray(
        explainer(x, max_evals=max(max_evals, 2 * x.shape[1] + 1), silent=True).values[0]
    )
    columns = values.reshape(len(feature_names), -1)
    return [
        sorted(
            (Attribution(name, float(x[0, i]), float(columns[i, k]))
             for i, name in enumerate(feature_names)),
            key=lambda a: -abs(a.contribution),
        )
        for k in range(columns.shape[1])
    ]


def explain_output(
    f: Callable[[NDArray[np.float32]], NDArray[np.float64]],
    x: NDArray[np.float32],
    reference: NDArray[np.float32],
    feature_names: Sequence[str],
    *,
    seed: int = 0,
    max_evals: int = 256,
) -> list[Attribution]:
    """Shapley values of scalar ``f`` at ``x`` against ``reference``, largest first."""
    return explain_outputs(f, x, reference, feature_names, seed=seed, max_evals=max_evals)[0]
