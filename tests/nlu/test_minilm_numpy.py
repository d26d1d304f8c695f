"""The NumPy MiniLM encoder computes what the torch encoder computes, without loading torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nlu.errors import SentimentModelMissingError
from nlu.minilm import NumpyMiniLMEncoder, read_safetensors
from nlu.sentiment_transformer import (
    SHIPPED_HEAD_DIR,
    HeadSentiment,
    MiniLMEncoder,
    default_encoder_path,
)

TEXTS = [
    "RPE 6, 45 min, slept well, legs a bit heavy",
    "I feel terrible, my knee hurts when I run downstairs and I barely slept",
    "ok",
    "",
    "Dormí fatal, 8/10 y 90 minutos",
    "膝盖疼, 训练很累",
    "Müde. Schlecht geschlafen, Wade zieht",
    "tired " * 300,  # longer than 128 tokens: truncated as the torch tokenizer truncates
]


@pytest.fixture(scope="module")
def encoders() -> tuple[NumpyMiniLMEncoder, MiniLMEncoder]:
    path = default_encoder_path()
    return NumpyMiniLMEncoder(path), MiniLMEncoder(path)


def test_embeddings_equal_the_torch_encoders_in_one_padded_batch(
    encoders: tuple[NumpyMiniLMEncoder, MiniLMEncoder],
) -> None:
    ours, reference = encoders
    a, b = ours.encode(TEXTS), reference.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert a.dtype == np.float32
    assert np.abs(a - b).max() < 1e-5
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_a_text_alone_embeds_as_it_does_inside_a_padded_batch(
    encoders: tuple[NumpyMiniLMEncoder, MiniLMEncoder],
) -> None:
    ours, _ = encoders
    batch = ours.encode(TEXTS)
    for i, text in enumerate(TEXTS):
        assert np.abs(ours.encode([text])[0] - batch[i]).max() < 1e-5


def test_no_texts_give_an_empty_matrix(encoders: tuple[NumpyMiniLMEncoder, MiniLMEncoder]) -> None:
    assert encoders[0].encode([]).shape == (0, 384)


def test_the_shipped_head_reads_the_same_levels_on_either_encoder(
    encoders: tuple[NumpyMiniLMEncoder, MiniLMEncoder],
) -> None:
    ours, reference = encoders
    fast = HeadSentiment(SHIPPED_HEAD_DIR, encoder=ours).predict_proba(TEXTS)
    slow = HeadSentiment(SHIPPED_HEAD_DIR, encoder=reference).predict_proba(TEXTS)
    assert np.abs(fast - slow).max() < 1e-5
    assert (fast.argmax(axis=1) == slow.argmax(axis=1)).all()


def test_the_default_head_never_loads_torch_or_transformers() -> None:
    probe = (
        "import sys\n"
        "from nlu.sentiment_transformer import SHIPPED_HEAD_DIR, HeadSentiment\n"
        "p = HeadSentiment(SHIPPED_HEAD_DIR).predict_proba(['slept badly, legs sore'])\n"
        "assert p.shape == (1, 3)\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"


def test_safetensors_are_read_as_memory_maps_of_the_right_shape(tmp_path: Path) -> None:
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        }
    )
    raw = header.encode()
    path = tmp_path / "m.safetensors"
    path.write_bytes(len(raw).to_bytes(8, "little") + raw + data.tobytes())
    tensors = read_safetensors(path)
    assert list(tensors) == ["w"]
    assert isinstance(tensors["w"].base, np.memmap) or isinstance(tensors["w"], np.memmap)
    assert (np.asarray(tensors["w"]) == data).all()


def test_a_directory_without_the_files_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SentimentModelMissingError, match=r"model\.safetensors"):
        (tmp_path / "config.json").write_text("{}")
        NumpyMiniLMEncoder(tmp_path)


def test_a_model_of_another_architecture_is_refused_with_the_way_out(tmp_path: Path) -> None:
    for name in ("model.safetensors", "tokenizer.json"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "config.json").write_text(
        json.dumps({"model_type": "roberta", "hidden_act": "gelu"})
    )
    with pytest.raises(SentimentModelMissingError, match="not a BERT encoder"):
        NumpyMiniLMEncoder(tmp_path)
