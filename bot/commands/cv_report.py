"""How `coachloop train classifier` prints cross-validation: the table and the paired tests.

Kept apart from the command so the benchmark prints the same table, and so the command module
stays a thin layer over options. `models.evaluate` (numpy, scipy) is imported inside the
functions: this module is imported when the CLI starts, and ``coachloop --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PAIRS: tuple[tuple[str, str], ...] = (
    ("hybrid", "lgbm"),
    ("hybrid", "lgbm_norm"),
    ("hybrid", "rf"),
    ("bp", "rf"),
)
"""The paper's methods against the baselines; hybrid vs lgbm_norm (LightGBM on the same
norm-referenced items, no CNN) says what the convolution itself adds."""

METRICS: tuple[str, ...] = ("accuracy", "macro_f1")


def classification_lines(scores: Sequence[Any]) -> list[str]:
    """Mean +- SD of accuracy and macro-F1 over folds, fit seconds per fold, ms per sample."""
    lines = [f"{'model':10} {'accuracy':>15} {'macro-F1':>15} {'fit s/fold':>10} {'ms/sample':>10}"]
    for s in scores:
        lines.append(
            f"{s.model:10} {s.accuracy_mean:7.3f} ± {s.accuracy_sd:5.3f} "
            f"{s.macro_f1_mean:7.3f} ± {s.macro_f1_sd:5.3f} {s.fit_seconds:10.2f} "
            f"{s.infer_ms_per_sample:10.4f}"
        )
    return lines


def comparisons(scores: Sequence[Any], pairs: Sequence[tuple[str, str]] = PAIRS) -> list[Any]:
    """`models.evaluate.paired_comparison` for each pair whose two models were both scored."""
    from models.evaluate import paired_comparison  # numpy, scipy: only when a table is printed

    by_name = {s.model: s for s in scores}
    return [
        paired_comparison(by_name[a], by_name[b], metric)
        for a, b in pairs
        if a in by_name and b in by_name
        for metric in METRICS
    ]


def comparison_lines(found: Sequence[Any]) -> list[str]:
    """One line per comparison: difference, corrected t, p and the verdict (a tie or a win)."""
    if not found:
        return []
    lines = ["paired over the same folds (corrected resampled t-test, p < 0.05 is a win):"]
    for c in found:
        lines.append(
            f"  {c.a} - {c.b} {c.metric:8} {c.mean_difference:+.3f}  t {c.t:+6.2f}  "
            f"p {c.p_value:.2f}  -> {c.verdict}"
        )
    return lines
