"""Single process vs Ray: the same held-out comparison and the same short PPO training.

    python -m benchmarks.ray_speedup [--quick] [--num-cpus 2] [--athletes N] [--days D]
                                     [--timesteps T] [--repeats R]

Both ways run in this one invocation, taking turns (single, Ray, single, Ray, ...) so that a
change of load on a shared machine hits both; the table gives wall seconds per run and the
speed-up (single-process seconds / Ray seconds, > 1 = Ray faster). The Ray runs use one local
cluster of ``--num-cpus`` CPUs, started once; its start-up is reported on its own line, and
the "w/ start-up" ratio adds it to the Ray run, as a ``coachloop ... --ray`` command pays it
once per invocation. The first Ray run of each kind also pays the workers' imports (torch,
the simulator), which later runs find loaded. Each Ray result is
checked against its single-process twin (same JSON apart from ms/day; same policy
parameters), and the load average is printed before and after, because the machine may be
shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import torch

from models.ppo import load_policy, train
from models.ray_cluster import ray_cluster, ray_map
from planner.sim.env import TrainingSchedulerEnv
from planner.sim.evaluate import compare

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "shipped" / "ppo-scheduler"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _rows(results: list[Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.as_row().items() if k != "latency_ms_per_day"} for r in results]


def _same_policy(a: Path, b: Path) -> bool:
    pa, pb = load_policy(a).policy.state_dict(), load_policy(b).policy.state_dict()
    return all(torch.equal(pa[k], pb[k]) for k in pa)


def _line(name: str, single: list[float], on_ray: list[float], startup: float, same: bool) -> str:
    s, r = statistics.median(single), statistics.median(on_ray)
    with_start = s / (r + startup)
    return (f"{name:28} {' '.join(f'{x:6.1f}' for x in single):>20} "
            f"{' '.join(f'{x:6.1f}' for x in on_ray):>20} {s / r:8.2f} {with_start:10.2f} "
            f"{'yes' if same else 'NO':>5}")


def main() -> None:
    """Parse arguments, run both ways in turns, print the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="2 athletes x 7 days, 2048 steps")
    ap.add_argument("--num-cpus", type=int, default=2)
    ap.add_argument("--athletes", type=int, default=8)
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--population", default="college")
    ap.add_argument("--timesteps", type=int, default=4096)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    n, days, steps = args.athletes, args.days, args.timesteps
    if args.quick:
        n, days, steps = 2, 7, 2048
    sim = partial(compare, n, days, 0, args.population, SHIPPED,
                  constrained_policy_path=SHIPPED / "constrained")
    fit = partial(train, partial(TrainingSchedulerEnv, max_days=60), timesteps=steps, seed=0,
                  progress_bar=False)
    load_before = os.getloadavg()
    cmp_single: list[float] = []
    cmp_ray: list[float] = []
    fit_single: list[float] = []
    fit_ray: list[float] = []
    same_cmp = same_fit = True
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with ray_cluster(num_cpus=args.num_cpus) as cpus:
            startup = time.perf_counter() - t0
            for k in range(args.repeats):
                t, alone = _timed(sim)
                cmp_single.append(t)
                t, on_ray = _timed(lambda: sim(mapper=ray_map))
                cmp_ray.append(t)
                same_cmp &= _rows(alone) == _rows(on_ray)
                a, r = Path(tmp) / f"dummy{k}", Path(tmp) / f"ray{k}"
                fit_single.append(_timed(lambda a=a: fit(out_dir=a, vec_env="dummy"))[0])
                fit_ray.append(_timed(lambda r=r: fit(out_dir=r, vec_env="ray"))[0])
                same_fit &= _same_policy(a, r)
    load_after = os.getloadavg()
    print(f"local Ray cluster: {cpus} CPUs, start-up {startup:.1f} s; machine: "
          f"{os.cpu_count()} cores, load average (1 min) {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after")
    print(f"{'run':28} {'single s':>20} {'Ray s':>20} {'speed-up':>8} "
          f"{'w/ start-up':>10} {'same':>5}")
    print(_line(f"compare {n} ath x {days} d", cmp_single, cmp_ray, startup, same_cmp))
    print(_line(f"train {steps} steps, 2 envs", fit_single, fit_ray, startup, same_fit))
    print("speed-up = median single-process s / median Ray s; w/ start-up = the same with the "
          "cluster's start-up added to the Ray median; same = identical numbers / policy")


if __name__ == "__main__":
    main()
