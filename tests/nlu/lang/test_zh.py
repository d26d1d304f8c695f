"""Chinese check-ins, written without spaces, fill the same report fields an English one does."""

from __future__ import annotations

import pytest

from nlu.reading import read_checkin
from tests.nlu.lang.cases import level_of, sites_of


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("训练了一个小时，强度8，左膝盖疼", ("knee",)),
        ("左膝盖有点痛", ("knee",)),
        ("小腿抽筋了", ("calf",)),
        ("脚踝扭伤", ("ankle",)),
        ("大腿后侧拉伤", ("hamstring",)),
        ("跟腱隐隐作痛", ("achilles",)),
        ("脚后跟疼，可能是足底筋膜炎", ("foot",)),
        ("膝盖有点不舒服", ("knee",)),
        ("没想到膝盖会疼", ("knee",)),
        ("膝盖不太疼了", ("knee",)),
        ("踢足球90分钟，脚踝疼", ("ankle",)),
        ("头疼", ("head",)),
        ("膝盖酸痛", ("knee",)),
        ("腿疼", ("unspecified",)),
    ],
)
def test_pain_cramp_and_injury_words_flag_their_site(text: str, sites: tuple[str, ...]) -> None:
    assert sites_of(text) == sites


@pytest.mark.parametrize(
    "text",
    [
        "膝盖不疼",
        "膝盖没有疼",
        "已经不疼了",
        "一点都不痛",
        "没有任何疼痛",
        "没有任何的疼痛感",
        "哪里都不疼",
        "没有伤病",
        "疼痛消失了",
        "腿很酸",
        "肌肉酸痛，但是没有疼",
        "大腿前侧很紧",
        "手机没电了，骑了一个半钟头",
    ],
)
def test_negated_resolved_or_muscle_soreness_is_not_pain(text: str) -> None:
    assert sites_of(text) == ()


@pytest.mark.parametrize(
    ("text", "rpe", "minutes"),
    [
        ("一个小时，强度8", 8.0, 60.0),
        ("半小时拉伸", None, 30.0),
        ("一个半小时骑行，RPE 6", 6.0, 90.0),
        ("两个小时，强度七", 7.0, 120.0),
        ("1.5h，强度9/10", 9.0, 90.0),
        ("90分钟足球，强度大概是6", 6.0, 90.0),
        ("一小时二十分钟，强度7到8", 7.5, 80.0),
        ("四十五分钟间歇，给自己打7分", 7.0, 45.0),
        ("强度7，1个小时", 7.0, 60.0),
        ("4组10分钟，强度9", 9.0, None),
        ("高强度间歇30分钟", None, 30.0),
    ],
)
def test_rpe_and_minutes_in_numerals_and_digits(
    text: str, rpe: float | None, minutes: float | None
) -> None:
    report = read_checkin(text)
    assert (report.rpe, report.minutes) == (rpe, minutes)


def test_sleep_hours_are_not_session_minutes_and_distance_is_in_km() -> None:
    report = read_checkin("睡了6个小时，跑了10公里，用时45分钟")
    assert (report.sleep_h, report.minutes, report.distance_km) == (6.0, 45.0, 10.0)
    assert read_checkin("游了2000米").distance_km == 2.0


def test_hooper_items_from_chinese_words() -> None:
    report = read_checkin("非常累，睡得不好，压力很大")
    assert (report.fatigue, report.sleep_quality, report.stress) == (6, 6, 5)
    assert read_checkin("不累").fatigue == 2


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("今天练得特别好，状态超棒", 1),
        ("不疼了，而且很有动力", 1),
        ("今天太糟了，没能完成训练", -1),
        ("背疼，心情很烦", -1),
        ("10公里，配速5分30", 0),
    ],
)
def test_sentiment_levels(text: str, level: int) -> None:
    assert level_of(text, "zh") == level
