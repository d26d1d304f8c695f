"""Transformer sentiment: shipped head, any local HF model, clear errors when missing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlu.errors import SentimentModelMissingError
from nlu.sentiment_transformer import (
    SHIPPED_HEAD_DIR,
    HFSentiment,
    SentimentHead,
    resolve_head_dir,
    scores_from_proba,
)


def _tiny_bert(tmp_path: Path, labels: dict[int, str]) -> Path:
    """A 2-layer BERT classifier with a made-up vocabulary, saved like a real HF model."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    words = ["great", "awful", "run", "legs", "pain", "fresh", "tired", "today"]
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    tokenizer = BertTokenizer(str(vocab))
    config = BertConfig(
        vocab_size=len(words) + 5,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=len(labels),
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )
    import torch

    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    out = tmp_path / "tiny-sentiment"
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def test_any_local_hf_classifier_loads_and_scores(tmp_path: Path) -> None:
    path = _tiny_bert(tmp_path, {0: "negative", 1: "neutral", 2: "positive"})
    model = HFSentiment(str(path))
    probs = model.predict_proba(["great run today", "awful legs", ""])
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)
    scores, levels = scores_from_proba(probs)
    assert all(-1.0 <= s <= 1.0 for s in scores)
    assert set(levels) <= {-1, 0, 1}


def test_hf_labels_are_mapped_by_name_in_any_order(tmp_path: Path) -> None:
    path = _tiny_bert(tmp_path, {0: "POSITIVE", 1: "NEGATIVE"})
    model = HFSentiment(str(path))
    assert model._columns == {1: 0, -1: 1}
    probs = model.predict_proba(["great"])
    assert probs[0, 1] == pytest.approx(0.0)  # two-label model has no neutral


def test_missing_hf_model_raises_actionable_error(tmp_path: Path) -> None:
    with pytest.raises(SentimentModelMissingError, match="SENTIMENT_HF_MODEL"):
        HFSentiment(str(tmp_path / "no-such-model"))


def test_missing_head_raises_actionable_error(tmp_path: Path) -> None:
    with pytest.raises(SentimentModelMissingError, match="coachloop train sentiment"):
        SentimentHead.load(tmp_path)


def test_shipped_head_has_manifest_with_provenance() -> None:
    manifest = json.loads((SHIPPED_HEAD_DIR / "manifest.json").read_text())
    assert {"name", "version", "created_at", "seed", "data_hash", "metrics", "files"} <= set(
        manifest
    )
    head = SentimentHead.load(SHIPPED_HEAD_DIR)
    assert head.coef.shape == (3, 384)


def test_user_retrained_head_wins_over_shipped(tmp_path: Path) -> None:
    assert resolve_head_dir(tmp_path) == SHIPPED_HEAD_DIR
    user = tmp_path / "sentiment-head"
    head = SentimentHead.load(SHIPPED_HEAD_DIR)
    head.save(user)
    assert resolve_head_dir(tmp_path) == user


def test_head_probabilities_are_a_distribution_in_level_order() -> None:
    head = SentimentHead(
        coef=np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]),
        intercept=np.zeros(3),
        classes=(1, 0, -1),
        manifest={},
    )
    probs = head.predict_proba(np.array([[5.0, 0.0]], dtype=np.float32))
    assert np.allclose(probs.sum(), 1.0)
    assert probs[0].argmax() == 2  # class 1 (first coef row) -> last column (level +1)


@pytest.mark.slow
def test_shipped_minilm_head_reads_clear_check_ins() -> None:
    from nlu.sentiment_transformer import HeadSentiment

    model = HeadSentiment(SHIPPED_HEAD_DIR)
    scores, levels = scores_from_proba(
        model.predict_proba(["new PR today, felt amazing", "knee pain, awful run"])
    )
    assert levels == [1, -1]
    assert scores[0] > 0 > scores[1]
