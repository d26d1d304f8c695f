"""Torch modules and the one training loop the BP net and the hybrid share.

The loop is plain mini-batch Adam with L2 weight decay and early stopping on a validation split
(the prescription paper: Adam lr 1e-3, betas 0.9/0.999, weight decay 1e-4, patience 10). It
seeds torch inside `torch.random.fork_rng`, so fitting is deterministic under ``seed`` and leaves
the caller's global random state alone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run a block (e.g. module construction) under ``torch.manual_seed(seed)``, then restore."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


class BPNet(nn.Module):
    """Fully connected hidden layer(s), softmax output (PE paper, Figure 3: 7 inputs, 17 hidden,
    10 outputs). ``n_layers=1`` and ``dropout=0`` are the paper's net, layer for layer."""

    def __init__(
        self,
        n_in: int,
        n_hidden: int,
        n_out: int,
        activation: str = "tanh",
        n_layers: int = 1,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        width = n_in
        for _ in range(n_layers):
            act: nn.Module = nn.Sigmoid() if activation == "sigmoid" else nn.Tanh()
            layers += [nn.Linear(width, n_hidden), act]
            if dropout > 0.0:
                layers.append(nn.Dropout(dropout))
            width = n_hidden
        self.net = nn.Sequential(*layers, nn.Linear(width, n_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits (softmax is inside the cross-entropy loss and `predict_proba`)."""
        return torch.as_tensor(self.net(x))


class CnnAttentionExtractor(nn.Module):
    """1D-CNN + multi-head self-attention + global average pooling -> d-dimensional features.

    Prescription paper, "Feature extraction branch": three conv layers with 64/128/256 filters,
    kernel 5, stride 2, ReLU (T -> ceil(T/2) -> ceil(T/4) -> ceil(T/8)); eight heads of 32
    dimensions with dropout 0.3; H_attn = LayerNorm(H_cnn + MHA(H_cnn)); Gaussian noise
    (sigma 0.05) on H_attn during training only, before the pooling; z = mean over time.
    """

    def __init__(
        self,
        n_channels: int,
        filters: tuple[int, ...] = (64, 128, 256),
        kernel_size: int = 5,
        stride: int = 2,
        n_heads: int = 8,
        dropout: float = 0.3,
        feature_noise: float = 0.05,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = n_channels
        for c_out in filters:
            layers += [
                nn.Conv1d(c_in, c_out, kernel_size, stride=stride, padding=kernel_size // 2),
                nn.ReLU(),
            ]
            c_in = c_out
        self.conv = nn.Sequential(*layers)
        self.attention = nn.MultiheadAttention(c_in, n_heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(c_in)
        self.feature_noise = feature_noise
        self.out_dim = c_in

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (batch, channels, time) -> z: (batch, out_dim)."""
        h = self.conv(x).transpose(1, 2)  # (batch, time', d)
        attn, _ = self.attention(h, h, h, need_weights=False)
        h = self.norm(h + attn)
        if self.training and self.feature_noise > 0.0:
            h = h + self.feature_noise * torch.randn_like(h)
        return h.mean(dim=1)


class HybridHead(nn.Module):
    """Extractor plus a linear softmax head: trains the features end to end before LightGBM."""

    def __init__(self, extractor: CnnAttentionExtractor, n_classes: int) -> None:
        super().__init__()
        self.extractor = extractor
        self.head = nn.Linear(extractor.out_dim, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits."""
        return torch.as_tensor(self.head(self.extractor(x)))


@dataclass
class TrainResult:
    """Best validation loss, the epoch it came at, and the loss curves."""

    best_val_loss: float
    best_epoch: int
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)


def train_classifier(
    module: nn.Module,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    *,
    max_epochs: int,
    patience: int,
    learning_rate: float,
    weight_decay: float,
    batch_size: int,
    seed: int,
    lr_decay: float = 1.0,
    lr_decay_patience: int = 3,
) -> TrainResult:
    """Cross-entropy training with early stopping; restores the best-validation weights.

    ``lr_decay < 1`` multiplies the learning rate by it after ``lr_decay_patience`` epochs
    without a better validation loss (torch's ``ReduceLROnPlateau``): Adam's steps at a fixed
    rate keep the weights jittering around a minimum that smaller steps settle into.
    """
    xt = torch.as_tensor(X_train, dtype=torch.float32)
    yt = torch.as_tensor(y_train, dtype=torch.long)
    xv = torch.as_tensor(X_val, dtype=torch.float32)
    yv = torch.as_tensor(y_val, dtype=torch.long)
    loss_fn = nn.CrossEntropyLoss()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        optimiser = torch.optim.Adam(
            module.parameters(), lr=learning_rate, betas=(0.9, 0.999), weight_decay=weight_decay
        )
        scheduler = (
            torch.optim.lr_scheduler.ReduceLROnPlateau(
                optimiser, factor=lr_decay, patience=lr_decay_patience
            )
            if lr_decay < 1.0
            else None
        )
        generator = torch.Generator().manual_seed(seed)
        best = float("inf")
        best_state = copy.deepcopy(module.state_dict())
        result = TrainResult(best, 0)
        stale = 0
        for epoch in range(max_epochs):
            module.train()
            order = torch.randperm(len(xt), generator=generator)
            total = 0.0
            for start in range(0, len(xt), batch_size):
                idx = order[start : start + batch_size]
                optimiser.zero_grad()
                loss = loss_fn(module(xt[idx]), yt[idx])
                loss.backward()
                optimiser.step()
                total += loss.item() * len(idx)
            module.eval()
            with torch.no_grad():
                val = float(loss_fn(module(xv), yv)) if len(xv) else total / len(xt)
            result.train_loss.append(total / len(xt))
            result.val_loss.append(val)
            if scheduler is not None:
                scheduler.step(val)
            if val < best - 1e-6:
                best, stale = val, 0
                best_state = copy.deepcopy(module.state_dict())
                result.best_epoch = epoch
            else:
                stale += 1
                if stale >= patience:
                    break
        module.load_state_dict(best_state)
        module.eval()
    result.best_val_loss = best
    return result


def predict_logits(module: nn.Module, X: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """Eval-mode forward pass in batches, without gradients."""
    module.eval()
    outs: list[np.ndarray] = []
    with torch.inference_mode():
        for start in range(0, len(X), batch_size):
            chunk = torch.as_tensor(X[start : start + batch_size], dtype=torch.float32)
            outs.append(module(chunk).numpy())
    return np.concatenate(outs) if outs else np.empty((0, 0))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return np.asarray(e / e.sum(axis=1, keepdims=True))
