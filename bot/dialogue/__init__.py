"""The channel-agnostic dialogue: roles, consent, conversation states, replies."""

from bot.dialogue.core import Dialogue, Understander

__all__ = ["Dialogue", "Understander"]
