"""Pain, cramp and injury with body sites in any ``LanguageSpec``, and the negations that cancel.

The method of the English reader (``nlu/pain.py``), with each language's words as data: the
text is split into clauses (sentence punctuation, "pero", "aber", "но", "但是"); inside a
clause every site is attached to its nearest pain cue, and flagged unless that cue is
negated. A negator governs its own comma-separated phrase, within ``negation_window`` words
before the cue (characters for Chinese, which has no spaces); Russian, Spanish and German
also negate after the cue ("боли нет", "Schmerzen: keine") and by resolution ("прошла",
"se me pasó", "ist weg"). Negated amounts stay pain ("no me duele mucho", "не очень
болит", "不太疼"), as double negations do. Words for muscle soreness after training
("agujetas", "Muskelkater", "крепатура", "酸痛") flag joints and tendons only; tightness
("cargado", "fest", "забит", "紧") is a watch site, not pain. German compounds carry site and
cue in one word ("Knieschmerzen", "Wadenkrampf"): both match the same word, at distance 0.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from nlu.lang.spec import LanguageSpec
from nlu.lang.text import fold
from nlu.pain import MUSCLE_SITES, PainSignal
from nlu.sides import SideWords, merge_sides, side_of, side_words

#: Words between a tightness word and its site ("gemelos muy cargados", "紧绷的小腿").
TIGHT_WINDOW = 3


@dataclass(frozen=True, slots=True)
class _Compiled:
    spec: LanguageSpec
    site: re.Pattern[str]
    cue: re.Pattern[str]
    tight: re.Pattern[str]
    negator: re.Pattern[str]
    negation_phrases: re.Pattern[str]
    post_negation: re.Pattern[str]
    resolved: re.Pattern[str]
    hedges: re.Pattern[str]
    post_hedges: re.Pattern[str]
    double_negation: re.Pattern[str]
    injury: re.Pattern[str]
    history: re.Pattern[str]
    implied: tuple[tuple[re.Pattern[str], str], ...]
    clause: re.Pattern[str]
    phrase_break: re.Pattern[str]
    word: re.Pattern[str]
    sides: SideWords


@dataclass(frozen=True, slots=True)
class _Cue:
    index: int
    negated: bool
    sore_only: bool
    implied_site: str | None


_CACHE: dict[str, _Compiled] = {}


def _word(pattern: str, spaced: bool) -> str:
    return rf"(?<!\w)(?:{pattern})(?!\w)" if spaced else f"(?:{pattern})"


def _compiled(spec: LanguageSpec) -> _Compiled:
    found = _CACHE.get(spec.code)
    if found is not None:
        return found
    lex, spaced = spec.pain, spec.spaced
    sites = "|".join(
        f"(?P<{name}>{_word(pattern, spaced)})" for name, pattern in lex.sites.items()
    )
    cue = rf"(?P<sore>{_word(lex.sore_cues, spaced)})|(?P<pain>{_word(lex.pain_cues, spaced)})"
    compiled = _Compiled(
        spec=spec,
        site=re.compile(sites),
        cue=re.compile(cue),
        tight=re.compile(_word(lex.tight_cues, spaced)),
        negator=re.compile(lex.negators),
        negation_phrases=re.compile(rf"(?:{lex.negation_phrases})\s*$"),
        post_negation=re.compile(lex.post_negation),
        resolved=re.compile(lex.resolved),
        hedges=re.compile(lex.hedges),
        post_hedges=re.compile(lex.post_hedges),
        double_negation=re.compile(lex.double_negation),
        injury=re.compile(lex.injury_cues),
        history=re.compile(lex.history),
        implied=tuple((re.compile(p), site) for p, site in lex.implied_sites.items()),
        clause=re.compile(spec.clause_split),
        phrase_break=re.compile(lex.phrase_break),
        word=re.compile(r"\w+" if spaced else r"\w"),
        sides=side_words(lex.sides, after=lex.side_after, spaced=spaced),
    )
    _CACHE[spec.code] = compiled
    return compiled


def _negated_before(c: _Compiled, phrase: str) -> bool:
    if c.negation_phrases.search(phrase):
        return True
    window = c.spec.pain.negation_window
    if c.spec.spaced:
        words = c.word.findall(phrase)[-window:]
        return any(c.negator.fullmatch(w) for w in words)
    return c.negator.search(phrase[-window:]) is not None


def _cues(c: _Compiled, clause: str, starts: list[int]) -> list[_Cue]:
    cues: list[_Cue] = []
    for match in c.cue.finditer(clause):
        start, end = match.span()
        before, after = clause[:start], clause[end:]
        phrase = c.phrase_break.split(before)[-1]
        phrase_after = c.phrase_break.split(after, maxsplit=1)[0]
        negated = _negated_before(c, phrase)
        if negated and (c.hedges.search(phrase) or c.double_negation.search(phrase)):
            negated = False  # "no puedo correr sin dolor", "не очень болит": still pain
        if not negated and c.post_negation.match(after):
            negated = True  # "боли нет", "dolor ninguno", "Schmerzen habe ich keine"
        elif negated and c.post_hedges.match(phrase_after):
            negated = False  # "no me duele mucho": mild, still pain
        if c.resolved.search(clause[start:]):
            negated = True  # "se me pasó", "ist weg", "прошла", "消失了", "schmerzfrei"
        word = match.group(0)
        if c.injury.search(word) and c.history.search(before):
            negated = True  # "tras la lesión", "nach der Verletzung": the past
        implied = next((site for p, site in c.implied if p.search(word)), None)
        index = max(bisect_right(starts, start) - 1, 0)
        cues.append(_Cue(index, negated, match.lastgroup == "sore", implied))
    return cues


def _sites(c: _Compiled, clause: str, starts: list[int]) -> list[tuple[str, int, int, int]]:
    out = []
    for m in c.site.finditer(clause):
        if m.lastgroup is not None:
            out.append((m.lastgroup, max(bisect_right(starts, m.start()) - 1, 0), *m.span()))
    return out


def _tight_sites(
    c: _Compiled, clause: str, starts: list[int], sites: list[tuple[str, int, int, int]]
) -> list[str]:
    tight = []
    for m in c.tight.finditer(clause):
        phrase = c.phrase_break.split(clause[: m.start()])[-1]
        if _negated_before(c, phrase):
            continue  # "sin sobrecarga", "nicht fest"
        index = max(bisect_right(starts, m.start()) - 1, 0)
        near = [s for s in sites if abs(s[1] - index) <= TIGHT_WINDOW]
        if near:
            tight.append(min(near, key=lambda s: abs(s[1] - index))[0])
    return tight


def read_pain_in(text: str, spec: LanguageSpec) -> PainSignal:
    """Pain flag and flagged sites of ``text`` read with ``spec``'s words (module docstring)."""
    c = _compiled(spec)
    norm = fold(text, spec.letters)
    if c.cue.search(norm) is None and c.tight.search(norm) is None:
        # No pain word and no tightness word: nothing to attach (most messages, fast).
        return PainSignal(pain=False, sites=(), mentioned=False, confidence=0.3)
    flagged: list[str] = []
    sided: list[tuple[str, str]] = []
    tight: list[str] = []
    any_cue = any_pain = False
    for clause in c.clause.split(norm):
        if not clause or not clause.strip():
            continue
        starts = [m.start() for m in c.word.finditer(clause)]
        sites = _sites(c, clause, starts)
        tight.extend(_tight_sites(c, clause, starts, sites))
        cues = _cues(c, clause, starts)
        if not cues:
            continue
        any_cue = True
        flagged.extend(cue.implied_site for cue in cues if cue.implied_site and not cue.negated)
        for site, index, start, end in sites:
            cue = min(cues, key=lambda q: abs(q.index - index))
            if cue.negated or (cue.sore_only and site in MUSCLE_SITES):
                continue
            flagged.append(site)
            side = side_of(c.sides, clause, start, end)
            if side is not None:
                sided.append((site, side))
        any_pain = any_pain or any(not q.negated and not q.sore_only for q in cues)
    sites_out = tuple(dict.fromkeys(flagged))
    watch = tuple(dict.fromkeys(site for site in tight if site not in sites_out))
    pain = bool(sites_out) or any_pain
    confidence = 0.3
    if pain:
        confidence = 0.9 if sites_out else 0.6
    elif any_cue:
        confidence = 0.9
    elif watch:
        confidence = 0.6
    return PainSignal(
        pain=pain,
        sites=sites_out,
        mentioned=any_cue,
        confidence=confidence,
        watch_sites=watch,
        sides=merge_sides(sided),
    )
