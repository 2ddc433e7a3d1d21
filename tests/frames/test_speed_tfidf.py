"""FastTfidfVectorizer: the same TF-IDF matrix as scikit-learn's, to the last bit, faster."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from framing.frames import FrameClassifier, _tfidf
from framing.frames._tfidf import FastTfidfVectorizer
from tests.conftest import sample_truth_passages

ODD = ["", "   ", "a", "I am", "Trump\u2019s  deal\t\tin\nKyiv", "x_y 3rd 42 a1 __init__",
       "\u0130stanbul \u0131 STRASSE stra\u00dfe \u212a", "na\u00efve caf\u00e9 r\u00e9sum\u00e9",
       "\x1cfile\x1dsep\x1e\x1funit", "\u00a0non\u2003breaking\u3000spaces",
       "word " * 50, "supercalifragilisticexpialidocious", "\u4e2d\u6587 \u0420\u0443\u0441",
       "U.S. troops; cease-fire -- peace deal!"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return sample_truth_passages()["text"].tolist()


def _same(fast: sparse.spmatrix, slow: sparse.spmatrix) -> None:
    assert type(fast) is type(slow) and fast.shape == slow.shape and fast.dtype == slow.dtype
    np.testing.assert_array_equal(fast.indptr, slow.indptr)
    np.testing.assert_array_equal(fast.indices, slow.indices)
    np.testing.assert_array_equal(fast.data, slow.data)  # exactly, not approximately


SETUPS = [
    {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True},          # the classifier's word
    {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 2, "sublinear_tf": True},  # char
    {"ngram_range": (1, 3), "min_df": 1},
    {"ngram_range": (2, 2), "dtype": np.float32, "norm": "l1"},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "use_idf": False},
    {"analyzer": "char_wb", "ngram_range": (2, 4), "lowercase": False, "max_features": 500},
]


@pytest.mark.parametrize("params", SETUPS)
def test_identical_to_sklearn(texts: list[str], params: dict) -> None:
    fast = FastTfidfVectorizer(**params).fit(texts[:1200])
    slow = TfidfVectorizer(**params).fit(texts[:1200])
    assert fast.vocabulary_ == slow.vocabulary_
    documents = texts[1000:] + ODD
    _same(fast.transform(documents), slow.transform(documents))
    assert _tfidf._make_table(fast) is not None  # the fast path did the work
    _same(fast.transform(documents[::-1]), slow.transform(documents[::-1]))  # warm memory


@pytest.mark.parametrize("params", [
    {"analyzer": "char", "ngram_range": (2, 3)},
    {"stop_words": "english"},
    {"tokenizer": str.split, "token_pattern": None},
    {"binary": True},
    {"analyzer": "char_wb", "ngram_range": (4, 5)},
    {"ngram_range": (1, 5)},
])
def test_other_setups_use_sklearn(texts: list[str], params: dict) -> None:
    fast = FastTfidfVectorizer(**params).fit(texts[:300])
    assert _tfidf._make_table(fast) is None
    _same(fast.transform(texts[300:400] + ODD),
          TfidfVectorizer(**params).fit(texts[:300]).transform(texts[300:400] + ODD))


_CHARS = st.sampled_from(list("ab cdeT'\u2019-_.1\t\n") + ["\u0130", "\u00df", "  ", "\u2003",
                                                          "peace ", "deal ", "Trump "])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CHARS, max_size=40).map("".join), min_size=1, max_size=8))
def test_identical_on_generated_texts(documents: list[str]) -> None:
    training = ["peace deal now", "a deal for peace", "Trump's deal", "ab cd ab", "T-bone a b",
                "\u0130 \u00df ss", "1 11 111 a_b"]
    for params in SETUPS[:2]:
        params = {**params, "min_df": 1}
        _same(FastTfidfVectorizer(**params).fit(training).transform(documents),
              TfidfVectorizer(**params).fit(training).transform(documents))


def test_cache_not_saved_and_rebuilt_after_refit(texts: list[str]) -> None:
    vectorizer = FastTfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(texts[:500])
    first = vectorizer.transform(texts[500:700])
    assert "_fast_table" in vars(vectorizer)
    for twin in (pickle.loads(pickle.dumps(vectorizer)), copy.deepcopy(vectorizer)):
        assert "_fast_table" not in vars(twin)
        _same(twin.transform(texts[500:700]), first)
    vectorizer.fit(texts[700:900])  # a new vocabulary: the old look-up table is not used
    _same(vectorizer.transform(texts[:50]),
          TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(texts[700:900])
          .transform(texts[:50]))


def test_word_memory_starts_afresh_when_full(texts: list[str], monkeypatch) -> None:
    monkeypatch.setattr(_tfidf, "_MAX_WORDS", 500)
    params = {"analyzer": "char_wb", "ngram_range": (3, 5)}
    fast = FastTfidfVectorizer(**params).fit(texts[:300])
    slow = TfidfVectorizer(**params).fit(texts[:300])
    for start in range(0, 300, 20):
        _same(fast.transform(texts[start:start + 20]), slow.transform(texts[start:start + 20]))
        assert len(vars(fast)["_fast_table"].words) <= 500 + 20 * 120


def test_errors_are_sklearn_s() -> None:
    with pytest.raises(NotFittedError):
        FastTfidfVectorizer().transform(["a b"])
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        FastTfidfVectorizer().fit(["ab cd"]).transform("ab cd")
    assert FastTfidfVectorizer(min_df=3).get_params() == TfidfVectorizer(min_df=3).get_params()


def test_classifier_features_are_sklearn_s(texts: list[str]) -> None:
    truth = sample_truth_passages().iloc[:400]
    model = FrameClassifier(features="tfidf", calibration=None, threshold=0.5).fit(truth)
    blocks = dict(model.features_.transformer_list)
    assert isinstance(blocks["word"], FastTfidfVectorizer)
    assert isinstance(blocks["char"], FastTfidfVectorizer)
    documents = texts[400:900]
    for name in ("word", "char"):
        plain = copy.deepcopy(blocks[name])
        plain.__class__ = TfidfVectorizer  # the fitted vectorizer, applied by sklearn's code
        _same(blocks[name].transform(documents), plain.transform(documents))
    table = model.predict(pd.DataFrame({"text": documents}))
    assert table.filter(like="p_").notna().all().all()


def test_applying_in_two_processes_gives_the_same_table(monkeypatch) -> None:
    from framing.frames import _classifier

    truth = sample_truth_passages()
    model = FrameClassifier(features="tfidf", calibration=None, threshold=0.5).fit(
        truth.iloc[:400])
    passages = truth.iloc[400:1400].drop(columns=["peacemaker", "isolationist", "skeptic"])
    one = model.predict(passages)
    monkeypatch.setattr(_classifier, "_MIN_PER_WORKER", 300)
    two = model.set_params(n_jobs=2)
    assert two._n_workers(len(passages)) == 2 and two._n_workers(500) == 1
    pd.testing.assert_frame_equal(two.predict(passages), one)  # the same model id, too
    empty = model.predict(passages.iloc[:0])
    assert len(empty) == 0 and list(empty.columns) == list(one.columns)
    with pytest.raises(Exception, match="'n_jobs' parameter of FrameClassifier"):
        FrameClassifier(n_jobs=0).fit(truth)
