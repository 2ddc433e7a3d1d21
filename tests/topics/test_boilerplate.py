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
    assert model.boilerplate_reasons_[flagged[0]].endswith(
        "of its tokens from C (which writes 44% of all tokens)")
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
                             doc_lengths=np.array([10, 10, 10]), sources=["X", "Y", "Z"])
    # topic 0: all from X, a third of the tokens (flagged); topic 1: half from Y, half from Z
    # (0.5 is not > 0.5)
    assert flags["boilerplate"].tolist() == [True, False]
    assert flags["source_share"].tolist() == [1.0, 0.5]
    assert flags["reason"][0] == "100% of its tokens from X (which writes 33% of all tokens)"
    assert boilerplate_word("manage_newsletters") and not boilerplate_word("news_conference")


def test_an_outlet_writing_most_of_the_corpus_does_not_flag_its_topics() -> None:
    """Two outlets of equal size: a topic 60% from one is news, not one outlet's furniture."""
    topic_word = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]]) + 0.01
    doc_topic = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.0, 1.0]])
    flags = flag_boilerplate(topic_word, ["a", "b", "c"], np.ones(3) * 5, doc_topic=doc_topic,
                             doc_lengths=np.full(4, 10), sources=["X", "X", "Y", "Y"])
    assert flags["source_share"].round(2).tolist() == [0.83, 0.77]
    assert not flags["boilerplate"].any()
    # the same topic 0 from an outlet of a fifth of the tokens is flagged
    more = flag_boilerplate(topic_word, ["a", "b", "c"], np.ones(3) * 5,
                            doc_topic=np.vstack([doc_topic, np.tile([0.0, 1.0], (6, 1))]),
                            doc_lengths=np.full(10, 10), sources=["X", "X", *"YYYYYYYY"])
    assert more["boilerplate"].tolist() == [True, False]


def test_show_marks_the_flagged_topics(tmp_path, capsys) -> None:
    from framing.cli import main

    model = fit(furnished_tokens(LINKS, ["C"]))
    model.save(tmp_path / "bundle")
    flagged = int(np.flatnonzero(model.boilerplate_)[0])
    assert main(["topics", "show", str(tmp_path / "bundle"), "--n", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = lines[1:5]
    assert [row.endswith("[boilerplate]") for row in rows] == [k == flagged for k in range(4)]
    assert lines[6] == "1 topic(s) flagged as boilerplate (page furniture, not news):"
    assert lines[7] == f"{flagged:>3}  100% of its tokens from C (which writes 44% of all tokens)"
