"""PNG figures: the PE paper's PCA 2-D cluster map (its Figure 2) and a SHAP summary."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from models.grouping import FitnessGrouping


def cluster_map_png(grouping: FitnessGrouping, frame: pd.DataFrame, path: Path) -> Path:
    """One panel per group: rows on their first two principal components, coloured by cluster."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.decomposition import PCA

    labels = grouping.predict(frame)
    keys = sorted(grouping.groups_)
    fig, axes = plt.subplots(1, len(keys), figsize=(6 * len(keys), 5), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        mask = np.array([str(lab).rsplit(":", 1)[0] == key for lab in labels])
        data = frame.loc[mask, grouping.features_].astype(float).to_numpy()
        z = grouping.groups_[key]["scaler"].transform(data)
        pca = PCA(n_components=2, random_state=0).fit(z)
        xy = pca.transform(z)
        clusters = np.array([int(str(lab).rsplit(":", 1)[1]) for lab in labels[mask]])
        ax.scatter(xy[:, 0], xy[:, 1], c=clusters, cmap="tab20", s=8)
        templates = grouping.groups_[key]["templates"]
        for c in np.unique(clusters):
            cx, cy = xy[clusters == c].mean(axis=0)
            ax.annotate(f"{c}: {templates[int(c)]}", (cx, cy), fontsize=7)
        ratio = pca.explained_variance_ratio_
        ax.set_title(f"{key}: k={grouping.groups_[key]['k']}")
        ax.set_xlabel(f"PC1 ({ratio[0]:.0%})")
        ax.set_ylabel(f"PC2 ({ratio[1]:.0%})")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def shap_summary_png(values: np.ndarray, columns: Sequence[str], path: Path, top: int = 15) -> Path:
    """Mean |SHAP| per test item over the explained rows (horizontal bars, largest on top)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    importance = np.abs(values).mean(axis=0)
    order = np.argsort(importance)[::-1][:top][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(order) + 1.5))
    ax.barh([columns[i] for i in order], importance[order], color="#3b75af")
    ax.set_xlabel("mean |SHAP| (contribution to expected badness)")
    ax.set_title(f"SHAP summary over {values.shape[0]} people")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
