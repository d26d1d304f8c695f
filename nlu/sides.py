"""Which side a pain site is on ("left knee", "rodilla izquierda", "左膝"), kept beside it.

Sites stay canonical names (``nlu.pain.SITE_PATTERNS``), which the planner reads as safety
flags; the side is extra: ``PainSignal.sides`` maps a flagged site to "left", "right" or
"both". A side word counts when it stands right by the site in the same phrase: among the
two words before it (characters, for Chinese), or, in languages that put the adjective or
adverb after the noun, the word after it ("rodilla izquierda", "Knie links", "колено
левое"). Said of one site on both sides, or with "both", the side is "both".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SIDES = ("left", "right", "both")
#: English: before the site only ("right after the run, knee..." is not a side).
ENGLISH_SIDES = {
    "left": r"left|l",
    "right": r"right|r",
    "both": r"both|bilateral",
}
_PHRASE_BREAK = re.compile(r"[,:;()\u2013\u2014、]|\s-\s")
WORDS_BEFORE = 2
CHARS_BEFORE = 2


@dataclass(frozen=True, slots=True)
class SideWords:
    """One language's side words, compiled."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    after: bool
    spaced: bool


def side_words(sides: Mapping[str, str], *, after: bool, spaced: bool = True) -> SideWords:
    """Compile ``{side: regex}`` (whole words for spaced languages)."""
    wrap = (r"(?:{})" if not spaced else r"(?<!\w)(?:{})(?!\w)").format
    return SideWords(
        tuple((side, re.compile(wrap(p))) for side, p in sides.items()), after, spaced
    )


def _side_in(words: SideWords, text: str) -> str | None:
    found = {side for side, pattern in words.patterns if pattern.search(text)}
    if "both" in found or {"left", "right"} <= found:
        return "both"
    return next(iter(found), None)


def side_of(words: SideWords, clause: str, start: int, end: int) -> str | None:
    """The side said of the site at ``clause[start:end]``, or None."""
    before = _PHRASE_BREAK.split(clause[:start])[-1]
    if words.spaced:
        head = " ".join(re.findall(r"\w+", before)[-WORDS_BEFORE:])
    else:
        head = before[-CHARS_BEFORE:]
    side = _side_in(words, head)
    if side is None and words.after:
        tail = _PHRASE_BREAK.split(clause[end:], maxsplit=1)[0]
        first = re.findall(r"\w+", tail)[:1]
        side = _side_in(words, first[0]) if first else None
    return side


def merge_sides(found: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One side per site: a site said on two sides is on "both"."""
    out: dict[str, str] = {}
    for site, side in found:
        previous = out.get(site)
        out[site] = side if previous in (None, side) else "both"
    return out
