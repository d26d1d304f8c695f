"""NLU errors with messages a user can act on."""

from __future__ import annotations


class NluError(RuntimeError):
    """Base class for coachloop NLU errors."""


class SentimentModelMissingError(NluError):
    """A configured sentiment model (head, encoder or Hugging Face model) is not available."""


class NluConfigError(NluError, ValueError):
    """The NLU configuration is invalid (unknown backend, Rasa without a URL, ...)."""
