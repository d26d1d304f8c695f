"""The athlete's week in their language: weekday and kind-of-work names, the forms of
/availability, /away and /schedule, and what the stored limits and preferences say.

The parsers (`planner.availability`, `planner.week_prefs`) read localised weekdays, kinds of
work and "off" words, so every example shown here is input they accept in the reader's own
words (``tests/bot/test_no_english_left.py`` parses each language's forms). English keeps the
planner's own wording: its describe methods are what English replies show.
"""

from __future__ import annotations

from bot import i18n
from bot.catalogue_words import listing
from bot.i18n import N_, _, ngettext
from planner.availability import LOCAL_KINDS, LOCAL_OFF, Availability, DayLimit
from planner.sim.athletes import MODALITIES
from planner.week_prefs import DAY_NAMES, WeekPreferences

# TRANSLATORS: an example the /availability parser must accept: weekdays as the language
# abbreviates them (lun, Mo, пн, 周一), kinds of work and the day-off word as listed in
# planner/availability.py (LOCAL_KINDS, LOCAL_OFF).
DAY_FORM = N_("e.g. /availability mon 45; tue off; thu 60 strength flexibility; sat 2x40")
# TRANSLATORS: keep the dates; "exams" and "travel" are the athlete's own words (any text).
AWAY_FORM = N_("e.g. /away 2026-12-10..2026-12-14 exams (or /away 2026-12-10 travel)")
# TRANSLATORS: /schedule input (sessions, minutes, weekdays as the language abbreviates them).
SCHEDULE_EXAMPLE = N_("4 45 mon wed fri sat")
SCHEDULE_USAGE = N_("Send /schedule SESSIONS MINUTES DAYS, e.g. /schedule {example}, or "
                    "/schedule default.")
DEFAULT_WEEK = N_("the default week: 4-6 sessions of 35-60 min, any day")


def day_name(iso_weekday: int) -> str:
    """A weekday as the parsers accept it: "mon", "lun", "Mo", "пн", "周一"."""
    if i18n.current() == i18n.DEFAULT:
        return DAY_NAMES[iso_weekday - 1]
    return str(i18n.babel_locale().days["format"]["abbreviated"][iso_weekday - 1]).rstrip(".")


def day_names() -> str:
    """Every weekday, Monday first, as a list."""
    return listing(day_name(d) for d in range(1, 8))


def kind_name(kind: str) -> str:
    """A kind of work as the /availability parser reads it in this language."""
    words = LOCAL_KINDS.get(i18n.current(), {}).get(kind)
    return words[0] if words else kind


def kind_names() -> str:
    """Every kind of work, as a list."""
    return listing(kind_name(k) for k in MODALITIES)


def off_word() -> str:
    """The word for a day off that the parser reads ("off", "libre", "frei", "выходной")."""
    return LOCAL_OFF.get(i18n.current(), "off")


def day_form() -> str:
    """The /availability example line."""
    return _(DAY_FORM)


def away_form() -> str:
    """The /away example line."""
    return _(AWAY_FORM)


def schedule_usage() -> str:
    """How to set one's week with /schedule."""
    return _(SCHEDULE_USAGE).format(example=_(SCHEDULE_EXAMPLE))


def amount(value: float) -> str:
    """A count of minutes, sessions or days as the language writes it ("45", "22,5")."""
    return f"{value:g}" if i18n.current() == i18n.DEFAULT else i18n.decimal(
        value, 0 if value == int(value) else 1)


def limit_text(limit: DayLimit) -> str:
    """One weekday's limit: "up to 45 min, strength or flexibility", "2 x 40 min", "off"."""
    if i18n.current() == i18n.DEFAULT:
        return limit.describe()
    if limit.minutes == 0:
        return off_word()
    dose = (_("2 x {minutes} min") if limit.sessions == 2
            else _("up to {minutes} min")).format(minutes=amount(limit.minutes))
    if not limit.kinds:
        return dose
    # TRANSLATORS: between kinds of work a day allows, "strength or flexibility"
    return _("{dose}, {kinds}").format(dose=dose, kinds=_(" or ").join(
        kind_name(k) for k in limit.kinds))


def availability_lines(availability: Availability) -> list[str]:
    """One line per limited weekday, Monday first ("Mon: up to 45 min")."""
    if i18n.current() == i18n.DEFAULT:
        return availability.describe_days()
    # TRANSLATORS: a weekday and what it allows, "Mon: up to 45 min" (Chinese: "周一：")
    return [_("{day}: {limit}").format(day=_title(day_name(d)), limit=limit_text(v))
            for d, v in sorted(availability.days.items())]


def _title(name: str) -> str:
    return name[:1].upper() + name[1:]


def week_text(prefs: WeekPreferences | None) -> str:
    """The athlete's week: "4 sessions of 45 min on Mon, Wed, Fri, Sat", or the default."""
    if prefs is None:
        return _(DEFAULT_WEEK)
    if i18n.current() == i18n.DEFAULT:
        return prefs.describe()
    days = listing(day_name(d) for d in sorted(prefs.days))  # mid-sentence: "lun, mié"
    return ngettext("{sessions} session of {minutes} min on {days}",
                    "{sessions} sessions of {minutes} min on {days}", prefs.sessions).format(
        sessions=prefs.sessions, minutes=amount(prefs.minutes), days=days)
