"""The sample corpus: estimated frame prevalence against the planted truth.

Design: the 2,018 planted Trump passages of original articles (``truth/passages.csv``, texts
cut from ``articles.jsonl``), cross-fitted: ``cross_validate_frames`` (5 folds grouped by
article) gives every passage a prediction from a classifier that never saw it, and those same
labelled out-of-fold predictions are the validation table the corrected methods learn their
error rates from. The target is the observed share of each role among the planted passages of
a cell (``truth/prevalence.csv`` ``share``), not the generating probability: we classify
exactly those passages, so the share is what a perfect classifier would count, while
``p_generating`` adds the binomial noise of drawing about 28 passages per outlet-month.

Measured (``FrameClassifier(features="tfidf", char_ngrams=False)``, seed 0, macro-F1 about
0.91; cells x 3 frames), MAE against the share:

=======================  =====  =====  =====  =====  =====
grouping (cells)         cc     pcc    acc    pacc   em
=======================  =====  =====  =====  =====  =====
outlet x month (72)      0.053  0.052  0.058  0.054  0.058
outlet x quarter (24)    0.042  0.034  0.039  0.035  0.037
outlet (6)               0.035  0.020  0.022  0.020  0.023
month (12)               0.033  0.023  0.023  0.022  0.025
=======================  =====  =====  =====  =====  =====

At outlet x month, every method's error is dominated by classification noise (about 28
passages per cell and several percent of them misclassified: a standard deviation near 0.05
that no aggregate correction removes), so the issue's 0.03 is out of reach there for any
estimator built on this classifier; the corrections pay off where cells are large enough for
CC's bias to show (per outlet and per month: about 0.02 against 0.035).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from framing.frames import FrameClassifier, cross_validate_frames
from framing.measure import ThinCellWarning, estimate_prevalence
from tests.conftest import SAMPLE, sample_truth_passages

FRAMES = ["peacemaker", "isolationist", "skeptic"]
METHODS = ["cc", "pcc", "acc", "pacc", "em"]


@pytest.fixture(scope="module")
def predictions() -> pd.DataFrame:
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].reset_index(drop=True)
    truth["passage_id"] = truth["doc_id"] + ":" + truth["paragraph_id"].astype(str)
    passages = truth[["passage_id", "doc_id", "outlet", "date", "text", *FRAMES]]
    model = FrameClassifier(features="tfidf", char_ngrams=False, random_state=0)
    return cross_validate_frames(model, passages, random_state=0)["predictions"]


def mean_errors(predictions: pd.DataFrame, by: list[str], period: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        table = estimate_prevalence(predictions, by=by, period=period, method=METHODS,
                                    validation=predictions, n_bootstrap=100)
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].copy()
    truth["period"] = pd.PeriodIndex(truth["month"], freq="M").asfreq(
        "Q" if period == "quarter" else "M").astype(str)
    gold = (truth.groupby(by)[FRAMES].mean().reset_index()
            .melt(id_vars=by, var_name="frame", value_name="share"))
    if "period" in by:
        table["period"] = table["period"].astype(str)
    merged = table[table["n_passages"] > 0].merge(gold, on=[*by, "frame"], validate="m:1")
    return (merged["estimate"] - merged["share"]).abs().groupby(merged["method"]).mean()


def test_monthly_share_matches_the_truth_file() -> None:
    """Our target is the file's ``share``: the same numbers from the passages."""
    shares = pd.read_csv(SAMPLE / "truth" / "prevalence.csv").dropna(subset=["share"])
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0]
    ours = truth.groupby(["outlet", "month"])[FRAMES].mean().stack()
    theirs = shares.set_index(["outlet", "month", "frame"])["share"]
    assert ours.loc[theirs.index].to_numpy() == pytest.approx(theirs.to_numpy(), abs=1e-4)


@pytest.mark.slow
def test_prevalence_error_on_the_sample(predictions: pd.DataFrame) -> None:
    for by in (["outlet"], ["period"]):
        errors = mean_errors(predictions, by, "month")
        for method in ("acc", "pacc", "em"):
            assert errors[method] <= 0.026, (by, method, errors[method])
            assert errors[method] < errors["cc"] - 0.007, (by, method)
    quarterly = mean_errors(predictions, ["outlet", "period"], "quarter")
    for method in ("acc", "pacc", "em"):
        assert quarterly[method] <= 0.04, (method, quarterly[method])
    monthly = mean_errors(predictions, ["outlet", "period"], "month")
    for method in ("acc", "pacc", "em"):
        # Above the 0.03: see the module docstring for why no estimator gets there.
        assert monthly[method] <= 0.06, (method, monthly[method])
