"""K-means grouping of fitness tests per sex, with cluster profiles mapped to templates.

PE-teaching paper (Wan 2025, "K-means clustering" results): inputs are BMI, vital capacity,
sit-and-reach, standing long jump, 50 m, 1000/800 m and pull-ups/sit-ups, clustered separately
for men and women; experts asked for 8-15 groups and the SSE curve picked 10; at most 100
iterations. We choose k in 8-15 by silhouette (or the SSE elbow, ``k_rule="elbow"``) and report
both curves. Each cluster's centroid, in z units with signs turned so that positive is better,
is its profile; its weakest item names the prescription template (`models.items.template_for`),
as the paper uses the centroid data "as a reference when the initial exercise prescription was
formulated". PCA is optional: with all components it is a rotation and leaves K-means unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from models.items import PE_ITEMS, direction_of, template_for

ALL = "all"


class GroupAssignment(NamedTuple):
    """Where one person falls: ``"male:3"``, the template, the cluster's z-profile."""

    cluster_id: str
    template: str
    profile: dict[str, float]


def normalise_sex(value: object) -> str:
    """``M``/``male``/``1``... -> ``"male"``, ``F``/``female``/``0``... -> ``"female"``."""
    text = str(value).strip().lower()
    if text in {"m", "male", "man", "boy", "1"}:
        return "male"
    if text in {"f", "female", "woman", "girl", "0"}:
        return "female"
    return text


def group_keys(frame: pd.DataFrame, by: str | None) -> pd.Series:
    """Each row's group: ``"all"``, its normalised sex (``by="sex"``) or the ``by`` value."""
    if by is None:
        return pd.Series(ALL, index=frame.index)
    if by not in frame.columns:
        raise ValueError(f"grouping column {by!r} not in the data (use --by or none)")
    keys = frame[by]
    return keys.map(normalise_sex) if by == "sex" else keys.astype(str)


def elbow_k(ks: Sequence[int], sse: Sequence[float]) -> int:
    """Kneedle elbow: the k farthest below the chord from the first to the last SSE point."""
    x = np.asarray(ks, dtype=float)
    y = np.asarray(sse, dtype=float)
    if len(x) < 3 or y[0] == y[-1]:
        return int(x[0])
    xn = (x - x[0]) / (x[-1] - x[0])
    yn = (y - y[-1]) / (y[0] - y[-1])
    gap = (1.0 - xn) - yn
    return int(x[int(np.argmax(gap))])


def template_of_profile(profile: Mapping[str, float], threshold: float = 0.0) -> str:
    """Template of a direction-adjusted profile: its weakest item's, or maintenance if none weak."""
    item, score = min(profile.items(), key=lambda kv: kv[1])
    return template_for(item) if score < threshold else "all-round-maintenance"


class FitnessGrouping(BaseEstimator):
    """K-means per group (sex by default) with k searched in ``k_range``.

    Parameters
    ----------
    features: test items clustered (the PE paper's battery by default).
    by: column that splits the cohort (``None`` clusters everyone together).
    k: ``"auto"`` to search ``k_range`` or a fixed number of clusters.
    k_range: inclusive (low, high) searched when ``k="auto"``; the paper's experts said 8-15.
    k_rule: ``"silhouette"`` (highest mean silhouette) or ``"elbow"`` (SSE kneedle).
    max_iter: K-means iterations (the paper: 100).
    n_init: K-means restarts; the best SSE wins.
    pca_components: cluster on this many principal components (None: all z-scored items).
    random_state: seed for K-means and the silhouette sample.
    """

    def __init__(
        self,
        features: Sequence[str] = PE_ITEMS,
        by: str | None = "sex",
        k: int | str = "auto",
        k_range: tuple[int, int] = (8, 15),
        k_rule: str = "silhouette",
        max_iter: int = 100,
        n_init: int = 10,
        pca_components: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.by = by
        self.k = k
        self.k_range = k_range
        self.k_rule = k_rule
        self.max_iter = max_iter
        self.n_init = n_init
        self.pca_components = pca_components
        self.random_state = random_state

    def _group_keys(self, frame: pd.DataFrame) -> pd.Series:
        return group_keys(frame, self.by)

    def fit(self, frame: pd.DataFrame, y: Any = None) -> FitnessGrouping:
        """Fit scaler, optional PCA and K-means for each group; record both k criteria."""
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA
        from sklearn.metrics import silhouette_score
        from sklearn.preprocessing import StandardScaler

        if self.k_rule not in {"silhouette", "elbow"}:
            raise ValueError("k_rule must be 'silhouette' or 'elbow'")
        features = list(self.features)
        missing = [c for c in features if c not in frame.columns]
        if missing:
            raise ValueError(f"columns not in the data: {', '.join(missing)}")
        keys = self._group_keys(frame)
        self.features_ = features
        self.groups_: dict[str, dict[str, Any]] = {}
        for key in sorted(keys.unique()):
            data = frame.loc[keys == key, features].astype(float).to_numpy()
            scaler = StandardScaler().fit(data)
            z = scaler.transform(data)
            reducer = None
            if self.pca_components is not None:
                reducer = PCA(n_components=self.pca_components, random_state=self.random_state)
                z = reducer.fit_transform(z)
            ks = self._candidate_ks(len(data), key)
            sse: list[float] = []
            sil: list[float] = []
            fitted: dict[int, Any] = {}
            for k in ks:
                km = KMeans(
                    n_clusters=k,
                    max_iter=self.max_iter,
                    n_init=self.n_init,
                    random_state=self.random_state,
                ).fit(z)
                fitted[k] = km
                sse.append(float(km.inertia_))
                sil.append(
                    float(
                        silhouette_score(
                            z,
                            km.labels_,
                            sample_size=min(len(z), 2000),
                            random_state=self.random_state,
                        )
                    )
                )
            k_elbow = elbow_k(ks, sse)
            k_sil = ks[int(np.argmax(sil))]
            chosen = k_sil if self.k_rule == "silhouette" else k_elbow
            km = fitted[chosen]
            centroids_z = self._centroids_in_item_z(km.cluster_centers_, reducer)
            profiles = {
                c: {f: float(direction_of(f) * centroids_z[c, j]) for j, f in enumerate(features)}
                for c in range(chosen)
            }
            self.groups_[key] = {
                "scaler": scaler,
                "pca": reducer,
                "kmeans": km,
                "k": chosen,
                "selection": {
                    "k_values": ks,
                    "sse": sse,
                    "silhouette": sil,
                    "elbow_k": k_elbow,
                    "silhouette_k": k_sil,
                    "rule": self.k_rule,
                    "chosen_k": chosen,
                },
                "profiles": profiles,
                "templates": {c: template_of_profile(p) for c, p in profiles.items()},
                "sizes": np.bincount(km.labels_, minlength=chosen).tolist(),
            }
        return self

    def _candidate_ks(self, n_rows: int, key: str) -> list[int]:
        if self.k == "auto":
            low, high = self.k_range
            if not 2 <= low <= high:
                raise ValueError("k_range must be (low, high) with 2 <= low <= high")
            ks = list(range(low, high + 1))
        else:
            ks = [int(self.k)]
        if n_rows <= max(ks):
            raise ValueError(
                f"group {key!r} has {n_rows} rows, too few for k={max(ks)}: add data or lower --k"
            )
        return ks

    @staticmethod
    def _centroids_in_item_z(centers: np.ndarray, reducer: Any) -> np.ndarray:
        return np.asarray(reducer.inverse_transform(centers) if reducer is not None else centers)

    def _check_fitted(self) -> None:
        if not hasattr(self, "groups_"):
            raise ValueError("this grouping is not fitted yet: call fit() or load a trained one")

    def _transform_group(self, key: str, data: np.ndarray) -> np.ndarray:
        group = self.groups_[key]
        z = group["scaler"].transform(data)
        return np.asarray(group["pca"].transform(z) if group["pca"] is not None else z)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Cluster ids ``"<group>:<cluster>"`` for each row."""
        self._check_fitted()
        keys = self._group_keys(frame)
        out = np.empty(len(frame), dtype=object)
        for key in keys.unique():
            if key not in self.groups_:
                raise ValueError(f"no clusters were fitted for {self.by}={key!r}")
            mask = (keys == key).to_numpy()
            data = frame.loc[mask, self.features_].astype(float).to_numpy()
            labels = self.groups_[key]["kmeans"].predict(self._transform_group(key, data))
            out[mask] = [f"{key}:{int(c)}" for c in labels]
        return out

    def group_for(self, features: Mapping[str, float], sex: str | None = None) -> GroupAssignment:
        """Cluster, template and cluster profile for one person's test results."""
        self._check_fitted()
        missing = [f for f in self.features_ if f not in features]
        if missing:
            raise ValueError(f"test results missing: {', '.join(missing)}")
        row: dict[str, object] = {f: float(features[f]) for f in self.features_}
        if self.by is not None:
            if sex is None and self.by not in features:
                raise ValueError(f"this grouping is split by {self.by!r}: pass it")
            row[self.by] = sex if sex is not None else features[self.by]
        cluster = str(self.predict(pd.DataFrame([row]))[0])
        key, local = cluster.rsplit(":", 1)
        group = self.groups_[key]
        c = int(local)
        return GroupAssignment(cluster, group["templates"][c], group["profiles"][c])

    def centre(self, key: str) -> dict[str, float]:
        """Mean of each item over the group's training rows (a default for a missing item)."""
        self._check_fitted()
        if key not in self.groups_:
            return {}
        means = self.groups_[key]["scaler"].mean_
        return {f: float(m) for f, m in zip(self.features_, means, strict=True)}

    def report(self) -> dict[str, Any]:
        """JSON-ready summary: both k criteria and every cluster's size, template and profile."""
        self._check_fitted()
        return {
            key: {
                "selection": g["selection"],
                "clusters": [
                    {
                        "cluster_id": f"{key}:{c}",
                        "size": g["sizes"][c],
                        "template": g["templates"][c],
                        "profile": {f: round(v, 3) for f, v in g["profiles"][c].items()},
                    }
                    for c in range(g["k"])
                ],
            }
            for key, g in self.groups_.items()
        }
