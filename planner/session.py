"""A day's session as prescribed: ordered exercises with doses, and how doses are scaled.

Dose scaling convention (one, used everywhere): the *intensity factor* scales the "motor
intensity" column of the PE paper's Table 3 (reps, seconds per set, external load); the
*volume factor* scales how much is done (reps, seconds, distance). Sets, rest and running pace
are kept: changing the number of sets by 10-15 % would round to nothing for 2-3 sets, and pace
changes are left to the coach. The load change the athlete feels is intensity x volume.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from planner.catalogue import Catalogue, Exercise

#: The pain site stored when the athlete reports pain without naming where ("it hurts"):
#: no exercise loads it, so it regresses nothing, but like any site it blocks every increase.
UNSPECIFIED_PAIN_SITE = "unspecified"

#: The notes `guard_pain` puts on a line, as formats: the interface words them again in the
#: athlete's language from the same parts (the replaced exercise's name, the side kept).
NOTE_INSTEAD_OF = "instead of {name}"
NOTE_SIDE_ONLY = "{side} side only"
NOTE_GENTLE = "gentle"


@dataclass(frozen=True, slots=True)
class Prescription:
    """One line of a session: exercise and dose."""

    exercise_id: str
    name: str
    modality: str
    sets: int
    reps: int | None = None
    seconds: float | None = None
    distance_m: float | None = None
    pace_s_per_km: float | None = None
    load_kg: float | None = None
    rest_s: float | None = None
    note: str | None = None

    def describe(self) -> str:
        """A Table-3 style line: 'Push-ups: 3 x 16 reps, rest 35 s'."""
        if self.distance_m is not None and self.sets == 1:
            dose = f"{self.distance_m / 1000:.1f} km" if self.distance_m >= 1000 else (
                f"{self.distance_m:.0f} m"
            )
            if self.pace_s_per_km:
                minutes, seconds = divmod(round(self.pace_s_per_km), 60)
                dose += f" at {minutes}:{seconds:02d}/km"
        elif self.distance_m is not None:
            dose = f"{self.sets} x {self.distance_m:.0f} m"
        elif self.reps is not None:
            dose = f"{self.sets} x {self.reps} reps"
        elif self.seconds is not None and self.sets == 1:
            long = self.seconds >= 120
            dose = f"{self.seconds / 60:.0f} min" if long else f"{self.seconds:.0f} s"
        elif self.seconds is not None:
            dose = f"{self.sets} x {self.seconds:.0f} s"
        else:
            dose = f"{self.sets} sets"
        rest = f", rest {self.rest_s:.0f} s" if self.rest_s else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.name}: {dose}{rest}{note}"


@dataclass(frozen=True, slots=True)
class Session:
    """What an athlete is asked to do on one day."""

    day: dt.date
    title: str
    prescriptions: tuple[Prescription, ...]
    intensity_factor: float = 1.0
    volume_factor: float = 1.0
    reason_codes: tuple[str, ...] = ()

    @property
    def is_rest(self) -> bool:
        """A day with nothing prescribed."""
        return not self.prescriptions

    def estimated_minutes(self) -> float:
        """Rough duration: work + rest per set, runs at their pace (for sRPE planning)."""
        total = 0.0
        for p in self.prescriptions:
            if p.distance_m is not None and p.pace_s_per_km:
                work = p.distance_m / 1000 * p.pace_s_per_km * p.sets
            elif p.distance_m is not None:
                work = p.distance_m / 1000 * 420 * p.sets  # ~7 min/km walking-jogging
            elif p.seconds is not None:
                work = p.seconds * p.sets
            elif p.reps is not None:
                work = p.reps * 3.0 * p.sets  # ~3 s a repetition
            else:
                work = 30.0 * p.sets
            total += work + (p.rest_s or 0.0) * max(p.sets - 1, 0)
        return total / 60.0


def prescribe(exercise: Exercise) -> Prescription:
    """The catalogue's default dose for an exercise."""
    return Prescription(
        exercise_id=exercise.id,
        name=exercise.name,
        modality=exercise.modality,
        sets=exercise.sets,
        reps=exercise.reps,
        seconds=exercise.seconds,
        distance_m=exercise.distance_m,
        pace_s_per_km=exercise.pace_s_per_km,
        rest_s=exercise.rest_s,
    )


def template_session(
    catalogue: Catalogue,
    template_name: str,
    day: dt.date,
    training_days: Sequence[int] | None = None,
) -> Session:
    """The template's session for ``day`` (an empty rest day when none).

    Without ``training_days`` (None) the template's own weekdays are used. With them (ISO
    weekdays chosen by the week scheduler), the template's sessions are laid on those days in
    order, repeating from the first when the week has more sessions than the template; an
    empty week (every day away) has none.
    """
    template = catalogue.template(template_name)
    if training_days is not None:
        days = sorted(set(training_days))
        own = [template.week[d] for d in sorted(template.week)]
        weekday = day.isoweekday()
        plan_day = own[days.index(weekday) % len(own)] if weekday in days and own else None
    else:
        plan_day = template.week.get(day.isoweekday())
    if plan_day is None:
        return Session(day=day, title="Rest day", prescriptions=())
    items = tuple(prescribe(catalogue.exercise(ref)) for ref in plan_day.exercises)
    return Session(day=day, title=plan_day.title, prescriptions=items)


def _scale(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def scale_session(session: Session, intensity: float, volume: float) -> Session:
    """Apply the intensity and volume factors (see the module docstring for the convention)."""
    if intensity <= 0 or volume <= 0:
        raise ValueError("intensity and volume factors must be positive")
    both = intensity * volume
    scaled = []
    for p in session.prescriptions:
        reps = None if p.reps is None else max(1, round(p.reps * both))
        seconds = _scale(p.seconds, both)
        scaled.append(
            replace(
                p,
                reps=reps,
                seconds=None if seconds is None else float(round(seconds)),
                distance_m=None if p.distance_m is None else float(round(p.distance_m * volume)),
                load_kg=_scale(p.load_kg, intensity),
            )
        )
    return replace(
        session,
        prescriptions=tuple(scaled),
        intensity_factor=session.intensity_factor * intensity,
        volume_factor=session.volume_factor * volume,
    )


FIT_BOUNDS = (0.5, 2.0)  # never halve or more than double the template's main part
MAX_EXTRA_SETS = 3
WARM_UP = ("warm_up", 10.0, 15.0)  # catalogue id, usual and longest minutes
COOL_DOWN = ("cool_down", 5.0, 10.0)
FRAMED_FROM = 30.0  # slots this long get a warm-up and a cool-down
FRAME_IDS = frozenset({WARM_UP[0], COOL_DOWN[0]})


def _scale_main(session: Session, ratio: float) -> Session:
    fitted = []
    for p in session.prescriptions:
        if p.distance_m is not None:
            fitted.append(replace(p, distance_m=float(round(p.distance_m * ratio, -1))))
        elif p.seconds is not None:
            fitted.append(replace(p, seconds=float(round(p.seconds * ratio))))
        else:
            sets = min(max(round(p.sets * ratio), 1), p.sets + MAX_EXTRA_SETS)
            fitted.append(replace(p, sets=sets))
    return replace(session, prescriptions=tuple(fitted))


def fit_to_minutes(session: Session, minutes: float, catalogue: Catalogue) -> Session:
    """Size the session to the minutes the week scheduler gave its day.

    The PE paper's sessions last 35-60 minutes, but its Table 3 lists only the main part, so
    a slot of 30 minutes or more is framed by a warm-up (10 min) and a cool-down (5 min), as
    in a PE lesson. The main part then fills the rest: timed and distance work (runs, rides,
    holds) stretch or shrink continuously, strength work changes by whole sets (at most
    ``MAX_EXTRA_SETS`` more, never below one), because "40 push-ups" is not a longer
    "15 push-ups"; pace, reps per set, loads and rests stay the template's. The main part's
    ratio is bounded by ``FIT_BOUNDS``; what is still missing lengthens the warm-up (to 15)
    and the cool-down (to 10). `Session.estimated_minutes` gives what it came to.
    """
    if session.is_rest or minutes <= 0 or session.estimated_minutes() <= 0:
        return session
    framed = minutes >= FRAMED_FROM
    frame = WARM_UP[1] + COOL_DOWN[1] if framed else 0.0
    low, high = FIT_BOUNDS
    ratio = min(max((minutes - frame) / session.estimated_minutes(), low), high)
    main = _scale_main(session, ratio)
    if not framed:
        return main
    gap = max(minutes - frame - main.estimated_minutes(), 0.0)
    warm = min(WARM_UP[1] + gap / 2, WARM_UP[2])
    cool = min(COOL_DOWN[1] + (gap - (warm - WARM_UP[1])), COOL_DOWN[2])
    first = replace(prescribe(catalogue.exercise(WARM_UP[0])), seconds=round(warm) * 60.0)
    last = replace(prescribe(catalogue.exercise(COOL_DOWN[0])), seconds=round(cool) * 60.0)
    return replace(main, prescriptions=(first, *main.prescriptions, last))


def regress(
    session: Session, catalogue: Catalogue, exercise_ids: Collection[str]
) -> tuple[Session, list[tuple[str, str]]]:
    """Swap each named exercise for its ``easier`` variant (kept when it has none).

    Exercise-level feedback: what the athlete marked "too hard" (or logged at RPE 9-10) is
    prescribed one step down the catalogue's regression chain next time.
    """
    items = list(session.prescriptions)
    changes: list[tuple[str, str]] = []
    for i, p in enumerate(items):
        easier = catalogue.exercise(p.exercise_id).easier if p.exercise_id in exercise_ids else None
        if easier is None:
            continue
        replacement = prescribe(catalogue.exercise(easier))
        items[i] = replace(replacement, sets=p.sets)
        changes.append((p.exercise_id, easier))
    return replace(session, prescriptions=tuple(items)), changes


def _other_side(exercise: Exercise, catalogue: Catalogue, pain_sites: Collection[str],
                sides: Mapping[str, str]) -> str | None:
    """The side a one-sided exercise can still be done on, or None.

    Only when every painful site the exercise loads was said with the same side: a left-knee
    pain leaves the right leg's single-leg bridges; pain with no side said, or on both sides,
    leaves nothing.
    """
    if not exercise.unilateral:
        return None
    hit = [site for site in pain_sites
           if catalogue.structures([site]).intersection(exercise.loads)]
    said = {sides.get(site) for site in hit}
    if not hit or len(said) != 1 or None in said:
        return None
    side = next(iter(said))
    return {"left": "right", "right": "left"}.get(side or "")


def guard_pain(
    session: Session, catalogue: Catalogue, pain_sites: Collection[str],
    sides: Mapping[str, str] | None = None,
) -> tuple[Session, list[tuple[str, str | None]]]:
    """Regress or remove every exercise that loads a painful site.

    A site loads an exercise when the exercise lists it, or lists a structure the catalogue
    maps the site to (``Catalogue.structures``: "back" -> lower and upper back, "quad" -> knee
    and hip ...). Walks down the ``easier`` chain until a variant loads none of them; when no
    such variant exists the exercise is removed. A site nothing loads (``"head"``,
    ``UNSPECIFIED_PAIN_SITE``) changes no exercise here; ``planner.daily`` still blocks every
    increase while any site is reported. A one-sided exercise (``Exercise.unilateral``)
    whose painful sites were all said on one side is kept for the other side ("right side
    only"), listed as ``(id, id)``. Returns the new session and a list of
    ``(removed_or_regressed_id, replacement_id_or_None)`` for the explanation.
    """
    sites = catalogue.structures(pain_sites)
    if not sites:
        return session, []
    changes: list[tuple[str, str | None]] = []
    kept: list[Prescription] = []
    for p in session.prescriptions:
        exercise = catalogue.exercise(p.exercise_id)
        if not sites.intersection(exercise.loads):
            kept.append(p)
            continue
        other = _other_side(exercise, catalogue, pain_sites, sides or {})
        if other is not None:
            kept.append(replace(p, note=NOTE_SIDE_ONLY.format(side=other)))
            changes.append((exercise.id, exercise.id))
            continue
        candidate = exercise
        seen = {exercise.id}
        while candidate.easier is not None and candidate.easier not in seen:
            candidate = catalogue.exercise(candidate.easier)
            seen.add(candidate.id)
            if not sites.intersection(candidate.loads):
                break
        if candidate.id != exercise.id and not sites.intersection(candidate.loads):
            note = NOTE_INSTEAD_OF.format(name=exercise.name)
            kept.append(replace(prescribe(candidate), note=note))
            changes.append((exercise.id, candidate.id))
        else:
            changes.append((exercise.id, None))
    if not kept and session.prescriptions:
        kept.append(replace(prescribe(catalogue.exercise("mobility_flow")), note=NOTE_GENTLE))
    return replace(session, prescriptions=tuple(kept)), changes
