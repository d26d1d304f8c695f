"""Connecting wearable providers in the private chat: /connect, /sync, /disconnect.

A key or a code pasted here is read once, stored encrypted (`storage.connections`), and the
message that held it is deleted (``Reply.meta[DELETE_META]``: the Telegram adapter deletes
it, the terminal has nothing to delete), also when it could not be read, since it may hold a
key all the same. No handler here calls a provider: the import, the key check and the OAuth
code exchange run as a background job (`bot.services.background.ask_sync`), so a slow
provider never holds the chat's transaction; the job tells the chat what came in.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from bot.dialogue.core import CommandHelp, Feature
from bot.i18n import N_, _
from bot.replies import DELETE_META, Reply
from bot.services.background import ask_revoke, ask_sync
from bot.sync import SyncConfig, intervals, oura
from bot.sync.strava import authorize_url, code_from
from storage import connections
from storage.activities import DAY_SUMMARY, list_activities
from storage.schema import Connection

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue, Turn

CONNECT_INTERVALS = "connect_intervals"
CONNECT_STRAVA = "connect_strava"
CONNECT_OURA = "connect_oura"
LABELS = {"intervals": "intervals.icu", "strava": "Strava", "oura": "Oura"}
CONNECT_USAGE = N_(
    "Send /connect intervals (athlete id and API key) or /connect strava "
    "(you allow access on Strava's page)."
)
DISCONNECT_USAGE = N_("Send /disconnect NAME, e.g. /disconnect intervals ({names}).")


def _deleting(turn: Turn, reply: Reply) -> Reply:
    """``reply``, asking the adapter to delete the athlete's message it answers."""
    message_id = turn.inc.message_id
    if message_id is None:
        return reply
    return Reply(
        reply.text, buttons=reply.buttons, meta={**reply.meta, DELETE_META: str(message_id)}
    )


def _deleted(turn: Turn, why: str = "") -> str:
    """The note that the message was deleted, where the chat has messages (not the terminal)."""
    if turn.inc.message_id is None:
        return ""
    return " " + (_("I deleted your message {why}.").format(why=_(why)) if why
                  else _("I deleted your message."))


def _cause(turn: Turn) -> str:
    inc = turn.inc
    return inc.update_ref or f"{inc.source}:{inc.received_at.isoformat()}"


def _describe(connection: Connection) -> str:
    label = LABELS.get(connection.provider, connection.provider)
    who = f" ({connection.external_athlete_id})" if connection.external_athlete_id else ""
    last = (
        _("last import {when} UTC").format(when=f"{connection.last_import_at:%Y-%m-%d %H:%M}")
        if connection.last_import_at
        else _("nothing imported yet")
    )
    state = {
        "active": _("working"),
        "error": _("problem: {error}").format(error=connection.last_error),
        "revoked": _("stopped: {error}").format(error=connection.last_error),
        "pending": _("waiting for Strava's answer"),
        "revoking": _("being disconnected"),
    }.get(connection.status, connection.status)
    return f"- {label}{who}: {last}; {state}"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _latest_day(turn: Turn, person_id: int) -> str | None:
    """The newest day summary's measured sleep, HRV and resting heart rate, in words: what a
    wearable's nights brought, shown to the athlete (estimates are never shown as measured)."""
    days = [a for a in list_activities(turn.db, person_id, include_days=True)
            if a.sport == DAY_SUMMARY and a.day is not None]
    if not days:
        return None
    row = max(days, key=lambda a: (a.day, a.id))
    extra = row.extra or {}
    parts = []
    if (sleep := _number(extra.get("sleep_h"))) is not None:
        parts.append(f"sleep {sleep:.1f} h")
    if (hrv := _number(row.rmssd_ms)) is not None:
        parts.append(f"HRV {hrv:.0f} ms")
    if (rest := _number(extra.get("resting_hr"))) is not None:
        parts.append(f"resting HR {rest:.0f} bpm")
    if not parts:
        return None
    label = LABELS.get(row.source, "a file")
    return f"Latest day ({row.day:%a %d %b}, from {label}): {', '.join(parts)}."


def make_feature(config: SyncConfig) -> Feature:
    """The sync slice of the dialogue for this installation's providers."""

    def connect(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
        """/connect NAME: ask for what the provider needs."""
        dialogue.require_person(turn)
        name = args[0].lower()[:16] if args else ""
        if name == "intervals":
            turn.goto(CONNECT_INTERVALS, {})
            return [
                Reply(_(
                    "Send your intervals.icu athlete id and API key in one message, e.g. "
                    "i12345 3x4mpl3k3y (intervals.icu > Settings > Developer Settings). "
                    "I delete that message as soon as I have read it, and keep the key "
                    "encrypted. /cancel to stop."
                ))
            ]
        if name == "strava":
            if not config.strava_enabled:
                return [
                    Reply(_(
                        "Strava is not set up on this bot: its operator has to register "
                        "a Strava app first (docs/wearables.md, Sync)."
                    ))
                ]
            nonce = secrets.token_urlsafe(12)
            person = dialogue.require_person(turn)
            url = authorize_url(config, f"{person.id}.{nonce}")
            connections.save_pending(turn.db, person.id, "strava", nonce)
            tail = ""  # webhook mode: Strava sends the code to our callback, not the chat
            if not config.strava_redirect_url:
                turn.goto(CONNECT_STRAVA, {"nonce": nonce})
                tail = " " + _("Then paste here the address your browser shows after you "
                               "allow access (the page itself may not load).")
            return [
                Reply(_(
                    "Open this link and allow coachloop to read your activities "
                    "(scope activity:read_all): {url}"
                ).format(url=url) + tail + " " + _(
                    "Your Strava data is shown to you only, never to your coach or team. "
                    "/cancel to stop."))
            ]
        if name == "oura":
            turn.goto(CONNECT_OURA, {})
            return [Reply(_("Send your Oura personal access token (cloud.ouraring.com > "
                            "Personal access tokens) in one message. I delete that message as "
                            "soon as I have read it, and keep the token encrypted. I import "
                            "sleep, HRV and resting heart rate. /cancel to stop."))]
        return [Reply(_(CONNECT_USAGE))]

    def intervals_key(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
        """The athlete id and API key, read once; the message is deleted either way."""
        person = dialogue.require_person(turn)
        try:
            athlete_id, api_key = intervals.parse_credentials(text)
        except ValueError as exc:
            return [
                _deleting(
                    turn,
                    Reply(
                        _("I couldn't read that ({reason}).").format(reason=exc)
                        + _deleted(turn, N_("in case it held the key")) + " "
                        + _("Send it again, or /cancel.")
                    ),
                )
            ]
        connections.save(
            turn.db, person.id, "intervals", {"api_key": api_key}, external_athlete_id=athlete_id
        )
        ask_sync(turn.db, person, "intervals", cause=_cause(turn), chat_id=turn.inc.chat_id)
        turn.finish()
        return [
            _deleting(
                turn,
                Reply(
                    _("Connected to intervals.icu (athlete {athlete}).").format(
                        athlete=athlete_id) + _deleted(turn) + " "
                    + _("The key is kept encrypted. I'm importing the last {days} days and "
                        "will tell you what came in. /sync shows your connections.").format(
                        days=config.days)
                ),
            )
        ]

    def oura_token(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
        """The Oura token, read once; the message is deleted either way."""
        person = dialogue.require_person(turn)
        try:
            token = oura.parse_token(text)
        except ValueError as exc:
            why = _deleted(turn, N_("in case it held the token"))
            return [_deleting(turn, Reply(_("I couldn't read that ({reason}).").format(
                reason=exc) + why + " " + _("Send it again, or /cancel.")))]
        connections.save(turn.db, person.id, "oura", {"token": token})
        ask_sync(turn.db, person, "oura", cause=_cause(turn), chat_id=turn.inc.chat_id)
        turn.finish()
        return [_deleting(turn, Reply(
            _("Connected to Oura.") + _deleted(turn) + " " + _(
                "The token is kept encrypted. I'm importing the last {days} days of sleep and "
                "HRV and will tell you what came in.").format(days=config.days)))]

    def strava_code(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
        """The code from Strava's redirect page (polling mode), checked against our state."""
        person = dialogue.require_person(turn)
        try:
            code = code_from(text, expected_state=f"{person.id}.{turn.data.get('nonce', '')}")
        except ValueError as exc:
            return [
                _deleting(
                    turn,
                    Reply(_(
                        "I couldn't read that: {reason}. Paste the code from "
                        "the page Strava sent you to, or /cancel."
                    ).format(reason=exc)),
                )
            ]
        if not connections.accept_code(
            turn.db, person.id, "strava", str(turn.data.get("nonce", "")), code
        ):
            turn.finish()
            return [Reply(_("That Strava link has expired; send /connect strava again."))]
        ask_sync(turn.db, person, "strava", cause=_cause(turn), chat_id=turn.inc.chat_id)
        turn.finish()
        return [
            _deleting(
                turn,
                Reply(_(
                    "Thanks: I'm finishing the Strava connection and "
                    "importing your recent activities; I'll tell you what "
                    "came in."
                )),
            )
        ]

    def sync_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
        """/sync: each connection, its last import and any problem; then a fresh import."""
        person = dialogue.require_person(turn)
        found = connections.list_for(turn.db, person.id)
        if not found:
            return [Reply(_("No connections yet.") + " " + _(CONNECT_USAGE))]
        lines = [_("Your connections:"), *(_describe(c) for c in found)]
        latest = _latest_day(turn, person.id)
        if latest:
            lines.append(latest)
        started = [c.provider for c in found if c.status in (connections.ACTIVE, connections.ERROR)]
        for provider in started:
            ask_sync(turn.db, person, provider, cause=_cause(turn), chat_id=turn.inc.chat_id)
        if started:
            lines.append(_("Importing what is new now; I'll tell you what came in."))
        return [Reply("\n".join(lines))]

    def disconnect(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
        """/disconnect NAME: revoke (OAuth providers) and delete the tokens."""
        person = dialogue.require_person(turn)
        names = ", ".join(connections.PROVIDERS)
        name = args[0].lower()[:16] if args else ""
        if name not in connections.PROVIDERS:
            return [Reply(_(DISCONNECT_USAGE).format(names=names))]
        found = connections.get(turn.db, person.id, name)
        if found is None:
            return [Reply(_("You have no {provider} connection. /sync lists yours.").format(
                provider=LABELS[name]))]
        if name == "strava" and found.credentials.get("access_token"):
            # Strava is told in a job (the network); until then the row says "revoking" and
            # nothing syncs; the job deletes the tokens whatever Strava answers
            connections.set_status(found, connections.REVOKING)
            ask_revoke(turn.db, person, "strava", cause=_cause(turn), chat_id=turn.inc.chat_id)
            return [
                Reply(_(
                    "Strava disconnected: coachloop's access is being withdrawn on "
                    "Strava and the tokens deleted right now. What was imported stays "
                    "(/forget erases everything)."
                ))
            ]
        connections.remove(turn.db, found)
        return [
            Reply(_(
                "{provider} disconnected: its key and tokens are deleted. "
                "What was imported stays (/forget erases everything)."
            ).format(provider=LABELS[name]))
        ]

    return Feature(
        commands={"connect": connect, "sync": sync_cmd, "disconnect": disconnect},
        states={CONNECT_INTERVALS: intervals_key, CONNECT_STRAVA: strava_code,
                CONNECT_OURA: oura_token},
        help={
            "connect": CommandHelp(
                "/connect intervals",
                N_("your watch data arrives by itself (intervals.icu, Strava, Oura)"),
                menu=N_("connect intervals.icu, Strava or Oura"),
                rank=30,
            ),
            "sync": CommandHelp(
                "/sync",
                N_("your connections and their last import"),
                menu=N_("wearable connections"),
                rank=31,
            ),
            "disconnect": CommandHelp(
                "/disconnect intervals", N_("delete a connection's keys"), rank=32
            ),
        },
    )
