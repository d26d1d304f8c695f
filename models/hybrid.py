"""The prescription paper's hybrid: 1D-CNN + attention features -> LightGBM classifier.

"Hybrid model architecture" and "Model training and optimization" of the prescription paper:

- input X in R^{N x T x F}: T = 15 lap splits of the 3000 m, and the single-measurement tests
  (pull-ups, sit-ups, shuttle) "replicated across all T = 15 time steps for each participant";
- `models.torchnet.CnnAttentionExtractor` (64/128/256 filters, kernel 5, stride 2, 8 heads,
  residual + LayerNorm, noise sigma 0.05 before pooling) trained with Adam (lr 1e-3), L2 1e-4
  and early stopping (patience 10) through a linear softmax head (our defaults: half the
  widths, batch 512 at lr 2e-3, patience 5; the parameters say why);
- the 256-d pooled vector z then trains LightGBM with lambda_l1 = 1.2, lambda_l2 = 0.8;
- SMOTE + Gaussian noise (sigma 0.1) only on the training rows given to ``fit``.

A row of unordered fitness items is not a sequence. ``layout="grouped"`` (the default without lap
columns) orders the items by the quality they measure (`models.qualities`: body size and
composition, cardiovascular, strength, flexibility, power, endurance): step t carries item t's
z-score and a one-hot of its quality, and every step also carries all items replicated (age and
sex included), as the paper does for its static tests. ``layout="sequence"`` is the paper's own
reading: the lap splits as the time axis, or, for a battery without laps, the items in column
order. "Standardised per item" means against the row's norm group (``norms="sex_age"``: the
training rows of the same sex and age decade, as fitness norms are tabled), pooled otherwise.

The LightGBM stage sees the CNN's class evidence (logits) concatenated with the raw items
(z-scored pooled and against the norm group), with the configuration it shares with the plain
LightGBM baseline (`models.gbm`: same parameters, inner validation split, early stopping,
balanced class weights). The CNN's logits for the booster's training rows are cross-fitted
(``cross_fit``): each comes from a CNN that did not train on that row, because a booster fed
in-sample CNN outputs trusts them more than they deserve on new rows and ends below LightGBM on
the raw items (the issue's observation on real data). Each CNN early-stops on an inner split of
its own training rows, never on the test fold. SMOTE + noise feed only the CNNs.

Not reproduced: the paper's weighted multi-metric loss (0.4 L_3000 + 0.2 L_pull ...), whose
component losses it does not define; we train the extractor with class cross-entropy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from models import augment, gbm
from models import norms as norm_groups
from models.items import LAP_ITEMS
from models.qualities import QUALITIES, grouped_order, quality_of

LAYOUTS = ("auto", "sequence", "grouped")


class HybridCNNLightGBM(ClassifierMixin, BaseEstimator):
    """1D-CNN + 8-head attention feature extractor feeding a regularised LightGBM.

    Parameters
    ----------
    sequence_columns: the time-axis columns (lap splits); ``"auto"`` picks ``lap_01_s`` ...
        when at least two are present, ``None`` forces the tabular mode.
    layout: what the CNN's axis is: ``"sequence"`` (the paper: lap splits, or items in column
        order), ``"grouped"`` (items ordered by quality), ``"auto"`` (sequence with laps,
        grouped without).
    concat_raw: give the LightGBM stage the raw (z-scored) items beside the CNN features.
    cnn_features: what LightGBM takes from the CNN: ``"pooled"`` (the paper's 256-d vector z)
        or ``"logits"`` (z through the trained linear head: one class-evidence value per class).
    cross_fit: with ``k >= 2`` (logits only), train k CNNs, each on all fit rows but one k-th,
        and give LightGBM each row's logits from the CNN that did not train on it; new rows get
        the mean of the k. Without it the booster learns from logits the CNN fitted on the
        very rows it is scored on, trusts them too much and gets worse than on raw items.
    filters, kernel_size, stride: the conv block (paper: (64, 128, 256), 5, 2). The default
        halves the paper's widths: a fitness row is a short axis (9 items -> 2 steps after the
        three strided convs), the CNN's cost is almost all in the last conv and the attention
        (quadratic in the width), and the narrower net scored as well on the development file
        at about 40 % of the CPU time (docs/models.md, "Training time").
    n_heads, attention_dropout: multi-head attention (paper: 8 heads of 32 dims, dropout 0.3).
    feature_noise: Gaussian sigma on attention outputs while training (paper: 0.05).
    smote: oversample minority classes with SMOTE inside ``fit``.
    input_noise: Gaussian sigma (SD units) on training rows after SMOTE (paper: 0.1).
    max_epochs, patience: extractor training budget and early stopping (paper: patience 10;
        5 here: the CNN's logits are one input of the booster, not the classifier, and the
        epochs a longer patience buys cost CPU without moving the booster's accuracy).
    learning_rate, weight_decay, batch_size: Adam settings (paper: 1e-3, L2 1e-4; the paper
        does not state a batch size). Batch 512 with the learning rate scaled by
        sqrt(512 / 128) = 2 (the square-root rule, Hoffer et al., NeurIPS 2017): fewer, larger
        matrix products, which a CPU runs more efficiently per row.
    validation_fraction: share of the fit rows held out (un-augmented) for early stopping of
        the CNN and of LightGBM (which is then refitted on all fit rows, `models.gbm`).
    random_state: seed for every random step.
    """

    def __init__(
        self,
        sequence_columns: Sequence[str] | str | None = "auto",
        layout: str = "auto",
        concat_raw: bool = True,
        cnn_features: str = "logits",
        cross_fit: int = 2,
        norms: str = "sex_age",
        cnn_norms: bool = False,
        filters: tuple[int, ...] = (32, 64, 128),
        kernel_size: int = 5,
        stride: int = 2,
        n_heads: int = 8,
        attention_dropout: float = 0.3,
        feature_noise: float = 0.05,
        smote: bool = True,
        input_noise: float = 0.1,
        max_epochs: int = 30,
        patience: int = 5,
        learning_rate: float = 2e-3,
        weight_decay: float = 1e-4,
        batch_size: int = 512,
        validation_fraction: float = gbm.VALIDATION_FRACTION,
        random_state: int = 0,
    ) -> None:
        self.sequence_columns = sequence_columns
        self.layout = layout
        self.concat_raw = concat_raw
        self.cnn_features = cnn_features
        self.cross_fit = cross_fit
        self.norms = norms
        self.cnn_norms = cnn_norms
        self.filters = filters
        self.kernel_size = kernel_size
        self.stride = stride
        self.n_heads = n_heads
        self.attention_dropout = attention_dropout
        self.feature_noise = feature_noise
        self.smote = smote
        self.input_noise = input_noise
        self.max_epochs = max_epochs
        self.patience = patience
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.random_state = random_state

    # -- layout ---------------------------------------------------------------------------
    def _resolve_layout(self, names: list[str]) -> tuple[list[int], list[int]]:
        """Indices of sequence (time-axis) columns and of static columns."""
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout {self.layout!r}: choose from {', '.join(LAYOUTS)}")
        norm_groups.check_norms(self.norms)
        if self.cnn_features not in ("pooled", "logits"):
            raise ValueError(f"cnn_features {self.cnn_features!r}: choose pooled or logits")
        if self.sequence_columns is None:
            seq: list[str] = []
        elif self.sequence_columns == "auto":
            seq = [c for c in LAP_ITEMS if c in names]
            seq = seq if len(seq) >= 2 else []
        else:
            seq = list(self.sequence_columns)
            missing = [c for c in seq if c not in names]
            if missing:
                raise ValueError(f"sequence columns not in the data: {', '.join(missing)}")
        seq_idx = [names.index(c) for c in seq]
        static_idx = [i for i in range(len(names)) if i not in seq_idx]
        return seq_idx, static_idx

    def _grouped(self, names: list[str]) -> bool:
        """True when the CNN reads the items grouped by quality (no time axis)."""
        return self.layout == "grouped" or (self.layout == "auto" and not self.seq_idx_)

    @staticmethod
    def _quality_channels(names: list[str], positions: list[int]) -> np.ndarray:
        """(qualities, positions) one-hot: which quality each position of the axis measures."""
        order = [quality_of(names[i]) for i in positions]
        return np.array([[1.0 if q == name else 0.0 for q in order] for name in QUALITIES])

    def _to_sequences(self, X: np.ndarray) -> np.ndarray:
        """Raw rows -> (N, channels, time) tensor input, scaled with the fitted statistics."""
        static = (X[:, self.static_idx_] - self.static_mean_) / self.static_sd_
        if self.order_ is not None:  # grouped: items by quality on the axis
            z = self._z(X) if self.cnn_norms else (X - self.all_mean_) / self.all_sd_
            steps = len(self.order_)
            values = z[:, self.order_][:, None, :]
            quality = np.broadcast_to(self.quality_, (len(X), *self.quality_.shape))
            rep = np.repeat(z[:, :, None], steps, axis=2)
            return np.concatenate([values, quality, rep], axis=1).astype(np.float32)
        if self.seq_idx_:
            seq = (X[:, self.seq_idx_] - self.seq_mean_) / self.seq_sd_  # (N, T), one scale
            steps = seq.shape[1]
            rep = np.repeat(static[:, :, None], steps, axis=2)
            return np.concatenate([seq[:, None, :], rep], axis=1).astype(np.float32)
        steps = static.shape[1]
        rep = np.repeat(static[:, :, None], steps, axis=2)
        return np.concatenate([static[:, None, :], rep], axis=1).astype(np.float32)

    # -- fit / predict --------------------------------------------------------------------
    def fit(self, X: Any, y: Any) -> HybridCNNLightGBM:
        """Train the extractor(s) (early stopping on inner splits), then the shared LightGBM."""
        from sklearn.preprocessing import LabelEncoder

        names = [str(c) for c in X.columns] if hasattr(X, "columns") else None
        X = np.asarray(X, dtype=float)
        if names is None:
            names = [f"x{i}" for i in range(X.shape[1])]
        else:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        self.n_features_in_ = X.shape[1]
        if self.cnn_features == "pooled" and self.cross_fit > 1:
            raise ValueError(
                "cross_fit needs cnn_features='logits' (pooled units of different "
                "networks do not line up)"
            )
        self.seq_idx_, self.static_idx_ = self._resolve_layout(names)
        grouped = self._grouped(names)
        self.order_ = grouped_order(names) if grouped else None
        if grouped and not self.order_:
            raise ValueError("the grouped layout needs at least one item besides age and sex")
        if self.order_ is not None:
            self.quality_ = self._quality_channels(names, self.order_)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        codes = encoder.transform(y)
        self._fit_scaling(X)
        tr, val = gbm.inner_split(len(X), codes, self.validation_fraction, self.random_state)
        if self.cross_fit > 1:
            parts = _parts(codes, self.cross_fit, self.random_state)
            self.heads_ = []
            self.histories_ = []
            cnn = np.zeros((len(X), len(self.classes_)))
            for k, part in enumerate(parts):
                rest = np.setdiff1d(np.arange(len(X)), part)
                head, history = self._train_extractor(X[rest], codes[rest], self.random_state + k)
                self.heads_.append(head)
                self.histories_.append(history)
                cnn[part] = self._logits(head, X[part])
        else:
            head, history = self._train_extractor(
                X[tr], codes[tr], self.random_state, X[val], codes[val]
            )
            self.heads_, self.histories_ = [head], [history]
            cnn = self._cnn_block(X)
        self.extractor_ = self.heads_[0].extractor
        self.history_ = self.histories_[0]
        features = self._with_raw(cnn, X)
        self.gbm_ = gbm.fit_early_stopped(
            features[tr], codes[tr], features[val], codes[val], seed=self.random_state
        )
        return self

    def _train_extractor(
        self,
        X: np.ndarray,
        y: np.ndarray,
        seed: int,
        X_val: np.ndarray | None = None,
        y_val: np.ndarray | None = None,
    ) -> tuple[Any, Any]:
        """One CNN + linear head (and its loss curves), early-stopped on ``X_val`` or on an
        inner split of ``X``."""
        from models.torchnet import CnnAttentionExtractor, HybridHead, seeded, train_classifier

        if X_val is None or y_val is None:
            fit_rows, val_rows = gbm.inner_split(len(X), y, self.validation_fraction, seed)
            X, X_val, y, y_val = X[fit_rows], X[val_rows], y[fit_rows], y[val_rows]
        if self.smote:
            X, y = augment.smote_and_noise(X, y, noise_sigma=self.input_noise, random_state=seed)
        S, S_val = self._to_sequences(X), self._to_sequences(X_val)
        with seeded(seed):
            extractor = CnnAttentionExtractor(
                S.shape[1],
                tuple(self.filters),
                self.kernel_size,
                self.stride,
                self.n_heads,
                self.attention_dropout,
                self.feature_noise,
            )
            model = HybridHead(extractor, len(self.classes_))
        history = train_classifier(
            model,
            S,
            y,
            S_val,
            y_val,
            max_epochs=self.max_epochs,
            patience=self.patience,
            learning_rate=self.learning_rate,
            weight_decay=self.weight_decay,
            batch_size=self.batch_size,
            seed=seed,
        )
        return model, history

    def _fit_scaling(self, X: np.ndarray) -> None:
        self.static_mean_, self.static_sd_ = norm_groups.pooled_stats(X[:, self.static_idx_])
        self.all_mean_, self.all_sd_ = norm_groups.pooled_stats(X)
        if self.seq_idx_:
            seq = X[:, self.seq_idx_]
            self.seq_mean_ = float(seq.mean())
            self.seq_sd_ = float(seq.std()) or 1.0
        self.norm_stats_ = norm_groups.fit_norm_stats(X, self._norm_keys(X))

    def _norm_keys(self, X: np.ndarray) -> np.ndarray:
        """Each row's norm group: sex and age decade (``norms``), ``""`` when not encoded."""
        return norm_groups.norm_keys(X, self._names(), self.norms)

    def _z(self, X: np.ndarray) -> np.ndarray:
        """Items z-scored against the row's norm group (sex, age decade), pooled as fallback."""
        pooled = (self.all_mean_, self.all_sd_)
        return norm_groups.norm_z(X, self._names(), self._norm_keys(X), pooled, self.norm_stats_)

    def _names(self) -> list[str]:
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{i}" for i in range(self.n_features_in_)]

    def _logits(self, head: Any, X: np.ndarray) -> np.ndarray:
        """One trained head's class evidence (pre-softmax) for raw rows."""
        from models.torchnet import predict_logits

        return predict_logits(head, self._to_sequences(X))

    def _cnn_block(self, X: np.ndarray) -> np.ndarray:
        """The CNN part of the booster's input: mean logits of the heads, or pooled z."""
        from models.torchnet import predict_logits

        sequences = self._to_sequences(X)  # built once for every head
        if self.cnn_features == "pooled":
            return self._embed(sequences)
        return np.mean([predict_logits(h, sequences) for h in self.heads_], axis=0)

    def _with_raw(self, cnn: np.ndarray, X: np.ndarray) -> np.ndarray:
        """CNN features, then the raw items z-scored (``concat_raw``): pooled, and against the
        row's norm group unless ``norms="none"``."""
        if not self.concat_raw:
            return cnn
        pooled = (X - self.all_mean_) / self.all_sd_
        if self.norms == "none":
            return np.concatenate([cnn, pooled], axis=1)
        return np.concatenate([cnn, pooled, self._z(X)], axis=1)

    def _embed(self, S: np.ndarray) -> np.ndarray:
        import torch

        extractor = self.heads_[0].extractor
        extractor.eval()
        outs = []
        with torch.inference_mode():
            for start in range(0, len(S), 4096):
                outs.append(extractor(torch.from_numpy(S[start : start + 4096])).numpy())
        return np.concatenate(outs)

    def transform(self, X: Any) -> np.ndarray:
        """The (first) CNN's pooled features z for each row (256-d with the paper's filters)."""
        if not hasattr(self, "gbm_"):
            raise ValueError("HybridCNNLightGBM is not fitted yet: call fit() first")
        return self._embed(self._to_sequences(np.asarray(X, dtype=float)))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities from LightGBM, columns in ``classes_`` order."""
        if not hasattr(self, "gbm_"):
            raise ValueError("HybridCNNLightGBM is not fitted yet: call fit() first")
        data = np.asarray(X, dtype=float)
        features = self._with_raw(self._cnn_block(data), data)
        return np.asarray(self.gbm_.predict_proba(features))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class for each row."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])


def _parts(codes: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """k disjoint, stratified parts of the fit rows (the cross-fitting folds)."""
    from sklearn.model_selection import StratifiedKFold

    _, counts = np.unique(codes, return_counts=True)
    if counts.min() < k:
        from sklearn.model_selection import KFold

        splits = KFold(k, shuffle=True, random_state=seed).split(codes)
    else:
        splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(codes, codes)
    return [np.asarray(part) for _, part in splits]
