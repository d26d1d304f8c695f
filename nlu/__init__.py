"""Offline understanding of short training check-ins: sentiment, extraction, intents.

Other layers call ``NluEngine.create(backend, model_dir, hf_model).parse(text)``; heavy parts
(NLTK, scikit-learn, torch, transformers) load on first use only.
"""

from nlu.engine import BACKENDS, NluEngine
from nlu.errors import NluConfigError, NluError, SentimentModelMissingError
from nlu.extract import extract
from nlu.pain import SITE_PATTERNS
from nlu.report import CheckInReport, Sentiment

PAIN_SITES: tuple[str, ...] = tuple(SITE_PATTERNS)

__all__ = [
    "BACKENDS",
    "PAIN_SITES",
    "CheckInReport",
    "NluConfigError",
    "NluEngine",
    "NluError",
    "Sentiment",
    "SentimentModelMissingError",
    "extract",
]
