"""One check-in in any supported language -> ``CheckInReport``: detect, read, never hide pain.

Order: the language is detected (``nlu.detect``); the message is read with the rules of the
most likely supported language (English: ``nlu.extract``, unchanged; the others:
``nlu.multi_extract`` / ``multi_wellness`` / ``multi_pain`` over ``nlu/lang/<code>.py``).
When that language was not sure (``FILL_BELOW``), or the message is in a language we do not
read, the next likely languages fill the fields the first reading left unsaid, so a short
"Pilates 50 Minuten" read as English still has its minutes.
Pain is then looked for in every supported language whatever the detected one, and the sites
of all readings are joined: a mixed or misdetected message must never hide pain.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlu.detect import LanguageGuess, detect_language
from nlu.extract import TIGHT_SORENESS, extract
from nlu.lang import ENGLISH, SPECS, SUPPORTED
from nlu.lang.text import fold
from nlu.multi_extract import read_numbers
from nlu.multi_pain import read_pain_in
from nlu.multi_wellness import read_wellness_in
from nlu.pain import PainSignal, read_pain
from nlu.report import CheckInReport, Sentiment
from nlu.sides import merge_sides

#: Below this detection confidence (among the five languages) the next likely languages
#: fill the fields the first reading left unsaid.
FILL_BELOW = 0.7
_NUMERIC = ("rpe", "minutes", "sleep_h", "distance_km")
_WELLNESS = ("sleep_quality", "fatigue", "soreness", "stress", "mood")


_NOTHING = PainSignal(pain=False, sites=(), mentioned=False, confidence=0.3)
_LATIN = re.compile(r"[A-Za-z]")
_SCRIPTS: dict[str, re.Pattern[str]] = {}


def pain_in(text: str, code: str) -> PainSignal:
    """Pain read with one supported language's words (nothing, fast, without its script)."""
    if code == ENGLISH:
        return read_pain(text) if _LATIN.search(text) else _NOTHING
    spec = SPECS[code]
    script = _SCRIPTS.setdefault(code, re.compile(spec.script))
    return read_pain_in(text, spec) if script.search(text) else _NOTHING


def read_in(text: str, code: str) -> CheckInReport:
    """Every field of ``text`` read with one supported language's rules (no sentiment)."""
    if code == ENGLISH:
        return extract(text)
    spec = SPECS[code]
    numbers = read_numbers(text, spec)
    wellness = read_wellness_in(text, spec)
    pain = read_pain_in(text, spec)
    if pain.watch_sites:
        wellness["soreness"] = max(wellness.get("soreness", TIGHT_SORENESS), TIGHT_SORENESS)
    found = {name: getattr(numbers, name) for name in _NUMERIC}
    confidence = {name: f.confidence for name, f in found.items()}
    confidence["pain"] = pain.confidence
    confidence["exercises"] = 0.0
    for item in _WELLNESS:
        confidence[item] = 0.6 if item in wellness else 0.0
    return CheckInReport(
        text=text,
        rpe=numbers.rpe.value,
        minutes=numbers.minutes.value,
        distance_km=numbers.distance_km.value,
        sleep_h=numbers.sleep_h.value,
        sleep_quality=wellness.get("sleep_quality"),
        fatigue=wellness.get("fatigue"),
        soreness=wellness.get("soreness"),
        stress=wellness.get("stress"),
        mood=wellness.get("mood"),
        pain=pain.pain,
        pain_sites=pain.sites,
        pain_sides=pain.sides,
        watch_sites=pain.watch_sites,
        confidence=confidence,
        rejected={n: f.rejected for n, f in found.items() if f.rejected is not None},
    )


def _fill(report: CheckInReport, other: CheckInReport) -> CheckInReport:
    """Fields ``report`` left unsaid (and did not reject) taken from ``other``."""
    changes: dict[str, object] = {}
    confidence = dict(report.confidence)
    for name in (*_NUMERIC, *_WELLNESS):
        if getattr(report, name) is None and name not in report.rejected:
            value = getattr(other, name)
            if value is not None:
                changes[name] = value
                confidence[name] = other.confidence.get(name, 0.0)
    if not changes:
        return report
    return replace(report, confidence=confidence, **changes)  # type: ignore[arg-type]


def _joined_pain(report: CheckInReport, signals: list[PainSignal]) -> CheckInReport:
    """``report`` with the pain of every language's reading joined in."""
    sites = tuple(dict.fromkeys(s for sig in signals for s in sig.sites))
    watch = tuple(
        dict.fromkeys(s for sig in signals for s in sig.watch_sites if s not in sites)
    )
    pain = any(sig.pain for sig in signals)
    said = [sig for sig in signals if sig.pain] if pain else signals
    confidence = dict(report.confidence)
    confidence["pain"] = max(sig.confidence for sig in said)
    soreness = report.soreness
    if watch and not report.watch_sites:
        soreness = max(soreness or TIGHT_SORENESS, TIGHT_SORENESS)
    sides = merge_sides(
        (site, side) for sig in signals for site, side in sig.sides.items() if site in sites
    )
    return replace(
        report,
        pain=pain,
        pain_sites=sites,
        pain_sides=sides,
        watch_sites=watch,
        soreness=soreness,
        confidence=confidence,
    )


def read_checkin(
    text: str,
    guess: LanguageGuess | None = None,
    sentiment: Sentiment | None = None,
    intent: str | None = None,
) -> CheckInReport:
    """Read one message in whatever supported language it is written (module docstring)."""
    guess = guess or detect_language(text)
    first = guess.reading[0]
    report = read_in(text, first)
    if guess.confidence < FILL_BELOW or not guess.supported:
        for code in dict.fromkeys(guess.reading[1:]):
            report = _fill(report, read_in(text, code))
    signals = [report_signal(report)] + [pain_in(text, c) for c in SUPPORTED if c != first]
    report = _joined_pain(report, signals)
    report.confidence["language"] = guess.confidence
    return replace(
        report,
        language=guess.code,
        language_supported=guess.supported,
        sentiment=sentiment,
        intent=intent,
    )


def report_signal(report: CheckInReport) -> PainSignal:
    """The pain a report already carries, as a signal to join with others."""
    return PainSignal(
        pain=report.pain,
        sites=report.pain_sites,
        mentioned=report.pain,
        confidence=report.confidence.get("pain", 0.3),
        watch_sites=report.watch_sites,
        sides=report.pain_sides,
    )


_INTENTS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}


def intent_in(report: CheckInReport, code: str) -> tuple[str | None, float]:
    """The intent of a message in a language the English classifier was not trained on.

    What the message carries comes first, so pain is never sent to another question: pain is
    ``report_pain``, stated numbers ``check_in``; then the language's intent words
    (``LanguageSpec.intents``: greetings, help, today's plan, why); then wellness words.
    """
    if report.pain:
        return "report_pain", 0.8
    if report.rpe is not None or report.minutes is not None:
        return "check_in", 0.8
    spec = SPECS[code]
    patterns = _INTENTS.get(code)
    if patterns is None:
        patterns = tuple((name, re.compile(p)) for name, p in spec.intents.items())
        _INTENTS[code] = patterns
    norm = fold(report.text, spec.letters)
    for name, pattern in patterns:
        if pattern.search(norm):
            return name, 0.7
    if report.sleep_h is not None or any(getattr(report, n) is not None for n in _WELLNESS):
        return "check_in", 0.6
    return None, 0.0
