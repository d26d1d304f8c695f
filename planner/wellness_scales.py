"""Wellness questionnaires on other scales and directions, mapped onto coachloop's own.

coachloop's scale is Hooper's: each item 1 (very, very good) .. 7 (very, very bad), higher is
worse (Hooper & Mackinnon 1995, Sports Med 20:321). Teams export other forms: McLean et al.
2010 (Int J Sports Physiol Perform 5:367) and the PMSys / PMData app ask fatigue, soreness,
stress, sleep quality and mood on 1-5 with 5 the best; others use 1-10 or a 0-100 slider. A
linear map onto 1-7 (and a flip when higher is better) keeps the order and the equal steps of
the form, so every z-score is unchanged by it; only the fixed "worst end of the scale"
threshold and the messages depend on the mapping.

The command-line form of an item list is ``item=COLUMN[:LOW-HIGH][:DIRECTION]`` items joined
by commas, e.g. ``fatigue=Fatigue,sleep_quality=Sleep:1-10:higher-is-better``; DIRECTION is
``higher-is-better`` or ``higher-is-worse``. An item without its own scale or direction takes
the list's default.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

ITEM_NAMES = ("fatigue", "soreness", "stress", "sleep_quality", "mood")
"""The wellness items coachloop reads: Hooper's four (sleep quality, stress, fatigue, muscle
soreness) and mood (McLean et al. 2010's fifth item)."""
OUR_LOW, OUR_HIGH = 1.0, 7.0
DIRECTIONS = {"higher-is-better": True, "higher-is-worse": False}
ITEMS_FORM = (
    "item=COLUMN[:LOW-HIGH][:higher-is-better|higher-is-worse],... with items among "
    f"{', '.join(ITEM_NAMES)}, e.g. fatigue=fatigue,sleep_quality=sleep:1-10:higher-is-better"
)
_SCALE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$")

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ItemScale:
    """A questionnaire item's range as answered, and which end is good."""

    low: float
    high: float
    higher_is_better: bool

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(
                f"a wellness scale runs from LOW up to HIGH, e.g. 1-5; got {self.label()}"
            )

    def label(self) -> str:
        """``1-5`` (integers without a decimal point)."""
        return f"{self.low:g}-{self.high:g}"

    def describe(self) -> str:
        """``1-5, higher is better``: how the item was answered, for messages."""
        better = "higher is better" if self.higher_is_better else "higher is worse"
        return f"{self.label()}, {better}"

    def to_ours(self, values: FloatArray) -> FloatArray:
        """Answers on this scale -> coachloop's 1-7, higher worse (NaN stays NaN)."""
        share = (np.asarray(values, dtype=np.float64) - self.low) / (self.high - self.low)
        if self.higher_is_better:
            share = 1.0 - share
        return OUR_LOW + (OUR_HIGH - OUR_LOW) * share

    def from_ours(self, value: float) -> float:
        """The inverse of `to_ours`, to quote a baseline in the athlete's own scale."""
        share = (value - OUR_LOW) / (OUR_HIGH - OUR_LOW)
        if self.higher_is_better:
            share = 1.0 - share
        return self.low + (self.high - self.low) * share

    @property
    def smallest_change(self) -> float:
        """One step of the form in coachloop units: 1 answer point, or a tenth of the range
        on finer scales (a 0-100 slider's 1 point is not a change anyone means)."""
        step = max(1.0, (self.high - self.low) / 10.0)
        return (OUR_HIGH - OUR_LOW) * step / (self.high - self.low)


@dataclass(frozen=True, slots=True)
class WellnessItem:
    """One item the readiness flags read: its name, the CSV column, and its scale."""

    name: str
    column: str
    scale: ItemScale


def parse_scale(text: str, higher_is_better: bool = False) -> ItemScale:
    """``"1-5"`` -> `ItemScale`; a backwards or malformed range is refused with the form."""
    match = _SCALE.match(text)
    if match is None:
        raise ValueError(
            f"a wellness scale is LOW-HIGH, e.g. 1-5, 1-7, 1-10 or 0-100; got {text!r}"
        )
    low, high = float(match.group(1)), float(match.group(2))
    if low >= high:
        raise ValueError(
            f"the wellness scale {text!r} runs backwards or is empty: write LOW-HIGH with LOW "
            f"below HIGH, e.g. {high:g}-{low:g}"
        )
    return ItemScale(low, high, higher_is_better)


def parse_wellness_items(
    spec: str, default_scale: str | None, higher_is_better: bool = False
) -> tuple[WellnessItem, ...]:
    """Parse ``item=COLUMN[:LOW-HIGH][:DIRECTION],...`` (module docstring) into items.

    ``default_scale`` (e.g. ``"1-5"``) and ``higher_is_better`` apply to every item that does
    not say its own. Unknown items, repeated items, empty columns, unknown modifiers and an
    item without any scale are refused with a message showing the right form.
    """
    items: list[WellnessItem] = []
    parts = [part.strip() for part in spec.split(",")]
    if not spec.strip() or any(not part for part in parts):
        raise ValueError(f"--wellness-cols is empty or has an empty entry; write {ITEMS_FORM}")
    for part in parts:
        name, sep, rest = part.partition("=")
        name = name.strip()
        if not sep:
            raise ValueError(f"{part!r} has no '=': write {ITEMS_FORM}")
        if name not in ITEM_NAMES:
            raise ValueError(
                f"unknown wellness item {name!r}; the items are {', '.join(ITEM_NAMES)}"
            )
        if any(item.name == name for item in items):
            raise ValueError(f"the wellness item {name!r} is given twice")
        column, *modifiers = (token.strip() for token in rest.split(":"))
        if not column:
            raise ValueError(f"{part!r} names no column: write {ITEMS_FORM}")
        items.append(WellnessItem(name, column, _item_scale(part, modifiers, default_scale,
                                                            higher_is_better)))
    return tuple(items)


def _item_scale(
    part: str, modifiers: list[str], default_scale: str | None, higher_is_better: bool
) -> ItemScale:
    scale_text: str | None = None
    direction: bool | None = None
    for token in modifiers:
        if token in DIRECTIONS and direction is None:
            direction = DIRECTIONS[token]
        elif _SCALE.match(token) and scale_text is None:
            scale_text = token
        else:
            raise ValueError(
                f"{token!r} in {part!r} is not a scale (LOW-HIGH, e.g. 1-5) nor a direction "
                f"(higher-is-better or higher-is-worse), or is given twice: write {ITEMS_FORM}"
            )
    scale_text = scale_text or default_scale
    if scale_text is None:
        raise ValueError(
            f"say the scale of {part.partition('=')[0].strip()!r}: --wellness-scale 1-5 for "
            f"every item, or {part.split(':')[0]}:1-5"
        )
    return parse_scale(scale_text, higher_is_better if direction is None else direction)
