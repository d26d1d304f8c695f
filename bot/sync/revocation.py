"""Withdrawing coachloop's access at Strava before its tokens are deleted, in words.

Strava's terms ask an app to deauthorise when the athlete leaves it (``POST
/oauth/deauthorize``, developers.strava.com/docs/authentication): deleting our copy of the
tokens alone would leave coachloop listed under the athlete's authorised apps on Strava.
Both ways out do it first: /disconnect strava (a job, `bot.sync.importer.revoke`) and
/forget (`before_erasure`, in the erasure's own turn). Whatever Strava answers, the tokens
are deleted afterwards; when Strava could not be told, the athlete hears how to remove the
app themselves.

/forget calls Strava inside its handler's transaction, unlike every other provider call:
the erasure cannot wait for a job (the job's row is the athlete's and is erased with them,
and a job's arguments never hold a token). The call is bounded instead: one attempt, a
short timeout, no waiting for the request budget. /forget is rare; on SQLite the write lock
is held for at most `FORGET_TIMEOUT_S`.
"""

from __future__ import annotations

import dataclasses
import logging

from sqlalchemy.orm import Session

from bot.sync.config import SyncConfig
from bot.sync.strava import StravaOAuth
from bot.sync.transport import RETRIES, SyncError
from storage import connections

log = logging.getLogger(__name__)

FORGET_TIMEOUT_S = 5.0
WITHDRAWN = "Strava withdrew coachloop's access"


def deauthorize_strava(config: SyncConfig, access_token: str, *, retries: int = RETRIES) -> str:
    """Tell Strava to withdraw coachloop's access; what happened, in words (never raises for
    Strava's faults: the caller deletes the tokens either way)."""
    oauth = StravaOAuth(config, retries=retries)
    try:
        oauth.deauthorize(access_token)
    except SyncError as exc:
        log.warning("strava deauthorisation failed: %s", type(exc).__name__)
        return (
            f"Strava could not be told ({exc}); remove coachloop at "
            "strava.com/settings/apps to be sure"
        )
    finally:
        oauth.close()
    return WITHDRAWN


def before_erasure(db: Session, config: SyncConfig, person_id: int) -> str | None:
    """Deauthorise the person's Strava connection, if they have one with a token, before
    /forget erases it (with everything else); the sentence for their reply, or None."""
    found = connections.get(db, person_id, "strava")
    access = (found.credentials or {}).get("access_token") if found is not None else None
    if not isinstance(access, str) or not access:
        return None
    quick = dataclasses.replace(
        config, timeout_s=min(config.timeout_s, FORGET_TIMEOUT_S), max_wait_s=0.0
    )
    return deauthorize_strava(quick, access, retries=0)
