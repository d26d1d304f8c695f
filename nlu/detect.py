"""Which language a message is written in, and which supported languages to read it with.

lingua (Stahl, lingua-py; its n-gram models ship inside the wheel, nothing is downloaded)
is built once from the five supported languages plus ``OTHERS``, the languages a Telegram
athlete is most likely to write in that coachloop does not read: without them lingua can only
answer with a supported language, and a French or Ukrainian check-in would be read as
English or Russian and answered as if it were. The detector runs in its high-accuracy mode:
the low-accuracy mode is about five times faster but, on the tuning check-ins, put several
short Spanish, German and Russian messages in another language (docs/nlu.md has the numbers).
When lingua is unsure (a short message: "sin dolor, genial", "rpe 7, 1h15 run, slept 6h"),
the supported candidate that knows most of the message's words wins.

What lingua reads is the message without the tokens every language shares (digits, units,
"rpe", punctuation, emoji): "RPE 7, 60 min" has no words, so its language is ``None`` (not
a language) and it is read with every reader's shared forms. A message counts as unsupported
only when an unsupported language is clearly ahead (``UNSUPPORTED_MIN`` and the best
supported language under ``SUPPORTED_MAX``) and no supported language knows most of its words;
otherwise the best supported language wins, since
answering a supported language in English costs more than the other way round. Pain words are
looked for in every supported language anyway (``nlu.reading``).
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
#: Below this confidence of the likeliest supported language, the candidates are ranked by
#: how many of the message's words they know (``_by_known_words``).
UNSURE_BELOW = 0.3
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
    """lingua over the supported languages and ``OTHERS``, built on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._detector: Any = None
        self._names: dict[Any, str] = {}

    def _get(self) -> Any:
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            languages = [getattr(Language, n) for n in (*LINGUA_SUPPORTED.values(), *OTHERS)]
            self._names = {lang: lang.iso_code_639_1.name.lower() for lang in languages}
            self._detector = LanguageDetectorBuilder.from_languages(*languages).build()
        return self._detector

    def detect(self, text: str) -> LanguageGuess:
        """The language of ``text`` (see the module docstring for the decision)."""
        words = words_of(text)
        if not has_words(words):
            return NO_WORDS
        with self._lock:
            values = self._get().compute_language_confidence_values(words)
            # Rounded: lingua's sums differ in the last bits from call to call.
            ranked = [(self._names[v.language], round(float(v.value), 3)) for v in values]
        if not ranked:
            return NO_WORDS
        supported = [(code, conf) for code, conf in ranked if code in SUPPORTED]
        best_code, best_conf = supported[0]
        if best_conf < UNSURE_BELOW:
            supported = _by_known_words(words, supported)
            best_code, best_conf = supported[0]
        others = (code for code, conf in supported[1:] if conf >= READ_ALSO_MIN)
        reading = (best_code, *others)
        top_code, top_conf = ranked[0]
        enough = len(words.split()) >= MIN_WORDS_UNSUPPORTED or len(_CJK.findall(words)) >= 3
        if (
            enough
            and top_code not in SUPPORTED
            and top_conf >= UNSUPPORTED_MIN
            and best_conf < SUPPORTED_MAX
            and not _mostly_known(words, reading)
        ):
            # Read with the nearest supported languages and English, whose loanwords and
            # units ("minutes", "km") every language borrows.
            also = tuple(dict.fromkeys((*reading, ENGLISH)))
            return LanguageGuess(top_code, False, top_conf, also)
        return LanguageGuess(best_code, True, best_conf, reading)


_WORD = re.compile(r"[^\W\d_]+")


@cache
def _vocabulary(code: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Words (and stems) a supported language's readers know: frequent check-in words and
    its sentiment lexicon."""
    if code == ENGLISH:
        return en.COMMON_WORDS, ()
    spec = SPECS[code]
    terms = read_lexicon(LEXICON_DIR / f"{code}.tsv")
    exact = {t for t in terms if "*" not in t and " " not in t} | set(spec.common_words)
    stems = tuple(t.strip("*") for t in terms if t.endswith("*") and not t.startswith("*"))
    return frozenset(exact), stems


def known_words(words: str, code: str) -> int:
    """How many of ``words`` the language ``code`` knows (see ``_vocabulary``)."""
    letters = SPECS[code].letters if code in SPECS else None
    exact, stems = _vocabulary(code)
    found = _WORD.findall(fold(words, letters))
    return sum(w in exact or any(w.startswith(s) for s in stems) for w in found)


def _by_known_words(words: str, supported: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Candidates of an unsure message, the one that knows most of its words first.

    "sin dolor, genial" is Italian, Spanish or Catalan to lingua at 0.1-0.2 each; Spanish
    knows all three words. Ties keep lingua's order; a message no candidate knows keeps it.
    """
    counts = {code: known_words(words, code) for code, _ in supported}
    if not any(counts.values()):
        return supported
    return sorted(supported, key=lambda pair: -counts[pair[0]])


def _mostly_known(words: str, candidates: tuple[str, ...]) -> bool:
    """A supported candidate knows more than half the words ("rpe 6, pesas y sentadillas")."""
    total = len(_WORD.findall(words))
    return total > 0 and any(2 * known_words(words, c) > total for c in candidates)


_DEFAULT = LanguageDetector()


def detect_language(text: str) -> LanguageGuess:
    """The language of one message with the process-wide detector (built on first use)."""
    return _DEFAULT.detect(text)
