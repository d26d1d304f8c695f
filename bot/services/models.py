"""`coachloop models prepare`: check that every shipped model loads, before the bot needs it.

The defaults ship in the package (`models/shipped/`), produced by our own training commands;
a user's retrained models under MODEL_DIR take precedence. A model that is neither there nor
shipped is retrained from our own data where that is cheap (grouping, classifier) and is
otherwise reported with the command that makes it.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings


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


def prepare_models(settings: Settings) -> list[str]:
    """Load each model once; one line per model saying where it came from."""
    from bot.wiring import nlu_engine
    from models.shipped_defaults import ensure

    lines: list[str] = []
    nlu_engine(settings)
    lines.append(f"sentiment ({settings.nlu_backend}): ok")
    lines += ensure(settings.model_dir)
    from models.ppo import load_policy

    where = policy_dir(settings.model_dir)
    load_policy(where)
    lines.append(f"ppo-scheduler: ok ({where})")
    return lines
