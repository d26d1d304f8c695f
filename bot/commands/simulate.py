"""`coachloop train scheduler` and `coachloop simulate compare` (the scheduling simulator).

Wires `planner.sim` (the environment) into `models.ppo` (the trainer), which never imports the
planner itself. Heavy libraries load inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "shipped" / "ppo-scheduler"


def _env_factory(population: str, days: int, constrained: bool = False) -> object:
    """A picklable factory of training environments (even athlete seeds only)."""
    from functools import partial

    from planner.sim.env import TrainingSchedulerEnv

    return partial(
        TrainingSchedulerEnv, population=population, max_days=days, constrained=constrained
    )


def _simulator_digest() -> str:
    """sha256 over the simulator's source and biomechanics cache: the PPO "training data"."""
    import hashlib

    sim = Path(__file__).resolve().parents[2] / "planner" / "sim"
    h = hashlib.sha256()
    for f in sorted([*sim.glob("*.py"), sim / "biomech_cache.npz"]):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _default_policy() -> Path:
    from bot.config import load_settings

    user = load_settings().resolved_model_dir / "ppo-scheduler"
    return user if (user / "policy.zip").exists() else SHIPPED


def _plot(results: list[Any], ppo_dir: Path | None, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    csv = ppo_dir / "learning_curve.csv" if ppo_dir else None
    if csv is not None and csv.exists():
        data = np.loadtxt(csv, delimiter=",", skiprows=1, ndmin=2)
        k = min(20, len(data))
        axes[0].plot(data[:, 1], data[:, 2], alpha=0.3)
        axes[0].plot(data[k - 1 :, 1], np.convolve(data[:, 2], np.ones(k) / k, "valid"))
    axes[0].set(title="PPO training (episode return)", xlabel="episode", ylabel="return")
    for r in results:
        if r.traces:
            t = np.array(r.traces)
            span = (t[:, -1:] - t[:, :1]).clip(1e-9)
            share = ((t - t[:, :1]) / span).mean(0)
            axes[1].plot(np.arange(1, t.shape[1] + 1), share, label=r.method)
    axes[1].set(title="weekly plan search (share of final gain)", xlabel="iteration")
    axes[1].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add this area's commands to the coachloop app and its train group."""
    simulate = typer.Typer(help="Training-schedule simulator: compare schedulers.")
    app.add_typer(simulate, name="simulate")

    @train.command("scheduler")
    def train_scheduler(
        timesteps: int = typer.Option(150_000, help="PPO environment steps"),
        seed: int = typer.Option(0, help="random seed (policy and training athletes)"),
        out: Annotated[
            Path | None, typer.Option(help="output directory (default: user model dir)")
        ] = None,
        population: str = typer.Option("college", help="college | youth | retired"),
        days: int = typer.Option(60, help="episode length in days (paper: 60)"),
        constrained: bool = typer.Option(
            False, help="train inside the 4-6 x 35-60 min week (for the ppo_c comparison)"
        ),
    ) -> None:
        """Train the PPO scheduler in the simulator (paper settings) with a progress bar."""
        from models.ppo import train as train_ppo

        target = out or _default_policy_dir()
        tag = (
            f"planner.sim TrainingSchedulerEnv population={population} days={days} "
            f"constrained={constrained} even-seeds "
            f"sim_sha256={_simulator_digest()}"
        )
        path = train_ppo(
            _env_factory(population, days, constrained),  # type: ignore[arg-type]
            timesteps=timesteps,
            seed=seed,
            out_dir=target,
            progress_bar=True,
            data_tag=tag,
        )
        manifest = json.loads((path / "manifest.json").read_text())
        typer.echo(f"saved {path} ({json.dumps(manifest['metrics'])})")

    def _default_policy_dir() -> Path:
        from bot.config import load_settings

        return load_settings().resolved_model_dir / "ppo-scheduler"

    @simulate.command("compare")
    def compare_cmd(
        athletes: int = typer.Option(20, help="held-out simulated athletes"),
        days: int = typer.Option(60, help="days per athlete"),
        seed: int = typer.Option(0, help="seed of the held-out athletes and simulator"),
        population: str = typer.Option("college", help="college | youth | retired"),
        as_json: bool = typer.Option(False, "--json", help="print JSON"),
        plot: Annotated[Path | None, typer.Option(help="learning-curve PNG path")] = None,
        policy: Annotated[
            Path | None, typer.Option(help="PPO policy directory (default: shipped)")
        ] = None,
        constrained_policy: Annotated[
            Path | None,
            typer.Option(help="PPO trained with --constrained, used for ppo_c (default: policy)"),
        ] = None,
    ) -> None:
        """Run PPO, ACO, GA, LP and the fixed plan on the same held-out athletes."""
        from tqdm import tqdm

        from planner.sim.evaluate import METHODS, compare

        policy_dir = policy or _default_policy()
        if constrained_policy is None and (policy_dir / "constrained" / "policy.zip").exists():
            constrained_policy = policy_dir / "constrained"
        with tqdm(total=athletes * len(METHODS), desc="simulating", disable=as_json) as bar:
            try:
                results = compare(athletes, days, seed, population, policy_dir,
                                  progress=bar.update,
                                  constrained_policy_path=constrained_policy)
            except ValueError as err:
                raise typer.BadParameter(str(err)) from err
        for method, folder in (("ppo", policy_dir), ("ppo_c", constrained_policy or policy_dir)):
            manifest = folder / "manifest.json"
            if manifest.exists():
                ep = json.loads(manifest.read_text())["metrics"].get("episode_95pct_final")
                for r in results:
                    if r.method == method:
                        r.convergence = ep
        if plot is not None:
            _plot(results, policy_dir, plot)
        if as_json:
            typer.echo(json.dumps([r.as_row() for r in results], indent=2))
            return
        typer.echo(
            f"{athletes} held-out {population} athletes x {days} days (seed {seed})\n"
            f"{'method':7} {'gain %':>7} {'fatigue':>8} {'inj/1000d':>10} {'reward':>8} "
            f"{'ms/day':>8} {'95% at':>8}"
        )
        for r in results:
            conv = "-" if r.convergence is None else f"{r.convergence:.0f}"
            typer.echo(
                f"{r.method:7} {r.perf_gain_pct:7.2f} {r.fatigue:8.3f} "
                f"{r.injuries_per_1000_days:10.2f} {r.reward:8.2f} {r.latency_ms_per_day:8.3f} "
                f"{conv:>8}"
            )
        typer.echo("95% at: PPO = training episode, ACO/GA = iteration (mean over weekly plans)")
