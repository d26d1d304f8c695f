"""PPO: deterministic training under a seed (tiny budget), the paper's architecture."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch

from models.ppo import episodes_to_fraction, load_policy, propose, train
from models.registry import SHIPPED_DIR
from planner.sim.env import TrainingSchedulerEnv

SHIPPED = SHIPPED_DIR / "ppo-scheduler"


def _train(tmp: Path, seed: int) -> np.ndarray:
    torch.set_num_threads(1)
    factory = partial(TrainingSchedulerEnv, max_days=20)
    out = train(factory, timesteps=2048, seed=seed, out_dir=tmp, progress_bar=False,
                n_epochs=2)
    policy = load_policy(out)
    env = TrainingSchedulerEnv(max_days=20)
    obs = np.stack([env.reset(seed=s)[0] for s in range(5)])
    return propose(policy, obs)


@pytest.mark.slow
def test_same_seed_same_actions_and_files(tmp_path: Path) -> None:
    a = _train(tmp_path / "a", 7)
    b = _train(tmp_path / "b", 7)
    c = _train(tmp_path / "c", 8)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (5, 8) and np.all(np.abs(a) <= 1.0)
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["metrics"]["timesteps"] == 2048
    assert (tmp_path / "a" / "learning_curve.png").stat().st_size > 0


def test_episodes_to_fraction_finds_the_knee() -> None:
    returns = np.r_[np.linspace(-10, 10, 50), np.full(100, 10.0)]
    ep = episodes_to_fraction(returns, window=1)
    assert 45 <= ep <= 50


@pytest.mark.parametrize("which", ["", "constrained"], ids=["unconstrained", "constrained"])
def test_shipped_policy_has_the_papers_architecture_and_settings(which: str) -> None:
    """Bo 2025 section 3.3: actor and critic 128-64-32 ReLU, tanh on the action mean, linear
    value head, Adam lr 1e-4, gamma 0.98, clip 0.2, 2048 transitions per iteration."""
    from torch import nn

    model = load_policy(SHIPPED / which)
    policy = model.policy
    for net in (policy.mlp_extractor.policy_net, policy.mlp_extractor.value_net):
        linear = [m for m in net if isinstance(m, nn.Linear)]
        assert [m.out_features for m in linear] == [128, 64, 32]
        assert linear[0].in_features == 25
        assert [type(m) for m in net] == [nn.Linear, nn.ReLU] * 3
    head = list(policy.action_net)
    assert [type(m) for m in head] == [nn.Linear, nn.Tanh]
    assert (head[0].in_features, head[0].out_features) == (32, 8)
    assert isinstance(policy.value_net, nn.Linear)  # linear critic output, no squashing
    assert (policy.value_net.in_features, policy.value_net.out_features) == (32, 1)
    extreme = torch.full((4, 25), 5.0) * torch.tensor([[1.0], [-1.0], [3.0], [-3.0]])
    with torch.no_grad():
        mean = policy.get_distribution(extreme).distribution.mean
    assert torch.all(mean.abs() <= 1.0)
    assert isinstance(policy.optimizer, torch.optim.Adam)
    optimised = {id(p) for g in policy.optimizer.param_groups for p in g["params"]}
    assert optimised == {id(p) for p in policy.parameters()}  # the tanh head is trained too
    assert policy.optimizer.param_groups[0]["lr"] == pytest.approx(1e-4)
    assert model.learning_rate == pytest.approx(1e-4)
    assert model.gamma == pytest.approx(0.98)
    assert model.clip_range(1.0) == pytest.approx(0.2)
    assert model.n_steps * model.n_envs == 2048
    assert model.batch_size * 8 == 2048 and model.n_epochs == 10  # 80 update steps


@pytest.mark.slow
def test_subprocess_environments_train_the_same_policy_as_dummy(tmp_path: Path) -> None:
    """`vec_env` changes where the environments step, not what is learned (same seeds)."""
    actions = {}
    for vec in ("dummy", "subproc"):
        out = train(partial(TrainingSchedulerEnv, max_days=20), timesteps=2048, seed=3,
                    out_dir=tmp_path / vec, progress_bar=False, n_epochs=2, vec_env=vec)
        assert json.loads((out / "manifest.json").read_text())["hyperparameters"]["vec_env"] == vec
        env = TrainingSchedulerEnv(max_days=20)
        obs = np.stack([env.reset(seed=s)[0] for s in range(5)])
        actions[vec] = propose(load_policy(out), obs)
    assert np.array_equal(actions["dummy"], actions["subproc"])


def test_train_refuses_an_unknown_vec_env_or_an_uneven_split(tmp_path: Path) -> None:
    factory = partial(TrainingSchedulerEnv, max_days=20)
    with pytest.raises(ValueError, match="vec_env"):
        train(factory, timesteps=2048, out_dir=tmp_path / "a", vec_env="threads")
    with pytest.raises(ValueError, match="needs a connected Ray"):
        train(factory, timesteps=2048, out_dir=tmp_path / "a", vec_env="ray")
    with pytest.raises(ValueError, match="n_envs"):
        train(factory, timesteps=2048, out_dir=tmp_path / "b", n_envs=3)
    assert not (tmp_path / "a").exists()
