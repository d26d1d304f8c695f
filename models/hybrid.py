"""The prescription paper's hybrid: 1D-CNN + attention features -> LightGBM classifier.

"Hybrid model architecture" and "Model training and optimization" of the prescription paper:

- input X in R^{N x T x F}: T = 15 lap splits of the 3000 m, and the single-measurement tests
  (pull-ups, sit-ups, shuttle) "replicated across all T = 15 time steps for each participant";
- `models.torchnet.CnnAttentionExtractor` (64/128/256 filters, kernel 5, stride 2, 8 heads,
  residual + LayerNorm, noise sigma 0.05 before pooling) trained with Adam (lr 1e-3), L2 1e-4
  and early stopping (patience 10) through a linear softmax head;
- the 256-d pooled vector z then trains LightGBM with lambda_l1 = 1.2, lambda_l2 = 0.8;
- SMOTE + Gaussian noise (sigma 0.1) only on the training rows given to ``fit``.

Plain tabular batteries (no lap columns) become a sequence over the items: step t carries item
t's z-score, and every step also carries all items replicated, as the paper does for its static
tests. Not reproduced: the paper's weighted multi-metric loss (0.4 L_3000 + 0.2 L_pull ...), whose
component losses it does not define; we train the extractor with class cross-entropy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from models import augment
from models.items import LAP_ITEMS


class HybridCNNLightGBM(ClassifierMixin, BaseEstimator):
    """1D-CNN + 8-head attention feature extractor feeding a regularised LightGBM.

    Parameters
    ----------
    sequence_columns: the time-axis columns (lap splits); ``"auto"`` picks ``lap_01_s`` ...
        when at least two are present, ``None`` forces the tabular mode.
    filters, kernel_size, stride: the conv block (paper: (64, 128, 256), 5, 2).
    n_heads, attention_dropout: multi-head attention (paper: 8 heads of 32 dims, dropout 0.3).
    feature_noise: Gaussian sigma on attention outputs while training (paper: 0.05).
    smote: oversample minority classes with SMOTE inside ``fit``.
    input_noise: Gaussian sigma (SD units) on training rows after SMOTE (paper: 0.1).
    max_epochs, patience: extractor training budget and early stopping (paper: patience 10).
    learning_rate, weight_decay, batch_size: Adam settings (paper: 1e-3, L2 1e-4).
    validation_fraction: share of the fit rows held out (un-augmented) for early stopping.
    lgbm_n_estimators, lgbm_learning_rate, lgbm_num_leaves: LightGBM budget.
    lambda_l1, lambda_l2: LightGBM L1/L2 regularisation (paper: 1.2 and 0.8).
    random_state: seed for every random step.
    """

    def __init__(
        self,
        sequence_columns: Sequence[str] | str | None = "auto",
        filters: tuple[int, ...] = (64, 128, 256),
        kernel_size: int = 5,
        stride: int = 2,
        n_heads: int = 8,
        attention_dropout: float = 0.3,
        feature_noise: float = 0.05,
        smote: bool = True,
        input_noise: float = 0.1,
        max_epochs: int = 30,
        patience: int = 10,
        learning_rate: float = 1e-3,
        weight_decay: float = 1e-4,
        batch_size: int = 128,
        validation_fraction: float = 0.15,
        lgbm_n_estimators: int = 300,
        lgbm_learning_rate: float = 0.05,
        lgbm_num_leaves: int = 15,
        lambda_l1: float = 1.2,
        lambda_l2: float = 0.8,
        random_state: int = 0,
    ) -> None:
        self.sequence_columns = sequence_columns
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
        self.lgbm_n_estimators = lgbm_n_estimators
        self.lgbm_learning_rate = lgbm_learning_rate
        self.lgbm_num_leaves = lgbm_num_leaves
        self.lambda_l1 = lambda_l1
        self.lambda_l2 = lambda_l2
        self.random_state = random_state

    # -- layout ---------------------------------------------------------------------------
    def _resolve_layout(self, names: list[str]) -> tuple[list[int], list[int]]:
        """Indices of sequence (time-axis) columns and of static columns."""
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

    def _to_sequences(self, X: np.ndarray) -> np.ndarray:
        """Raw rows -> (N, channels, time) tensor input, scaled with the fitted statistics."""
        static = (X[:, self.static_idx_] - self.static_mean_) / self.static_sd_
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
        """Train the extractor (with early stopping), then LightGBM on its 256-d features."""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import LabelEncoder

        from models.torchnet import CnnAttentionExtractor, HybridHead, seeded, train_classifier

        names = [str(c) for c in X.columns] if hasattr(X, "columns") else None
        X = np.asarray(X, dtype=float)
        if names is None:
            names = [f"x{i}" for i in range(X.shape[1])]
        else:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.seq_idx_, self.static_idx_ = self._resolve_layout(names)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        codes = encoder.transform(y)
        _, counts = np.unique(codes, return_counts=True)
        stratify = codes if counts.min() >= 2 else None
        X_tr, X_val, y_tr, y_val = train_test_split(
            X,
            codes,
            test_size=self.validation_fraction,
            random_state=self.random_state,
            stratify=stratify,
        )
        self._fit_scaling(X_tr)
        if self.smote:
            X_tr, y_tr = augment.smote_and_noise(
                X_tr, y_tr, noise_sigma=self.input_noise, random_state=self.random_state
            )
        S_tr, S_val = self._to_sequences(X_tr), self._to_sequences(X_val)
        with seeded(self.random_state):
            extractor = CnnAttentionExtractor(
                S_tr.shape[1],
                tuple(self.filters),
                self.kernel_size,
                self.stride,
                self.n_heads,
                self.attention_dropout,
                self.feature_noise,
            )
            model = HybridHead(extractor, len(self.classes_))
        self.history_ = train_classifier(
            model,
            S_tr,
            y_tr,
            S_val,
            y_val,
            max_epochs=self.max_epochs,
            patience=self.patience,
            learning_rate=self.learning_rate,
            weight_decay=self.weight_decay,
            batch_size=self.batch_size,
            seed=self.random_state,
        )
        self.extractor_ = extractor
        self.gbm_ = self._fit_lgbm(self._embed(S_tr), y_tr, self._embed(S_val), y_val)
        return self

    def _fit_scaling(self, X: np.ndarray) -> None:
        stat = X[:, self.static_idx_]
        self.static_mean_ = stat.mean(axis=0)
        sd = stat.std(axis=0)
        self.static_sd_ = np.where(sd > 0, sd, 1.0)
        if self.seq_idx_:
            seq = X[:, self.seq_idx_]
            self.seq_mean_ = float(seq.mean())
            self.seq_sd_ = float(seq.std()) or 1.0

    def _fit_lgbm(self, Z: np.ndarray, y: np.ndarray, Z_val: np.ndarray, y_val: np.ndarray) -> Any:
        import lightgbm as lgb

        gbm = lgb.LGBMClassifier(
            n_estimators=self.lgbm_n_estimators,
            learning_rate=self.lgbm_learning_rate,
            num_leaves=self.lgbm_num_leaves,
            reg_alpha=self.lambda_l1,
            reg_lambda=self.lambda_l2,
            random_state=self.random_state,
            deterministic=True,
            force_row_wise=True,
            n_jobs=1,
            verbose=-1,
        )
        gbm.fit(
            Z,
            y,
            eval_X=(Z_val,),
            eval_y=(y_val,),
            callbacks=[lgb.early_stopping(10, verbose=False)],
        )
        return gbm

    def _embed(self, S: np.ndarray) -> np.ndarray:
        import torch

        self.extractor_.eval()
        outs = []
        with torch.inference_mode():
            for start in range(0, len(S), 4096):
                outs.append(self.extractor_(torch.from_numpy(S[start : start + 4096])).numpy())
        return np.concatenate(outs)

    def transform(self, X: Any) -> np.ndarray:
        """The 256-d pooled features z for each row (the LightGBM input)."""
        if not hasattr(self, "gbm_"):
            raise ValueError("HybridCNNLightGBM is not fitted yet: call fit() first")
        return self._embed(self._to_sequences(np.asarray(X, dtype=float)))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities from LightGBM, columns in ``classes_`` order."""
        return np.asarray(self.gbm_.predict_proba(self.transform(X)))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class for each row."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])
