"""Trained models the planner asks: grouping, classifiers, SHAP explanations, registry.

Importing `models` is cheap: submodules (torch, sklearn, lightgbm, shap) load on first use.
The planner's entry point is `models.fitness.assess`; see docs/models.md for the rest.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["assess"]


def __getattr__(name: str) -> Any:
    """Lazy export: ``models.assess`` imports `models.fitness` only when first used."""
    if name == "assess":
        return import_module("models.fitness").assess
    raise AttributeError(f"module 'models' has no attribute {name!r}")
