"""A value typed by the athlete that the pure core refuses, as a code and its values.

The core's parsers (`planner.availability`, `planner.week_prefs`) check what the athlete typed
and say what is wrong. Their English sentence stays the exception's text (logs, English
replies); ``code`` and ``params`` let the interface word the same refusal in the reader's
language without parsing that sentence, and without the core importing any catalog.
"""

from __future__ import annotations


class InputError(ValueError):
    """``code`` names the problem ("not_weekday"), ``params`` hold the values it quotes
    (the word typed, a limit, a day as an ISO weekday or a date); ``str()`` is the English."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
