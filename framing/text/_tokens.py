"""The tokenizer: a scikit-learn-style transformer from a table of texts to a table of tokens.

``fit`` learns the phrases (gensim ``Phrases``) in one pass over a table or a streamed corpus,
``transform`` applies the rules of :mod:`framing.text._token_rules` batch by batch, on
``n_jobs`` joblib workers. Every column but the text travels to the output.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from tqdm.auto import tqdm

from framing.corpus import (
    NONE,
    Corpus,
    InputError,
    InstanceOf,
    Interval,
    NotFittedError,
    Options,
    validate_params,
)
from framing.text._token_rules import (
    TOKEN_CHARACTER,
    TokenRules,
    count_phrases,
    english_stop_words,
    split_evenly,
    tokenize_texts,
)


class Tokenizer(TransformerMixin, BaseEstimator):
    """Turn a table of texts into a table of word tokens, learning multiword phrases in ``fit``.

    A transformer in scikit-learn's style: ``__init__`` only stores the parameters, ``fit``
    validates them and learns the phrases, ``transform`` returns a new table. Every input column
    but the text travels to the output; ``tokens`` (list of str) and ``n_tokens`` are added.
    The rules are listed in :mod:`framing.text._token_rules`. Nothing here is random, so there
    is no seed.

    Parameters
    ----------
    lowercase : bool, default=True
        Lowercase tokens (stop words match in any case either way).
    stop_words : "english", None or list of str, default="english"
        "english": gensim's list plus contractions (see :func:`english_stop_words`).
    extra_stop_words : list of str, default=()
        Added to ``stop_words``, e.g. ``["said", "mr"]`` for news.
    min_token_length : int, default=2
        Shorter words are removed (numbers kept by ``keep_numbers`` are exempt).
    stem : bool, default=False
        Snowball-stem every word (stems are lower case).
    phrases : bool, default=True
        Learn two-word phrases, with connector words allowed between them, and join them.
    phrase_min_count : int, default=5
        A phrase must occur at least this often.
    phrase_threshold : float or None, default=None
        Minimum score; None: 0.5 for "npmi", 10.0 for "default".
    phrase_scoring : {"npmi", "default"}, default="npmi"
        Normalized PMI in [-1, 1], or gensim's original (Mikolov) score, which depends on the
        vocabulary size and so learns fewer phrases as a corpus grows.
    connector : str, default="_"
        Joins the words of a phrase; it may not contain letters, digits, ``-``, ``'`` or ``.``.
    keep_numbers : bool, default=False
        Keep tokens without letters (``2025``, ``83,000``).
    text_column : str, default="text"
        The column to tokenize; it is not copied to the output.
    id_column : str or None, default=None
        Key column checked for duplicates per batch; None: ``passage_id`` when present, else
        ``doc_id`` when present.
    batch_size : int, default=2000
        Rows per batch when streaming; does not change the output.
    n_jobs : int, default=1
        Worker processes (joblib); does not change the output.

    Attributes
    ----------
    stop_words_ : frozenset of str
        The stop words in force (lower case).
    phrases_ : gensim.models.phrases.FrozenPhrases or None
        The learned phrases; ``phrases_.phrasegrams`` maps each to its score.
    phrase_threshold_ : float
        The threshold in force.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "text": [
    ...     "Trump\u2019s envoy flew to the U.S. on Monday.", "The 28-point plan isn't dead."]})
    >>> Tokenizer(phrases=False).fit_transform(docs)
      doc_id outlet                             tokens  n_tokens
    0      a      X  [trump, envoy, flew, u.s, monday]         5
    1      b      Y              [28-point, plan, dead]         3
    """

    _parameter_constraints: dict[str, list] = {
        "lowercase": [InstanceOf((bool,))],
        "stop_words": [Options({"english"}), NONE, InstanceOf((list, tuple, set, frozenset))],
        "extra_stop_words": [InstanceOf((list, tuple, set, frozenset))],
        "min_token_length": [Interval(int, 1, None)],
        "stem": [InstanceOf((bool,))],
        "phrases": [InstanceOf((bool,))],
        "phrase_min_count": [Interval(int, 1, None)],
        "phrase_threshold": [Interval(float, None, None), NONE],
        "phrase_scoring": [Options({"default", "npmi"})],
        "connector": [InstanceOf((str,))],
        "keep_numbers": [InstanceOf((bool,))],
        "text_column": [InstanceOf((str,))],
        "id_column": [InstanceOf((str,)), NONE],
        "batch_size": [Interval(int, 1, None)],
        "n_jobs": [Interval(int, 1, 64)],
    }

    def __init__(
        self,
        *,
        lowercase: bool = True,
        stop_words: str | Sequence[str] | None = "english",
        extra_stop_words: Sequence[str] = (),
        min_token_length: int = 2,
        stem: bool = False,
        phrases: bool = True,
        phrase_min_count: int = 5,
        phrase_threshold: float | None = None,
        phrase_scoring: str = "npmi",
        connector: str = "_",
        keep_numbers: bool = False,
        text_column: str = "text",
        id_column: str | None = None,
        batch_size: int = 2000,
        n_jobs: int = 1,
    ) -> None:
        self.lowercase = lowercase
        self.stop_words = stop_words
        self.extra_stop_words = extra_stop_words
        self.min_token_length = min_token_length
        self.stem = stem
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.phrase_scoring = phrase_scoring
        self.connector = connector
        self.keep_numbers = keep_numbers
        self.text_column = text_column
        self.id_column = id_column
        self.batch_size = batch_size
        self.n_jobs = n_jobs

    def _validate_params(self) -> None:
        params = self.get_params()
        validate_params("Tokenizer", params, self._parameter_constraints)
        for name in ("stop_words", "extra_stop_words"):
            value = params[name]
            if not isinstance(value, str | None) and not all(isinstance(w, str) for w in value):
                raise InputError(f"The {name!r} parameter of Tokenizer must contain only str. "
                                 f"Got {value!r} instead.")
        if not self.connector or TOKEN_CHARACTER.search(self.connector):
            raise InputError("The 'connector' parameter of Tokenizer must be a non-empty str "
                             "without letters, digits, '-', \"'\" or '.' (they occur inside "
                             f"tokens). Got {self.connector!r} instead.")
        threshold, npmi = self.phrase_threshold, self.phrase_scoring == "npmi"
        if threshold is not None and not (-1 <= threshold <= 1 if npmi else threshold > 0):
            wanted = "in the range [-1, 1]" if npmi else "> 0"
            raise InputError(f"The 'phrase_threshold' parameter of Tokenizer must be a float "
                             f"{wanted} when phrase_scoring={self.phrase_scoring!r}. "
                             f"Got {threshold!r} instead.")

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "stop_words_"):
            raise NotFittedError(
                "This Tokenizer instance is not fitted yet. Call 'fit' (or 'fit_corpus') "
                f"before using '{method}'.")

    # -- fitting and transforming -------------------------------------------------------------

    def _rules(self, *, fitted: bool) -> TokenRules:
        from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS

        if fitted:
            stop = self.stop_words_
        else:
            base = (english_stop_words() if self.stop_words == "english"
                    else frozenset(self.stop_words or ()))
            stop = frozenset(w.lower() for w in (*base, *self.extra_stop_words))
        connectors: frozenset[str] = ENGLISH_CONNECTOR_WORDS
        if not self.lowercase:
            connectors = frozenset(form for word in connectors
                                   for form in (word, word.capitalize(), word.upper()))
        phrases = getattr(self, "phrases_", None) if fitted else None
        return TokenRules(
            lowercase=self.lowercase, stop=stop, connectors=connectors,
            min_length=self.min_token_length, keep_numbers=self.keep_numbers, stem=self.stem,
            connector=self.connector,
            phrasegrams=dict(phrases.phrasegrams) if phrases is not None else {},
        )

    def _map_batches(self, function: Callable, frames: Iterable[pd.DataFrame], rules: TokenRules,
                     check: Callable[[pd.DataFrame], None] | None = None,
                     ) -> Iterator[tuple[pd.DataFrame, list]]:
        """``function(texts, rules)`` on every batch, in order: ``(frame, [part results])``.

        With ``n_jobs > 1`` each batch is split across the workers, which finish it before the
        batch is yielded: a caller that stops early (or an error) leaves no task in flight.
        """
        pool = Parallel(n_jobs=self.n_jobs) if self.n_jobs > 1 else None
        with pool or contextlib.nullcontext():
            row = 0
            for frame in frames:
                texts = self._texts(frame, row)
                if check is not None:
                    check(frame)
                row += len(frame)
                if pool is None:
                    yield frame, [function(texts, rules)]
                else:
                    parts = split_evenly(texts, self.n_jobs)
                    yield frame, pool(delayed(function)(part, rules) for part in parts)

    def _texts(self, frame: pd.DataFrame, first_row: int = 0) -> list[str]:
        """The texts of a batch; missing ones are empty. Rows count from the stream's start."""
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"expected a DataFrame of documents, got {type(frame).__name__}")
        if self.text_column not in frame.columns:
            raise InputError(f"the table has no {self.text_column!r} column; set text_column",
                             field=self.text_column)
        texts = frame[self.text_column].tolist()
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                if text is not None and not (pd.api.types.is_scalar(text) and pd.isna(text)):
                    raise InputError(f"expected text, got {type(text).__name__} {text!r}",
                                     row=first_row + position + 1, field=self.text_column)
                texts[position] = ""
        return texts

    def _fit_batches(self, batches: Iterable[pd.DataFrame], total: int | None,
                     progress: bool) -> Tokenizer:
        rules = self._rules(fitted=False)
        counted = ((len(frame), parts) for frame, parts
                   in self._map_batches(count_phrases, batches, rules)) if self.phrases else ()
        return self._fit_counts(counted, total, progress)

    def _fit_counts(self, counted: Iterable[tuple[int, list[tuple[dict[str, int], int]]]],
                    total: int | None, progress: bool) -> Tokenizer:
        """Learn the phrases from batches already counted: ``(documents, [(vocab, words)])``
        per batch, in order, from :func:`~framing.text._token_rules.count_phrases` run here or
        on other processes (the counts are summed here as ``Phrases.add_vocab`` does)."""
        from gensim.models.phrases import Phrases
        from gensim.utils import prune_vocab

        threshold = self.phrase_threshold
        if threshold is None:
            threshold = 0.5 if self.phrase_scoring == "npmi" else 10.0
        rules = self._rules(fitted=False)
        model = None
        if self.phrases:
            model = Phrases(min_count=self.phrase_min_count, threshold=float(threshold),
                            scoring=self.phrase_scoring, connector_words=rules.connectors,
                            delimiter=self.connector)
            with tqdm(total=total, unit="doc", desc="phrases", disable=not progress,
                      leave=False) as bar:
                for n_documents, parts in counted:
                    for vocab, n_words in parts:  # Phrases.add_vocab, counted by the workers
                        for word, count in vocab.items():
                            model.vocab[word] = model.vocab.get(word, 0) + count
                        model.corpus_word_count += n_words
                        if len(model.vocab) > model.max_vocab_size:  # as add_vocab does
                            prune_vocab(model.vocab, model.min_reduce)
                            model.min_reduce += 1
                    bar.update(n_documents)
        self.stop_words_ = rules.stop
        self.phrase_threshold_ = float(threshold)
        self.phrases_ = None if model is None else model.freeze()
        return self

    def _transform_batches(self, batches: Iterable[pd.DataFrame], total: int | None,
                           progress: bool) -> Iterator[pd.DataFrame]:
        self._check_is_fitted("transform")
        rules = self._rules(fitted=True)
        with tqdm(total=total, unit="doc", desc="tokens", disable=not progress,
                  leave=False) as bar:
            for frame, parts in self._map_batches(tokenize_texts, batches, rules,
                                                  check=self._check_keys):
                yield self._output(frame, [tokens for part in parts for tokens in part])
                bar.update(len(frame))

    def _check_keys(self, frame: pd.DataFrame) -> None:
        for name in ("tokens", "n_tokens"):
            if name in frame.columns:
                raise InputError(f"the table already has a {name!r} column", field=name)
        key = self.id_column
        if key is None:
            key = next((c for c in ("passage_id", "doc_id") if c in frame.columns), None)
            if key is None:
                return
        elif key not in frame.columns:
            raise InputError(f"the table has no {key!r} column; set id_column", field=key)
        repeated = frame[key][frame[key].duplicated()]
        if len(repeated):
            raise InputError(f"{len(repeated)} repeated value(s), e.g. {repeated.iloc[0]!r}; "
                             "keys must be unique", field=key)

    def _output(self, frame: pd.DataFrame, tokens: list[list[str]]) -> pd.DataFrame:
        out = frame.drop(columns=[self.text_column])
        out["tokens"] = pd.Series(tokens, index=frame.index, dtype=object)
        out["n_tokens"] = pd.Series([len(t) for t in tokens], index=frame.index, dtype="int64")
        return out

    def _frame_batches(self, frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"expected a DataFrame of documents, got {type(frame).__name__}; "
                            "use fit_corpus/transform_corpus for a Corpus or batches")
        self._texts(frame.iloc[:0])  # column checks now, even when nothing is read
        size = self.batch_size
        return (frame.iloc[start:start + size] for start in range(0, len(frame), size))

    def _corpus_batches(self, corpus: Any, columns: list[str] | None) -> Iterator[pd.DataFrame]:
        if isinstance(corpus, Corpus):
            return corpus.iter_batches(batch_size=self.batch_size, columns=columns)
        if isinstance(corpus, pd.DataFrame | str):
            raise TypeError("expected a Corpus or an iterable of DataFrame batches; "
                            "use fit/transform for one DataFrame")
        return iter(corpus)

    def fit(self, X: pd.DataFrame, y: None = None) -> Tokenizer:
        """Validate the parameters and learn the phrases of a table of texts.

        Parameters
        ----------
        X : DataFrame
            Has ``text_column``.
        y : None
            Ignored.

        Returns
        -------
        Tokenizer
            ``self``, fitted.
        """
        self._validate_params()
        return self._fit_batches(self._frame_batches(X), len(X), progress=False)

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Tokenize a table: its columns but ``text_column``, plus ``tokens`` and ``n_tokens``.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            Without ``text_column``, or with repeated keys in a batch.
        """
        self._check_is_fitted("transform")
        parts = list(self._transform_batches(self._frame_batches(X), len(X), progress=False))
        if not parts:
            return self._output(X, [])
        return pd.concat(parts) if len(parts) > 1 else parts[0]

    def fit_transform(self, X: pd.DataFrame, y: None = None) -> pd.DataFrame:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def fit_corpus(self, corpus: Corpus | Iterable[pd.DataFrame], *,
                   progress: bool = False) -> Tokenizer:
        """Learn the phrases from a corpus streamed in batches (one pass).

        Parameters
        ----------
        corpus : Corpus or iterable of DataFrame
            A store (read ``batch_size`` rows at a time, the text column only) or batches.
        progress : bool, default=False
            Show a progress bar.
        """
        self._validate_params()
        columns = [self.text_column]
        return self._fit_batches(self._corpus_batches(corpus, columns), _length(corpus),
                                 progress)

    def transform_corpus(self, corpus: Corpus | Iterable[pd.DataFrame], *,
                         progress: bool = False) -> Iterator[pd.DataFrame]:
        """Tokenize a corpus batch by batch; yields one token table per batch, in order."""
        self._check_is_fitted("transform_corpus")
        return self._transform_batches(self._corpus_batches(corpus, None), _length(corpus),
                                       progress)

    def fit_transform_corpus(self, corpus: Corpus | Iterable[pd.DataFrame], *,
                             progress: bool = False) -> Iterator[pd.DataFrame]:
        """Fit on a corpus, then stream its token tables (two passes over ``corpus``).

        Raises
        ------
        TypeError
            ``corpus`` is an iterator (a generator, say), which the second pass would find empty.
        """
        if iter(corpus) is corpus:
            raise TypeError(
                "fit_transform_corpus reads the corpus twice, but got an iterator "
                f"({type(corpus).__name__}), which can only be read once; pass a Corpus, a "
                "list of DataFrames or another restartable iterable")
        return self.fit_corpus(corpus, progress=progress).transform_corpus(corpus,
                                                                           progress=progress)


def _length(corpus: Any) -> int | None:
    """Documents in ``corpus`` when known (for the progress bar)."""
    return len(corpus) if isinstance(corpus, Corpus) else None
