"""Planted topics of the bundled sample corpus are recovered (corpora/sample/truth)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from framing.corpus import import_corpus
from framing.text import tokenize_corpus
from framing.topics import TopicModel, topic_similarity
from tests.conftest import SAMPLE

K = 13  # the sample plants 13 main topics: 6 Ukraine sub-topics and 7 background topics


def matched_share(main: np.ndarray, planted: pd.Series) -> tuple[float, pd.Series]:
    """Share of rows whose main topic is its planted topic after Hungarian matching."""
    counts = pd.crosstab(pd.Series(main, name="topic"), planted.reset_index(drop=True))
    rows, cols = linear_sum_assignment(-counts.to_numpy())
    mapping = {counts.columns[c]: counts.index[r] for r, c in zip(rows, cols, strict=True)}
    hit = pd.Series(main == planted.map(mapping).to_numpy(), index=planted.index)
    return float(hit.mean()), hit


def planted_topic_words(tokens: pd.DataFrame, planted: pd.Series,
                        vocabulary: np.ndarray) -> np.ndarray:
    """Each planted topic's word distribution, counted in the articles it is the main topic of."""
    position = {word: i for i, word in enumerate(vocabulary.tolist())}
    topics = sorted(planted.unique())
    matrix = np.zeros((len(topics), len(vocabulary)))
    for row, topic in enumerate(topics):
        for words in tokens.loc[planted.to_numpy() == topic, "tokens"]:
            for word in words:
                if word in position:
                    matrix[row, position[word]] += 1
    return matrix / matrix.sum(axis=1, keepdims=True)


def matched_similarity(topic_word: np.ndarray, planted_words: np.ndarray) -> float:
    """Mean cosine of planted and model topics after Hungarian matching."""
    similarity = topic_similarity(planted_words, topic_word)
    rows, cols = linear_sum_assignment(-similarity)
    return float(similarity[rows, cols].mean())


@pytest.fixture(scope="module")
def sample_tokens(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    if not (SAMPLE / "articles.jsonl").exists():
        pytest.skip(f"sample corpus not available: {SAMPLE}")
    out: Path = tmp_path_factory.mktemp("sample") / "store"
    store = import_corpus(SAMPLE / "articles.jsonl", out, progress=False,
                          outlet_aliases=SAMPLE / "outlet_aliases.csv")
    return tokenize_corpus(store)


@pytest.mark.slow
def test_planted_main_topics_are_recovered(sample_tokens: pd.DataFrame) -> None:
    truth = pd.read_csv(SAMPLE / "truth" / "documents.csv", usecols=["doc_id", "main_topic",
                                                                    "is_ukraine"])
    # eta=0.1 rather than tomotopy's 0.01: with ~110 words an article, a flatter topic-word
    # prior keeps the six Ukraine sub-topics (which share a layer of Ukraine vocabulary)
    # apart; measured 0.70 -> 0.81-0.87 over seeds 0-2 at the same 100 sweeps.
    model = TopicModel(n_topics=K, eta=0.1, n_iterations=100, burn_in=20,
                       n_infer_iterations=50)
    table = model.fit(sample_tokens).transform(sample_tokens)
    table = table.merge(truth, on="doc_id", how="left", validate="one_to_one")
    main = table[[f"topic_{k}" for k in range(K)]].to_numpy().argmax(axis=1)
    share, hit = matched_share(main, table["main_topic"])
    background = hit[table["is_ukraine"] == 0].mean()
    planted = planted_topic_words(sample_tokens, table["main_topic"], model.vocabulary_)
    similarity = matched_similarity(model.topic_word_, planted)
    # Measured (tomotopy 0.14.0, seed 0): 0.812 of documents overall (seeds 1, 2: 0.841,
    # 0.865), 0.883 on background topics (sports and economy share a topic), 0.760 on the
    # Ukraine ones; matched cosine to the planted topics' word distributions 0.924 (0.904
    # with eta=0.01).
    assert share >= 0.78
    assert background >= 0.85
    assert similarity >= 0.88
    # The thresholds fail a model without topics: random shares score about 0.15, and a
    # model's topics shuffled across words match the planted words far worse.
    random = np.random.default_rng(0).dirichlet(np.ones(K), size=len(table)).argmax(axis=1)
    assert matched_share(random, table["main_topic"])[0] < 0.3
    shuffled = np.random.default_rng(0).permuted(model.topic_word_, axis=1)
    assert matched_similarity(shuffled, planted) < 0.3
