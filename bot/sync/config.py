"""What the sync needs of the settings, as one frozen value passed down (never the env)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings

BUDGET_PREFIX = "coachloop:sync:budget"  # Redis keys of the shared request budgets


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """Base URLs, the Strava app's credentials and the import window.

    ``timeout_s`` bounds every request: a provider that hangs must not hold a job forever.
    ``max_wait_s`` is the longest a 429's Retry-After is waited for in place; a longer one
    stops the import, which resumes from the last stored item on the next run.
    ``redis_url``: the providers' request budgets are kept there, shared by every process of
    the bot (`bot.sync.budgets`), under keys starting ``budget_prefix``; unset, each process
    counts its own.
    """

    intervals_url: str = "https://intervals.icu"
    strava_api_url: str = "https://www.strava.com/api/v3"
    strava_oauth_url: str = "https://www.strava.com/oauth"
    strava_client_id: str | None = None
    strava_client_secret: str | None = None
    strava_redirect_url: str | None = None
    strava_verify_token: str | None = None
    strava_subscription_id: int | None = None
    oura_url: str = "https://api.ouraring.com"
    days: int = 30
    timeout_s: float = 20.0
    max_wait_s: float = 5.0
    redis_url: str | None = None
    budget_prefix: str = BUDGET_PREFIX

    @property
    def strava_enabled(self) -> bool:
        """True when a Strava app is configured (its id and secret)."""
        return bool(self.strava_client_id and self.strava_client_secret)

    @classmethod
    def from_settings(cls, settings: Settings) -> SyncConfig:
        """The sync part of the settings."""
        secret = settings.strava_client_secret
        verify = settings.strava_verify_token
        return cls(
            intervals_url=settings.intervals_api_url.rstrip("/"),
            strava_api_url=settings.strava_api_url.rstrip("/"),
            strava_oauth_url=settings.strava_oauth_url.rstrip("/"),
            strava_client_id=settings.strava_client_id,
            strava_client_secret=secret.get_secret_value() if secret else None,
            strava_redirect_url=settings.strava_redirect_url,
            strava_verify_token=verify.get_secret_value() if verify else None,
            strava_subscription_id=settings.strava_subscription_id,
            oura_url=settings.oura_api_url.rstrip("/"),
            days=settings.sync_days,
            redis_url=settings.redis_url,
        )
