"""Baselines of the data-mining paper, shown next to ours in every report.

"Personalized training ... data mining" paper (PPO/biomechanics), model selection: SVM (RBF
kernel, C chosen by grid search with cross-validation), random forest (Gini splits) and SVR for
continuous targets; we add a plain LightGBM on the raw test items so the hybrid's 256-d features
are compared with the same booster on the original columns. For a continuous target the
forest and LightGBM have regressor twins, so SVR is always shown next to them.
"""

from __future__ import annotations

from typing import Any

BASELINES = ("rf", "svm", "lgbm", "lgbm_norm")
REGRESSORS = ("svr", "rf", "lgbm")
"""Models for a continuous label (`coachloop train classifier --task regression`)."""


def random_forest(random_state: int = 0) -> Any:
    """Random forest, 300 Gini trees, balanced class weights (minority classes matter here)."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(
        n_estimators=300, class_weight="balanced", n_jobs=1, random_state=random_state
    )


def svm(random_state: int = 0) -> Any:
    """z-scores -> RBF SVC, C from {1, 10, 100} by inner 3-fold CV, Platt probabilities.

    ``probability=True`` is deprecated in scikit-learn 1.9 (removal in 1.11); its replacement,
    CalibratedClassifierCV, needs more rows per class than the rare fitness categories have.
    """
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    search = GridSearchCV(
        SVC(kernel="rbf", probability=True, class_weight="balanced", random_state=random_state),
        {"C": [1.0, 10.0, 100.0]},
        cv=StratifiedKFold(3, shuffle=True, random_state=random_state),
        scoring="f1_macro",
        n_jobs=1,
    )
    return make_pipeline(StandardScaler(), search)


def svr(random_state: int = 0) -> Any:
    """z-scores -> RBF SVR with C picked from {1, 10, 100} by inner 3-fold CV (continuous y).

    The target is standardised too (and predictions mapped back): with C <= 100 and the
    default epsilon 0.1, an SVR on raw millilitres or seconds is regularised by the units, not
    by the data. ``random_state`` only seeds the inner folds (SVR itself is deterministic).
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.model_selection import GridSearchCV, KFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR

    search = GridSearchCV(
        SVR(kernel="rbf"),
        {"C": [1.0, 10.0, 100.0]},
        cv=KFold(3, shuffle=True, random_state=random_state),
        scoring="neg_mean_squared_error",
        n_jobs=1,
    )
    return TransformedTargetRegressor(
        regressor=make_pipeline(StandardScaler(), search), transformer=StandardScaler()
    )


def random_forest_regressor(random_state: int = 0) -> Any:
    """Random forest regressor, 300 squared-error trees (the classifier's forest, for y real)."""
    from sklearn.ensemble import RandomForestRegressor

    return RandomForestRegressor(n_estimators=300, n_jobs=1, random_state=random_state)


_LGBM: dict[str, Any] = {  # the raw-feature LightGBM of both tasks (the hybrid's L1/L2)
    "n_estimators": 200, "learning_rate": 0.05, "num_leaves": 15, "reg_alpha": 1.2,
    "reg_lambda": 0.8, "deterministic": True, "force_row_wise": True, "n_jobs": 1,
    "verbose": -1,
}


def lightgbm_regressor(random_state: int = 0) -> Any:
    """LightGBM regressor with the classifier baseline's settings (L1 1.2, L2 0.8)."""
    import lightgbm as lgb

    return lgb.LGBMRegressor(**_LGBM, random_state=random_state)


def make_regressor(name: str, random_state: int = 0) -> Any:
    """A regression model by name: svr, rf or lgbm (the hybrid and BP net are classifiers)."""
    factories = {"svr": svr, "rf": random_forest_regressor, "lgbm": lightgbm_regressor}
    if name not in factories:
        raise ValueError(f"unknown regression model {name!r}: choose from {', '.join(REGRESSORS)}")
    return factories[name](random_state)


def lightgbm(random_state: int = 0) -> Any:
    """LightGBM on the raw items with the configuration the hybrid's head uses (`models.gbm`):
    the same parameters, inner validation split, early stopping and balanced class weights."""
    from models.gbm import EarlyStoppedLightGBM

    return EarlyStoppedLightGBM(random_state=random_state)


def lightgbm_norm(random_state: int = 0) -> Any:
    """`lightgbm` plus each item's z-score against the same sex and age decade (`models.norms`).

    The hybrid's booster gets these z-scores beside the CNN's logits, so this is the baseline
    that isolates what the CNN adds: the same booster, the same representation, no CNN.
    """
    from models.gbm import EarlyStoppedLightGBM

    return EarlyStoppedLightGBM(norms="sex_age", random_state=random_state)


def make_classifier(name: str, random_state: int = 0) -> Any:
    """Any model the CLI accepts by name: hybrid, bp, lgbm, lgbm_norm, rf, svm."""
    if name == "hybrid":
        from models.hybrid import HybridCNNLightGBM

        return HybridCNNLightGBM(random_state=random_state)
    if name == "bp":
        from models.bp import BPNetClassifier

        return BPNetClassifier(random_state=random_state)
    factories = {"rf": random_forest, "svm": svm, "lgbm": lightgbm, "lgbm_norm": lightgbm_norm}
    if name not in factories:
        raise ValueError(
            f"unknown model {name!r}: choose from hybrid, bp, lgbm, lgbm_norm, rf, svm"
        )
    return factories[name](random_state)
