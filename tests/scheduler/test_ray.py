"""Ray: held-out comparison and PPO training on a local cluster give the single-process numbers.

One local cluster of 2 CPUs serves the whole module (Ray takes seconds to start); the
commands under test find it running, use it and leave it running, as they do with any Ray
session of the calling process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import ray
import torch
import typer
from typer.testing import CliRunner

from bot.commands.simulate import register
from models.ppo import load_policy, train
from models.ray_cluster import ray_cluster, ray_map
from planner.sim.athletes import sample_athlete
from planner.sim.dynamics import RewardWeights
from planner.sim.env import TrainingSchedulerEnv
from planner.sim.evaluate import AthleteJob, compare, run_job
from tests.scheduler.test_ppo import SHIPPED

ROOT = Path(__file__).resolve().parents[2]


def _app() -> typer.Typer:
    app, train_group = typer.Typer(), typer.Typer()
    app.add_typer(train_group, name="train")
    register(app, train_group)
    return app


def _without_timings(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows without ms/day: wall-clock timings differ between any two runs."""
    return [{k: v for k, v in r.items() if k != "latency_ms_per_day"} for r in rows]


def _same_parameters(a: Path, b: Path) -> bool:
    pa, pb = load_policy(a).policy.state_dict(), load_policy(b).policy.state_dict()
    return pa.keys() == pb.keys() and all(torch.equal(pa[k], pb[k]) for k in pa)


@pytest.fixture(scope="module")
def cluster() -> Iterator[int]:
    with ray_cluster(num_cpus=2) as cpus:
        yield cpus
    assert not ray.is_initialized()  # the cluster it started is shut down


@pytest.mark.slow
def test_compare_on_ray_prints_the_single_process_json(cluster: int) -> None:
    runner = CliRunner()
    args = ["simulate", "compare", "--athletes", "2", "--days", "7", "--seed", "5", "--json",
            "--population", "youth"]
    alone = runner.invoke(_app(), args)
    on_ray = runner.invoke(_app(), [*args, "--ray"])
    assert alone.exit_code == 0, alone.output
    assert on_ray.exit_code == 0, on_ray.output
    rows = json.loads(on_ray.stdout)
    assert [r["method"] for r in rows] == ["ppo", "ppo_c", "aco", "ga", "lp", "fixed"]
    assert _without_timings(rows) == _without_timings(json.loads(alone.stdout))
    assert all(r["latency_ms_per_day"] > 0 for r in rows)
    assert ray.is_initialized()  # the module's session, not the command's: left running


@pytest.mark.slow
def test_training_in_ray_actors_learns_the_in_process_policy(
    cluster: int, tmp_path: Path
) -> None:
    """4 environments on 2 CPUs (actors share them): same seed, same policy, same curves."""
    run = partial(train, partial(TrainingSchedulerEnv, max_days=10), timesteps=256, seed=4,
                  progress_bar=False, n_envs=4, batch=128, minibatch=64, n_epochs=2,
                  eval_episodes=2, eval_every=128)
    run(out_dir=tmp_path / "dummy", vec_env="dummy")
    run(out_dir=tmp_path / "ray", vec_env="ray")
    assert _same_parameters(tmp_path / "dummy", tmp_path / "ray")
    for name in ("learning_curve.csv", "validation_curve.csv"):
        assert (tmp_path / "dummy" / name).read_text() == (tmp_path / "ray" / name).read_text()
    curve = (tmp_path / "ray" / "learning_curve.csv").read_text().splitlines()
    assert len(curve) > 20  # 256 steps of 10-day episodes: the auto-reset path ran


@pytest.mark.slow
def test_train_scheduler_with_ray_trains_the_same_policy(cluster: int, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["train", "scheduler", "--timesteps", "2048", "--seed", "2", "--days", "14"]
    alone = runner.invoke(_app(), [*args, "--out", str(tmp_path / "a")])
    on_ray = runner.invoke(_app(), [*args, "--out", str(tmp_path / "r"), "--ray"])
    assert alone.exit_code == 0, alone.output
    assert on_ray.exit_code == 0, on_ray.output
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["hyperparameters"]["vec_env"] == "ray"
    assert _same_parameters(tmp_path / "a", tmp_path / "r")


@pytest.mark.slow
def test_ray_map_keeps_the_order_and_raises_the_tasks_own_error(cluster: int) -> None:
    seen: list[int] = []
    assert ray_map(json.dumps, [3, [1], None, "a"], lambda: seen.append(1)) == [
        "3", "[1]", "null", '"a"'
    ]
    assert len(seen) == 4
    training_athlete = sample_athlete(2, "college")  # even seed: never held out
    job = AthleteJob("fixed", training_athlete, 0, 7, 0, RewardWeights())
    with pytest.raises(ValueError, match="held-out"):
        ray_map(run_job, [job])


@pytest.mark.slow
def test_jobs_run_one_by_one_give_the_in_process_loop_numbers() -> None:
    """Without Ray: a fresh environment per (method, athlete) changes nothing."""
    def one_by_one(fn: Any, jobs: Any, progress: Any) -> list[Any]:
        return [fn(j) for j in jobs]

    kwargs: dict[str, Any] = {"policy_path": SHIPPED,
                              "constrained_policy_path": SHIPPED / "constrained"}
    loop = compare(2, 8, 1, "retired", **kwargs)
    jobs = compare(2, 8, 1, "retired", mapper=one_by_one, **kwargs)
    assert _without_timings([r.as_row() for r in jobs]) == _without_timings(
        [r.as_row() for r in loop]
    )
    assert [r.traces for r in jobs] == [r.traces for r in loop]


@pytest.mark.parametrize(
    ("command", "flags", "message"),
    [
        ("compare", ["--num-cpus", "2"], "--num-cpus is for a local Ray cluster"),
        ("compare", ["--ray-address", "10.0.0.5:6379", "--num-cpus", "2"], "sizes a local"),
        ("scheduler", ["--num-cpus", "2"], "--num-cpus is for a local Ray cluster"),
        ("scheduler", ["--ray", "--vec-env", "subproc"], "leave out --vec-env subproc"),
        ("scheduler", ["--vec-env", "ray"], "use --ray"),
        ("scheduler", ["--ray", "--num-cpus", "0"], "--num-cpus"),
    ],
)
def test_ray_flags_are_refused_before_a_cluster_starts(
    tmp_path: Path, command: str, flags: list[str], message: str
) -> None:
    head = (["train", "scheduler", "--timesteps", "2048", "--out", str(tmp_path / "p")]
            if command == "scheduler" else ["simulate", "compare", "--athletes", "1"])
    res = CliRunner().invoke(_app(), [*head, *flags])
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split())
    assert not (tmp_path / "p" / "policy.zip").exists()


def test_ray_cluster_refuses_cpus_for_a_running_cluster_or_fewer_than_one() -> None:
    with pytest.raises(ValueError, match="own CPUs"), ray_cluster("10.0.0.5:6379", 2):
        pass
    with pytest.raises(ValueError, match="at least 1"), ray_cluster(num_cpus=0):
        pass


def test_the_command_line_and_the_simulator_do_not_load_ray() -> None:
    code = ("import sys, bot.cli, planner.sim.evaluate, models.ppo; "
            "sys.exit('ray' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
