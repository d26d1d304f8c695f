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
from storage import jobs
from storage.db import Database
from storage.schema import CheckIn, Plan

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
        # the background jobs (first week, the check-in's full re-plan) ran in the chat's own
        # thread and were waited for before "bye."
        assert jobs.counts(s) == {jobs.DONE: jobs.counts(s).get(jobs.DONE, 0)}
        assert jobs.counts(s)[jobs.DONE] >= 2
        plan = s.scalars(select(Plan)).one()
        assert "schedule" in (plan.meta or {})


def test_the_policy_warm_up_keeps_the_process_alive_until_it_ends(tmp_path: Path) -> None:
    """A chat whose input ends right after start used to abort (SIGABRT, rc 134): the warm-up
    thread was a daemon, killed inside numba's or torch's C++ code at interpreter exit."""
    import threading

    from bot.config import Settings
    from bot.wiring import build_dialogue

    settings = Settings(data_dir=tmp_path, nlu_backend="vader")
    build_dialogue(settings)
    warm = [t for t in threading.enumerate() if t.name == "policy-warm-up"]
    assert warm and not any(t.daemon for t in warm)
    for thread in warm:
        thread.join(timeout=120)


def test_a_chat_whose_input_ends_at_start_exits_cleanly(tmp_path: Path) -> None:
    env = dict(os.environ, DATA_DIR=str(tmp_path), NLU_BACKEND="vader", HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "chat"], input=b"", env=env,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().rstrip().endswith("bye.")


# the typed "yes" per language (the day itself is the e2e language days' own)
YES = {"es": "sí", "de": "ja", "ru": "да", "zh": "同意"}


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(YES))
def test_a_day_in_the_terminal_in_each_language(tmp_path: Path, lang: str) -> None:
    """No Telegram to report a language: the typed "yes" sets it, and the day (profile, a
    check-in with pain, /today, /why) is answered in it, with no English left in the replies
    (`tests.e2e.test_language_days.leftovers`; the terminal's own "choose:" aside)."""
    from bot import i18n
    from tests.e2e.test_language_days import DAYS, leftovers

    yes, (sport, checkin, knee) = YES[lang], DAYS[lang]
    env = dict(os.environ)
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'chat.sqlite3'}", DATA_DIR=str(tmp_path),
               LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1")
    env.pop("TELEGRAM_TOKEN", None)
    script = "\n".join(["/start", yes, "1", "2004", sport, checkin, "/today", "/why", "/quit"])
    result = subprocess.run([sys.executable, "-m", "bot.cli", "start"], input=script + "\n",
                            capture_output=True, text=True, env=env, timeout=300, check=False,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    turns = result.stdout.split("you> ")  # what the bot said after each line typed
    with i18n.language(lang):
        thanks, saved = i18n._("Thank you! Consent recorded."), i18n._("Saved")
    assert thanks in turns[2]
    day = "\n".join(turns[6:9])  # the check-in's reply, /today, /why
    assert f"{saved} ✅ RPE 8 x 60 " in day and knee in day
    said = "\n".join(line.replace("coachloop>", "").split("choose:")[0] for line in
                     day.splitlines())
    assert leftovers(said, lang) == [], said
