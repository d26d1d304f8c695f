"""Turn a user's CSV frame into the numeric design matrix every estimator receives.

Kept apart from the estimators so the CLI, the benchmark and the fitness service build features
the same way (same one-hot columns, same default item lists, same error messages).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from models.items import LAP_ITEMS, PE_ITEMS, PRESCRIPTION_STATIC_ITEMS

FULL_BATTERY: tuple[str, ...] = (
    *PE_ITEMS,
    "shuttle_30x2_s",
    *LAP_ITEMS,
)
"""Both papers' items together: PE items, the shuttle run and the 3000 m lap splits."""

PRESCRIPTION_BATTERY: tuple[str, ...] = (*LAP_ITEMS, *PRESCRIPTION_STATIC_ITEMS)
"""The prescription paper's input: 15 lap splits plus pull-ups, sit-ups and the shuttle run."""


def parse_list(text: str | None) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]``; empty or None -> ``[]``."""
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def design_matrix(
    frame: pd.DataFrame,
    features: Sequence[str],
    categorical: Sequence[str] = (),
    categories: dict[str, list[str]] | None = None,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Numeric columns as floats plus one-hot ``col=value`` columns for ``categorical``.

    ``categories`` fixes the one-hot levels (pass the dict returned at training time when
    encoding new rows). Raises ValueError naming missing or non-numeric columns.
    """
    wanted = list(dict.fromkeys([*features, *categorical]))
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(f"columns not in the data: {', '.join(missing)}")
    numeric = [c for c in features if c not in categorical]
    out = pd.DataFrame(index=frame.index)
    for col in numeric:
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.isna().all():
            raise ValueError(f"column {col!r} has no numbers; list it under --categorical")
        out[col] = values.astype(float)
    levels = dict(categories or {})
    for col in categorical:
        if col not in levels:
            levels[col] = sorted(frame[col].astype(str).unique().tolist())
        for level in levels[col]:
            out[f"{col}={level}"] = (frame[col].astype(str) == level).astype(float)
    if out.isna().any().any():
        bad = out.columns[out.isna().any()].tolist()
        raise ValueError(f"missing values in {', '.join(bad)}: fill or drop those rows first")
    return out, levels


def labels(frame: pd.DataFrame, label: str) -> np.ndarray:
    """The label column as strings (class names), with a clear error when it is missing."""
    if label not in frame.columns:
        raise ValueError(f"label column {label!r} not in the data")
    y = frame[label]
    if y.isna().any():
        raise ValueError(f"label column {label!r} has empty cells: drop those rows first")
    return y.astype(str).to_numpy()


def data_hash(frame: pd.DataFrame) -> str:
    """sha256 of the frame's CSV text: the registry's training-data fingerprint."""
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
