"""`coachloop start` without a token (the terminal chat), scripted on stdin: consent, a
check-in, today's session and its reasons."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.replies import Button
from bot.terminal import pick
from storage.db import Database
from storage.schema import CheckIn

SCRIPT = """/start
1
1
2004
running
/checkin
7
60
3
2
5
6
Tough intervals but I crushed it, hamstring a bit tight
/today
/why
/quit
"""


def test_numbered_choices_map_to_buttons() -> None:
    choices = (Button("I agree", "consent:yes"), Button("No, thanks", "consent:no"))
    assert pick("1", choices) == "consent:yes"
    assert pick("no, thanks", choices) == "consent:no"
    assert pick("3", choices) is None
    pad = tuple(Button(str(n), f"rpe:{n}") for n in range(11))
    assert pick("0", pad) == "rpe:0" and pick("10", pad) == "rpe:10"
    assert pick("11", pad) is None


@pytest.mark.slow
def test_scripted_terminal_chat_stores_and_replies(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'chat.sqlite3'}", DATA_DIR=str(tmp_path),
               LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1")
    env.pop("TELEGRAM_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "start"],  # what `make run` starts without a token
        input=SCRIPT, capture_output=True, text=True, env=env, timeout=300, check=False,
        cwd=tmp_path,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Do you agree?" in out
    assert "Saved" in out and "load 420" in out
    assert "Why" in out
    db = Database(f"sqlite:///{tmp_path / 'chat.sqlite3'}")
    with db.session() as s:
        row = s.scalars(select(CheckIn)).one()
        assert (row.rpe, row.minutes, row.soreness) == (7, 60, 6)
        assert row.source == "terminal"
        assert row.free_text is not None and "hamstring" in row.free_text
