"""/digest: a coach's daily digest, its time in their time zone, and the digest now.

Private only: the digest names each athlete's flags (pain among them), so it never runs in a
group chat. The time travels to the adapter in ``Reply.meta["digest"]``, as a reminder's does,
so the job is scheduled when the answer is sent; `bot.digests` rebuilds the jobs at start.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.dialogue import coaching
from bot.dialogue.core import CommandHelp, Feature
from bot.dialogue.teams import need, staff_groups
from bot.digest_text import build_digest
from bot.i18n import N_, _
from bot.replies import Reply
from storage import people

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue, Turn

DIGEST_META = "digest"
DIGEST_FORM = N_("/digest 07:30 [Area/City] (24-hour clock), /digest off or /digest now")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def digest_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/digest HH:MM [Area/City] | /digest off | /digest now | /digest."""
    coach = need(dialogue, turn)
    if not [g for g in staff_groups(turn, coach) if g.kind == "team"]:
        return [Reply(_("Only a team's coach gets a digest: /team create NAME first."))]
    word = args[0].lower() if args else ""
    if not args:
        when = coach.digest_time or _("off")
        return [Reply(_("Your daily digest: {when} ({zone}). {form}.").format(
            when=when, zone=coach.timezone, form=_(DIGEST_FORM)))]
    if word == "off" and len(args) == 1:
        people.update_profile(coach, digest_time=None)
        return [Reply(_("Daily digest off."), meta={DIGEST_META: "off"})]
    if word == "now" and len(args) == 1:
        digest = build_digest(turn.db, coach, turn.inc.received_at, dialogue.timezone)
        if digest is None:
            return [Reply(_("Your teams have no athletes yet: share your invite code (/team)."))]
        return [digest.reply()]
    match = _TIME.match(word)
    if match is None or len(args) > 2:
        return [Reply(_("Say the time like this: {form}.").format(form=_(DIGEST_FORM)))]
    zone = coach.timezone
    if len(args) == 2:
        try:
            ZoneInfo(args[1])
        except (ZoneInfoNotFoundError, ValueError):
            return [Reply(_("I don't know the time zone '{zone}': {form}, e.g. /digest 07:30 "
                            "Europe/Rome.").format(zone=args[1][:40], form=_(DIGEST_FORM)))]
        zone = args[1]
    when = f"{int(match.group(1)):02d}:{match.group(2)}"
    people.update_profile(coach, digest_time=when, timezone=zone)
    return [Reply(_("Your digest comes every day at {when} ({zone}): who needs attention "
                    "first, a table, and a button per athlete. Athletes without a check-in for "
                    "2 days get one gentle nudge.").format(when=when, zone=zone),
                  meta={DIGEST_META: f"{when} {zone}"})]


def status_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """A digest's athlete button: their /status."""
    if not value.isdigit():
        return [Reply(_("That button is not one of mine."))]
    return coaching.status(dialogue, turn, [value])


def feature() -> Feature:
    """The coach's morning digest."""
    return Feature(
        commands={"digest": digest_cmd},
        buttons={"dgst": status_button},
        help={"digest": CommandHelp("/digest 07:30", N_("a daily digest: who needs attention "
                                    "(/digest now, /digest off)"), staff=True,
                                    menu=N_("coaches: daily digest"), rank=67)},
    )
