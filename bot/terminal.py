"""Terminal adapter: the same dialogue as Telegram, in a shell.

Buttons become numbered choices: type the number in brackets (or, for number pads such as
RPE 0-10, the number itself). Works interactively and with a script piped on stdin, which is
how the tests drive it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from bot.dialogue.broadcasts import REPORT_META
from bot.outbox import decode
from bot.replies import Button, Incoming, Reply
from storage import jobs, outbox
from storage.db import Database

TERMINAL_USER_ID = -1
PROMPT = "you> "


def _numeric_pad(buttons: tuple[Button, ...]) -> bool:
    return all(b.label.isdigit() for b in buttons)


def render_reply(reply: Reply) -> str:
    """A reply as terminal text, with its buttons as numbered choices."""
    lines = [f"coachloop> {line}" if i == 0 else f"           {line}"
             for i, line in enumerate(reply.text.splitlines() or [""])]
    flat = tuple(b for row in reply.buttons for b in row)
    if flat:
        if _numeric_pad(flat):
            lines.append("           choose: " + " ".join(b.label for b in flat))
        else:
            lines.append(
                "           choose: " + "  ".join(f"[{i}] {b.label}" for i, b in enumerate(flat, 1))
            )
    if reply.image is not None:
        lines.append(f"           (picture, {len(reply.image)} bytes)")
    if reply.document is not None:
        lines.append(f"           (file {reply.document[0]}, {len(reply.document[1])} bytes)")
    return "\n".join(lines)


def pick(text: str, buttons: tuple[Button, ...]) -> str | None:
    """The button data chosen by a typed answer, or None when the answer is free text."""
    answer = text.strip()
    if not buttons or not answer:
        return None
    if _numeric_pad(buttons):
        return next((b.data for b in buttons if b.label == answer), None)
    if answer.isdigit() and 1 <= int(answer) <= len(buttons):
        return buttons[int(answer) - 1].data
    return next((b.data for b in buttons if b.label.lower() == answer.lower()), None)


def follow_ups(database: Database, chat_id: int) -> Callable[[], list[Reply]]:
    """The background jobs' messages for this terminal's user, each taken once."""

    def take() -> list[Reply]:
        def work(s: Any) -> list[Reply]:
            rows = outbox.loose(s, chat_id=chat_id)
            replies = [decode(dict(r.body)) for r in rows]
            for r in rows:
                outbox.mark(s, r.id, outbox.SENT)
            return replies

        return database.run(work)

    return take


def wait_for_jobs(database: Database, timeout: float = 60.0) -> None:
    """Until no job is pending (the end of a piped script), at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and database.run(jobs.outstanding):
        time.sleep(0.1)


def in_language(handle: Callable[[Incoming], list[Reply]],
                code: str) -> Callable[[Incoming], list[Reply]]:
    """Each line as if sent from a Telegram app set to ``code`` (`coachloop chat --language`):
    the terminal has no app to report one, and /language needs consent first."""

    def handle_in(inc: Incoming) -> list[Reply]:
        return handle(dataclasses.replace(inc, language_code=code))

    return handle_in


def run_chat(
    handle: Callable[[Incoming], list[Reply]],
    *,
    later: Callable[[], list[Reply]] | None = None,
    settle: Callable[[], None] | None = None,
    prepare: Callable[[Reply], Reply] = lambda reply: reply,
    user_id: int = TERMINAL_USER_ID,
    name: str = "You",
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> None:
    """Read lines until EOF or /quit, hand each to the dialogue, print the replies.

    ``later`` gives the messages that arrived since (a background re-plan's follow-up),
    printed before each prompt; ``settle`` waits for outstanding work before the end, so a
    piped script sees every message its lines caused.
    """
    interactive = stdin.isatty()
    print("coachloop terminal chat. Type /start to begin, /help for commands, /quit to leave.",
          file=stdout)
    buttons: tuple[Button, ...] = ()
    def print_later() -> None:
        for reply in later() if later is not None else ():
            print(render_reply(reply), file=stdout, flush=True)

    while True:
        print_later()
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.rstrip("\n")
        if not interactive:
            print(f"{PROMPT}{text}", file=stdout)
        if text.strip() in ("/quit", "/exit"):
            break
        if not text.strip():
            continue
        choice = pick(text, buttons)
        inc = Incoming(
            user_id=user_id,
            chat_id=user_id,
            display_name=name,
            received_at=clock(),
            text=None if choice else text,
            callback=choice,
            source="terminal",
        )
        replies = handle(inc)
        buttons = ()
        sent = failed = 0
        for reply in replies:
            if reply.chat_id is not None and reply.chat_id != user_id:
                # A message for someone else (a student's copy, an athlete's note): shown
                # labelled, as Telegram would deliver it to their own chat.
                try:
                    reply = prepare(reply)
                    sent += 1
                except Exception as exc:  # one copy failing must not end the chat
                    failed += 1
                    print(f"coachloop> (to user {reply.chat_id}: not delivered, "
                          f"{type(exc).__name__})", file=stdout)
                    continue
                print(f"[private message to user {reply.chat_id}]", file=stdout)
            elif reply.chat_id == user_id:  # e.g. a roster's details after a group command
                print("[private message to you]", file=stdout)
            print(render_reply(reply), file=stdout, flush=True)
            if reply.buttons and (reply.chat_id is None or reply.chat_id == user_id):
                buttons = tuple(b for row in reply.buttons for b in row)
        if any(REPORT_META in r.meta for r in replies):
            print(f"coachloop> Delivery report: {sent} sent, {failed} failed, 0 blocked the "
                  f"bot (of {sent + failed}).", file=stdout, flush=True)
    if settle is not None:
        settle()
    print_later()
    print("bye.", file=stdout)
