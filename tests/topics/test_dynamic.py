"""DynamicTopicModel: topics over periods, seeded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError, NotFittedError
from framing.topics import DynamicTopicModel, topic_similarity
from tests.topics.conftest import make_tokens

FAST = {"n_topics": 3, "period": "year", "n_iterations": 100, "n_infer_iterations": 30,
        "min_df": 1}


@pytest.fixture(scope="module")
def tokens() -> pd.DataFrame:
    return make_tokens(180)  # every 5 days from 2025-01-01: 2025, 2026, 2027


@pytest.fixture(scope="module")
def model(tokens: pd.DataFrame) -> DynamicTopicModel:
    return DynamicTopicModel(**FAST).fit(tokens)


def test_fitted_state(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    assert model.periods_ == ["2025", "2026", "2027"]
    assert model.n_documents_by_period_ == [73, 73, 34]
    assert model.topic_word_.shape == (3, 3, 24)
    np.testing.assert_allclose(model.topic_word_.sum(axis=2), 1.0)
    assert model.doc_topic_.shape == (180, 3)
    assert model.model_id_.startswith("dtm-") and not any(
        name.endswith("_") for name in vars(DynamicTopicModel()))


def test_topics_keep_their_identity_over_periods(model: DynamicTopicModel,
                                                 tokens: pd.DataFrame) -> None:
    # the three planted word groups are three topics...
    crosstab = pd.crosstab(tokens["section"], model.doc_topic_.argmax(axis=1))
    assert crosstab.shape == (3, 3) and (crosstab.max(axis=1) >= 55).all()
    # ...and a topic's words stay close to its own words of the period before
    for t in range(len(model.periods_) - 1):
        cosine = topic_similarity(model.topic_word_[t], model.topic_word_[t + 1])
        assert (cosine.argmax(axis=1) == [0, 1, 2]).all()
        assert (np.diag(cosine) > 0.9).all()


def test_transform_and_determinism(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    table = model.transform(tokens)
    assert list(table.columns) == ["doc_id", "outlet", "date", "section", "n_tokens", "period",
                                   "topic_0", "topic_1", "topic_2", "model_id"]
    np.testing.assert_allclose(table[["topic_0", "topic_1", "topic_2"]].sum(axis=1), 1.0)
    again = DynamicTopicModel(**FAST).fit(tokens).transform(tokens)
    assert again.to_csv().encode() == table.to_csv().encode()
    other = DynamicTopicModel(**FAST, random_state=1).fit(tokens)
    assert not np.allclose(other.topic_word_, model.topic_word_)
    words = model.top_words_by_period(n=4)
    assert words.to_csv() == DynamicTopicModel(**FAST).fit(tokens).top_words_by_period(
        n=4).to_csv()


def test_top_words_and_trajectories(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    words = model.top_words_by_period(n=4)
    assert list(words.columns) == ["period", "topic", "label", "rank", "word", "probability"]
    assert len(words) == 3 * 3 * 4
    assert words["period"].unique().tolist() == model.periods_
    first = words[(words["period"] == "2025") & (words["topic"] == 0)]
    assert first["probability"].is_monotonic_decreasing
    paths = model.word_trajectories(["tank", "ballot"])
    assert len(paths) == 3 * 3 * 2
    value = paths[(paths["period"] == "2027") & (paths["topic"] == 1) & (
        paths["word"] == "tank")]["probability"].item()
    index = model.vocabulary_.tolist().index("tank")
    assert value == model.topic_word_[2, 1, index]
    # probabilities follow the topic's own group: "tank" is a war word
    war = model.doc_topic_[tokens["section"].to_numpy() == "war"].mean(axis=0).argmax()
    assert (model.topic_word_[:, war, index] > 0.08).all()
    with pytest.raises(InputError, match=r"not in the model's vocabulary: \['peace'\]"):
        model.word_trajectories(["peace"])


def test_labels_travel(tokens: pd.DataFrame) -> None:
    model = DynamicTopicModel(**FAST).fit(tokens).set_labels({1: "polls"})
    assert model.top_words_by_period(n=1)["label"].tolist()[:3] == ["topic_0", "polls",
                                                                    "topic_2"]
    assert model.transform(tokens.iloc[:3]).attrs["topic_labels"][1] == "polls"


def test_errors(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"field 'date': period\(s\) \['2030'\] are not"):
        model.transform(tokens.iloc[:2].assign(date=pd.Timestamp("2030-02-01")))
    with pytest.raises(NotFittedError, match=r"not fitted yet.*'transform'"):
        DynamicTopicModel().transform(tokens)
    with pytest.raises(InputError, match=r"The 'period' parameter of DynamicTopicModel"):
        DynamicTopicModel(period="week").fit(tokens)
    with pytest.raises(InputError, match=r"The 'phi_var' parameter .* float > 0"):
        DynamicTopicModel(phi_var=0.0).fit(tokens)
    with pytest.raises(InputError, match=r"field 'date'"):
        DynamicTopicModel(**FAST).fit(tokens.drop(columns=["date"]))
