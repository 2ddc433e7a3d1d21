"""Choosing K: search_k's table, its determinism, and the quality measures behind it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.topics import (
    TopicModel,
    coherence_scores,
    exclusivity_scores,
    frex_means,
    search_k,
    summarize_k_search,
)
from framing.topics._quality import completion_log_likelihood, split_for_completion
from framing.topics._search import SEARCH_COLUMNS, SEARCH_METRICS
from tests.topics.conftest import FAST, make_tokens

TEMPLATE = TopicModel(**{**FAST, "n_topics": 2})


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return search_k(make_tokens(), ks=[2, 3, 6], seeds=[0, 1], model=TEMPLATE,
                    holdout_share=0.2, progress=False)


def test_table_columns_and_grid(runs: pd.DataFrame) -> None:
    assert list(runs.columns) == SEARCH_COLUMNS
    assert runs[["k", "seed"]].values.tolist() == [[2, 0], [2, 1], [3, 0], [3, 1], [6, 0],
                                                   [6, 1]]
    assert (runs["n_heldout_documents"] == 12).all() and (runs["n_train_documents"] == 48).all()
    # every held-out document has 23 tokens: 11 observed, 12 scored
    assert (runs["n_heldout_words"] == 12 * 12).all()
    np.testing.assert_allclose(runs["heldout_perplexity"], np.exp(-runs["heldout_ll_per_word"]))
    assert runs["c_v"].between(0, 1).all() and runs["c_npmi"].between(-1, 1).all()
    assert runs["exclusivity"].between(0, 1).all() and runs["frex"].between(0, 1).all()


def test_three_planted_groups_prefer_k_three(runs: pd.DataFrame) -> None:
    # The fixture draws words from three groups: K=3 predicts held-out words better than
    # K=2, and its topics are more coherent; K=6 splits groups, so they are less exclusive.
    mean = runs.groupby("k")[["heldout_ll_per_word", "c_v", "exclusivity"]].mean()
    assert mean.loc[3, "heldout_ll_per_word"] > mean.loc[2, "heldout_ll_per_word"] + 0.1
    assert mean.loc[3, "c_v"] > mean.loc[2, "c_v"]
    assert mean.loc[6, "exclusivity"] < mean.loc[3, "exclusivity"]


def test_same_seed_same_bytes_other_seed_differs(runs: pd.DataFrame) -> None:
    again = search_k(make_tokens(), ks=[2, 3, 6], seeds=[0, 1], model=TEMPLATE,
                     holdout_share=0.2, progress=False)
    assert again.to_csv().encode() == runs.to_csv().encode()
    other = search_k(make_tokens(), ks=[2, 3, 6], seeds=[0, 1], model=TEMPLATE,
                     holdout_share=0.2, progress=False, random_state=5)
    assert not np.allclose(other["heldout_ll_per_word"], runs["heldout_ll_per_word"])
    # seeds of the fits differ from each other too
    assert runs.loc[runs["k"] == 6, "heldout_ll_per_word"].nunique() == 2


def test_template_is_not_changed() -> None:
    template = TopicModel(**FAST)
    search_k(make_tokens(), ks=[2], seeds=[4], model=template, progress=False)
    assert template.n_topics == 3 and template.random_state == 0
    assert not hasattr(template, "topic_word_")


def test_summary_mean_and_spread(runs: pd.DataFrame) -> None:
    summary = summarize_k_search(runs)
    assert list(summary.columns) == ["k", "metric", "mean", "std", "min", "max", "n_seeds"]
    assert len(summary) == 3 * len(SEARCH_METRICS)
    assert summary["metric"].tolist()[:len(SEARCH_METRICS)] == SEARCH_METRICS
    row = summary[(summary["k"] == 3) & (summary["metric"] == "c_v")].iloc[0]
    values = runs.loc[runs["k"] == 3, "c_v"]
    assert row["mean"] == pytest.approx(values.mean())
    assert row["std"] == pytest.approx(values.std())
    assert (row["min"], row["max"], row["n_seeds"]) == (values.min(), values.max(), 2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"ks": [1, 3]}, r"The 'ks' parameter of search_k must be a non-empty list of int >= 2"),
    ({"ks": []}, r"The 'ks' parameter of search_k must be a non-empty list"),
    ({"ks": 3}, r"The 'ks' parameter of search_k must be a list of int"),
    ({"ks": [3, 3]}, r"The 'ks' parameter of search_k has repeated values"),
    ({"ks": [3], "seeds": [-1]}, r"The 'seeds' parameter .* int >= 0"),
    ({"ks": [3], "holdout_share": 0.0}, r"'holdout_share' parameter of search_k .* \(0\.0, 0\.9\]"),
    ({"ks": [3], "model": "lda"}, r"The 'model' parameter of search_k must be an instance of"),
])
def test_bad_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        search_k(make_tokens(), progress=False, **kwargs)


def test_missing_tokens_column() -> None:
    with pytest.raises(InputError, match=r"field 'tokens': the table has no 'tokens'"):
        search_k(make_tokens().drop(columns=["tokens"]), ks=[2], progress=False)


def test_split_for_completion_halves() -> None:
    tokens = make_tokens(20)
    train, observed, scored = split_for_completion(tokens, holdout_share=0.25, random_state=0)
    assert len(train) == 15 and len(observed) == len(scored) == 5
    assert set(train["doc_id"]).isdisjoint(observed["doc_id"])
    assert observed["doc_id"].tolist() == scored["doc_id"].tolist()
    for seen, hidden, full in zip(observed["tokens"], scored["tokens"],
                                  tokens.set_index("doc_id").loc[observed["doc_id"], "tokens"],
                                  strict=True):
        assert sorted(seen + hidden) == sorted(full) and len(seen) == len(full) // 2
    assert observed["outlet"].tolist() == tokens.set_index("doc_id").loc[
        observed["doc_id"], "outlet"].tolist()


def test_completion_log_likelihood_by_hand() -> None:
    model = TopicModel(**FAST).fit(make_tokens())
    observed = make_tokens(3).assign(tokens=[["tank"], ["poll"], ["unseen"]])
    scored = observed.assign(tokens=[["drone", "unseen"], ["ballot"], ["rate"]])
    total, n_words = completion_log_likelihood(model, observed, scored)
    shares = model.transform(observed)[["topic_0", "topic_1", "topic_2"]].to_numpy()
    index = {w: i for i, w in enumerate(model.vocabulary_)}
    expected = sum(np.log(shares[row] @ model.topic_word_[:, index[word]])
                   for row, word in [(0, "drone"), (1, "ballot"), (2, "rate")])
    assert n_words == 3 and total == pytest.approx(expected)


def test_exclusivity_and_frex_by_hand() -> None:
    beta = np.array([[0.6, 0.3, 0.1], [0.1, 0.3, 0.6]])
    # topic 0's top two words: exclusivity .6/.7 and .3/.6
    np.testing.assert_allclose(exclusivity_scores(beta, n_words=2), [(6 / 7 + 0.5) / 2] * 2)
    assert frex_means(beta, n_words=1).tolist() == [1.0, 1.0]
    assert frex_means(beta, n_words=3)[0] < 1.0


def test_coherence_of_separated_topics_beats_mixed_ones() -> None:
    tokens = make_tokens()
    model = TopicModel(**FAST).fit(tokens)
    good = coherence_scores(model, tokens["tokens"].tolist(), n_words=5)
    mixed = TopicModel(**FAST)
    mixed.__dict__.update(model.__dict__)
    mixed.topic_word_ = np.random.default_rng(0).permuted(model.topic_word_, axis=1)
    bad = coherence_scores(mixed, tokens["tokens"].tolist(), n_words=5)
    assert set(good) == {"c_npmi", "c_v"} and good["c_npmi"].shape == (3,)
    assert good["c_npmi"].mean() > bad["c_npmi"].mean() + 0.1
    assert good["c_v"].mean() > bad["c_v"].mean()
