"""Why a session looks as it does: the rules that fired, model factors, and plain sentences.

Sentences are written for a 15-year-old: one idea each, the number that drove it, no jargon
beyond what the athlete reported themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STATE_LABELS = {
    "resting_hr": "resting heart rate",
    "ln_rmssd": "heart-rate variability",
    "muscle_fatigue": "muscle fatigue",
    "vo2max": "aerobic fitness (VO2max)",
    "psych": "wellness answers",
    "sentiment_trend": "mood in your recent messages",
    "joint_knee": "recent knee load",
    "joint_hip": "recent hip load",
    "joint_shoulder": "recent shoulder load",
    "joint_lumbar": "recent lower-back load",
    "acute_load": "training load this week",
    "chronic_load": "training load this month",
    "acwr": "this week's load compared with the month",
    "monotony": "how similar your days have been",
    "strain": "weekly strain",
    "days_since_rest": "days in a row without rest",
    "fitness": "built-up fitness",
    "last_load": "yesterday's load",
    "injured": "reported pain",
    "dow_sin": "day of the week",
    "dow_cos": "day of the week",
    "sex_female": "sex",
    "bmi": "body-mass index",
    "height": "height",
    "body_load": "body size",
}


FACTOR_SENTENCE = ("Your fitness tests point most to your {feature}, so the plan puts some "
                   "extra work there.")
HOLD_SENTENCE = "Nothing in your recent reports asks for a change, so the plan holds."
TELL_ME_SENTENCE = "Tell me how it went after training and I will adjust tomorrow."
"""The sentences `render` adds of its own, as formats the interface can word again."""


def plain_state(feature: str) -> str:
    """A simulator state feature in words."""
    return STATE_LABELS.get(feature, feature.replace("_", " "))


@dataclass(frozen=True, slots=True)
class ShapFactor:
    """One model attribution: a feature, its value and its contribution to the decision."""

    feature: str
    value: float | None
    contribution: float


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule that changed (or deliberately held) the session, with the numbers it used."""

    code: str
    effect: str
    inputs: Mapping[str, Any]
    threshold: str
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored with the session)."""
        return {
            "code": self.code,
            "effect": self.effect,
            "inputs": dict(self.inputs),
            "threshold": self.threshold,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything a reply to "why?" needs."""

    rules: tuple[FiredRule, ...] = ()
    factors: tuple[ShapFactor, ...] = ()
    change_from_yesterday: str | None = None
    sentences: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored with the session)."""
        return {
            "rules": [rule.as_dict() for rule in self.rules],
            "factors": [
                {"feature": f.feature, "value": f.value, "contribution": f.contribution}
                for f in self.factors
            ],
            "change_from_yesterday": self.change_from_yesterday,
            "sentences": list(self.sentences),
        }


def render(
    rules: tuple[FiredRule, ...],
    factors: tuple[ShapFactor, ...] = (),
    change: str | None = None,
    *,
    limit: int = 5,
) -> tuple[str, ...]:
    """Two to five short sentences: the rules first (they decide), then the model, then change."""
    sentences = [rule.sentence for rule in rules if rule.sentence]
    if factors and not any(rule.code == "test_emphasis" for rule in rules):
        from planner.prescription import plain_feature  # prescription imports this module

        top = max(factors, key=lambda f: abs(f.contribution))
        sentences.append(FACTOR_SENTENCE.format(feature=plain_feature(top.feature)))
    if change:
        sentences.append(change)
    if not sentences:
        sentences.append(HOLD_SENTENCE)
    if len(sentences) == 1:
        sentences.append(TELL_ME_SENTENCE)
    return tuple(sentences[:limit])
