"""The `coachloop train ...` / `explain` / `cohort` contract, on a local typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands import fitness, train


@pytest.fixture()
def app() -> typer.Typer:
    root, train_app = typer.Typer(), typer.Typer()
    root.add_typer(train_app, name="train")
    train.register(root, train_app)
    fitness.register(root, train_app)
    return root


@pytest.fixture()
def cohort_csv(app: typer.Typer, tmp_path: Path) -> Path:
    out = tmp_path / "cohort.csv"
    result = CliRunner().invoke(app, ["cohort", "--n", "300", "--seed", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_train_classifier_prints_every_model_and_saves_the_best(
    app: typer.Typer, cohort_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "models"))
    args = [
        "train",
        "classifier",
        "--csv",
        str(cohort_csv),
        "--label",
        "sex",
        "--features",
        "pull_ups,sit_ups,run_50m_s,vital_capacity_ml",
        "--models",
        "lgbm,rf",
        "--folds",
        "3",
        "--json",
        "--save",
        "sexer",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout[result.stdout.index("{") :])
    assert [s["model"] for s in payload["scores"]] == ["lgbm", "rf"]
    assert payload["saved"]["version"] == "v1"
    assert (tmp_path / "models" / "sexer" / "v1" / "manifest.json").is_file()
    explained = CliRunner().invoke(
        app, ["explain", "--csv", str(cohort_csv), "--row", "0", "--model", "sexer", "--json"]
    )
    assert explained.exit_code == 0, explained.output
    body = json.loads(explained.stdout[explained.stdout.index("{") :])
    assert {f["feature"] for f in body["factors"]} == {
        "pull_ups",
        "sit_ups",
        "run_50m_s",
        "vital_capacity_ml",
    }


def test_train_classifier_rejects_unknown_model(app: typer.Typer, cohort_csv: Path) -> None:
    result = CliRunner().invoke(
        app, ["train", "classifier", "--csv", str(cohort_csv), "--label", "sex", "--models", "x"]
    )
    assert result.exit_code == 2


@pytest.mark.slow
def test_train_grouping_reports_k_and_writes_cluster_map(
    app: typer.Typer, cohort_csv: Path, tmp_path: Path
) -> None:
    png = tmp_path / "map.png"
    result = CliRunner().invoke(
        app, ["train", "grouping", "--csv", str(cohort_csv), "--json", "--plot", str(png)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"male", "female"}
    assert all(8 <= g["selection"]["chosen_k"] <= 15 for g in report.values())
    assert png.stat().st_size > 1000


def test_train_grouping_refuses_k_outside_8_15_unless_told(
    app: typer.Typer, cohort_csv: Path
) -> None:
    base = ["train", "grouping", "--csv", str(cohort_csv), "--json"]
    refused = CliRunner().invoke(app, [*base, "--k", "5"])
    assert refused.exit_code == 2 and "--allow-any-k" in refused.stderr
    assert CliRunner().invoke(app, [*base, "--k", "ten"]).exit_code == 2
    allowed = CliRunner().invoke(app, [*base, "--k", "5", "--allow-any-k"])
    assert allowed.exit_code == 0, allowed.output
    assert all(g["selection"]["chosen_k"] == 5 for g in json.loads(allowed.stdout).values())


def test_train_grouping_reports_outliers_and_both_correlations(
    app: typer.Typer, cohort_csv: Path
) -> None:
    args = ["train", "grouping", "--csv", str(cohort_csv), "--k", "8"]
    report = json.loads(CliRunner().invoke(app, [*args, "--json", "--outliers", "drop"]).stdout)
    for group in report.values():
        assert group["outliers"]["method"] == "drop" and group["outliers"]["rows"] > 0
        assert sum(c["size"] for c in group["clusters"]) == group["outliers"]["rows_clustered"]
        assert set(group["correlation"]) == {"pearson", "spearman", "threshold", "strong_pairs"}
    text = CliRunner().invoke(app, args).stdout
    assert "Pearson lower-left, Spearman upper-right" in text and "IQR outliers clipped" in text


def test_a_continuous_label_is_scored_as_regression_with_svr(
    app: typer.Typer, cohort_csv: Path
) -> None:
    args = ["train", "classifier", "--csv", str(cohort_csv), "--label", "vital_capacity_ml",
            "--features", "height_cm,weight_kg,run_50m_s", "--folds", "3"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout[result.stdout.index("{") :])
    assert payload["task"] == "regression"
    assert [s["model"] for s in payload["scores"]] == ["svr", "rf", "lgbm"]
    assert all({"r2_mean", "mae_mean", "mae_sd"} <= set(s) for s in payload["scores"])
    table = CliRunner().invoke(app, [*args, "--models", "svr"]).stdout
    assert "(regression)" in table and "R^2" in table and "svr" in table
    assert CliRunner().invoke(app, [*args, "--models", "hybrid"]).exit_code == 2
    assert CliRunner().invoke(app, [*args, "--save", "vc"]).exit_code == 2
    forced = CliRunner().invoke(
        app, [*args, "--task", "classification", "--models", "rf", "--folds", "2"]
    )
    assert forced.exit_code == 2  # 3 significant digits of ml: classes of one row each
