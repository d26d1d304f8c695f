"""The coach's morning digest worded in the coach's language: the message, the PNG table and
its cells (`planner.digest` ranks the athletes and gives each flag's inputs,
`bot.services.digest` reads them from storage).

English reads as it always did: the flags' own sentences, "Thu 03 Dec", "1.02", "70%". The
table is drawn in English when the coach's language needs a font that is not installed
(`bot.chart_text.chart_language`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session as DbSession

from bot import i18n
from bot.chart_text import chart_language, chart_text
from bot.flag_text import flag_label, triage_text
from bot.i18n import N_, _
from bot.services.digest import Digest, TeamDay, team_day
from planner.charts import table_png
from planner.digest import DigestRow
from storage.schema import Person

DOTS = {"red": "🔴", "amber": "🟡", "green": "🟢"}
LEVELS = {"red": N_("red"), "amber": N_("amber"), "green": N_("green")}
TABLE_HEADER = (N_("athlete"), N_("level"), N_("ACWR"), N_("load 7d (AU)"),
                N_("compliance 7d"), N_("flags"))


def digest_text(rows: Sequence[DigestRow], today: dt.date, title: str) -> str:
    """The digest message: who needs attention (each flag with its rule), then the others."""
    need = [r for r in rows if r.level != "green"]
    fine = [r for r in rows if r.level == "green"]
    lines = ["☀️ " + _("{title}, {day}: {need} of {total} need attention.").format(
        title=title, day=i18n.day_label(today), need=len(need), total=len(rows))]
    if need:
        lines.append(_("Who needs attention:"))
    for r in need:
        lines.append(f"{DOTS[r.level]} {r.name}{_numbers(r)}")
        lines += [f"   - {triage_text(f)}" for f in r.flags]
    if fine:
        lines.append(_("No flag: {athletes}").format(athletes=", ".join(
            f"{r.name}{_numbers(r)}" + "".join(f" - {triage_text(f)}" for f in r.flags)
            for r in fine)))
    lines.append(_("Flags compare each athlete with their own last 28 days; they describe "
                   "load and self-report, not a prediction of injury."))
    return "\n".join(lines)


def _numbers(r: DigestRow) -> str:
    acwr = i18n.decimal(r.acwr, 2) if r.acwr is not None else _("n/a")
    comp = (", " + _("compliance {percent}/7d").format(percent=i18n.percent(r.compliance))
            if r.compliance is not None else "")
    load = _("ACWR {acwr}, load {load} AU/7d").format(acwr=acwr, load=i18n.decimal(r.load_7d))
    return f" ({load}{comp})"


def table_header() -> list[str]:
    """The PNG table's column names."""
    return [_(name) for name in TABLE_HEADER]


def table_rows(rows: Sequence[DigestRow]) -> list[list[str]]:
    """The PNG table's cells: name, level, ACWR, 7-day load, compliance, flags."""
    return [[r.name, _(LEVELS[r.level]),
             i18n.decimal(r.acwr, 2) if r.acwr is not None else _("n/a"),
             i18n.decimal(r.load_7d),
             i18n.percent(r.compliance) if r.compliance is not None else "-",
             ", ".join(flag_label(f.code) for f in r.flags) or "-"] for r in rows]


def digest_of(team: TeamDay) -> Digest:
    """The digest's message and table, in the coach's language."""
    rows = [row for _person, row in team.rows]
    with i18n.language(team.language or i18n.current()):
        text = digest_text(rows, team.today, team.title)
        with i18n.language(chart_language()):
            png = table_png(table_header(), table_rows(rows),
                            title=f"{team.title}: {i18n.day_label(team.today)}",
                            levels=[r.level for r in rows],
                            text=chart_text(r.name for r in rows))
    return Digest(text, png, team.rows)


def build_digest(db: DbSession, coach: Person, now: dt.datetime,
                 default_tz: str) -> Digest | None:
    """The digest of every team the coach leads (None without athletes), worded."""
    team = team_day(db, coach, now, default_tz)
    return None if team is None else digest_of(team)
