"""The channel-agnostic dialogue: consent first, check-in conversation, /today and /why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bot.dialogue import Dialogue, texts
from bot.replies import Incoming, Reply
from planner.daily import PlannedDay
from storage.schema import Base, CheckIn, Person, PrescribedSession

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


class Chat:
    """Drives the dialogue as one user would."""

    def __init__(self, dialogue: Dialogue, user_id: int = 7) -> None:
        self.dialogue = dialogue
        self.user_id = user_id
        self.update_id = 100

    def send(self, text: str | None = None, *, button: str | None = None,
             at: dt.datetime = NOW) -> list[Reply]:
        self.update_id += 1
        return self.dialogue.handle(
            Incoming(user_id=self.user_id, chat_id=self.user_id, display_name="Ana",
                     received_at=at, text=text, callback=button, update_id=self.update_id)
        )

    def onboard(self) -> None:
        self.send("/start")
        self.send(button="consent:yes")
        self.send(button="sex:F")
        self.send("2007")
        self.send("running")


def _planned(dialogue: Dialogue, day: dt.date) -> PlannedDay:
    """What the planner decides for the chat's athlete (user 7) on ``day``."""
    from bot.services.planning import plan_and_store
    from storage import people

    with dialogue.database.session() as s:
        person = people.get_by_telegram_id(s, 7)
        assert person is not None
        return plan_and_store(s, person, day, dialogue.planning)


def _count(db: object, model: type) -> int:
    from storage.db import Database

    assert isinstance(db, Database)
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_nothing_is_stored_before_consent(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    replies = chat.send("/start")
    assert "Do you agree?" in replies[0].text
    assert [b.data for b in replies[0].buttons[0]] == ["consent:yes", "consent:no"]
    chat.send("RPE 7, 60 min, legs heavy")
    chat.send("/checkin")
    chat.send(button="consent:no")
    with dialogue.database.session() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in ("alembic_version", "processed_update"):
                continue
            assert s.execute(select(table)).all() == [], table.name


def test_full_checkin_conversation_stores_every_answer(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    assert "RPE 0" in chat.send("/checkin")[0].text
    assert "minutes" in chat.send(button="rpe:7")[0].text
    assert "Sleep" in chat.send("60")[0].text
    chat.send(button="hooper:sleep_quality:3")
    chat.send(button="hooper:stress:2")
    chat.send(button="hooper:fatigue:5")
    assert "How do you feel" in chat.send(button="hooper:soreness:6")[0].text
    replies = chat.send("Great session, I crushed it but my knee hurts a bit")
    assert replies[0].text.startswith("Saved")
    assert "load 420" in replies[0].text
    with dialogue.database.session() as s:
        row = s.scalars(select(CheckIn)).one()
        assert (row.rpe, row.minutes, row.sleep_quality, row.stress, row.fatigue,
                row.soreness) == (7, 60, 3, 2, 5, 6)
        assert row.free_text is not None and "knee" in row.free_text
        assert "knee" in row.pain_sites
        assert row.sentiment_level is not None and row.sentiment_backends


def test_free_text_checkin_asks_only_for_what_is_missing(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    replies = chat.send("legs heavy after intervals, rpe 8")
    assert "How many minutes" in replies[0].text
    replies = chat.send("45")
    assert replies[0].text.startswith("Saved")
    with dialogue.database.session() as s:
        row = s.scalars(select(CheckIn)).one()
        assert (row.rpe, row.minutes) == (8, 45)


def test_complete_free_text_checkin_is_stored_at_once(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    replies = chat.send("RPE 7, 60 min, legs heavy")
    assert replies[0].text.startswith("Saved")
    assert _count(dialogue.database, CheckIn) == 1


def test_stale_or_forged_buttons_change_nothing(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    assert "earlier question" in chat.send(button="rpe:7")[0].text
    chat.send("/checkin")
    assert "earlier question" in chat.send(button="rpe:99")[0].text
    assert "earlier question" in chat.send(button="hooper:stress:3")[0].text
    assert _count(dialogue.database, CheckIn) == 0


def test_today_and_why_explain_a_pain_guard(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    chat.send("RPE 6, 40 min, my knee hurts", at=NOW - dt.timedelta(days=1))
    today = chat.send("/today")[0].text
    assert "Mon 23 Nov" in today
    assert "Brisk walk" in today and "(instead of Easy run)" in today  # the run loads the knee
    why = chat.send("/why")[0].text
    assert "knee" in why and "Pain guard" in why
    assert _count(dialogue.database, PrescribedSession) >= 1


def test_profile_answers_are_validated(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.send("/start")
    chat.send(button="consent:yes")
    chat.send(button="sex:M")
    assert "year like 2007" in chat.send("year two thousand")[0].text
    chat.send("2006")
    chat.send("football")
    with dialogue.database.session() as s:
        person = s.scalars(select(Person)).one()
        assert (person.sex, person.birth_year, person.sport) == ("M", 2006, "football")
        assert person.consent_at is not None


def test_out_of_range_minutes_are_asked_again(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    chat.send("/checkin")
    chat.send(button="rpe:5")
    assert "between 0 and 600" in chat.send("10000")[0].text
    assert _count(dialogue.database, CheckIn) == 0


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="coachloop-test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><name>Test run</name><type>running</type><trkseg>
{points}
</trkseg></trk></gpx>
"""


def _gpx_run() -> bytes:
    start = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)
    points = []
    for i in range(120):
        t = (start + dt.timedelta(seconds=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 46.0 + i * 0.0003
        points.append(f'<trkpt lat="{lat:.6f}" lon="14.5"><ele>300</ele><time>{t}</time></trkpt>')
    return GPX.format(points="\n".join(points)).encode()


def test_a_wearable_file_is_imported_once(dialogue: Dialogue) -> None:
    from bot.replies import Upload
    from storage.schema import Activity

    chat = Chat(dialogue)
    chat.onboard()
    upload = Upload("run.gpx", _gpx_run(), "application/gpx+xml")
    for _ in range(2):
        chat.update_id += 1
        replies = dialogue.handle(Incoming(user_id=7, chat_id=7, display_name="Ana",
                                           received_at=NOW, upload=upload,
                                           update_id=chat.update_id))
    assert "already imported" in replies[0].text
    assert _count(dialogue.database, Activity) == 1


def test_files_before_consent_are_refused_and_not_stored(dialogue: Dialogue) -> None:
    from bot.replies import Upload
    from storage.schema import Activity

    replies = dialogue.handle(Incoming(user_id=9, chat_id=9, display_name="X", received_at=NOW,
                                       upload=Upload("run.gpx", _gpx_run())))
    assert "/start" in replies[0].text
    assert _count(dialogue.database, Activity) == 0


def test_an_absurd_rpe_is_named_and_asked_again(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    replies = chat.send("rpe 99, 40 min, fine")
    assert "RPE 99 can't be right (0 to 10)" in replies[0].text
    assert "RPE 0" in replies[1].text
    assert _count(dialogue.database, CheckIn) == 0


def test_zip_bombs_oversized_and_hostile_files_are_refused_cleanly(dialogue: Dialogue) -> None:
    import io
    import zipfile

    from bot.replies import Upload
    from storage.schema import Activity

    chat = Chat(dialogue)
    chat.onboard()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activity.fit", b"\0" * 50_000_000)  # 50 MB of zeros, ~50 kB zipped
    xxe = (b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<gpx version="1.1"><trk><name>&x;</name></trk></gpx>')
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE gpx [{entities}]><gpx version="1.1">'
              "<trk><name>&l9;</name></trk></gpx>").encode()  # a billion "lol"s if expanded
    files = [Upload("export.zip", bomb.getvalue(), "application/zip"),
             Upload("big.fit", b"\0" * (dialogue.max_upload_bytes + 1)),
             Upload("evil.gpx", xxe, "application/gpx+xml"),
             Upload("laughs.gpx", laughs, "application/gpx+xml"),
             Upload("photo.fit", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png"),
             Upload("empty.tcx", b""),
             Upload("cut.fit", b"\x0e\x10\x6c\x00\xff\xff\xff\x7f.FIT\x00"),
             Upload("odd.csv", "date;hr\n\u202e2026-11-23;-70\n\x00;1e309\n".encode()),
             Upload("half.tcx", b'<?xml version="1.0"?><TrainingCenterDatabase><Activities>')]
    for upload in files:
        replies = dialogue.handle(Incoming(user_id=7, chat_id=7, display_name="Ana",
                                           received_at=NOW, upload=upload))
        assert len(replies) == 1 and replies[0].text, upload.file_name
        assert replies[0].text != texts.SORRY, upload.file_name  # refused, not crashed
        assert "passwd" not in replies[0].text and "root:" not in replies[0].text
    assert _count(dialogue.database, Activity) == 0


def test_personal_commands_in_a_group_chat_are_refused_and_nothing_is_stored(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()

    def in_group(text: str | None = None, button: str | None = None) -> list[Reply]:
        return dialogue.handle(Incoming(user_id=7, chat_id=-1001, chat_type="supergroup",
                                        display_name="Ana", received_at=NOW, text=text,
                                        callback=button))

    for command in ("/checkin", "/today", "/why", "/start"):
        assert "private" in in_group(command)[0].text
    assert in_group("rpe 7, 60 min, my knee hurts") == []
    assert "private" in in_group(button="rpe:7")[0].text
    assert _count(dialogue.database, CheckIn) == 0


def test_pain_without_a_site_is_stored_as_a_flag_and_located_later(dialogue: Dialogue) -> None:
    """ "It hurts" is a safety flag even before the athlete says where; then the site sticks."""
    from bot.dialogue import texts

    chat = Chat(dialogue)
    chat.onboard()
    replies = chat.send("it hurts when I run, rpe 6, 40 min")
    assert replies[0].text.startswith("Saved") and "pain: unspecified" in replies[0].text
    assert replies[1].text == texts.ASK_PAIN_SITE
    with dialogue.database.session() as s:
        assert s.scalars(select(CheckIn)).one().pain_sites == ["unspecified"]
    tomorrow = _planned(dialogue, NOW.date() + dt.timedelta(days=1))
    assert tomorrow.explanation.rules[0].code == "pain_guard"
    located = chat.send("left knee sore")
    assert "pain in your left knee" in located[0].text
    with dialogue.database.session() as s:
        row = s.scalars(select(CheckIn)).one()  # still one check-in: the site was added to it
        assert row.pain_sites == ["knee"]


def test_a_replaced_decision_leaves_an_audit_line(dialogue: Dialogue) -> None:
    """New data changes today's session; what the bot said before stays on record."""
    from storage.schema import AuditLog

    chat = Chat(dialogue)
    chat.onboard()
    chat.send("RPE 6, 40 min, felt fine", at=NOW - dt.timedelta(days=1))
    before = chat.send("/today")[0].text
    chat.send("knee pain after a fall, rpe 3, 20 min")
    after = chat.send("/today")[0].text
    with dialogue.database.session() as s:
        audit = s.scalars(select(AuditLog).where(
            AuditLog.action == "prescription_replaced")).all()
    assert before != after, "knee pain swaps the Monday run"
    assert len(audit) == 1 and audit[0].detail["day"] == "2026-11-23"
    assert "easy_run" in audit[0].detail["exercises"]
    assert "easy_run" not in audit[0].detail["new_exercises"]
    chat.send("/today")  # the same decision again: no new line
    with dialogue.database.session() as s:
        assert len(s.scalars(select(AuditLog).where(
            AuditLog.action == "prescription_replaced")).all()) == 1
