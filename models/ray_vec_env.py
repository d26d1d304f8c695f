"""`RayVecEnv`: a stable-baselines3 VecEnv whose environments live in Ray actors.

Why: on a cluster the environments can step on other cores or machines while PPO keeps its
networks and updates in the calling process. It is a drop-in for `DummyVecEnv` /
`SubprocVecEnv` (pass it as ``vec_env_cls`` to `make_vec_env`): one actor per environment,
``step_async`` sends every action and ``step_wait`` gathers the results, with the same
protocol as SB3's subprocess worker (auto-reset at the end of an episode, the final
observation in ``info["terminal_observation"]``, seeds and options passed at the next reset).
Observations are written into buffers of the observation space's dtype and rewards are
float32, as `DummyVecEnv` does, so under the same seeds PPO sees the same numbers and learns
the same policy (tested). Generic over the environment: the actors receive the factories
`make_vec_env` builds.

Each actor asks for ``min(1, cluster CPUs / n_envs)`` CPUs, so any number of environments
fits a small cluster (Ray then shares the CPUs between them). Needs a connected Ray
(`models.ray_cluster.ray_cluster`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from copy import deepcopy
from typing import Any

import gymnasium as gym
import numpy as np
import ray
from stable_baselines3.common.env_util import is_wrapped
from stable_baselines3.common.vec_env.base_vec_env import (
    VecEnv,
    VecEnvIndices,
    VecEnvObs,
    VecEnvStepReturn,
)
from stable_baselines3.common.vec_env.util import dict_to_obs, obs_space_info


class EnvWorker:
    """One environment inside a Ray actor; each method is one message of SB3's worker."""

    def __init__(self, env_fn: Callable[[], gym.Env[Any, Any]]) -> None:
        self.env = env_fn()
        self.reset_info: dict[str, Any] = {}

    def spaces(self) -> tuple[gym.Space[Any], gym.Space[Any]]:
        """Observation and action space."""
        return self.env.observation_space, self.env.action_space

    def step(self, action: np.ndarray) -> tuple[Any, float, bool, dict[str, Any], dict[str, Any]]:
        """One step in the VecEnv convention; a finished episode resets at once."""
        obs, reward, terminated, truncated, info = self.env.step(action)
        done = terminated or truncated
        info["TimeLimit.truncated"] = truncated and not terminated
        if done:
            info["terminal_observation"] = obs
            obs, self.reset_info = self.env.reset()
        return obs, float(reward), done, info, self.reset_info

    def reset(self, seed: int | None, options: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Reset with this seed and these options (used once, as the VecEnv API says)."""
        maybe_options = {"options": options} if options else {}
        obs, self.reset_info = self.env.reset(seed=seed, **maybe_options)
        return obs, self.reset_info

    def render(self) -> Any:
        """The environment's frame."""
        return self.env.render()

    def get_attr(self, name: str) -> Any:
        """An attribute of the (possibly wrapped) environment."""
        return self.env.get_wrapper_attr(name)

    def has_attr(self, name: str) -> bool:
        """Whether the environment or a wrapper has the attribute."""
        try:
            self.env.get_wrapper_attr(name)
        except AttributeError:
            return False
        return True

    def set_attr(self, name: str, value: Any) -> None:
        """Set an attribute on the outermost wrapper (as SB3's workers do)."""
        setattr(self.env, name, value)

    def env_method(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Call a method of the environment."""
        return self.env.get_wrapper_attr(name)(*args, **kwargs)

    def is_wrapped(self, wrapper_class: type[gym.Wrapper[Any, Any, Any, Any]]) -> bool:
        """Whether the environment is wrapped in ``wrapper_class``."""
        return is_wrapped(self.env, wrapper_class)

    def close(self) -> None:
        """Close the environment."""
        self.env.close()


RemoteEnvWorker = ray.remote(EnvWorker)


def check_connected() -> None:
    """Raise unless this process is connected to Ray (checked before any work starts)."""
    if not ray.is_initialized():
        raise ValueError(
            "vec_env='ray' needs a connected Ray: run inside models.ray_cluster.ray_cluster() "
            "(the command line: --ray)"
        )


class RayVecEnv(VecEnv):
    """VecEnv over Ray actors, one environment per actor (see module docstring)."""

    def __init__(self, env_fns: list[Callable[[], gym.Env[Any, Any]]]) -> None:
        check_connected()
        if not env_fns:
            raise ValueError("RayVecEnv needs at least one environment factory")
        cpus = min(1.0, ray.cluster_resources().get("CPU", 1.0) / len(env_fns))
        options = RemoteEnvWorker.options(num_cpus=cpus)
        self.workers: list[Any] = [options.remote(fn) for fn in env_fns]
        self.waiting = False
        self.closed = False
        self._pending: list[Any] = []
        observation_space, action_space = ray.get(self.workers[0].spaces.remote())
        super().__init__(len(env_fns), observation_space, action_space)
        self.keys, shapes, dtypes = obs_space_info(observation_space)
        self.buf_obs = OrderedDict(
            (k, np.zeros((self.num_envs, *tuple(shapes[k])), dtype=dtypes[k])) for k in self.keys
        )

    def step_async(self, actions: np.ndarray) -> None:
        """Send each environment its action; the actors step at the same time."""
        self._pending = [
            w.step.remote(a) for w, a in zip(self.workers, actions, strict=True)
        ]
        self.waiting = True

    def step_wait(self) -> VecEnvStepReturn:
        """Gather the steps in environment order."""
        results = ray.get(self._pending)
        self._pending, self.waiting = [], False
        rewards = np.zeros((self.num_envs,), dtype=np.float32)
        dones = np.zeros((self.num_envs,), dtype=bool)
        infos: list[dict[str, Any]] = []
        for i, (obs, reward, done, info, reset_info) in enumerate(results):
            self._save_obs(i, obs)
            rewards[i], dones[i] = reward, done
            infos.append(info)
            if done:
                self.reset_infos[i] = reset_info
        return self._obs_from_buf(), rewards, dones, infos

    def reset(self) -> VecEnvObs:
        """Reset every environment with its pending seed and options."""
        refs = [
            w.reset.remote(self._seeds[i], self._options[i]) for i, w in enumerate(self.workers)
        ]
        for i, (obs, reset_info) in enumerate(ray.get(refs)):
            self._save_obs(i, obs)
            self.reset_infos[i] = reset_info
        self._reset_seeds()
        self._reset_options()
        return self._obs_from_buf()

    def close(self) -> None:
        """Close the environments and end their actors."""
        if self.closed:
            return
        if self.waiting:
            ray.get(self._pending)
        ray.get([w.close.remote() for w in self.workers])
        for w in self.workers:
            ray.kill(w)
        self.closed = True

    def get_images(self) -> Sequence[np.ndarray | None]:
        """Every environment's frame (``render_mode="rgb_array"``)."""
        return list(ray.get([w.render.remote() for w in self.workers]))

    def has_attr(self, attr_name: str) -> bool:
        """Whether every environment has the attribute."""
        return all(ray.get([w.has_attr.remote(attr_name) for w in self.workers]))

    def get_attr(self, attr_name: str, indices: VecEnvIndices = None) -> list[Any]:
        """The attribute of the selected environments."""
        return list(ray.get([w.get_attr.remote(attr_name) for w in self._targets(indices)]))

    def set_attr(self, attr_name: str, value: Any, indices: VecEnvIndices = None) -> None:
        """Set the attribute in the selected environments."""
        ray.get([w.set_attr.remote(attr_name, value) for w in self._targets(indices)])

    def env_method(
        self,
        method_name: str,
        *method_args: Any,
        indices: VecEnvIndices = None,
        **method_kwargs: Any,
    ) -> list[Any]:
        """Call a method in the selected environments."""
        refs = [
            w.env_method.remote(method_name, method_args, method_kwargs)
            for w in self._targets(indices)
        ]
        return list(ray.get(refs))

    def env_is_wrapped(
        self, wrapper_class: type[gym.Wrapper[Any, Any, Any, Any]], indices: VecEnvIndices = None
    ) -> list[bool]:
        """Whether the selected environments are wrapped in ``wrapper_class``."""
        return list(ray.get([w.is_wrapped.remote(wrapper_class) for w in self._targets(indices)]))

    def _targets(self, indices: VecEnvIndices) -> list[Any]:
        return [self.workers[i] for i in self._get_indices(indices)]

    def _save_obs(self, env_idx: int, obs: VecEnvObs) -> None:
        for key in self.keys:
            self.buf_obs[key][env_idx] = obs if key is None else obs[key]  # type: ignore[call-overload]

    def _obs_from_buf(self) -> VecEnvObs:
        return dict_to_obs(self.observation_space, deepcopy(self.buf_obs))
