"""Typed results of reading one chat message: what the athlete said, and how sure we are.

`CheckInReport` is the contract between `nlu/` and the rest of coachloop: the dialogue core asks
only for the fields that are missing (``None``), and the planner reads pain sites as safety flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Sentiment:
    """Sentiment of one text.

    ``score`` is in [-1, 1]; ``level`` is the PE-teaching paper's three-way level (-1, 0, 1);
    ``backends`` keeps each backend's own score (e.g. ``{"vader": 0.4, "transformer": 0.7}``)
    so that a stored check-in can always be re-explained.
    """

    score: float
    level: int
    backends: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckInReport:
    """Everything extracted from a free-text check-in; ``None`` means "not said".

    Wellness items use the Hooper scale (1 = very good ... 7 = very bad). ``confidence`` maps a
    field name to a value in [0, 1]; the dialogue asks again for fields below its threshold.
    Pain sites are canonical names from ``nlu.pain.SITE_PATTERNS`` (``"knee"``, ``"lower_back"``).
    ``pain`` with no ``pain_sites`` ("it hurts") is pain said without a body site: still a
    safety flag (``pain_unlocated``), which the dialogue stores as site ``"unspecified"`` and
    asks where. ``watch_sites`` are sites said to be tight, not painful: watch, not guard.

    ``language`` is the ISO 639-1 code of the message's language ("en", "es", "de", "ru",
    "zh"; another code such as "fr" for a language coachloop does not read) or ``None`` when
    the message has no words to tell ("RPE 7, 60 min"). ``language_supported`` is False only
    for a language we do not read: the bot then answers in English and asks for the numbers
    (pain words are still looked for in every supported language, see ``nlu.reading``).
    """

    text: str
    rpe: float | None = None
    minutes: float | None = None
    distance_km: float | None = None
    sleep_h: float | None = None
    sleep_quality: int | None = None
    fatigue: int | None = None
    soreness: int | None = None
    stress: int | None = None
    mood: int | None = None
    pain: bool = False
    pain_sites: tuple[str, ...] = ()
    watch_sites: tuple[str, ...] = ()
    #: The side said of a pain site ({"knee": "left"}); ``pain_sites`` stay canonical names.
    pain_sides: dict[str, str] = field(default_factory=dict)
    exercises: tuple[str, ...] = ()
    sentiment: Sentiment | None = None
    intent: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    #: Values the athlete stated but that fall outside the field's valid range (e.g. "rpe 14"):
    #: not extracted (the field stays ``None``, confidence 0) so the dialogue can ask again.
    rejected: dict[str, float] = field(default_factory=dict)
    language: str | None = None
    language_supported: bool = True

    @property
    def pain_unlocated(self) -> bool:
        """Pain was reported but no body site was named ("it hurts", "something hurts")."""
        return self.pain and not self.pain_sites
