"""Shared tiny synthetic data; torch on one thread (the CI machine is shared)."""

from __future__ import annotations

import pandas as pd
import pytest
import torch

from models.cohort import generate_cohort

torch.set_num_threads(1)


@pytest.fixture(scope="session")
def cohort() -> pd.DataFrame:
    """400 synthetic students, seed 3."""
    return generate_cohort(400, seed=3)
