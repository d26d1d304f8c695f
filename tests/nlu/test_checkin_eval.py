"""The labelled check-ins per language: enough, valid, and the evaluation kept apart."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from nlu.checkin_eval import (
    EVAL_DIR,
    TUNE_DIR,
    load_checkins,
    missed_targets,
    score_checkins,
)
from nlu.reading import read_checkin
from nlu.report import CheckInReport, Sentiment

LANGUAGES = ("en", "es", "de", "ru", "zh")
CORPUS = Path(__file__).resolve().parents[2] / "nlu" / "data" / "sentiment_corpus.tsv"


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_forty_labelled_check_ins_with_every_class(code: str) -> None:
    for directory in (EVAL_DIR, TUNE_DIR):
        items = load_checkins(directory / f"{code}.yml")
        assert len(items) >= 40
        assert {i.sentiment for i in items} == {-1, 0, 1}
        assert any(i.pain for i in items) and any(i.negated for i in items)
        assert all(i.language == code for i in items)


@pytest.mark.parametrize("code", (*LANGUAGES, "other"))
def test_evaluation_and_tuning_share_no_check_in(code: str) -> None:
    held_out = {_key(i.text) for i in load_checkins(EVAL_DIR / f"{code}.yml")}
    tuning = {_key(i.text) for i in load_checkins(TUNE_DIR / f"{code}.yml")}
    assert not held_out & tuning


def test_english_evaluation_shares_nothing_with_the_sentiment_training_corpus() -> None:
    corpus = {
        _key(line.split("\t", 1)[1])
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if "\t" in line and not line.startswith(("#", "label\t"))
    }
    assert not {_key(i.text) for i in load_checkins(EVAL_DIR / "en.yml")} & corpus


def test_a_bad_label_is_refused_with_the_place_to_fix(tmp_path: Path) -> None:
    bad = tmp_path / "es.yml"
    bad.write_text(
        "language: es\ncheckins:\n- text: me duele\n  sentiment: sad\n  pain: [knee]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="check-in 1: sentiment must be one of"):
        load_checkins(bad)
    bad.write_text(
        "language: es\ncheckins:\n- text: me duele\n  sentiment: negative\n  pain: [leg]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown pain sites"):
        load_checkins(bad)


def test_scores_count_recall_false_alarms_and_exact_fields(tmp_path: Path) -> None:
    data = tmp_path / "es.yml"
    data.write_text(
        "language: es\ncheckins:\n"
        "- {text: 'me duele la rodilla, 1 hora', sentiment: negative, pain: [knee], minutes: 60}\n"
        "- {text: 'no me duele nada', sentiment: positive, pain: [], negated: true}\n"
        "- {text: 'esfuerzo 7', sentiment: neutral, pain: [], rpe: 7}\n",
        encoding="utf-8",
    )
    items = load_checkins(data)
    reports = [
        replace(read_checkin(i.text), sentiment=Sentiment(0.0, level))
        for i, level in zip(items, (-1, 1, 0), strict=True)
    ]
    scores = score_checkins(items, reports)
    assert (scores.pain_recall, scores.false_alarms, scores.negated_false_alarms) == (1.0, 0, 0)
    assert (scores.rpe_accuracy, scores.minutes_accuracy, scores.sentiment_accuracy) == (1, 1, 1)
    assert missed_targets(scores) == []
    flagged = [reports[0], CheckInReport(text=items[1].text, pain=True), reports[2]]
    assert "no false alarm" in missed_targets(score_checkins(items, flagged))
