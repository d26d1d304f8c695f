"""Strava's push subscription and OAuth callback, served by the bot's own web server.

Reference: developers.strava.com/docs/webhooks. Creating a subscription makes Strava send
``GET <callback>?hub.mode=subscribe&hub.challenge=X&hub.verify_token=T``; the answer must be
``{"hub.challenge": "X"}`` within two seconds, and only when ``T`` is our verify token. Events
are ``POST`` JSON: ``object_type`` (activity | athlete), ``object_id``, ``aspect_type``
(create | update | delete), ``owner_id`` (the athlete), ``subscription_id``, ``event_time``,
``updates`` (``{"authorized": "false"}`` when the athlete withdrew access). Strava signs
nothing, so an event is only a hint: a create or update asks for a pull with our own tokens
(its content is never stored), and events of another subscription than ours
(``STRAVA_SUBSCRIPTION_ID``, when set) are ignored. Each answer is 200 within the two
seconds Strava allows: the work is a job row (`bot.services.background.ask_sync`).

- create: a pull of what is new; update: the stored row is dropped and pulled again;
  delete: the stored row is deleted (the athlete removed it on Strava); deauthorisation:
  the tokens are erased and syncing stops (`storage.connections.revoke`).
- ``GET /strava/callback?code&state&scope`` (webhook mode's OAuth redirect): the code is
  accepted when ``state`` is the one /connect strava stored, then the same job finishes the
  connection; polling mode pastes the code in the chat instead (`bot.dialogue.sync`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

import tornado.web
from sqlalchemy.orm import Session

from bot.services.background import ask_sync
from bot.sync import SyncConfig
from bot.sync.strava import code_from
from storage import connections
from storage.activities import STRAVA, delete_external
from storage.db import Database
from storage.schema import Person

log = logging.getLogger(__name__)

PUSH_PATH = "/strava/push"
CALLBACK_PATH = "/strava/callback"
MAX_EVENT = 16 * 1024
ASPECTS = ("create", "update", "delete")


def handle_event(db: Session, event: dict[str, Any], subscription_id: int | None) -> str:
    """Act on one push event (see the module); what was done, for the log (no values)."""
    if subscription_id is not None and event.get("subscription_id") != subscription_id:
        return "another subscription"
    owner, kind, aspect = event.get("owner_id"), event.get("object_type"), event.get("aspect_type")
    if not isinstance(owner, int) or kind not in ("activity", "athlete") or (aspect not in ASPECTS):
        return "not an event"
    connection = connections.by_external_athlete(db, STRAVA, str(owner))
    if connection is None:
        return "unknown athlete"
    person = db.get(Person, connection.person_id)
    if person is None:
        return "unknown athlete"
    if kind == "athlete":
        updates = event.get("updates")
        if isinstance(updates, dict) and str(updates.get("authorized")).lower() == "false":
            connections.revoke(connection)
            return "deauthorised"
        return "athlete update"
    object_id = event.get("object_id")
    if not isinstance(object_id, int) or connection.status not in (
        connections.ACTIVE,
        connections.ERROR,
    ):
        return "ignored"
    if aspect in ("update", "delete"):
        day = delete_external(db, person.id, STRAVA, str(object_id))
        connections.forget_item(db, person.id, STRAVA, str(object_id))
        if aspect == "delete":
            return "deleted"
        if day is not None and connection.cursor is not None and (connection.cursor.date() > day):
            connections.rewind(connection, day)
    ask_sync(
        db,
        person,
        STRAVA,
        cause=f"push:{object_id}:{aspect}:{event.get('event_time')}",
        chat_id=None,
    )
    return f"pull asked ({aspect})"


class StravaPushHandler(tornado.web.RequestHandler):
    """GET: the subscription handshake; POST: one event."""

    def initialize(self, database: Database, config: SyncConfig) -> None:
        self.database = database
        self.config = config

    def get(self) -> None:
        """Echo ``hub.challenge`` when the verify token is ours."""
        token = self.get_query_argument("hub.verify_token", "")
        challenge = self.get_query_argument("hub.challenge", "")
        expected = self.config.strava_verify_token or ""
        if (
            self.get_query_argument("hub.mode", "") != "subscribe"
            or not expected
            or not hmac.compare_digest(token.encode(), expected.encode())
            or not challenge
            or len(challenge) > 200
        ):
            self.set_status(403)
            return
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"hub.challenge": challenge}))

    async def post(self) -> None:
        """Record the event's consequence; always 200 for a well-formed event."""
        body = self.request.body
        try:
            event = json.loads(body) if len(body) <= MAX_EVENT else None
        except ValueError:
            event = None
        if not isinstance(event, dict):
            self.set_status(400)
            return
        subscription = self.config.strava_subscription_id
        outcome = await asyncio.to_thread(
            self.database.run, lambda db: handle_event(db, event, subscription)
        )
        log.info("strava push: %s", outcome)
        self.set_status(200)


class StravaCallbackHandler(tornado.web.RequestHandler):
    """Where Strava sends the athlete back after they allowed access (webhook mode)."""

    def initialize(self, database: Database, config: SyncConfig) -> None:
        self.database = database
        self.config = config

    async def get(self) -> None:
        """Accept the code of the authorisation /connect strava asked for."""
        state = self.get_query_argument("state", "")
        person_text, _, nonce = state.partition(".")
        try:
            if not person_text.isdigit():
                raise ValueError("this link does not come from /connect strava")
            code = code_from(self.request.full_url(), expected_state=state)
        except ValueError as exc:
            self.set_status(400)
            self.finish(f"Not connected: {exc}. Send /connect strava in the chat again.")
            return
        person_id = int(person_text)

        def accept(db: Session) -> bool:
            if not connections.accept_code(db, person_id, STRAVA, nonce, code):
                return False
            person = db.get(Person, person_id)
            if person is not None:
                ask_sync(
                    db, person, STRAVA, cause=f"callback:{nonce}", chat_id=person.telegram_user_id
                )
            return person is not None

        if not await asyncio.to_thread(self.database.run, accept):
            self.set_status(400)
            self.finish("This Strava link has expired. Send /connect strava in the chat again.")
            return
        self.finish("Strava is connected: go back to the chat, your activities are coming.")


def strava_routes(database: Database, config: SyncConfig) -> list[tuple[str, Any, Any]]:
    """The Strava routes for the bot's web server (empty when no Strava app is set up)."""
    if not config.strava_enabled:
        return []
    args = {"database": database, "config": config}
    return [(PUSH_PATH, StravaPushHandler, args), (CALLBACK_PATH, StravaCallbackHandler, args)]
