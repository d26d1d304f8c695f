"""Hooper wellness items from words: sleep quality, fatigue, soreness, stress, mood (1-7).

Hooper & Mackinnon (1995, Sports Medicine 20(5):321-327) rate each item 1 (very, very good /
low) to 7 (very, very bad / high). Athletes rarely type numbers for these, so we map plain
words to a base rating and move it by one step for an intensifier ("very sore" -> 6) or a
softener ("a bit tired" -> 4); a negator before the word ("not tired") maps it to the good
side (2). Only items the text actually talks about are returned; the rest stay unknown.
"""

from __future__ import annotations

import re

HOOPER_MIN = 1
HOOPER_MAX = 7

#: (item, regex, base rating). Base 5 = clearly bad, 2 = clearly good (Hooper scale direction).
_RULES: tuple[tuple[str, str, int], ...] = (
    ("soreness", r"doms|sore(?:ness)?|achy|aching\s+(?:legs|muscles)|stiff(?:ness)?", 5),
    ("soreness", r"heavy\s+legs|dead\s+legs|legs\s+(?:are|were|felt|feel)\s+(?:heavy|dead)", 5),
    ("soreness", r"legs\s+(?:felt|feel|are|were)\s+(?:fresh|good|great|light|bouncy)", 2),
    (
        "fatigue",
        r"exhausted|knackered|wrecked|shattered|drained|wiped(?:\s+out)?|gassed|spent|"
        r"dead\s+tired|zero\s+energy|no\s+energy|burnt\s+out|burned\s+out|cooked",
        6,
    ),
    ("fatigue", r"tired|fatigued?|sluggish|lethargic|flat|heavy|sleepy|low\s+energy", 5),
    ("fatigue", r"fresh|rested|energetic|full\s+of\s+energy|lots\s+of\s+energy|recovered", 2),
    ("stress", r"stress(?:ed|ful)?|anxious|anxiety|overwhelmed|nervous|pressure|hectic", 5),
    ("stress", r"relaxed|calm|chill(?:ed)?|stress[\s-]free|at\s+ease", 2),
    ("mood", r"miserable|depressed|awful\s+mood|terrible\s+mood", 6),
    (
        "mood",
        r"bad\s+mood|low\s+mood|grumpy|irritable|sad|down|unmotivated|demotivated|"
        r"frustrated|fed\s+up|annoyed",
        5,
    ),
    (
        "mood",
        r"good\s+mood|great\s+mood|happy|motivated|buzzing|stoked|excited|pumped|"
        r"positive|confident",
        2,
    ),
    (
        "sleep_quality",
        r"slept\s+(?:badly|poorly|terribly|awful(?:ly)?|like\s+(?:crap|rubbish))|"
        r"(?:bad|poor|terrible|awful|broken|restless|crap|rubbish)\s+(?:night|sleep)|"
        r"insomnia|couldn'?t\s+sleep|didn'?t\s+sleep(?:\s+well)?|barely\s+slept|woke\s+up\s+a\s+lot",
        6,
    ),
    (
        "sleep_quality",
        r"slept\s+(?:well|great|good|amazing(?:ly)?|like\s+a\s+(?:log|baby))|"
        r"(?:good|great|solid|deep|decent)\s+(?:night|sleep)",
        2,
    ),
    ("sleep_quality", r"slept\s+(?:ok|okay|alright|fine)", 4),
)

_COMPILED = tuple((item, re.compile(rf"\b(?:{pat})\b"), base) for item, pat, base in _RULES)
_INTENSIFIER = re.compile(
    r"\b(?:very|really|super|so|extremely|incredibly|totally|absolutely|completely|crazy|"
    r"insanely|mega|proper)\s+$"
)
_SOFTENER = re.compile(
    r"\b(?:a\s+(?:bit|little|tad)|bit|slightly|little|somewhat|kinda|kind\s+of|mildly|"
    r"a\s+touch|fairly|quite)\s+$"
)
_NEGATOR = re.compile(r"\b(?:not|no|never|isn't|wasn't|aren't|don't|didn't|without)\s+(?:\w+\s+)?$")


def read_wellness(norm_text: str) -> dict[str, int]:
    """Hooper items stated in ``norm_text`` (already lower-cased), each 1-7.

    When one item is mentioned several times, the worst (highest) rating wins: a check-in that
    says "felt fresh but legs very sore" should not hide the soreness.
    """
    found: dict[str, int] = {}
    for item, pattern, base in _COMPILED:
        for match in pattern.finditer(norm_text):
            before = norm_text[max(0, match.start() - 30) : match.start()]
            if _NEGATOR.search(before):
                value = 2 if base >= 4 else 5
            else:
                value = base
                if base >= 4:
                    if _INTENSIFIER.search(before):
                        value += 1
                    elif _SOFTENER.search(before):
                        value -= 1
                elif _INTENSIFIER.search(before):
                    value -= 1
            value = min(max(value, HOOPER_MIN), HOOPER_MAX)
            found[item] = max(found.get(item, value), value)
    return found
