"""The planner's words in the athlete's language: every rule the daily planner can fire, the
catalogue's exercise names and session titles, in Spanish, German, Russian and Chinese.

Real planner decisions (`planner.daily.plan_day`) are rendered as /today and /why render them;
the text must hold none of the planner's English (a rule's sentence, effect or condition, an
exercise's or a template's name) and no Python value (a dict, an input's key), while English
keeps the planner's own words.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot import i18n
from bot.catalogue_words import WORK, note, vocabulary
from bot.commands import i18n as catalogs
from bot.i18n import _
from bot.render import session_text, why_text
from bot.rule_details import EFFECTS, THRESHOLDS, VALUE_LABELS
from bot.rule_words import SENTENCES
from bot.services.prescription import plan_inputs
from planner.catalogue import MODALITIES, load_catalogue
from planner.daily import (
    CheckInView,
    CoachOverride,
    DayContext,
    ExerciseLogView,
    PlannedDay,
    PolicyProposal,
    PriorSession,
    plan_day,
)
from planner.explanation import ShapFactor
from planner.loadtypes import Flag
from planner.prescription import Emphasis
from planner.session import NOTE_GENTLE, NOTE_INSTEAD_OF, NOTE_SIDE_ONLY
from storage.schema import Plan

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
MONDAY = dt.date(2026, 11, 23)


def _good_fortnights(today: dt.date) -> list[CheckInView]:
    """Four weeks of easy, completed sessions in a good mood: the two-week rule raises."""
    return [CheckInView(today - dt.timedelta(days=k), rpe=5, minutes=40, sentiment_level=1)
            for k in range(1, 29)]


def _busy_day() -> PlannedDay:
    """A strength Monday from the week scheduler, sized, with a second session, a weak
    fitness-test item, the scheduling policy's proposal and an exercise found too hard."""
    return plan_day(DayContext(
        today=MONDAY, template="general",
        exercise_logs=(ExerciseLogView(MONDAY - dt.timedelta(days=2), "push_up", "too_hard"),),
        prior_sessions={MONDAY - dt.timedelta(days=2): PriorSession(
            MONDAY - dt.timedelta(days=2), 1.0, 1.0, 45.0)},
        emphases=(Emphasis("pull_ups", "upper-body strength", -0.4),),
        training_days=(1, 3, 5, 6), minutes_by_weekday={1: 70.0}, hr_by_weekday={1: 150.0},
        modality_by_weekday={1: "strength"}, second_by_weekday={1: ("strength", 20.0)},
        proposal=PolicyProposal(
            volume_change=0.04, modality="strength",
            attributions=(ShapFactor("resting_hr", 55.0, 0.3), ShapFactor("acwr", 1.1, -0.2)),
            intensity_change=-0.03, intensity_attributions=(ShapFactor("muscle_fatigue", 0.4,
                                                                       0.2),)),
    ))


def _sore_day() -> PlannedDay:
    """A left-knee pain on an aerobic Friday, a fatigue spike, and a raise that must wait."""
    friday = MONDAY + dt.timedelta(days=4)
    pain = CheckInView(friday, rpe=8, minutes=60, sentiment_level=-1, pain_sites=("knee",),
                       pain_sides={"knee": "left"})
    return plan_day(DayContext(
        today=friday, template="general", start_day=friday - dt.timedelta(days=28),
        checkins=(*_good_fortnights(friday), pain), frbi_by_day={friday: 1.35},
        training_days=(1, 3, 5, 6), minutes_by_weekday={5: 55.0},
        modality_by_weekday={5: "aerobic"},
        shap_factors=(ShapFactor("run_3000m_s", 900.0, 0.5),),
    ))


def _plan_rules(trend: str) -> PlannedDay:
    """A rest Monday of a class plan whose week weights and a test's trend are said."""
    meta = {"template": "general", "class_plan": "10B", "group_template": "mobility",
            "trends": [{"item": "run_50m_s", "trend": trend, "before": 8.1,
                        "after": 8.6, "change": -0.06 if trend == "declining" else 0.06}],
            "schedule": {"reward_weights": [0.6, 0.3, 0.1], "training_days": [2, 4, 6],
                         "sessions": []}}
    inputs = plan_inputs(Plan(meta=meta), MONDAY)
    return plan_day(DayContext(today=MONDAY, template="general",
                               training_days=inputs["training_days"],
                               plan_rules=inputs["plan_rules"]))


def _coach_and_away() -> list[PlannedDay]:
    hard = [CheckInView(MONDAY - dt.timedelta(days=k), rpe=9, minutes=40, sentiment_level=-1)
            for k in range(1, 29)]
    return [
        plan_day(DayContext(today=MONDAY, template="general",
                            override=CoachOverride(0.0, 0.0, "regatta", "Ben"))),
        plan_day(DayContext(today=MONDAY, template="general",
                            override=CoachOverride(0.9, 0.8, None, None))),
        plan_day(DayContext(today=MONDAY, template="general",
                            away_until=MONDAY + dt.timedelta(days=2), away_reason="trip")),
        plan_day(DayContext(today=MONDAY, template="general",
                            start_day=MONDAY - dt.timedelta(days=28), checkins=hard)),
        plan_day(DayContext(today=MONDAY, template="general",
                            start_day=MONDAY - dt.timedelta(days=28),
                            checkins=_good_fortnights(MONDAY))),
        _long_break(),
        plan_day(DayContext(today=MONDAY, template="general", night_flags=(
            Flag("sleep_short", "alert", 4.0, 5.0, "sleep", "Slept 4.0 h last night."),
            Flag("hrv_low", "watch", -12.0, -2.5, "hrv", "HRV 12% below baseline."),
            Flag("resting_hr_high", "watch", 6.0, 5.0, "hr", "Resting HR 6 bpm up.")))),
    ]


def _long_break() -> PlannedDay:
    """Back from three weeks off: today's full session would spike the load ratio."""
    old = [CheckInView(MONDAY - dt.timedelta(days=k), rpe=6, minutes=30) for k in (27, 26, 25)]
    back = [CheckInView(MONDAY - dt.timedelta(days=k), rpe=7, minutes=90) for k in (3, 2, 1)]
    return plan_day(DayContext(today=MONDAY, template="general", checkins=(*old, *back),
                               minutes_by_weekday={1: 90.0}, training_days=(1, 3, 5, 6)))


@pytest.fixture(scope="module")
def days() -> list[PlannedDay]:
    return [_busy_day(), _sore_day(), _plan_rules("declining"), _plan_rules("improving"),
            *_coach_and_away()]


def _shown(planned: PlannedDay) -> str:
    return session_text(planned) + "\n" + why_text(planned)


def _english(days: list[PlannedDay]) -> set[str]:
    """What of the planner's English could leak: its words of the rules that fired and every
    name of its catalogue (as written and as the planner lower-cases it inside a sentence)."""
    words = {name for name, _source in vocabulary()}
    words |= {name.lower() for name in words}
    for planned in days:
        for rule in planned.explanation.rules:
            words |= {rule.sentence, rule.effect, rule.threshold}
            words |= {key.replace("_", " ") for key in rule.inputs if "_" in key}
        words |= set(planned.explanation.sentences)
    return {w for w in words if len(w) > 3}


def test_the_scenarios_fire_every_rule_the_bot_words(days: list[PlannedDay]) -> None:
    fired = {rule.code for planned in days for rule in planned.explanation.rules}
    assert set(SENTENCES) <= fired, set(SENTENCES) - fired
    assert "frbi_cut" in fired and "acwr_guard" in fired and "two_week_down" in fired


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_planner_english_in_today_and_why(days: list[PlannedDay], lang: str) -> None:
    english = _english(days)
    for planned in days:
        with i18n.language(lang):
            text = _shown(planned)
        leaked = sorted(w for w in english if w in text)
        assert not leaked, f"{lang}: {leaked}\n{text}"
        assert "{" not in text and "}" not in text and "'" not in text, text
        assert " -> " not in text  # the planner's arrow in its own swaps


def test_english_keeps_the_planners_own_words(days: list[PlannedDay]) -> None:
    for planned in days:
        text = why_text(planned)
        for sentence in planned.explanation.sentences:
            assert f"- {sentence}" in text
        for rule in planned.explanation.rules:
            assert f": {rule.effect} (rule: {rule.threshold}; your values: " in text
        assert "{'" not in text  # a side read "knee left", never a dict


def test_a_spanish_sore_day_reads_as_spanish(days: list[PlannedDay]) -> None:
    with i18n.language("es"):
        text = _shown(days[1])
    assert "(en lugar de Calentamiento: trote suave, skipping y balanceos de piernas)" in text
    assert "Has registrado dolor en: rodilla (lado izquierdo)" in text
    assert "Tu plan semanal hace del viernes un día de trabajo aeróbico." in text
    assert "tus valores: dolor: rodilla (lado izquierdo); subida aplazada: sí)" in text


def test_every_catalogue_name_has_its_own_translation() -> None:
    """A name added to planner/data without a translation fails here (and the catalog test),
    in each language; a translation that is the English again counts as none."""
    names = {name for name, _source in vocabulary()}
    catalogue = load_catalogue()
    assert {e.name for e in catalogue.exercises.values()} <= names
    assert {t.title for t in catalogue.templates.values()} <= names
    assert {d.title for t in catalogue.templates.values() for d in t.week.values()} <= names
    ids = {m.id for m in catalogs.extract() if m.id}
    assert names <= ids  # `coachloop i18n extract` reads them from the data
    for lang in TRANSLATED:
        untranslated = sorted(n for n in names if i18n.translations(lang).gettext(n) == n)
        assert not untranslated, f"{lang}: {untranslated}"


def test_every_kind_of_work_and_rule_has_its_words() -> None:
    assert set(WORK) == set(MODALITIES)
    assert set(EFFECTS) == set(THRESHOLDS)
    assert set(SENTENCES) <= set(EFFECTS)
    assert "pain_sides" not in VALUE_LABELS  # said beside each site, never as a dict


@pytest.mark.parametrize(("lang", "side_only", "gentle"), [
    ("es", "solo el lado derecho", "suave"), ("de", "nur rechts", "sanft"),
    ("ru", "только справа", "в щадящем режиме"), ("zh", "只做右侧", "轻柔进行")])
def test_the_pain_guards_notes_are_worded_again(lang: str, side_only: str, gentle: str) -> None:
    with i18n.language(lang):
        assert note(NOTE_SIDE_ONLY.format(side="right")) == side_only
        assert note(NOTE_GENTLE) == gentle
        assert note(NOTE_INSTEAD_OF.format(name="Easy run")) == _("instead of {exercise}").format(
            exercise=_("Easy run"))
    assert note(NOTE_SIDE_ONLY.format(side="right")) == "right side only"  # English as it was
