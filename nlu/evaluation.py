"""Scores on a labelled TSV: sentiment accuracy / macro-F1 and per-field extraction accuracy.

Columns: ``label`` (-1/0/1) and ``text``; optional ``rpe``, ``minutes`` (empty = not stated)
and ``pain`` (0/1). A field is right when the extracted value equals the gold one, including
"both absent"; numbers match within 0.5 (RPE halves, rounded minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu.report import CheckInReport, Sentiment
from nlu.sentiment_training import accuracy, macro_f1, read_labelled_tsv

NUMERIC_TOLERANCE = 0.5


@dataclass
class EvalResult:
    """Numbers of one backend on one labelled file."""

    n: int
    accuracy: float
    macro_f1: float
    fields: dict[str, float] = field(default_factory=dict)
    pain_recall: float | None = None
    pain_precision: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for printing / JSON."""
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "fields": dict(self.fields),
            "pain_recall": self.pain_recall,
            "pain_precision": self.pain_precision,
        }


def _num(raw: str) -> float | None:
    raw = raw.strip()
    return float(raw) if raw else None


def _same(gold: float | None, got: float | None) -> bool:
    if gold is None or got is None:
        return gold is None and got is None
    return abs(gold - got) <= NUMERIC_TOLERANCE


def load_eval_rows(path: Path) -> list[dict[str, str]]:
    """Rows of an evaluation TSV (validated labels)."""
    return read_labelled_tsv(path)


def score_rows(
    rows: list[dict[str, str]], sentiments: list[Sentiment], reports: list[CheckInReport]
) -> EvalResult:
    """Compare predictions with the gold columns present in ``rows``."""
    truth = [int(r["label"]) for r in rows]
    pred = [s.level for s in sentiments]
    result = EvalResult(len(rows), accuracy(truth, pred), macro_f1(truth, pred))
    if rows and "rpe" in rows[0]:
        hits = [_same(_num(r["rpe"]), rep.rpe) for r, rep in zip(rows, reports, strict=True)]
        result.fields["rpe"] = sum(hits) / len(hits)
    if rows and "minutes" in rows[0]:
        hits = [
            _same(_num(r["minutes"]), rep.minutes) for r, rep in zip(rows, reports, strict=True)
        ]
        result.fields["minutes"] = sum(hits) / len(hits)
    if rows and "pain" in rows[0]:
        gold = [r["pain"].strip() == "1" for r in rows]
        got = [rep.pain for rep in reports]
        result.fields["pain"] = sum(g == p for g, p in zip(gold, got, strict=True)) / len(gold)
        tp = sum(g and p for g, p in zip(gold, got, strict=True))
        result.pain_recall = tp / sum(gold) if any(gold) else None
        result.pain_precision = tp / sum(got) if any(got) else None
    return result
