"""Planted topics of the bundled sample corpus are recovered (corpora/sample/truth)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from framing.corpus import import_corpus
from framing.text import tokenize_corpus
from framing.topics import TopicModel
from tests.conftest import SAMPLE

K = 13  # the sample plants 13 main topics: 6 Ukraine sub-topics and 7 background topics


def matched_share(main: np.ndarray, planted: pd.Series) -> tuple[float, pd.Series]:
    """Share of rows whose main topic is its planted topic after Hungarian matching."""
    counts = pd.crosstab(pd.Series(main, name="topic"), planted.reset_index(drop=True))
    rows, cols = linear_sum_assignment(-counts.to_numpy())
    mapping = {counts.columns[c]: counts.index[r] for r, c in zip(rows, cols, strict=True)}
    hit = pd.Series(main == planted.map(mapping).to_numpy(), index=planted.index)
    return float(hit.mean()), hit


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
    model = TopicModel(n_topics=K, n_iterations=100, burn_in=20, n_infer_iterations=50)
    table = model.fit(sample_tokens).transform(sample_tokens)
    table = table.merge(truth, on="doc_id", how="left", validate="one_to_one")
    main = table[[f"topic_{k}" for k in range(K)]].to_numpy().argmax(axis=1)
    share, hit = matched_share(main, table["main_topic"])
    background = hit[table["is_ukraine"] == 0].mean()
    # Measured (tomotopy 0.14.0, seed 0): 0.700 overall, 0.883 on background topics (sports
    # and economy share a topic). The six Ukraine sub-topics share a layer of Ukraine
    # vocabulary, so they are the hard part.
    assert share >= 0.55
    assert background >= 0.75
    # The thresholds fail a model without topics: random shares score about 0.15.
    random = np.random.default_rng(0).dirichlet(np.ones(K), size=len(table)).argmax(axis=1)
    assert matched_share(random, table["main_topic"])[0] < 0.3
