"""The database schema: SQLAlchemy 2 typed ORM classes, one per stored entity.

Every row that belongs to a person hangs off ``person.id`` with ``ON DELETE CASCADE`` so that
erasure (``/forget``) is one delete and cannot miss a table. Timestamps are timezone-aware UTC.
Columns typed `EncryptedText` / `EncryptedJSON` hold free text and pain details encrypted at
rest when a key is configured; their database type is plain TEXT / JSON, so turning encryption
on for a column changes no DDL and needs no migration (tests/storage/test_migrations.py).
Alembic migrations under ``storage/migrations`` are generated from this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from storage.crypto import EncryptedJSON, EncryptedText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now, timezone-aware (naive datetimes are banned project-wide)."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A DateTime that always comes back timezone-aware, on SQLite as on PostgreSQL.

    SQLite has no time zone type and returns naive values; we store UTC and re-attach it.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass a timezone-aware one")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable migration names)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: UtcDateTime,
    }


PERSON_FK = "person.id"


class Person(Base):
    """A chat user: athlete, student, coach or teacher. Health data only after ``consent_at``."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None]
    height_cm: Mapped[float | None] = mapped_column(Float)
    mass_kg: Mapped[float | None] = mapped_column(Float)
    sport: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[str | None] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    hr_rest: Mapped[float | None] = mapped_column(Float)
    hr_max: Mapped[float | None] = mapped_column(Float)
    consent_at: Mapped[dt.datetime | None]
    consent_scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    team_visibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reminder_time: Mapped[str | None] = mapped_column(String(5))
    # {"sessions": n, "minutes": m, "days": [ISO weekdays]}; None = the default week.
    week_prefs: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # a coach's daily digest, "HH:MM" in ``timezone``; None = no digest
    digest_time: Mapped[str | None] = mapped_column(String(5))
    # the interface language the person chose (/language), a base code like "es"; None = the
    # language Telegram reports for them, else English
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # what the week scheduler plans around (planner.availability.Availability.as_dict);
    # None = no limits beyond /schedule. Encrypted: a blackout's reason may be "illness".
    availability: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class Group(Base):
    """A team (coached) or a class (taught); optionally linked to a Telegram group chat."""

    __tablename__ = "chat_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # "team" | "class"
    title: Mapped[str] = mapped_column(String(128))
    invite_code: Mapped[str] = mapped_column(String(16), unique=True)
    # A class plan: the template every student of the class starts from (None: their own).
    plan_template: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(Base):
    """A person's role in a group: athlete, coach or teacher."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("person_id", "group_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("chat_group.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8))  # "athlete" | "coach" | "teacher"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="memberships")
    group: Mapped[Group] = relationship(back_populates="memberships")


class CheckIn(Base):
    """One daily report: session RPE and minutes, Hooper wellness, free text and its reading."""

    __tablename__ = "checkin"
    __table_args__ = (UniqueConstraint("source_update_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    rpe: Mapped[float | None] = mapped_column(Float)
    minutes: Mapped[float | None] = mapped_column(Float)
    sleep_h: Mapped[float | None] = mapped_column(Float)
    sleep_quality: Mapped[int | None]
    fatigue: Mapped[int | None]
    soreness: Mapped[int | None]
    stress: Mapped[int | None]
    mood: Mapped[int | None]
    free_text: Mapped[str | None] = mapped_column(EncryptedText)  # encrypted at rest (key set)
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    sentiment_level: Mapped[int | None]
    sentiment_backends: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pain_sites: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)
    #: The side said of a site ({"knee": "left"}); a site missing here had no side said.
    pain_sides: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON, default=dict)
    source: Mapped[str] = mapped_column(String(16), default="telegram")
    source_update_id: Mapped[str | None] = mapped_column(String(64))
    # the chat message that completed it ("chat_id:message_id"): an edit of that message
    # updates this check-in
    message_ref: Mapped[str | None] = mapped_column(String(48), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Activity(Base):
    """A wearable session (FIT/GPX/TCX/CSV/RR import), imported once per content hash.

    ``source`` says where the stored values came from (``upload``, ``intervals``, ``strava``,
    ``oura``) and ``external_id`` is the provider's id of the item: unique per person and
    source, so a re-sync finds the row and changes nothing. Strava-sourced rows are shown to
    their athlete only (`storage.activities.list_activities`, ``include_strava``).
    """

    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("person_id", "content_hash"),
        UniqueConstraint("person_id", "source", "external_id",
                         name="uq_activity_person_source_external"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str] = mapped_column(String(8))
    sport: Mapped[str | None] = mapped_column(String(32))
    start_time: Mapped[dt.datetime | None]
    day: Mapped[dt.date | None] = mapped_column(Date, index=True)
    duration_s: Mapped[float | None] = mapped_column(Float)
    moving_s: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    hr_avg: Mapped[float | None] = mapped_column(Float)
    hr_max: Mapped[float | None] = mapped_column(Float)
    trimp_banister: Mapped[float | None] = mapped_column(Float)
    trimp_edwards: Mapped[float | None] = mapped_column(Float)
    rmssd_ms: Mapped[float | None] = mapped_column(Float)
    sdnn_ms: Mapped[float | None] = mapped_column(Float)
    cadence_avg: Mapped[float | None] = mapped_column(Float)
    pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    zones_s: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(16), default="upload", server_default="upload")
    external_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Connection(Base):
    """A person's link to a wearable provider (intervals.icu, Strava, Oura).

    ``credentials`` (API key, OAuth tokens and their expiry) are JSON encrypted at rest like
    every other secret, so `coachloop db rotate-key` re-encrypts them; ``status`` is
    ``active``, ``error`` (the last import failed: ``last_error`` says why in words) or
    ``revoked`` (the provider withdrew access; the tokens are gone). ``cursor`` is where the
    next import resumes (the start time of the newest item imported), never a health value.
    """

    __tablename__ = "connection"
    __table_args__ = (UniqueConstraint("person_id", "provider"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(16))
    # the provider's id of the athlete (a Strava webhook names the athlete by it)
    external_athlete_id: Mapped[str | None] = mapped_column(String(64), index=True)
    credentials: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="active")
    cursor: Mapped[dt.datetime | None]
    last_import_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SyncedItem(Base):
    """A provider's item seen once: a re-sync skips it, whether it was stored as its own row
    or matched to a session recorded by another source (``activity_id`` names the row it
    was matched to or stored as; NULL for an item that held nothing usable)."""

    __tablename__ = "synced_item"
    __table_args__ = (UniqueConstraint("person_id", "source", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(12))  # stored | matched | replaced | skipped
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FitnessTest(Base):
    """One fitness-test item result (long format: item name, value, unit)."""

    __tablename__ = "fitness_test"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    item: Mapped[str] = mapped_column(String(48))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Plan(Base):
    """A multi-week plan: the template it came from and how it was scheduled."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    start_day: Mapped[dt.date] = mapped_column(Date)
    end_day: Mapped[dt.date] = mapped_column(Date)
    template: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PrescribedSession(Base):
    """The session prescribed for one person and day, with the decision's inputs."""

    __tablename__ = "prescribed_session"
    __table_args__ = (UniqueConstraint("person_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    day: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(128))
    intensity_factor: Mapped[float] = mapped_column(Float, default=1.0)
    volume_factor: Mapped[float] = mapped_column(Float, default=1.0)
    reason_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # the decision's inputs name pain sites and wellness answers: encrypted at rest (key set)
    inputs: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    exercises: Mapped[list[SessionExercise]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SessionExercise.position"
    )
    explanation: Mapped[Explanation | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )


class SessionExercise(Base):
    """One line of a prescribed session (the PE paper's Table 3: sets, reps or time, rest)."""

    __tablename__ = "session_exercise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("prescribed_session.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    exercise_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    sets: Mapped[int] = mapped_column(Integer, default=1)
    reps: Mapped[int | None]
    seconds: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    load_kg: Mapped[float | None] = mapped_column(Float)
    rest_s: Mapped[float | None] = mapped_column(Float)


class Explanation(Base):
    """Why a session looks as it does: SHAP factors, fired rules, rendered sentences."""

    __tablename__ = "explanation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("prescribed_session.id", ondelete="CASCADE"), unique=True
    )
    # rule inputs and sentences ("pain in your knee") repeat the check-in: encrypted at rest
    factors: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)
    rules: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)
    sentences: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)


class ExerciseLog(Base):
    """Exercise-level history: what was done (or skipped) and how hard it felt."""

    __tablename__ = "exercise_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    exercise_id: Mapped[str] = mapped_column(String(64))
    sets: Mapped[int | None]
    reps: Mapped[int | None]
    seconds: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    load_kg: Mapped[float | None] = mapped_column(Float)
    completed: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12), default="done")  # done|skipped|too_hard
    rpe: Mapped[float | None] = mapped_column(Float)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConversationState(Base):
    """Where a chat is in a dialogue, kept in the database so any worker can continue it."""

    __tablename__ = "conversation_state"

    chat_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(32))
    # a half-finished check-in: free text, pain sites, answers so far (encrypted at rest)
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProcessedUpdate(Base):
    """The inbox: each Telegram update id is recorded once, before it is acted on.

    ``status``: ``received`` (to handle), ``done`` (handled: its effects and its replies were
    committed with this row), ``failed`` (quarantined after ``attempts`` tries; the payload is
    kept so an operator can retry it) or ``dropped`` (an operator gave up on it).
    """

    __tablename__ = "processed_update"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    # the raw update (the athlete's message) until handled: encrypted at rest (key set)
    payload: Mapped[str | None] = mapped_column(EncryptedText)
    processed_at: Mapped[dt.datetime | None]
    # handling attempts started (a crash mid-handling counts too) and the last error's class
    # and place, never its message (which may quote a health value)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(200))
    # what the update must stay in order with, outside the encrypted payload: several bot
    # processes find a chat's earlier pending updates by these (`inbox.earlier_pending`)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class SentReminder(Base):
    """A daily reminder sent: one row per user and local day, so that each bot process may
    run the reminder schedule and still only one of them sends (the one whose row landed)."""

    __tablename__ = "sent_reminder"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """A reply committed in the same transaction as the update that caused it, then sent.

    Why: a crash between "stored" and "answered" must neither lose the answer nor make a
    replay compute a different one; the sender marks each row ``sent`` (or ``failed`` /
    ``blocked``) right after Telegram's answer. ``kind`` is ``reply`` (sent in order with its
    update), ``copy`` (a student's broadcast copy, planned just before it is sent) or
    ``report`` (a broadcast's delivery report, sent once every copy has an outcome).
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    update_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(8), default="reply")
    chat_id: Mapped[int] = mapped_column(BigInteger)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # the reply (text, buttons, picture): health values, so encrypted at rest (key set)
    body: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class BackgroundJob(Base):
    """Work that must not hold up a reply (a full re-plan, a first week), run once by a worker.

    The row is written in the transaction of the action that asked for it, so a crash loses
    no job; ``key`` makes asking twice a no-op (person, day and the update that caused it);
    the worker marks ``done`` in the transaction of the job's own effects, so a job delivered
    twice (a worker killed before its acknowledgement) changes nothing the second time.
    ``args`` hold ids and dates only, never health values.
    """

    __tablename__ = "background_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    not_before: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    published_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


class AuditLog(Base):
    """Who did what to whose data (never health values)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(48))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# ---- teams, classes, coaching ------------------------------------------------------------


class Override(Base):
    """A coach's decision for one athlete's session on one day; the planner applies it last.

    ``intensity_factor`` and ``volume_factor`` multiply nothing: they replace the planner's
    factors for that day (0 = rest). ``coach_id`` is SET NULL when the coach erases their data,
    so the athlete keeps the record of what was decided for them.
    """

    __tablename__ = "coach_override"
    __table_args__ = (UniqueConstraint("person_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_group.id", ondelete="SET NULL")
    )
    day: Mapped[dt.date] = mapped_column(Date)
    intensity_factor: Mapped[float] = mapped_column(Float, default=1.0)
    volume_factor: Mapped[float] = mapped_column(Float, default=1.0)
    # a coach's words about the athlete ("knee rehab week"): encrypted at rest (key set);
    # at most 500 characters (storage.groups.set_override), TEXT to hold the ciphertext
    note: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReadinessMark(Base):
    """The readiness colour last seen for an athlete, so a coach is alerted on a flip only."""

    __tablename__ = "readiness_mark"

    person_id: Mapped[int] = mapped_column(
        ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    readiness: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Broadcast(Base):
    """A teacher's class broadcast and its delivery report."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("chat_group.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    deliveries: Mapped[list[BroadcastDelivery]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class BroadcastDelivery(Base):
    """One student's copy of a broadcast: queued, sent, failed or blocked (bot blocked)."""

    __tablename__ = "broadcast_delivery"
    __table_args__ = (UniqueConstraint("broadcast_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcast.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    error: Mapped[str | None] = mapped_column(String(64))


# ---- coach approval, digests -------------------------------------------------------------


class ApprovalSetting(Base):
    """How a coach wants an athlete's (``person_id``) or a team's (``group_id``) new plans:
    ``auto``, ``changes`` (a change beyond ``threshold`` of load, a swapped exercise, a rest
    day needs approval) or ``all``. A team's row is the default of its athletes."""

    __tablename__ = "approval_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey(PERSON_FK, ondelete="CASCADE"), unique=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_group.id", ondelete="CASCADE"), unique=True)
    mode: Mapped[str] = mapped_column(String(8), default="auto")
    threshold: Mapped[float] = mapped_column(Float, default=0.10)
    set_by: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanRevision(Base):
    """One version of a day's plan beside the stored one: a draft waiting for the coach
    (``pending``, then ``approved`` / ``rejected`` / ``edited`` / ``superseded``), or a plan
    that a newer one replaced (``replaced``, what /undo restores; ``restored`` while the
    restored plan holds, ``released`` after). ``session`` is the whole stored form of the
    plan (title, factors, exercises, explanation, inputs); ``reasons`` why it needs review."""

    __tablename__ = "plan_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), index=True)
    # the plan names pain sites and the reasons repeat them: encrypted at rest (key set)
    session: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    reasons: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="SET NULL"))


class DailyClaim(Base):
    """A once-a-day message claimed (a coach's digest, an athlete's nudge): one row per kind,
    user and day, so several bot processes running the same schedule send it once."""

    __tablename__ = "daily_claim"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
