"""ColdStartScorer: provisional scores from the codebook alone, labelled as provisional."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from framing.corpus import InputError, NotFittedError
from framing.frames import ColdStartScorer, embeddings_available
from framing.frames._metrics import ranking_auc
from tests.conftest import sample_truth_passages

ROLES = ("peacemaker", "isolationist", "skeptic")
PASSAGES = pd.DataFrame({
    "passage_id": ["a:0", "b:0", "c:0", "d:0"], "outlet": ["X", "Y", "X", "Z"],
    "text": ["Trump pressed Putin and Zelensky to sign a ceasefire and end the war.",
             "Trump said Europe should pay for Ukraine's defence and no US troops would go.",
             "Trump doubted that Kyiv could win and questioned the billions in aid.",
             "The weather in Geneva was cold on Tuesday."]},
    index=[10, 11, 12, 13])


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    """600 planted sample passages (every 3rd one after dropping copies), for speed."""
    table = sample_truth_passages()
    return table[table["is_duplicate"] == 0].iloc[::3].reset_index(drop=True)


FEATURES = ["tfidf", pytest.param("embeddings", marks=pytest.mark.skipif(
    not embeddings_available(), reason="the framing[embeddings] extra is not installed"))]


@pytest.mark.parametrize("features", FEATURES)
def test_output_is_labelled_provisional_and_keeps_metadata(features, embedding_cache) -> None:
    scorer = ColdStartScorer(features=features, embedding_cache=embedding_cache).fit(PASSAGES)
    table = scorer.transform(PASSAGES)
    assert table.index.equals(PASSAGES.index)
    assert list(table.columns) == ["passage_id", "outlet", *[f"provisional_{r}" for r in ROLES],
                                   "provisional", "cold_start_features"]
    assert table["provisional"].all() and scorer.provisional_ is True
    assert (table["cold_start_features"] == features).all()
    scores = table[[f"provisional_{r}" for r in ROLES]].to_numpy()
    # Each passage's own role on top; MiniLM puts the burden-sharing passage (b) nearer the
    # skeptic prototype than the isolationist one, so only TF-IDF gets all three.
    rows = [0, 1, 2] if features == "tfidf" else [0, 2]
    assert [int(scores[i].argmax()) for i in rows] == rows
    assert (scores[3] < scores[:3].min(axis=0)).all()  # the weather is far from every frame


@pytest.mark.parametrize("features", FEATURES)
def test_cold_start_ranks_the_planted_roles(truth, features, embedding_cache) -> None:
    """Definition + examples, no annotation: ROC AUC on 673 sample passages (no seed involved).

    Measured: TF-IDF 0.599 / 0.672 / 0.604 (peacemaker / isolationist / skeptic); MiniLM
    embeddings 0.718 / 0.701 / 0.671. Floors sit 0.03 below.
    """
    floors = {"tfidf": (0.57, 0.64, 0.57), "embeddings": (0.69, 0.67, 0.64)}[features]
    scores = ColdStartScorer(features=features, embedding_cache=embedding_cache).fit(
        truth).score(truth)
    aucs = [ranking_auc(truth[r].to_numpy(), scores[:, k]) for k, r in enumerate(ROLES)]
    assert all(auc > floor for auc, floor in zip(aucs, floors, strict=True)), aucs


def test_definition_only_and_negative_weight_change_the_scores() -> None:
    full = ColdStartScorer(features="tfidf").fit(PASSAGES).score(PASSAGES)
    definition = ColdStartScorer(features="tfidf", use_examples=False).fit(PASSAGES)
    assert not np.allclose(definition.score(PASSAGES), full)
    assert not definition.contrasts_.any()  # no examples: no negative prototype
    plain = ColdStartScorer(features="tfidf", negative_weight=0.0).fit(PASSAGES)
    assert (plain.score(PASSAGES) >= full - 1e-12).all()  # subtracting only lowers scores


def test_rank_puts_each_frame_s_best_candidates_first() -> None:
    scorer = ColdStartScorer(features="tfidf").fit(PASSAGES)
    ranked = scorer.rank(PASSAGES)
    assert ranked["annotation_rank"].tolist() == [1, 2, 3, 4]
    assert ranked["passage_id"].iloc[-1] == "d:0"
    assert ranked["provisional_priority"].is_monotonic_decreasing
    by_frame = scorer.rank(PASSAGES, frame="isolationist")
    assert by_frame["passage_id"].iloc[0] == "b:0"
    with pytest.raises(InputError, match=r"unknown frame 'hawk'"):
        scorer.rank(PASSAGES, frame="hawk")


def test_errors_and_estimator_contract() -> None:
    with pytest.raises(NotFittedError, match=r"ColdStartScorer .* not fitted yet"):
        ColdStartScorer().transform(PASSAGES)
    with pytest.raises(InputError, match=r"The 'negative_weight' parameter of ColdStartScorer "
                                         r"must be a float in the range \[0, 1\]\. Got 2"):
        ColdStartScorer(negative_weight=2.0).fit()
    scorer = ColdStartScorer(features="tfidf").fit(PASSAGES)
    with pytest.raises(InputError, match=r"already has a 'provisional' column"):
        scorer.transform(PASSAGES.assign(provisional=1))
    assert clone(scorer).get_params() == scorer.get_params()
    again = ColdStartScorer(features="tfidf").fit(PASSAGES).fit(PASSAGES)
    np.testing.assert_array_equal(again.score(PASSAGES), scorer.score(PASSAGES))


def test_works_without_passages_at_fit() -> None:
    scorer = ColdStartScorer(features="tfidf").fit()
    table = scorer.transform(PASSAGES)
    assert table["provisional_peacemaker"].iloc[0] > table["provisional_peacemaker"].iloc[3]


@pytest.mark.skipif(not embeddings_available(),
                    reason="the framing[embeddings] extra is not installed")
def test_auto_uses_embeddings_when_the_extra_is_installed(embedding_cache) -> None:
    """``features="auto"`` resolves to "both" for the classifier; cold start has one vector
    per text, so auto must mean embeddings (it used to fall through to TF-IDF)."""
    auto = ColdStartScorer(features="auto", embedding_cache=embedding_cache).fit(PASSAGES)
    embedded = ColdStartScorer(features="embeddings",
                               embedding_cache=embedding_cache).fit(PASSAGES)
    assert auto.features_used_ == "embeddings"
    np.testing.assert_allclose(auto.score(PASSAGES), embedded.score(PASSAGES))
    assert (auto.transform(PASSAGES)["cold_start_features"] == "embeddings").all()


def test_auto_without_the_extra_falls_back_to_tfidf_with_a_warning(monkeypatch) -> None:
    import framing.frames._classifier as classifier_module
    from framing.frames import EmbeddingsUnavailableWarning

    monkeypatch.setattr(classifier_module, "embeddings_available", lambda: False)
    with pytest.warns(EmbeddingsUnavailableWarning, match="embeddings extra is not installed"):
        scorer = ColdStartScorer(features="auto").fit(PASSAGES)
    assert scorer.features_used_ == "tfidf"
    np.testing.assert_allclose(scorer.score(PASSAGES),
                               ColdStartScorer(features="tfidf").fit(PASSAGES).score(PASSAGES))
