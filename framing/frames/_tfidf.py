"""A TF-IDF vectorizer that applies a fitted vocabulary fast, with exactly sklearn's numbers.

:class:`FastTfidfVectorizer` *is* scikit-learn's :class:`~sklearn.feature_extraction.text.
TfidfVectorizer` (same parameters, same ``fit``), with a faster ``transform`` for the two
set-ups the frame models use:

* ``analyzer="word"`` with the default tokenizer: each document's tokens become ids through one
  dict look-up each, and the n-grams of a batch are found in the vocabulary with numpy (a
  sorted array of n-gram keys per n) instead of one Python string per n-gram;
* ``analyzer="char_wb"``: a document's character n-grams are those of its words, so each
  distinct word's n-gram counts are computed once (by sklearn's own ``_char_wb_ngrams``) and
  remembered, and a batch's counts are the document x word matrix times the word x n-gram one.

Both produce the count matrix sklearn would (same columns, same sorted order, same integer
counts), then apply the fitted ``_tfidf`` step unchanged, so the features are identical to the
last bit. Any other set-up (a custom tokenizer, stop words, ``binary``, ``max_n > 4`` ...) uses
sklearn's own ``transform``.
"""

from __future__ import annotations

import re
from itertools import chain, repeat
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# Distinct words whose character n-grams are remembered; past this the memory starts afresh.
_MAX_WORDS = 300_000
_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# The default pattern's matches are the maximal runs of two or more word characters, which is
# also what this finds: the scan only ever starts a match at a run's start, and the greedy
# \w+ ends it at the run's end. It runs in two-thirds of the time.
_TOKENS = re.compile(r"\w\w+")


class FastTfidfVectorizer(TfidfVectorizer):
    """:class:`~sklearn.feature_extraction.text.TfidfVectorizer` with a faster ``transform``.

    Same parameters, attributes and output as the sklearn class (see the module's notes).

    Examples
    --------
    >>> docs = ["Trump pushed a peace deal", "a deal on Ukraine", "peace talks on Ukraine"]
    >>> fast = FastTfidfVectorizer(ngram_range=(1, 2)).fit(docs)
    >>> slow = TfidfVectorizer(ngram_range=(1, 2)).fit(docs)
    >>> bool((fast.transform(docs) != slow.transform(docs)).nnz == 0)
    True
    """

    def transform(self, raw_documents: Any) -> Any:
        """The TF-IDF matrix of the documents (the sklearn method's numbers, computed faster)."""
        if isinstance(raw_documents, str):
            return super().transform(raw_documents)  # sklearn's error
        documents = list(raw_documents)
        if (not hasattr(self, "vocabulary_") or not hasattr(self, "idf_")
                or not all(isinstance(doc, str) for doc in documents)):
            return super().transform(documents)
        table = self.__dict__.get("_fast_table")
        if table is None or table.vocabulary is not self.vocabulary_:
            table = _make_table(self)
            self.__dict__["_fast_table"] = table
        if table is None:
            return super().transform(documents)
        counts = table.counts(documents)
        return self._tfidf.transform(counts, copy=False)

    # The look-up tables are a cache built from the vocabulary: never saved with a model.
    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_fast_table", None)
        return state


def _make_table(vectorizer: FastTfidfVectorizer) -> _WordNgrams | _CharNgrams | None:
    """The fast counter for this vectorizer's set-up, or None where only sklearn's will do."""
    v = vectorizer
    low, high = v.ngram_range
    plain = (v.input == "content" and v.preprocessor is None and v.strip_accents is None
             and not v.binary and v.dtype in (np.float64, np.float32)
             and isinstance(v.vocabulary_, dict) and len(v.vocabulary_) > 0)
    if not plain:
        return None
    if (v.analyzer == "word" and v.tokenizer is None and v.stop_words is None
            and v.token_pattern == _DEFAULT_TOKEN_PATTERN and 1 <= low <= high <= 4):
        table = _WordNgrams(v)
        return table if table.usable else None
    if v.analyzer == "char_wb" and 1 <= low <= 3:  # a padded word has 3 or more characters
        return _CharNgrams(v)
    return None


def _csr(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_columns: int,
         dtype: Any) -> sparse.csr_matrix:
    """The count matrix of (row, column) pairs, duplicates summed, indices sorted per row."""
    counts = sparse.coo_matrix((np.ones(len(rows), dtype=dtype), (rows, columns)),
                               shape=(n_rows, n_columns)).tocsr()
    # To CSC and back sorts each row's indices in two linear passes (no per-row sort), and
    # sorted duplicates are then summed in one more.
    counts = counts.tocsc().tocsr()
    counts.sum_duplicates()
    return counts


class _WordNgrams:
    """Word n-grams through token ids: an n-gram's key is its token ids in base ``n_tokens``."""

    def __init__(self, vectorizer: FastTfidfVectorizer) -> None:
        self.vocabulary = vectorizer.vocabulary_
        self.dtype = vectorizer.dtype
        self.analyze = vectorizer.build_preprocessor(), _TOKENS.findall
        self.low, self.high = vectorizer.ngram_range
        tokens: dict[str, int] = {}
        grams = [(entry.split(" "), column) for entry, column in self.vocabulary.items()]
        for parts, _ in grams:
            for token in parts:
                tokens.setdefault(token, len(tokens) + 1)  # 0: a token not in the vocabulary
        self.tokens = tokens
        self.base = len(tokens) + 1
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n in range(self.low, self.high + 1):
            entries = [(self._key([tokens[t] for t in parts]), column)
                       for parts, column in grams if len(parts) == n]
            keys = np.array([k for k, _ in entries], dtype=np.int64)
            columns = np.array([c for _, c in entries], dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            self.keys[n] = keys[order], columns[order]
        # A key must fit in 63 bits, else sklearn's own transform is used.
        self.usable = self.base ** self.high < 2**62

    def _key(self, ids: list[int]) -> int:
        key = 0
        for token_id in ids:
            key = key * self.base + token_id
        return key

    def counts(self, documents: list[str]) -> sparse.csr_matrix:
        preprocess, tokenize = self.analyze
        token_lists = [tokenize(preprocess(doc)) for doc in documents]
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        flat = list(chain.from_iterable(token_lists))
        ids = np.fromiter(map(self.tokens.get, flat, repeat(0)), dtype=np.int64,
                          count=len(flat))
        row_of = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
        rows, columns = [], []
        for n in range(self.low, self.high + 1):
            if len(ids) < n:
                continue
            count = len(ids) - n + 1
            key = np.zeros(count, dtype=np.int64)
            for j in range(n):
                key = key * self.base + ids[j:j + count]
            same_document = row_of[:count] == row_of[n - 1:n - 1 + count]
            known, found = self.keys[n]
            if not len(known):
                continue
            where = np.minimum(np.searchsorted(known, key), len(known) - 1)
            hit = same_document & (known[where] == key)
            rows.append(row_of[:count][hit])
            columns.append(found[where[hit]])
        if not rows:
            rows, columns = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        return _csr(np.concatenate(rows), np.concatenate(columns), len(documents),
                    len(self.vocabulary), self.dtype)


class _CharNgrams:
    """Character n-grams within words: each distinct word's n-gram counts, computed once."""

    def __init__(self, vectorizer: FastTfidfVectorizer) -> None:
        self.vocabulary = vectorizer.vocabulary_
        self.dtype = vectorizer.dtype
        self.preprocess = vectorizer.build_preprocessor()
        self.ngrams = vectorizer._char_wb_ngrams
        self._reset()

    def _reset(self) -> None:
        self.words: dict[str, int] = {}
        self.indptr = [np.zeros(1, dtype=np.int64)]
        self.indices: list[np.ndarray] = []
        self.data: list[np.ndarray] = []
        self.matrix: sparse.csr_matrix | None = None
        self.n_stored = 0

    def _add(self, new_words: list[str]) -> None:
        """Append the n-gram counts of words not seen yet (one row each)."""
        vocabulary, end = self.vocabulary, int(self.indptr[-1][-1])
        get, ends, indices, data = vocabulary.get, [], [], []
        for word in new_words:
            counts: dict[int, int] = {}
            for column in map(get, self.ngrams(word)):
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = sorted(counts)
            indices += columns
            data += [counts[c] for c in columns]
            end += len(columns)
            ends.append(end)
            self.words[word] = len(self.words)
        self.indptr.append(np.asarray(ends, dtype=np.int64))
        self.indices.append(np.asarray(indices, dtype=np.int64))
        self.data.append(np.asarray(data, dtype=self.dtype))
        self.matrix = None

    def _word_matrix(self) -> sparse.csr_matrix:
        if self.matrix is None or self.matrix.shape[0] != len(self.words):
            indptr = np.concatenate(self.indptr)
            indices = (np.concatenate(self.indices) if self.indices
                       else np.zeros(0, dtype=np.int64))
            data = np.concatenate(self.data) if self.data else np.zeros(0, dtype=self.dtype)
            self.indptr, self.indices, self.data = [indptr], [indices], [data]
            self.matrix = sparse.csr_matrix((data, indices, indptr),
                                            shape=(len(self.words), len(self.vocabulary)))
        return self.matrix

    def counts(self, documents: list[str]) -> sparse.csr_matrix:
        # sklearn's char_wb: lower-case, then the n-grams of " word " for each
        # whitespace-separated word (its whitespace clean-up does not change the split).
        word_lists = [self.preprocess(doc).split() for doc in documents]
        flat = list(chain.from_iterable(word_lists))
        if len(self.words) + len(flat) > _MAX_WORDS:
            self._reset()
        ids = np.fromiter(map(self.words.get, flat, repeat(-1)), dtype=np.int64,
                          count=len(flat))
        if (ids < 0).any():
            missing = [flat[i] for i in np.flatnonzero(ids < 0)]
            self._add(list(dict.fromkeys(missing)))
            ids = np.fromiter(map(self.words.__getitem__, flat), dtype=np.int64,
                              count=len(flat))
        lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
        # Documents x words, a word repeated in a document stored repeatedly: the product
        # below adds up repeated entries, and its counts are whole numbers, so their order
        # does not change the sums.
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        documents_words = sparse.csr_matrix(
            (np.ones(len(ids), dtype=self.dtype), ids, indptr),
            shape=(len(documents), len(self.words)))
        # A product's indices come unsorted; to CSC and back sorts them in two linear passes.
        return (documents_words @ self._word_matrix()).tocsc().tocsr()
