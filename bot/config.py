"""The one settings object, read once at start (env vars and ``.env``) and passed down.

No other module reads environment variables: `nlu`, `planner`, `models` and `storage` receive
the values they need as arguments.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(user_data_dir("coachloop", appauthor=False))


class Settings(BaseSettings):
    """coachloop configuration. Every field can be set as an env var of the same name."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_token: SecretStr | None = None
    telegram_api_url: str | None = Field(
        default=None,
        description="Self-hosted Bot API server, without /bot (e.g. http://127.0.0.1:8081)",
    )
    # telegram-bot-api started with --local: files up to 2 GB, served as local paths. Raise
    # MAX_UPLOAD_BYTES with it; the public server caps bot downloads at 20 MB.
    telegram_local_mode: bool = False
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    database_url: str | None = None
    data_dir: Path = DATA_DIR
    model_dir: Path | None = None
    timezone: str = "UTC"
    log_level: str = "INFO"
    nlu_backend: str = "ensemble"  # vader | transformer | ensemble | rasa
    sentiment_hf_model: str | None = None
    rasa_url: str | None = None
    encryption_key: SecretStr | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    # Background jobs (full re-plans, first weeks): a Celery broker such as
    # amqp://guest:guest@127.0.0.1:5672// runs them on `coachloop worker` processes; unset,
    # a thread of the bot process runs the same jobs (nothing to install)
    broker_url: str | None = None
    job_queue: str = "coachloop.jobs"  # one per installation sharing a broker
    concurrent_updates: int = 8  # updates of different chats handled at once
    # Several bot processes of one bot stay inside Telegram's limits together through a rate
    # limit kept in Redis (redis://127.0.0.1:6379/0); unset, each process limits itself
    redis_url: str | None = None
    # Wearable sync (docs/wearables.md, "Sync"): each provider's base URL (tests point them
    # at local fakes), the Strava app's id and secret (an app registered at
    # strava.com/settings/api), where Strava sends the athlete back after authorising
    # (unset: its page shows the code to paste in polling mode) and the push subscription's
    # verify token; unset, Strava is not offered
    intervals_api_url: str = "https://intervals.icu"
    strava_api_url: str = "https://www.strava.com/api/v3"
    strava_oauth_url: str = "https://www.strava.com/oauth"
    strava_client_id: str | None = None
    strava_client_secret: SecretStr | None = None
    strava_redirect_url: str | None = None
    strava_verify_token: SecretStr | None = None
    strava_subscription_id: int | None = None  # events of another subscription are ignored
    oura_api_url: str = "https://api.ouraring.com"
    sync_every_minutes: int = 360  # the periodic pull (Strava's push is the fast path)
    sync_days: int = 30  # how far back a first import reaches
    # Eq. 9 of the PPO paper (alpha gain, beta fatigue, gamma injury risk) for the week
    # scheduler of real athletes; REWARD_WEIGHTS='[0.6, 0.3, 0.1]'
    reward_weights: tuple[float, float, float] = (0.6, 0.3, 0.1)

    @field_validator("reward_weights")
    @classmethod
    def _weights(cls, value: tuple[float, float, float]) -> tuple[float, float, float]:
        if any(w < 0 for w in value) or not any(value):
            raise ValueError("reward weights must be non-negative and not all zero")
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded database lives when no DATABASE_URL is given."""
        return self.data_dir / "coachloop.sqlite3"

    @property
    def resolved_database_url(self) -> str:
        """DATABASE_URL, or the embedded SQLite file under the user's data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.sqlite_path}"

    @property
    def resolved_model_dir(self) -> Path:
        """User-trained artefacts; shipped defaults are found in the package when absent here."""
        return self.model_dir or (self.data_dir / "models")


def load_settings() -> Settings:
    """Read the settings once (environment and ``.env``)."""
    return Settings()
