"""The digest and the flags worded in the reader's language from the planner's inputs: a
German coach reads no English flag sentence, and English reads as the planner wrote it."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import i18n
from bot.digest_text import digest_text, table_header, table_rows
from bot.flag_text import flag_label, load_text, triage_text
from planner.digest import AthleteDay, DigestRow, digest_rows
from planner.flags import load_flags
from planner.frbi import Frbi
from tests.planner.test_digest import TODAY, _steady

LANGUAGES = ("es", "de", "ru", "zh")


def _rows() -> list[DigestRow]:
    """Every kind of digest flag: wellness worse (total, items, worst answers), an ACWR spike
    and a load spike, pain with its side, silence and no watch file, a skipped day, away."""
    quiet = _steady(5, "Eve")
    quiet = AthleteDay(quiet.key, quiet.name, quiet.sessions, quiet.wellness,
                       checkin_days=[d for d in quiet.checkin_days if (TODAY - d).days > 3],
                       file_days=[TODAY - dt.timedelta(days=i) for i in range(4, 20)])
    return digest_rows([
        _steady(1, "Ana"), _steady(2, "Ben", worse=True),
        _steady(3, "Cleo", pain_sites=("knee",), pain_sides={"knee": "left"}),
        _steady(4, "Dev", last_load=1500.0), quiet, _steady(6, "Fay", yesterday="skipped"),
        _steady(7, "Gil", away_until=TODAY + dt.timedelta(days=2))], TODAY)


def test_every_digest_flag_is_worded_in_each_language() -> None:
    rows = _rows()
    flags = [f for r in rows for f in r.flags]
    assert {"wellness_z_total", "wellness_z_fatigue", "wellness_poor_stress", "acwr_spike",
            "load_spike", "pain", "no_checkin", "no_wearable", "session_skipped",
            "away"} <= {f.code for f in flags}
    for lang in LANGUAGES:
        with i18n.language(lang):
            for flag in flags:
                assert triage_text(flag) != flag.message, (lang, flag.code)
                assert flag_label(flag.code) != flag.code, (lang, flag.code)


def test_a_german_coachs_digest_and_table_have_no_english_flag() -> None:
    rows = _rows()
    with i18n.language("de"):
        text = digest_text(rows, TODAY, "Rudern")
        header, cells = table_header(), table_rows(rows)
    assert text.startswith("☀️ Rudern, Do., 3. Dez.: Aufmerksamkeit nötig bei 5 von 7.\n"
                           "Wer Aufmerksamkeit braucht:")
    for flag in (f for r in rows for f in r.flags):
        assert flag.message not in text
    assert "   - Schmerz: Knie (links) (in den letzten 3 Tagen gemeldet)" in text
    assert "   - seit 4 Tagen kein Check-in (zuletzt So., 29. Nov.)" in text
    assert "Gil (ACWR 1,00, Belastung 900 AU/7 T.) - abwesend bis Sa., 5. Dez." in text
    assert "ACWR 1,75 >= 1,5 (obere Seite, Gabbetts Gefahrenzone)" in text
    assert "Müdigkeit 2,7 SD schlechter als in den letzten 28 Tagen dieser Person (gestern 6, " \
           "üblich 3,3 auf 1-7, höher ist schlechter)" in text
    assert text.endswith("sagen keine Verletzungen voraus.")
    assert header == ["Athlet/in", "Ampel", "ACWR", "Belastung 7 T. (AU)", "Umsetzung 7 T.",
                      "Hinweise"]
    dev = next(row for row in cells if row[0] == "Dev")
    assert dev == ["Dev", "rot", "1,75", "2100", "-", "ACWR-Spitze, Belastungsspitze"]
    codes = {f.code for r in rows for f in r.flags}
    assert not [cell for row in cells for cell in row[5].split(", ") if cell in codes]


def test_english_reads_as_the_planner_wrote_it() -> None:
    rows = _rows()
    text = digest_text(rows, TODAY, "Rowing")
    assert text.startswith("☀️ Rowing, Thu 03 Dec: 5 of 7 need attention.\nWho needs attention:")
    for flag in (f for r in rows for f in r.flags):
        assert f"   - {flag.message}" in text or f" - {flag.message}" in text
    assert "   - pain: left knee (reported in the last 3 days)" in text
    assert "🔴 Dev (ACWR 1.75, load 2100 AU/7d)" in text
    assert table_header() == ["athlete", "level", "ACWR", "load 7d (AU)", "compliance 7d",
                              "flags"]
    assert next(r for r in table_rows(rows) if r[0] == "Dev") == [
        "Dev", "red", "1.75", "2100", "-", "acwr_spike, load_spike"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_days_load_flags_are_worded_in_each_language(lang: str) -> None:
    flags = (load_flags(1.6, 2.4, 6500.0, {"fatigue": 2.5, "hooper": 1.2}, 14.0,
                        Frbi(1.3, 1.3, 1.1))
             + load_flags(1.35, None, None, {}, None, Frbi(1.25, 1.25, None))
             + load_flags(0.6, None, None, {}, None, None))
    assert len({f.code for f in flags}) == 9
    with i18n.language(lang):
        worded = [load_text(f) for f in flags]
    for flag, text in zip(flags, worded, strict=True):
        assert text != flag.message, flag.code
    if lang in ("es", "de", "ru"):
        assert "1,60" in worded[0]  # the reader's decimal comma
    assert [load_text(f) for f in flags] == [f.message for f in flags]  # English: as written
