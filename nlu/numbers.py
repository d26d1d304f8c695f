"""Numbers as athletes type them: digits ("7", "7.5", "7,5") and English words ("seven").

Kept apart from the field extractors so that every extractor reads numbers the same way and
the regular expressions below are built once.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN_WORDS = "|".join(_TENS)

#: One number, digits or words ("7", "7.5", "7,5", "seven", "twenty-five", "forty five").
NUM = (
    r"(?:(?<![\d.,])\d{1,4}(?:[.,]\d{1,2})?(?![\d])"
    rf"|\b(?:(?:{_TEN_WORDS})(?:[\s-](?:{_UNIT_WORDS}))?|{_UNIT_WORDS})\b)"
)

_NUM_RE = re.compile(NUM, re.ASCII)
_DIGITS = re.compile(r"\d{1,4}(?:[.,]\d{1,2})?", re.ASCII)


def to_number(token: str) -> float | None:
    """The value of one number written as digits or English words; ``None`` if it is not one.

    >>> to_number("7,5"), to_number("twenty-five"), to_number("seven"), to_number("x")
    (7.5, 25.0, 7.0, None)
    """
    text = token.strip().lower()
    if _DIGITS.fullmatch(text):
        return float(text.replace(",", "."))
    parts = re.split(r"[\s-]+", text)
    if len(parts) == 1:
        if parts[0] in _UNITS:
            return float(_UNITS[parts[0]])
        if parts[0] in _TENS:
            return float(_TENS[parts[0]])
        return None
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
        return float(_TENS[parts[0]] + _UNITS[parts[1]])
    return None


def is_word_number(token: str) -> bool:
    """True when the number was spelled in words (less certain than digits)."""
    return not any(ch.isdigit() for ch in token)
