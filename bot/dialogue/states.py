"""Where a conversation is: the names stored in ``conversation_state.state``.

Kept apart from the dialogue core so that every feature, and the storage of states, can name
them without the core's imports.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where a conversation is: stored in ``conversation_state.state`` (values are stable)."""

    CONSENT = "consent"
    PROFILE_SEX = "profile_sex"
    PROFILE_BIRTH_YEAR = "profile_birth_year"
    PROFILE_SPORT = "profile_sport"
    CHECKIN_RPE = "checkin_rpe"
    CHECKIN_MINUTES = "checkin_minutes"
    CHECKIN_HOOPER = "checkin_hooper"
    CHECKIN_FEEL = "checkin_feel"
    FORGET_CONFIRM = "forget_confirm"


__all__ = ["State"]
