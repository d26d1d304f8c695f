"""The one entry point other layers call: ``NluEngine.create(...).parse(text)``.

Backends: ``vader`` (NLTK VADER + sports lexicon; never imports torch), ``transformer``
(MiniLM + our head, or a named Hugging Face model), ``ensemble`` (both, combined by
``nlu.ensemble``), ``rasa`` (ensemble sentiment; intents from a Rasa server with our classifier
as fall-back). The backend is English's: each message's language is detected first
(``nlu.detect``), and Spanish, German, Russian and Chinese are read by their own lexicons,
models and intent words (``nlu.multi_sentiment``, ``nlu.reading``), whatever the backend.
Everything is loaded on first use and kept: creating an engine is free, the first
``sentiment`` call pays for the backend it needs, later calls only compute.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from nlu.detect import LanguageGuess, detect_language
from nlu.ensemble import DEFAULT_THRESHOLD, DEFAULT_WEIGHT, combine
from nlu.errors import NluConfigError
from nlu.lang import ENGLISH
from nlu.pain import read_pain
from nlu.reading import intent_in, read_checkin
from nlu.report import CheckInReport, Sentiment

#: Intents under which the dialogue stores a check-in with its pain.
PAIN_INTENTS = ("check_in", "report_pain")

BACKENDS = ("vader", "transformer", "ensemble", "rasa")


class NluEngine:
    """Sentiment, extraction and intent for short check-ins, with lazily loaded backends."""

    _instances: ClassVar[dict[tuple[str, Path | None, str | None, str | None], NluEngine]] = {}
    _instances_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        backend: str = "ensemble",
        model_dir: Path | None = None,
        hf_model: str | None = None,
        rasa_url: str | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise NluConfigError(
                f"Unknown NLU backend {backend!r}: choose one of {', '.join(BACKENDS)}."
            )
        if backend == "rasa" and not rasa_url:
            raise NluConfigError("NLU_BACKEND=rasa needs RASA_URL (e.g. http://127.0.0.1:5005).")
        self.backend = backend
        self.model_dir = model_dir
        self.hf_model = hf_model
        self.rasa_url = rasa_url
        self._lock = threading.Lock()
        self._vader: Any = None
        self._transformer: Any = None
        self._intents: Any = None
        self._rasa: Any = None
        self._languages: Any = None

    @classmethod
    def create(
        cls,
        backend: str = "ensemble",
        model_dir: Path | None = None,
        hf_model: str | None = None,
        rasa_url: str | None = None,
    ) -> NluEngine:
        """Shared engine for this configuration (one per process; loading happens on first use)."""
        key = (backend, model_dir, hf_model, rasa_url)
        with cls._instances_lock:
            engine = cls._instances.get(key)
            if engine is None:
                engine = cls(backend, model_dir, hf_model, rasa_url)
                cls._instances[key] = engine
            return engine

    # -- lazily loaded parts -------------------------------------------------------------
    def _get_vader(self) -> Any:
        if self._vader is None:
            from nlu.vader import default_vader

            self._vader = default_vader()
        return self._vader

    def _get_transformer(self) -> Any:
        with self._lock:
            if self._transformer is None:
                from nlu.sentiment_transformer import load_transformer

                self._transformer = load_transformer(self.model_dir, self.hf_model)
            return self._transformer

    def _get_languages(self) -> Any:
        with self._lock:
            if self._languages is None:
                from nlu.multi_sentiment import MultilingualSentiment

                self._languages = MultilingualSentiment()
            return self._languages

    def _ensemble_params(self) -> tuple[float, float]:
        """Weight and threshold fitted with the head (defaults for a user-named HF model)."""
        head = getattr(self._get_transformer(), "head", None)
        metrics = head.manifest.get("metrics", {}) if head is not None else {}
        return (
            float(metrics.get("ensemble_weight_transformer", DEFAULT_WEIGHT)),
            float(metrics.get("ensemble_threshold", DEFAULT_THRESHOLD)),
        )

    # -- sentiment -----------------------------------------------------------------------
    def sentiment(self, text: str) -> Sentiment:
        """Sentiment of one text with the configured backend."""
        return self.sentiment_many([text])[0]

    def sentiment_many(self, texts: list[str]) -> list[Sentiment]:
        """Sentiment of many texts, each in its own language (the transformer runs in batches)."""
        return self._sentiments(texts, [detect_language(t) for t in texts])

    def _sentiments(self, texts: list[str], guesses: list[LanguageGuess]) -> list[Sentiment]:
        """English (and what we cannot read) through the configured backend; Spanish, German,
        Russian and Chinese through their lexicons and models (``nlu.multi_sentiment``)."""
        routes = [_route(g) for g in guesses]
        english = [i for i, route in enumerate(routes) if route == ENGLISH]
        out: dict[int, Sentiment] = dict(
            zip(english, self._english_sentiments([texts[i] for i in english]), strict=True)
        )
        for i, route in enumerate(routes):
            if route != ENGLISH:
                out[i] = self._get_languages().sentiment(texts[i], route)
        return [out[i] for i in range(len(texts))]

    def _english_sentiments(self, texts: list[str]) -> list[Sentiment]:
        if not texts:
            return []
        from nlu.vader import vader_level

        mode = "ensemble" if self.backend == "rasa" else self.backend
        vader_scores: list[float] = []
        if mode in ("vader", "ensemble"):
            vader = self._get_vader()
            vader_scores = [vader.score(t) for t in texts]
        if mode == "vader":
            return [Sentiment(s, vader_level(s), {"vader": s}) for s in vader_scores]
        from nlu.sentiment_transformer import scores_from_proba

        t_scores, t_levels = scores_from_proba(self._get_transformer().predict_proba(list(texts)))
        if mode == "transformer":
            return [
                Sentiment(s, lvl, {"transformer": s})
                for s, lvl in zip(t_scores, t_levels, strict=True)
            ]
        weight, threshold = self._ensemble_params()
        return [
            combine(v, t, weight, threshold) for v, t in zip(vader_scores, t_scores, strict=True)
        ]

    # -- intents -------------------------------------------------------------------------
    def intent(self, text: str) -> tuple[str | None, float]:
        """Top intent and its probability (Rasa first when configured); None for blank text."""
        if not text.strip():
            return None, 0.0
        if self.backend == "rasa":
            if self._rasa is None:
                from nlu.rasa_client import RasaIntentClient

                self._rasa = RasaIntentClient(str(self.rasa_url))
            result: tuple[str | None, float] = self._rasa.intent(text)
            return result
        if self._intents is None:
            from nlu.intents import default_intent_classifier

            self._intents = default_intent_classifier()
        top: tuple[str | None, float] = self._intents.rank(text)[0]
        return top

    # -- everything ----------------------------------------------------------------------
    def parse(self, text: str) -> CheckInReport:
        """Extract fields, sentiment and intent from one message."""
        return self.parse_many([text])[0]

    def parse_many(self, texts: list[str]) -> list[CheckInReport]:
        """``parse`` for many texts, with batched sentiment (the one code path for both)."""
        guesses = [detect_language(t) for t in texts]
        return [
            self._report(text, sentiment, guess)
            for text, sentiment, guess in zip(
                texts, self._sentiments(texts, guesses), guesses, strict=True
            )
        ]

    def _report(self, text: str, sentiment: Sentiment, guess: LanguageGuess) -> CheckInReport:
        route = _route(guess)
        if route == ENGLISH:
            intent, intent_conf = self.intent(text)
            report = read_checkin(text, guess, sentiment=sentiment, intent=intent)
            if report.pain and intent not in PAIN_INTENTS and not read_pain(text).pain:
                # Pain only another language's words said ("rpe 7, me duele la rodilla"):
                # the English classifier must not send it elsewhere.
                intent, intent_conf = "report_pain", 0.8
        else:
            report = read_checkin(text, guess, sentiment=sentiment)
            intent, intent_conf = intent_in(report, route)
        report = replace(report, intent=intent)
        report.confidence["intent"] = intent_conf
        # A strong score is a surer level; blank text says nothing.
        report.confidence["sentiment"] = (
            min(1.0, abs(sentiment.score) + 0.5) if text.strip() else 0.0
        )
        return report


def _route(guess: LanguageGuess) -> str:
    """The language whose sentiment and intents read a message: English for what we do not
    read and for messages without words (as before languages were read)."""
    return guess.reading[0] if guess.code is not None and guess.supported else ENGLISH
