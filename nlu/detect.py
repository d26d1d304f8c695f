"""Which language a message is written in, and which supported languages to read it with.

lingua (Stahl, lingua-py; its n-gram models ship inside the wheel, nothing is downloaded)
runs as two detectors, built once: the high-accuracy mode over the five supported languages
only says which of them a message is in, and the low-accuracy mode over those five plus
``OTHERS`` (the languages a Telegram athlete is most likely to write in that coachloop does
not read) says whether it is one of them at all. Without the others a French or Ukrainian
check-in would be read as English or Russian and answered as if it were. One high-accuracy
detector over all eighteen was measured too: a little more accurate on short messages, but
its models take about 360 MB and seconds to load against about 140 MB for the pair
(docs/nlu.md has the numbers).

What lingua reads is the message without the tokens every language shares (digits, units,
"rpe", punctuation, emoji): "RPE 7, 60 min" has no words, so its language is ``None`` (not
a language) and it is read with every reader's shared forms. When lingua is unsure (a short
message: "sin dolor, genial", "rpe 7, 1h15 run, slept 6h"), the supported candidate that
knows most of the message's words wins. A message counts as unsupported only when an
unsupported language is clearly ahead (``UNSUPPORTED_MIN`` and the best supported language
under ``SUPPORTED_MAX``), it has two words or more, and no supported language knows half of
them; otherwise the best supported language wins, since answering a supported language in
English costs more than the other way round. Pain words are looked for in every supported
language anyway (``nlu.reading``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from nlu.lang import ENGLISH, SPECS, SUPPORTED, en
from nlu.lang.text import fold
from nlu.multi_sentiment import LEXICON_DIR, read_lexicon

#: lingua's names of the supported languages, by ISO 639-1 code.
LINGUA_SUPPORTED = {
    "en": "ENGLISH",
    "es": "SPANISH",
    "de": "GERMAN",
    "ru": "RUSSIAN",
    "zh": "CHINESE",
}
#: Languages we recognise in order to say we do not read them.
OTHERS = (
    "FRENCH", "ITALIAN", "PORTUGUESE", "CATALAN", "DUTCH", "SWEDISH", "BOKMAL", "POLISH",
    "UKRAINIAN", "TURKISH", "ARABIC", "JAPANESE", "KOREAN",
)  # fmt: skip
UNSUPPORTED_MIN = 0.6
SUPPORTED_MAX = 0.25
#: Supported languages below this confidence are not worth a second reading.
READ_ALSO_MIN = 0.1
#: Below this confidence of the likeliest supported language (among the five), the
#: candidates are ranked by how many of the message's words they know (``_by_known_words``).
UNSURE_BELOW = 0.7
#: Whatever lingua's confidence, a candidate that knows this many more words wins.
KNOWN_WORDS_LEAD = 2
#: Letters (outside shared tokens) a message needs before it has a language; one character
#: of Chinese, Japanese or Korean is a word.
MIN_LETTERS = 3
#: One word ("pesas") is too little to say a message is in a language we do not read.
MIN_WORDS_UNSUPPORTED = 2

_SHARED_TOKENS = re.compile(
    r"(?i)(?<![^\W\d_])(?:s?rpe|min|mins|km|kms|k|h|hr|hrs|m|x|ok|pb|bpm|kg|w)(?![^\W\d_])"
    r"|[\d\W_]+"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language of one message.

    ``code`` is an ISO 639-1 code ("es"; "fr" for a language we do not read) or ``None``
    when the message has no words to tell (digits, units, emoji). ``reading`` lists the
    supported languages to read it with, most likely first; it is never empty.
    """

    code: str | None
    supported: bool
    confidence: float
    reading: tuple[str, ...]


#: A message without words ("RPE 7, 60 min", "1ч15") is read with every reader's forms.
NO_WORDS = LanguageGuess(None, True, 0.0, SUPPORTED)


def words_of(text: str) -> str:
    """The message without the tokens all languages share ("RPE 7, 60 min" -> "")."""
    return " ".join(_SHARED_TOKENS.sub(" ", text).split())


def has_words(text: str) -> bool:
    """True when ``text`` holds enough letters of some language to be told apart."""
    if _CJK.search(text):
        return True
    return sum(ch.isalpha() for ch in text) >= MIN_LETTERS


class LanguageDetector:
    """Two lingua detectors, built on first use: which supported language (high accuracy,
    the five languages only), and whether it is one at all (low accuracy, with ``OTHERS``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._precise: Any = None
        self._screen: Any = None
        self._confirmers: dict[str, Any] = {}
        self._names: dict[Any, str] = {}

    def _get(self) -> tuple[Any, Any]:
        if self._precise is None:
            from lingua import Language, LanguageDetectorBuilder

            ours = [getattr(Language, n) for n in LINGUA_SUPPORTED.values()]
            others = [getattr(Language, n) for n in OTHERS]
            self._names = {lang: lang.iso_code_639_1.name.lower() for lang in ours + others}
            self._screen = (
                LanguageDetectorBuilder.from_languages(*ours, *others)
                .with_low_accuracy_mode()
                .build()
            )
            self._precise = LanguageDetectorBuilder.from_languages(*ours).build()
        return self._precise, self._screen

    def _unsupported(
        self, words: str, screened: tuple[str, float], reading: tuple[str, ...]
    ) -> tuple[str, float] | None:
        """(code, confidence) of a language we do not read, or None (module docstring)."""
        code, conf = screened
        enough = len(words.split()) >= MIN_WORDS_UNSUPPORTED or len(_CJK.findall(words)) >= 3
        if code in SUPPORTED or conf < UNSUPPORTED_MIN or not enough:
            return None
        if _mostly_known(words, reading):
            return None
        code, conf, best_supported = self._confirm(code, words)
        if code in SUPPORTED or conf < UNSUPPORTED_MIN or best_supported >= SUPPORTED_MAX:
            return None
        return code, conf

    def _confirm(self, code: str, words: str) -> tuple[str, float, float]:
        """The screen's unsupported verdict checked in high accuracy, between that language
        and the five (its models load only when a message first calls for it): the top
        language, its confidence, and the best supported language's."""
        with self._lock:
            detector = self._confirmers.get(code)
            if detector is None:
                from lingua import Language, LanguageDetectorBuilder

                other = next(lang for lang, name in self._names.items() if name == code)
                ours = [getattr(Language, n) for n in LINGUA_SUPPORTED.values()]
                detector = LanguageDetectorBuilder.from_languages(*ours, other).build()
                self._confirmers[code] = detector
            ranked = self._ranked(detector, words)
        best = max(conf for c, conf in ranked if c in SUPPORTED)
        return ranked[0][0], ranked[0][1], best

    def _ranked(self, detector: Any, words: str) -> list[tuple[str, float]]:
        values = detector.compute_language_confidence_values(words)
        # Rounded: lingua's sums differ in the last bits from call to call.
        return [(self._names[v.language], round(float(v.value), 3)) for v in values]

    def detect(self, text: str) -> LanguageGuess:
        """The language of ``text`` (see the module docstring for the decision)."""
        words = words_of(text)
        if not has_words(words):
            return NO_WORDS
        with self._lock:
            precise, screen = self._get()
            supported = self._ranked(precise, words)
            ranked = self._ranked(screen, words)
        if not supported or not ranked:
            return NO_WORDS
        if supported[0][1] < UNSURE_BELOW or _another_knows_more(words, supported):
            supported = _by_known_words(words, supported)
        best_code, best_conf = supported[0]
        others = (code for code, conf in supported[1:] if conf >= READ_ALSO_MIN)
        reading = (best_code, *others)
        unsupported = self._unsupported(words, ranked[0], reading)
        if unsupported is not None:
            # Read with the nearest supported languages and English, whose loanwords and
            # units ("minutes", "km") every language borrows.
            also = tuple(dict.fromkeys((*reading, ENGLISH)))
            code, conf = unsupported
            return LanguageGuess(code, False, conf, also)
        return LanguageGuess(best_code, True, best_conf, reading)


_WORD = re.compile(r"[^\W\d_]+")


@cache
def _vocabulary(code: str) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """Words a supported language's readers know: frequent check-in words and its sentiment
    lexicon (a set), its lexicon stems, body sites, pain words and units (one pattern)."""
    if code == ENGLISH:
        return en.COMMON_WORDS, None
    spec = SPECS[code]
    terms = read_lexicon(LEXICON_DIR / f"{code}.tsv")
    exact = {t for t in terms if "*" not in t and " " not in t} | set(spec.common_words)
    stems = [re.escape(t.strip("*")) + r"\w*" for t in terms if t.endswith("*")]
    parts = [*stems, *spec.pain.sites.values(), spec.pain.pain_cues, spec.hour_units]
    parts.append(spec.minute_units)
    return frozenset(exact), re.compile("|".join(f"(?:{p})" for p in parts))


def known_words(words: str, code: str) -> int:
    """How many of ``words`` the language ``code`` knows (see ``_vocabulary``)."""
    letters = SPECS[code].letters if code in SPECS else None
    exact, pattern = _vocabulary(code)
    found = _WORD.findall(fold(words, letters))
    return sum(
        w in exact or (pattern is not None and pattern.fullmatch(w) is not None) for w in found
    )


def _by_known_words(words: str, supported: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Candidates of an unsure message, the one that knows most of its words first.

    "sin dolor, genial" is Italian, Spanish or Catalan to lingua at 0.1-0.2 each; Spanish
    knows all three words. Ties keep lingua's order; a message no candidate knows keeps it.
    """
    counts = {code: known_words(words, code) for code, _ in supported}
    if not any(counts.values()):
        return supported
    return sorted(supported, key=lambda pair: -counts[pair[0]])


def _another_knows_more(words: str, supported: list[tuple[str, float]]) -> bool:
    """Another candidate knows at least ``KNOWN_WORDS_LEAD`` more of the words than lingua's
    first ("Swim drills plus a 400 pull set" is German to lingua at 0.7)."""
    first = known_words(words, supported[0][0])
    return any(known_words(words, c) >= first + KNOWN_WORDS_LEAD for c, _ in supported[1:])


def _mostly_known(words: str, candidates: tuple[str, ...]) -> bool:
    """A supported candidate knows half the words or more ("pilates 50 minutos"): answering a
    supported language in English costs more than answering a neighbour (Portuguese) in
    Spanish."""
    total = len(_WORD.findall(words))
    return total > 0 and any(2 * known_words(words, c) >= total for c in candidates)


_DEFAULT = LanguageDetector()


def detect_language(text: str) -> LanguageGuess:
    """The language of one message with the process-wide detector (built on first use)."""
    return _DEFAULT.detect(text)
