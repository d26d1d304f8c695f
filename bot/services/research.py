"""De-identified research exports, with differential-privacy noise on injury counts.

Following the data-mining paper (section 3.2, privacy): identity is removed at export —
names, Telegram ids, free text and calendar dates never leave; people become keyed-hash
pseudonyms (a fresh random key per export, so two exports cannot be linked), birth years
become 5-year age bands, and days become "day N of this person's record". Injury records are
the sensitive counts: the number of people reporting pain at each body site gets Laplace noise
of scale 1/epsilon (each person changes a count by at most 1, so this is epsilon-DP for each
count).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

EXPORT_FIELDS = ("pseudonym", "sex", "age_band", "sport", "day_index", "rpe", "minutes",
                 "sleep_quality", "stress", "fatigue", "soreness", "sentiment_level", "pain")


@dataclass(frozen=True, slots=True)
class ResearchExport:
    """De-identified rows and the noisy aggregate counts."""

    rows: list[dict[str, Any]]
    pain_people_by_site: dict[str, int]
    epsilon: float | None


def pseudonym(person_id: int, key: bytes) -> str:
    """A keyed hash of the internal id (not reversible without the per-export key)."""
    return hmac.new(key, str(person_id).encode(), hashlib.sha256).hexdigest()[:12]


def age_band(birth_year: int | None, on: dt.date) -> str | None:
    """Five-year band, e.g. "15-19"."""
    if birth_year is None:
        return None
    age = on.year - birth_year
    low = (age // 5) * 5
    return f"{low}-{low + 4}"


def laplace_counts(
    counts: dict[str, int], epsilon: float, rng: np.random.Generator
) -> dict[str, int]:
    """Counts with Laplace(1/epsilon) noise, rounded and kept non-negative."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive (smaller = more private, noisier)")
    return {k: max(0, round(v + rng.laplace(0.0, 1.0 / epsilon))) for k, v in counts.items()}


def deidentify(
    rows: Sequence[dict[str, Any]],
    *,
    today: dt.date,
    epsilon: float | None = 1.0,
    seed: int | None = None,
    key: bytes | None = None,
) -> ResearchExport:
    """Strip identity from check-in rows (see the module docstring)."""
    key = key or secrets.token_bytes(32)
    first_day: dict[int, dt.date] = {}
    for row in rows:
        first_day.setdefault(row["person_id"], row["day"])
    out = []
    people_by_site: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        pid = row["person_id"]
        for site in row["pain_sites"]:
            people_by_site[str(site)].add(pid)
        out.append({
            "pseudonym": pseudonym(pid, key),
            "sex": row["sex"],
            "age_band": age_band(row["birth_year"], today),
            "sport": row["sport"],
            "day_index": (row["day"] - first_day[pid]).days,
            "rpe": row["rpe"], "minutes": row["minutes"],
            "sleep_quality": row["sleep_quality"], "stress": row["stress"],
            "fatigue": row["fatigue"], "soreness": row["soreness"],
            "sentiment_level": row["sentiment_level"],
            "pain": bool(row["pain_sites"]),
        })
    counts = {site: len(ids) for site, ids in sorted(people_by_site.items())}
    if epsilon is not None:
        counts = laplace_counts(counts, epsilon, np.random.default_rng(seed))
    return ResearchExport(out, counts, epsilon)
