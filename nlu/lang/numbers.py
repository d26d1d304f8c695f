"""Numbers as athletes type them in each language: digits and the language's number words.

Digits are shared ("7", "7.5", "7,5"; full-width digits are folded to ASCII before reading).
Words compose as the language does: tens then units with a joiner ("treinta y cinco",
"сорок пять"), units then tens inside one word ("fünfundvierzig"), or the Chinese
positional numerals ("四十五", "一百二十", "两"). Kept apart from the readers so every field
reads numbers the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.lang.spec import NumberReader

#: Digits with an optional decimal part ("7", "7.5", "7,5", "1000"), not part of a longer number.
DIGITS = r"(?<![\d.,])\d{1,4}(?:[.,]\d{1,2})?(?!\d)"
_DIGITS_RE = re.compile(r"\d{1,4}(?:[.,]\d{1,2})?")


def _alternation(words: Mapping[str, float]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def word_numbers(
    units: Mapping[str, float],
    tens: Mapping[str, float],
    joiner: str,
    *,
    unit_first: bool = False,
) -> NumberReader:
    """Digits or number words of a language written with spaces between words.

    ``joiner`` is the regex between the two parts of a compound ("\\s+y\\s+", "\\s+"); with
    ``unit_first`` the unit comes first inside one word, as German writes "fünfundvierzig".
    """
    unit_alt, ten_alt = _alternation(units), _alternation(tens)
    small = {k: v for k, v in units.items() if 0 < v < 10}
    small_alt = _alternation(small)
    if unit_first:
        compound = rf"(?:{small_alt}){joiner}(?:{ten_alt})"
    else:
        compound = rf"(?:{ten_alt}){joiner}(?:{small_alt})"
    pattern = rf"(?:{DIGITS}|(?<!\w)(?:{compound}|{ten_alt}|{unit_alt})(?!\w))"
    joiner_re = re.compile(joiner)

    def value(token: str) -> float | None:
        text = token.strip().lower()
        if _DIGITS_RE.fullmatch(text):
            return float(text.replace(",", "."))
        if text in units:
            return float(units[text])
        if text in tens:
            return float(tens[text])
        parts = [p for p in joiner_re.split(text) if p]
        if len(parts) != 2:
            return None
        first, second = parts
        unit, ten = (first, second) if unit_first else (second, first)
        if unit in small and ten in tens:
            return float(tens[ten] + small[unit])
        return None

    return NumberReader(pattern, value)


_ZH_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_ZH_NUMERAL = (
    r"(?:[一二两三四五六七八九]?百(?:零?[一二三四五六七八九]?十?[一二三四五六七八九]?)?"
    r"|[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
)


def _zh_below_hundred(text: str) -> float | None:
    if not text:
        return 0.0
    if "十" in text:
        tens, _, units = text.partition("十")
        tens_value = _ZH_DIGIT.get(tens) if tens else 1
        units_value = _ZH_DIGIT.get(units) if units else 0
        if tens_value is None or units_value is None:
            return None
        return float(tens_value * 10 + units_value)
    if text.startswith("零"):
        text = text[1:]
    digit = _ZH_DIGIT.get(text)
    return None if digit is None else float(digit)


def zh_value(token: str) -> float | None:
    """Value of digits or a Chinese numeral up to 999 ("四十五" 45, "一百二十" 120, "两" 2)."""
    text = token.strip()
    if _DIGITS_RE.fullmatch(text):
        return float(text.replace(",", "."))
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        h = _ZH_DIGIT.get(hundreds) if hundreds else 1
        r = _zh_below_hundred(rest)
        return None if h is None or r is None else float(h * 100) + r
    return _zh_below_hundred(text)


def chinese_numbers() -> NumberReader:
    """Digits or Chinese numerals (no word boundaries: Chinese has none)."""
    return NumberReader(rf"(?:{DIGITS}|{_ZH_NUMERAL})", zh_value)
