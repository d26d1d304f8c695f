"""`coachloop train scheduler` and `coachloop simulate compare` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.simulate import ALPHA, BETA, GAMMA, register
from planner.sim.dynamics import RewardWeights


def _app() -> typer.Typer:
    app, train = typer.Typer(), typer.Typer()
    app.add_typer(train, name="train")
    register(app, train)
    return app


@pytest.mark.slow
def test_train_then_compare_on_heldout_athletes(tmp_path: Path) -> None:
    """Subprocess environments, non-default reward weights recorded, then held-out compare."""
    runner = CliRunner()
    out = tmp_path / "ppo"
    res = runner.invoke(
        _app(), ["train", "scheduler", "--timesteps", "2048", "--seed", "1", "--out", str(out),
                 "--days", "14", "--alpha", "0.5", "--beta", "0.4", "--gamma", "0.1",
                 "--vec-env", "subproc", "--n-envs", "2"]
    )
    assert res.exit_code == 0, res.output
    assert (out / "policy.zip").stat().st_size < 5_000_000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["environment"] == {
        "population": "college", "max_days": 14, "constrained": False,
        "reward_weights": {"alpha": 0.5, "beta": 0.4, "gamma": 0.1, "gain_scale": 15.0},
    }
    assert "alpha=0.5 beta=0.4 gamma=0.1" in manifest["data"]
    assert manifest["hyperparameters"]["vec_env"] == "subproc"
    assert manifest["hyperparameters"]["n_envs"] == 2
    assert manifest["metrics"]["timesteps"] == 2048
    png = tmp_path / "curves.png"
    res = runner.invoke(
        _app(), ["simulate", "compare", "--athletes", "1", "--days", "7", "--json",
                 "--policy", str(out), "--plot", str(png), "--population", "youth"]
    )
    assert res.exit_code == 0, res.output
    assert "trained with reward weights alpha 0.5, beta 0.4, gamma 0.1" in res.stderr
    rows = json.loads(res.stdout)
    assert [r["method"] for r in rows] == ["ppo", "ppo_c", "aco", "ga", "lp", "fixed"]
    assert all(r["latency_ms_per_day"] > 0 for r in rows)
    assert rows[2]["convergence"] is not None and rows[5]["convergence"] is None
    assert png.stat().st_size > 0
    res = runner.invoke(
        _app(), ["simulate", "compare", "--athletes", "1", "--days", "7", "--json",
                 "--policy", str(out), "--alpha", "0.5", "--beta", "0.4", "--gamma", "0.1"]
    )
    assert res.exit_code == 0, res.output
    assert "note:" not in res.stderr  # the weights it was trained with: nothing to say


def test_cli_reward_defaults_are_the_papers_eq9_weights() -> None:
    w = RewardWeights()
    assert (ALPHA, BETA, GAMMA) == (w.alpha, w.beta, w.gamma) == (0.6, 0.3, 0.1)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--alpha", "-0.2"], "alpha must be a non-negative"),
        (["--alpha", "0", "--beta", "0", "--gamma", "0"], "cannot all be 0"),
        (["--vec-env", "threads"], "vec_env is one of dummy, subproc"),
        (["--n-envs", "3"], "divisible by n_envs (3)"),
        (["--population", "elite"], "college, youth, retired"),
    ],
)
def test_train_scheduler_refuses_bad_flags_before_training(
    tmp_path: Path, flags: list[str], message: str
) -> None:
    res = CliRunner().invoke(
        _app(), ["train", "scheduler", "--timesteps", "2048", "--out", str(tmp_path / "p"),
                 *flags]
    )
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split())  # rich wraps the message box
    assert not (tmp_path / "p" / "policy.zip").exists()


def test_compare_refuses_negative_weights() -> None:
    res = CliRunner().invoke(_app(), ["simulate", "compare", "--gamma", "-1"])
    assert res.exit_code == 2 and "gamma must be a non-negative" in " ".join(res.output.split())
