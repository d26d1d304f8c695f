"""Intent classifier from Rasa's nlu.yml: sklearn contract, determinism, Rasa fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlu.intents import NLU_YML, IntentClassifier, default_intent_classifier, load_nlu_yml
from nlu.rasa_client import RasaIntentClient

REQUIRED = {
    "check_in",
    "ask_today",
    "ask_why",
    "report_pain",
    "upload_data",
    "coach_status",
    "teacher_broadcast",
    "greet",
    "help",
    "goodbye",
    "affirm",
    "deny",
}


def test_nlu_yml_has_required_intents_with_15_examples_each() -> None:
    _, intents = load_nlu_yml(NLU_YML)
    counts = {i: intents.count(i) for i in set(intents)}
    assert set(counts) >= REQUIRED
    assert min(counts.values()) >= 15


def test_entity_markup_is_unwrapped(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: report_pain\n  examples: |\n    - my [knee](site) hurts\n'
    )
    assert load_nlu_yml(path) == (["my knee hurts"], ["report_pain"])


def test_init_stores_params_only_and_fit_returns_self() -> None:
    clf = IntentClassifier(C=3.0, random_state=7)
    assert clf.get_params()["C"] == 3.0
    assert not hasattr(clf, "classes_")
    texts, intents = load_nlu_yml()
    assert clf.fit(texts, intents) is clf
    assert set(clf.classes_) == set(intents)


def test_same_seed_same_predictions() -> None:
    texts, intents = load_nlu_yml()
    probe = ["my calf hurts", "why is today easy", "hello there", "10k tempo rpe 7"]
    a = IntentClassifier(random_state=3).fit(texts, intents).predict_proba(probe)
    b = IntentClassifier(random_state=3).fit(texts, intents).predict_proba(probe)
    assert np.array_equal(a, b)


def test_unfitted_classifier_says_how_to_fix() -> None:
    with pytest.raises(ValueError, match="fit"):
        IntentClassifier().predict(["hi"])


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hey coach", "greet"),
        ("my hamstring hurts", "report_pain"),
        ("what's the plan for today?", "ask_today"),
        ("why did you make it easier?", "ask_why"),
        ("here's the fit file from my watch", "upload_data"),
        ("ran 8k in 45 min, rpe 5", "check_in"),
    ],
)
def test_clear_messages_get_their_intent(text: str, intent: str) -> None:
    assert default_intent_classifier().predict([text])[0] == intent


def test_rasa_down_falls_back_to_local_classifier() -> None:
    client = RasaIntentClient("http://127.0.0.1:9", timeout_s=0.2)
    name, confidence = client.intent("my knee hurts")
    assert client.last_source == "local"
    assert name == "report_pain"
    assert 0.0 < confidence <= 1.0
