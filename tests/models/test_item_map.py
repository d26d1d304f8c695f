"""`assess` reads an athlete's items through a classifier's ``item_map`` (the shipped model's
columns are the real body-performance file's), imputes what cannot be mapped, and says so.

The mechanics run on SYNTHETIC rows shaped like the real file (no real person's row is in the
repository); the committed artefact's own checks are in test_shipped_classifier.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models import fitness, registry, shipped_defaults
from models.cohort import generate_cohort
from models.item_map import REAL_FEATURES, REAL_ITEM_MAP


def real_shaped(n: int = 400, seed: int = 4) -> pd.DataFrame:
    """Synthetic students with the real file's columns (gender M/F, class A-D)."""
    cohort = generate_cohort(n, seed=seed)
    rng = np.random.default_rng(seed)
    male = cohort["sex"] == "male"

    def z(col: str) -> pd.Series:
        return (cohort[col] - cohort[col].mean()) / cohort[col].std()

    score = z("standing_long_jump_cm") + z("sit_ups") - z("bmi") + rng.normal(0, 0.5, n)
    return pd.DataFrame(
        {
            "age": rng.integers(20, 60, n).astype(float),
            "gender": np.where(male, "M", "F"),
            "height": cohort["height_cm"],
            "weight": cohort["weight_kg"],
            "fat": (1.2 * cohort["bmi"] - 10.8 * male + 5.0).round(1),
            "diastolic": rng.normal(79, 10, n).round(),
            "systolic": rng.normal(130, 14, n).round(),
            "grip force": (np.where(male, 43.0, 26.0) + 2.0 * cohort["pull_ups"] / 3).round(1),
            "sit and bend forward": cohort["sit_and_reach_cm"],
            "sit-ups": cohort["sit_ups"],
            "broad jump": cohort["standing_long_jump_cm"],
            "class": pd.qcut(score, 4, labels=["D", "C", "B", "A"]).astype(str),
        }
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The shipped classifier's training code on real-shaped synthetic rows, in a tmp dir."""
    root = tmp_path_factory.mktemp("mapped")
    frame = real_shaped()
    frame.to_csv(root / "real-shaped.csv", index=False)
    objects, fields = shipped_defaults.train_classifier(csv=root / "real-shaped.csv")
    registry.save("classifier", objects, model_dir=root / "models", **fields)
    fitness.clear_cache()
    return root / "models", frame


SOME = {"height_cm": 176.0, "weight_kg": 70.0, "sit_ups": 30.0, "standing_long_jump_cm": 180.0}


def test_mapped_items_are_used_and_the_rest_is_imputed(trained: tuple[Path, pd.DataFrame]) -> None:
    model_dir, _ = trained
    result = fitness.assess(SOME, "M", model_dir, age=24)
    assert result.model_versions["classifier"] == "v1"
    assert set(result.probabilities) == {"A", "B", "C", "D"}
    assert {"diastolic", "systolic", "grip_kg", "body_fat_pct"} <= set(result.imputed)
    assert not {"height_cm", "weight_kg", "sit_ups", "standing_long_jump_cm", "age"} & set(
        result.imputed
    )
    names = {f.feature for f in result.factors}  # our item names, never the file's
    assert "sit_ups" in names and "sit-ups" not in names and "broad jump" not in names
    assert "age" not in names and all("=" not in n for n in names)  # context, held
    assert all(d.feature not in result.imputed for d in result.deficiencies)
    assert all(d.feature != "height_cm" for d in result.deficiencies)  # nobody trains height


def test_an_athlete_with_nothing_mappable_gets_medians_and_no_deficiency(
    trained: tuple[Path, pd.DataFrame],
) -> None:
    model_dir, _ = trained
    result = fitness.assess({"pull_ups": 4.0, "run_50m_s": 8.1}, "female", model_dir)
    expected = {REAL_ITEM_MAP.get(c, c) for c in REAL_FEATURES}
    assert expected <= set(result.imputed)  # age too: no birth year given
    assert result.deficiencies == []
    assert sum(result.probabilities.values()) == pytest.approx(1.0)


def test_the_imputed_values_are_the_same_sex_training_medians(
    trained: tuple[Path, pd.DataFrame],
) -> None:
    model_dir, frame = trained
    manifest = registry.load_current("classifier", model_dir).manifest
    women = frame[frame["gender"] == "F"]
    medians = manifest.extra["medians_by_sex"]["female"]
    assert medians["broad jump"] == pytest.approx(women["broad jump"].median(), abs=1e-3)
    values, imputed = fitness.mapped_row(
        {"sit_ups": 33.0}, list(REAL_FEATURES), REAL_ITEM_MAP, medians
    )
    assert values["sit-ups"] == 33.0 and values["broad jump"] == medians["broad jump"]
    assert "sit_ups" not in imputed and "standing_long_jump_cm" in imputed


def test_unknown_sex_is_refused_with_the_reason(trained: tuple[Path, pd.DataFrame]) -> None:
    model_dir, _ = trained
    with pytest.raises(ValueError, match="male' or 'female"):
        fitness.assess(SOME, "unknown", model_dir)


def test_the_shap_background_is_centroids_not_people(trained: tuple[Path, pd.DataFrame]) -> None:
    model_dir, frame = trained
    art = registry.load_current("classifier", model_dir)
    background = art.objects["background.joblib"]
    sexes = art.manifest.extra["background_sex"]
    assert sexes.count("male") >= 10 and sexes.count("female") >= 10
    people = frame[list(REAL_FEATURES)].to_numpy(dtype=float)
    rows = background[list(REAL_FEATURES)].to_numpy(dtype=float)
    nearest = np.abs(rows[:, None, :] - people[None, :, :]).max(axis=2).min(axis=1)
    assert (nearest > 1e-6).all(), "a background row is a training row"
