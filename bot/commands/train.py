"""`coachloop train classifier|grouping`; `explain` and `cohort` are in `fitness`.

Stable contract: these flags are how outside data is evaluated. Heavy libraries are imported
inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.commands.cv_report import classification_lines, comparison_lines, comparisons
from bot.config import load_settings
from models.baselines import REGRESSORS  # a tuple of names: no sklearn at import time

DEFAULT_MODELS = "hybrid,bp,lgbm,lgbm_norm,rf,svm"


def read_csv(path: Path) -> Any:
    """The CSV as a DataFrame; a missing file is a usage error."""
    import pandas as pd

    if not path.is_file():
        raise typer.BadParameter(f"no such file: {path}")
    return pd.read_csv(path)


def user_model_dir() -> Path:
    """Where `--save` registers: MODEL_DIR, default ``<data_dir>/models``."""
    return load_settings().resolved_model_dir


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; raise the returned Exit (code 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def train_classifier(
    csv: Annotated[Path, typer.Option("--csv", help="CSV with one row per person")],
    label: Annotated[
        str, typer.Option("--label", help="column to predict (class names, or a number)")
    ],
    features: Annotated[
        str, typer.Option("--features", help="A,B,...; default: all numeric columns")
    ] = "",
    categorical: Annotated[
        str, typer.Option("--categorical", help="columns to one-hot encode")
    ] = "",
    models: Annotated[
        str,
        typer.Option(
            "--models",
            help=f"subset of {DEFAULT_MODELS}; for regression of {','.join(REGRESSORS)}",
        ),
    ] = "",
    folds: Annotated[int, typer.Option("--folds", min=2)] = 5,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
    save: Annotated[
        str | None, typer.Option("--save", help="register the best model as NAME")
    ] = None,
    task: Annotated[
        str,
        typer.Option(
            "--task",
            help="auto (a label of >= 10 distinct numbers is regression), classification "
            "or regression",
        ),
    ] = "auto",
) -> None:
    """Cross-validate models on the same folds: accuracy, macro-F1 (or R^2, MAE), timings.

    A continuous label (``--task regression``, or auto-detected) is scored with the
    data-mining paper's SVR next to a random-forest and a LightGBM regressor on the same
    shuffled KFold splits; ``--save`` is for classifiers only (the planner assesses classes).
    """
    from tqdm import tqdm

    from models.evaluate import cross_validate_models, cross_validate_regressors, is_continuous
    from models.features import design_matrix, labels, parse_list

    frame = read_csv(csv)
    if task not in {"auto", "classification", "regression"}:
        raise fail(f"--task {task!r}: choose auto, classification or regression")
    if label not in frame.columns:
        raise fail(f"label column {label!r} not in the data")
    regression = task == "regression" or (task == "auto" and is_continuous(frame[label]))
    allowed = list(REGRESSORS) if regression else DEFAULT_MODELS.split(",")
    names = parse_list(models) or allowed
    unknown = [m for m in names if m not in allowed]
    if unknown:
        kind = "regression" if regression else "classification"
        raise fail(f"unknown {kind} model(s) {unknown}: choose from {','.join(allowed)}")
    if regression and save:
        raise fail("--save registers classifiers only (the planner assesses classes)")
    cats = parse_list(categorical)
    feats = parse_list(features) or [
        c
        for c in frame.select_dtypes("number").columns
        if c != label and c not in cats and c not in {"person_id", "synthetic"}
    ]
    scores: list[Any]
    try:
        X, levels = design_matrix(frame, feats, cats)
        y: Any = _numeric_label(frame, label) if regression else labels(frame, label)
        with tqdm(total=len(names) * folds, desc="cross-validating", unit="fold",
                  file=sys.stderr) as bar:

            def tick(name: str, fold: int) -> None:
                bar.set_postfix_str(f"{name} fold {fold + 1}")
                bar.update()

            run = cross_validate_regressors if regression else cross_validate_models
            scores = list(run(X, y, names, folds=folds, seed=seed, on_step=tick))
    except ValueError as err:
        raise fail(str(err)) from err
    result: dict[str, Any] = {
        "csv": str(csv),
        "label": label,
        "task": "regression" if regression else "classification",
        "rows": len(frame),
        "features": feats,
        "categorical": cats,
        "folds": folds,
        "seed": seed,
        "scores": [s.as_dict() for s in scores],
    }
    paired = [] if regression else comparisons(scores)
    if paired:
        result["paired"] = [c.as_dict() for c in paired]
    if save:
        best = max(scores, key=lambda s: s.macro_f1_mean)
        result["saved"] = _save_best(
            save, best.model, X, y, frame, label, feats, levels, seed, best.as_dict()
        )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    if regression:
        typer.echo(f"{label}: {len(frame)} rows, {len(X.columns)} features, {folds}-fold CV "
                   "(regression)")
        typer.echo(f"{'model':8} {'R^2':>15} {'MAE':>21} {'fit s':>8} {'ms/sample':>10}")
        for s in scores:
            typer.echo(
                f"{s.model:8} {s.r2_mean:7.3f} ± {s.r2_sd:5.3f} "
                f"{s.mae_mean:10.3f} ± {s.mae_sd:8.3f} {s.fit_seconds:8.2f} "
                f"{s.infer_ms_per_sample:10.4f}"
            )
        return
    typer.echo(f"{label}: {len(frame)} rows, {len(X.columns)} features, {folds}-fold stratified CV")
    for line in [*classification_lines(scores), *comparison_lines(paired)]:
        typer.echo(line)
    if save:
        typer.echo(f"saved {result['saved']['model']} as {save} {result['saved']['version']}")


def _numeric_label(frame: Any, label: str) -> Any:
    """The label as floats; a clear error naming the rows that are not numbers."""
    import pandas as pd

    values = pd.to_numeric(frame[label], errors="coerce")
    if values.isna().any():
        bad = [int(i) for i in values.index[values.isna()][:5]]
        raise ValueError(f"label {label!r} is not a number in rows {bad}: drop or fix them")
    return values.to_numpy(dtype=float)


def _save_best(
    name: str,
    model_name: str,
    X: Any,
    y: Any,
    frame: Any,
    label: str,
    feats: list[str],
    levels: dict[str, list[str]],
    seed: int,
    cv: dict[str, Any],
) -> dict[str, Any]:
    """Refit the best model on all rows and register it (metrics are the CV ones).

    The manifest carries what `models.fitness.assess` needs for a new athlete: imputation
    medians per sex when the CSV has a ``sex`` column (else pooled under ``"all"``), for the
    features and for any other known test item in the CSV, and a background stratified by sex
    with each row's sex, so SHAP compares a woman with women (`models.explain`).
    """
    import pandas as pd

    from models import registry
    from models.baselines import make_classifier
    from models.explain import background_sample, sex_of_rows
    from models.features import FULL_BATTERY, data_hash

    model = make_classifier(model_name, seed).fit(X, y)
    numeric = [f for f in feats if f not in levels]
    items = list(dict.fromkeys([*numeric, *(c for c in FULL_BATTERY if c in frame.columns)]))
    values = frame[items].apply(pd.to_numeric, errors="coerce")
    sexes = sex_of_rows(frame) if "sex" in frame.columns else None
    medians: dict[str, dict[str, float]] = {"all": _medians(values)}
    for sex in ("male", "female"):
        mask = [s == sex for s in sexes or []]
        if any(mask):
            medians[sex] = _medians(values.loc[mask])
    background, background_sex = background_sample(X, sexes, per_sex=30, seed=seed)
    manifest = registry.save(
        name,
        {"model.joblib": model, "background.joblib": background},
        model_dir=user_model_dir(),
        data_hash=data_hash(frame),
        seed=seed,
        metrics={f"cv_{k}": v for k, v in cv.items() if k != "model"},
        extra={
            "model": model_name,
            "label": label,
            "features": numeric,
            "categorical": levels,
            "medians_by_sex": medians,
            "background_sex": background_sex,
        },
    )
    return {"model": model_name, "name": name, "version": manifest.version}


def _medians(values: Any) -> dict[str, float]:
    """Column medians rounded to 4 places, leaving out columns with no number at all."""
    return {str(k): round(float(v), 4) for k, v in values.median().items() if not math.isnan(v)}


def train_grouping(
    csv: Annotated[Path, typer.Option("--csv")],
    features: Annotated[
        str, typer.Option("--features", help="A,B,...; default: the PE paper's items")
    ] = "",
    by: Annotated[
        str, typer.Option("--by", help="column to cluster separately, or 'none'")
    ] = "sex",
    k: Annotated[str, typer.Option("--k", help="'auto' (search 8-15) or a number")] = "auto",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="write the PCA 2-D cluster map PNG")
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    save: Annotated[
        str | None, typer.Option("--save", help="register the grouping as NAME")
    ] = None,
    outliers: Annotated[
        str,
        typer.Option(
            "--outliers", help="IQR step per group before K-means: clip, drop (paper) or none"
        ),
    ] = "clip",
    allow_any_k: Annotated[
        bool, typer.Option("--allow-any-k", help="accept a --k outside the papers' 8-15")
    ] = False,
) -> None:
    """K-means per group with k chosen by silhouette (SSE elbow reported), profiles, templates.

    Before clustering, the PE paper's preprocessing: Tukey IQR outliers within each group, then
    Pearson and Spearman correlations reported per group. The paper drops outlying records;
    we clip them to the fences by default: over 8 items the fences flag about 10 % of each sex
    (18 % of a 150-student class), and dropping them would leave out exactly the students
    with the most specific needs, while clipping keeps them in the nearest extreme group
    without letting them drag the centroids (``--outliers drop`` does what the paper did).
    """
    from models.features import data_hash, parse_list
    from models.grouping import FitnessGrouping, group_keys
    from models.items import PE_ITEMS
    from models.preprocess import correlation_report, iqr_step

    frame = read_csv(csv)
    feats = parse_list(features) or list(PE_ITEMS)
    k_value = _k_option(k, allow_any_k)
    by_col = None if by == "none" else by
    try:
        missing = [c for c in feats if c not in frame.columns]
        if missing:
            raise ValueError(f"columns not in the data: {', '.join(missing)}")
        kept, affected = iqr_step(frame, feats, outliers, group_keys(frame, by_col))
        grouping = FitnessGrouping(
            features=tuple(feats), by=by_col, k=k_value, random_state=seed
        ).fit(kept)
        keys = group_keys(kept, by_col)
        correlations = {
            str(key): correlation_report(kept.loc[keys == key], feats) for key in grouping.groups_
        }
    except ValueError as err:
        raise fail(str(err)) from err
    report = grouping.report()
    for key, group in report.items():
        group["outliers"] = {"method": outliers, "rows": affected.get(key, 0),
                             "rows_clustered": int((keys == key).sum())}
        group["correlation"] = correlations[key].as_dict()
    if plot is not None:
        from models.figures import cluster_map_png

        cluster_map_png(grouping, kept, plot)
    if save:
        from models import registry

        manifest = registry.save(
            save,
            {"model.joblib": grouping},
            model_dir=user_model_dir(),
            data_hash=data_hash(frame),
            seed=seed,
            metrics={g: {"k": r["selection"]["chosen_k"]} for g, r in report.items()},
            extra={"features": feats, "by": by, "outliers": outliers},
        )
        report["_saved"] = {"name": save, "version": manifest.version}
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for key, group in report.items():
        if key.startswith("_"):
            continue
        sel = group["selection"]
        out = group["outliers"]
        verb = {"drop": "dropped", "clip": "clipped", "none": "not checked"}[outliers]
        typer.echo(
            f"{key}: {out['rows_clustered']} rows clustered; IQR outliers {verb}: {out['rows']}"
        )
        _echo_correlations(correlations[key])
        typer.echo(
            f"{key}: k={sel['chosen_k']} (silhouette best k={sel['silhouette_k']}, "
            f"SSE elbow k={sel['elbow_k']})"
        )
        for kk, sse, sil in zip(sel["k_values"], sel["sse"], sel["silhouette"], strict=True):
            typer.echo(f"   k={kk:2d}  SSE={sse:10.1f}  silhouette={sil:.3f}")
        for c in group["clusters"]:
            weakest = sorted(c["profile"].items(), key=lambda kv: kv[1])[:2]
            weak = ", ".join(f"{f} {v:+.2f}" for f, v in weakest)
            typer.echo(
                f"   {c['cluster_id']:10} n={c['size']:4d}  {c['template']:22} weakest: {weak}"
            )
    if plot is not None:
        typer.echo(f"cluster map: {plot}")


def _k_option(k: str, allow_any: bool) -> int | str:
    """``--k``: 'auto', or a whole number in the papers' 8-15 unless ``--allow-any-k``."""
    if k == "auto":
        return k
    try:
        value = int(k)
    except ValueError as err:
        raise fail(f"--k must be 'auto' or a whole number, not {k!r}") from err
    if value < 2:
        raise fail("--k must be at least 2")
    if not 8 <= value <= 15 and not allow_any:
        raise fail(
            f"--k {value} is outside the 8-15 groups the PE paper's experts asked for; "
            "pass --allow-any-k to use it anyway"
        )
    return value


def _echo_correlations(report: Any) -> None:
    """Pearson below the diagonal, Spearman above it, and the strong pairs PCA would remove."""
    names = list(report.pearson.columns)
    typer.echo("   correlations (Pearson lower-left, Spearman upper-right):")
    typer.echo("   " + " " * 24 + "".join(f"{j + 1:>7d}" for j in range(len(names))))
    for i, a in enumerate(names):
        cells = []
        for j, b in enumerate(names):
            if i == j:
                cells.append(f"{'1':>7}")
            else:
                m = report.pearson if i > j else report.spearman
                cells.append(f"{float(m.loc[a, b]):7.2f}")
        typer.echo(f"   {i + 1:2d} {a[:21]:21}" + "".join(cells))
    for a, b, r in report.strong_pairs:
        typer.echo(
            f"   strong: {a} ~ {b}: Pearson {r:+.3f}, Spearman "
            f"{float(report.spearman.loc[a, b]):+.3f} (|r| >= {report.threshold})"
        )


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add this area's commands to the coachloop app and its train group."""
    train.command("classifier")(train_classifier)
    train.command("grouping")(train_grouping)
