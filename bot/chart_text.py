"""Charts in the reader's language: the words `planner.charts` draws, marked for the catalogs,
and the font that has their glyphs.

`planner.charts` draws English labels unless given a `ChartText`; the bot builds one from the
current language (`chart_text`). Chinese needs a CJK font: matplotlib's default (DejaVu Sans)
has no Chinese glyphs and draws boxes. The ``mplfonts`` package ships Noto Sans CJK SC; its file
is found without importing the package (importing it changes matplotlib's global settings) and
registered with matplotlib once, the first time a Chinese chart is drawn. DejaVu Sans stays
the fallback for the Latin letters and symbols. Without the font a Chinese reader gets the
chart in English (`chart_language`), with one warning in the log, never a chart of boxes.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from bot import i18n
from bot.i18n import N_
from planner.charts import ENGLISH, ChartText

log = logging.getLogger(__name__)

CJK_LANGUAGES = frozenset({"zh"})
CJK_FONT = Path("fonts") / "NotoSansCJKsc-Regular.otf"
LATIN_FALLBACK = "DejaVu Sans"

CHART_WORDS = (
    N_("CTL (42-day)"), N_("ATL (7-day)"), N_("Performance-management chart"),
    N_("ACWR rolling"), N_("ACWR EWMA"), N_("Acute:chronic load ratio ({note})"),
    N_("describes load change; not an injury predictor (Impellizzeri et al. 2020)"),
    N_("weekly load"), N_("AU / week"), N_("monotony"), N_("Weekly load and monotony"),
    N_("Hooper index"), N_("7-day mean"), N_("Wellness (Hooper index; higher is worse)"),
    N_("Banister fit"), N_("planned load ({load} AU/day)"), N_("tests"),
    N_("predicted {day}: {value}"), N_("{unit}, higher is better"),
    N_("3000 m run"), N_("1000 m / 800 m run"), N_("50 m sprint"), N_("standing long jump"),
    N_("m/s"), N_("m/s (nominal 1000 m)"), N_("cm"),
    N_("n/a"), N_("ACWR (rolling); colour = readiness"), N_("Team readiness ({note})"),
)
"""Every English label `planner.charts` passes to ``translate`` (a test keeps them in step)."""


def _font_file() -> Path | None:
    """Noto Sans CJK SC from the ``mplfonts`` package directory, or None."""
    spec = importlib.util.find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / CJK_FONT
        if path.is_file():
            return path
    return None


@cache
def cjk_families() -> tuple[str, ...] | None:
    """The font families for CJK text (the CJK font, then DejaVu Sans), registered with
    matplotlib on the first call; None, with one warning, when no CJK font is installed."""
    path = _font_file()
    if path is None:
        log.warning("no CJK font found (the mplfonts package's %s): Chinese charts are drawn "
                    "in English", CJK_FONT)
        return None
    # matplotlib: heavy, and only needed once a chart needs the CJK font
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return (name, LATIN_FALLBACK)


def chart_language() -> str:
    """The language charts are drawn in: the current one, or English when it needs a font
    that is not installed."""
    lang = i18n.current()
    if lang in CJK_LANGUAGES and cjk_families() is None:
        return i18n.DEFAULT
    return lang


def _has_cjk(texts: Iterable[str]) -> bool:
    """Whether any text holds Chinese, Japanese or Korean characters (an athlete's name)."""
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or
               "\uf900" <= ch <= "\ufaff" for text in texts for ch in text)


def chart_text(names: Iterable[str] = ()) -> ChartText:
    """The `ChartText` of the current language (call it inside
    ``with i18n.language(chart_language()):`` so a missing font means English).

    ``names`` are the people's names the chart shows: a name in Chinese characters on an
    English or German coach's chart needs the CJK font too, or it is drawn as boxes.
    """
    lang = i18n.current()
    cjk = lang in CJK_LANGUAGES or _has_cjk(names)
    families = (cjk_families() or ()) if cjk else ()
    if lang == i18n.DEFAULT:
        return replace(ENGLISH, families=families) if families else ENGLISH

    def number(value: float, digits: int) -> str:
        with i18n.language(lang):  # the chart's language, wherever it is drawn
            return i18n.decimal(value, digits)

    return ChartText(translate=i18n.translations(lang).gettext, number=number,
                     families=families, numeric_dates=True)
