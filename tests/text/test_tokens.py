"""Tests of the token table: rules, phrases, the estimator protocol, streaming, the cache."""

from __future__ import annotations

import collections
import itertools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import Corpus, InputError, NotFittedError, import_corpus, read_corpus
from framing.text._token_rules import english_stop_words
from framing.text._token_table import _cache_key, to_gensim_corpus, tokenize_corpus
from framing.text._tokens import Tokenizer
from tests.conftest import SAMPLE

SUBJECTS = ["Kyiv", "Paris", "Warsaw", "Berlin", "Rome", "Madrid", "Oslo", "Vienna"]
TEMPLATES = [
    "{s} wants security guarantees before any deal.",
    "The White House said talks with {s} would resume.",
    "The coalition of the willing, {s} said, will meet in London.",
    "Officials from {s} discussed security guarantees at the White House.",
    "Farmers near {s} worried about rain and harvest prices.",
]


def news(n: int = 40) -> pd.DataFrame:
    """A small repeated corpus with metadata: every template eight times, subjects rotating."""
    rows = [{"doc_id": f"d{i:03d}", "outlet": "AB"[i % 2], "section": f"s{i % 3}",
             "text": TEMPLATES[i % 5].format(s=SUBJECTS[(i // 5) % 8])} for i in range(n)]
    frame = pd.DataFrame(rows)
    frame["outlet"] = frame["outlet"].astype("category")
    return frame


def tokens_of(text: str, **params: object) -> list[str]:
    """Tokens of one text, without phrases."""
    table = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    return Tokenizer(phrases=False, **params).fit_transform(table).loc[0, "tokens"]


@pytest.fixture
def store(tmp_path: Path) -> Corpus:
    frame = news(30)
    frame["date"] = [f"2025-0{1 + i % 3}-1{i % 9}" for i in range(len(frame))]
    frame.drop(columns=["doc_id"]).to_csv(tmp_path / "news.csv", index=False)
    return import_corpus(tmp_path / "news.csv", tmp_path / "store", progress=False)


@pytest.fixture(scope="module")
def sample_tokens(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    if not (SAMPLE / "articles.jsonl").exists():
        pytest.skip(f"sample corpus not available: {SAMPLE}")
    folder = tmp_path_factory.mktemp("sample")
    corpus = import_corpus(SAMPLE / "articles.jsonl", folder / "store", progress=False)
    return tokenize_corpus(corpus)


# -- the rules ---------------------------------------------------------------------------------


def test_stop_words_and_contractions_removed() -> None:
    assert tokens_of("They don't know; it's over, and the talks failed.") == [
        "know", "talks", "failed"]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["talks", "failed"]),
    ({"stop_words": None}, ["the", "talks", "have", "failed"]),
    ({"stop_words": ["talks"]}, ["the", "have", "failed"]),
    ({"extra_stop_words": ["failed"]}, ["talks"]),
])
def test_stop_word_lists(params: dict, expected: list[str]) -> None:
    assert tokens_of("The talks have failed.", **params) == expected


def test_english_stop_words_are_gensims_plus_contractions() -> None:
    from gensim.parsing.preprocessing import STOPWORDS

    words = english_stop_words()
    assert STOPWORDS <= words and {"don't", "won't", "isn't"} <= words
    assert "trump" not in words and "u.s" not in words


def test_lowercase() -> None:
    assert tokens_of("The White House and NATO") == ["white", "house", "nato"]
    assert tokens_of("The White House and NATO", lowercase=False) == ["White", "House", "NATO"]


def test_us_abbreviation_is_kept_apart_from_the_pronoun() -> None:
    assert tokens_of("The U.S. told us to wait in Washington, D.C.") == [
        "u.s", "told", "wait", "washington", "d.c"]
    assert tokens_of("US and UN officials told us") == ["u.s", "u.n", "officials", "told"]
    assert tokens_of("US officials", lowercase=False) == ["U.S", "officials"]


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_possessives_dropped_with_any_apostrophe(apostrophe: str) -> None:
    text = f"Trump{apostrophe}s plan and Putin{apostrophe}s reply, the allies{apostrophe} view"
    assert tokens_of(text) == ["trump", "plan", "putin", "reply", "allies", "view"]


def test_inner_apostrophes_and_hyphens_stay() -> None:
    assert tokens_of("O\u2019Brien backed the 28\u2011point cease-fire") == [
        "o'brien", "backed", "28-point", "cease-fire"]


@pytest.mark.parametrize(("keep_numbers", "expected"), [
    (False, ["28-point", "plan", "cost"]),
    (True, ["28-point", "plan", "cost", "83,000", "2025", "3.5", "7"]),
])
def test_numbers(keep_numbers: bool, expected: list[str]) -> None:
    text = "The 28-point plan cost $83,000 in 2025, up 3.5% from 7."
    assert tokens_of(text, keep_numbers=keep_numbers) == expected


def test_min_token_length() -> None:
    assert tokens_of("EU plan fails", min_token_length=3) == ["plan", "fails"]
    assert tokens_of("EU plan fails", min_token_length=5) == ["fails"]


def test_stemming_leaves_abbreviations_alone() -> None:
    assert tokens_of("Guarantees were negotiated by the U.S.", stem=True) == [
        "guarante", "negoti", "u.s"]


def test_stems_are_lower_case_even_without_lowercasing() -> None:
    assert tokens_of("Guarantees", stem=True, lowercase=False) == ["guarante"]


# -- phrases -----------------------------------------------------------------------------------


def test_phrases_learned_on_a_repeated_corpus() -> None:
    tokenizer = Tokenizer().fit(news())
    assert {"security_guarantees", "white_house", "coalition_of_the_willing"} <= set(
        tokenizer.phrases_.phrasegrams)
    out = tokenizer.transform(news())
    assert out.loc[0, "tokens"] == ["kyiv", "wants", "security_guarantees", "deal"]
    assert out.loc[3, "tokens"] == ["officials", "kyiv", "discussed", "security_guarantees",
                                    "white_house"]
    assert out.loc[2, "tokens"][0] == "coalition_of_the_willing"


def test_phrases_are_stemmed_word_by_word() -> None:
    out = Tokenizer(stem=True).fit_transform(news())
    assert out.loc[0, "tokens"] == ["kyiv", "want", "secur_guarante", "deal"]


def test_phrases_keep_case_without_lowercasing() -> None:
    frame = news()
    out = Tokenizer(lowercase=False).fit_transform(frame)
    assert "White_House" in out.loc[1, "tokens"]
    assert "coalition_of_the_willing" in out.loc[2, "tokens"]


def test_phrases_do_not_cross_clauses() -> None:
    tokenizer = Tokenizer().fit(news())
    probe = pd.DataFrame({"text": ["It was white. House prices rose, white, house!",
                                   "The White House (security) guarantees"]})
    out = tokenizer.transform(probe)["tokens"].tolist()
    assert out == [["white", "house", "prices", "rose", "white", "house"],
                   ["white_house", "security", "guarantees"]]


def test_phrases_off() -> None:
    tokenizer = Tokenizer(phrases=False).fit(news())
    assert tokenizer.phrases_ is None
    assert tokenizer.transform(news()).loc[0, "tokens"] == [
        "kyiv", "wants", "security", "guarantees", "deal"]


def test_overlapping_phrases_best_score_wins_where_gensim_is_greedy() -> None:
    texts = ["Carmakers at the White House met."] * 6 + ["The White House said no."] * 10
    frame = pd.DataFrame({"text": texts + [f"Filler{i} some text." for i in range(100)]})
    tokenizer = Tokenizer(phrase_min_count=5).fit(frame)
    assert {"carmakers_at_the_white", "white_house"} <= set(tokenizer.phrases_.phrasegrams)
    assert tokenizer.transform(frame.iloc[:1]).loc[0, "tokens"] == [
        "carmakers", "white_house", "met"]
    # gensim's own application joins greedily from the left
    sentence = ["carmakers", "at", "the", "white", "house", "met"]
    assert tokenizer.phrases_[sentence][0] == "carmakers_at_the_white"


def test_default_scorer() -> None:
    assert Tokenizer(phrase_scoring="default").fit(news()).phrase_threshold_ == 10.0
    tokenizer = Tokenizer(phrase_scoring="default", phrase_threshold=1.0).fit(news())
    assert "white_house" in tokenizer.phrases_.phrasegrams


def test_sample_corpus_learns_the_issue_phrases(sample_tokens: pd.DataFrame) -> None:
    counts = collections.Counter(itertools.chain.from_iterable(sample_tokens["tokens"]))
    assert counts["security_guarantees"] > 50
    assert counts["white_house"] > 100
    assert counts["coalition_of_the_willing"] > 50
    assert counts["u.s"] > 0 and counts["us"] == 0


def test_sample_corpus_rows_and_metadata(sample_tokens: pd.DataFrame) -> None:
    assert "text" not in sample_tokens.columns
    assert list(sample_tokens.columns[-2:]) == ["tokens", "n_tokens"]
    assert (sample_tokens["n_tokens"] == sample_tokens["tokens"].map(len)).all()
    assert sample_tokens["doc_id"].is_unique and len(sample_tokens) > 1900


# -- the table ---------------------------------------------------------------------------------


def test_metadata_columns_and_index_kept() -> None:
    frame = news().set_axis(range(100, 140))
    frame["score"] = range(40)
    out = Tokenizer().fit_transform(frame)
    assert list(out.columns) == ["doc_id", "outlet", "section", "score", "tokens", "n_tokens"]
    assert out.index.equals(frame.index)
    pd.testing.assert_frame_equal(out.drop(columns=["tokens", "n_tokens"]),
                                  frame.drop(columns=["text"]))
    assert out["n_tokens"].dtype == "int64"


def test_other_text_column() -> None:
    frame = news().rename(columns={"text": "passage"})
    out = Tokenizer(text_column="passage", phrases=False).fit_transform(frame)
    assert "passage" not in out.columns and out.loc[0, "tokens"][0] == "kyiv"


def test_missing_texts_are_empty() -> None:
    frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["Peace talks", None, float("nan")]})
    assert Tokenizer().fit_transform(frame)["n_tokens"].tolist() == [2, 0, 0]


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("phrases", [True, False])
def test_non_string_text_names_its_row(n_jobs: int, phrases: bool) -> None:
    bad = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["Peace talks", "Deal", 7]})
    with pytest.raises(InputError, match=r"^row 3, field 'text': expected text, got int 7$"):
        Tokenizer(batch_size=2, n_jobs=n_jobs, phrases=phrases).fit_transform(bad)


def test_empty_table() -> None:
    out = Tokenizer().fit_transform(news().iloc[:0])
    assert list(out.columns) == ["doc_id", "outlet", "section", "tokens", "n_tokens"]
    assert len(out) == 0


@pytest.mark.parametrize(("frame", "match"), [
    (pd.DataFrame({"doc_id": ["a"], "body": ["x"]}), r"field 'text': the table has no 'text'"),
    (pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}),
     r"field 'doc_id': 1 repeated value\(s\), e\.g\. 'a'"),
    (pd.DataFrame({"doc_id": ["a"], "text": ["x"], "tokens": [[]]}),
     r"field 'tokens': the table already has a 'tokens' column"),
])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_bad_tables(frame: pd.DataFrame, match: str, n_jobs: int) -> None:
    with pytest.raises(InputError, match=match):
        Tokenizer(phrases=False, n_jobs=n_jobs).fit_transform(frame)


def test_passage_id_is_the_key_when_present() -> None:
    passages = pd.DataFrame({"passage_id": ["a:0", "a:1"], "doc_id": ["a", "a"],
                             "text": ["Peace talks", "Ceasefire deal"]})
    assert len(Tokenizer().fit_transform(passages)) == 2
    with pytest.raises(InputError, match=r"field 'passage_id': 1 repeated"):
        Tokenizer().fit_transform(passages.assign(passage_id="a:0"))
    with pytest.raises(InputError, match=r"field 'key': the table has no 'key' column"):
        Tokenizer(id_column="key").fit_transform(passages)


def test_not_a_dataframe() -> None:
    with pytest.raises(TypeError, match="expected a DataFrame of documents, got list"):
        Tokenizer().fit(["Peace talks"])


# -- reproducibility, chunks and workers -------------------------------------------------------


def test_deterministic() -> None:
    first = Tokenizer().fit_transform(news())
    pd.testing.assert_frame_equal(first, Tokenizer().fit_transform(news()))
    assert not first.equals(Tokenizer(stem=True).fit_transform(news()))


def test_fit_is_idempotent() -> None:
    once = Tokenizer().fit(news())
    twice = Tokenizer().fit(news()).fit(news())
    assert once.phrases_.phrasegrams == twice.phrases_.phrasegrams
    pd.testing.assert_frame_equal(once.transform(news()), twice.transform(news()))


def test_chunked_equals_unchunked() -> None:
    small, large = Tokenizer(batch_size=1).fit(news()), Tokenizer(batch_size=1000).fit(news())
    assert small.phrases_.phrasegrams == large.phrases_.phrasegrams
    pd.testing.assert_frame_equal(small.transform(news()), large.transform(news()))


def test_two_workers_equal_one() -> None:
    one = Tokenizer(n_jobs=1, batch_size=15).fit(news())
    two = Tokenizer(n_jobs=2, batch_size=15).fit(news())
    assert one.phrases_.phrasegrams == two.phrases_.phrasegrams
    pd.testing.assert_frame_equal(one.transform(news()), two.transform(news()))



def test_stopping_a_parallel_stream_early_leaves_nothing_running() -> None:
    frame = news()
    tokenizer = Tokenizer(n_jobs=2, batch_size=5).fit(frame)
    stream = tokenizer.transform_corpus([frame.iloc[i:i + 5] for i in range(0, 40, 5)])
    assert len(next(stream)) == 5
    stream.close()  # joblib warns about cancelled tasks, and warnings are errors here


WORDS = ["white", "house", "security", "guarantees", "the", "of", "and", "U.S.", "Trump's",
         "peace", "deal", "28-point", "plan", "2025", "a", "Kyiv", "don't", "it's"]
PUNCTUATION = ["", "", "", ".", ",", ";", "!"]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCTUATION)),
                 max_size=25).map(lambda pairs: " ".join(w + p for w, p in pairs))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.lists(texts, min_size=1, max_size=12), batch_size=st.integers(1, 5))
def test_invariants_and_chunking(documents: list[str], batch_size: int) -> None:
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(documents))],
                          "text": documents})
    whole = Tokenizer(phrase_min_count=2).fit_transform(frame)
    chunked = Tokenizer(phrase_min_count=2, batch_size=batch_size).fit_transform(frame)
    pd.testing.assert_frame_equal(whole, chunked)
    assert whole["doc_id"].tolist() == frame["doc_id"].tolist()
    stop = english_stop_words()
    for token in itertools.chain.from_iterable(whole["tokens"]):
        assert token == token.lower() and len(token) >= 2
        assert "_" in token or token not in stop


# -- the estimator protocol --------------------------------------------------------------------


@pytest.mark.parametrize(("params", "match"), [
    ({"min_token_length": -1},
     r"^The 'min_token_length' parameter of Tokenizer must be an int >= 1\. Got -1 instead\.$"),
    ({"phrase_scoring": "tfidf"}, r"'phrase_scoring' parameter of Tokenizer must be one of "
     r"'default', 'npmi'\. Got 'tfidf' instead\."),
    ({"phrase_threshold": 10.0}, r"'phrase_threshold' parameter of Tokenizer must be a float "
     r"in the range \[-1, 1\] when phrase_scoring='npmi'\. Got 10\.0 instead\."),
    ({"phrase_scoring": "default", "phrase_threshold": 0},
     r"must be a float > 0 when phrase_scoring='default'\. Got 0 instead\."),
    ({"connector": "-"}, r"'connector' parameter of Tokenizer must be a non-empty str"),
    ({"connector": ""}, r"'connector' parameter of Tokenizer must be a non-empty str"),
    ({"stop_words": "german"}, r"'stop_words' parameter of Tokenizer must be one of "
     r"'english' or None or an instance of list or tuple or set or frozenset\."),
    ({"stop_words": ["the", 1]}, r"'stop_words' parameter of Tokenizer must contain only str"),
    ({"extra_stop_words": "said"}, r"'extra_stop_words' parameter of Tokenizer must be an "
     r"instance of list"),
    ({"lowercase": "yes"}, r"'lowercase' parameter of Tokenizer must be an instance of bool"),
    ({"n_jobs": 0}, r"'n_jobs' parameter of Tokenizer must be an int in the range \[1, 64\]"),
    ({"batch_size": 0}, r"'batch_size' parameter of Tokenizer must be an int >= 1\."),
])
def test_parameter_validation(params: dict, match: str) -> None:
    tokenizer = Tokenizer(**params)  # __init__ never validates
    with pytest.raises(InputError, match=match):
        tokenizer.fit(news())


def test_not_fitted() -> None:
    with pytest.raises(NotFittedError, match=r"not fitted yet.*before using 'transform'"):
        Tokenizer().transform(news())
    with pytest.raises(NotFittedError, match="before using 'transform_corpus'"):
        Tokenizer().transform_corpus([news()])


def test_clone_and_params() -> None:
    words = ["said"]
    tokenizer = Tokenizer(extra_stop_words=words, stem=True)
    assert tokenizer.extra_stop_words is words  # stored verbatim
    assert not [name for name in vars(Tokenizer()) if name.endswith("_")]
    clone = Tokenizer(**tokenizer.fit(news()).get_params())
    assert clone.get_params() == tokenizer.get_params()
    assert not hasattr(clone, "phrases_")
    assert clone.set_params(stem=False) is clone and clone.stem is False
    assert repr(clone) == "Tokenizer(extra_stop_words=['said'])"
    with pytest.raises(ValueError, match=r"Invalid parameter .stemming. for estimator Tokenizer"):
        clone.set_params(stemming=True)


# -- streaming a corpus ------------------------------------------------------------------------


def test_transform_corpus_streams_the_store(store: Corpus) -> None:
    tokenizer = Tokenizer(batch_size=7).fit_corpus(store)
    batches = list(tokenizer.transform_corpus(store))
    assert [len(b) for b in batches] == [7, 7, 7, 7, 2]
    streamed = pd.concat(batches, ignore_index=True)
    whole = Tokenizer().fit_transform(read_corpus(store.path))
    pd.testing.assert_frame_equal(streamed, whole)


def test_batches_of_dataframes_and_generators() -> None:
    frame = news()
    parts = [frame.iloc[:13], frame.iloc[13:]]
    expected = Tokenizer().fit_transform(frame)
    streamed = pd.concat(Tokenizer().fit_transform_corpus(parts))
    pd.testing.assert_frame_equal(streamed, expected)
    single_pass = Tokenizer().fit_corpus(part for part in parts)  # one pass: fine
    pd.testing.assert_frame_equal(single_pass.transform(frame), expected)
    with pytest.raises(TypeError, match=r"reads the corpus twice, but got an iterator "
                                        r"\(generator\), which can only be read once"):
        Tokenizer().fit_transform_corpus(part for part in parts)


# -- the cached token table --------------------------------------------------------------------


def cache_files(corpus: Corpus) -> list[Path]:
    return sorted((corpus.path / "_cache").glob("tokens-*.parquet"))


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the fits that tokenize_corpus runs."""
    calls: list[int] = []
    original = Tokenizer.fit_corpus

    def counted(self: Tokenizer, *args: object, **kwargs: object) -> Tokenizer:
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Tokenizer, "fit_corpus", counted)
    return calls


def test_cache_is_reused(store: Corpus, fits: list[int]) -> None:
    first = tokenize_corpus(store)
    [path] = cache_files(store)
    stamp = path.stat().st_mtime_ns
    second = tokenize_corpus(store.path)
    pd.testing.assert_frame_equal(first, second)
    assert path.stat().st_mtime_ns == stamp and len(fits) == 1
    tokenize_corpus(store, n_jobs=2, batch_size=5)  # execution settings share the cache
    assert cache_files(store) == [path] and len(fits) == 1


def test_cached_table_equals_a_fresh_one(store: Corpus) -> None:
    tokenize_corpus(store)
    expected = Tokenizer().fit_transform(read_corpus(store.path))
    pd.testing.assert_frame_equal(tokenize_corpus(store), expected)


def test_cache_invalidated_by_a_parameter(store: Corpus, fits: list[int]) -> None:
    plain = tokenize_corpus(store)
    stemmed = tokenize_corpus(store, stem=True)
    assert len(fits) == 2 and len(cache_files(store)) == 2
    assert not plain["tokens"].equals(stemmed["tokens"])


def test_cache_invalidated_by_a_new_import(store: Corpus, fits: list[int],
                                           tmp_path: Path) -> None:
    tokenize_corpus(store)
    source = tmp_path / "news.csv"
    source.write_text(source.read_text() + "B,s1,Fresh peace talks in Geneva.,2025-03-01\n")
    again = import_corpus(source, store.path, force=True, progress=False)
    assert _cache_key(again, Tokenizer())[0] != _cache_key(store, Tokenizer())[0]
    tokens = tokenize_corpus(again)
    assert len(fits) == 2 and len(tokens) == len(store) + 1


def test_cache_key_includes_created_at(store: Corpus) -> None:
    before = _cache_key(store, Tokenizer())[0]
    store.manifest["created_at"] = "2030-01-01T00:00:00+00:00"
    assert _cache_key(store, Tokenizer())[0] != before


def test_force_and_no_cache(store: Corpus, fits: list[int]) -> None:
    tokenize_corpus(store, cache=False)
    assert not (store.path / "_cache").exists()
    tokenize_corpus(store)
    tokenize_corpus(store, force=True)
    assert len(fits) == 3 and len(cache_files(store)) == 1


def test_tokenize_corpus_rejects_bad_parameters(store: Corpus) -> None:
    with pytest.raises(ValueError, match="Invalid parameter .stemming."):
        tokenize_corpus(store, stemming=True)
    with pytest.raises(InputError, match="'min_token_length' parameter of Tokenizer"):
        tokenize_corpus(store, min_token_length=0)
    assert not (store.path / "_cache").exists()


# -- gensim ------------------------------------------------------------------------------------


def test_to_gensim_corpus() -> None:
    table = pd.DataFrame({"tokens": [["white_house", "talks"], ["talks", "talks"], ["deal"]]})
    dictionary, bow = to_gensim_corpus(table)
    assert [[(dictionary[i], n) for i, n in row] for row in bow] == [
        [("talks", 1), ("white_house", 1)], [("talks", 2)], [("deal", 1)]]
    dictionary, bow = to_gensim_corpus(table["tokens"], min_documents=2)
    assert list(dictionary.token2id) == ["talks"] and bow[2] == []


@pytest.mark.parametrize(("params", "match"), [
    ({"max_document_share": 1.5}, r"'max_document_share' parameter of to_gensim_corpus must "
     r"be a float in the range \[0\.0, 1\.0\]\. Got 1\.5 instead\."),
    ({"column": "words"}, r"field 'words': the table has no 'words' column"),
])
def test_to_gensim_corpus_errors(params: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        to_gensim_corpus(pd.DataFrame({"tokens": [["a"]]}), **params)
