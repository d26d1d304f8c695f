"""Hybrid CNN+attention->LightGBM vs BP net and the data-mining paper's baselines.

Run from the repo root: ``python -m benchmarks.classifier [--quick] [--n N] [--seed S]
[--real-csv FILE] [--real-only]``.

Real data first: the body-performance development file (4,000 real people, grades A-D; not in
the repository, `models.shipped_defaults.DEV_FILE`), scored exactly as `coachloop train
classifier --label class --categorical gender --models hybrid,bp,lgbm,lgbm_norm,rf,svm --folds
5 --seed 0` scores it: mean +- SD over the same stratified folds, fit s/fold, ms/sample, and the
paired comparisons (corrected resampled t-test; a difference within the noise is a tie), hybrid
vs ``lgbm_norm`` (LightGBM on the items plus their sex x age-decade z-scores, the hybrid's
representation without its CNN) among them. Skipped with a message when the file is absent;
``--quick`` runs 3 folds instead of 5.

Then the SYNTHETIC cohort (models.cohort), split once into a stratified 75/25 train/held-out
split; every model trains on the same rows and is scored on the same held-out rows. Two tasks:
the prescription paper's (BMI class from 15 lap splits + pull-ups, sit-ups, shuttle) and the
PE paper's (score category from both batteries + sex). Inference time is per sample in one
batch over the held-out rows (best of 3), the prescription paper's "< 0.8 ms/sample" measure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from bot.commands.cv_report import classification_lines, comparison_lines, comparisons
from models.baselines import make_classifier
from models.cohort import generate_cohort
from models.evaluate import cross_validate_models
from models.features import FULL_BATTERY, PRESCRIPTION_BATTERY, design_matrix, labels
from models.shipped_defaults import DEV_FILE

MODELS = ("hybrid", "bp", "lgbm", "rf", "svm")
"""The synthetic tasks' models."""
REAL_MODELS = ("hybrid", "bp", "lgbm", "lgbm_norm", "rf", "svm")
"""The real-data section's models: the synthetic ones plus the norm-referenced LightGBM."""


def run_task(name: str, X: pd.DataFrame, y: np.ndarray, seed: int) -> list[dict[str, float | str]]:
    """Fit every model on the same training rows, score on the same held-out rows."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    rows: list[dict[str, float | str]] = []
    for model_name in MODELS:
        model = make_classifier(model_name, seed)
        start = time.perf_counter()
        model.fit(X_tr, y_tr)
        fit_s = time.perf_counter() - start
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            pred = model.predict(X_te)
            timings.append((time.perf_counter() - start) * 1000.0 / len(X_te))
        rows.append(
            {
                "task": name,
                "model": model_name,
                "accuracy": float(accuracy_score(y_te, pred)),
                "macro_f1": float(f1_score(y_te, pred, average="macro")),
                "fit_s": fit_s,
                "ms_per_sample": min(timings),
            }
        )
    return rows


def report(rows: list[dict[str, float | str]]) -> None:
    """Side-by-side table with ratios against the hybrid."""
    hybrid = next(r for r in rows if r["model"] == "hybrid")
    print(f"\n== {hybrid['task']} (held-out, synthetic) ==")
    print(
        f"{'model':8} {'accuracy':>9} {'macro-F1':>9} {'fit s':>8} {'ms/sample':>10}"
        f" {'acc ratio':>10} {'F1 ratio':>9} {'speed ratio':>12}"
    )
    for r in rows:
        acc_ratio = float(hybrid["accuracy"]) / max(float(r["accuracy"]), 1e-9)
        f1_ratio = float(hybrid["macro_f1"]) / max(float(r["macro_f1"]), 1e-9)
        speed = float(r["ms_per_sample"]) / max(float(hybrid["ms_per_sample"]), 1e-9)
        print(
            f"{r['model']:8} {float(r['accuracy']):9.3f} {float(r['macro_f1']):9.3f}"
            f" {float(r['fit_s']):8.2f} {float(r['ms_per_sample']):10.4f}"
            f" {acc_ratio:10.2f} {f1_ratio:9.2f} {speed:12.2f}"
        )
    print("ratios: hybrid / model for accuracy and F1; model ms / hybrid ms for speed")
    ok = float(hybrid["ms_per_sample"]) < 0.8
    print(
        f"hybrid inference {float(hybrid['ms_per_sample']):.4f} ms/sample "
        f"({'meets' if ok else 'misses'} the paper's < 0.8 ms/sample)"
    )


def real_data(csv: Path, folds: int, seed: int) -> None:
    """The development file's cross-validated table and paired comparisons (or a skip note)."""
    from tqdm import tqdm

    if not csv.is_file():
        print(f"real data: skipped, {csv} is not here (the file is kept outside the repository)")
        return
    frame = pd.read_csv(csv)
    feats = [c for c in frame.select_dtypes("number").columns if c != "class"]
    X, _ = design_matrix(frame, feats, ["gender"])
    y = labels(frame, "class")
    print(
        f"\n== real data: {csv.name}, {len(frame)} people, class A-D, {folds}-fold, seed {seed} =="
    )
    with tqdm(
        total=len(REAL_MODELS) * folds, desc="real data", unit="fold", file=sys.stderr
    ) as bar:

        def tick(name: str, fold: int) -> None:
            bar.set_postfix_str(f"{name} fold {fold + 1}")
            bar.update()

        scores = cross_validate_models(X, y, REAL_MODELS, folds=folds, seed=seed, on_step=tick)
    for line in [*classification_lines(scores), *comparison_lines(comparisons(scores))]:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="600 synthetic rows instead of 2000; 3 real-data folds, not 5",
    )
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--real-csv", type=Path, default=DEV_FILE)
    parser.add_argument("--real-only", action="store_true", help="skip the synthetic tasks")
    args = parser.parse_args()
    torch.set_num_threads(1)
    real_data(args.real_csv, 3 if args.quick else 5, args.seed)
    if args.real_only:
        return
    n = args.n or (600 if args.quick else 2000)
    cohort = generate_cohort(n, seed=args.seed)
    print(f"synthetic cohort: {n} rows, seed {args.seed}; torch threads 1")
    X, _ = design_matrix(cohort, PRESCRIPTION_BATTERY)
    report(
        run_task(
            "bmi_class <- laps + pull-ups + sit-ups + shuttle",
            X,
            cohort["bmi_class"].to_numpy(),
            args.seed,
        )
    )
    X, _ = design_matrix(cohort, FULL_BATTERY, ["sex"])
    report(
        run_task(
            "category <- PE items + shuttle + laps + sex",
            X,
            cohort["category"].to_numpy(),
            args.seed,
        )
    )


if __name__ == "__main__":
    main()
