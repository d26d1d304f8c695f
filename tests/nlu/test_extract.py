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


# -- sleep said with how the night was (audit) -----------------------------------------


@pytest.mark.parametrize(
    ("text", "sleep", "minutes"),
    [
        ("my back hurts, rpe 5, 30 min, slept badly 5 hours", 5.0, 30.0),
        ("slept poorly 5h", 5.0, None),
        ("slept terribly, 5 hours", 5.0, None),
        ("slept well 8 hours then 1h ride", 8.0, 60.0),
        ("slept only about 6h, 40 min easy", 6.0, 40.0),
        ("didn't sleep well, maybe 4 hours. 50 min spin", 4.0, 50.0),
        ("slept well, 45 min run", None, 45.0),
        ("slept well 45 min run", None, 45.0),
        ("slept ok. 2h ride", None, 120.0),
    ],
)
def test_a_duration_said_of_sleep_is_never_session_minutes(
    text: str, sleep: float | None, minutes: float | None
) -> None:
    report = extract(text)
    assert (report.sleep_h, report.minutes) == (sleep, minutes)
    assert report.rejected == {}


def test_the_audited_check_in_reads_every_field() -> None:
    report = extract("my back hurts, rpe 5, 30 min, slept badly 5 hours")
    assert (report.rpe, report.minutes, report.sleep_h) == (5.0, 30.0, 5.0)
    assert report.pain_sites == ("back",)
    assert report.sleep_quality == 6
    assert report.confidence["minutes"] == 0.9  # the sleep hours were not a candidate


def test_several_session_durations_lower_minutes_confidence() -> None:
    report = extract("1h run, last 20 min hard")
    assert report.minutes == 60.0
    assert report.confidence["minutes"] < 0.9


# -- negation that does not cancel, cramps, tightness -----------------------------------


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("can't run without knee pain", ("knee",)),
        ("couldn't even jog without my shin hurting", ("shin",)),
        ("not too much pain in the knee", ("knee",)),
        ("not much knee pain today", ("knee",)),
        ("a little pain in my ankle", ("ankle",)),
        ("can't run, knee pain", ("knee",)),
        ("calf cramp at km 15", ("calf",)),
        ("cramping in my calves", ("calf",)),
        ("tight and sore achilles", ("achilles",)),
        ("my knee ached all run", ("knee",)),
    ],
)
def test_double_negation_mild_pain_and_cramp_are_pain(text: str, sites: tuple[str, ...]) -> None:
    report = extract(text)
    assert report.pain is True
    assert report.pain_sites == sites


@pytest.mark.parametrize("text", ["not much pain", "not very painful", "not without pain"])
def test_hedged_pain_without_a_site_is_still_pain(text: str) -> None:
    assert extract(text).pain is True


@pytest.mark.parametrize(
    "text",
    [
        "pain free",
        "can't wait to run without pain",
        "no real pain in the knee",
        "not bad, ran without pain",
        "no cramps today",
    ],
)
def test_real_negations_still_cancel(text: str) -> None:
    assert extract(text).pain is False


@pytest.mark.parametrize(
    ("text", "watch"),
    [
        ("tight hamstring", ("hamstring",)),
        ("hamstrings feel a bit tight", ("hamstring",)),
        ("calves were so tight on the hills", ("calf",)),
        ("tightness in my left hip", ("hip",)),
    ],
)
def test_tightness_is_a_watch_signal_and_soreness_not_pain(
    text: str, watch: tuple[str, ...]
) -> None:
    report = extract(text)
    assert report.pain is False and report.pain_sites == ()
    assert report.watch_sites == watch
    assert report.soreness is not None and report.soreness >= 5


@pytest.mark.parametrize("text", ["no tightness in my calf", "tight race, legs good"])
def test_tight_that_is_not_about_a_body_site_is_no_signal(text: str) -> None:
    report = extract(text)
    assert report.watch_sites == () and report.soreness is None


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("terrible knee pain", ("knee",)),  # "terrible" holds "rib"
        ("groin strain from football", ("groin",)),  # "football" holds "foot"
        ("shoulder hurts when I lift overhead", ("shoulder",)),  # "overhead" holds "head"
    ],
)
def test_sites_are_whole_words(text: str, sites: tuple[str, ...]) -> None:
    assert extract(text).pain_sites == sites


def test_pain_without_a_site_is_reported_as_unlocated_pain() -> None:
    report = extract("it hurts when I run")
    assert report.pain is True and report.pain_sites == ()
    assert report.pain_unlocated is True
    assert 0.0 < report.confidence["pain"] < 0.9  # the dialogue asks where
    assert extract("knee hurts").pain_unlocated is False
    assert extract("no pain today").pain_unlocated is False


# -- durations and ratings the audit found missing --------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("hour and a half run", 90.0),
        ("did hour and a half on the bike", 90.0),
        ("1:15 run", 75.0),
        ("1:15 easy run, felt good", 75.0),
        ("ran 1:15", 75.0),
        ("rode for 4:30 today", 270.0),
        ("1:15h on the turbo", 75.0),
        ("up at 6:15, 1:15 run", 75.0),
        ("at 7:30 ran 40 min", 40.0),
    ],
)
def test_clock_style_and_article_less_durations(text: str, minutes: float) -> None:
    assert extract(text).minutes == minutes


@pytest.mark.parametrize(
    "text",
    ["run at 7:30", "7:30 run", "200 free in 2:28", "10k in 46:12", "4:30 per km", "meet by 6:00"],
)
def test_times_of_day_paces_and_race_splits_are_not_minutes(text: str) -> None:
    report = extract(text)
    assert report.minutes is None and "minutes" not in report.rejected


@pytest.mark.parametrize(
    ("text", "rpe"),
    [
        ("rated it a 7", 7.0),
        ("I'd rate the session 6/10", 6.0),
        ("gave it a solid 8 today", 8.0),
        ("call it a 5", 5.0),
        ("rated 4 out of 10", 4.0),
    ],
)
def test_rated_it_phrasings_are_rpe(text: str, rpe: float) -> None:
    assert extract(text).rpe == rpe


@pytest.mark.parametrize(
    "text", ["gave it 100%", "heart rate 150", "sleep rating 6", "gave it 2 goes"]
)
def test_ratings_of_other_things_are_not_rpe(text: str) -> None:
    report = extract(text)
    assert report.rpe is None and "rpe" not in report.rejected
