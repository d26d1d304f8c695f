"""Does a new plan of a day need the coach's approval? A pure decision on two summaries.

Coaches who keep control of an automatic planner (as TrainingPeaks and intervals.icu users
expect) choose per athlete or per team:

* ``auto``: every plan reaches the athlete at once (coachloop's behaviour without a setting);
* ``changes``: a plan that changes the day beyond the coach's threshold waits for them: the
  dose (intensity x volume) moved by more than the threshold (default +/-10 %), an exercise
  swapped in or out, or a rest day where training was (or the reverse);
* ``all``: every new or changed plan waits.

Two things never wait: a plan the coach decided (their override) and a pain-guard regression,
which protects the athlete today and is shown to the coach instead (`Review.pain_guard`).
A day's first plan is compared with the template at its own dose (1.0); exercises swapped by
the planner's rules are then known by the rule that swapped them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MODES = ("auto", "changes", "all")
MODE_WORDS = {"auto": "auto", "changes": "review changes", "all": "review all"}
DEFAULT_THRESHOLD = 0.10
MIN_THRESHOLD = 0.01
MAX_THRESHOLD = 0.50
SAME_DOSE = 0.005
"""Doses closer than this are the same plan (what `storage.plans` rounds to)."""
SWAP_RULES = frozenset({"too_hard_regress"})
"""Rules that swap an exercise of the template for another."""
COACH_RULES = frozenset({"coach_override"})
PAIN_RULES = frozenset({"pain_guard"})


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """What a review compares of a plan: rest or not, its dose and its exercises.

    ``dose`` is intensity x volume (1.0 = the template's dose); ``exercises`` the exercise
    names in order, or None when unknown (the template before the day's rules).
    """

    title: str
    rest: bool
    dose: float
    exercises: tuple[str, ...] | None
    reason_codes: tuple[str, ...] = ()

    def same_as(self, other: PlanSummary) -> bool:
        """The same plan for the athlete: same title, rest, exercises and dose."""
        return (self.title == other.title and self.rest == other.rest
                and self.exercises == other.exercises
                and abs(self.dose - other.dose) < SAME_DOSE)


@dataclass(frozen=True, slots=True)
class ApprovalPolicy:
    """A coach's setting: the mode and, for ``changes``, the dose threshold (a fraction)."""

    mode: str = "auto"
    threshold: float = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"the mode is one of {', '.join(MODES)}")
        if not MIN_THRESHOLD <= self.threshold <= MAX_THRESHOLD:
            raise ValueError(f"the threshold is between {MIN_THRESHOLD:.0%} and "
                             f"{MAX_THRESHOLD:.0%}")

    def describe(self) -> str:
        """"review changes (+/-10 % load)", "auto", "review all"."""
        word = MODE_WORDS[self.mode]
        return f"{word} (±{self.threshold:.0%} load)" if self.mode == "changes" else word


@dataclass(frozen=True, slots=True)
class Review:
    """The decision: ``hold`` the plan for the coach, and why (each reason a short phrase).

    ``pain_guard``: the plan carries a pain-guard regression; it is applied at once and the
    coach is told, whatever the mode.
    """

    hold: bool
    reasons: tuple[str, ...]
    pain_guard: bool = False


def template_baseline(proposed: PlanSummary) -> PlanSummary:
    """What a day's first plan is compared with: the template at full dose."""
    return PlanSummary(title=proposed.title, rest=proposed.rest, dose=1.0, exercises=None)


def _swaps(previous: Sequence[str], proposed: Sequence[str]) -> str | None:
    gone = [e for e in previous if e not in proposed]
    new = [e for e in proposed if e not in previous]
    if not gone and not new:
        return None
    if gone and new:
        return f"exercises swapped: {', '.join(gone)} -> {', '.join(new)}"
    return (f"exercises removed: {', '.join(gone)}" if gone
            else f"exercises added: {', '.join(new)}")


def changes(previous: PlanSummary, proposed: PlanSummary, threshold: float) -> tuple[str, ...]:
    """Every change of ``proposed`` against ``previous`` that a coach may want to see."""
    if previous.rest != proposed.rest:
        return ("a rest day instead of training",) if proposed.rest else (
            "training on what was a rest day",)
    if proposed.rest:
        return ()
    reasons: list[str] = []
    if previous.exercises is None:
        if SWAP_RULES & set(proposed.reason_codes):
            reasons.append("an exercise swapped for an easier one (found too hard lately)")
    elif proposed.exercises is not None:
        swap = _swaps(previous.exercises, proposed.exercises)
        if swap is not None:
            reasons.append(swap)
    if previous.dose > 0:
        change = proposed.dose / previous.dose - 1.0
        if abs(change) > threshold + 1e-9:
            reasons.append(f"load {change:+.0%} (beyond ±{threshold:.0%})")
    return tuple(reasons)


def review(policy: ApprovalPolicy, previous: PlanSummary | None,
           proposed: PlanSummary) -> Review:
    """Whether ``proposed`` waits for the coach, against ``previous`` (the approved plan of
    the day, or None before its first plan)."""
    codes = set(proposed.reason_codes)
    if previous is not None and previous.same_as(proposed):
        return Review(False, ())
    found = changes(previous or template_baseline(proposed), proposed, policy.threshold)
    if PAIN_RULES & codes:
        return Review(False, found or ("pain guard: exercises loading a painful site eased",),
                      pain_guard=True)
    if policy.mode == "auto" or COACH_RULES & codes:
        return Review(False, found)
    if policy.mode == "all":
        return Review(True, found or ("every new plan is reviewed",))
    return Review(bool(found), found)
