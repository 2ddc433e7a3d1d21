"""Top words by probability, FREX and lift; representative documents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.topics import (
    TopicModel,
    frex_labels,
    frex_scores,
    lift_scores,
    representative_documents,
    top_words,
)
from tests.topics.conftest import FAST

# Two topics over four words, small enough to work out by hand.
BETA = np.array([[0.4, 0.3, 0.2, 0.1],
                 [0.1, 0.1, 0.2, 0.6]])
COUNTS = np.array([10, 20, 30, 40])


def test_frex_by_hand() -> None:
    # topic 0: frequency ranks 4,3,2,1 -> 1, .75, .5, .25; exclusivity .8, .75, .5, 1/7
    #          -> ranks 4,3,2,1 -> 1, .75, .5, .25: FREX equals the common rank.
    # topic 1: frequency .1, .1, .2, .6 -> ranks 1.5, 1.5, 3, 4 -> .375, .375, .75, 1;
    #          exclusivity .2, .25, .5, 6/7 -> ranks 1, 2, 3, 4 -> .25, .5, .75, 1.
    expected_1 = [1 / (0.5 / 0.375 + 0.5 / 0.25), 1 / (0.5 / 0.375 + 0.5 / 0.5), 0.75, 1.0]
    np.testing.assert_allclose(frex_scores(BETA, 0.5),
                               [[1.0, 0.75, 0.5, 0.25], expected_1])
    # the weight is on exclusivity, as stm's frexw: 1 is exclusivity only, 0 frequency only
    np.testing.assert_allclose(frex_scores(BETA, 1.0)[1], [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(frex_scores(BETA, 0.0)[1], [0.375, 0.375, 0.75, 1.0])
    # stm's exclusivity weight 0.7 on topic 1's first word: 1 / (.7 / .25 + .3 / .375)
    assert frex_scores(BETA, 0.7)[1, 0] == pytest.approx(1 / (0.7 / 0.25 + 0.3 / 0.375))


def test_lift_by_hand() -> None:
    # corpus shares .1, .2, .3, .4
    np.testing.assert_allclose(lift_scores(BETA, COUNTS),
                               [[4.0, 1.5, 2 / 3, 0.25], [1.0, 0.5, 2 / 3, 1.5]])


def fake_model() -> TopicModel:
    """A TopicModel carrying the hand-made matrix (its fitted state set directly)."""
    model = TopicModel(n_topics=2)
    model.n_topics_ = 2
    model.topic_word_ = BETA
    model.vocabulary_ = np.array(["alaska", "summit", "talks", "zelensky"])
    model.word_counts_ = COUNTS
    model.labels_ = ["summits", "ukraine"]
    model.id_column_ = "doc_id"
    return model


@pytest.mark.parametrize(("by", "words", "scores"), [
    ("prob", ["zelensky", "talks"], [0.6, 0.2]),
    ("frex", ["zelensky", "talks"], [1.0, 0.75]),
    ("lift", ["zelensky", "alaska"], [1.5, 1.0]),
])
def test_top_words_table(by: str, words: list[str], scores: list[float]) -> None:
    table = top_words(fake_model(), n=2, by=by)
    assert list(table.columns) == ["topic", "label", "rank", "word", "score"]
    assert table["topic"].tolist() == [0, 0, 1, 1]
    assert table["label"].tolist() == ["summits", "summits", "ukraine", "ukraine"]
    assert table["rank"].tolist() == [1, 2, 1, 2]
    topic_1 = table[table["topic"] == 1]
    assert topic_1["word"].tolist() == words
    np.testing.assert_allclose(topic_1["score"], scores)


def test_top_words_ties_break_by_word_and_n_is_capped() -> None:
    table = top_words(fake_model(), n=10, by="prob")
    assert table[table["topic"] == 1]["word"].tolist() == ["zelensky", "talks", "alaska",
                                                           "summit"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"by": "beta"}, r"The 'by' parameter of top_words must be one of"),
    ({"n": 0}, r"The 'n' parameter of top_words must be an int >= 1\. Got 0"),
    ({"frex_weight": 2.0}, r"The 'frex_weight' parameter of top_words"),
])
def test_top_words_bad_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        top_words(fake_model(), **kwargs)


def test_representative_documents(tokens: pd.DataFrame) -> None:
    model = TopicModel(**FAST).fit(tokens)
    model.set_labels({0: "first"})
    doc_topics = model.transform(tokens)
    texts = pd.DataFrame({"doc_id": tokens["doc_id"],
                          "text": [" ".join(t) for t in tokens["tokens"]]})
    best = representative_documents(model, doc_topics, texts, "first", n=4)
    assert list(best.columns) == ["rank", "doc_id", "topic", "label", "share", "text"]
    assert best["rank"].tolist() == [1, 2, 3, 4]
    assert best["share"].is_monotonic_decreasing
    expected = doc_topics.sort_values(["topic_0", "doc_id"], ascending=[False, True])
    assert best["doc_id"].tolist() == expected["doc_id"].head(4).tolist()
    assert best["text"].tolist() == texts.set_index("doc_id").loc[best["doc_id"], "text"].tolist()
    by_number = representative_documents(model, doc_topics, texts, 0, n=4)
    pd.testing.assert_frame_equal(best, by_number)


@pytest.mark.parametrize(("topic", "message"), [
    (5, r"unknown topic 5; topics are 0 to 2"),
    ("nope", r"unknown topic label 'nope'"),
])
def test_representative_documents_unknown_topic(tokens: pd.DataFrame, topic,
                                                message: str) -> None:
    model = TopicModel(**FAST).fit(tokens)
    with pytest.raises(InputError, match=message):
        representative_documents(model, model.transform(tokens), tokens, topic)


def test_representative_documents_repeated_text_keys(tokens: pd.DataFrame) -> None:
    model = TopicModel(**FAST).fit(tokens)
    texts = pd.concat([tokens, tokens])[["doc_id"]].assign(text="x")
    with pytest.raises(InputError, match=r"field 'doc_id': keys must be unique"):
        representative_documents(model, model.transform(tokens), texts, 0)


def test_frex_labels_read_as_words() -> None:
    tokens = pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)], "tokens": [
        ["according_to_people", "white_house", "table"] if i % 2 else
        ["war", "tank", "front_line"] for i in range(8)]})
    model = TopicModel(n_topics=2, min_df=1, n_iterations=50).fit(tokens)
    labels = frex_labels(model, 3)
    assert all("_" not in label for label in labels)
    assert {frozenset(label.split(", ")) for label in labels} == {
        frozenset({"according to people", "table", "white house"}),
        frozenset({"front line", "tank", "war"})}
    model.set_labels(labels)  # unique: accepted as they are
