"""Psychometrics for the instrument report, checked against hand calculations and an
independent implementation (statsmodels' principal-axis factor analysis)."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.multivariate.factor import Factor

from scorecards.scoring import psychometrics


def one_factor_data(loadings, n=400, seed=7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=n)
    columns = {
        f"Q{i}": weight * factor + np.sqrt(1 - weight**2) * rng.normal(size=n)
        for i, weight in enumerate(loadings, start=1)
    }
    return pd.DataFrame(columns)


def test_omega_by_hand_from_three_loadings():
    # (0.6 + 0.7 + 0.8)^2 / ((0.6 + 0.7 + 0.8)^2 + (0.64 + 0.51 + 0.36)) = 4.41 / 5.92
    assert psychometrics.omega_from_loadings([0.6, 0.7, 0.8]) == pytest.approx(4.41 / 5.92)


def test_loadings_match_an_independent_principal_axis_fit():
    data = one_factor_data([0.8, 0.7, 0.6, 0.5, 0.4])
    theirs = np.abs(Factor(data.to_numpy(), n_factor=1, method="pa").fit().loadings[:, 0])

    ours = psychometrics.one_factor_loadings(data)

    assert ours == pytest.approx(theirs, abs=0.01)
    assert psychometrics.mcdonald_omega(data) == pytest.approx(
        psychometrics.omega_from_loadings(theirs), abs=0.005
    )


def test_omega_is_not_given_for_two_items_or_few_people():
    assert psychometrics.mcdonald_omega(one_factor_data([0.7, 0.7])) is None
    assert psychometrics.mcdonald_omega(one_factor_data([0.7, 0.7, 0.7], n=6)) is None


def test_item_total_correlation_is_each_item_against_the_rest():
    data = one_factor_data([0.8, 0.7, 0.1], n=300)
    corrected = psychometrics.item_total_correlations(data)

    rest = data["Q1"] + data["Q2"]
    assert corrected["Q3"] == pytest.approx(np.corrcoef(data["Q3"], rest)[0, 1])
    assert corrected["Q3"] < 0.3 < corrected["Q1"]  # the item that does not belong shows


def test_dont_know_rates_show_an_item_one_group_cannot_answer():
    seen = pd.DataFrame(
        {"P01": [True] * 6 + [False] * 4, "P02": [True] * 10},
        index=range(10),
        dtype=object,
    )
    groups = pd.Series(["staff"] * 6 + ["patients"] * 4)

    rates = psychometrics.dont_know_rates(seen, groups)

    assert rates.loc["patients", ("rate", "P01")] == 1.0
    assert rates.loc["staff", ("rate", "P01")] == 0.0
    assert rates.loc["patients", ("n", "P01")] == 4


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([3, 3, 3, 3], 1.0), ([1, 5, 1, 5], 0.0), ([2, 3, 3, 4], 1 - (2 / 3) / 2), ([4], None)],
)
def test_rwg_by_hand(levels, expected):
    result = psychometrics.rwg(levels)
    assert result == (pytest.approx(expected) if expected is not None else None)


def test_a_factor_fit_that_does_not_converge_leaves_omega_out_instead_of_failing(monkeypatch):
    """numpy's eigh once raised "Eigenvalues did not converge" on one round's answers
    (seen with the privacy suite's personas), and the whole round's scoring failed:
    now omega is left out and the rest is scored."""
    from scorecards.scoring.psychometrics import mcdonald_omega

    def does_not_converge(matrix):
        raise np.linalg.LinAlgError("Eigenvalues did not converge")

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.integers(1, 6, size=(30, 4)), columns=list("abcd"), dtype=float)
    assert mcdonald_omega(frame) is not None
    monkeypatch.setattr(psychometrics.np.linalg, "eigh", does_not_converge)
    assert mcdonald_omega(frame) is None
