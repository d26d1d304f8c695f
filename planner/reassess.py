"""Biweekly reassessment of fitness tests (the prescription paper's "Prescription Adjustment").

For every test item taken twice, the change since the earlier test decides: improving -> the
prescription holds; stagnating -> that domain is intensified (it becomes an emphasis);
declining -> "investigate": the athlete (and coach) are asked what is going on, and nothing is
intensified on a declining domain. A change counts when it exceeds 2 % of the earlier value
(about the test-retest noise of field fitness tests), in the item's good direction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

THRESHOLD = 0.02


@dataclass(frozen=True, slots=True)
class ItemTrend:
    """How one test item moved between two test days."""

    item: str
    before: float
    after: float
    change: float  # relative change in the good direction (+0.05 = 5 % better)
    trend: str  # improving | stagnating | declining


def item_trends(
    before: Mapping[str, float],
    after: Mapping[str, float],
    direction: Callable[[str], int],
) -> list[ItemTrend]:
    """Trends of the items present in both batteries (``direction``: +1 higher is better)."""
    trends = []
    for item in sorted(set(before) & set(after)):
        old, new = before[item], after[item]
        if old == 0:
            continue
        change = direction(item) * (new - old) / abs(old)
        label = "improving" if change > THRESHOLD else (
            "declining" if change < -THRESHOLD else "stagnating"
        )
        trends.append(ItemTrend(item, old, new, change, label))
    return trends
