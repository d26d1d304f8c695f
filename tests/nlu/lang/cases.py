"""The checks every language's test module runs on its own sentences."""

from __future__ import annotations

from nlu.multi_sentiment import MultilingualSentiment
from nlu.reading import read_checkin

_SENTIMENT = MultilingualSentiment()


def sites_of(text: str) -> tuple[str, ...]:
    """Flagged sites of a message, ("unspecified",) for pain without a site, () for none."""
    report = read_checkin(text)
    return report.pain_sites or (("unspecified",) if report.pain else ())


def level_of(text: str, code: str) -> int:
    """The shipped ensemble's three-way sentiment level of a text read as ``code``."""
    return _SENTIMENT.sentiment(text, code).level
