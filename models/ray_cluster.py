"""A Ray session for the simulator's work: start a local cluster or join one; run tasks.

Why a module of its own: training (`models.ray_vec_env`) and the held-out comparison
(`planner.sim.evaluate.compare` with a mapper) both need a connected Ray, and only when asked
for: Ray is imported by this module, which the command line imports inside ``--ray`` runs
only, so ``coachloop --help`` and every run without ``--ray`` never load it.

`ray_cluster` starts a local cluster of ``num_cpus`` CPUs when no address is given (no
dashboard, Ray's own logging at ERROR, usage statistics off so nothing leaves the machine,
workers at the caller's priority) and shuts it down afterwards; given an address it joins
that cluster and disconnects afterwards, leaving the cluster running. A Ray that the
calling process has already started is used as it is and left running.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import ray
from ray.exceptions import RayTaskError

T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def ray_cluster(address: str | None = None, num_cpus: int | None = None) -> Iterator[int]:
    """Connect to Ray for the ``with`` block; yields the cluster's CPU count.

    ``address`` (``HOST:PORT`` of a head started with ``ray start --head``, or ``auto`` for
    one on this machine) joins a running cluster; without it a local cluster of
    ``num_cpus`` CPUs is started (default: Ray counts the machine's cores).
    """
    if num_cpus is not None and num_cpus < 1:
        raise ValueError(f"num_cpus must be at least 1, not {num_cpus}")
    if address is not None and num_cpus is not None:
        raise ValueError(
            "num_cpus sizes a local cluster; a running cluster at an address has its own CPUs"
        )
    if ray.is_initialized():  # the caller's own session: use it, leave it running
        yield _cpus()
        return
    local: dict[str, Any] = {}
    if address is None:
        # Read by the Ray processes started here (they inherit this environment): a local
        # cluster for one command reports nothing to Ray's usage-statistics server.
        os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
        # Ray runs its workers at niceness 15 by default; on a machine shared with other
        # work they then get a fraction of the CPU the single-process run gets (measured:
        # docs/scheduler.md), so the workers of a cluster started for one command run at 0.
        local = {"num_cpus": num_cpus, "_system_config": {"worker_niceness": 0}}
    try:
        ray.init(
            address=address or "local",
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
            **local,
        )
    except (ConnectionError, RuntimeError) as err:
        raise ValueError(
            f"could not connect to Ray at {address}: start a head with `ray start --head` "
            f"and pass the address it prints ({err})"
        ) from err
    try:
        yield _cpus()
    finally:
        ray.shutdown()


def _cpus() -> int:
    """CPUs the connected cluster offers (all nodes)."""
    return int(ray.cluster_resources().get("CPU", 0))


def ray_map(
    fn: Callable[[T], R], items: Sequence[T], progress: Callable[[], None] | None = None
) -> list[R]:
    """``[fn(item) for item in items]`` as Ray tasks of one CPU each, results in item order.

    ``fn`` must be importable by the workers (a module-level function of an installed
    package). ``progress`` is called once per finished task, in the order they finish. The
    first task that fails cancels the others, and its own exception is raised here (a
    ``ValueError`` stays a ``ValueError`` with its message).
    """
    remote = ray.remote(num_cpus=1)(fn)
    refs = [remote.remote(item) for item in items]
    pending = list(refs)
    try:
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            ray.get(done)
            if progress is not None:
                progress()
        return list(ray.get(refs))
    except RayTaskError as err:
        for ref in pending:
            ray.cancel(ref)
        cause: Any = err.cause
        if isinstance(cause, Exception):
            raise cause from err
        raise
