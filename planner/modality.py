"""The week scheduler's modality of a day, applied to the template's session.

ACO (`planner.aco`) gives each training day one modality of `MODALITIES`; in the simulator
that day is "mostly this modality, a little recovery" (`planner.week.DaySession.action`).
The template's session for the day mixes kinds of work (e.g. "plank, push-ups, easy run"),
so the day's modality decides which of its exercises stay:

- exercises of the day's modality stay;
- light work stays on every day: recovery and flexibility exercises (mobility, stretches);
- the other main kinds of work (aerobic, strength, speed, whichever is not the day's) leave
  the session; they belong to the days the scheduler gave their modality;
- when nothing of the day's modality is left, up to `ADDED` exercises of it are added: first
  from the template's other days (the athlete's own programme), then from the catalogue,
  never one that loads a painful site; a recovery or flexibility day that has none of its
  kind gets the catalogue's light work of that kind.

`fit_to_minutes` then sizes what is left to the day's minutes, so an aerobic day becomes a
longer run, not a run squeezed between five strength exercises. A rest day is never touched.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from planner.catalogue import Catalogue, Exercise
from planner.session import Session, prescribe

LIGHT = frozenset({"recovery", "flexibility"})
ADDED = 2
FRAME = frozenset({"warm_up", "warm_up_walk", "cool_down"})  # added by fit_to_minutes


@dataclass(frozen=True, slots=True)
class ModalityChange:
    """What applying the day's modality did: ids kept, left out and added, in order."""

    modality: str
    kept: tuple[str, ...]
    removed: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether the session differs from the template's."""
        return bool(self.removed or self.added)


def _fits(exercise: Exercise, modality: str, avoid: frozenset[str]) -> bool:
    return (
        exercise.modality == modality
        and exercise.id not in FRAME
        and not avoid.intersection(exercise.loads)
    )


def _candidates(
    modality: str, template_ids: Collection[str], catalogue: Catalogue, avoid: frozenset[str]
) -> list[Exercise]:
    """The template's own exercises of this modality, then the catalogue's, without repeats."""
    out: list[Exercise] = []
    for exercise_id in template_ids:
        exercise = catalogue.exercise(exercise_id)
        if _fits(exercise, modality, avoid) and exercise not in out:
            out.append(exercise)
    for exercise in sorted(catalogue.exercises.values(), key=lambda e: (len(e.loads), e.id)):
        if _fits(exercise, modality, avoid) and exercise not in out:
            out.append(exercise)
    return out


def apply_modality(
    session: Session,
    modality: str,
    catalogue: Catalogue,
    *,
    template_ids: Collection[str] = (),
    pain_sites: Collection[str] = (),
) -> tuple[Session, ModalityChange]:
    """The session shaped to the day's ``modality`` (see the module docstring).

    ``template_ids`` are the exercises of the template's whole week, in order (where added
    work comes from first); ``pain_sites`` are the sites reported lately (added work never
    loads them; what is already there is left to the pain steps).
    """
    if session.is_rest or modality not in {*LIGHT, "aerobic", "strength", "speed"}:
        return session, ModalityChange(modality, (), (), ())
    kept = [p for p in session.prescriptions if p.modality == modality or p.modality in LIGHT]
    removed = tuple(p.exercise_id for p in session.prescriptions if p not in kept)
    added: list[str] = []
    if not any(p.modality == modality for p in kept):
        avoid = catalogue.structures(pain_sites)
        present = {p.exercise_id for p in kept}
        for exercise in _candidates(modality, template_ids, catalogue, avoid):
            if len(added) == ADDED:
                break
            if exercise.id not in present:
                kept.append(prescribe(exercise))
                added.append(exercise.id)
    if not kept:  # nothing of this kind anywhere: the template's session stays as it was
        return session, ModalityChange(modality, (), (), ())
    change = ModalityChange(
        modality,
        tuple(p.exercise_id for p in kept if p.exercise_id not in added),
        removed,
        tuple(added),
    )
    return replace(session, prescriptions=tuple(kept)), change
