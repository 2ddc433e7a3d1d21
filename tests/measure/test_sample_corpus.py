"""The sample corpus: estimated frame prevalence against the planted truth.

Design: the 2,018 planted Trump passages of original articles (``truth/passages.csv``, texts
cut from ``articles.jsonl``), cross-fitted: ``cross_validate_frames`` (5 folds grouped by
article) gives every passage a prediction from a classifier that never saw it, and those same
labelled out-of-fold predictions are the validation table the corrected methods learn their
error rates from. The target is the observed share of each role among the planted passages of
a cell (``truth/prevalence.csv`` ``share``), not the generating probability: we classify
exactly those passages, so the share is what a perfect classifier would count, while
``p_generating`` adds the binomial noise of drawing about 28 passages per outlet-month.

Measured (``FrameClassifier(features="tfidf", char_ngrams=False)``, seed 0, C=10, macro-F1
0.961; cells x 3 frames), MAE against the share (at C=1, macro-F1 0.908, in brackets):

=======================  =============  =============  =============  =============  =============
grouping (cells)         cc             pcc            acc            pacc           em
=======================  =============  =============  =============  =============  =============
outlet x month (72)      0.031 (0.053)  0.032 (0.052)  0.036 (0.058)  0.034 (0.054)  0.038 (0.058)
outlet x quarter (24)    0.024 (0.041)  0.020 (0.034)  0.020 (0.038)  0.020 (0.034)  0.023 (0.037)
outlet (6)               0.018 (0.035)  0.011 (0.020)  0.009 (0.022)  0.010 (0.020)  0.012 (0.023)
month (12)               0.019 (0.032)  0.013 (0.023)  0.016 (0.023)  0.016 (0.022)  0.019 (0.025)
=======================  =============  =============  =============  =============  =============

At outlet x month, every method's error is dominated by classification noise (about 28
passages per cell, a few of them misclassified, and, for the corrected methods, the variance of
dividing by the error rates), and by what the text allows: an oracle that knows the generator
still errs by 0.022 there (:func:`oracle_error`). The issue's 0.03 is not reached by the
corrected methods per outlet x month (0.034-0.038); the corrections pay off where cells are
large enough for CC's bias to show (per outlet: about 0.01 against 0.018).
"""

from __future__ import annotations

import warnings

import numpy as np
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


def oracle_error(by: list[str]) -> float:
    """MAE of the best any estimator can do from the text: an oracle that knows the generator.

    Outside ambiguous passages the generator's roles are readable (a cue, a paraphrase, an
    outlet's wording, a quotation, or a negated cue for an absent role), so the oracle knows
    them. In an ambiguous passage (13%) a weak cue is said for every role present *and*,
    sometimes, for one absent; from the text alone the best guess for a role with a weak cue
    is P(present | ambiguous, weak cue), its rate over the corpus. The oracle's estimate of a
    cell is the mean of these probabilities (PCC with perfect calibration).
    """
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].copy()
    ambiguous = truth["is_ambiguous"].to_numpy() == 1
    parts = truth["expression"].str.split(";")
    errors = []
    for frame in FRAMES:
        weak = parts.apply(lambda modes, f=frame: any(
            m in (f"{f}:weak", f"{f}:weak_absent") for m in modes)).to_numpy()
        guessed = ambiguous & weak
        oracle = np.where(guessed, truth.loc[guessed, frame].mean(), truth[frame])
        cell = (truth.assign(error=oracle - truth[frame]).groupby(by)["error"].mean())
        errors.append(cell.abs())
    return float(pd.concat(errors).mean())


def test_what_the_text_allows() -> None:
    """The floor under any estimator per outlet x month, and that the issue's 0.03 is above it."""
    floor = oracle_error(["outlet", "month"])
    assert 0.015 < floor < 0.03, floor          # measured 0.022
    assert oracle_error(["outlet"]) < 0.01


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
    by_outlet = mean_errors(predictions, ["outlet"], "month")
    for method in ("acc", "pacc", "em"):
        assert by_outlet[method] <= 0.014, (method, by_outlet[method])
    for method in ("acc", "pacc"):
        assert by_outlet[method] < by_outlet["cc"] - 0.006, method
    by_month = mean_errors(predictions, ["period"], "month")
    for method in ("pcc", "acc", "pacc", "em"):
        assert by_month[method] <= 0.021, (method, by_month[method])
    quarterly = mean_errors(predictions, ["outlet", "period"], "quarter")
    for method in ("acc", "pacc", "em"):
        assert quarterly[method] <= 0.026, (method, quarterly[method])
    monthly = mean_errors(predictions, ["outlet", "period"], "month")
    for method in ("acc", "pacc", "em"):
        # Above the 0.03 (measured 0.034-0.038): the module docstring says why.
        assert monthly[method] <= 0.04, (method, monthly[method])
