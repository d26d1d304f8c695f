"""Render the user guides' terminal sessions as PNG screenshots (docs/img/).

Runs `coachloop chat --as ROLE` on a scripted conversation in a throw-away data directory and
draws the real transcript as a terminal window. Re-run after changing the dialogue:

    .venv/bin/python docs/make_screens.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OUT = Path(__file__).with_name("img")
SCRIPTS = {
    "athlete": ["/start", "1", "1", "2007", "running", "/checkin", "6", "45", "3", "2", "4",
                "5", "Good tempo run but my left calf feels tight", "/today", "/why"],
    "coach": ["/start", "1", "3", "skip", "skip", "/team create Rowing U18",
              "group: /team link {code}", "group: /status"],
    "teacher": ["/start", "1", "3", "skip", "skip", "/class create PE 2B", "/class"],
}


def _chat(role: str, lines: list[str], tmp: str) -> str:
    env = dict(os.environ, DATA_DIR=tmp, DATABASE_URL=f"sqlite:///{tmp}/demo.sqlite3",
               HF_HUB_OFFLINE="1")
    env.pop("TELEGRAM_TOKEN", None)
    result = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "bot.cli", "chat", "--as", role],
        input="\n".join([*lines, "/quit"]) + "\n", capture_output=True, text=True,
        env=env, timeout=600, check=True,
    )
    return result.stdout


def transcript(role: str, lines: list[str]) -> str:
    """The real terminal output of one scripted chat (a {code} line gets the invite code)."""
    with tempfile.TemporaryDirectory() as tmp:
        if not any("{code}" in line for line in lines):
            return _chat(role, lines, tmp)
        cut = next(i for i, line in enumerate(lines) if "{code}" in line)
        first = _chat(role, lines[:cut], tmp)
        code = first.split("Invite code: ", 1)[1].split()[0]
        second = _chat(role, [line.format(code=code) for line in lines[cut:]], tmp)
        body = second.split("\n", 1)[1]  # drop the second banner line
        return first.rsplit("you> /quit", 1)[0] + body


def render(text: str, path: Path, title: str) -> None:
    """Draw text as a terminal window (monospace, dark background)."""
    rows: list[str] = []
    for line in text.replace("✅", "[ok]").splitlines():  # no emoji in the mono font
        rows += textwrap.wrap(line, 96, subsequent_indent="           ") or [""]
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
    for role, lines in SCRIPTS.items():
        text = transcript(role, lines)
        render(text, OUT / f"chat-{role}.png", f"coachloop chat --as {role}")
        print(f"wrote {OUT / f'chat-{role}.png'}")


if __name__ == "__main__":
    main()
