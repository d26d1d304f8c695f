"""Charts in the reader's language: every label marked for the catalogs, Chinese drawn with a
CJK font (no glyph missing), and English with a warning when no CJK font is installed."""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from collections.abc import Callable, Iterator

import pytest

from bot import chart_text as words
from bot import i18n
from planner import charts
from planner.loadtypes import LoadMetrics, SessionLoad, WellnessDay
from planner.readiness import metrics_history

D0 = dt.date(2026, 10, 1)
PNG = b"\x89PNG\r\n\x1a\n"
CHINESE_CELLS = ("运动员", "级别", "红色")


def _history() -> list[LoadMetrics]:
    sessions = [SessionLoad(D0 + dt.timedelta(days=i), 3 + i % 5, 50) for i in range(45)]
    wellness = [WellnessDay(D0 + dt.timedelta(days=i), 2 + i % 3, 2, 3, 2) for i in range(45)]
    return metrics_history(sessions, wellness, D0, D0 + dt.timedelta(days=44))


def _every_chart(text: charts.ChartText, name: str = "Li",
                 cells: tuple[str, str, str] = ("athlete", "level", "red")) -> list[bytes]:
    """The report, the team chart (one athlete without an ACWR yet: "n/a") and a table (its
    cells come worded by the caller)."""
    history = _history()
    team = [(name, history[-1]), ("Ana", history[3])]
    return [charts.report_chart(history, name, text=text), charts.team_chart(team, text),
            charts.table_png(cells[:2], [[name, cells[2]]], title=name, text=text)]


def _missing_glyphs(draw: Callable[[], object]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    words.cjk_families.cache_clear()
    monkeypatch.setattr(words, "_font_file", lambda: None)
    yield
    words.cjk_families.cache_clear()  # the next caller finds the real font again


def test_every_label_the_charts_draw_is_marked_for_translation() -> None:
    asked: set[str] = set()

    def record(text: str) -> str:
        asked.add(text)
        return text

    _every_chart(charts.ChartText(translate=record))
    assert asked, "the charts asked for no label"
    assert asked <= set(words.CHART_WORDS), asked - set(words.CHART_WORDS)


def test_a_chinese_chart_has_every_glyph() -> None:
    with i18n.language("zh"):
        assert words.chart_language() == "zh"
        text = words.chart_text()
    assert text.families[0] == "Noto Sans CJK SC" and text.families[1] == "DejaVu Sans"
    assert text.translate("Weekly load and monotony") == "每周负荷与单调性"
    assert text.number(1.25, 2) == "1.25"
    pngs: list[bytes] = []
    assert _missing_glyphs(lambda: pngs.extend(_every_chart(text, "李明", CHINESE_CELLS))) == []
    assert all(png.startswith(PNG) for png in pngs)
    # the same words in matplotlib's default font lack the glyphs: the check above can fail
    bare = charts.ChartText(translate=text.translate)
    assert _missing_glyphs(lambda: _every_chart(bare, "李明", CHINESE_CELLS))


def test_a_german_chart_writes_decimals_the_german_way() -> None:
    with i18n.language("de"):
        text = words.chart_text()
    assert text.families == () and text.numeric_dates
    assert text.number(0.8, 1) == "0,8"
    assert text.translate("Team readiness ({note})") == "Bereitschaft des Teams ({note})"
    assert charts.team_chart([("Ana", _history()[-1])], text).startswith(PNG)


def test_english_charts_stay_english() -> None:
    assert words.chart_text() is charts.ENGLISH
    assert charts.ENGLISH.translate("monotony") == "monotony"
    assert charts.ENGLISH.number(1.3, 1) == "1.3" and not charts.ENGLISH.families


@pytest.mark.usefixtures("no_cjk_font")
def test_without_a_cjk_font_chinese_charts_are_english_and_say_so_once(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.chart_text"), i18n.language("zh"):
        assert words.chart_language() == "en"
        assert words.chart_language() == "en"
        with i18n.language(words.chart_language()):
            assert words.chart_text() is charts.ENGLISH
    warned = [r for r in caplog.records if "no CJK font" in r.getMessage()]
    assert len(warned) == 1
    with i18n.language("de"):
        assert words.chart_language() == "de"  # only the languages that need the font


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_chinese_name_on_another_languages_chart_has_every_glyph(lang: str) -> None:
    """An English or German coach with an athlete named in Chinese characters: the name needs
    the CJK font too (the labels stay in the coach's language)."""
    with i18n.language(lang):
        text = words.chart_text(["李明", "Ana"])
        plain = words.chart_text(["Ana", "Ben"])
    assert text.families and not plain.families  # only a chart that needs it changes font
    assert _missing_glyphs(lambda: _every_chart(text, name="李明")) == []
    assert _missing_glyphs(lambda: _every_chart(plain, name="李明"))  # the check can fail
