"""Simulation: 95% intervals cover the truth, and the corrected methods remove CC's bias.

(The second half holds the issue-18 design: the posterior method on groups of 65 passages.)

200 seeded replications of the design of ``benchmarks/prevalence_coverage.py`` (which runs more,
and records the tables): a labelled validation set at the training prevalence 0.5 (150 articles
of 2 passages), a target at 0.2 (200 articles of 2 passages), labels correlated within
articles, a classifier calibrated on the training distribution (tpr 0.84, fpr 0.16).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from benchmarks.prevalence_coverage import run_groups, summarize_groups
from framing.measure import ThinCellWarning, estimate_prevalence

METHODS = ["cc", "pcc", "acc", "pacc", "em"]
TRAIN, TARGET = 0.5, 0.2


def simulate(rng: np.random.Generator, prevalence: float, n_documents: int,
             prefix: str) -> pd.DataFrame:
    propensity = rng.beta(prevalence * 4, (1 - prevalence) * 4, size=n_documents)
    doc = np.repeat(np.arange(n_documents), 2)
    labels = (rng.random(doc.size) < propensity[doc]).astype(int)
    score = rng.normal(np.where(labels == 1, 1.0, -1.0), 1.0)
    probability = 1 / (1 + np.exp(-(np.log(TRAIN / (1 - TRAIN)) + 2 * score)))
    return pd.DataFrame({"doc_id": [f"{prefix}{d}" for d in doc], "group": "all",
                         "frame": labels, "p_frame": probability,
                         "is_frame": (probability >= 0.5).astype(int)})


@pytest.fixture(scope="module")
def replications() -> pd.DataFrame:
    rows = []
    for r, child in enumerate(np.random.SeedSequence(2025).spawn(200)):
        rng = np.random.default_rng(child)
        validation = simulate(rng, TRAIN, 150, "v")
        target = simulate(rng, TARGET, 200, "t")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ThinCellWarning)
            table = estimate_prevalence(target.drop(columns="frame"), by="group",
                                        method=METHODS, validation=validation,
                                        n_bootstrap=400, random_state=r)
        rows.append(table.assign(replication=r))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.slow
def test_coverage_of_the_95_percent_intervals(replications: pd.DataFrame) -> None:
    covered = (replications["ci_low"] <= TARGET) & (TARGET <= replications["ci_high"])
    coverage = covered.groupby(replications["method"]).mean()
    for method in ("acc", "pacc", "em"):
        assert 0.92 <= coverage[method] <= 0.98, (method, coverage[method])
    assert coverage["cc"] < 0.5        # CC's interval is about the wrong number


@pytest.mark.slow
def test_corrected_methods_are_unbiased_under_prior_shift(replications: pd.DataFrame) -> None:
    bias = (replications["estimate"] - TARGET).groupby(replications["method"]).mean()
    assert bias["cc"] > 0.08           # CC: 0.2 * 0.84 + 0.8 * 0.16 = 0.296 in expectation
    for method in ("acc", "pacc", "em"):
        assert abs(bias[method]) <= 0.02, (method, bias[method])


# -- issue 18: groups of 65 passages, what a paper reports ------------------------------------
# 120 seeded replications of ``benchmarks/prevalence_coverage.py --design groups`` (five groups
# of 65 passages at prevalences 0.05-0.4, a validation set of 300 passages at 6-16% positives),
# the posterior method alone with 200 draws: 600 intervals per setting, so a coverage of 0.95
# is measured to +-0.009 (one standard error) and 0.92 or 0.98 are three of them away.

@pytest.fixture(scope="module", params=[(0.95, 0.0), (0.85, 0.2)],
                ids=["auc0.95-none-coded", "auc0.85-20pct-coded"])
def groups(request: pytest.FixtureRequest) -> tuple[float, float, pd.DataFrame]:
    auc, coded = request.param
    results = run_groups(120, auc=auc, coded=coded, methods=("posterior",), n_bootstrap=200,
                         seed=18)
    return auc, coded, results


@pytest.mark.slow
def test_posterior_intervals_cover_the_share_of_groups_of_65_passages(
        groups: tuple[float, float, pd.DataFrame]) -> None:
    auc, coded, results = groups
    summary = summarize_groups(results).loc["posterior"]
    covered = (results["ci_low"] <= results["share"]) & (results["share"] <= results["ci_high"])
    assert 0.92 <= covered.mean() <= 0.98, (auc, coded, covered.mean())
    assert (summary["coverage"] >= 0.88).all(), summary        # no prevalence left behind
    assert summary["bias"].abs().max() <= 0.03, summary


@pytest.mark.slow
def test_posterior_intervals_are_informative_where_the_classifier_is_decent(
        groups: tuple[float, float, pd.DataFrame]) -> None:
    auc, coded, results = groups
    width = summarize_groups(results).loc["posterior", "width"]
    if auc == 0.95:     # no coded passage in the groups: at every prevalence up to 0.4
        assert (width <= 0.25).all(), width
    else:               # AUC 0.85 with 13 of the 65 passages coded: up to prevalence 0.3
        assert (width.loc[:0.3] <= 0.25).all(), width
