"""NLTK VADER, offline, extended with coachloop's sports lexicon.

VADER (Hutto & Gilbert, 2014, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
Social Media Text", ICWSM) scores a text from a valence lexicon plus rules (negation, boosters,
"but", caps, punctuation). Its ``compound`` score is in [-1, 1]; the authors' recommended thresholds
(compound >= 0.05 positive, <= -0.05 negative) give the three-way level.

Offline: NLTK's analyzer reads its lexicon through ``nltk.data.load``, which only accepts a
resource name found on ``nltk.data.path``. The same lexicon ships inside the ``vadersentiment``
PyPI package, so we add that package's directory to ``nltk.data.path`` once and load
``vader_lexicon.txt`` by name. Nothing is ever downloaded.

Sports vocabulary (``nlu/data/sports_lexicon.tsv``) enters through VADER's own lexicon
(``analyzer.lexicon.update``). VADER tokenizes on whitespace, so a multi-word term ("heavy legs",
"crushed it") is first rewritten into one token ("heavylegs") that is in the updated lexicon;
VADER's negation and booster rules then see it as one word ("no heavy legs" is negated).
Emoji are replaced by their names from the ``vadersentiment`` package's emoji lexicon, as the
reference implementation does, so that "😀" scores like "grinning face".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

SPORTS_LEXICON = Path(__file__).resolve().parent / "data" / "sports_lexicon.tsv"

#: Thresholds recommended by the VADER authors (reference implementation README, Hutto 2014).
VADER_POS_THRESHOLD = 0.05
VADER_NEG_THRESHOLD = -0.05


class VaderUnavailableError(RuntimeError):
    """The VADER lexicon could not be found offline."""


def _vader_package_dir() -> Path:
    """Directory of the ``vaderSentiment`` package, which ships ``vader_lexicon.txt``."""
    import importlib.util

    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        raise VaderUnavailableError(
            "The 'vadersentiment' package is not installed; install it with "
            "'pip install vadersentiment' (it ships the VADER lexicon used offline)."
        )
    pkg_dir = Path(next(iter(spec.submodule_search_locations)))
    if not (pkg_dir / "vader_lexicon.txt").is_file():
        raise VaderUnavailableError(
            f"{pkg_dir / 'vader_lexicon.txt'} is missing; reinstall 'vadersentiment'."
        )
    return pkg_dir


def read_sports_lexicon(path: Path = SPORTS_LEXICON) -> dict[str, float]:
    """Read ``term<TAB>valence`` lines (``#`` comments and the header are skipped)."""
    lexicon: dict[str, float] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("term\t"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'term<TAB>valence', got {raw!r}")
        valence = float(parts[1])
        if not -4.0 <= valence <= 4.0:
            raise ValueError(f"{path}:{lineno}: valence {valence} outside VADER's [-4, 4]")
        lexicon[parts[0].strip().lower()] = valence
    return lexicon


_PHRASE_SPLIT = re.compile(r"[\s\-]+")


def _phrase_token(term: str) -> str:
    """One VADER token for a multi-word term: words concatenated ("heavy legs" -> "heavylegs").

    No separator character: NLTK's tokenizer deletes punctuation (``_`` included) when it
    matches words to their punctuated forms, so "heavy_legs," would never be cleaned.
    """
    return "".join(_PHRASE_SPLIT.split(term.strip()))


def _read_emoji_names(pkg_dir: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    path = pkg_dir / "emoji_utf8_lexicon.txt"
    if not path.is_file():
        return names
    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.split("\t")
        if len(parts) >= 2 and parts[0]:
            names[parts[0]] = parts[1].strip()
    return names


@dataclass
class VaderScorer:
    """NLTK VADER + sports lexicon; ``score(text)`` returns VADER's compound in [-1, 1]."""

    analyzer: SentimentIntensityAnalyzer
    phrase_pattern: re.Pattern[str] | None
    emoji: dict[str, str] = field(default_factory=dict)

    def prepare(self, text: str) -> str:
        """Rewrite emoji to their names and multi-word sports terms to single tokens."""
        if self.emoji and any(ord(ch) > 0x2000 for ch in text):
            text = "".join(f" {self.emoji[ch]} " if ch in self.emoji else ch for ch in text)
        if self.phrase_pattern is not None:
            text = self.phrase_pattern.sub(lambda m: _phrase_token(m.group(0).lower()), text)
        return text

    def polarity(self, text: str) -> dict[str, float]:
        """VADER's neg/neu/pos/compound for ``text`` after sports-phrase rewriting."""
        return dict(self.analyzer.polarity_scores(self.prepare(text)))

    def score(self, text: str) -> float:
        """VADER compound score in [-1, 1]."""
        return float(self.polarity(text)["compound"])

    def level(self, text: str) -> int:
        """-1 / 0 / 1 using VADER's published +-0.05 compound thresholds."""
        return vader_level(self.score(text))


def vader_level(compound: float) -> int:
    """Three-way level from a compound score (VADER authors' recommended +-0.05)."""
    if compound >= VADER_POS_THRESHOLD:
        return 1
    if compound <= VADER_NEG_THRESHOLD:
        return -1
    return 0


def _analyzer_class() -> type[SentimentIntensityAnalyzer]:
    """NLTK's analyzer plus the reference implementation's rule for the word "no".

    NLTK's port dropped the reference rule (vaderSentiment 3.3.2, ``sentiment_valence``): "no"
    directly before a sentiment word contributes 0 itself and flips that word by ``N_SCALAR``
    (-0.74). Without it "no pain today" scores negative (-0.67), which is exactly the wrong
    answer for a check-in. We restore the rule as written there, except that a "no" two words
    back only negates when the word between is not itself a sentiment word.
    """
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    class _ReferenceNoAnalyzer(SentimentIntensityAnalyzer):
        def sentiment_valence(  # type: ignore[no-untyped-def]
            self, valence, sentitext, item, i, sentiments
        ):
            words = sentitext.words_and_emoticons
            low = item.lower()
            if low == "no" and i + 1 < len(words) and words[i + 1].lower() in self.lexicon:
                sentiments.append(0.0)
                return sentiments
            sentiments = super().sentiment_valence(valence, sentitext, item, i, sentiments)
            if low in self.lexicon:
                prev1 = words[i - 1].lower() if i > 0 else ""
                prev2 = words[i - 2].lower() if i > 1 else ""
                if prev1 == "no" or (prev2 == "no" and prev1 not in self.lexicon):
                    sentiments[-1] = self.lexicon[low] * self.constants.N_SCALAR
            return sentiments

    return _ReferenceNoAnalyzer


def build_vader(sports_lexicon: Path | None = SPORTS_LEXICON) -> VaderScorer:
    """Build an offline VADER scorer; ``sports_lexicon=None`` gives plain VADER."""
    import nltk

    pkg_dir = _vader_package_dir()
    if str(pkg_dir) not in nltk.data.path:
        nltk.data.path.append(str(pkg_dir))
    analyzer = _analyzer_class()(lexicon_file="vader_lexicon.txt")
    pattern: re.Pattern[str] | None = None
    if sports_lexicon is not None:
        extra = read_sports_lexicon(sports_lexicon)
        analyzer.lexicon.update({_phrase_token(t): v for t, v in extra.items()})
        phrases = sorted((t for t in extra if _PHRASE_SPLIT.search(t)), key=len, reverse=True)
        if phrases:
            alternation = "|".join(
                r"[\s\-]+".join(map(re.escape, _PHRASE_SPLIT.split(p))) for p in phrases
            )
            pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    return VaderScorer(analyzer, pattern, _read_emoji_names(pkg_dir))


@cache
def default_vader() -> VaderScorer:
    """Process-wide cached scorer with the shipped sports lexicon (built on first use)."""
    return build_vader()
