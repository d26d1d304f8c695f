"""Check-in extraction: explicit numbers only, ranges validated, pain with negation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.extract import MINUTES_RANGE, RPE_RANGE, SLEEP_RANGE, extract
from nlu.report import CheckInReport


@pytest.mark.parametrize(
    ("text", "rpe"),
    [
        ("rpe 7", 7.0),
        ("effort 7/10", 7.0),
        ("7 out of 10 today", 7.0),
        ("RPE seven", 7.0),
        ("Effort: 6", 6.0),
        ("rpe 7-8 on the intervals", 7.5),
        ("felt like a 9/10 effort", 9.0),
    ],
)
def test_explicit_rpe_is_extracted(text: str, rpe: float) -> None:
    assert extract(text).rpe == rpe


def test_easy_is_not_an_rpe() -> None:
    assert extract("easy run, felt good").rpe is None


def test_sleep_score_out_of_ten_is_not_rpe() -> None:
    assert extract("sleep 7/10 and rpe 6").rpe == 6.0
    assert extract("sleep 8/10").rpe is None


def test_out_of_range_rpe_is_rejected_with_zero_confidence() -> None:
    report = extract("rpe 14")
    assert report.rpe is None
    assert report.confidence["rpe"] == 0.0
    assert report.rejected == {"rpe": 14.0}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h15 easy", 75.0),
        ("90 min tempo", 90.0),
        ("an hour on the bike", 60.0),
        ("45' swim", 45.0),
        ("half an hour jog", 30.0),
        ("an hour and a half ride", 90.0),
        ("1.5 hours", 90.0),
        ("2 hours and 10 minutes", 130.0),
        ("40-minute run", 40.0),
        ("1 hr 15 min bike", 75.0),
    ],
)
def test_session_minutes_are_extracted(text: str, minutes: float) -> None:
    assert extract(text).minutes == minutes


def test_pace_is_not_a_duration() -> None:
    assert extract("5 min/km pace for 40 min").minutes == 40.0


def test_sleep_hours_are_not_session_minutes() -> None:
    report = extract("slept 6h then 45 min run")
    assert report.sleep_h == 6.0
    assert report.minutes == 45.0


@pytest.mark.parametrize(
    ("text", "sleep"),
    [("slept 6h", 6.0), ("7.5 hours sleep", 7.5), ("slept six hours", 6.0), ("8h of sleep", 8.0)],
)
def test_sleep_hours_are_extracted(text: str, sleep: float) -> None:
    assert extract(text).sleep_h == sleep


def test_impossible_sleep_is_rejected() -> None:
    report = extract("slept 20 hours")
    assert report.sleep_h is None
    assert report.rejected["sleep_h"] == 20.0


@pytest.mark.parametrize(
    ("text", "km"),
    [("10k in 50 min", 10.0), ("ran 5 miles", 8.047), ("6x400m", 2.4), ("12 km easy", 12.0)],
)
def test_distance_is_extracted_in_km(text: str, km: float) -> None:
    assert extract(text).distance_km == pytest.approx(km, abs=1e-3)


def test_legs_very_sore_is_high_soreness_not_pain() -> None:
    report = extract("legs very sore today")
    assert report.soreness is not None and report.soreness >= 6
    assert report.pain is False


def test_wellness_words_map_to_hooper_items() -> None:
    report = extract("a bit tired, slept badly and stressed at work")
    assert report.fatigue == 4
    assert report.sleep_quality == 6
    assert report.stress == 5
    assert report.mood is None


def test_exercises_are_found_from_vocabulary_in_order() -> None:
    assert extract("squats and deadlifts then a long run").exercises == (
        "squat",
        "deadlift",
        "long_run",
    )


@pytest.mark.parametrize(
    "text",
    [
        "no pain today",
        "knee feels fine now",
        "no longer hurts",
        "knee pain is gone",
        "pain-free run!",
        "no niggles, all good",
        "quads very sore from squats",
        "foam rolled my calves",
    ],
)
def test_negated_or_resolved_pain_is_not_pain(text: str) -> None:
    report = extract(text)
    assert report.pain is False
    assert report.pain_sites == ()


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("left knee is sore after the run", ("knee",)),
        ("my achilles is a bit tender", ("achilles",)),
        ("shin splints again :(", ("shin",)),
        ("tweaked my lower back deadlifting", ("lower_back",)),
        ("felt a sharp pain in my right calf at km 8", ("calf",)),
        ("Knee and ankle hurt", ("knee", "ankle")),
        ("rolled my ankle", ("ankle",)),
        ("hamstring niggle but no pain otherwise", ("hamstring",)),
        ("my groin hurts", ("groin",)),
        ("hip is aching", ("hip",)),
    ],
)
def test_pain_is_flagged_with_body_sites(text: str, sites: tuple[str, ...]) -> None:
    report = extract(text)
    assert report.pain is True
    assert report.pain_sites == sites


def test_negation_only_cancels_the_site_it_governs() -> None:
    report = extract("No knee pain and the ankle hurts")
    assert report.pain_sites == ("ankle",)


def test_unmentioned_pain_has_low_confidence_and_explicit_no_pain_high() -> None:
    assert extract("10k easy").confidence["pain"] < 0.5
    assert extract("no pain today").confidence["pain"] > 0.8


def test_unsaid_fields_stay_none_with_zero_confidence() -> None:
    report = extract("felt great")
    assert (report.rpe, report.minutes, report.sleep_h) == (None, None, None)
    assert report.confidence["rpe"] == 0.0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_crashes_on_any_unicode_text(text: str) -> None:
    report = extract(text)
    assert isinstance(report, CheckInReport)
    assert all(0.0 <= c <= 1.0 for c in report.confidence.values())


_numberish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "rpe",
                "effort",
                "/10",
                "out of 10",
                "min",
                "h",
                "hours",
                "slept",
                "sleep",
                "km",
                "m",
                "'",
                "and",
                "an hour",
                "a half",
                " ",
                "x",
                "-",
                ".",
                ":",
                "seven",
                "twenty",
            ]
        ),
        st.integers(min_value=0, max_value=99999).map(str),
        st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda f: f"{f:.1f}"),
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_numberish)
def test_extracted_values_are_always_in_range(text: str) -> None:
    report = extract(text)
    if report.rpe is not None:
        assert RPE_RANGE[0] <= report.rpe <= RPE_RANGE[1]
    if report.minutes is not None:
        assert MINUTES_RANGE[0] <= report.minutes <= MINUTES_RANGE[1]
    if report.sleep_h is not None:
        assert SLEEP_RANGE[0] <= report.sleep_h <= SLEEP_RANGE[1]
    for item in ("sleep_quality", "fatigue", "soreness", "stress", "mood"):
        value = getattr(report, item)
        assert value is None or 1 <= value <= 7


@pytest.mark.parametrize(
    "text",
    [
        "back to running after the injury, no pain",
        "first run since my knee injury, felt ok",
        "back on the bike and my knee is fine",
        "came back from holiday, legs heavy",
    ],
)
def test_adverb_back_and_past_injuries_are_not_pain(text: str) -> None:
    assert extract(text).pain is False


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("my lower back is killing me", ("lower_back",)),
        ("IT band is giving me grief", ("it_band",)),
        ("achilles playing up again", ("achilles",)),
    ],
)
def test_pain_idioms_flag_their_site(text: str, sites: tuple[str, ...]) -> None:
    assert extract(text).pain_sites == sites
