"""The sample corpus: estimated frame prevalence against the planted truth.

Design: the 2,018 planted Trump passages of original articles (``truth/passages.csv``, texts
cut from ``articles.jsonl``), cross-fitted: ``cross_validate_frames`` (5 folds grouped by
article) gives every passage a prediction from a classifier that never saw it, and those same
labelled out-of-fold predictions are the validation table the corrected methods learn their
error rates from. The target is the observed share of each role among the planted passages of
a cell (``truth/prevalence.csv`` ``share``), not the generating probability: we classify
exactly those passages, so the share is what a perfect classifier would count, while
``p_generating`` adds the binomial noise of drawing about 28 passages per outlet-month.

Measured with the default classifier (``FrameClassifier(features="both")``: word and character
TF-IDF, lexicon scores and MiniLM embeddings; seed 0; macro-F1 0.966; cells x 3 frames), MAE
against the share, and in brackets with TF-IDF alone (``features="tfidf"``, the embeddings
extra absent):

=====================  =============  =============  =============  =============  =============
grouping (cells)       cc             pcc            acc            pacc           em
=====================  =============  =============  =============  =============  =============
outlet x month (72)    0.024 (0.026)  0.026 (0.027)  0.029 (0.031)  0.029 (0.029)  0.029 (0.029)
outlet x quarter (24)  0.018 (0.022)  0.016 (0.017)  0.017 (0.017)  0.017 (0.017)  0.018 (0.018)
outlet (6)             0.013 (0.016)  0.008 (0.009)  0.006 (0.007)  0.007 (0.007)  0.008 (0.008)
month (12)             0.017 (0.018)  0.010 (0.012)  0.013 (0.015)  0.014 (0.014)  0.014 (0.015)
=====================  =============  =============  =============  =============  =============

Seeds 1 and 2 (folds and models) give, per outlet x month, ACC 0.032 / 0.031, PACC 0.028 /
0.030, EM 0.028 / 0.030. At outlet x month every method's error is dominated by what the text
allows and by classification noise (about 28 passages per cell, a few of them misclassified):
an oracle that knows the generator still errs by 0.022 there (:func:`oracle_error`), and
ACC, which counts hard decisions, by 0.029 even when fed the oracle's decisions
(:func:`oracle_predictions`): ACC sits at its own floor, PACC and EM, which count
probabilities, a little above theirs. The corrections pay off where cells are large enough
for CC's bias to show (per outlet: 0.006-0.008 against 0.013).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from framing.frames import FrameClassifier, cross_validate_frames, embeddings_available
from framing.measure import ThinCellWarning, estimate_prevalence
from tests.conftest import SAMPLE, sample_truth_passages

FRAMES = ["peacemaker", "isolationist", "skeptic"]
METHODS = ["cc", "pcc", "acc", "pacc", "em"]
needs_embeddings = pytest.mark.skipif(
    not embeddings_available(), reason="the issue's 0.03 per outlet x month is met with the "
    "default features, which need the framing[embeddings] extra (not installed)")


@pytest.fixture(scope="module")
def predictions() -> pd.DataFrame:
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].reset_index(drop=True)
    truth["passage_id"] = truth["doc_id"] + ":" + truth["paragraph_id"].astype(str)
    passages = truth[["passage_id", "doc_id", "outlet", "date", "text", *FRAMES]]
    model = FrameClassifier(features="both", random_state=0)
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


def oracle_guesses(truth: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per frame, the oracle's probability of each planted passage and where it had to guess.

    Outside ambiguous passages the generator's roles are readable (a cue, a paraphrase, an
    outlet's wording, a quotation, or a negated cue for an absent role), so the oracle knows
    them. In an ambiguous passage (13%) a weak cue is said for every role present *and*,
    sometimes, for one absent; from the text alone the best guess for a role with a weak cue
    is P(present | ambiguous, weak cue), its rate over ``truth``.
    """
    ambiguous = truth["is_ambiguous"].to_numpy() == 1
    parts = truth["expression"].str.split(";")
    guesses = {}
    for frame in FRAMES:
        weak = parts.apply(lambda modes, f=frame: any(
            m in (f"{f}:weak", f"{f}:weak_absent") for m in modes)).to_numpy()
        guessed = ambiguous & weak
        present = truth[frame].to_numpy()
        guesses[frame] = (np.where(guessed, present[guessed].mean(), present), guessed)
    return guesses


def oracle_error(by: list[str]) -> float:
    """MAE of the best any estimator can do from the text: an oracle that knows the generator.

    The oracle's estimate of a cell is the mean of its probabilities (:func:`oracle_guesses`):
    PCC with perfect calibration.
    """
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].copy()
    errors = []
    for frame, (oracle, _) in oracle_guesses(truth).items():
        cell = (truth.assign(error=oracle - truth[frame]).groupby(by)["error"].mean())
        errors.append(cell.abs())
    return float(pd.concat(errors).mean())


def oracle_predictions(predictions: pd.DataFrame) -> pd.DataFrame:
    """``predictions`` with the oracle's probabilities and decisions in place of the model's.

    The oracle of :func:`oracle_error`; where it guesses (about 0.7), its decision is
    "present". Its out-of-fold table is itself, as for the model.
    """
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].copy()
    truth.index = truth["doc_id"] + ":" + truth["paragraph_id"].astype(str)
    truth = truth.loc[predictions["passage_id"]]
    oracle = predictions.copy()
    for frame, (probability, guessed) in oracle_guesses(truth).items():
        oracle[f"p_{frame}"] = probability
        oracle[f"is_{frame}"] = np.where(guessed, 1, truth[frame].to_numpy())
    return oracle


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
@needs_embeddings
def test_oracle_decisions_set_a_floor_under_acc(predictions: pd.DataFrame) -> None:
    """Fed the oracle's decisions, ACC errs by 0.029 per outlet x month, PACC and EM by ~0.02."""
    oracle = mean_errors(oracle_predictions(predictions), ["outlet", "period"], "month")
    assert 0.026 < oracle["acc"] < 0.031, oracle["acc"]           # measured 0.0287
    assert oracle["pacc"] < 0.024 and oracle["em"] < 0.024, oracle  # 0.0214, 0.0192
    assert oracle["pcc"] == pytest.approx(oracle_error(["outlet", "month"]), abs=1e-9)


@pytest.mark.slow
@needs_embeddings
def test_prevalence_error_on_the_sample(predictions: pd.DataFrame) -> None:
    by_outlet = mean_errors(predictions, ["outlet"], "month")
    for method in ("acc", "pacc", "em"):
        assert by_outlet[method] <= 0.009, (method, by_outlet[method])
        assert by_outlet[method] < by_outlet["cc"] - 0.004, method
    by_month = mean_errors(predictions, ["period"], "month")
    for method in ("pcc", "acc", "pacc", "em"):
        assert by_month[method] <= 0.016, (method, by_month[method])
    quarterly = mean_errors(predictions, ["outlet", "period"], "quarter")
    for method in ("acc", "pacc", "em"):
        assert quarterly[method] <= 0.02, (method, quarterly[method])
    monthly = mean_errors(predictions, ["outlet", "period"], "month")
    for method in ("acc", "pacc", "em"):
        assert monthly[method] <= 0.03, (method, monthly[method])  # the bound
