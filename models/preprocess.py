"""Preprocessing as the PE-teaching paper describes it: outliers, z-scores, correlations, PCA.

Wan 2025, "Data preprocessing" and "Correlation analysis": outliers are removed, items are
standardised, Pearson and Spearman coefficients are reported (their Figure 1; the strongest pair
is 50 m vs standing long jump, |r| = 0.7483), and PCA removes the strong correlations before
clustering and the BP network. Outliers here use Tukey's IQR fences (Q1 - 1.5 IQR, Q3 + 1.5 IQR).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


def iqr_outliers(frame: pd.DataFrame, columns: Sequence[str], k: float = 1.5) -> pd.DataFrame:
    """Boolean frame: True where a value lies outside Tukey's fences [Q1 - k IQR, Q3 + k IQR]."""
    data = frame[list(columns)].astype(float)
    q1, q3 = data.quantile(0.25), data.quantile(0.75)
    iqr = q3 - q1
    return (data < q1 - k * iqr) | (data > q3 + k * iqr)


def clip_iqr(frame: pd.DataFrame, columns: Sequence[str], k: float = 1.5) -> pd.DataFrame:
    """Copy with each column clipped to its IQR fences (keeps the row, tames the value)."""
    out = frame.copy()
    data = out[list(columns)].astype(float)
    q1, q3 = data.quantile(0.25), data.quantile(0.75)
    iqr = q3 - q1
    out[list(columns)] = data.clip(lower=q1 - k * iqr, upper=q3 + k * iqr, axis=1)
    return out


def drop_iqr_outliers(frame: pd.DataFrame, columns: Sequence[str], k: float = 1.5) -> pd.DataFrame:
    """Rows with no value outside the IQR fences (the paper removes outlying records)."""
    return frame.loc[~iqr_outliers(frame, columns, k).any(axis=1)]


OUTLIER_METHODS = ("drop", "clip", "none")


def iqr_step(
    frame: pd.DataFrame,
    columns: Sequence[str],
    how: str = "drop",
    groups: pd.Series | None = None,
    k: float = 1.5,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The papers' outlier step before K-means, with Tukey fences computed within each group.

    ``how="drop"`` removes every row with a value outside the fences (the PE paper: "outliers
    are removed"); ``"clip"`` keeps the row and pulls the value to the fence (winsorising, for
    small groups where dropping would leave too few rows for k = 8-15); ``"none"`` skips the
    step. Fences are per group (per sex by default in the CLI): pooled fences would flag a
    woman's ordinary jump as a low outlier of the men's distribution. Returns the new frame and,
    per group, how many rows were dropped or had a value clipped.
    """
    if how not in OUTLIER_METHODS:
        raise ValueError(f"outlier method {how!r}: choose from {', '.join(OUTLIER_METHODS)}")
    keys = groups if groups is not None else pd.Series("all", index=frame.index)
    cols = list(columns)
    out = frame.copy()
    if how == "clip":
        out[cols] = out[cols].astype(float)
    keep = np.ones(len(frame), dtype=bool)
    affected: dict[str, int] = {}
    for key in sorted(keys.unique(), key=str):
        mask = (keys == key).to_numpy()
        part = frame.loc[mask]
        flagged = iqr_outliers(part, cols, k).any(axis=1).to_numpy()
        affected[str(key)] = int(flagged.sum()) if how != "none" else 0
        if how == "drop":
            keep[np.flatnonzero(mask)[flagged]] = False
        elif how == "clip":
            out.loc[mask, cols] = clip_iqr(part, cols, k)[cols].to_numpy()
    return out.loc[keep], affected


def zscores(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Standardise each column to mean 0 and SD 1 (population SD, as sklearn's StandardScaler)."""
    data = frame[list(columns)].astype(float)
    sd = data.std(ddof=0).replace(0.0, 1.0)
    return (data - data.mean()) / sd


@dataclass(frozen=True)
class CorrelationReport:
    """Pearson and Spearman matrices and the pairs whose |Pearson r| reaches ``threshold``."""

    pearson: pd.DataFrame
    spearman: pd.DataFrame
    strong_pairs: list[tuple[str, str, float]]
    threshold: float

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: both matrices (4 decimals) and the strong pairs with both coefficients."""

        def matrix(m: pd.DataFrame) -> dict[str, dict[str, float]]:
            return {str(a): {str(b): round(float(v), 4) for b, v in row.items()}
                    for a, row in m.iterrows()}

        return {
            "pearson": matrix(self.pearson),
            "spearman": matrix(self.spearman),
            "threshold": self.threshold,
            "strong_pairs": [
                {"a": a, "b": b, "pearson": round(r, 4),
                 "spearman": round(float(self.spearman.loc[a, b]), 4)}
                for a, b, r in self.strong_pairs
            ],
        }


def correlation_report(
    frame: pd.DataFrame, columns: Sequence[str], threshold: float = 0.7
) -> CorrelationReport:
    """Both coefficients of the paper's Figure 1, and the strongly correlated pairs PCA removes."""
    data = frame[list(columns)].astype(float)
    pearson = data.corr(method="pearson")
    spearman = data.corr(method="spearman")
    pairs: list[tuple[str, str, float]] = []
    cols = list(columns)
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            r = float(pearson.loc[a, b])
            if np.isfinite(r) and abs(r) >= threshold:
                pairs.append((a, b, r))
    pairs.sort(key=lambda p: -abs(p[2]))
    return CorrelationReport(pearson, spearman, pairs, threshold)


@dataclass(frozen=True)
class PcaResult:
    """Scores, loadings and explained-variance ratios of a PCA on z-scored items."""

    scores: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray
    columns: list[str]


def pca(frame: pd.DataFrame, columns: Sequence[str], n_components: int | None = None) -> PcaResult:
    """PCA (sklearn) on z-scores, as the paper does before clustering and the BP network."""
    from sklearn.decomposition import PCA

    z = zscores(frame, columns).to_numpy()
    model = PCA(n_components=n_components, svd_solver="full").fit(z)
    return PcaResult(
        scores=model.transform(z),
        components=model.components_,
        explained_variance_ratio=model.explained_variance_ratio_,
        columns=list(columns),
    )
