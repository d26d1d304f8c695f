"""How our test items map onto the real body-performance file's columns (the shipped model).

The shipped classifier is trained on real people's tests (docs/models.md, "Real data"), whose
columns are not our item names. `assess` reads an athlete's items through this table; a column
with no item of ours (resting blood pressure), or an item the athlete has not taken, is filled
with the training median of the athlete's sex and listed in ``imputed``.

| model column | our item | unit | note |
|---|---|---|---|
| age | age (from the profile's birth year) | years | context: held, never a factor |
| sex (file: gender M/F) | the profile's sex | - | context |
| height | height_cm | cm | untrainable: never a deficiency |
| weight | weight_kg | kg | |
| fat | body_fat_pct | % | |
| diastolic, systolic | (none) | mmHg | always imputed |
| grip force | grip_kg | kg | |
| sit and bend forward | sit_and_reach_cm | cm | the same test, another name |
| sit-ups | sit_ups | reps | |
| broad jump | standing_long_jump_cm | cm | the same test, another name |
"""

from __future__ import annotations

from typing import Final

REAL_FEATURES: Final[tuple[str, ...]] = (
    "age",
    "height",
    "weight",
    "fat",
    "diastolic",
    "systolic",
    "grip force",
    "sit and bend forward",
    "sit-ups",
    "broad jump",
)
"""The real file's numeric columns, in its order (its ``gender`` becomes the one-hot ``sex``)."""

REAL_ITEM_MAP: Final[dict[str, str]] = {
    "age": "age",
    "height": "height_cm",
    "weight": "weight_kg",
    "fat": "body_fat_pct",
    "grip force": "grip_kg",
    "sit and bend forward": "sit_and_reach_cm",
    "sit-ups": "sit_ups",
    "broad jump": "standing_long_jump_cm",
}
"""Model column -> our item; a column missing here has no item of ours and is always imputed."""


def item_of(column: str, item_map: dict[str, str]) -> str:
    """Our name for a model column (the column itself when it has no item of ours)."""
    return item_map.get(column, column)
