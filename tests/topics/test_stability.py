"""Stability: Hungarian matching of topics across runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError, NotFittedError
from framing.topics import TopicModel, match_topics, topic_similarity, topic_stability
from tests.topics.conftest import FAST


def with_topics(model: TopicModel, topic_word: np.ndarray) -> TopicModel:
    """A copy of a fitted model carrying another topic-word matrix."""
    copy = TopicModel(**model.get_params())
    copy.__dict__.update({k: v for k, v in model.__dict__.items() if k.endswith("_")})
    copy.topic_word_ = topic_word
    copy.n_topics_ = len(topic_word)
    copy.labels_ = [f"topic_{k}" for k in range(len(topic_word))]
    return copy


@pytest.mark.parametrize("metric", ["cosine", "jensen_shannon"])
def test_similarity_by_hand(metric: str) -> None:
    a = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    same = topic_similarity(a, a, metric=metric)
    np.testing.assert_allclose(np.diag(same), 1.0)
    assert same[0, 1] == pytest.approx(0.0)
    half = topic_similarity(np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]]), metric=metric)[0, 0]
    # cosine: 0.5 / sqrt(0.5); JS distance of (1, 0) and (.5, .5) in bits: sqrt(0.3113)
    expected = np.sqrt(0.5) if metric == "cosine" else 1 - np.sqrt(
        0.5 * np.log2(1 / 0.75) + 0.5 * (0.5 * np.log2(0.5 / 0.75) + 0.5 * np.log2(2)))
    assert half == pytest.approx(expected)


def test_match_finds_a_permutation(tokens: pd.DataFrame) -> None:
    model = TopicModel(**FAST).fit(tokens)
    permuted = with_topics(model, model.topic_word_[[2, 0, 1]])
    matches = match_topics(model, permuted)
    assert matches["matched_topic"].tolist() == [1, 2, 0]
    np.testing.assert_allclose(matches["similarity"], 1.0)
    fewer = with_topics(model, model.topic_word_[[1, 0]])
    matches = match_topics(model, fewer)
    assert matches["matched_topic"].tolist() == [1, 0, -1]
    assert matches["similarity"].iloc[2] == 0.0


def test_vocabularies_are_aligned(tokens: pd.DataFrame) -> None:
    model = TopicModel(**FAST).fit(tokens)
    narrower = TopicModel(**FAST).fit(tokens.assign(
        tokens=[[w for w in words if w != "tank"] for words in tokens["tokens"]]))
    matches = match_topics(model, narrower)
    assert sorted(matches["matched_topic"]) == [0, 1, 2]
    assert (matches["similarity"] > 0.85).all()


def test_stability_over_seeds_separates_real_from_noise(tokens: pd.DataFrame) -> None:
    table = topic_stability(tokens, model=TopicModel(**FAST), seeds=[0, 1, 2])
    assert list(table.columns) == ["topic", "label", "top_words", "mean_similarity",
                                   "min_similarity", "n_runs", "metric"]
    assert table["n_runs"].tolist() == [2, 2, 2] and set(table["metric"]) == {"cosine"}
    # three planted word groups: every topic comes back in every run
    assert (table["min_similarity"] > 0.9).all()
    assert (table["mean_similarity"] >= table["min_similarity"]).all()
    # six topics for three groups: the split halves come and go with the seed
    split = topic_stability(tokens, model=TopicModel(**{**FAST, "n_topics": 6}),
                            seeds=[0, 1, 2])
    assert split["min_similarity"].min() < table["min_similarity"].min() - 0.1


def test_stability_from_fitted_models_and_labels(tokens: pd.DataFrame) -> None:
    runs = [TopicModel(**FAST, random_state=s).fit(tokens) for s in (3, 4)]
    runs[0].set_labels({1: "polls"})
    table = topic_stability(runs, metric="jensen_shannon")
    assert table["label"].tolist()[1] == "polls"
    assert set(table["metric"]) == {"jensen_shannon"} and table["n_runs"].tolist() == [1] * 3
    assert table["top_words"].str.split().map(len).tolist() == [10, 10, 10]
    assert table.to_csv() == topic_stability(runs, metric="jensen_shannon").to_csv()


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), [
    ("one", {}, InputError, r"at least two runs, got 1"),
    ("tokens", {"seeds": [0]}, InputError, r"at least two different seeds"),
    ("tokens", {"metric": "euclid"}, InputError, r"The 'metric' parameter of topic_stability"),
    ("unfitted", {}, NotFittedError, r"not fitted yet"),
])
def test_stability_errors(tokens: pd.DataFrame, args: str, kwargs: dict, error: type,
                          message: str) -> None:
    fitted = TopicModel(**FAST).fit(tokens)
    first = {"one": [fitted], "tokens": tokens, "unfitted": [fitted, TopicModel()]}[args]
    with pytest.raises(error, match=message):
        topic_stability(first, model=TopicModel(**FAST), **kwargs)
