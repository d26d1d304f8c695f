"""The committed classifier is trained on real people, loads without their data, and keeps
no person's row: its SHAP background is k-means centroids per sex."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import registry, shipped_defaults
from models.features import data_hash, design_matrix
from models.item_map import REAL_FEATURES, REAL_ITEM_MAP

DEV = shipped_defaults.DEV_FILE
needs_dev_file = pytest.mark.skipif(
    not DEV.is_file(),
    reason=f"the real development file is kept outside the repository ({DEV} not here)",
)


def test_the_shipped_classifier_loads_without_the_data_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shipped_defaults, "DEV_FILE", tmp_path / "absent.csv")
    lines = shipped_defaults.ensure(tmp_path / "no-user-models")
    assert any(line.startswith("classifier: shipped ok") for line in lines)
    art = registry.load_current("classifier")
    extra = art.manifest.extra
    assert extra["features"] == list(REAL_FEATURES) and extra["item_map"] == REAL_ITEM_MAP
    assert extra["model"] == "hybrid" and set(art.objects["model.joblib"].classes_) == set("ABCD")
    assert {"male", "female", "all"} <= set(extra["medians_by_sex"]) <= set(extra["sd_by_sex"])
    assert 0.5 < art.manifest.metrics["cv_accuracy_mean"] < 1.0
    assert art.manifest.metrics["cv_folds"] == 5


def test_retraining_without_the_data_file_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="development file"):
        shipped_defaults.train_classifier(csv=tmp_path / "absent.csv")


def test_the_background_is_a_summary_per_sex() -> None:
    art = registry.load_current("classifier")
    background = art.objects["background.joblib"]
    sexes = art.manifest.extra["background_sex"]
    assert len(sexes) == len(background)
    assert 10 <= sexes.count("female") <= 20 and 10 <= sexes.count("male") <= 20
    onehot = background[["sex=female", "sex=male"]].to_numpy()
    assert set(np.unique(onehot)) <= {0.0, 1.0}  # each centroid is of one sex


@needs_dev_file
def test_the_shipped_classifier_was_trained_on_the_development_file() -> None:
    frame = shipped_defaults.real_frame(DEV)
    manifest = registry.load_current("classifier").manifest
    assert manifest.data_hash == data_hash(frame)
    assert manifest.metrics["rows"] == len(frame)


@needs_dev_file
def test_no_background_row_is_a_real_person() -> None:
    frame = shipped_defaults.real_frame(DEV)
    X, _ = design_matrix(frame, REAL_FEATURES, ["sex"])
    background = registry.load_current("classifier").objects["background.joblib"]
    people = X[list(background.columns)].to_numpy(dtype=float)
    rows = background.to_numpy(dtype=float)
    nearest = np.array([np.abs(people - r).max(axis=1).min() for r in rows])
    assert (nearest > 1e-6).all()
