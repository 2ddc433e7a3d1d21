"""The real-data frame protocols of benchmarks/frames_real.py: their data, folds and floors.

The floors are the figures measured with ``python -m benchmarks.frames_real`` (see its table in
the issue's closing note), rounded down; each test skips when ../shared/data lacks the set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from benchmarks import frames_real
from framing.frames import load_codebook
from tests.conftest import shared_path


def test_generated_codebook_names_the_frames_and_loads() -> None:
    path = frames_real.codebook_for("bench", ["political", "crime_and_punishment"])
    codebook = load_codebook(path)
    assert codebook.frame_names == ("political", "crime_and_punishment")
    assert codebook.none_label == "none"


def test_iterative_stratification_spreads_every_label() -> None:
    rng = np.random.default_rng(0)
    Y = (rng.random((400, 6)) < [0.5, 0.3, 0.1, 0.05, 0.04, 0.6]).astype(int)
    folds = frames_real.iterative_stratified_folds(Y, 5, seed=0)
    every = np.sort(np.concatenate(folds))
    assert np.array_equal(every, np.arange(len(Y)))  # a partition
    per_fold = np.array([Y[test].sum(axis=0) for test in folds])
    # Each label's positives differ by at most 1 between folds (plain KFold does not do that).
    assert (per_fold.max(axis=0) - per_fold.min(axis=0)).max() <= 1
    assert max(map(len, folds)) - min(map(len, folds)) <= 2
    assert folds[0].tolist() != frames_real.iterative_stratified_folds(Y, 5, seed=1)[0].tolist()


def test_semeval2025_passages_cover_every_mention() -> None:
    shared_path("semeval2025_t10_entity_framing")
    passages, fine = frames_real.semeval2025_passages()
    assert len(passages) == 686
    assert len(fine) == 22
    assert passages["main_role"].value_counts().to_dict() == {
        "antagonist": 477, "protagonist": 130, "innocent": 79}
    assert passages["peacemaker"].sum() == 18
    assert (passages[["protagonist", "antagonist", "innocent"]].sum(axis=1) == 1).all()
    first = passages.iloc[0]
    assert first["text"].split(": ")[0] and first["fine_roles"]


def test_newsmtsc_passages_follow_the_splits() -> None:
    shared_path("newsmtsc")
    train = frames_real.newsmtsc_passages("train")
    assert len(train) == 8739
    assert train["unfavourable"].sum() == 3316 and train["favourable"].sum() == 2395
    assert not (train["favourable"] & train["unfavourable"]).any()
    assert len(frames_real.newsmtsc_passages("devtest_rw")) == 1146


@pytest.mark.slow
def test_frac_protocol_meets_the_measured_floor() -> None:
    shared_path("frac_sentence_frames")
    table = pd.DataFrame(frames_real.run_frac(["tfidf"], frames_real.CACHE))
    score = table.set_index(["method", "metric"])["score"]
    model = "FrameClassifier tfidf"
    # Measured: macro-F1 0.561 / accuracy 0.589 (10 labels); majority accuracy 0.187.
    assert score[(model, "macro-F1 (10 labels)")] >= 0.55
    assert score[(model, "accuracy (10 labels)")] >= 0.58
    assert score[("majority class", "accuracy (10 labels)")] == pytest.approx(0.187, abs=0.002)


@pytest.mark.slow
def test_newsmtsc_tone_codebook_meets_the_measured_floor() -> None:
    shared_path("newsmtsc")
    table = pd.DataFrame(frames_real.run_newsmtsc(["tfidf"], frames_real.CACHE))
    table["split"] = table["protocol"].str.extract(r"\[(\w+)\]$")[0]
    score = table.set_index(["method", "split"])["score"]
    model = "FrameClassifier tfidf (actor_tone codebook)"
    # Measured: macro-F1 0.577 (devtest_rw) and 0.528 (devtest_mt); majority 0.182 / 0.164.
    assert score[(model, "devtest_rw")] >= 0.57
    assert score[(model, "devtest_mt")] >= 0.52
    assert score[(model, "devtest_rw")] > score[("majority class", "devtest_rw")] + 0.3


def test_semeval2023_articles_keep_every_frame_and_paragraph() -> None:
    shared_path("semeval2023_t3_frames")
    passages, frames = frames_real.semeval2023_articles()
    assert len(passages) == 433 and len(frames) == 14
    # The counts DATASET.md gives: Political 235, ..., Public_opinion 23.
    assert passages["political"].sum() == 235 and passages["public_opinion"].sum() == 23
    assert passages[frames].sum(axis=1).between(1, 8).all()
    first = passages.iloc[0]
    assert first["text"].startswith(first["paragraphs"][0] + "\n\n")
    assert all(p in first["text"] for p in first["paragraphs"])
    sample, _ = frames_real.semeval2023_articles(100, random_state=1)
    assert len(sample) == 100 and sample["doc_id"].isin(passages["doc_id"]).all()
    assert sample["doc_id"].tolist() != frames_real.semeval2023_articles(100)[0][
        "doc_id"].tolist()


@pytest.mark.slow
def test_semeval2023_protocol_on_a_subset_beats_the_majority() -> None:
    shared_path("semeval2023_t3_frames")
    table = pd.DataFrame(frames_real.run_semeval2023(["tfidf"], frames_real.CACHE,
                                                     repeats=1, n_articles=100))
    score = table.set_index(["method", "metric"])["score"]
    model, majority = ("FrameClassifier tfidf",
                       "majority per frame (frames on >= half the articles)")
    assert set(table["method"]) == {model, majority, f"{model}, micro-F1 thresholds",
                                    "official baseline recipe (1-2-gram counts + linear SVM)"}
    # Measured on these 100 articles: micro-F1 0.599 vs 0.408, macro-F1 0.404 vs 0.106 for
    # calling the two commonest frames everywhere (official baseline recipe 0.593 / 0.345).
    for metric, margin in (("micro-F1 (14 frames)", 0.1), ("macro-F1 (14 frames)", 0.2)):
        assert 0 <= score[(majority, metric)] < score[(model, metric)] - margin
        assert score[(model, metric)] <= 1


@pytest.mark.slow
def test_semeval2025_main_role_decision_beats_argmax() -> None:
    shared_path("semeval2025_t10_entity_framing")
    passages, _ = frames_real.semeval2025_passages()
    folds = list(GroupKFold(5).split(passages, groups=passages["doc_id"]))
    decided, offsets = frames_real.main_role_decisions(passages, folds, "tfidf",
                                                       frames_real.CACHE)
    gold = passages["main_role"].to_numpy()
    macro = {m: f1_score(gold, p, average="macro") for m, p in decided.items()}
    # argmax collapses to the majority (antagonist, 477 of 686); the tuned decision does not.
    # Measured: macro-F1 0.273 (argmax = majority), 0.428 prior_ratio, 0.445 tuned.
    assert (decided["argmax"] == "antagonist").mean() > 0.95
    assert (decided["tuned"] != "antagonist").sum() > 50
    assert macro["tuned"] > macro["argmax"] + 0.1
    assert len(offsets) == 5 and all(o[1] == 0.0 for o in offsets)  # antagonist: reference
