"""Terminal adapter: the same dialogue as Telegram, in a shell.

Buttons become numbered choices: type the number in brackets (or, for number pads such as
RPE 0-10, the number itself). Works interactively and with a script piped on stdin, which is
how the tests drive it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO

from bot.dialogue.broadcasts import REPORT_META
from bot.replies import Button, Incoming, Reply

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


def run_chat(
    handle: Callable[[Incoming], list[Reply]],
    *,
    prepare: Callable[[Reply], Reply] = lambda reply: reply,
    user_id: int = TERMINAL_USER_ID,
    name: str = "You",
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> None:
    """Read lines until EOF or /quit, hand each to the dialogue, print the replies."""
    interactive = stdin.isatty()
    print("coachloop terminal chat. Type /start to begin, /help for commands, /quit to leave.",
          file=stdout)
    buttons: tuple[Button, ...] = ()
    while True:
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
    print("bye.", file=stdout)
