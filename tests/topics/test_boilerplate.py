"""Boilerplate topics: flagged by one source or by boilerplate words, kept in bundles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.topics import TopicModel, flag_boilerplate
from framing.topics._boilerplate import boilerplate_word
from tests.topics.conftest import FAST, WORDS

FURNITURE = ["newsletter", "subscribe", "copyright", "inbox", "reprint", "cookies", "app",
             "podcast"]
LINKS = ["balk", "veterans", "tobacco", "panel", "advances", "morning", "overnight", "hill"]


def furnished_tokens(extra: list[str], outlets: list[str], seed: int = 3) -> pd.DataFrame:
    """Three news word groups from outlets A to D, plus a fourth group of ``extra`` words."""
    rng = np.random.default_rng(seed)
    groups = [*WORDS.values(), extra]
    rows = []
    for i in range(80):
        group = i % 4
        outlet = (outlets if group == 3 else ["A", "B", "C", "D"])[(i // 4) % (
            len(outlets) if group == 3 else 4)]
        rows.append({"doc_id": f"d{i:03d}", "outlet": outlet,
                     "tokens": [str(t) for t in rng.choice(groups[group], size=25)]})
    return pd.DataFrame(rows)


def fit(table: pd.DataFrame) -> TopicModel:
    return TopicModel(**{**FAST, "n_topics": 4, "n_iterations": 150}).fit(table)


def test_a_topic_one_outlet_writes_is_flagged() -> None:
    model = fit(furnished_tokens(LINKS, ["C"]))
    flagged = np.flatnonzero(model.boilerplate_)
    assert len(flagged) == 1
    top = model.vocabulary_[np.argsort(-model.topic_word_[flagged[0]])[:3]]
    assert set(top) <= set(LINKS)
    assert model.boilerplate_reasons_[flagged[0]].endswith("of its tokens from C")
    assert all(reason == "" for k, reason in enumerate(model.boilerplate_reasons_)
               if k != flagged[0])


def test_without_an_outlet_column_links_are_not_flagged_but_blurbs_are() -> None:
    links = fit(furnished_tokens(LINKS, ["C"]).drop(columns=["outlet"]))
    assert not links.boilerplate_.any()
    # page furniture from every outlet: no single source, caught by its words
    blurbs = fit(furnished_tokens(FURNITURE, ["A", "B", "C", "D"]))
    flagged = np.flatnonzero(blurbs.boilerplate_)
    assert len(flagged) == 1
    assert blurbs.boilerplate_reasons_[flagged[0]].startswith("boilerplate words: ")
    top = blurbs.vocabulary_[np.argsort(-blurbs.topic_word_[flagged[0]])[:3]]
    assert set(top) <= set(FURNITURE)


def test_flags_survive_a_bundle(tmp_path) -> None:
    model = fit(furnished_tokens(LINKS, ["C"]))
    loaded = TopicModel.load(model.save(tmp_path / "bundle"))
    np.testing.assert_array_equal(loaded.boilerplate_, model.boilerplate_)
    assert loaded.boilerplate_reasons_ == model.boilerplate_reasons_


def test_the_share_threshold_and_phrase_parts() -> None:
    topic_word = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]]) + 0.01
    doc_topic = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    flags = flag_boilerplate(topic_word, ["a", "b", "c"], np.ones(3) * 5, doc_topic=doc_topic,
                             doc_lengths=np.array([10, 10, 10]), sources=["X", "X", "Y"])
    # topic 0: all from X (flagged); topic 1: half from X, half from Y (0.5 is not > 0.5)
    assert flags["boilerplate"].tolist() == [True, False]
    assert flags["source_share"].tolist() == [1.0, 0.5]
    assert boilerplate_word("manage_newsletters") and not boilerplate_word("news_conference")
