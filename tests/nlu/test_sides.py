"""Pain sites keep the side they were said on, beside the canonical site names."""

from __future__ import annotations

import pytest

from nlu import NluEngine
from nlu.extract import extract
from nlu.sides import merge_sides


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("left knee hurts", {"knee": "left"}),
        ("both knees hurt", {"knee": "both"}),
        ("left knee and right knee hurt", {"knee": "both"}),
        ("knee hurts right after the run", {}),  # "right" is not a side here
        ("Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda", {"knee": "left"}),
        ("me duelen los dos gemelos", {"calf": "both"}),
        ("mein linkes Knie tut weh", {"knee": "left"}),
        ("Knie links tut weh", {"knee": "left"}),
        ("в правом колене боль", {"knee": "right"}),
        ("обе икры свело", {"calf": "both"}),
        ("训练了一个小时，强度8，左膝盖疼", {"knee": "left"}),
        ("右脚踝扭伤", {"ankle": "right"}),
    ],
)
def test_the_side_said_of_a_pain_site_is_kept(text: str, sides: dict[str, str]) -> None:
    report = NluEngine.create("vader").parse(text)
    assert report.pain_sides == sides
    assert set(report.pain_sides) <= set(report.pain_sites)


def test_sites_stay_canonical_names_when_a_side_is_said() -> None:
    report = extract("my left knee hurts")
    assert report.pain_sites == ("knee",) and report.pain_sides == {"knee": "left"}


def test_a_negated_site_has_no_side() -> None:
    assert extract("no pain in my left knee").pain_sides == {}


def test_a_site_said_on_two_sides_is_on_both() -> None:
    assert merge_sides([("knee", "left"), ("knee", "right"), ("calf", "left")]) == {
        "knee": "both",
        "calf": "left",
    }
