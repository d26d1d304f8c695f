"""`coachloop i18n extract|update|check`: the message catalogs kept in step with the code.

``extract`` reads every message id the bot marks (``_``, ``N_``, ``ngettext``), and the
planner's English names the bot translates (exercises, session titles, emphases, test items:
`bot.catalogue_words.vocabulary`, read from ``planner/data``), into
``bot/locale/coachloop.pot``; ``update`` merges it into each language's .po (new ids come in
with an empty translation, ids the code no longer has go); ``check`` lists what a catalog
lacks: a missing or empty translation, a fuzzy one, a ``{placeholder}`` that differs from the
English, or the wrong number of plural forms. The catalog test runs the same check, so a
message added without its translations fails the build.

Babel is already what the bot loads its catalogs with, so it is imported at module level.
"""

from __future__ import annotations

import string
from pathlib import Path

import typer
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot import i18n
from bot.catalogue_words import vocabulary

BOT = Path(__file__).resolve().parents[1]
TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
WIDTH = 100

i18n_app = typer.Typer(help="Message catalogs: extract, update, check.", no_args_is_help=True)


def extract() -> Catalog:
    """Every message id marked in ``bot/``, with where it is used and translators' notes, and
    the planner's names the bot shows (so a new exercise needs its translations too)."""
    catalog = Catalog(project="coachloop", domain=i18n.DOMAIN, fuzzy=False)
    found = extract_from_dir(BOT, method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, locations=[(f"bot/{filename}", lineno)],
                    auto_comments=comments, context=context)
    for message, source in vocabulary():
        known = catalog.get(message)
        if known is None:
            catalog.add(message, locations=[(source, 0)],
                        auto_comments=["TRANSLATORS: a name from the planner's catalogue"])
        else:
            known.locations.append((source, 0))
    return catalog


def po_path(lang: str) -> Path:
    """Where a language's catalog lives."""
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def read(lang: str) -> Catalog:
    """A language's catalog as stored (an empty one if there is none yet)."""
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=i18n.DOMAIN, fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=i18n.DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    """Write a catalog the same way every time (sorted, one header), so diffs stay small."""
    catalog.project, catalog.version = "coachloop", "1"
    catalog.copyright_holder = catalog.last_translator = "the coachloop authors"
    catalog.msgid_bugs_address = ""
    catalog.revision_date = catalog.creation_date
    language = catalog.locale.english_name if catalog.locale is not None else None
    catalog.language_team = f"{language} (coachloop)" if language else ""
    head = f"# {language} messages" if language else "# The message ids"
    catalog.header_comment = (f"{head} of coachloop (bot/i18n.py).\n"
                              "# Update with `coachloop i18n update`; see docs/bot.md, Languages.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=WIDTH, sort_output=True, ignore_obsolete=True,
                 omit_header=False, include_previous=False)


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a text (what ``str.format`` fills after translation)."""
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text)
                if name is not None}
    except ValueError:  # an unbalanced brace: a placeholder that str.format cannot fill
        return {"<broken braces>"}


def _problem(message: Message, lang: str, plurals: int) -> str | None:
    """What is wrong with one translated message, or None."""
    if isinstance(message.id, tuple):
        singular, plural = str(message.id[0]), str(message.id[1])
        wanted = fields(plural) | fields(singular)
        raw = message.string
        forms = [str(f or "") for f in raw] if isinstance(raw, tuple | list) else [str(raw or "")]
        if len(forms) != plurals:
            return f"{len(forms)} plural forms, {lang} has {plurals}"
        if not all(forms):
            return "an empty plural form"
        bad = [form for form in forms if not fields(form) <= wanted]
        if bad or fields(forms[-1]) != fields(plural):
            return f"placeholders differ from the English {sorted(wanted)}"
        return None
    if not message.string:
        return "no translation"
    english, translated = fields(str(message.id)), fields(str(message.string))
    if translated != english:
        return (f"placeholders {sorted(translated)} differ from the English "
                f"{sorted(english)}")
    return None


def problems(lang: str, template: Catalog | None = None,
             catalog: Catalog | None = None) -> list[str]:
    """Everything ``lang``'s catalog lacks against the code's message ids (empty: complete)."""
    template = template or extract()
    catalog = catalog if catalog is not None else read(lang)
    plurals = catalog.num_plurals
    out = []
    for wanted in template:
        if not wanted.id:
            continue
        found = catalog.get(wanted.id, context=wanted.context)
        key = wanted.id[0] if isinstance(wanted.id, tuple) else wanted.id
        if found is None:
            out.append(f"{lang}: missing {key!r}")
            continue
        if found.fuzzy:
            out.append(f"{lang}: fuzzy {key!r}")
            continue
        problem = _problem(found, lang, plurals)
        if problem is not None:
            out.append(f"{lang}: {problem}: {key!r}")
    return out


def update() -> dict[str, int]:
    """Merge the code's message ids into every catalog; new ids untranslated per language."""
    template = extract()
    write(template, TEMPLATE)
    added = {}
    for lang in i18n.LANGUAGES:
        if lang == i18n.DEFAULT:
            continue
        catalog = read(lang)
        before = {m.id for m in catalog if m.id}
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        added[lang] = sum(1 for m in catalog if m.id and m.id not in before)
        write(catalog, po_path(lang))
    return added


@i18n_app.command("extract")
def extract_cmd() -> None:
    """Write bot/locale/coachloop.pot from the code's message ids."""
    template = extract()
    write(template, TEMPLATE)
    typer.echo(f"{len([m for m in template if m.id])} message ids -> {TEMPLATE}")


@i18n_app.command("update")
def update_cmd() -> None:
    """Merge the message ids into each language's .po (translate the new ones next)."""
    for lang, count in update().items():
        typer.echo(f"{lang}: {count} new message ids to translate ({po_path(lang)})")


@i18n_app.command("check")
def check_cmd() -> None:
    """Fail when a catalog misses a message id, leaves one empty, or breaks a placeholder."""
    template = extract()
    found = [p for lang in i18n.LANGUAGES if lang != i18n.DEFAULT
             for p in problems(lang, template)]
    for line in found:
        typer.echo(line)
    if found:
        raise typer.Exit(1)
    typer.echo(f"catalogs complete: {', '.join(i18n.LANGUAGES)}")


def register(app: typer.Typer, train_app: typer.Typer) -> None:
    """Add ``coachloop i18n ...``."""
    app.add_typer(i18n_app, name="i18n")
