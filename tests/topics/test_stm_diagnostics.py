"""stm's diagnostics: FREX (with James-Stein shrinkage), exclusivity, semantic coherence.

Checked by hand on small inputs, and against stm 1.3.7's own ``labelTopics`` output on
poliblog5k (its beta and corpus, in ../shared/data/poliblog5k_stm/stm_reference).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from framing.topics import frex_scores, lift_scores, semantic_coherence, stm_exclusivity
from framing.topics._words import _james_stein
from tests.conftest import shared_path

BETA = np.array([[0.4, 0.3, 0.2, 0.1],
                 [0.1, 0.1, 0.2, 0.6]])


def test_james_stein_by_hand() -> None:
    shares = BETA / BETA.sum(axis=0)  # columns: (.8,.2), (.75,.25), (.5,.5), (1/7,6/7)
    shrunk = _james_stein(shares, np.array([1, 11, 5, 3]))
    np.testing.assert_allclose(shrunk[:, 0], [0.5, 0.5])  # a count of 1: uniform
    # word 1: variance sum 2 * .75 * .25 / 10 = .0375, deviation 2 * .25^2 = .125
    weight = 0.0375 / 0.125
    np.testing.assert_allclose(shrunk[:, 1], weight * 0.5 + (1 - weight) * shares[:, 1])
    np.testing.assert_allclose(shrunk[:, 2], [0.5, 0.5])  # already uniform
    # word 3: variance 2 * (1/7)(6/7) / 2, deviation 2 * (5/14)^2 -> weight 0.48
    weight = (6 / 49) / (2 * (5 / 14) ** 2)
    np.testing.assert_allclose(shrunk[:, 3], weight * 0.5 + (1 - weight) * shares[:, 3])
    # word 1 seen twice: variance 2 * .75 * .25 / 1 = .375 > deviation .125 -> uniform
    np.testing.assert_allclose(_james_stein(shares, np.array([1, 2, 5, 3]))[:, 1], [0.5, 0.5])


def test_stm_exclusivity_by_hand() -> None:
    # topic 1's top two words by probability: word 3 (FREX 1) and word 2 (ranks .75, .75)
    assert stm_exclusivity(BETA, n_words=2)[1] == pytest.approx(1.0 + 0.75)
    # any n_words: the sum of the top words' FREX with weight 0.7 on exclusivity
    frex = frex_scores(BETA, 0.7)
    assert stm_exclusivity(BETA, n_words=3)[0] == pytest.approx(frex[0, :3].sum())


def test_semantic_coherence_by_hand() -> None:
    beta = np.array([[0.5, 0.4, 0.1], [0.1, 0.2, 0.7]])
    counts = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 3, 1]]))
    # documents per word: 2, 2, 1; word 0 with 1: 1 document; word 1 with 2: 1 document
    # topic 0: l = word 0 (met first), m = word 1: log(1.01) - log(2.01)
    # topic 1 (top words 2, 1): word 1 was met first (in topic 0), so l = word 1:
    # log(1.01) - log(2.01), not log(1.01) - log(1.01) as rank order would give
    expected = np.log(1.01) - np.log(2.01)
    np.testing.assert_allclose(semantic_coherence(beta, counts, n_words=2), [expected] * 2)
    # Mimno et al.'s +1 on the numerator only is not stm's; the smoothing is a parameter
    np.testing.assert_allclose(semantic_coherence(beta, counts.toarray(), n_words=2,
                                                  smoothing=1.0)[0], np.log(2 / 3))


def test_semantic_coherence_sums_every_pair() -> None:
    beta = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]])
    counts = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 1]])
    d = (counts > 0).astype(int)
    co = d.T @ d
    # topic 0's top three words 0, 1, 2 are met in that order
    expected = sum(np.log(0.01 + co[later, first]) - np.log(0.01 + co[first, first])
                   for later, first in [(1, 0), (2, 0), (2, 1)])
    assert semantic_coherence(beta, counts, n_words=3)[0] == pytest.approx(expected)


@pytest.fixture(scope="module")
def stm_reference() -> dict:
    folder = shared_path("poliblog5k_stm", "stm_reference")
    beta = pd.read_csv(folder / "stm_K20_beta.csv.gz").drop(columns="topic").to_numpy()
    vocabulary = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")[:beta.shape[1]]
    triplets = pd.read_csv(folder / "docterm.csv.gz")
    counts = np.bincount(triplets["term_index"], weights=triplets["count"],
                         minlength=beta.shape[1])
    labels = pd.read_csv(folder / "stm_K20_topic_labels.csv")
    return {"beta": beta, "vocabulary": np.array(vocabulary), "counts": counts,
            "labels": labels}


def _top(scores: np.ndarray, vocabulary: np.ndarray, n: int = 7) -> list[list[str]]:
    return [vocabulary[np.argsort(-row, kind="stable")[:n]].tolist() for row in scores]


def test_frex_words_are_stms_on_its_own_topics(stm_reference: dict) -> None:
    """labelTopics(fit, n=7)'s FREX words: weight 0.5, exclusivity shrunk by word counts."""
    ref = stm_reference
    expected = [words.split() for words in ref["labels"]["frex"]]
    ours = _top(frex_scores(ref["beta"], 0.5, word_counts=ref["counts"]), ref["vocabulary"])
    assert ours == expected  # all 20 topics, in order
    # without the shrinkage three topics' lists differ: the check can tell
    unshrunk = _top(frex_scores(ref["beta"], 0.5), ref["vocabulary"])
    assert sum(a != b for a, b in zip(unshrunk, expected, strict=True)) >= 1


def test_prob_and_lift_words_are_stms(stm_reference: dict) -> None:
    ref = stm_reference
    assert _top(ref["beta"], ref["vocabulary"]) == [w.split() for w in ref["labels"]["prob"]]
    # lift: the same seven words (three topics tie within the beta file's 12 digits)
    lift = _top(lift_scores(ref["beta"], ref["counts"]), ref["vocabulary"])
    assert [set(w) for w in lift] == [set(w.split()) for w in ref["labels"]["lift"]]
