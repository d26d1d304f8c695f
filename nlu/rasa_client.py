"""Ask a running Rasa server for the intent; fall back to our classifier when it is down.

Rasa's HTTP API (``rasa run --enable-api``) answers ``POST /model/parse`` with
``{"text": "hello"}`` by ``{"intent": {"name": ..., "confidence": ...}, ...}``. A chat must not
stall on it, so the timeout is short and every failure (connection, timeout, HTTP error,
unexpected body) means "use our own classifier" rather than an error to the athlete.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from nlu.intents import IntentClassifier, default_intent_classifier

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 1.5


@dataclass
class RasaIntentClient:
    """Intent from Rasa at ``url`` (e.g. ``http://127.0.0.1:5005``) with local fallback."""

    url: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    fallback: IntentClassifier | None = None
    last_source: str = field(default="", init=False)

    def parse_remote(self, text: str) -> tuple[str, float]:
        """Rasa's top intent and confidence; raises on any failure."""
        import httpx

        response = httpx.post(
            f"{self.url.rstrip('/')}/model/parse", json={"text": text}, timeout=self.timeout_s
        )
        response.raise_for_status()
        body: Any = response.json()
        intent = body.get("intent") or {}
        name = intent.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("Rasa returned no intent name")
        return name, float(intent.get("confidence") or 0.0)

    def intent(self, text: str) -> tuple[str, float]:
        """Ask Rasa; on any failure use our own classifier."""
        try:
            result = self.parse_remote(text)
            self.last_source = "rasa"
            return result
        except Exception as exc:
            logger.warning(
                "Rasa at %s unavailable (%s); using local intent classifier",
                self.url,
                type(exc).__name__,
            )
        classifier = self.fallback or default_intent_classifier()
        self.last_source = "local"
        return classifier.rank(text)[0]
