"""Simulation: 95% intervals cover the truth, and the corrected methods remove CC's bias.

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
