"""One sentiment from VADER and the transformer: a weighted mean and a three-way level.

score = w * transformer + (1 - w) * vader, both in [-1, 1], so the score is in [-1, 1].
level = 1 if score >= t, -1 if score <= -t, else 0: the PE-teaching paper's three levels
(positive 1, neutral 0, negative -1; "K-means, BP and NLP for personalised PE", section on NLP
sentiment adjustment). w and t are fitted by ``coachloop train sentiment`` on out-of-fold
predictions over the training corpus and stored in the head's manifest; without a manifest
(e.g. a user-named Hugging Face model) the defaults below apply: equal weights and t = 0.15,
three times VADER's own 0.05 because a mean of two scores is rarely exactly 0.
"""

from __future__ import annotations

from nlu.report import Sentiment

DEFAULT_WEIGHT = 0.5
DEFAULT_THRESHOLD = 0.15


def ensemble_level(score: float, threshold: float) -> int:
    """Three-way level of a score in [-1, 1] with a symmetric dead band of +-threshold."""
    if score >= threshold:
        return 1
    if score <= -threshold:
        return -1
    return 0


def combine(
    vader: float,
    transformer: float,
    weight: float = DEFAULT_WEIGHT,
    threshold: float = DEFAULT_THRESHOLD,
) -> Sentiment:
    """Ensemble ``Sentiment`` with both backend scores kept for re-explanation."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"ensemble weight must be in [0, 1], got {weight}")
    score = min(max(weight * transformer + (1.0 - weight) * vader, -1.0), 1.0)
    return Sentiment(
        score=score,
        level=ensemble_level(score, threshold),
        backends={"vader": vader, "transformer": transformer},
    )
