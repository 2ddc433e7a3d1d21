"""The 'posterior' method: the group's share from score histograms and its coded passages."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from framing.measure import (
    RECOMMENDATION_RULE,
    SharedPassagesWarning,
    ThinCellWarning,
    estimate_prevalence,
    prevalence_differences,
    recommended_method,
)
from framing.measure._posterior import (
    _maximum_likelihood,
    class_histograms,
    score_bins,
    share_draws,
)
from tests.measure.test_prevalence import FRAMES, make_passages


def quiet(**kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        return estimate_prevalence(**kwargs)


@pytest.fixture(scope="module")
def target() -> pd.DataFrame:
    return make_passages(0, n_documents=160, prevalence=0.15)


@pytest.fixture(scope="module")
def validation() -> pd.DataFrame:
    return make_passages(1, n_documents=150, prevalence=0.1, with_labels=True, prefix="v")


# -- the pieces --------------------------------------------------------------------------------

@pytest.mark.parametrize("n_positive, n_bins", [(3, 2), (12, 3), (30, 7), (200, 8)])
def test_the_number_of_bins_follows_the_rarer_class(n_positive: int, n_bins: int) -> None:
    rng = np.random.default_rng(0)
    labels = np.r_[np.ones(n_positive, int), np.zeros(300, int)]
    probabilities = 1 / (1 + np.exp(-rng.normal(2 * labels - 1, 1)))
    edges = score_bins(probabilities, labels)
    assert edges.size == n_bins - 1
    # Each bin holds 1 / n_bins of the even mixture of the two classes, so the rare class
    # counts as much as the common one in placing the edges.
    bins = np.searchsorted(edges, np.log(probabilities / (1 - probabilities)), side="right")
    mixture = (np.bincount(bins[labels == 1], minlength=n_bins) / n_positive
               + np.bincount(bins[labels == 0], minlength=n_bins) / 300) / 2
    np.testing.assert_allclose(mixture, 1 / n_bins, atol=0.6 / n_positive + 1e-9)


def test_histograms_are_distributions_per_draw() -> None:
    weights = np.array([[1, 1, 1, 1], [2, 0, 1, 1]], dtype=float)
    f1, f0 = class_histograms(weights, np.array([1, 1, 0, 0]), np.array([0, 1, 0, 1]), 2)
    np.testing.assert_allclose(f1.sum(axis=1), 1)
    np.testing.assert_allclose(f1[0], [0.5, 0.5])
    np.testing.assert_allclose(f1[1], [2.1 / 2.2, 0.1 / 2.2])    # 2 + 0.1 and 0 + 0.1 of 2.2
    np.testing.assert_allclose(f0[1], [0.5, 0.5])


@pytest.mark.parametrize("n_positive, n_negative", [(0, 0), (2, 5), (6, 1)])
def test_the_point_estimate_maximises_the_likelihood(n_positive: int, n_negative: int) -> None:
    f1, f0 = np.array([0.05, 0.15, 0.3, 0.5]), np.array([0.6, 0.25, 0.1, 0.05])
    counts = np.array([30, 10, 6, 4])
    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    log_likelihood = (np.log(grid[:, None] * f1 + (1 - grid[:, None]) * f0) @ counts
                      + n_positive * np.log(grid) + n_negative * np.log1p(-grid))
    q = _maximum_likelihood(f1, f0, counts, n_positive, n_negative)
    assert q == pytest.approx(grid[np.argmax(log_likelihood)], abs=1e-5)


def test_with_no_coded_passage_the_share_is_the_maximum_likelihood_prevalence() -> None:
    # EM's fixed point: the mean of the re-weighted posteriors is the prevalence itself.
    f1, f0 = np.array([[0.05, 0.15, 0.3, 0.5]]), np.array([[0.6, 0.25, 0.1, 0.05]])
    counts = np.array([30, 10, 6, 4])
    share = share_draws(f1, f0, counts, 0, 0, np.random.default_rng(0))
    assert share[0] == pytest.approx(_maximum_likelihood(f1[0], f0[0], counts, 0, 0))


def test_a_fully_coded_group_is_its_coded_share() -> None:
    f1 = np.tile([0.2, 0.8], (101, 1))
    f0 = np.tile([0.8, 0.2], (101, 1))
    share = share_draws(f1, f0, np.array([0, 0]), 7, 13, np.random.default_rng(0))
    np.testing.assert_allclose(share, 7 / 20)


def test_draws_are_shares_of_the_group() -> None:
    rng = np.random.default_rng(0)
    f1 = np.tile([0.1, 0.3, 0.6], (501, 1))
    f0 = np.tile([0.7, 0.2, 0.1], (501, 1))
    share = share_draws(f1, f0, np.array([40, 15, 10]), 3, 2, rng)
    # Every draw is (coded positives + a whole number of positives) / 70.
    np.testing.assert_allclose(share[1:] * 70 % 1, 0, atol=1e-9)
    assert (share[1:] >= 3 / 70).all() and (share[1:] <= 68 / 70).all()
    assert np.quantile(share[1:], 0.025) < share[0] < np.quantile(share[1:], 0.975)


# -- in estimate_prevalence --------------------------------------------------------------------

def test_only_the_ranking_matters(target: pd.DataFrame, validation: pd.DataFrame) -> None:
    def distort(table: pd.DataFrame) -> pd.DataFrame:  # over-confident and shifted
        out = table.copy()
        for frame in FRAMES:
            logit = np.log(out[f"p_{frame}"] / (1 - out[f"p_{frame}"]))
            out[f"p_{frame}"] = 1 / (1 + np.exp(-(2.5 * logit - 1.0)))
        return out

    plain = quiet(passage_frames=target, by="outlet", validation=validation,
                  method="posterior", n_bootstrap=200)
    distorted = quiet(passage_frames=distort(target), by="outlet",
                      validation=distort(validation), method="posterior", n_bootstrap=200)
    pd.testing.assert_frame_equal(plain, distorted)
    pacc = quiet(passage_frames=distort(target), by="outlet",
                 validation=distort(validation), method="pacc", n_bootstrap=0)
    assert not np.allclose(pacc["estimate"], plain["estimate"])  # PACC's mean moves


def test_same_seed_same_table_other_seed_other_draws(target: pd.DataFrame,
                                                     validation: pd.DataFrame) -> None:
    def run(seed: int) -> pd.DataFrame:
        return quiet(passage_frames=target, by="outlet", validation=validation,
                     method="posterior", n_bootstrap=200, random_state=seed)

    pd.testing.assert_frame_equal(run(3), run(3))
    other = run(4)
    np.testing.assert_allclose(other["estimate"], run(3)["estimate"])   # the point is not random
    assert not np.allclose(other["ci_high"], run(3)["ci_high"])


def test_coded_passages_of_a_group_count_with_their_labels(target: pd.DataFrame,
                                                           validation: pd.DataFrame) -> None:
    labelled = make_passages(0, n_documents=160, prevalence=0.15, with_labels=True)
    coded_a = labelled[labelled["outlet"] == "A"]
    table = quiet(passage_frames=target, by="outlet",
                  validation=pd.concat([validation, coded_a]), method="posterior",
                  n_bootstrap=100).set_index(["outlet", "frame"])
    for frame in FRAMES:
        row = table.loc[("A", frame)]
        assert row["estimate"] == pytest.approx(coded_a[frame].mean())   # all of A is coded
        assert row["ci_low"] == pytest.approx(row["ci_high"])
        assert table.loc[("B", frame), "ci_high"] > table.loc[("B", frame), "ci_low"]


def test_no_bootstrap_gives_the_point_without_interval(target: pd.DataFrame,
                                                       validation: pd.DataFrame) -> None:
    table = quiet(passage_frames=target, by="outlet", validation=validation,
                  method="posterior", n_bootstrap=0)
    assert table["estimate"].between(0, 1).all()
    assert table[["ci_low", "ci_high"]].isna().all().all()


def test_posterior_is_the_default_and_the_recommended_method(
        target: pd.DataFrame, validation: pd.DataFrame) -> None:
    table = quiet(passage_frames=target, by="outlet", validation=validation, n_bootstrap=50)
    assert set(table["method"]) == {"posterior"} and table["is_recommended"].all()
    assert table.attrs["recommended_method"] == "posterior"
    assert table.attrs["recommendation_rule"] == RECOMMENDATION_RULE
    plain = quiet(passage_frames=target, by="outlet", method=["cc", "pcc"], n_bootstrap=20)
    assert set(plain.loc[plain["is_recommended"], "method"]) == {"pcc"}
    assert recommended_method(has_validation=True, has_probabilities=False) == "cc"
    differences = prevalence_differences(target, between="outlet", validation=validation,
                                         n_bootstrap=50, min_documents=1)
    assert differences["is_recommended"].all()


# -- shared passages ---------------------------------------------------------------------------

def test_shared_passages_warn_for_the_methods_that_read_their_predictions(
        target: pd.DataFrame, validation: pd.DataFrame) -> None:
    labelled = make_passages(0, n_documents=160, prevalence=0.15, with_labels=True)
    coded = labelled.sample(60, random_state=0)
    in_sample = target.copy()
    shared = in_sample["passage_id"].isin(coded["passage_id"])
    truth = labelled.set_index("passage_id").loc[in_sample["passage_id"], "skeptic"].to_numpy()
    in_sample.loc[shared, "p_skeptic"] = np.where(truth[shared.to_numpy()] == 1, 0.99, 0.01)
    both = pd.concat([validation, coded])
    with pytest.warns(SharedPassagesWarning,
                      match=r"^60 passages of passage_frames are also coded in validation "
                            r"\(first: '.+'\); for \d+ of them passage_frames' predictions "
                            r"differ .* and cc, pacc read them\. Use method='posterior'"):
        quiet(passage_frames=in_sample, by="outlet", validation=both,
              method=["cc", "pacc", "posterior"], n_bootstrap=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SharedPassagesWarning)   # posterior alone: no warning
        table = quiet(passage_frames=in_sample, by="outlet", validation=both,
                      method="posterior", n_bootstrap=20)
    # The same (out-of-fold) predictions in both tables: the cross-fitted design, no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", SharedPassagesWarning)
        quiet(passage_frames=target, by="outlet", validation=both, method=["cc", "pacc"],
              n_bootstrap=20)
    # The in-sample predictions of the coded passages are not used: only their labels.
    again = quiet(passage_frames=target, by="outlet", validation=both,
                  method="posterior", n_bootstrap=20)
    pd.testing.assert_frame_equal(table, again)
