"""Today's session for one athlete: the template, then the named steps of `PLAN_STEPS`.

The steps run in a fixed order a test reads: the week's rest days are said; pain is found
before anything may add work; the week's modality of the day (ACO) and the fitness-test
emphasis shape the template; too-hard exercises
and painful sites are regressed; the two-week rule sets intensity (pain holds back a raise);
a wearable's night of low HRV, raised resting heart rate or under 5 h of sleep makes the day
easier; a high FRBI cuts volume, and only on a day it does not may the PPO proposal move
volume and intensity (within +/-5 %, no increase after pain or such a night); the coach's
override comes last and wins.

The daily decision is a pure function of plain history (`DayContext`), so the same stored
history always yields the same session and the same reasons. Rules guard every proposal and
always win: pain forbids increases whatever else says so.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from planner.catalogue import Catalogue, load_catalogue
from planner.explanation import Explanation, FiredRule, ShapFactor, plain_state, render
from planner.loadtypes import Flag
from planner.modality import apply_modality
from planner.prescription import Emphasis, apply_emphasis, plain_feature
from planner.rules import (
    DayEvidence,
    IntensityState,
    active_pain_sides,
    active_pain_sites,
    exercise_level,
    frbi_cut,
    replay_intensity,
    site_label,
)
from planner.session import (
    FRAME_IDS,
    UNSPECIFIED_PAIN_SITE,
    Prescription,
    Session,
    fit_to_minutes,
    guard_pain,
    regress,
    scale_session,
    template_session,
)

TOO_HARD_DAYS = 7  # exercise feedback this recent regresses the exercise next time
TOO_HARD_RPE = 9.0
ACWR_CEILING = 1.5  # Gabbett 2016 (Br J Sports Med 50:273): the "danger zone" from here
ACWR_TARGET = 1.3  # the top of the 0.8-1.3 "sweet spot": where a cut day is brought back to
ACWR_HISTORY_DAYS = 21  # a first check-in at least this far back before the ratio is read
ACWR_VOLUME_FLOOR = 0.5  # a cut never more than halves the day
ACWR_HORIZON_DAYS = 6  # the guard also reads the ratio at the end of the week being planned
#: How the day compares with the last planned session (``direction``: "more" or "less").
CHANGE_SENTENCE = "Overall that is {percent} {direction} work than your last planned session."

NIGHT_INTENSITY_CUT = 0.10
"""The night guard's intensity cut: HRV-guided training (Kiviniemi et al. 2007, Eur J Appl
Physiol 101:743; Vesterinen et al. 2016) trains easy while the night's markers are down;
coachloop eases the day by this share and keeps every raise out, rather than swapping the
session (the athlete's plan stays recognisable)."""


@dataclass(frozen=True, slots=True)
class CheckInView:
    """The parts of a stored check-in the planner reads."""

    day: dt.date
    rpe: float | None = None
    minutes: float | None = None
    sentiment_level: int | None = None
    pain_sites: tuple[str, ...] = ()
    #: The side said of a site ({"knee": "left"}); a site missing here had no side said.
    pain_sides: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExerciseLogView:
    """One exercise-level history row."""

    day: dt.date
    exercise_id: str
    status: str  # done | skipped | too_hard
    rpe: float | None = None


@dataclass(frozen=True, slots=True)
class PriorSession:
    """What was prescribed on an earlier day (for "change from yesterday")."""

    day: dt.date
    intensity_factor: float
    volume_factor: float
    minutes: float | None = None


@dataclass(frozen=True, slots=True)
class CoachOverride:
    """A coach's decision for the day: it replaces the planner's factors."""

    intensity_factor: float
    volume_factor: float
    note: str | None = None
    coach_name: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyProposal:
    """What the scheduling policy (PPO) proposes for the day, with its reasons.

    ``volume_change`` and ``intensity_change`` are fractions (+0.04 = 4 % more), already
    bounded by the caller; ``modality`` is the kind of work the policy leans towards today
    (more than for a typical athlete), or None; ``attributions`` and
    ``intensity_attributions`` are the state features that drove the volume and the intensity
    outputs (SHAP on the policy), largest first.
    """

    volume_change: float
    modality: str | None = None
    attributions: tuple[ShapFactor, ...] = ()
    intensity_change: float = 0.0
    intensity_attributions: tuple[ShapFactor, ...] = ()


@dataclass(frozen=True, slots=True)
class DayContext:
    """Everything the daily decision may look at, already read from storage."""

    today: dt.date
    template: str = "general"
    start_day: dt.date | None = None
    checkins: Sequence[CheckInView] = ()
    exercise_logs: Sequence[ExerciseLogView] = ()
    prior_sessions: Mapping[dt.date, PriorSession] = field(default_factory=dict)
    frbi_by_day: Mapping[dt.date, float | None] = field(default_factory=dict)
    shap_factors: tuple[ShapFactor, ...] = ()
    emphases: tuple[Emphasis, ...] = ()
    training_days: tuple[int, ...] | None = None
    minutes_by_weekday: Mapping[int, float] = field(default_factory=dict)
    hr_by_weekday: Mapping[int, float] = field(default_factory=dict)  # ACO's target, bpm
    modality_by_weekday: Mapping[int, str] = field(default_factory=dict)  # ACO's, per day
    #: A second session on a weekday (the athlete allows two): its kind of work and minutes.
    #: ``minutes_by_weekday`` then holds both sessions' minutes together.
    second_by_weekday: Mapping[int, tuple[str, float]] = field(default_factory=dict)
    #: The athlete is away today (a blackout, `planner.availability`): its last day and reason.
    away_until: dt.date | None = None
    away_reason: str = ""
    proposal: PolicyProposal | None = None
    override: CoachOverride | None = None
    plan_rules: tuple[FiredRule, ...] = ()
    #: The night's flags that ease the day (`planner.night.plan_flags`), from the wearable's
    #: night ending this morning.
    night_flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """The decision: the session, why, and the inputs it was made on (stored with it)."""

    session: Session
    explanation: Explanation
    inputs: dict[str, Any]


def _evidence(ctx: DayContext) -> dict[dt.date, DayEvidence]:
    """Per-day exercise and sentiment levels from check-ins and exercise logs."""
    logs: dict[dt.date, list[ExerciseLogView]] = defaultdict(list)
    for log_row in ctx.exercise_logs:
        logs[log_row.day].append(log_row)
    checkins: dict[dt.date, list[CheckInView]] = defaultdict(list)
    for row in ctx.checkins:
        checkins[row.day].append(row)
    evidence: dict[dt.date, DayEvidence] = {}
    for day in sorted(set(logs) | set(checkins)):
        day_checkins = checkins.get(day, [])
        rpes = [c.rpe for c in day_checkins if c.rpe is not None]
        minutes = [c.minutes for c in day_checkins if c.minutes is not None]
        moods = [c.sentiment_level for c in day_checkins if c.sentiment_level is not None]
        day_logs = logs.get(day, [])
        prior = ctx.prior_sessions.get(day)
        level = exercise_level(
            rpe=max(rpes) if rpes else None,
            done=sum(1 for r in day_logs if r.status == "done"),
            skipped=sum(1 for r in day_logs if r.status == "skipped"),
            too_hard=sum(1 for r in day_logs if r.status == "too_hard"),
            minutes_done=sum(minutes) if minutes else None,
            minutes_planned=prior.minutes if prior else None,
        )
        sentiment = None
        if moods:
            mean = sum(moods) / len(moods)
            sentiment = 1 if mean > 0 else (-1 if mean < 0 else 0)
        evidence[day] = DayEvidence(day, level, sentiment)
    return evidence


def _change_sentence(ctx: DayContext, session: Session) -> str | None:
    """How much more or less work than the last planned training session (rest days skipped:
    a rest day's factors of 1 say nothing about the work)."""
    earlier = [d for d, p in ctx.prior_sessions.items()
               if d < ctx.today and (p.minutes is None or p.minutes > 0)]
    if not earlier or session.is_rest:
        return None
    prior = ctx.prior_sessions[max(earlier)]
    before = prior.intensity_factor * prior.volume_factor
    now = session.intensity_factor * session.volume_factor
    if before <= 0 or abs(now - before) < 0.005:
        return None
    change = now / before - 1
    direction = "more" if change > 0 else "less"
    return CHANGE_SENTENCE.format(percent=f"{abs(change):.0%}", direction=direction)


def _because(attributions: Sequence[ShapFactor]) -> str:
    reasons = " and ".join(dict.fromkeys(plain_state(a.feature) for a in attributions[:2]))
    return f", mostly because of your {reasons}" if reasons else ""


def _policy_rule(output: str, change: float, attributions: Sequence[ShapFactor],
                 sentence: str) -> FiredRule:
    """The fired rule of one PPO output (``volume`` or ``intensity``) with its SHAP reasons."""
    return FiredRule(
        code=f"policy_{output}",
        effect=f"{change:+.0%} {output}",
        inputs={f"{output}_change": round(change, 3),
                "attributions": {a.feature: round(a.contribution, 4) for a in attributions}},
        threshold="PPO proposal, bounded to +/-5% and guarded by the rules",
        sentence=f"{sentence}{_because(attributions)}.",
    )


def _apply_policy(
    proposal: PolicyProposal, session: Session, intensity: float, volume: float,
    no_increase: bool, intensity_decided: bool, catalogue: Catalogue, rules: list[FiredRule],
) -> tuple[Session, float, float]:
    """The PPO proposal on a day no guard cut: volume, intensity (each within +/-5 %) and one
    more set of the kind of work it leans towards. Pain, or a night the night guard eased
    the day for (``no_increase``), forbids every increase; when the two-week rule moved
    intensity this block, that rule decides intensity alone."""
    vol_change = 0.0 if no_increase and proposal.volume_change > 0 else proposal.volume_change
    if abs(vol_change) >= 0.005:
        volume = round(volume * (1.0 + vol_change), 4)
        rules.append(_policy_rule("volume", vol_change, proposal.attributions,
                                  f"The scheduling model suggests {abs(vol_change):.0%} "
                                  f"{'more' if vol_change > 0 else 'less'} work today"))
    int_change = 0.0 if no_increase and proposal.intensity_change > 0 else proposal.intensity_change
    if intensity_decided:
        int_change = 0.0
    if abs(int_change) >= 0.005:
        intensity = round(intensity * (1.0 + int_change), 4)
        rules.append(_policy_rule("intensity", int_change, proposal.intensity_attributions,
                                  f"It also makes the work {abs(int_change):.0%} "
                                  f"{'harder' if int_change > 0 else 'easier'}"))
    target = next((i for i, p in enumerate(session.prescriptions)
                   if p.exercise_id not in FRAME_IDS
                   and catalogue.exercise(p.exercise_id).modality == proposal.modality), None)
    if proposal.modality and not no_increase and target is not None:
        chosen = session.prescriptions[target]
        items = list(session.prescriptions)
        items[target] = replace(chosen, sets=chosen.sets + 1)
        session = replace(session, prescriptions=tuple(items))
        rules.append(FiredRule(
            code="policy_modality",
            effect=f"+1 set of {chosen.name}",
            inputs={"modality": proposal.modality, "exercise": chosen.exercise_id},
            threshold="the modality the PPO policy weights more than for a typical athlete",
            sentence=(f"The model leans towards {proposal.modality} work today, so "
                      f"{chosen.name} gets one more set."),
        ))
    return session, intensity, volume


@dataclass(slots=True)
class Draft:
    """The session as the steps of `PLAN_STEPS` shape it, with what each one found.

    Mutable on purpose: each step reads what the earlier ones decided (the pain sites, the
    two-week state) and changes the session, the factors or the fired rules in place.
    """

    session: Session
    rules: list[FiredRule]
    sites: tuple[str, ...] = ()
    sides: dict[str, str] = field(default_factory=dict)  # of ``sites``, where one was said
    pain_changes: tuple[tuple[str, str | None], ...] = ()
    target_hr: float | None = None
    evidence: dict[dt.date, DayEvidence] = field(default_factory=dict)
    start: dt.date | None = None
    state: IntensityState | None = None
    intensity: float = 1.0
    volume: float = 1.0
    second_at: int | None = None  # index of the second session's first exercise
    eased: bool = False  # the night guard eased the day: no proposal may add work


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One named step of the daily decision."""

    name: str
    apply: Callable[[DayContext, Draft, Catalogue], None]
    why: str


def _away(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    if ctx.away_until is None:
        return
    d.session = Session(day=ctx.today, title="Away", prescriptions=())
    why = f" ({ctx.away_reason})" if ctx.away_reason else ""
    until = ("today" if ctx.away_until == ctx.today
             else f"until {ctx.away_until:%a %d %b}")
    d.rules.insert(0, FiredRule(  # first: it is what the day is about
        code="away",
        effect="no session",
        inputs={"until": ctx.away_until.isoformat(), "reason": ctx.away_reason},
        threshold="a blackout the athlete set (/away): nothing is planned on those days",
        sentence=(f"You're away {until}{why}: no session; your week's sessions are on the "
                  "days you are here."),
    ))


def _scheduled_rest(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    if not (d.session.is_rest and ctx.training_days) or ctx.away_until is not None:
        return
    names = ", ".join(dt.date(2024, 1, n).strftime("%a") for n in sorted(ctx.training_days))
    d.rules.append(FiredRule(
        code="scheduled_rest",
        effect="rest day",
        inputs={"training_days": names},
        threshold="the week planner's training days (ACO: your sessions per week, "
                  "rest after hard days)",
        sentence=f"{ctx.today:%A} is a planned rest day: this week you train on {names}.",
    ))


def _test_emphasis(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    d.session, extra = apply_emphasis(d.session, ctx.emphases, catalogue)
    if not extra:
        return
    added = [f"{catalogue.exercise(i).name} {'+1 set' if kind == 'set' else 'added'}"
             for i, kind in extra]
    top = ctx.emphases[0]
    d.rules.append(FiredRule(
        code="test_emphasis",
        effect="; ".join(added),
        inputs={"item": top.feature, "shap": round(top.contribution, 3),
                "emphasis": top.emphasis, "extra": [list(change) for change in extra]},
        threshold="weakest fitness-test items by SHAP (top 2)",
        sentence=(f"Your fitness tests show {plain_feature(top.feature)} as your weakest "
                  f"point, so there is extra {top.emphasis} work ({'; '.join(added)})."),
    ))


def _find_pain(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    pain_by_day: dict[dt.date, list[str]] = defaultdict(list)
    for row in ctx.checkins:
        pain_by_day[row.day].extend(row.pain_sites)
    d.sites = tuple(active_pain_sites(pain_by_day, ctx.today))
    d.sides = active_pain_sides(
        [(row.day, row.pain_sites, row.pain_sides) for row in ctx.checkins], ctx.today)


def _names(ids: Sequence[str], catalogue: Catalogue) -> str:
    return ", ".join(catalogue.exercise(i).name.lower() for i in ids)


def _scheduled_modality(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    modality = ctx.modality_by_weekday.get(ctx.today.isoweekday())
    if not modality or d.session.is_rest:
        return
    week = catalogue.template(ctx.template).week
    template_ids = [i for day in sorted(week) for i in week[day].exercises]
    d.session, change = apply_modality(d.session, modality, catalogue,
                                       template_ids=template_ids, pain_sites=d.sites)
    if not change.changed:
        return
    article = "an" if modality[0] in "aeiou" else "a"
    parts = []
    if change.removed:
        parts.append(f"{_names(change.removed, catalogue)} left out")
    if change.added:
        parts.append(f"{_names(change.added, catalogue)} added")
    d.rules.append(FiredRule(
        code="scheduled_modality",
        effect=f"{modality} day: " + "; ".join(parts),
        inputs={"modality": modality, "kept": list(change.kept),
                "removed": list(change.removed), "added": list(change.added)},
        threshold="the week scheduler's kind of work for this day (ACO); recovery and "
                  "flexibility work stays on every day",
        sentence=(f"Your week plan makes {ctx.today:%A} {article} {modality} day, so "
                  + " and ".join(parts)
                  + (" (that work has its own days this week)." if change.removed else ".")),
    ))


def _scheduled_minutes(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    slot = ctx.minutes_by_weekday.get(ctx.today.isoweekday())
    # ACO's heart-rate target was chosen for the planned session; with pain the session is
    # regressed and nothing may get harder, so no target is given that day.
    d.target_hr = (None if d.session.is_rest or d.sites
                   else ctx.hr_by_weekday.get(ctx.today.isoweekday()))
    if not slot or d.session.is_rest:
        return
    before = d.session.estimated_minutes()
    d.session = fit_to_minutes(d.session, slot, catalogue)
    after = d.session.estimated_minutes()
    pace = f", the aerobic work at about {d.target_hr:.0f} bpm" if d.target_hr else ""
    if abs(after - before) >= 0.1 * before or d.target_hr:
        d.rules.append(FiredRule(
            code="scheduled_minutes",
            effect=f"session sized from {before:.0f} to {after:.0f} min",
            inputs={"slot_minutes": round(slot, 1), "template_minutes": round(before, 1),
                    "planned_minutes": round(after, 1), "target_hr": d.target_hr},
            threshold="the week scheduler's minutes and heart rate for this day "
                      "(template dose x 0.5-2; heart rate inside 50-85 % of reserve)",
            sentence=(f"Your week schedule gives {ctx.today:%A} about {slot:.0f} minutes, so "
                      f"the session is sized to about {after:.0f} minutes{pace}."),
        ))


def _too_hard(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    too_hard = {r.exercise_id for r in ctx.exercise_logs
                if (ctx.today - r.day).days <= TOO_HARD_DAYS and r.day < ctx.today
                and (r.status == "too_hard" or (r.rpe is not None and r.rpe >= TOO_HARD_RPE))}
    d.session, eased = regress(d.session, catalogue, too_hard)
    if not eased:
        return
    names = "; ".join(f"{catalogue.exercise(old).name} -> {catalogue.exercise(new).name}"
                      for old, new in eased)
    d.rules.append(FiredRule(
        code="too_hard_regress",
        effect=names,
        inputs={"too_hard": sorted(old for old, _ in eased),
                "eased": [[old, new] for old, new in eased]},
        threshold=f"marked too hard, or RPE >= {TOO_HARD_RPE:g}, in the last "
                  f"{TOO_HARD_DAYS} days",
        sentence=f"You found some exercises too hard lately, so they are easier: {names}.",
    ))


def _pain_swaps(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    d.session, changes = guard_pain(d.session, catalogue, d.sites, sides=d.sides)
    d.pain_changes = tuple(changes)


def _two_week_rule(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    d.evidence = _evidence(ctx)
    d.start = ctx.start_day or (min(d.evidence) if d.evidence else ctx.today)
    d.state = replay_intensity(d.start, ctx.today, d.evidence)
    d.intensity = d.state.factor
    if d.state.last_rule is not None and d.state.last_rule.sentence:
        d.rules.append(d.state.last_rule)


def _pain_guard(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    if not d.sites or d.state is None:
        return
    blocked = d.intensity > d.state.previous_factor
    if blocked:
        d.intensity = d.state.previous_factor
        # The two-week rule's raise did not happen: say so, not "intensity goes up".
        d.rules = [r for r in d.rules if r.code != "two_week_up"]
    swapped = [
        f"{catalogue.exercise(old).name} -> {catalogue.exercise(new).name}"
        if new and new != old else
        f"{catalogue.exercise(old).name}: the other side only" if new else
        f"{catalogue.exercise(old).name} removed"
        for old, new in d.pain_changes
    ]
    named = [site_label(s, d.sides) for s in d.sites if s != UNSPECIFIED_PAIN_SITE]
    where = f" in your {' and '.join(named)}" if named else ""
    detail = f" I changed: {'; '.join(swapped)}." if swapped else ""
    if blocked:
        detail += (" Your last two weeks would have raised intensity 10%; that waits "
                   "until the pain is gone.")
    d.rules.insert(0, FiredRule(
        code="pain_guard",
        effect="no increase; exercises loading the site regressed or removed",
        inputs={"pain_sites": list(d.sites), "pain_sides": dict(d.sides), "changed": swapped,
                "swaps": [[old, new] for old, new in d.pain_changes],
                **({"raise_held_back": True} if blocked else {})},
        threshold="pain reported in the last 3 days",
        sentence=f"You reported pain{where}, so nothing gets harder.{detail}",
    ))


def _frbi_or_policy(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    d.volume, frbi_rule = frbi_cut(ctx.frbi_by_day, ctx.today)
    if frbi_rule is not None:
        d.rules.append(frbi_rule)
    elif ctx.proposal is not None and not d.session.is_rest:
        last = d.state.last_rule if d.state is not None else None
        decided = last is not None and last.code in ("two_week_up", "two_week_down")
        d.session, d.intensity, d.volume = _apply_policy(
            ctx.proposal, d.session, d.intensity, d.volume, bool(d.sites) or d.eased, decided,
            catalogue, d.rules)


def _acwr_guard(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    """Cut the day's volume when, done in full, it would take the athlete's coupled 7/28-day
    sRPE ratio above `ACWR_CEILING`, today or by the end of the week being planned: back from
    a break or an illness the chronic load is low, and a full week at once is the spike the
    ratio warns of. Today's ratio alone misses it: the first days back read low, and the ratio
    climbs over the week (also on its rest days, as the training before the break leaves the
    28 days), so the guard also projects `ACWR_HORIZON_DAYS` ahead with the week's planned
    minutes (`_week_ahead`) and ramps today so that the week, if every day is ramped alike,
    ends at `ACWR_TARGET`; each later day is checked again with what was really done.

    The loads are minutes at the athlete's own usual session RPE; the cut never removes more
    than half and only ever takes work away. On a day the FRBI rule (the paper's) already
    cut, that cut stands alone: the guard is for the days FRBI does not see, such as the
    return from a break, when fatigue is low and so is the chronic load."""
    if d.session.is_rest or any(rule.code == "frbi_cut" for rule in d.rules):
        return
    loads: dict[dt.date, float] = defaultdict(float)
    rpes = []
    for row in ctx.checkins:
        if row.rpe is not None and row.minutes and row.day < ctx.today:
            loads[row.day] += row.rpe * row.minutes
            if (ctx.today - row.day).days <= 28:
                rpes.append(row.rpe)
    if not rpes or (ctx.today - min(loads)).days < ACWR_HISTORY_DAYS:
        return
    usual = statistics.median(rpes)
    planned = d.session.estimated_minutes() * d.intensity * d.volume * usual
    if planned <= 0:
        return

    def past(first: int, last: int) -> float:  # load of the days `first`..`last` days ago
        return sum(loads.get(ctx.today - dt.timedelta(days=k), 0.0)
                   for k in range(first, last + 1))

    # today: the 6 days before and today; the week's end: 28 days ending H days from now
    acute, chronic = past(1, 6), past(1, 27)
    ratio_today = 4.0 * (acute + planned) / (chronic + planned)  # (7-day mean) / (28-day mean)
    h = ACWR_HORIZON_DAYS
    ahead = planned + usual * sum(_week_ahead(ctx, d, k) for k in range(1, h + 1))
    acute_end, chronic_end = past(1, 6 - h), past(1, 27 - h)
    ratio_end = 4.0 * (acute_end + ahead) / (chronic_end + ahead)
    if max(ratio_today, ratio_end) <= ACWR_CEILING:
        return
    factors = [1.0]
    if ratio_today > ACWR_CEILING:
        factors.append(max(ACWR_TARGET * chronic - 4.0 * acute, 0.0)
                       / ((4.0 - ACWR_TARGET) * planned))
    if ratio_end > ACWR_CEILING:
        factors.append(max(ACWR_TARGET * chronic_end - 4.0 * acute_end, 0.0)
                       / ((4.0 - ACWR_TARGET) * ahead))
    factor = max(min(factors), ACWR_VOLUME_FLOOR)
    d.volume *= factor
    weekly = ratio_end > ratio_today
    ratio = max(ratio_today, ratio_end)
    d.rules.append(FiredRule(
        code="acwr_guard",
        effect=f"volume {factor - 1:+.0%}",
        inputs={"acwr_if_full": round(ratio, 2), "acwr_today_if_full": round(ratio_today, 2),
                "acwr_week_end_if_full": round(ratio_end, 2), "horizon_days": h,
                "acute_7d": round(acute + planned), "chronic_28d": round(chronic + planned),
                "usual_rpe": usual, "volume_factor": round(factor, 2)},
        threshold=(f"the 7-day / 28-day sRPE load ratio above {ACWR_CEILING:g} (Gabbett 2016), "
                   f"today or {h} days ahead with the week's planned minutes: the day brought "
                   f"towards {ACWR_TARGET:g}, at most halved"),
        sentence=(f"Done in full, this week's plan would take your last 7 days to {ratio:.1f}x "
                  f"your 4-week average, so today is {1 - factor:.0%} shorter: building back "
                  "gradually protects you." if weekly else
                  f"With today's full session your last 7 days would be {ratio:.1f}x your "
                  f"4-week average, so today is {1 - factor:.0%} shorter: building back "
                  "gradually protects you."),
    ))


def _week_ahead(ctx: DayContext, d: Draft, k: int) -> float:
    """The minutes planned ``k`` days from today: the week schedule's for that weekday, else
    today's session again on each training day, else none (a rest day, or nothing known); a
    day away plans nothing."""
    day = ctx.today + dt.timedelta(days=k)
    if ctx.away_until is not None and day <= ctx.away_until:
        return 0.0
    weekday = day.isoweekday()
    if ctx.minutes_by_weekday:
        return float(ctx.minutes_by_weekday.get(weekday, 0.0))
    if ctx.training_days and weekday in ctx.training_days:
        return d.session.estimated_minutes()
    return 0.0

def _night_words(flags: Sequence[Flag]) -> list[str]:
    words = []
    for flag in flags:
        if flag.code == "sleep_short":
            words.append(f"you slept {flag.value:.1f} h")
        elif flag.code == "hrv_low":
            words.append(f"your HRV is {abs(flag.value):.0f}% below your usual")
        elif flag.code == "resting_hr_high":
            words.append(f"your resting heart rate is {flag.value:.0f} bpm above your usual")
    return words


def _night_guard(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    """Ease the day after a night the wearable measured as poor (`planner.night.plan_flags`):
    intensity down `NIGHT_INTENSITY_CUT`, and the PPO proposal may then add nothing, as with
    pain; rest days stay. Said right after the pain guard: it is about the athlete's state."""
    if not ctx.night_flags or d.session.is_rest:
        return
    d.intensity = round(d.intensity * (1.0 - NIGHT_INTENSITY_CUT), 4)
    d.eased = True
    words = _night_words(ctx.night_flags)
    first = next((i for i, r in enumerate(d.rules) if r.code not in ("away", "pain_guard")),
                 len(d.rules))
    d.rules.insert(first, FiredRule(
        code="night_guard",
        effect=f"intensity {-NIGHT_INTENSITY_CUT:+.0%}, no increase",
        inputs={flag.code: flag.value for flag in ctx.night_flags},
        threshold="the wearable's night: HRV 7-night mean below the smallest worthwhile "
                  "change, resting HR >= 5 bpm above baseline, or sleep under 5 h",
        sentence=(f"Last night {' and '.join(words)}, so today's session is "
                  f"{NIGHT_INTENSITY_CUT:.0%} easier."),
    ))


def _coach_override(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    if ctx.override is None:
        return
    o = ctx.override
    d.intensity, d.volume = o.intensity_factor, o.volume_factor
    who = o.coach_name or "Your coach"
    note = f' ("{o.note}")' if o.note else ""
    d.rules.insert(0, FiredRule(
        code="coach_override",
        effect=f"intensity {o.intensity_factor:.0%}, volume {o.volume_factor:.0%}",
        inputs={"intensity_factor": o.intensity_factor,
                "volume_factor": o.volume_factor, "coach": o.coach_name, "note": o.note},
        threshold="a coach's override wins over the planner's factors",
        sentence=(
            f"{who} made today a rest day{note}."
            if o.intensity_factor * o.volume_factor <= 0
            else f"{who} set today's session to "
            f"{o.intensity_factor * o.volume_factor:.0%} of the plan{note}."
        ),
    ))


def _scale(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    if d.intensity <= 0 or d.volume <= 0:  # a coach's "rest" override
        d.session = Session(day=ctx.today, title="Rest day (coach's decision)", prescriptions=())
    else:
        d.session = scale_session(d.session, d.intensity, d.volume)
    d.session = replace(d.session, reason_codes=tuple(rule.code for rule in d.rules))


def _second_session(ctx: DayContext, d: Draft, catalogue: Catalogue) -> None:
    """Split the day's (already sized and scaled) work into two sessions; no dose changes.

    The second session takes the main exercises of its kind of work, else the last main
    exercises up to its share of the day's minutes; the first keeps the warm-up, the rest of
    the main part and the cool-down. At least one main exercise stays in each.
    """
    second = ctx.second_by_weekday.get(ctx.today.isoweekday())
    if second is None or d.session.is_rest:
        return
    modality, minutes = second
    items = d.session.prescriptions
    main = [i for i, p in enumerate(items) if p.exercise_id not in FRAME_IDS]
    if len(main) < 2:
        return
    chosen = [i for i in main if items[i].modality == modality]
    if not chosen or len(chosen) == len(main):
        # Its share of the day's minutes, taken from the end of the main part.
        target = minutes / max(d.session.estimated_minutes(), minutes) * sum(
            _minutes(items[i]) for i in main)
        chosen, so_far = [], 0.0
        for i in reversed(main[1:]):
            if chosen and so_far + _minutes(items[i]) > target:
                break
            chosen.insert(0, i)
            so_far += _minutes(items[i])
    first = tuple(p for i, p in enumerate(items) if i not in chosen)
    d.second_at = len(first)
    d.session = replace(d.session, prescriptions=first + tuple(items[i] for i in chosen))
    names = _names([items[i].exercise_id for i in chosen], catalogue)
    d.rules.append(FiredRule(
        code="second_session",
        effect=f"second session: {names}",
        inputs={"modality": modality, "minutes": round(minutes, 1), "from_item": len(first) + 1,
                "exercises": [items[i].exercise_id for i in chosen]},
        threshold="your availability allows two sessions that day (/availability)",
        sentence=(f"{ctx.today:%A} has two sessions: later in the day, about {minutes:.0f} "
                  f"minutes of {modality} work ({names}); start it with 5 easy minutes."),
    ))
    d.session = replace(d.session, reason_codes=(*d.session.reason_codes, "second_session"))


def _minutes(p: Prescription) -> float:
    return Session(day=dt.date.min, title="", prescriptions=(p,)).estimated_minutes()


PLAN_STEPS: tuple[PlanStep, ...] = (
    PlanStep("away", _away, "a day the athlete is away (/away) is a rest day, said as a rule"),
    PlanStep("scheduled_rest", _scheduled_rest, "the week planner's rest days, said as a rule"),
    PlanStep("find_pain", _find_pain, "pain sites reported in the last three days"),
    PlanStep("scheduled_modality", _scheduled_modality,
             "the week scheduler's kind of work for the day keeps or adds exercises"),
    PlanStep("test_emphasis", _test_emphasis, "extra work on the weakest fitness-test items"),
    PlanStep("scheduled_minutes", _scheduled_minutes,
             "the session sized to the week scheduler's minutes and heart rate"),
    PlanStep("too_hard_regress", _too_hard, "exercises found too hard lately are eased"),
    PlanStep("pain_swaps", _pain_swaps, "exercises loading a painful site regressed or removed"),
    PlanStep("two_week_rule", _two_week_rule, "intensity from the two-week blocks"),
    PlanStep("pain_guard", _pain_guard, "with pain, no raise of intensity: it waits"),
    PlanStep("night_guard", _night_guard,
             "a night of low HRV, raised resting heart rate or under 5 h of sleep eases the day"),
    PlanStep("frbi_or_policy", _frbi_or_policy,
             "volume cut on high FRBI; else the PPO proposal inside the guards"),
    PlanStep("acwr_guard", _acwr_guard,
             "a day that would spike the 7/28-day load ratio above 1.5 is shortened"),
    PlanStep("coach_override", _coach_override, "a coach's override wins over every factor"),
    PlanStep("scale", _scale, "the factors applied to the session's dose"),
    PlanStep("second_session", _second_session,
             "where two sessions are allowed, the day's work split in two (doses unchanged)"),
)
"""The daily decision, in order. Pain is found before anything may add work, and the coach's
override comes after every planner factor, so it wins; `tests/planner` pins this order."""


def plan_day(ctx: DayContext, catalogue: Catalogue | None = None) -> PlannedDay:
    """Decide today's session and explain it: the template, then `PLAN_STEPS` in order."""
    catalogue = catalogue or load_catalogue()
    draft = Draft(session=template_session(catalogue, ctx.template, ctx.today,
                                           ctx.training_days),
                  rules=list(ctx.plan_rules))
    for step in PLAN_STEPS:
        step.apply(ctx, draft, catalogue)
    session = draft.session
    change = _change_sentence(ctx, session)
    factors = ctx.shap_factors
    explanation = Explanation(
        rules=tuple(draft.rules),
        factors=factors,
        change_from_yesterday=change,
        sentences=render(tuple(draft.rules), factors, change),
    )
    inputs: dict[str, Any] = {
        "template": ctx.template,
        "start_day": (draft.start or ctx.today).isoformat(),
        "pain_sites": list(draft.sites),
        "intensity_factor": draft.intensity,
        "volume_factor": draft.volume,
        "target_hr": draft.target_hr,
        "frbi_today": ctx.frbi_by_day.get(ctx.today),
        "evidence_days": len(draft.evidence),
        "training_days": list(ctx.training_days or ()),
        "emphases": [e.emphasis for e in ctx.emphases],
        "policy_volume_change": ctx.proposal.volume_change if ctx.proposal else None,
        "policy_intensity_change": ctx.proposal.intensity_change if ctx.proposal else None,
        "policy_modality": ctx.proposal.modality if ctx.proposal else None,
        "override": ctx.override is not None,
        "night_flags": [flag.code for flag in ctx.night_flags],
    }
    if draft.second_at is not None:
        inputs["second_session_at"] = draft.second_at
    if ctx.away_until is not None:
        inputs["away_until"] = ctx.away_until.isoformat()
    return PlannedDay(session=session, explanation=explanation, inputs=inputs)
