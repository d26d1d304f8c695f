"""The interface language: message catalogs, the language of the current turn, and locale
formatting of dates and numbers.

Every text the bot sends is an English message id looked up in a gettext catalog
(``bot/locale/<lang>/LC_MESSAGES/coachloop.po``). The .po files are the source kept in git;
they are compiled in memory the first time a language is used (Babel's ``read_po`` and
``write_mo``), so there is no build step and no stale .mo beside its .po.

The language is a `ContextVar`, set once for each turn (`language`), so that every reply
built while the turn is handled reads it without a parameter threaded through each helper;
a reply to someone else (a coach's alert, a broadcast copy, a reminder) is built inside
``with language(their_code):``. A context variable, unlike a global, stays right when one
process handles several chats at once in threads or tasks.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

DOMAIN = "coachloop"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
LANGUAGES = ("en", "es", "de", "ru", "zh")
"""The interface languages, English first (the message ids are English)."""
NATIVE_NAMES = {"en": "English", "es": "Español", "de": "Deutsch", "ru": "Русский",
                "zh": "中文（简体）"}
BABEL_LOCALES = {"en": "en", "es": "es", "de": "de", "ru": "ru", "zh": "zh_Hans_CN"}

_current: ContextVar[str] = ContextVar("coachloop_language", default=DEFAULT)


def normalise(code: str | None) -> str | None:
    """The supported base language of a code ("es-419" -> "es", "zh-hans" -> "zh"), or None.

    Telegram reports IETF tags (``pt-br``, ``zh-hans``); only the base matters for the
    catalogs we ship. Anything else, or not a code at all, is None (the caller falls back).
    """
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else None


def resolve(chosen: str | None, reported: str | None) -> str:
    """A person's language: their own choice, else what Telegram reports, else English."""
    return normalise(chosen) or normalise(reported) or DEFAULT


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English and a missing catalog: the message ids)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def current() -> str:
    """The language of the turn being handled (English outside any turn)."""
    return _current.get()


def set_current(lang: str) -> None:
    """Switch the current turn to ``lang`` (a person's choice read mid-turn, /language)."""
    _current.set(normalise(lang) or DEFAULT)


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """``with language("es"):`` builds every text inside in Spanish, then restores."""
    token = _current.set(normalise(code) or DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """The current language's text of an English message id."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message the current language uses for ``n`` (Russian has 3)."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # gettext's own name for a marker
    """Mark a message id for extraction where it is defined; translated where it is used."""
    return message


def babel_locale(lang: str | None = None) -> Locale:
    """The Babel locale of a language (the current one by default)."""
    return Locale.parse(BABEL_LOCALES.get(lang or current(), DEFAULT))


def day_label(day: dt.date) -> str:
    """Weekday, day and month: "Mon 23 Nov", "lun, 23 nov", "Mo., 23. Nov.", "11月23日周一"."""
    if current() == DEFAULT:
        return day.strftime("%a %d %b")
    return format_skeleton("MMMEd", day, locale=babel_locale())


def weekday_label(day: dt.date) -> str:
    """Weekday and day of the month, for a week's list ("Mon 23", "lun 23", "23日周一")."""
    if current() == DEFAULT:
        return day.strftime("%a %d")
    return format_skeleton("Ed", day, locale=babel_locale())


def decimal(value: float, digits: int = 0) -> str:
    """A number with ``digits`` decimals in the current locale's form (1.5, 1,5)."""
    if current() == DEFAULT:  # Python's own rounding: English replies read as they always did
        return f"{value:.{max(digits, 0)}f}"
    pattern = "0" if digits <= 0 else "0." + "0" * digits
    return format_decimal(value, format=pattern, locale=babel_locale())


def signed(value: float, digits: int = 2) -> str:
    """A number with its sign always shown (+0.30, -1,25)."""
    text = decimal(abs(value), digits)
    return ("-" if value < 0 else "+") + text


def percent(value: float) -> str:
    """A fraction as a whole percentage in the current locale (70%, 70 %)."""
    if current() == DEFAULT:
        return f"{value:.0%}"
    return format_percent(value, format="#,##0%", locale=babel_locale())
