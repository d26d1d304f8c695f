from __future__ import annotations

import pandas as pd
import pytest
from sklearn.base import clone

from models.grouping import FitnessGrouping, elbow_k, template_of_profile
from models.items import TEMPLATES


@pytest.fixture(scope="module")
def fitted(cohort: pd.DataFrame) -> FitnessGrouping:
    return FitnessGrouping(n_init=2, random_state=0).fit(cohort)


def test_grouping_picks_k_between_8_and_15_per_sex_and_reports_both_criteria(
    fitted: FitnessGrouping,
) -> None:
    assert set(fitted.groups_) == {"male", "female"}
    for group in fitted.groups_.values():
        sel = group["selection"]
        assert 8 <= sel["chosen_k"] <= 15
        assert sel["k_values"] == list(range(8, 16))
        assert len(sel["sse"]) == len(sel["silhouette"]) == 8
        assert 8 <= sel["elbow_k"] <= 15
        assert group["kmeans"].max_iter == 100


def test_grouping_is_deterministic_under_seed(
    cohort: pd.DataFrame, fitted: FitnessGrouping
) -> None:
    again = clone(fitted).fit(cohort)
    assert (again.predict(cohort) == fitted.predict(cohort)).all()


def test_group_for_returns_cluster_template_and_profile(
    cohort: pd.DataFrame, fitted: FitnessGrouping
) -> None:
    person = cohort.iloc[0]
    cluster_id, template, profile = fitted.group_for(person.to_dict())
    assert cluster_id == fitted.predict(cohort.iloc[[0]])[0]
    assert cluster_id.startswith(person["sex"] + ":")
    assert template in TEMPLATES
    assert set(profile) == set(fitted.features_)


def test_weakest_item_names_the_template() -> None:
    assert template_of_profile({"pull_ups": -1.2, "bmi": 0.3}) == "upper-strength"
    assert template_of_profile({"pull_ups": 0.1, "bmi": -0.9}) == "weight-management"
    assert template_of_profile({"pull_ups": 0.4, "bmi": 0.2}) == "all-round-maintenance"


def test_elbow_finds_the_knee() -> None:
    assert elbow_k([1, 2, 3, 4, 5, 6], [100, 40, 20, 17, 15, 14]) == 3


def test_fixed_k_and_too_few_rows_error(cohort: pd.DataFrame) -> None:
    model = FitnessGrouping(k=3, by=None, n_init=1).fit(cohort)
    assert model.groups_["all"]["k"] == 3
    with pytest.raises(ValueError, match="too few"):
        FitnessGrouping(n_init=1).fit(cohort.head(10))
