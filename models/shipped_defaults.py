"""The shipped default artefacts: a K-means grouping and a fitness-category classifier.

Both are trained by this module on the SYNTHETIC cohort (`models.cohort`, seed 0) and committed
under ``models/shipped/``; `ensure` checks they load and retrains only what is missing. The
classifier is the prescription paper's hybrid on both papers' items (PE battery, shuttle run and
3000 m lap splits, plus sex) predicting the PE paper's score category; its manifest metrics are
measured on a held-out 20 % split that the shipped model never saw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models import registry
from models.features import FULL_BATTERY, data_hash, design_matrix
from models.items import PE_ITEMS

SEED = 0
COHORT_SIZE = 1500
GROUPING = "grouping"
CLASSIFIER = "classifier"
CLASSIFIER_LABEL = "category"
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


def train_classifier(seed: int = SEED, n: int = COHORT_SIZE) -> Trained:
    """(objects, manifest fields) of the default hybrid classifier, scored on a held-out split."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    from models.cohort import generate_cohort
    from models.hybrid import HybridCNNLightGBM

    cohort = generate_cohort(n, seed)
    X, levels = design_matrix(cohort, FULL_BATTERY, ["sex"])
    y = cohort[CLASSIFIER_LABEL].astype(str).to_numpy()
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.2, random_state=seed, stratify=y
    )
    model = HybridCNNLightGBM(random_state=seed).fit(X_tr, y_tr)
    pred = model.predict(X_te)
    medians = {
        sex: cohort.loc[cohort["sex"] == sex, list(FULL_BATTERY)].median().round(3).to_dict()
        for sex in ("male", "female")
    }
    fields = {
        "data_hash": data_hash(cohort),
        "seed": seed,
        "metrics": {
            "heldout_accuracy": round(float(accuracy_score(y_te, pred)), 4),
            "heldout_macro_f1": round(float(f1_score(y_te, pred, average="macro")), 4),
            "heldout_rows": len(y_te),
        },
        "extra": {
            "label": CLASSIFIER_LABEL,
            "features": list(FULL_BATTERY),
            "categorical": {"sex": levels["sex"]},
            "medians_by_sex": medians,
            "data": "synthetic cohort",
        },
    }
    return {"model.joblib": model, "background.joblib": classifier_background(X_tr, seed)}, fields


def classifier_background(X_train: Any, seed: int = SEED) -> Any:
    """The SHAP background: 30 training rows of each sex (sex read from the one-hot columns).

    Stratified because explanations compare a person with their own sex (`models.explain`); a
    pooled sample of 30 held only 9 women. Kept apart so the background of the committed model
    can be rebuilt from the same training split without retraining the model.
    """
    from models.explain import background_sample

    return background_sample(X_train, per_sex=30, seed=seed)[0]


def ensure(model_dir: Path | None = None) -> list[str]:
    """Check the grouping and classifier load; retrain a shipped default only if it is missing.

    Returns one line per artefact saying where it loads from (user's ``model_dir`` first).
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


