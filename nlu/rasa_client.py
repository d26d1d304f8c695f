"""Ask a running Rasa server for the intent; fall back to our classifier when it is down.

Rasa's HTTP API (``rasa run --enable-api``) answers ``POST /model/parse`` with
``{"text": "hello"}`` by ``{"intent": {"name": ..., "confidence": ...}, ...}``. A chat must not
stall on it, so the timeout is short and every failure (connection, timeout, HTTP error,
unexpected body) means "use our own classifier" rather than an error to the athlete.

After a failure Rasa is skipped for ``backoff_s`` (30 s): a server that is down would otherwise
cost every message the full timeout. The first message after the back-off tries again, so a
restarted server is used within 30 s (a circuit breaker's half-open state, one probe).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nlu.intents import IntentClassifier, default_intent_classifier

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 1.5
DEFAULT_BACKOFF_S = 30.0


@dataclass
class RasaIntentClient:
    """Intent from Rasa at ``url`` (e.g. ``http://127.0.0.1:5005``) with local fallback."""

    url: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    fallback: IntentClassifier | None = None
    #: Seconds to skip Rasa after a failure before trying it again.
    backoff_s: float = DEFAULT_BACKOFF_S
    #: Monotonic clock in seconds (tests pass a fake one).
    clock: Callable[[], float] = time.monotonic
    last_source: str = field(default="", init=False)
    _retry_at: float | None = field(default=None, init=False, repr=False)

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

    @property
    def backing_off(self) -> bool:
        """True while Rasa is skipped after a recent failure."""
        return self._retry_at is not None and self.clock() < self._retry_at

    def intent(self, text: str) -> tuple[str, float]:
        """Ask Rasa (unless backing off after a failure); otherwise use our own classifier."""
        if not self.backing_off:
            try:
                result = self.parse_remote(text)
            except Exception as exc:
                self._retry_at = self.clock() + self.backoff_s
                logger.warning(
                    "Rasa at %s unavailable (%s); using local intent classifier for %.0f s",
                    self.url,
                    type(exc).__name__,
                    self.backoff_s,
                )
            else:
                self._retry_at = None
                self.last_source = "rasa"
                return result
        classifier = self.fallback or default_intent_classifier()
        self.last_source = "local"
        return classifier.rank(text)[0]
