"""Sentiment of a check-in in Spanish, German, Russian or Chinese: lexicon, SnowNLP, an ensemble.

The lexicon scorer applies VADER's rules (Hutto & Gilbert 2014, ICWSM: a booster adds 0.293
to a word's valence, decaying with distance; a negator in the three words before flips it by
-0.74; words before "but" count half and after it one and a half; each "!" up to four adds
0.292; compound = sum / sqrt(sum^2 + 15)) to each language's own lexicon
(``nlu/data/sentiment/<code>.tsv``, with ``emoji.tsv``). Chinese has no spaces: terms are
found longest first inside the text, and the negators and boosters are the characters
before a term. For Chinese SnowNLP, whose model ships inside the package, scores beside the
lexicon (2 x P(positive) - 1). NLTK VADER (``nlu.vader``) scores every text too: it reads
emoji and the English words athletes mix in ("top", "PB", "ok"). The last component is the
pain reader of the language (-1 when the check-in reports pain): athletes who report pain
rarely mean the check-in as good news, whatever else they say.

The three are combined per language with the weights and threshold in
``nlu/data/sentiment/weights.json``, chosen on the tuning check-ins only
(``coachloop train sentiment-weights``, ``nlu/sentiment_weights.py``); English keeps its VADER +
transformer ensemble (``nlu/engine.py``).
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu.ensemble import ensemble_level
from nlu.lang import SPECS
from nlu.lang.spec import LanguageSpec
from nlu.lang.text import fold
from nlu.multi_pain import read_pain_in
from nlu.report import Sentiment

LEXICON_DIR = Path(__file__).resolve().parent / "data" / "sentiment"
EMOJI_FILE = LEXICON_DIR / "emoji.tsv"
WEIGHTS_FILE = LEXICON_DIR / "weights.json"
COMPONENTS = ("lexicon", "vader", "snownlp", "pain")
#: VADER's constants (vaderSentiment 3.3.2): booster increment, negation scalar, "!" step.
B_INCR = 0.293
N_SCALAR = -0.74
EXCLAMATION_STEP = 0.292
ALPHA = 15.0
#: Without a weights file: the lexicon alone and VADER's own dead band.
DEFAULT_WEIGHTS: dict[str, float] = {"lexicon": 1.0}
DEFAULT_THRESHOLD = 0.05
_BREAK = re.compile(r"[,.;:!?\n()。]")
_PHRASE = re.compile(r"[,.;:!?\n()。、]")


def read_lexicon(path: Path) -> dict[str, float]:
    """``term<TAB>valence`` lines (``#`` comments and the header skipped), validated."""
    terms: dict[str, float] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("term\t"):
            continue
        parts = line.split("\t")
        try:
            valence = float(parts[1])
        except (IndexError, ValueError) as exc:
            raise ValueError(f"{path}:{lineno}: expected 'term<TAB>valence', got {raw!r}") from exc
        if not -4.0 <= valence <= 4.0:
            raise ValueError(f"{path}:{lineno}: valence {valence} outside VADER's [-4, 4]")
        terms[parts[0].strip().lower()] = valence
    return terms


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    valence: float | None
    start: int
    end: int
    is_break: bool = False


class LexiconScorer:
    """VADER's rules over one language's lexicon (see the module docstring)."""

    def __init__(self, spec: LanguageSpec, terms: dict[str, float]) -> None:
        self.spec = spec
        self._exact = {t: v for t, v in terms.items() if "*" not in t and " " not in t}
        self._prefix = sorted(
            ((t[:-1], v) for t, v in terms.items() if t.endswith("*") and not t.startswith("*")),
            key=lambda p: -len(p[0]),
        )
        self._infix = sorted(
            ((t.strip("*"), v) for t, v in terms.items() if t.startswith("*")),
            key=lambda p: -len(p[0]),
        )
        self._phrases = {t: v for t, v in terms.items() if " " in t}
        lex = spec.sentiment
        self._negator = re.compile(lex.negators)
        self._booster = re.compile(lex.boosters)
        self._dampener = re.compile(lex.dampeners)
        self._contrast = re.compile(lex.contrast)
        pain = spec.pain
        self._hedges = re.compile(pain.hedges)
        self._post_hedges = re.compile(pain.post_hedges)
        self._post_negation = re.compile(pain.post_negation)
        self._resolved = re.compile(pain.resolved)
        literal = sorted((t for t in terms if "*" not in t), key=len, reverse=True)
        alternation = "|".join(re.escape(t) for t in literal)
        if spec.spaced:
            word = r"[^\W\d_]+"
            phrases = "|".join(re.escape(t) for t in sorted(self._phrases, key=len, reverse=True))
            parts = [p for p in (phrases and rf"(?<!\w)(?:{phrases})(?!\w)", word) if p]
            emoji = "|".join(re.escape(t) for t in literal if not t[:1].isalnum())
            self._token = re.compile("|".join([*parts, *(emoji and [emoji]), r"[,.;:!?\n()]"]))
        else:
            self._token = re.compile(rf"{alternation}|[,.;:!?\n()。]")

    def _valence(self, word: str) -> float | None:
        found = self._exact.get(word)
        if found is None:
            found = self._phrases.get(word)
        if found is None and self.spec.spaced:
            found = next((v for p, v in self._prefix if word.startswith(p)), None)
            if found is None:
                found = next((v for p, v in self._infix if p in word), None)
        return found

    def _tokens(self, norm: str) -> list[_Token]:
        return [
            _Token(
                m.group(0),
                self._valence(m.group(0)),
                m.start(),
                m.end(),
                bool(_BREAK.fullmatch(m.group(0))),
            )
            for m in self._token.finditer(norm)
        ]

    def _is(self, pattern: re.Pattern[str], text: str) -> bool:
        return pattern.fullmatch(text) is not None

    def _modifier(self, text: str) -> bool:
        return self._is(self._booster, text) or self._is(self._dampener, text)

    def _before(self, norm: str, start: int, floor: int = 0) -> str:
        """Chinese: the characters before a term, back to the phrase start (at most 4)."""
        head = norm[max(floor, start - 4) : start]
        return _BREAK.split(head)[-1]

    def score(self, text: str) -> float:
        """VADER-style compound in [-1, 1]."""
        norm = fold(text, self.spec.letters)
        if self.spec.spaced:
            valences = self._spaced_valences(norm, self._tokens(norm))
        else:
            valences = self._unspaced_valences(norm)
        total = sum(valences)
        if total:
            total += math.copysign(min(norm.count("!"), 4) * EXCLAMATION_STEP, total)
        return total / math.sqrt(total * total + ALPHA) if total else 0.0

    def _pain_context(self, norm: str, start: int, end: int, negated: bool) -> float:
        """How a pain-like (negative) word's valence changes with what stands around it.

        The pain reader's patterns of this language: "боли нет", "se me pasó" cancel it
        (flip, as a negator would); "no me duele mucho", "不太疼" are hedged negations, mild
        pain that stays negative at half strength. Returns the factor to apply.
        """
        before = _PHRASE.split(norm[:start])[-1]
        after = norm[end:]
        phrase_after = _PHRASE.split(after, maxsplit=1)[0]
        if negated:
            hedged = self._hedges.search(before) or self._post_hedges.match(phrase_after)
            return 0.5 / N_SCALAR if hedged else 1.0
        if self._post_negation.match(after) or self._resolved.search(phrase_after):
            return N_SCALAR
        return 1.0

    def _spaced_valences(self, norm: str, tokens: list[_Token]) -> list[float]:
        contrast = max(
            (i for i, t in enumerate(tokens) if self._is(self._contrast, t.text)), default=None
        )
        out: list[float] = []
        for i, tok in enumerate(tokens):
            if tok.valence is None or tok.is_break:
                continue
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if self._modifier(tok.text) and nxt is not None and nxt.valence is not None:
                continue  # "stark" before "Schmerzen" boosts it; alone it is a word
            value = tok.valence
            negated = False
            if tok.text[:1].isalpha():  # an emoji is not negated or boosted
                for back in range(1, 4):
                    if i - back < 0 or tokens[i - back].is_break:
                        break
                    prev = tokens[i - back]
                    if prev.valence is not None and not self._modifier(prev.text):
                        break  # a negator before another sentiment word is that word's
                    scale = (1.0, 0.95, 0.9)[back - 1]
                    if self._is(self._booster, prev.text):
                        value += math.copysign(B_INCR * scale, value)
                    elif self._is(self._dampener, prev.text):
                        value -= math.copysign(B_INCR * scale, value)
                    if self._is(self._negator, prev.text):
                        value *= N_SCALAR
                        negated = True
                        break
                if tok.valence < 0:
                    value *= self._pain_context(norm, tok.start, tok.end, negated)
            if contrast is not None:
                value *= 0.5 if i < contrast else 1.5 if i > contrast else 1.0
            out.append(value)
        return out

    def _unspaced_valences(self, norm: str) -> list[float]:
        matches = [m for m in self._token.finditer(norm) if not _BREAK.fullmatch(m.group(0))]
        contrast = [m.start() for m in self._contrast.finditer(norm)]
        last_contrast = max(contrast) if contrast else None
        out: list[float] = []
        previous_end = 0
        for k, m in enumerate(matches):
            value = self._exact.get(m.group(0))
            if value is None:
                continue
            nxt = matches[k + 1] if k + 1 < len(matches) else None
            if self._modifier(m.group(0)) and nxt is not None and nxt.start() == m.end():
                continue  # "好累": 好 boosts 累
            if not m.group(0)[:1].isalpha():
                out.append(value)  # an emoji is not negated or boosted
                continue
            # A negator before another sentiment word is that word's.
            before = self._before(norm, max(m.start(), previous_end), previous_end)
            previous_end = m.end()
            if self._booster.search(before):
                value += math.copysign(B_INCR, value)
            elif self._dampener.search(before):
                value -= math.copysign(B_INCR, value)
            negated = self._negator.search(before) is not None
            if negated:
                value *= N_SCALAR
            if self._exact[m.group(0)] < 0:
                value *= self._pain_context(norm, m.start(), m.end(), negated)
            if last_contrast is not None:
                value *= 0.5 if m.start() < last_contrast else 1.5
            out.append(value)
        return out


def read_weights(path: Path = WEIGHTS_FILE) -> dict[str, Any]:
    """The per-language weights written by ``coachloop train sentiment-weights`` ({} if none)."""
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class MultilingualSentiment:
    """Lexicon + VADER (+ SnowNLP for Chinese) per language, built on first use per language."""

    def __init__(self, weights: dict[str, Any] | None = None) -> None:
        self._weights = read_weights() if weights is None else weights
        self._lock = threading.Lock()
        self._scorers: dict[str, LexiconScorer] = {}
        self._snownlp: Any = None

    def _scorer(self, code: str) -> LexiconScorer:
        with self._lock:
            scorer = self._scorers.get(code)
            if scorer is None:
                terms = read_lexicon(EMOJI_FILE) | read_lexicon(LEXICON_DIR / f"{code}.tsv")
                scorer = LexiconScorer(SPECS[code], terms)
                self._scorers[code] = scorer
            return scorer

    def _snow(self, text: str) -> float:
        with self._lock:
            if self._snownlp is None:
                # SnowNLP loads its model at import (seconds): only when Chinese is read.
                from snownlp import SnowNLP

                self._snownlp = SnowNLP
            return 2.0 * float(self._snownlp(text).sentiments) - 1.0

    def weights(self, code: str) -> tuple[dict[str, float], float]:
        """Component weights and threshold of one language (defaults without a file)."""
        entry = self._weights.get(code)
        if not entry:
            return dict(DEFAULT_WEIGHTS), DEFAULT_THRESHOLD
        return {k: float(v) for k, v in entry["weights"].items()}, float(entry["threshold"])

    def components(
        self, text: str, code: str, needed: tuple[str, ...] = COMPONENTS
    ) -> dict[str, float]:
        """Each component's score in [-1, 1] for ``text`` read as language ``code``."""
        out: dict[str, float] = {}
        if "lexicon" in needed:
            out["lexicon"] = self._scorer(code).score(text)
        if "vader" in needed:
            from nlu.vader import default_vader

            out["vader"] = default_vader().score(text)
        if "snownlp" in needed and SPECS[code].sentiment.model == "snownlp" and text.strip():
            out["snownlp"] = self._snow(text)
        if "pain" in needed:
            out["pain"] = -1.0 if read_pain_in(text, SPECS[code]).pain else 0.0
        return out

    def sentiment(self, text: str, code: str) -> Sentiment:
        """The ensemble ``Sentiment`` of one text; each component's score is kept."""
        weights, threshold = self.weights(code)
        needed = tuple(c for c, w in weights.items() if w > 0) or ("lexicon",)
        scores = self.components(text, code, needed)
        score = sum(weights.get(c, 0.0) * s for c, s in scores.items())
        score = min(max(score, -1.0), 1.0)
        return Sentiment(score, ensemble_level(score, threshold), scores)
