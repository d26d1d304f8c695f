"""Render the user guides' terminal sessions as PNG screenshots (docs/img/).

Runs `coachloop chat --as ROLE` on a scripted conversation in a throw-away data directory and
draws the real transcript as a terminal window. Re-run after changing the dialogue:

    .venv/bin/python docs/make_screens.py

Each screenshot is a list of steps (role, lines, shown) run one after the other against the
same data directory. A hidden step is another persona's chat (an athlete joining the coach's
team) that the screenshot does not draw; `{code}` in a line is the invite code printed by an
earlier step, and `{days}` three training days starting today (so /today is a session).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

OUT = Path(__file__).with_name("img")
PROFILE = ["/start", "1", "1", "2007", "running"]
SCRIPTS: dict[str, list[tuple[str, list[str], bool]]] = {
    # consent and profile, the week (/schedule), today's session and why, the check-in
    "athlete": [("athlete", [*PROFILE, "/schedule 3 50 {days}", "/today", "/why", "/checkin",
                             "6", "50", "3", "2", "4", "3",
                             "Good run but my left calf feels tight"], True)],
    # a team, its invite code, the group linked; Ana joins and checks in (her own chat, not
    # drawn); the group's roster and the private copy; a personal command in the group
    "coach": [
        ("coach", ["/start", "1", "2", "1980", "skip", "/team create Rowing U18"], True),
        ("athlete", ["/start {code}", "1", "1", "2007", "rowing",
                     "RPE 8, 90 min, legs heavy and my knee hurts", "/privacy", "2"], False),
        ("coach", ["group: /team link {code}", "group: /status", "group: /checkin"], True),
    ],
    # a class, its plan; /broadcast before any student joined (the teacher persona alone
    # cannot show a student joining: docs/guide-teacher.md shows that run)
    "teacher": [("teacher", ["/start", "1", "1", "1985", "skip", "/class create PE 2B",
                             "/class plan", "/class plan aerobic-base", "/broadcast"], True)],
}


def _chat(role: str, lines: list[str], tmp: str) -> str:
    env = dict(os.environ, DATA_DIR=tmp, DATABASE_URL=f"sqlite:///{tmp}/demo.sqlite3",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.pop("TELEGRAM_TOKEN", None)
    result = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "bot.cli", "chat", "--as", role],
        input="\n".join([*lines, "/quit"]) + "\n", capture_output=True, text=True,
        env=env, timeout=600, check=True,
    )
    return result.stdout


def _training_days() -> str:
    """Today and two later weekdays, in the bot's time zone (as the dialogue's clock)."""
    from bot.config import load_settings

    today = dt.datetime.now(ZoneInfo(load_settings().timezone)).date()
    return " ".join((today + dt.timedelta(days=n)).strftime("%a").lower() for n in (0, 2, 4))


def transcript(steps: list[tuple[str, list[str], bool]]) -> str:
    """The real terminal output of the shown steps, joined as one session."""
    values = {"days": _training_days(), "code": ""}
    shown: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for role, lines, show in steps:
            out = _chat(role, [line.format(**values) for line in lines], tmp)
            if "Invite code: " in out:
                values["code"] = out.split("Invite code: ", 1)[1].split()[0]
            if show:
                out = out.rsplit("you> /quit", 1)[0]
                shown.append(out if not shown else out.split("\n", 1)[1])  # one banner
    return "".join(shown) + "you> /quit\nbye.\n"


def render(text: str, path: Path, title: str) -> None:
    """Draw text as a terminal window (monospace, dark background)."""
    rows: list[str] = []
    plain = (text.replace("✅", "[ok]").replace("🟢 ", "").replace("🟡 ", "")
             .replace("🔴 ", ""))  # no emoji in the mono font; the word (green...) stays
    for line in plain.splitlines():
        rows += textwrap.wrap(line, 96, subsequent_indent="           ",
                              break_on_hyphens=False) or [""]
    height = 0.6 + 0.19 * len(rows)
    fig = plt.figure(figsize=(10.5, height), dpi=110)
    fig.patch.set_facecolor("#1e1f24")
    fig.text(0.012, 1 - 0.25 / height, title, color="#9aa0a6", family="monospace", fontsize=9,
             va="top")
    for i, row in enumerate(rows):
        color = "#8ab4f8" if row.startswith("you>") else "#e8eaed"
        fig.text(0.012, 1 - (0.55 + 0.19 * i) / height, row, color=color, family="monospace",
                 fontsize=9, va="top")
    fig.savefig(path, facecolor=fig.get_facecolor())
    plt.close(fig)


def main() -> None:
    """One screenshot per audience."""
    OUT.mkdir(exist_ok=True)
    for role, steps in SCRIPTS.items():
        text = transcript(steps)
        render(text, OUT / f"chat-{role}.png", f"coachloop chat --as {role}")
        sys.stdout.write(f"wrote {OUT / f'chat-{role}.png'}\n")


if __name__ == "__main__":
    main()
