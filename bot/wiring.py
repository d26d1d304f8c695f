"""Build the running product from settings: database, NLU engine, dialogue."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from threadpoolctl import threadpool_limits

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobrunner import CeleryDispatcher, JobRunner, LocalJobs
from bot.jobs import JobContext
from bot.services.planning import PlanningConfig
from bot.services.policy import warm_up
from bot.sync import SyncConfig
from bot.worker import make_celery, publisher
from models.registry import policy_dir
from models.shipped_defaults import ensure
from nlu import NluEngine
from storage import crypto
from storage.db import Database, open_database


def configure_logging(settings: Settings, *, log_file: Path | None = None) -> None:
    """Log at the configured level, never a token and never what users wrote.

    Bot API URLs carry the token and python-telegram-bot's DEBUG lines carry whole messages
    (health data), so the HTTP and Telegram loggers stay at INFO or above whatever LOG_LEVEL
    says, and every record is scrubbed of the token as a second line of defence.
    """
    handler: logging.Handler = (
        logging.FileHandler(log_file, encoding="utf-8") if log_file is not None
        else logging.StreamHandler()
    )
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[handler],
    )
    for noisy in ("httpx", "httpcore", "telegram.request"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    floor = max(logging.INFO, logging.getLevelName(settings.log_level) or logging.INFO)
    for chatty in ("telegram", "apscheduler", "tornado.access"):
        logging.getLogger(chatty).setLevel(floor)
    if settings.telegram_token is not None:
        install_redaction(settings.telegram_token.get_secret_value())


def install_redaction(secret: str) -> None:
    """Replace ``secret`` in every log record from now on (all loggers, all handlers)."""
    if not secret:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        if secret in message:
            record.msg = message.replace(secret, "[token]")
            record.args = ()
        return record

    logging.setLogRecordFactory(factory)


def open_migrated(settings: Settings) -> Database:
    """Open the configured database and bring its schema up to date."""
    key = settings.encryption_key.get_secret_value() if settings.encryption_key else None
    crypto.configure(key)
    database = open_database(settings.resolved_database_url)
    database.upgrade()
    return database


def nlu_engine(settings: Settings) -> NluEngine:
    """The configured NLU engine, its models loaded now.

    A missing model is then a start-up error with the fix in its message, not a failure on
    every athlete's message.
    """
    engine = NluEngine.create(
        backend=settings.nlu_backend,
        model_dir=settings.resolved_model_dir,
        hf_model=settings.sentiment_hf_model,
        rasa_url=settings.rasa_url,
    )
    engine.parse("warm-up: rpe 5, 30 min, felt fine")
    # One BLAS thread per call: the bot reads several chats' messages at once, and a
    # multithreaded BLAS on a busy machine synchronises its threads on every small product
    # of the sentence encoder (one check-in: 14 ms with one thread, a median of 260 ms with
    # two on a loaded 2-core machine). Set after the warm-up, when the libraries are loaded.
    threadpool_limits(limits=1, user_api="blas")
    return engine


def planning_config(settings: Settings) -> PlanningConfig:
    """Which models plan sessions (retrained ones first) and the week scheduler's weights."""
    return PlanningConfig(model_dir=settings.resolved_model_dir,
                          reward_weights=settings.reward_weights)


def build_dialogue(settings: Settings, database: Database | None = None) -> Dialogue:
    """The dialogue with the configured NLU backend (models load lazily on first use)."""
    engine = nlu_engine(settings)
    planning = planning_config(settings)
    # Compile SHAP's kernels while the bot starts answering, where this process runs the
    # re-plans itself; with a broker the workers run them and warm up on their own.
    if planning.use_policy and not settings.broker_url:
        # Not a daemon: a chat whose input ends right after start would otherwise exit while
        # the thread is inside numba's or torch's C++ code, and the process aborts (SIGABRT,
        # "terminate called without an active exception"); exit waits for it instead.
        threading.Thread(target=warm_up, args=(policy_dir(planning.model_dir),),
                         name="policy-warm-up", daemon=False).start()
    return Dialogue(
        database or open_migrated(settings),
        engine,
        timezone=settings.timezone,
        max_upload_bytes=settings.max_upload_bytes,
        features=default_features(SyncConfig.from_settings(settings)),
        planning=planning,
        defer_planning=True,  # `job_runner` runs the full re-plans
    )


def job_context(settings: Settings, planning: PlanningConfig) -> JobContext:
    """What jobs use, in the bot's thread and in `coachloop worker` alike."""
    return JobContext(planning=planning, sync=SyncConfig.from_settings(settings),
                      max_upload_bytes=settings.max_upload_bytes)


def job_runner(settings: Settings, dialogue: Dialogue) -> JobRunner:
    """Where the dialogue's background jobs run, woken after each handler's commit.

    With ``BROKER_URL`` set, Celery workers (`coachloop worker`) run them and this process
    only publishes; without, a thread of this process runs them (the embedded default).
    """
    runner: JobRunner
    if settings.broker_url:
        runner = CeleryDispatcher(dialogue.database, publisher(make_celery(settings.broker_url,
                                                                       settings.job_queue)))
    else:
        runner = LocalJobs(dialogue.database, job_context(settings, dialogue.planning))
    dialogue.on_commit = runner.wake
    return runner


def prepare_models(settings: Settings) -> list[str]:
    """Load each model once (`make run`'s check); one line per model saying where it came from.

    A missing shipped default is trained from our own data here, not on an athlete's first
    message.
    """
    from models.ppo import load_policy  # torch and stable-baselines3: only when asked to load

    lines: list[str] = []
    nlu_engine(settings)
    lines.append(f"sentiment ({settings.nlu_backend}): ok")
    lines += ensure(settings.model_dir)
    where = policy_dir(settings.model_dir)
    load_policy(where)
    lines.append(f"ppo-scheduler: ok ({where})")
    return lines
