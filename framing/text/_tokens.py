"""Word tokens for topic models and classifiers: a fast regex, stop words, stems, phrases.

The rules, in order, for every text:

1. Curly apostrophes and Unicode hyphens become ``'`` and ``-``; the text is cut into *clauses*
   at sentence and clause punctuation (``. ! ? ; : ,`` before a space, brackets, double quotes,
   dashes, line breaks). Phrases never cross a clause, so never a sentence either.
2. Tokens are matched by one regular expression: dotted abbreviations (``U.S.`` -> ``u.s``,
   kept apart from the pronoun ``us``, the spelling ``split_sentences`` uses too), numbers with
   separators (``83,000``), and Unicode words with inner hyphens or apostrophes (``28-point``,
   ``o'brien``). A possessive ``'s`` is dropped (``Trump's`` -> ``trump``).
3. Numbers (tokens without a letter, unless ``keep_numbers``), tokens shorter than
   ``min_token_length`` and stop words split the clause, so no phrase spans them. The
   *connector words* (gensim's ``ENGLISH_CONNECTOR_WORDS``: a, an, and, at, by, for, from, in,
   of, on, or, the, to, with, without) stay, stop words or not.
4. Phrases (gensim ``Phrases``, learned in ``fit``): two content words next to each other or
   with only connector words between them (``white_house``, ``coalition_of_the_willing``); a
   connector word never starts or ends one. Where candidate phrases overlap, the set with the
   highest total score is joined (gensim joins greedily from the left, so ``carmakers at the
   White House`` would lose ``white_house`` to ``carmakers_at_the_white``).
5. Stop words and short tokens left between phrases are removed, then (``stem=True``) every
   word, and every word of a phrase, is stemmed with nltk's Snowball stemmer (no data files).
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from framing.corpus import Corpus, InputError, Interval, NotFittedError, Options, validate_params
from framing.corpus._params import NONE, InstanceOf

_NORMALIZE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
                            "\uff07": "'", "\u2010": "-", "\u2011": "-"})
_CLAUSE_BREAK = re.compile(
    r"[.!?;:,\u2026]+(?=[\s'\")\]]|$)"  # sentence and clause punctuation before a space or end
    r"|[()\[\]{}\"\u201c\u201d\u201e\u00ab\u00bb\u2013\u2014\n]"  # brackets, quotes, dashes
    r"|\s-+\s"  # a hyphen standing alone as a dash
)
_TOKEN = re.compile(
    r"[^\W\d_](?:\.[^\W\d_])+\.?"  # dotted abbreviations: U.S., D.C., a.m.
    r"|\d+(?:[.,]\d+)+(?![^\W_])"  # numbers with separators: 83,000 and 3.5
    r"|[^\W_]+(?:[-'][^\W_]+)*"  # words, with inner hyphens and apostrophes
)
_LETTER = re.compile(r"[^\W\d_]")
_TOKEN_CHARACTER = re.compile(r"[^\W_]|['.\-]")

#: Contractions our tokenizer keeps whole; gensim's list has their halves ("don", "didn").
ENGLISH_CONTRACTIONS: frozenset[str] = frozenset(
    "ain't aren't can't couldn't didn't doesn't don't hadn't hasn't haven't he'd he'll i'd i'll "
    "i'm i've isn't it'll mightn't mustn't needn't shan't she'd she'll shouldn't that'll "
    "there'd there'll they'd they'll they're they've wasn't we'd we'll we're we've weren't "
    "won't wouldn't you'd you'll you're you've e.g i.e".split()
)


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """gensim's English stop words (337) plus the contractions our tokenizer keeps whole.

    Examples
    --------
    >>> words = english_stop_words()
    >>> "the" in words, "don't" in words, "trump" in words
    (True, True, False)
    """
    from gensim.parsing.preprocessing import STOPWORDS

    return frozenset(STOPWORDS) | ENGLISH_CONTRACTIONS


@dataclass(eq=False)
class _Rules:
    """Everything a worker needs to tokenize texts (pickled to joblib workers)."""

    lowercase: bool
    stop: frozenset[str]
    connectors: frozenset[str]  # words that may sit inside a phrase, never at its ends
    min_length: int
    keep_numbers: bool
    stem: bool
    connector: str
    threshold: float = 0.0
    phrasegrams: dict[str, float] = field(default_factory=dict)


def _clauses(text: str, rules: _Rules) -> list[list[str]]:
    """Rules 1-3: the token lists of a text, connector words in, cut at clauses and gaps."""
    fragments: list[list[str]] = []
    for clause in _CLAUSE_BREAK.split(text.translate(_NORMALIZE)):
        current: list[str] = []
        for raw in _TOKEN.findall(clause):
            if raw[-1] == ".":
                raw = raw[:-1]
            if raw[-2:] in ("'s", "'S"):
                raw = raw[:-2]
            low = raw.lower()
            token = low if rules.lowercase else raw
            if token in rules.connectors:
                current.append(token)
            elif low not in rules.stop and (
                (len(low) >= rules.min_length and _LETTER.search(low))
                or (rules.keep_numbers and not _LETTER.search(low))
            ):
                current.append(token)
            elif current:  # a stop word, number or short token: a gap no phrase may span
                fragments.append(current)
                current = []
        if current:
            fragments.append(current)
    return fragments


def _join_phrases(fragment: list[str], rules: _Rules) -> list[str]:
    """Rule 4: join the non-overlapping phrases of highest total score (a path matching)."""
    anchors = [i for i, token in enumerate(fragment) if token not in rules.connectors]
    keys = [rules.connector.join(fragment[a:b + 1]) for a, b in itertools.pairwise(anchors)]
    weights = [rules.phrasegrams.get(key, rules.threshold) - rules.threshold for key in keys]
    if not any(w > 0 for w in weights):
        return fragment
    best = [0.0] * (len(keys) + 1)  # best[k]: best total over the first k candidates
    for k, weight in enumerate(weights, start=1):
        taken = (best[k - 2] if k >= 2 else 0.0) + weight
        best[k] = taken if weight > 0 and taken > best[k - 1] else best[k - 1]
    chosen, k = [], len(keys)
    while k > 0:
        if best[k] != best[k - 1]:
            chosen.append(k - 1)
            k -= 2
        else:
            k -= 1
    joined, position = [], 0
    for k in reversed(chosen):
        joined += fragment[position:anchors[k]]
        joined.append(keys[k])
        position = anchors[k + 1] + 1
    return joined + fragment[position:]


def _phrase_stream(texts: list[str], rules: _Rules) -> list[list[str]]:
    """What ``Phrases`` learns from: every clause of every text, connector words in."""
    return [fragment for text in texts for fragment in _clauses(text, rules)]


def _tokenize(texts: list[str], rules: _Rules) -> list[list[str]]:
    """Rules 1-5 for each text: its final token list."""
    stemmer = None
    if rules.stem:
        from nltk.stem.snowball import SnowballStemmer

        stemmer = SnowballStemmer("english")
    stems: dict[str, str] = {}

    def stem(token: str) -> str:
        if token not in stems:
            parts = token.split(rules.connector)
            stems[token] = rules.connector.join(
                p if "." in p or not _LETTER.search(p) else stemmer.stem(p) for p in parts)
        return stems[token]

    documents = []
    for text in texts:
        tokens = []
        for fragment in _clauses(text, rules):
            if rules.phrasegrams:
                fragment = _join_phrases(fragment, rules)
            for token in fragment:
                low = token.lower()
                if rules.connector not in token and (
                    low in rules.stop
                    or (len(low) < rules.min_length
                        and not (rules.keep_numbers and not _LETTER.search(low)))
                ):
                    continue
                tokens.append(stem(token) if stemmer is not None else token)
        documents.append(tokens)
    return documents


def _split(items: list[str], n_parts: int) -> list[list[str]]:
    size = max(1, -(-len(items) // n_parts))
    return [items[i:i + size] for i in range(0, len(items), size)]


class Tokenizer:
    """Turn a table of texts into a table of word tokens, learning multiword phrases in ``fit``.

    A transformer in scikit-learn's style: ``__init__`` only stores the parameters, ``fit``
    validates them and learns the phrases, ``transform`` returns a new table. Every input column
    but the text travels to the output; ``tokens`` (list of str) and ``n_tokens`` are added.
    The rules are listed in the module docstring. Nothing here is random, so there is no seed.

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

    # -- scikit-learn's estimator protocol (until sklearn is a dependency) --------------------

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return sorted(p.name for p in inspect.signature(cls.__init__).parameters.values()
                      if p.kind is p.KEYWORD_ONLY)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters, by name (``deep`` is accepted for scikit-learn; nothing nests)."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params: Any) -> Tokenizer:
        """Set parameters by name; validated at the next ``fit``."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise InputError(f"Invalid parameter {name!r} for estimator Tokenizer. "
                                 f"Valid parameters are: {valid!r}.")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"Tokenizer({', '.join(changed)})"

    def _validate_params(self) -> None:
        params = self.get_params()
        validate_params("Tokenizer", params, self._parameter_constraints)
        for name in ("stop_words", "extra_stop_words"):
            value = params[name]
            if not isinstance(value, str | None) and not all(isinstance(w, str) for w in value):
                raise InputError(f"The {name!r} parameter of Tokenizer must contain only str. "
                                 f"Got {value!r} instead.")
        if not self.connector or _TOKEN_CHARACTER.search(self.connector):
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

    def _rules(self, *, fitted: bool) -> _Rules:
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
        return _Rules(
            lowercase=self.lowercase, stop=stop, connectors=connectors,
            min_length=self.min_token_length, keep_numbers=self.keep_numbers, stem=self.stem,
            connector=self.connector, threshold=getattr(self, "phrase_threshold_", 0.0),
            phrasegrams=dict(phrases.phrasegrams) if phrases is not None else {},
        )

    def _runner(self) -> tuple[Parallel | None, Callable]:
        """Map a worker over a list of texts, split across ``n_jobs`` processes, in order."""
        pool = Parallel(n_jobs=self.n_jobs) if self.n_jobs > 1 else None

        def run(function: Callable, texts: list[str], rules: _Rules) -> list:
            if pool is None or len(texts) < 2:
                return function(texts, rules)
            parts = pool(delayed(function)(part, rules) for part in _split(texts, self.n_jobs))
            return [item for part in parts for item in part]

        return pool, run

    def _texts(self, frame: pd.DataFrame) -> list[str]:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"expected a DataFrame of documents, got {type(frame).__name__}")
        if self.text_column not in frame.columns:
            raise InputError(f"the table has no {self.text_column!r} column; set text_column",
                             field=self.text_column)
        texts = frame[self.text_column].tolist()
        for row, text in enumerate(texts, start=1):
            if not isinstance(text, str):
                if text is not None and not (pd.api.types.is_scalar(text) and pd.isna(text)):
                    raise InputError(f"expected text, got {type(text).__name__} {text!r}",
                                     row=row, field=self.text_column)
                texts[row - 1] = ""
        return texts

    def _fit_batches(self, batches: Iterable[pd.DataFrame], total: int | None,
                     progress: bool) -> Tokenizer:
        from gensim.models.phrases import Phrases

        self._validate_params()
        threshold = self.phrase_threshold
        if threshold is None:
            threshold = 0.5 if self.phrase_scoring == "npmi" else 10.0
        rules = self._rules(fitted=False)
        model = None
        if self.phrases:
            model = Phrases(min_count=self.phrase_min_count, threshold=float(threshold),
                            scoring=self.phrase_scoring, connector_words=rules.connectors,
                            delimiter=self.connector)
            pool, run = self._runner()
            with pool or contextlib.nullcontext(), tqdm(total=total, unit="doc", desc="phrases",
                                          disable=not progress, leave=False) as bar:
                for frame in batches:
                    texts = self._texts(frame)
                    model.add_vocab(run(_phrase_stream, texts, rules))
                    bar.update(len(texts))
        self.stop_words_ = rules.stop
        self.phrase_threshold_ = float(threshold)
        self.phrases_ = None if model is None else model.freeze()
        return self

    def _transform_batches(self, batches: Iterable[pd.DataFrame], total: int | None,
                           progress: bool) -> Iterator[pd.DataFrame]:
        self._check_is_fitted("transform")
        rules = self._rules(fitted=True)
        pool, run = self._runner()
        with pool or contextlib.nullcontext(), tqdm(total=total, unit="doc", desc="tokens",
                                      disable=not progress, leave=False) as bar:
            for frame in batches:
                texts = self._texts(frame)
                self._check_keys(frame)
                yield self._output(frame, run(_tokenize, texts, rules))
                bar.update(len(texts))

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
