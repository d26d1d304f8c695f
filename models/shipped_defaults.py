"""The shipped default artefacts: a K-means grouping and a fitness-grade classifier.

The grouping is trained on the SYNTHETIC cohort (`models.cohort`, seed 0). The classifier is
trained on REAL people: the body-performance development file (4,000 people, grades A-D; not in
the repository, see docs/models.md "Real data"). Both are committed under ``models/shipped/``,
so `ensure` works on a machine without the data file: it checks they load and retrains only
what is missing (the classifier then needs the file).

Which classifier ships follows the paired comparison on the development file: the paper's
hybrid (grouped CNN -> LightGBM), because it beat LightGBM with the shared configuration
(`models.gbm`) and the forest beyond the noise there; LightGBM on the same norm-referenced items
(``lgbm_norm``) ties it, so that is the candidate if the people kept apart confirm the tie
(docs/models.md, "Real data"). Its manifest carries the data hash, the seed, its 5-fold CV
metrics (held-out folds, never the training rows), per-sex medians and SDs of every column
(imputation and the weakness check), and `models.item_map`'s mapping from our items to its
columns. The SHAP background holds no person: it is k-means
centroids of the training rows, per sex (like ``shap.kmeans``), each the mean of many people.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models import registry
from models.features import data_hash, design_matrix
from models.item_map import REAL_FEATURES, REAL_ITEM_MAP
from models.items import PE_ITEMS

SEED = 0
COHORT_SIZE = 1500
GROUPING = "grouping"
CLASSIFIER = "classifier"
CLASSIFIER_LABEL = "class"
CLASSIFIER_MODEL = "hybrid"
DEV_FILE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "fitness"
    / ("bodyPerformance-dev.csv")
)
"""Where the development file lives beside a checkout (``../shared/data/fitness/``)."""
CENTROIDS_PER_SEX = 20
MIN_CENTROID_ROWS = 5
"""A centroid standing for fewer people than this is left out of the background."""
Trained = tuple[dict[str, Any], dict[str, Any]]


def train_grouping(seed: int = SEED, n: int = COHORT_SIZE) -> Trained:
    """(objects, manifest fields) of the default per-sex K-means grouping on the PE items."""
    from models.cohort import generate_cohort
    from models.grouping import FitnessGrouping

    cohort = generate_cohort(n, seed)
    grouping = FitnessGrouping(features=PE_ITEMS, by="sex", random_state=seed).fit(cohort)
    report = grouping.report()
    metrics = {
        key: {
            "k": g["selection"]["chosen_k"],
            "elbow_k": g["selection"]["elbow_k"],
            "silhouette": round(max(g["selection"]["silhouette"]), 4),
        }
        for key, g in report.items()
    }
    fields = {
        "data_hash": data_hash(cohort),
        "seed": seed,
        "metrics": metrics,
        "extra": {"features": list(PE_ITEMS), "by": "sex", "data": "synthetic cohort"},
    }
    return {"model.joblib": grouping}, fields


def real_frame(csv: Path = DEV_FILE) -> pd.DataFrame:
    """The development file with ``gender`` as ``sex`` (male/female); a clear error if absent."""
    from models.grouping import normalise_sex

    if not csv.is_file():
        raise FileNotFoundError(
            f"the body-performance development file is not at {csv}: retraining the shipped "
            "classifier needs it (the committed artefact does not)"
        )
    frame = pd.read_csv(csv)
    missing = [c for c in (*REAL_FEATURES, "gender", CLASSIFIER_LABEL) if c not in frame.columns]
    if missing:
        raise ValueError(f"{csv} lacks the columns {', '.join(missing)}")
    frame["sex"] = frame.pop("gender").map(normalise_sex)
    return frame


def train_classifier(seed: int = SEED, csv: Path = DEV_FILE) -> Trained:
    """(objects, manifest fields) of the shipped classifier, with its 5-fold CV metrics."""
    from models.baselines import make_classifier
    from models.evaluate import cross_validate_models

    frame = real_frame(csv)
    X, levels = design_matrix(frame, REAL_FEATURES, ["sex"])
    y = frame[CLASSIFIER_LABEL].astype(str).to_numpy()
    cv = cross_validate_models(X, y, [CLASSIFIER_MODEL], folds=5, seed=seed)[0]
    model = make_classifier(CLASSIFIER_MODEL, seed).fit(X, y)
    background, background_sex = centroid_background(X, frame["sex"].tolist(), seed)
    fields = {
        "data_hash": data_hash(frame),
        "seed": seed,
        "metrics": {
            "cv_folds": cv.folds,
            "cv_accuracy_mean": round(cv.accuracy_mean, 4),
            "cv_accuracy_sd": round(cv.accuracy_sd, 4),
            "cv_macro_f1_mean": round(cv.macro_f1_mean, 4),
            "cv_macro_f1_sd": round(cv.macro_f1_sd, 4),
            "rows": len(frame),
        },
        "extra": {
            "model": CLASSIFIER_MODEL,
            "label": CLASSIFIER_LABEL,
            "features": list(REAL_FEATURES),
            "categorical": {"sex": levels["sex"]},
            "item_map": dict(REAL_ITEM_MAP),
            "medians_by_sex": _by_sex(frame, "median"),
            "sd_by_sex": _by_sex(frame, "std"),
            "background_sex": background_sex,
            "background": f"k-means centroids, up to {CENTROIDS_PER_SEX} per sex",
            "data": "body-performance development file (real people; not in the repository)",
        },
    }
    return {"model.joblib": model, "background.joblib": background}, fields


def _by_sex(frame: pd.DataFrame, stat: str) -> dict[str, dict[str, float]]:
    """Per-sex (and pooled ``all``) medians or SDs of the model's columns, 4 decimals."""
    groups = {"all": frame, **{s: frame[frame["sex"] == s] for s in ("male", "female")}}
    return {
        key: {c: round(float(getattr(rows[c], stat)()), 4) for c in REAL_FEATURES}
        for key, rows in groups.items()
    }


def centroid_background(
    X: pd.DataFrame, sexes: list[str], seed: int = SEED, per_sex: int = CENTROIDS_PER_SEX
) -> tuple[pd.DataFrame, list[str | None]]:
    """SHAP background of k-means centroids per sex: a summary, no real person's row.

    Like ``shap.kmeans``, but per sex (explanations compare a person with their own sex) and
    unweighted (our masker takes rows); a centroid of fewer than `MIN_CENTROID_ROWS` people
    is dropped, so every background row is a mean over several people.
    """
    from sklearn.cluster import KMeans

    parts: list[pd.DataFrame] = []
    labels: list[str | None] = []
    key = np.asarray(sexes)
    for sex in sorted(set(sexes)):
        rows = X.loc[key == sex]
        scale = rows.std().replace(0.0, 1.0)
        k = min(per_sex, len(rows) // MIN_CENTROID_ROWS)
        if k < 1:
            continue
        km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(rows / scale)
        sizes = np.bincount(km.labels_, minlength=k)
        centres = pd.DataFrame(km.cluster_centers_ * scale.to_numpy(), columns=X.columns)
        centres = centres.loc[sizes >= MIN_CENTROID_ROWS]
        parts.append(centres)
        labels += [sex] * len(centres)
    return pd.concat(parts, ignore_index=True), labels


def ensure(model_dir: Path | None = None) -> list[str]:
    """Check the grouping and classifier load; retrain a shipped default only if it is missing.

    Returns one line per artefact saying where it loads from (user's ``model_dir`` first). The
    committed classifier needs no data file; only retraining a missing one reads `DEV_FILE`.
    """
    lines: list[str] = []
    for name, trainer in ((GROUPING, train_grouping), (CLASSIFIER, train_classifier)):
        try:
            artifact = registry.load_current(name, model_dir)
        except FileNotFoundError:
            objects, fields = trainer()
            registry.save_shipped(name, objects, **fields)
            artifact = registry.load_current(name, model_dir)
            lines.append(f"{name}: trained shipped default ({artifact.path})")
            continue
        lines.append(f"{name}: {artifact.manifest.version} ok ({artifact.path})")
    return lines


def main(argv: list[str] | None = None) -> None:
    """``python -m models.shipped_defaults classifier [CSV]``: retrain a shipped default."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (GROUPING, CLASSIFIER):
        raise SystemExit(f"usage: python -m models.shipped_defaults {GROUPING}|{CLASSIFIER} [CSV]")
    if args[0] == CLASSIFIER:
        objects, fields = train_classifier(csv=Path(args[1]) if len(args) > 1 else DEV_FILE)
    else:
        objects, fields = train_grouping()
    manifest = registry.save_shipped(args[0], objects, **fields)
    sys.stdout.write(f"{manifest.name}: {manifest.metrics}\n")


if __name__ == "__main__":
    main()
