"""Hooper wellness items (sleep quality, fatigue, soreness, stress, mood; 1-7) in any language.

The rules of ``nlu/wellness.py`` (Hooper & Mackinnon 1995, Sports Medicine 20(5):321-327):
words map to a base rating, an intensifier before the word moves it one step further from
the middle ("muy cansado" 6), a softener one step back ("un poco cansado" 4), a negator
maps it to the other side ("nicht müde" 2); the worst rating of an item wins. The words are
each language's ``WellnessRule``s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.lang.spec import LanguageSpec
from nlu.lang.text import fold
from nlu.wellness import HOOPER_MAX, HOOPER_MIN

#: How far back a negator, intensifier or softener may stand (characters, as nlu.wellness).
LOOKBACK_CHARS = 30
LOOKBACK_CHARS_UNSPACED = 4


@dataclass(frozen=True, slots=True)
class _Compiled:
    rules: tuple[tuple[str, re.Pattern[str], int], ...]
    negator: re.Pattern[str]
    intensifier: re.Pattern[str]
    softener: re.Pattern[str]
    lookback: int


_CACHE: dict[str, _Compiled] = {}


def _compiled(spec: LanguageSpec) -> _Compiled:
    found = _CACHE.get(spec.code)
    if found is not None:
        return found
    bound = (r"(?<!\w)", r"(?!\w)") if spec.spaced else ("", "")
    tail = r"\s*$"
    compiled = _Compiled(
        rules=tuple(
            (r.item, re.compile(f"{bound[0]}(?:{r.pattern}){bound[1]}"), r.base)
            for r in spec.wellness
        ),
        negator=re.compile(f"(?:{spec.wellness_negator}){tail}"),
        intensifier=re.compile(f"(?:{spec.intensifiers}){tail}"),
        softener=re.compile(f"(?:{spec.softeners}){tail}"),
        lookback=LOOKBACK_CHARS if spec.spaced else LOOKBACK_CHARS_UNSPACED,
    )
    _CACHE[spec.code] = compiled
    return compiled


def read_wellness_in(text: str, spec: LanguageSpec) -> dict[str, int]:
    """Hooper items stated in ``text`` in ``spec``'s words, each 1-7 (worst mention wins)."""
    c = _compiled(spec)
    norm = fold(text, spec.letters)
    found: dict[str, int] = {}
    for item, pattern, base in c.rules:
        for match in pattern.finditer(norm):
            before = norm[max(0, match.start() - c.lookback) : match.start()]
            if c.negator.search(before):
                value = 2 if base >= 4 else 5
            else:
                value = base
                if base >= 4:
                    if c.intensifier.search(before):
                        value += 1
                    elif c.softener.search(before):
                        value -= 1
                elif c.intensifier.search(before):
                    value -= 1
            value = min(max(value, HOOPER_MIN), HOOPER_MAX)
            found[item] = max(found.get(item, value), value)
    return found
