"""The planner's own vocabulary in the athlete's language: exercise names, session titles,
the notes on a line, kinds of work, emphases, fitness-test items and body sites.

The pure core names things in English (``planner/data/*.yml``, the planner's tables); those
English names are the message ids. `vocabulary` lists them from the very data the planner
loads, and `coachloop i18n extract` adds them to the catalog, so an exercise added to the YAML
without its translations fails the catalog test before any athlete reads it in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from bot import i18n
from bot.i18n import N_, _
from bot.services.roster import NOT_PLANNED
from models.items import TEST_RANGES
from planner.catalogue import load_catalogue
from planner.explanation import STATE_LABELS, plain_state
from planner.prescription import PLAIN_NAMES, emphasis_map, plain_feature
from planner.rules import site_label as english_site_label
from planner.session import NOTE_GENTLE, NOTE_INSTEAD_OF, NOTE_SIDE_ONLY

SITE_NAMES = {
    "lower_back": N_("lower back"), "upper_back": N_("upper back"), "back": N_("back"),
    "hip_flexor": N_("hip flexor"), "it_band": N_("IT band"), "achilles": N_("Achilles"),
    "hamstring": N_("hamstring"), "knee": N_("knee"), "shin": N_("shin"),
    "ankle": N_("ankle"), "shoulder": N_("shoulder"), "calf": N_("calf"),
    "groin": N_("groin"), "hip": N_("hip"), "wrist": N_("wrist"), "elbow": N_("elbow"),
    "neck": N_("neck"), "foot": N_("foot"), "toe": N_("toe"), "quad": N_("quad"),
    "glute": N_("glute"), "hand": N_("hand"), "chest": N_("chest"), "head": N_("head"),
    "unspecified": N_("unspecified"),
}
SIDE_NAMES = {"left": N_("left"), "right": N_("right"), "both": N_("both")}
TITLES = {"Rest day": N_("Rest day"),
          "Rest day (coach's decision)": N_("Rest day (coach's decision)"),
          "Away": N_("Away"),
          NOT_PLANNED: N_("not planned yet today")}
"""Session titles the planner and the roster make up (template titles come from the YAML)."""
WORK = {"aerobic": N_("aerobic work"), "strength": N_("strength work"),
        "speed": N_("speed work"), "flexibility": N_("flexibility work"),
        "recovery": N_("recovery work")}
"""A kind of work (`planner.catalogue.MODALITIES`) as a noun phrase: "a day of {work}"."""

_DATA = "planner/data"


def vocabulary() -> list[tuple[str, str]]:
    """Every English name the planner can show, with the file it comes from (for extraction)."""
    catalogue = load_catalogue()
    found = [(e.name, f"{_DATA}/exercises.yml") for e in catalogue.exercises.values()]
    for template in catalogue.templates.values():
        found.append((template.title, f"{_DATA}/templates.yml"))
        found += [(day.title, f"{_DATA}/templates.yml") for day in template.week.values()]
    found += [(name, f"{_DATA}/emphasis.yml") for name in emphasis_map()]
    found += [(name, "planner/prescription.py") for name in PLAIN_NAMES.values()]
    found += [(name, "planner/explanation.py") for name in STATE_LABELS.values()]
    found += [(what, "models/items.py") for _lo, _hi, _unit, what in TEST_RANGES.values()]
    return list(dict.fromkeys(found))


def listing(items: Iterable[str]) -> str:
    """Items of a list joined as the current language writes them ("a, b", "a、b")."""
    # TRANSLATORS: between the items of a list, "Plank, Push-ups" (Chinese: "、")
    return _(", ").join(items)


def clauses(items: Iterable[str]) -> str:
    """Parts of a longer list, each with commas of its own, joined ("a; b", "a；b")."""
    # TRANSLATORS: between the parts of a list that have commas of their own (Chinese: "；")
    return _("; ").join(items)


def then(first: str, second: str) -> str:
    """Two sentences one after the other (a space in most languages, none in Chinese)."""
    # TRANSLATORS: two sentences one after the other; Chinese writes no space between them
    return _("{first} {second}").format(first=first, second=second)


def word(english: str) -> str:
    """A planner name in the current language (the English itself when it has none)."""
    return _(english) if english else english  # gettext("") is the catalog's header


def exercise_name(exercise_id: str) -> str:
    """A catalogue exercise's name by id (an id the catalogue lost: the id in words)."""
    try:
        return word(load_catalogue().exercise(exercise_id).name)
    except ValueError:
        return exercise_id.replace("_", " ")


def exercise_names(ids: object) -> str:
    """A list of exercise ids as their names, comma separated."""
    return listing(exercise_name(str(i)) for i in ids) if isinstance(ids, list | tuple) \
        else exercise_name(str(ids))


def template_title(name: str) -> str:
    """A template's title by its name ("general" -> "General fitness"), translated."""
    try:
        return word(load_catalogue().template(name).title)
    except ValueError:
        return name


def session_title(title: str) -> str:
    """A session's title: the planner's rest days and a template's day title, translated."""
    return _(TITLES[title]) if title in TITLES else word(title)


def work(modality: str) -> str:
    """A kind of work in words ("aerobic work", "trabajo aeróbico")."""
    return _(WORK[modality]) if modality in WORK else modality


def feature(name: str) -> str:
    """A fitness-test item as the athlete says it, in the current language."""
    return word(plain_feature(name))


def state(name: str) -> str:
    """A simulator state feature (what the scheduling model reads) in the current language."""
    return word(plain_state(name))


def site_label(site: str, sides: Mapping[str, str] | None = None) -> str:
    """A pain site with its side in the current language ("left knee", "rodilla (lado
    izquierdo)"): the side is a word beside the site, so no language needs its gender."""
    if i18n.current() == i18n.DEFAULT:
        return english_site_label(site, sides)
    name = _(SITE_NAMES[site]) if site in SITE_NAMES else site.replace("_", " ")
    side = (sides or {}).get(site)
    if side not in SIDE_NAMES:
        return name
    # TRANSLATORS: a pain site with its side; reorder freely, e.g. "{site} ({side})"
    return _("{side} {site}").format(side=_(SIDE_NAMES[side]), site=name)


@cache
def _pattern(form: str) -> re.Pattern[str]:
    """A planner format ("instead of {name}") as a pattern that gives back its parts."""
    parts = re.split(r"\{(\w+)\}", form)
    body = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+)" for i, p in enumerate(parts))
    return re.compile(f"^{body}$")


def parts(form: str, text: str) -> dict[str, str] | None:
    """The values a planner format was filled with to give ``text``, or None if it was not."""
    found = _pattern(form).match(text)
    return found.groupdict() if found else None


def note(text: str) -> str:
    """A line's note (`planner.session.NOTE_*`) in the current language."""
    instead = parts(NOTE_INSTEAD_OF, text)
    if instead is not None:
        return _("instead of {exercise}").format(exercise=word(instead["name"]))
    side = parts(NOTE_SIDE_ONLY, text)
    if side is not None and side["side"] in SIDE_NAMES:
        return _("{side} side only").format(side=_(SIDE_NAMES[side["side"]]))
    return _("gentle") if text == NOTE_GENTLE else text
