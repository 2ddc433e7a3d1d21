"""Document-term matrices as input: scipy sparse, gensim bag-of-words, stm's export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from framing.cli import main
from framing.corpus import InputError
from framing.topics import DocumentTerms, TopicModel, search_k, topic_stability
from framing.topics._dtm import word_order_known
from tests.conftest import shared_path
from tests.topics.conftest import FAST, make_tokens


def counts_of(tokens: pd.DataFrame) -> DocumentTerms:
    """The token table's counts as a DocumentTerms (what a researcher with a dfm holds)."""
    vocabulary = sorted({word for words in tokens["tokens"] for word in words})
    index = {word: j for j, word in enumerate(vocabulary)}
    matrix = sp.lil_matrix((len(tokens), len(vocabulary)), dtype=np.int64)
    for i, words in enumerate(tokens["tokens"]):
        for word in words:
            matrix[i, index[word]] += 1
    return DocumentTerms(matrix.tocsr(), vocabulary, tokens.drop(columns=["tokens"]))


def test_token_table_keeps_counts_and_metadata() -> None:
    tokens = make_tokens()
    table = counts_of(tokens).to_token_table()
    assert table.attrs["word_order"] == "unknown"
    assert sorted(table.columns) == sorted(tokens.columns)
    for ours, theirs in zip(table["tokens"], tokens["tokens"], strict=True):
        assert ours == sorted(theirs)
    empty = DocumentTerms(sp.csr_matrix([[0, 0], [1, 2]]), ["a", "b"]).to_token_table()
    assert empty["tokens"].tolist() == [[], ["a", "b", "b"]]
    assert empty["doc_id"].tolist() == ["d1", "d2"]


def test_fit_on_counts_is_the_fit_on_their_tokens() -> None:
    tokens = make_tokens()
    terms = counts_of(tokens)
    from_counts = TopicModel(**FAST, kind="dmr", covariates=("outlet",)).fit(terms)
    by_hand = TopicModel(**FAST, kind="dmr", covariates=("outlet",)).fit(
        terms.to_token_table())
    np.testing.assert_allclose(from_counts.doc_topic_, by_hand.doc_topic_)
    shares = from_counts.transform(terms)
    assert list(shares.columns[:6]) == ["doc_id", "outlet", "date", "section", "n_tokens",
                                        "topic_0"]
    assert len(shares) == len(tokens)


def test_gensim_corpus() -> None:
    from gensim.corpora import Dictionary

    tokens = make_tokens()
    dictionary = Dictionary(tokens["tokens"])
    bow = [dictionary.doc2bow(words) for words in tokens["tokens"]]
    terms = DocumentTerms.from_gensim(bow, dictionary, tokens[["doc_id", "outlet"]])
    assert terms.matrix.sum() == tokens["tokens"].map(len).sum()
    again = terms.to_token_table()
    for ours, theirs in zip(again["tokens"], tokens["tokens"], strict=True):
        assert sorted(ours) == sorted(theirs)
    with pytest.raises(InputError, match="row 2, field 'corpus'"):
        DocumentTerms.from_gensim([[(0, 1)], [(99, 1)]], dictionary)


def test_bad_matrices_are_named() -> None:
    with pytest.raises(InputError, match="2 columns but the vocabulary 3"):
        DocumentTerms(sp.csr_matrix([[1, 0]]), ["a", "b", "c"])
    with pytest.raises(InputError, match="row 2, field 'matrix'.*non-negative integers"):
        DocumentTerms(np.array([[1, 0], [0, -1]]), ["a", "b"])
    with pytest.raises(InputError, match="metadata has 1 rows but the matrix 2"):
        DocumentTerms(np.eye(2), ["a", "b"], pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="repeats 'a'"):
        DocumentTerms(np.eye(2), ["a", "a"])
    with pytest.raises(InputError, match="row 2, field 'term_index'.*outside 1..2"):
        DocumentTerms.from_triplets(pd.DataFrame({"doc_index": [1, 1], "term_index": [1, 3],
                                                  "count": [1, 1]}), ["a", "b"],
                                    one_based=True)


def test_search_k_skips_window_coherence_without_word_order() -> None:
    terms = counts_of(make_tokens())
    with pytest.warns(UserWarning, match="order in the texts is unknown"):
        runs = search_k(terms, ks=[3], seeds=[0], model=TopicModel(**FAST), n_words=4,
                        progress=False)
    assert runs[["c_npmi", "c_v"]].isna().all().all()
    assert np.isfinite(runs["semantic_coherence"]).all()
    # the same counts expanded by hand into a token table: sorted, so the same warning
    by_hand = terms.to_token_table()
    by_hand.attrs = {}
    assert not word_order_known(by_hand)
    with pytest.warns(UserWarning, match="order in the texts is unknown"):
        search_k(by_hand, ks=[3], seeds=[0], model=TopicModel(**FAST), n_words=4,
                 progress=False)
    # texts in their order keep every measure
    ordered = search_k(make_tokens(), ks=[3], seeds=[0], model=TopicModel(**FAST), n_words=4,
                       progress=False)
    assert ordered[["c_npmi", "c_v", "semantic_coherence"]].notna().all().all()


def test_topic_stability_on_counts() -> None:
    table = topic_stability(counts_of(make_tokens()), model=TopicModel(**FAST), seeds=[0, 1])
    assert len(table) == 3


def test_read_folders_and_cli(tmp_path: Path) -> None:
    tokens = make_tokens()
    terms = counts_of(tokens)
    folder = tmp_path / "dtm"
    folder.mkdir()
    sp.save_npz(folder / "matrix.npz", terms.matrix)
    (folder / "vocabulary.txt").write_text("\n".join(terms.vocabulary) + "\n")
    terms.metadata.to_parquet(folder / "metadata.parquet")
    again = DocumentTerms.read(folder)
    assert (again.matrix != terms.matrix).nnz == 0 and again.vocabulary == terms.vocabulary
    out = tmp_path / "bundle"
    assert main(["topics", "fit", "--doc-term", str(folder), "--k", "3", "--covariates",
                 "outlet", "--out", str(out), "--iterations", "60", "--min-df", "1"]) == 0
    assert TopicModel.load(out).doc_ids_.tolist() == tokens["doc_id"].tolist()
    with pytest.raises(InputError, match="no document-term files"):
        DocumentTerms.read(tmp_path)


def test_read_stms_export() -> None:
    """poliblog5k as stm's script exports it (0-based CSV) and in its Parquet form (1-based)."""
    csv = DocumentTerms.read(shared_path("poliblog5k_stm", "stm_reference"))
    parquet = DocumentTerms.read(shared_path("poliblog5k_stm"))
    for terms in (csv, parquet):
        assert terms.matrix.shape == (5000, 2632)
        assert int(terms.matrix.sum()) == 1_005_745
        assert {"rating", "day", "blog"} <= set(terms.metadata.columns)
    assert csv.vocabulary == parquet.vocabulary
    assert (csv.matrix != parquet.matrix).nnz == 0
    assert csv.metadata["rating"].tolist() == parquet.metadata["rating"].tolist()


def test_stms_job_on_the_command_line(tmp_path: Path) -> None:
    """poliblog5k as in stm's reference script: prevalence ~ rating + s(day), then effects.

    Held against stm 1.3.7's recorded estimateEffect (R is not available here): the rating
    intervals are as wide as stm's within the issue's factor 1.5.
    """
    folder = shared_path("poliblog5k_stm")
    reference = pd.read_csv(shared_path("poliblog5k_stm", "stm_reference",
                                        "stm_K20_estimateEffect_rating.csv"))
    bundle, out = tmp_path / "bundle", tmp_path / "effects.csv"
    assert main(["topics", "fit", "--doc-term", str(folder), "--k", "20", "--covariates",
                 "rating", "--numeric-covariates", "day", "--iterations", "20", "--min-df",
                 "1", "--out", str(bundle), "--quiet"]) == 0
    params = TopicModel.load(bundle).fit_params_
    assert params["numeric_covariates"] == ["day"] and params["covariates"] == ["rating"]
    assert main(["topics", "effects", str(bundle), "--doc-term", str(folder), "--formula",
                 "rating + s(day)", "--out", str(out)]) == 0
    effects = pd.read_csv(out)
    assert len(effects) == 20 * 12 and set(effects["n_documents"]) == {5000}
    rating = effects.query("term == 'rating[T.Liberal]'")
    assert len(rating) == 20 and effects["term"].str.startswith("s(day)[").sum() == 200
    np.testing.assert_allclose(rating["estimate"].sum(), 0.0, atol=1e-9)
    ours = (rating["ci_high"] - rating["ci_low"]).median()
    stms = (reference["ci_upper_95"] - reference["ci_lower_95"]).median()
    assert 1 / 1.5 < ours / stms < 1.5
