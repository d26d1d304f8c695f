"""Every message the bot can send has a real translation in every language it speaks.

The message ids are extracted from ``bot/`` as `coachloop i18n check` does; a catalog that
misses one, leaves it empty or fuzzy, changes a ``{placeholder}`` or has the wrong number of
plural forms fails here, so a new text cannot ship in English only.
"""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot import i18n
from bot.commands import i18n as catalogs

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogs.extract()


def test_extraction_finds_the_day_path_texts(template: Catalog) -> None:
    ids = {m.id for m in template if m.id}
    assert len(ids) > 200
    assert "Thank you! Consent recorded." in ids  # a plain _()
    assert "What I can do:" in ids  # an N_() in texts.py
    assert ("{n} member", "{n} members") in ids  # an ngettext()
    assert "consent, profile, or a welcome back" in ids  # a help text


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_id_is_translated(lang: str, template: Catalog) -> None:
    found = catalogs.problems(lang, template)
    assert not found, "run `coachloop i18n update`, then translate:\n" + "\n".join(found[:20])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_catalog_compiles_and_translates(lang: str) -> None:
    with i18n.language(lang):
        assert i18n._("What I can do:") != "What I can do:"
        forms = {i18n.ngettext("{n} member", "{n} members", n) for n in (1, 2, 5)}
    assert all("{n}" in form for form in forms)


def _catalog(po: str) -> Catalog:
    head = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
            'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n')
    return read_po(io.BytesIO((head + po).encode()), locale="ru")


def test_the_check_catches_each_kind_of_gap() -> None:
    template = Catalog()
    for message in ("Hello {name}.", "Bye.", "Gone.", "Odd {x}."):
        template.add(message)
    template.add(("{n} day", "{n} days"))
    broken = _catalog(
        'msgid "Hello {name}."\nmsgstr "Привет, {имя}."\n\n'  # a translated placeholder
        'msgid "Bye."\nmsgstr ""\n\n'  # empty
        '#, fuzzy\nmsgid "Odd {x}."\nmsgstr "Странно {x}."\n\n'  # fuzzy: never shown
        'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n} день"\nmsgstr[1] "{n} дня"\n'
    )
    found = "\n".join(catalogs.problems("ru", template, broken))
    assert "placeholders ['имя'] differ" in found
    assert "no translation: 'Bye.'" in found
    assert "missing 'Gone.'" in found
    assert "fuzzy 'Odd {x}.'" in found
    assert "an empty plural form: '{n} day'" in found  # 2 forms given, Russian has 3


def test_a_complete_catalog_passes_the_check() -> None:
    template = Catalog()
    template.add("Hello {name}.")
    template.add(("{n} day", "{n} days"))
    good = _catalog('msgid "Hello {name}."\nmsgstr "Привет, {name}."\n\n'
                    'msgid "{n} day"\nmsgid_plural "{n} days"\n'
                    'msgstr[0] "{n} день"\nmsgstr[1] "{n} дня"\nmsgstr[2] "{n} дней"\n')
    assert catalogs.problems("ru", template, good) == []
