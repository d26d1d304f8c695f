"""What a chat message carries for a check-in, and how it merges into the one being built.

Pure over `nlu.report.CheckInReport` and the dict a check-in collects (no storage, no
Telegram): which messages are check-ins, which stated numbers were out of range, and how a
restatement replaces an earlier value while implied wellness only fills gaps.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import N_, _
from bot.replies import Reply
from nlu.report import CheckInReport
from planner.session import UNSPECIFIED_PAIN_SITE

HOOPER_ITEMS = ("sleep_quality", "stress", "fatigue", "soreness")
NUMBERS = ("rpe", "minutes", "sleep_h", "sleep_quality", "fatigue", "soreness", "stress", "mood")
RESTATED = ("rpe", "minutes", "sleep_h")  # read from explicit numbers only: a restatement
LIMITS = {"rpe": (N_("RPE"), N_("0 to 10")), "minutes": (N_("minutes"), N_("1 to 600")),
          "sleep_h": (N_("hours of sleep"), N_("0 to 16"))}


def reads_like_checkin(report: CheckInReport) -> bool:
    """A text that reports training or pain (a number, a pain word, the check-in intent)."""
    return (report.rpe is not None or report.minutes is not None or report.pain
            or report.intent in ("check_in", "report_pain"))


def states_numbers_or_pain(report: CheckInReport) -> bool:
    """A text that states an RPE, minutes or pain: a check-in even where another question was
    asked (an intent alone, like a sport's name read as "check-in", is not enough there)."""
    return report.rpe is not None or report.minutes is not None or report.pain


def carries_content(report: CheckInReport | None) -> bool:
    """Anything a check-in can use: training numbers, wellness items, sleep or pain."""
    if report is None:
        return False
    wellness = any(getattr(report, name) is not None for name in NUMBERS)
    return wellness or reads_like_checkin(report) or bool(report.pain_sites)


def rejected(report: CheckInReport) -> list[Reply]:
    """Say which stated numbers were out of range, so the follow-up question makes sense."""
    notes = []
    for name, value in report.rejected.items():
        label, allowed = LIMITS.get(name, (name, N_("a sensible range")))
        notes.append(_("{label} {value} can't be right ({allowed})").format(
            label=_(label), value=f"{value:g}", allowed=_(allowed)))
    return [Reply("; ".join(notes) + ".")] if notes else []


def merge_report(data: dict[str, Any], report: CheckInReport, *,
                 overwrite_numbers: bool) -> list[tuple[str, Any, Any]]:
    """Copy what the text said into the collected values; returns the replaced ones.

    With ``overwrite_numbers`` a stated RPE, minutes or hours of sleep replace the earlier
    value (they are only read from explicit numbers: "it was RPE 4"); wellness items the text
    merely implies ("hamstring a bit tight") fill a gap but never replace an answer. A
    replaced value is ``(field, old, new)``: what a correction changed, for the confirmation.
    """
    changes: list[tuple[str, Any, Any]] = []
    for name in NUMBERS:
        value = getattr(report, name)
        if value is None:
            continue
        old = data.get(name)
        if old is None:
            data[name] = value
        elif overwrite_numbers and name in RESTATED and old != value:
            changes.append((name, old, value))
            data[name] = value
    sites = set(report.pain_sites)
    if report.pain and not sites:
        # Pain without a body site is still a safety flag: stored as "unspecified" so the
        # planner forbids any increase, and the athlete is asked where it hurts.
        sites = {UNSPECIFIED_PAIN_SITE}
    if sites:
        known = set(data.get("pain_sites", [])) | sites
        if len(known) > 1:
            known.discard(UNSPECIFIED_PAIN_SITE)
        data["pain_sites"] = sorted(known)
        sides = {**data.get("pain_sides", {}), **dict(report.pain_sides)}
        data["pain_sides"] = {s: side for s, side in sides.items() if s in known}
    if report.sentiment is not None:
        data["sentiment_score"] = report.sentiment.score
        data["sentiment_level"] = report.sentiment.level
        data["sentiment_backends"] = dict(report.sentiment.backends)
    return changes


def append_text(data: dict[str, Any], text: str) -> None:
    """Keep every message's words: the free text is what the sentiment and the coach read."""
    text = text.strip()
    if not text or text.lower() == "skip":
        return
    before = data.get("free_text")
    data["free_text"] = (f"{before} / {text}" if before else text)[:4000]
