"""topic_frame_table: which topics carry which frames, per outlet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.measure import topic_frame_table


@pytest.fixture
def frames() -> pd.DataFrame:
    return pd.DataFrame({
        "passage_id": ["a:0", "a:1", "b:0", "c:0"], "doc_id": ["a", "a", "b", "c"],
        "outlet": ["X", "X", "X", "Y"],
        "p_peacemaker": [0.8, 0.6, 0.2, 0.5], "is_peacemaker": [1, 1, 0, 1],
        "p_skeptic": [0.1, 0.3, 0.9, 0.5], "is_skeptic": [0, 0, 1, 0]})


@pytest.fixture
def doc_topics() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
                         "topic_0": [0.75, 0.25, 1.0], "topic_1": [0.25, 0.75, 0.0]})


def test_proportion_weighting_by_hand(frames: pd.DataFrame, doc_topics: pd.DataFrame) -> None:
    table = topic_frame_table(doc_topics, frames).set_index(["outlet", "topic", "frame"])
    # Outlet X: passages a:0, a:1 (topic_0 0.75) and b:0 (topic_0 0.25).
    expected = (0.75 * 0.8 + 0.75 * 0.6 + 0.25 * 0.2) / (0.75 + 0.75 + 0.25)
    assert table.loc[("X", "topic_0", "peacemaker"), "estimate"] == pytest.approx(expected)
    assert table.loc[("X", "topic_0", "peacemaker"), "weight"] == pytest.approx(1.75)
    assert table.loc[("X", "topic_1", "skeptic"), "estimate"] == pytest.approx(
        (0.25 * 0.1 + 0.25 * 0.3 + 0.75 * 0.9) / 1.25)
    assert table.loc[("X", "topic_1", "skeptic"), "lift"] == pytest.approx(
        table.loc[("X", "topic_1", "skeptic"), "estimate"] / np.mean([0.1, 0.3, 0.9]))
    assert np.isnan(table.loc[("Y", "topic_1", "peacemaker"), "estimate"])   # no weight there
    assert len(table) == 2 * 2 * 2


def test_main_topic_with_decisions_and_passage_topics(frames: pd.DataFrame) -> None:
    passage_topics = pd.DataFrame({"passage_id": ["a:0", "a:1", "b:0", "c:0"],
                                   "topic_0": [0.9, 0.2, 0.4, 0.6],
                                   "topic_1": [0.1, 0.8, 0.6, 0.4]})
    table = topic_frame_table(passage_topics, frames, by=None, weighting="main_topic",
                              use="decision").set_index(["topic", "frame"])
    # Main topic 0: a:0 and c:0 (both peacemaker); main topic 1: a:1, b:0 (one skeptic).
    assert table.loc[("topic_0", "peacemaker"), "estimate"] == 1.0
    assert table.loc[("topic_1", "skeptic"), "estimate"] == 0.5
    assert table.loc[("topic_1", "skeptic"), "weight"] == 2
    assert set(table["n_passages"]) == {4}


@pytest.mark.parametrize(("topics", "kwargs", "message"), [
    (pd.DataFrame({"doc_id": ["a"], "share": [1.0]}), {}, r"no topic_<k> columns"),
    (pd.DataFrame({"article": ["a"], "topic_0": [1.0]}), {}, r"share no 'passage_id' or"),
    (pd.DataFrame({"doc_id": ["a", "b"], "topic_0": [1.0, 1.0]}), {},
     r"1 passages have no topics \(first: doc_id='c'\)"),
    (pd.DataFrame({"doc_id": ["a", "a"], "topic_0": [1.0, 1.0]}), {}, r"more than once"),
    (pd.DataFrame({"doc_id": ["a"], "topic_0": [1.0]}), {"by": "section"}, r"no 'section'"),
    (pd.DataFrame({"doc_id": ["a"], "topic_0": [1.0]}), {"weighting": "max"},
     r"The 'weighting' parameter"),
])
def test_bad_input(frames: pd.DataFrame, topics: pd.DataFrame, kwargs: dict,
                   message: str) -> None:
    with pytest.raises(InputError, match=message):
        topic_frame_table(topics, frames, **kwargs)


def test_labels_and_numeric_topic_order(frames: pd.DataFrame) -> None:
    topics = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    for k in (10, 2, 0):   # columns out of order, and topic_10 after topic_2 as numbers
        topics[f"topic_{k}"] = [1.0, 0.0, 0.0] if k == 0 else [0.0, 0.5, 0.5]
    topics.attrs["topic_labels"] = [f"name {k}" for k in range(11)]
    table = topic_frame_table(topics, frames, by=None)
    assert list(table["topic"].unique()) == ["topic_0", "topic_2", "topic_10"]
    assert list(table["label"].unique()) == ["name 0", "name 2", "name 10"]
    unlabelled = topics.copy()
    unlabelled.attrs = {}
    assert "label" not in topic_frame_table(unlabelled, frames, by=None).columns
