"""Versioned model artefacts with a manifest; the user's models first, shipped defaults second.

Layout. User registry (``model_dir``, e.g. ``Settings.resolved_model_dir``):
``<model_dir>/<name>/v<N>/{manifest.json, files...}`` plus ``<model_dir>/<name>/CURRENT`` holding
the current version. Shipped defaults (produced by `models.shipped_defaults`, committed, small):
``models/shipped/<name>/{manifest.json, files...}``. Objects are stored with joblib (sklearn's
persistence; torch modules inside our estimators pickle with their state). Loading runs pickle:
load only artefacts you or this package produced.

The scheduling policy is the one artefact stable-baselines3 saves in its own format
(``policy.zip``, unversioned): `policy_dir` says where it loads from and `trained_policy_dir`
where `coachloop train scheduler` writes it, so every caller follows the same convention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Manifest:
    """What an artefact is: name, version, training-data hash, seed, metrics, files, creation."""

    name: str
    version: str
    data_hash: str
    seed: int
    metrics: dict[str, Any]
    created_at: str
    files: list[str]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Pretty JSON, keys in a stable order."""
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_path(cls, path: Path) -> Manifest:
        """Read ``manifest.json``; a clear error if it is missing or malformed."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(**raw)
        except (OSError, ValueError, TypeError) as err:
            raise ValueError(f"cannot read model manifest {path}: {err}") from err


@dataclass(frozen=True)
class Artifact:
    """A loaded artefact: its manifest, its objects by file name, and where it came from."""

    manifest: Manifest
    objects: dict[str, Any]
    path: Path


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"model name {name!r}: use lowercase letters, digits, '-' or '_'")


def _write(
    folder: Path,
    name: str,
    version: str,
    objects: Mapping[str, Any],
    *,
    data_hash: str,
    seed: int,
    metrics: Mapping[str, Any],
    extra: Mapping[str, Any] | None,
) -> Manifest:
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for filename, obj in objects.items():
        if "/" in filename or filename == "manifest.json":
            raise ValueError(f"bad artefact file name {filename!r}")
        joblib.dump(obj, folder / filename, compress=3)
        files.append(filename)
    manifest = Manifest(
        name=name,
        version=version,
        data_hash=data_hash,
        seed=seed,
        metrics=dict(metrics),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        files=sorted(files),
        extra=dict(extra or {}),
    )
    (folder / "manifest.json").write_text(manifest.to_json() + "\n", encoding="utf-8")
    return manifest


def save(
    name: str,
    objects: Mapping[str, Any],
    *,
    model_dir: Path,
    data_hash: str,
    seed: int,
    metrics: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> Manifest:
    """Store a new version under ``model_dir/name/v<N>`` and make it current."""
    _check_name(name)
    root = Path(model_dir) / name
    existing = [int(p.name[1:]) for p in root.glob("v*") if p.name[1:].isdigit()]
    version = f"v{max(existing, default=0) + 1}"
    manifest = _write(
        root / version,
        name,
        version,
        objects,
        data_hash=data_hash,
        seed=seed,
        metrics=metrics,
        extra=extra,
    )
    (root / "CURRENT").write_text(version + "\n", encoding="utf-8")
    return manifest


def save_shipped(
    name: str,
    objects: Mapping[str, Any],
    *,
    data_hash: str,
    seed: int,
    metrics: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
    shipped_dir: Path = SHIPPED_DIR,
) -> Manifest:
    """Write a shipped default (flat folder, version ``shipped``); used by our own command."""
    _check_name(name)
    return _write(
        shipped_dir / name,
        name,
        "shipped",
        objects,
        data_hash=data_hash,
        seed=seed,
        metrics=metrics,
        extra=extra,
    )


def current_path(name: str, model_dir: Path | None = None, shipped_dir: Path = SHIPPED_DIR) -> Path:
    """Folder of the current artefact: the user's current version, else the shipped default."""
    _check_name(name)
    if model_dir is not None:
        pointer = Path(model_dir) / name / "CURRENT"
        if pointer.is_file():
            folder = Path(model_dir) / name / pointer.read_text(encoding="utf-8").strip()
            if (folder / "manifest.json").is_file():
                return folder
    folder = shipped_dir / name
    if (folder / "manifest.json").is_file():
        return folder
    raise FileNotFoundError(
        f"no model {name!r}: train one with `coachloop train ...` or run `coachloop models prepare`"
    )


def load_current(
    name: str, model_dir: Path | None = None, shipped_dir: Path = SHIPPED_DIR
) -> Artifact:
    """Load the current artefact (user's first, shipped default otherwise)."""
    import joblib

    folder = current_path(name, model_dir, shipped_dir)
    manifest = Manifest.from_path(folder / "manifest.json")
    objects = {f: joblib.load(folder / f) for f in manifest.files}
    return Artifact(manifest, objects, folder)


POLICY = "ppo-scheduler"


def trained_policy_dir(model_dir: Path) -> Path:
    """Where a user's retrained scheduling policy lives (and `coachloop train scheduler` writes)."""
    return Path(model_dir) / POLICY


def policy_dir(
    model_dir: Path | None = None, *, constrained: bool = True, shipped_dir: Path = SHIPPED_DIR
) -> Path:
    """Where the scheduling policy loads from: the user's retrained one, else the shipped one.

    The shipped default for real athletes is the policy trained inside the PE paper's week
    rules (``constrained/``): the unconstrained one earns its simulated reward with far more
    volume and 3-10x the injuries (docs/scheduler.md). ``constrained=False`` gives the shipped
    unconstrained policy, which the simulator's comparison runs beside it.
    """
    if model_dir is not None and (trained_policy_dir(model_dir) / "policy.zip").exists():
        return trained_policy_dir(model_dir)
    shipped = shipped_dir / POLICY
    if constrained and (shipped / "constrained" / "policy.zip").exists():
        return shipped / "constrained"
    return shipped
