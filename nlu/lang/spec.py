"""What one language contributes to reading a check-in: vocabulary and patterns, no code paths.

Each supported language other than English (whose rules are ``nlu/extract.py`` and
``nlu/pain.py``) is one ``LanguageSpec`` in its own module (``nlu/lang/es.py`` ...). The
readers in ``nlu/multi_extract.py``, ``nlu/multi_pain.py``, ``nlu/multi_wellness.py`` and
``nlu/multi_sentiment.py`` are the same for every language and read only these fields, so
adding a language is adding data.

Patterns are regular-expression sources matched on the text after ``nlu.lang.text.fold``
(NFKC, lower case: full-width digits and punctuation become ASCII). ``{NUM}`` in a pattern
stands for one number of the language (digits or words) and is filled in once, when the
patterns are compiled. Languages written without spaces (Chinese) set ``spaced=False``: words
are then single characters and every window is counted in characters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DurationRule:
    """One way a language says a duration.

    Minutes = ``fixed`` + 60 x group ``h`` + group ``m`` (+ 30 when group ``half`` took part,
    + 15 for group ``quarter``). Groups hold numbers of the language; absent groups count 0.
    ``in_hours`` marks a duration said in hours, as sleep is.
    """

    pattern: str
    fixed: float = 0.0
    in_hours: bool = True


@dataclass(frozen=True, slots=True)
class WellnessRule:
    """Words for one Hooper item (Hooper & Mackinnon 1995) and their base rating 1-7."""

    item: str
    pattern: str
    base: int


@dataclass(frozen=True, slots=True)
class PainLexicon:
    """How a language says pain, where, and how it says there is none.

    ``sites`` maps the canonical sites of ``nlu.pain.SITE_PATTERNS`` to this language's words;
    ``pain_cues`` always signal pain, ``sore_cues`` only on joints and tendons (muscle soreness
    after training is a Hooper item, not an injury), ``tight_cues`` make a site one to watch.
    A cue is cancelled by a negator in the ``negation_window`` words before it, by
    ``post_negation`` right after it ("боли нет") or by ``resolved`` later in its clause ("se
    me pasó"). ``hedges`` before it and ``post_hedges`` after it keep a negated cue as mild
    pain ("no me duele mucho", "не очень болит"), as ``double_negation`` does ("no puedo
    correr sin dolor"). ``history`` before an injury word makes it the past ("tras la
    lesión").
    """

    sites: Mapping[str, str]
    pain_cues: str
    sore_cues: str
    tight_cues: str
    negators: str
    implied_sites: Mapping[str, str] = field(default_factory=dict)
    #: Longer negations that end right before the cue ("没有任何的", "no tengo ningún tipo de").
    negation_phrases: str = r"(?!)"
    post_negation: str = r"(?!)"
    resolved: str = r"(?!)"
    hedges: str = r"(?!)"
    post_hedges: str = r"(?!)"
    double_negation: str = r"(?!)"
    injury_cues: str = r"(?!)"
    history: str = r"(?!)"
    negation_window: int = 3
    #: Side words by side ("left", "right", "both"; see ``nlu.sides``), and whether they may
    #: follow the site ("rodilla izquierda") as well as precede it.
    sides: Mapping[str, str] = field(default_factory=dict)
    side_after: bool = False
    #: Where a negator's scope ends inside a clause: commas, colons, brackets, dashes.
    phrase_break: str = r"[,:;()\u2013\u2014]|\s-\s"


@dataclass(frozen=True, slots=True)
class SentimentLexicon:
    """Words that move sentiment in this language, and the rules VADER applies to them.

    The valences themselves live in ``nlu/data/sentiment/<code>.tsv`` (Hutto & Gilbert's
    -4..4 scale); a trailing ``*`` there is a stem ("отличн*" covers отлично, отличная).
    """

    negators: str
    boosters: str
    dampeners: str
    contrast: str
    #: A model shipped in a package for this language (``"snownlp"``), or None.
    model: str | None = None


@dataclass(frozen=True, slots=True)
class NumberReader:
    """One number of the language as a regex source, and its value."""

    pattern: str
    value: Callable[[str], float | None]


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    """Everything ``nlu`` knows about one language (see the module docstring)."""

    code: str
    name: str
    numbers: NumberReader
    hour_units: str
    minute_units: str
    durations: tuple[DurationRule, ...]
    rpe_keys: str
    rpe_fillers: str
    out_of_ten: str
    rpe_rated: tuple[str, ...]
    not_rpe_before: str
    sleep_words: str
    distance_units: Mapping[str, float]
    wellness: tuple[WellnessRule, ...]
    wellness_negator: str
    intensifiers: str
    softeners: str
    pain: PainLexicon
    sentiment: SentimentLexicon
    clause_split: str
    #: Words right after a duration that make it a warm-up or a repetition, not the session.
    not_session_after: str = r"(?!)"
    #: Words right before a duration that make it one repetition ("4 series de", "4 по").
    repetition_before: str = r"(?!)"
    #: Words right before a number that make it a time of day ("a las", "um", "в").
    time_of_day_before: str = r"(?!)"
    #: Intents said in this language (``nlu/data/nlu.yml`` trains English only).
    intents: Mapping[str, str] = field(default_factory=dict)
    #: Frequent words of check-ins (function words, training words): with the sentiment
    #: lexicon they tell a short message's language when lingua is unsure (``nlu.detect``).
    common_words: frozenset[str] = frozenset()
    #: Letters folded before matching (see ``nlu.lang.text.fold``): patterns use the result.
    letters: Mapping[str, str] = field(default_factory=dict)
    #: Characters without which no word of the language can stand in a text: a reader skips
    #: a text that has none (Russian words in a text without Cyrillic letters).
    script: str = r"[^\W\d_]"
    spaced: bool = True
