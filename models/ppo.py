"""PPO training-schedule policy (stable-baselines3) with the PPO paper's settings as defaults.

Bo 2025 (Informatica, section 3.3): actor 128-64-32 ReLU with a tanh output compressing actions
into [-1, 1], critic of the same shape with a linear output, Adam lr 1e-4, gamma 0.98,
clip 0.2, batch 2048 per iteration and "80 update steps" (we read it as 80 gradient steps per
iteration: 10 epochs x 2048/256 minibatches).

The tanh output: SB3's Gaussian policy has a linear mean head; `TanhMeanPolicy` puts a tanh
after it, so the deterministic action (the mean) lies in [-1, 1] as in the paper, while the
exploration noise stays Gaussian (sampled actions are clipped to the action box by SB3).

`models/` never imports `planner/`: `train` receives an environment factory (a callable that
returns a fresh gymnasium Env), as SB3 algorithms receive an env; the command line wires the
simulator in.

Vectorisation: ``n_envs`` = 2 environments step as one vector in this process
(`DummyVecEnv`) with one torch thread, the fastest setting measured on a 2-core machine
(docs/scheduler.md has the runs): a pipe round trip per step makes `SubprocVecEnv` slower at
any budget, a second torch thread has little to split in networks this small, and one
thread keeps training deterministic. ``vec_env="subproc"`` stays for an expensive
environment step; it trains the same policy under the same seed (tested). ``vec_env="ray"``
steps each environment in a Ray actor (`models.ray_vec_env`), on this machine or a cluster,
and also trains the same policy under the same seed (tested).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
from stable_baselines3.common.policies import ActorCriticPolicy
from torch import nn

POLICY_FILE = "policy.zip"
CURVE_CSV = "learning_curve.csv"
CURVE_PNG = "learning_curve.png"
VEC_ENVS = ("dummy", "subproc", "ray")


class TanhMeanPolicy(ActorCriticPolicy):
    """ActorCriticPolicy whose action mean goes through tanh (paper: tanh output layer)."""

    def _build(self, lr_schedule: Any) -> None:
        super()._build(lr_schedule)
        self.action_net = nn.Sequential(self.action_net, nn.Tanh())
        # Rebuilt so the optimiser holds the wrapped head's parameters.
        self.optimizer = self.optimizer_class(
            self.parameters(),
            lr=lr_schedule(1),  # type: ignore[call-arg]
            **self.optimizer_kwargs,
        )


def _curve_callback(path: Path) -> Any:
    from stable_baselines3.common.callbacks import BaseCallback

    class LearningCurve(BaseCallback):
        """Append (timesteps, episode, return) for every finished episode to a CSV."""

        def __init__(self) -> None:
            super().__init__()
            self.rows: list[tuple[int, int, float]] = []

        def _on_step(self) -> bool:
            for info in self.locals.get("infos", []):
                ep = info.get("episode")
                if ep is not None:
                    self.rows.append((self.num_timesteps, len(self.rows) + 1, float(ep["r"])))
            return True

        def _on_training_end(self) -> None:
            with path.open("w", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["timesteps", "episode", "return"])
                w.writerows(self.rows)

    return LearningCurve()


def _best_checkpoint_callback(
    env_factory: Callable[[], gym.Env[Any, Any]],
    path: Path,
    episodes: int,
    every: int,
    seed: int,
) -> Any:
    from stable_baselines3.common.callbacks import BaseCallback

    class BestDeterministic(BaseCallback):
        """Every ``every`` steps, score the deterministic policy on the same ``episodes``
        validation episodes (fixed reset seeds) and save the best checkpoint.

        Why: training returns are measured with Gaussian exploration noise, and in this
        simulator noise itself lowers load monotony (Foster 1998), so the noisy return
        overstates the deterministic policy the planner will use. Selecting the checkpoint on
        deterministic validation returns fixes what is shipped, not what is learned.
        """

        def __init__(self) -> None:
            super().__init__()
            self.env = env_factory()
            self.best = -np.inf
            self.best_step = 0
            self.rows: list[tuple[int, float]] = []
            self._next = every

        def evaluate(self) -> float:
            total = 0.0
            for i in range(episodes):
                obs, _ = self.env.reset(seed=seed + i)
                done = False
                while not done:
                    act, _ = self.model.predict(obs, deterministic=True)
                    obs, r, term, trunc, _ = self.env.step(act)
                    total += float(r)
                    done = term or trunc
            return total / episodes

        def _on_step(self) -> bool:
            if self.num_timesteps >= self._next:
                self._next += every
                self._check()
            return True

        def _check(self) -> None:
            score = self.evaluate()
            self.rows.append((self.num_timesteps, score))
            if score > self.best:
                self.best, self.best_step = score, self.num_timesteps
                self.model.save(path)

        def _on_training_end(self) -> None:
            self._check()

    return BestDeterministic()


def plot_curve(csv_path: Path, png_path: Path, window: int = 20) -> Path:
    """Episode return and its moving average (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = np.loadtxt(csv_path, delimiter=",", skiprows=1, ndmin=2)
    fig, ax = plt.subplots(figsize=(7, 4))
    if data.size:
        ax.plot(data[:, 1], data[:, 2], alpha=0.3, label="episode return")
        k = min(window, len(data))
        ma = np.convolve(data[:, 2], np.ones(k) / k, "valid")
        ax.plot(data[k - 1 :, 1], ma, label=f"mean of {k}")
    ax.set_xlabel("episode")
    ax.set_ylabel("return (Eq. 9 reward, 60 days)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(png_path, dpi=90)
    plt.close(fig)
    return png_path


def episodes_to_fraction(returns: np.ndarray, fraction: float = 0.95, window: int = 20) -> int:
    """First episode at which the moving-average return reaches ``fraction`` of its final value
    (measured on the span from the first to the final moving average, so negative returns work)."""
    r = np.asarray(returns, dtype=np.float64)
    if r.size == 0:
        raise ValueError("no episodes recorded")
    k = min(window, r.size)
    ma = np.convolve(r, np.ones(k) / k, "valid")
    start, final = ma[0], ma[-1]
    target = start + fraction * (final - start)
    hit = np.flatnonzero(ma >= target) if final >= start else np.flatnonzero(ma <= target)
    return int(hit[0] + k) if hit.size else int(r.size)


def train(
    env_factory: Callable[[], gym.Env[Any, Any]],
    timesteps: int = 200_000,
    seed: int = 0,
    out_dir: Path | str = "ppo-scheduler",
    progress_bar: bool = True,
    *,
    n_envs: int = 2,
    batch: int = 2048,
    minibatch: int = 256,
    n_epochs: int = 10,
    learning_rate: float = 1e-4,
    gamma: float = 0.98,
    clip_range: float = 0.2,
    vec_env: str = "dummy",
    log_std_init: float = 0.0,
    eval_episodes: int = 20,
    eval_every: int = 20_480,
    data_tag: str = "",
    environment: Mapping[str, Any] | None = None,
) -> Path:
    """Train PPO on environments from ``env_factory``; save policy, curve CSV/PNG, manifest.

    ``n_envs`` environments step in parallel, ``batch`` = n_steps x n_envs transitions per
    iteration (paper 2048), ``minibatch`` x ``n_epochs`` gives the update steps (paper 80),
    ``learning_rate`` (Adam, paper 1e-4), ``gamma`` (paper 0.98), ``clip_range`` (paper 0.2).
    ``log_std_init`` is the initial log std of the Gaussian exploration (SB3 default 0).
    The saved policy is the checkpoint with the best deterministic mean return on
    ``eval_episodes`` validation episodes (fresh envs from the factory, reset seeds
    ``seed + 1e6 + i``), scored every ``eval_every`` steps and at the end.
    Deterministic for a given ``seed`` (single torch thread, seeded envs). ``data_tag``
    describes the environment (population, seed rule) and is hashed into the manifest;
    ``environment`` is what the factory builds as plain values (for the scheduler: population,
    days, constrained, Eq. 9 reward weights), recorded under ``"environment"`` in the manifest.
    ``vec_env`` is ``"dummy"`` (default, the measured faster one here, see the module
    docstring), ``"subproc"`` or ``"ray"`` (Ray actors; needs a connected Ray,
    `models.ray_cluster.ray_cluster`); all give the same environments under the same seeds.
    SubprocVecEnv starts its workers with forkserver, which re-imports the calling script:
    a script calling ``train(vec_env="subproc")`` needs an ``if __name__ == "__main__":``
    guard (the ``coachloop`` command has one).
    """
    import torch
    from stable_baselines3 import PPO
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.utils import set_random_seed
    from stable_baselines3.common.vec_env import DummyVecEnv, SubprocVecEnv, VecEnv

    if timesteps < batch:
        raise ValueError(f"timesteps must be at least one batch ({batch})")
    if n_envs < 1:
        raise ValueError("n_envs must be at least 1")
    if batch % n_envs or batch % minibatch:
        raise ValueError(
            f"batch ({batch}) must be divisible by n_envs ({n_envs}) and by minibatch "
            f"({minibatch}): pick n_envs among 1, 2, 4, 8, ..."
        )
    if vec_env not in VEC_ENVS:
        raise ValueError(f"vec_env is one of {', '.join(VEC_ENVS)}, not {vec_env!r}")
    cls: type[VecEnv]
    if vec_env == "ray":
        # Ray loads only for a run that asks for it (models/ray_cluster.py says why).
        from models.ray_vec_env import RayVecEnv, check_connected

        check_connected()
        cls = RayVecEnv
    else:
        cls = DummyVecEnv if vec_env == "dummy" else SubprocVecEnv
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    set_random_seed(seed)
    venv = make_vec_env(env_factory, n_envs=n_envs, seed=seed, vec_env_cls=cls)  # type: ignore[arg-type]
    model = PPO(
        TanhMeanPolicy,
        venv,
        learning_rate=learning_rate,
        n_steps=batch // n_envs,
        batch_size=minibatch,
        n_epochs=n_epochs,
        gamma=gamma,
        clip_range=clip_range,
        policy_kwargs={
            "net_arch": {"pi": [128, 64, 32], "vf": [128, 64, 32]},
            "activation_fn": torch.nn.ReLU,
            "log_std_init": log_std_init,
        },
        seed=seed,
        device="cpu",
        verbose=0,
    )
    from stable_baselines3.common.callbacks import CallbackList

    callback = _curve_callback(out / CURVE_CSV)
    best = _best_checkpoint_callback(
        env_factory, out / POLICY_FILE, eval_episodes, eval_every, seed + 1_000_000
    )
    model.learn(
        total_timesteps=timesteps,
        callback=CallbackList([callback, best]),
        progress_bar=progress_bar,
    )
    venv.close()
    with (out / "validation_curve.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["timesteps", "deterministic_mean_return"])
        w.writerows(best.rows)
    plot_curve(out / CURVE_CSV, out / CURVE_PNG)
    returns = np.array([r for _, _, r in callback.rows])
    metrics: dict[str, float | int] = {
        "timesteps": int(model.num_timesteps),
        "episodes": len(returns),
    }
    if returns.size:
        metrics["final_mean_return_last20"] = float(returns[-20:].mean())
        metrics["episode_95pct_final"] = episodes_to_fraction(returns)
    metrics["validation_best_deterministic_return"] = float(best.best)
    metrics["validation_best_timestep"] = int(best.best_step)
    metrics["validation_episodes"] = eval_episodes
    manifest = {
        "name": "ppo-scheduler",
        "version": "1",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": seed,
        "data_hash": hashlib.sha256(data_tag.encode()).hexdigest(),
        "data": data_tag,
        "environment": dict(environment or {}),
        "hyperparameters": {
            "n_envs": n_envs, "batch": batch, "minibatch": minibatch, "n_epochs": n_epochs,
            "learning_rate": learning_rate, "gamma": gamma, "clip_range": clip_range,
            "net_arch": [128, 64, 32], "vec_env": vec_env, "log_std_init": log_std_init,
            "eval_episodes": eval_episodes, "eval_every": eval_every,
        },
        "metrics": metrics,
        "files": [POLICY_FILE, CURVE_CSV, CURVE_PNG, "validation_curve.csv", "manifest.json"],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return out


def load_policy(path: Path | str) -> Any:
    """Load a trained policy (a directory holding policy.zip, or the zip itself) on CPU."""
    from stable_baselines3 import PPO

    return PPO.load(
        policy_zip(path), device="cpu", custom_objects={"policy_class": TanhMeanPolicy}
    )


def policy_zip(path: Path | str) -> Path:
    """The policy file of ``path`` (a directory holding policy.zip, or the zip itself).

    Checked before work is handed to other processes, so a wrong path fails once, here.
    """
    p = Path(path)
    zip_path = p / POLICY_FILE if p.is_dir() else p
    if not zip_path.exists():
        raise ValueError(f"no PPO policy at {zip_path}; run `coachloop train scheduler`")
    return zip_path


def propose(policy: Any, obs: np.ndarray) -> np.ndarray:
    """Deterministic action (8 values in [-1, 1]) for one observation or a batch of them."""
    action, _ = policy.predict(np.asarray(obs, dtype=np.float32), deterministic=True)
    return np.clip(np.asarray(action, dtype=np.float32), -1.0, 1.0)
