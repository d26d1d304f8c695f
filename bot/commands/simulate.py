"""`coachloop train scheduler` and `coachloop simulate compare` (the scheduling simulator).

Wires `planner.sim` (the environment) into `models.ppo` (the trainer), which never imports the
planner itself. Heavy libraries are imported inside the commands so `coachloop --help` stays
fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.config import load_settings
from models.registry import policy_dir, trained_policy_dir

if TYPE_CHECKING:  # the simulator loads inside the commands (fast --help)
    from planner.sim.dynamics import RewardWeights

# Eq. 9 of the PPO paper (Bo 2025); the same defaults as `planner.sim.dynamics.RewardWeights`
# (a test keeps them equal), spelled out here so `--help` shows them without loading numpy.
ALPHA, BETA, GAMMA = 0.6, 0.3, 0.1
ALPHA_HELP = "reward weight of performance gain (Eq. 9 alpha)"
BETA_HELP = "reward weight of fatigue (Eq. 9 beta)"
GAMMA_HELP = "reward weight of predicted injury risk (Eq. 9 gamma)"
RAY_HELP = "run on Ray: a local cluster of --num-cpus CPUs, or the one at --ray-address"
RAY_ADDRESS_HELP = "join the running Ray cluster at HOST:PORT (`ray start --head`); implies --ray"
NUM_CPUS_HELP = "CPUs of the local Ray cluster (default: all cores)"


def _weights(alpha: float, beta: float, gamma: float) -> RewardWeights:
    """`RewardWeights` from the flags; a bad value is a usage error naming the flag."""
    from planner.sim.dynamics import RewardWeights

    try:
        return RewardWeights(alpha, beta, gamma)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from err


@contextmanager
def _ray_session(use_ray: bool, address: str | None, num_cpus: int | None) -> Iterator[bool]:
    """A Ray session for the command when asked for (yields whether Ray is on).

    Ray is imported only here and only with ``--ray`` or ``--ray-address``, so every other
    run (and ``--help``) never loads it; a local cluster started here is shut down after.
    """
    if num_cpus is not None and address is not None:
        raise typer.BadParameter("--num-cpus sizes a local cluster; leave it out with "
                                 "--ray-address (that cluster has its own CPUs)")
    if not (use_ray or address):
        if num_cpus is not None:
            raise typer.BadParameter("--num-cpus is for a local Ray cluster: add --ray")
        yield False
        return
    from models.ray_cluster import ray_cluster

    with ExitStack() as stack:
        try:
            stack.enter_context(ray_cluster(address, num_cpus))
        except ValueError as err:  # no cluster at that address: a usage error
            raise typer.BadParameter(str(err)) from err
        yield True


def _env_factory(
    population: str, days: int, constrained: bool = False, weights: RewardWeights | None = None
) -> object:
    """A picklable factory of training environments (even athlete seeds only)."""
    from planner.sim.dynamics import RewardWeights
    from planner.sim.env import TrainingSchedulerEnv

    w = weights or RewardWeights()
    return partial(
        TrainingSchedulerEnv, population=population, max_days=days, constrained=constrained,
        alpha=w.alpha, beta=w.beta, gamma=w.gamma, gain_scale=w.gain_scale,
    )


def _trained_weights(ppo_dir: Path) -> dict[str, float]:
    """The reward weights a policy was trained with, from its manifest.

    Manifests written before the weights were recorded (the shipped policies of 2026-11-22)
    were trained with the defaults: their simulator digest matches a source whose only
    weights were the defaults.
    """
    manifest = ppo_dir / "manifest.json"
    default = {"alpha": ALPHA, "beta": BETA, "gamma": GAMMA}
    if not manifest.exists():
        return default
    env = json.loads(manifest.read_text()).get("environment") or {}
    recorded = env.get("reward_weights") or default
    return {k: float(recorded[k]) for k in default}


def _simulator_digest() -> str:
    """sha256 over the simulator's source and biomechanics cache: the PPO "training data"."""
    sim = Path(__file__).resolve().parents[2] / "planner" / "sim"
    h = hashlib.sha256()
    for f in sorted([*sim.glob("*.py"), sim / "biomech_cache.npz"]):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _default_policy() -> Path:
    return policy_dir(load_settings().resolved_model_dir, constrained=False)


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
        alpha: float = typer.Option(ALPHA, help=ALPHA_HELP),
        beta: float = typer.Option(BETA, help=BETA_HELP),
        gamma: float = typer.Option(GAMMA, help=GAMMA_HELP),
        vec_env: str = typer.Option(
            "dummy",
            help="dummy (one process; measured faster on 2 shared cores, docs/scheduler.md) "
            "| subproc (one process per environment)",
        ),
        n_envs: int = typer.Option(
            2, help="parallel environments; 2048 transitions per update = n_envs x n_steps"
        ),
        ray: bool = typer.Option(False, "--ray", help=RAY_HELP + " (one actor per environment)"),
        ray_address: Annotated[
            str | None, typer.Option("--ray-address", help=RAY_ADDRESS_HELP)
        ] = None,
        num_cpus: Annotated[
            int | None, typer.Option("--num-cpus", min=1, help=NUM_CPUS_HELP)
        ] = None,
    ) -> None:
        """Train the PPO scheduler in the simulator (paper settings) with a progress bar.

        With ``--ray`` the environments step in Ray actors; under the same seed the policy is
        the one the single-process run trains.
        """
        from models.ppo import train as train_ppo
        from planner.sim.athletes import POPULATIONS

        if population not in POPULATIONS:
            raise typer.BadParameter(
                f"--population {population!r}: choose {', '.join(POPULATIONS)}"
            )
        weights = _weights(alpha, beta, gamma)
        on_ray = ray or ray_address is not None
        if vec_env == "ray" and not on_ray:
            raise typer.BadParameter("--vec-env ray: use --ray (or --ray-address ADDRESS)")
        if on_ray and vec_env not in ("dummy", "ray"):
            raise typer.BadParameter(
                f"--ray: leave out --vec-env {vec_env} (the environments step in Ray actors)"
            )
        target = out or trained_policy_dir(load_settings().resolved_model_dir)
        tag = (
            f"planner.sim TrainingSchedulerEnv population={population} days={days} "
            f"constrained={constrained} alpha={weights.alpha:g} beta={weights.beta:g} "
            f"gamma={weights.gamma:g} even-seeds "
            f"sim_sha256={_simulator_digest()}"
        )
        environment = {
            "population": population, "max_days": days, "constrained": constrained,
            "reward_weights": weights.as_dict(),
        }
        try:
            with _ray_session(ray, ray_address, num_cpus) as ray_on:
                path = train_ppo(
                    _env_factory(population, days, constrained, weights),  # type: ignore[arg-type]
                    timesteps=timesteps,
                    seed=seed,
                    out_dir=target,
                    progress_bar=True,
                    n_envs=n_envs,
                    vec_env="ray" if ray_on else vec_env,
                    data_tag=tag,
                    environment=environment,
                )
        except ValueError as err:
            raise typer.BadParameter(str(err)) from err
        manifest = json.loads((path / "manifest.json").read_text())
        typer.echo(f"saved {path} ({json.dumps(manifest['metrics'])})")

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
        alpha: float = typer.Option(ALPHA, help=ALPHA_HELP),
        beta: float = typer.Option(BETA, help=BETA_HELP),
        gamma: float = typer.Option(GAMMA, help=GAMMA_HELP),
        ray: bool = typer.Option(False, "--ray", help=RAY_HELP + " (a task per method and "
                                 "athlete)"),
        ray_address: Annotated[
            str | None, typer.Option("--ray-address", help=RAY_ADDRESS_HELP)
        ] = None,
        num_cpus: Annotated[
            int | None, typer.Option("--num-cpus", min=1, help=NUM_CPUS_HELP)
        ] = None,
    ) -> None:
        """Run PPO, ACO, GA, LP and the fixed plan on the same held-out athletes.

        ``--alpha/--beta/--gamma`` score every method and are what ACO, GA and LP optimise;
        a PPO policy optimised the weights it was trained with (its manifest), so a note on
        stderr says when they differ. With ``--ray`` each (method, athlete) block is a Ray
        task seeded as the single-process loop seeds it: the same numbers, except the
        ms/day timings.
        """
        from tqdm import tqdm

        from planner.sim.evaluate import METHODS, compare

        weights = _weights(alpha, beta, gamma)
        ppo_dir = policy or _default_policy()
        if constrained_policy is None and (ppo_dir / "constrained" / "policy.zip").exists():
            constrained_policy = ppo_dir / "constrained"
        asked = {"alpha": weights.alpha, "beta": weights.beta, "gamma": weights.gamma}
        for folder in dict.fromkeys((ppo_dir, constrained_policy or ppo_dir)):
            trained = _trained_weights(folder)
            if any(abs(trained[k] - asked[k]) > 1e-12 for k in asked):
                typer.echo(
                    f"note: {folder} was trained with reward weights "
                    + ", ".join(f"{k} {v:g}" for k, v in trained.items())
                    + "; its rows are scored with the weights asked for here",
                    err=True,
                )
        with (
            tqdm(total=athletes * len(METHODS), desc="simulating", disable=as_json) as bar,
            _ray_session(ray, ray_address, num_cpus) as ray_on,
        ):
            mapper = None
            if ray_on:
                from models.ray_cluster import ray_map

                mapper = ray_map
            try:
                results = compare(athletes, days, seed, population, ppo_dir,
                                  progress=bar.update,
                                  constrained_policy_path=constrained_policy,
                                  weights=weights, mapper=mapper)
            except ValueError as err:
                raise typer.BadParameter(str(err)) from err
        for method, folder in (("ppo", ppo_dir), ("ppo_c", constrained_policy or ppo_dir)):
            manifest = folder / "manifest.json"
            if manifest.exists():
                ep = json.loads(manifest.read_text())["metrics"].get("episode_95pct_final")
                for r in results:
                    if r.method == method:
                        r.convergence = ep
        if plot is not None:
            _plot(results, ppo_dir, plot)
        if as_json:
            typer.echo(json.dumps([r.as_row() for r in results], indent=2))
            return
        typer.echo(
            f"{athletes} held-out {population} athletes x {days} days (seed {seed}); reward "
            f"{weights.alpha:g} x gain - {weights.beta:g} x fatigue - {weights.gamma:g} x risk\n"
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
