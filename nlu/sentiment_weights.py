"""Per-language sentiment ensemble weights, chosen on the tuning check-ins, never on eval.

For each language read by ``nlu.multi_sentiment`` every component (lexicon, VADER, SnowNLP
for Chinese, the pain flag) scores every tuning check-in (``nlu/data/tune/<code>.yml``); a
grid over the weight simplex (steps of ``STEP``, the lexicon keeping at least
``MIN_LEXICON_WEIGHT``) and the thresholds ``THRESHOLDS`` gives each combination its 3-class
accuracy. The choice follows the one-standard-error rule (Breiman et al. 1984, Classification
and Regression Trees, section 3.4.3): of the combinations within one standard error of the
best accuracy (sqrt(p(1 - p) / n), at least one sentence), the simplest wins: fewest
components, then the larger lexicon weight, then accuracy, macro-F1, the accuracy at the
neighbouring thresholds and the smaller threshold (so ties resolve the same way every run).
With some 80 tuning sentences per language, a component that wins one or two of them more
is not evidence enough to add it.
The result, with a SHA-256 of the tuning files and lexicons it came from, is
``nlu/data/sentiment/weights.json``: ``tests/nlu/test_sentiment_weights.py`` fails when those
files changed since.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu.checkin_eval import TUNE_DIR, load_checkins
from nlu.ensemble import ensemble_level
from nlu.lang import SPECS
from nlu.multi_sentiment import COMPONENTS, EMOJI_FILE, LEXICON_DIR, MultilingualSentiment
from nlu.sentiment_training import accuracy, macro_f1

STEP = 0.1
#: The lexicon is the one component that reads the language's own words for sentiment; the
#: others support it (VADER reads emoji and English loanwords, the pain flag and SnowNLP
#: know nothing of sports talk), so it keeps at least half the weight. On the tuning sets
#: this bound costs no accuracy; it keeps a small tuning set from handing the score to a
#: component that merely happened to agree with it.
MIN_LEXICON_WEIGHT = 0.5
THRESHOLDS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


@dataclass(frozen=True, slots=True)
class Tuned:
    """The chosen weights and threshold of one language and their tuning scores."""

    weights: dict[str, float]
    threshold: float
    accuracy: float
    macro_f1: float
    n: int


def _simplex(components: tuple[str, ...]) -> list[dict[str, float]]:
    steps = round(1 / STEP)
    grid = []
    for parts in itertools.product(range(steps + 1), repeat=len(components)):
        if sum(parts) == steps:
            grid.append({c: round(p * STEP, 2) for c, p in zip(components, parts, strict=True)})
    return grid


def tune_language(truth: list[int], scores: dict[str, list[float]]) -> Tuned:
    """Weights and threshold for one language (see the module docstring)."""
    components = tuple(c for c in COMPONENTS if c in scores)
    candidates: list[tuple[Tuned, float]] = []
    for weights in _simplex(components):
        if "lexicon" in weights and weights["lexicon"] < MIN_LEXICON_WEIGHT:
            continue
        mixed = [
            sum(weights[c] * scores[c][i] for c in components) for i in range(len(truth))
        ]
        results = []
        for threshold in THRESHOLDS:
            pred = [ensemble_level(s, threshold) for s in mixed]
            results.append((accuracy(truth, pred), macro_f1(truth, pred)))
        for k, threshold in enumerate(THRESHOLDS):
            acc, f1 = results[k]
            # A threshold whose neighbours score as well does not hang on a few tuning
            # sentences sitting at the edge of the dead band.
            around = [results[j][0] for j in (k - 1, k + 1) if 0 <= j < len(THRESHOLDS)]
            stability = sum(around) / len(around)
            candidates.append((Tuned(weights, threshold, acc, f1, len(truth)), stability))
    if not candidates:
        raise ValueError("tune_language needs at least one component score")
    best = max(t.accuracy for t, _ in candidates)
    margin = max(math.sqrt(best * (1.0 - best) / len(truth)), 1.0 / len(truth))

    def preference(item: tuple[Tuned, float]) -> tuple[float, ...]:
        tuned, stability = item
        used = sum(1 for w in tuned.weights.values() if w > 0)
        return (-used, tuned.weights.get("lexicon", 0.0), tuned.accuracy, tuned.macro_f1,
                stability, -tuned.threshold)

    eligible = [c for c in candidates if c[0].accuracy >= best - margin]
    return max(eligible, key=preference)[0]


def source_digest(tune_dir: Path = TUNE_DIR) -> str:
    """SHA-256 over the tuning check-ins and the lexicons the weights were chosen with."""
    digest = hashlib.sha256()
    files = [tune_dir / f"{c}.yml" for c in sorted(SPECS)]
    files += [EMOJI_FILE] + [LEXICON_DIR / f"{c}.tsv" for c in sorted(SPECS)]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def tune_all(tune_dir: Path = TUNE_DIR) -> dict[str, Any]:
    """Weights of every language read by ``nlu.multi_sentiment``, ready to write as JSON."""
    scorer = MultilingualSentiment(weights={})
    out: dict[str, Any] = {"tune_sha256": source_digest(tune_dir)}
    for code in sorted(SPECS):
        items = [i for i in load_checkins(tune_dir / f"{code}.yml") if i.sentiment is not None]
        parts = [scorer.components(i.text, code) for i in items]
        names = sorted({k for p in parts for k in p})
        scores = {c: [p.get(c, 0.0) for p in parts] for c in names}
        tuned = tune_language([int(i.sentiment or 0) for i in items], scores)
        out[code] = {
            "weights": tuned.weights,
            "threshold": tuned.threshold,
            "tune_accuracy": round(tuned.accuracy, 4),
            "tune_macro_f1": round(tuned.macro_f1, 4),
            "tune_n": tuned.n,
        }
    return out


def write_weights(data: dict[str, Any], path: Path) -> None:
    """Write the weights file (sorted keys, so a re-run gives the same bytes)."""
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
