"""Where the models the bot uses load from: a user's retrained ones first, then the shipped.

The defaults ship in the package (`models/shipped/`), produced by our own training commands;
a user's retrained models under MODEL_DIR take precedence (`bot.wiring.prepare_models`
checks them all at start).
"""

from __future__ import annotations

from pathlib import Path


def policy_dir(model_dir: Path | None) -> Path:
    """Where the scheduling policy loads from: the user's retrained one, else the shipped one.

    The shipped default for real athletes is the policy trained inside the PE paper's week
    rules (``constrained/``): the unconstrained one earns its simulated reward with far more
    volume and 3-10x the injuries (docs/scheduler.md).
    """
    if model_dir is not None and (model_dir / "ppo-scheduler" / "policy.zip").exists():
        return model_dir / "ppo-scheduler"
    from models.registry import SHIPPED_DIR

    constrained = SHIPPED_DIR / "ppo-scheduler" / "constrained"
    if (constrained / "policy.zip").exists():
        return constrained
    return SHIPPED_DIR / "ppo-scheduler"
