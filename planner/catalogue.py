"""The exercise catalogue and weekly templates, loaded from YAML data shipped in the package.

Keeping exercises as data lets coaches review and extend them without touching code; loading
validates every reference so a typo fails at start, not in front of an athlete.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

MODALITIES = ("aerobic", "strength", "speed", "flexibility", "recovery")
UNITS = ("reps", "seconds", "metres", "pace")


@dataclass(frozen=True, slots=True)
class Exercise:
    """One catalogue entry with its default dose (PE paper Table 3 style)."""

    id: str
    name: str
    modality: str
    muscles: tuple[str, ...]
    unit: str
    sets: int = 1
    reps: int | None = None
    seconds: float | None = None
    distance_m: float | None = None
    pace_s_per_km: float | None = None
    rest_s: float | None = None
    easier: str | None = None
    harder: str | None = None
    loads: tuple[str, ...] = ()
    #: Done one side at a time (each leg, each arm): with pain on one side, the other side's
    #: sets can stay (`planner.session.guard_pain`).
    unilateral: bool = False


@dataclass(frozen=True, slots=True)
class TemplateDay:
    """One training day of a weekly template."""

    title: str
    exercises: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Template:
    """A weekly template: ISO weekday -> training day; other days are rest."""

    name: str
    title: str
    week: dict[int, TemplateDay] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All exercises and templates, cross-checked.

    ``site_structures`` maps a reported pain site that names a region or a soft tissue
    ("back", "quad", "it_band") to the structures in ``Exercise.loads`` through which an
    exercise loads it (the table and its reasons are in ``planner/data/exercises.yml``).
    """

    exercises: dict[str, Exercise]
    templates: dict[str, Template]
    site_structures: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with that id (ValueError names the unknown id)."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise ValueError(f"unknown exercise {exercise_id!r}") from None

    def structures(self, pain_sites: Collection[str]) -> frozenset[str]:
        """Every ``loads`` value that pain at these sites forbids.

        That is the sites themselves plus what ``site_structures`` maps them to. An unknown
        site ("unspecified": pain with no site named) maps to itself, so it matches no exercise
        and never raises; the caller still blocks every increase.
        """
        out = set(pain_sites)
        for site in pain_sites:
            out.update(self.site_structures.get(site, ()))
        return frozenset(out)

    def template(self, name: str) -> Template:
        """The template with that name, or ValueError listing the known ones."""
        try:
            return self.templates[name]
        except KeyError:
            known = ", ".join(sorted(self.templates))
            raise ValueError(f"unknown template {name!r}; known: {known}") from None


def _exercise(raw: dict[str, Any]) -> Exercise:
    if raw.get("modality") not in MODALITIES:
        raise ValueError(f"exercise {raw.get('id')!r}: modality must be one of {MODALITIES}")
    if raw.get("unit") not in UNITS:
        raise ValueError(f"exercise {raw.get('id')!r}: unit must be one of {UNITS}")
    return Exercise(
        id=str(raw["id"]),
        name=str(raw["name"]),
        modality=str(raw["modality"]),
        muscles=tuple(raw.get("muscles", ())),
        unit=str(raw["unit"]),
        sets=int(raw.get("sets", 1)),
        reps=raw.get("reps"),
        seconds=raw.get("seconds"),
        distance_m=raw.get("distance_m"),
        pace_s_per_km=raw.get("pace_s_per_km"),
        rest_s=raw.get("rest_s"),
        easier=raw.get("easier"),
        harder=raw.get("harder"),
        loads=tuple(raw.get("loads", ())),
        unilateral=bool(raw.get("unilateral", False)),
    )


def _site_structures(
    raw: dict[str, Any] | None, exercises: dict[str, Exercise]
) -> dict[str, tuple[str, ...]]:
    """The site -> structures table; a structure no exercise loads is a typo, refused."""
    loaded = {site for ex in exercises.values() for site in ex.loads}
    table: dict[str, tuple[str, ...]] = {}
    for site, structures in (raw or {}).items():
        for structure in structures:
            if structure not in loaded:
                raise ValueError(
                    f"site_structures: {site!r} -> {structure!r}, but no exercise lists "
                    f"{structure!r} in loads (known: {', '.join(sorted(loaded))})"
                )
        table[str(site)] = tuple(str(s) for s in structures)
    return table


def parse_catalogue(exercises_yaml: str, templates_yaml: str) -> Catalogue:
    """Build and validate a catalogue from YAML text (every reference must resolve)."""
    raw_doc = yaml.safe_load(exercises_yaml)
    raw_ex = raw_doc["exercises"]
    exercises = {e.id: e for e in (_exercise(item) for item in raw_ex)}
    if len(exercises) != len(raw_ex):
        raise ValueError("duplicate exercise ids in the catalogue")
    for ex in exercises.values():
        for ref in (ex.easier, ex.harder):
            if ref is not None and ref not in exercises:
                raise ValueError(f"exercise {ex.id!r} refers to unknown variant {ref!r}")
    site_structures = _site_structures(raw_doc.get("site_structures"), exercises)
    templates: dict[str, Template] = {}
    for name, raw in yaml.safe_load(templates_yaml)["templates"].items():
        week: dict[int, TemplateDay] = {}
        for weekday, day in raw["week"].items():
            if not 1 <= int(weekday) <= 7:
                raise ValueError(f"template {name!r}: weekday {weekday} is not 1-7")
            for ref in day["exercises"]:
                if ref not in exercises:
                    raise ValueError(f"template {name!r} uses unknown exercise {ref!r}")
            week[int(weekday)] = TemplateDay(str(day["title"]), tuple(day["exercises"]))
        templates[name] = Template(name=name, title=str(raw["title"]), week=week)
    return Catalogue(exercises=exercises, templates=templates, site_structures=site_structures)


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped in ``planner/data`` (parsed once)."""
    data = resources.files("planner") / "data"
    return parse_catalogue(
        (data / "exercises.yml").read_text("utf-8"), (data / "templates.yml").read_text("utf-8")
    )
