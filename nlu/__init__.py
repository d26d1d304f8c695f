"""Offline understanding of short training check-ins: sentiment, extraction, intents."""

from nlu.report import CheckInReport, Sentiment

__all__ = ["CheckInReport", "Sentiment"]
