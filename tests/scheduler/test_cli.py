"""`coachloop train scheduler` and `coachloop simulate compare` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.simulate import register


def _app() -> typer.Typer:
    app, train = typer.Typer(), typer.Typer()
    app.add_typer(train, name="train")
    register(app, train)
    return app


@pytest.mark.slow
def test_train_then_compare_on_heldout_athletes(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "ppo"
    res = runner.invoke(
        _app(), ["train", "scheduler", "--timesteps", "2048", "--seed", "1", "--out", str(out),
                 "--days", "14"]
    )
    assert res.exit_code == 0, res.output
    assert (out / "policy.zip").stat().st_size < 5_000_000
    png = tmp_path / "curves.png"
    res = runner.invoke(
        _app(), ["simulate", "compare", "--athletes", "1", "--days", "7", "--json",
                 "--policy", str(out), "--plot", str(png), "--population", "youth"]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["method"] for r in rows] == ["ppo", "ppo_c", "aco", "ga", "lp", "fixed"]
    assert all(r["latency_ms_per_day"] > 0 for r in rows)
    assert rows[2]["convergence"] is not None and rows[5]["convergence"] is None
    assert png.stat().st_size > 0
