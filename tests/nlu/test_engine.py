"""NluEngine: the entry point the dialogue and planner use."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu import NluEngine
from nlu.ensemble import combine, ensemble_level
from nlu.report import CheckInReport


def test_vader_backend_never_imports_torch() -> None:
    code = (
        "import sys\n"
        "from nlu import NluEngine\n"
        "e = NluEngine.create('vader')\n"
        "r = e.parse('knee hurts, rpe 7, 50 min')\n"
        "assert r.pain_sites == ('knee',), r\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False False"


def test_create_is_cached_per_configuration() -> None:
    assert NluEngine.create("vader") is NluEngine.create("vader")
    assert NluEngine.create("vader") is not NluEngine.create("ensemble")


def test_unknown_backend_is_rejected_with_choices() -> None:
    with pytest.raises(ValueError, match="vader, transformer, ensemble, rasa"):
        NluEngine.create("bert")


def test_rasa_backend_needs_url() -> None:
    with pytest.raises(ValueError, match="RASA_URL"):
        NluEngine("rasa")


def test_parse_fills_sentiment_intent_and_fields() -> None:
    report = NluEngine.create("vader").parse("crushed it! rpe 6, 45 min, no pain")
    assert isinstance(report, CheckInReport)
    assert report.rpe == 6.0 and report.minutes == 45.0 and report.pain is False
    assert report.sentiment is not None and report.sentiment.level == 1
    assert report.intent == "check_in"
    assert 0.0 <= report.confidence["intent"] <= 1.0


def test_sentiment_many_keeps_order_and_empty_list() -> None:
    engine = NluEngine.create("vader")
    assert engine.sentiment_many([]) == []
    out = engine.sentiment_many(["great session", "awful run", "ran 5k"])
    assert [s.level for s in out] == [1, -1, 0]


def test_ensemble_is_weighted_mean_in_range_with_both_backends() -> None:
    s = combine(vader=1.0, transformer=-0.2, weight=0.4, threshold=0.2)
    assert s.score == pytest.approx(0.4 * -0.2 + 0.6 * 1.0)
    assert s.level == 1
    assert s.backends == {"vader": 1.0, "transformer": -0.2}
    assert ensemble_level(0.19, 0.2) == 0
    assert ensemble_level(-0.2, 0.2) == -1
    with pytest.raises(ValueError):
        combine(0.0, 0.0, weight=1.5)


@pytest.mark.slow
def test_ensemble_engine_reports_both_backend_scores() -> None:
    engine = NluEngine.create("ensemble")
    out = engine.sentiment_many(["new PB, legs felt amazing", "shin pain, had to stop"])
    assert [s.level for s in out] == [1, -1]
    assert all(set(s.backends) == {"vader", "transformer"} for s in out)
    assert all(-1.0 <= s.score <= 1.0 for s in out)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_vader_parse_never_crashes_on_any_unicode(text: str) -> None:
    report = NluEngine.create("vader").parse(text)
    assert report.sentiment is not None
    assert -1.0 <= report.sentiment.score <= 1.0
    assert report.sentiment.level in (-1, 0, 1)


def test_parse_and_parse_many_give_the_same_reports_with_sentiment_confidence() -> None:
    engine = NluEngine.create("vader")
    texts = ["crushed it, rpe 8", "knee hurts", ""]
    many = engine.parse_many(texts)
    assert many == [engine.parse(t) for t in texts]
    assert all("sentiment" in r.confidence and "intent" in r.confidence for r in many)
    assert many[0].confidence["sentiment"] > 0.5
    assert many[2].confidence["sentiment"] == 0.0
