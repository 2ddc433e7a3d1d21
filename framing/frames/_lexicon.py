"""Lexicon scores: dictionary counts of each frame's codebook terms per passage.

Rules, for every passage and frame:

1. Matching is case-insensitive and on whole words. Words are letters and digits with inner
   apostrophes (``won't``); hyphens separate words, so ``cease fire`` matches ``cease-fire``;
   a possessive ``'s`` is dropped on both sides (``Europe's problem`` matches ``Europe's
   problem`` and ``Europe problem``). A ``*`` ending a word of a term matches any ending
   (``walk* away`` = ``walked away``, ``walking away``). Patterns (Python regular expressions,
   case-insensitive) run on the text itself.
2. Within a frame, matches do not overlap: at each word the longest term wins (``peace deal``
   is one match, not also ``deal``), and a pattern overlapping a term match is not counted.
   Frames are scored independently, so a term listed under two frames counts for both.
3. Negation (``negation=True``): a match is *negated* when one of :data:`NEGATORS` starts within
   ``negation_window`` words before it, in the same clause. Clauses end at punctuation (``, ; :
   ! ? ( ) "`` dashes, a full stop after a word of two or more letters) and before ``but``,
   ``however``, ``although``, ``though``, ``while``, ``whereas``. ``not only`` and ``not just``
   do not negate. A negated match is not counted; it is listed in ``lex_<frame>_negated``.
4. The score is the summed weight of the counted matches: as is (``normalize="count"``), per
   100 words of the passage (``"per_100_words"``), or 1.0 when anything counted (``"binary"``).
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from framing._types import PathLike
from framing.corpus import InputError, Interval, NotFittedError, Options, validate_params
from framing.corpus._params import InstanceOf
from framing.frames._codebook import (
    _APOSTROPHES,
    WORD,
    Codebook,
    load_codebook,
    term_words,
)

#: Words (and two-word phrases) that negate a match starting within the window after them;
#: any word ending in ``n't`` negates too.
NEGATORS: tuple[tuple[str, ...], ...] = tuple(tuple(n.split()) for n in (
    "not", "no", "never", "cannot", "without", "nor", "neither", "deny", "denies", "denied",
    "denying", "reject", "rejects", "rejected", "rejecting", "refuse to", "refuses to",
    "refused to", "refusing to", "far from",
))
_SINGLE_NEGATORS = frozenset(n[0] for n in NEGATORS if len(n) == 1)
_PHRASE_NEGATORS = tuple(n for n in NEGATORS if len(n) > 1)
_NOT_NEGATING = frozenset({("not", "only"), ("not", "just")})
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "while", "whereas"})
_BREAK = re.compile(r"[,;:!?()\[\]{}\"\u201c\u201d\u00ab\u00bb\u2013\u2014\n]|\s-+\s")
Normalize = Literal["per_100_words", "count", "binary"]


@dataclass(frozen=True)
class _Term:
    frame: int
    words: tuple[tuple[str, bool], ...]
    weight: float


@dataclass
class _Matcher:
    """A codebook's lexicon compiled for one pass over a passage's words."""

    n_frames: int
    exact: dict[str, list[_Term]] = field(default_factory=dict)  # first word -> terms
    prefixed: dict[str, list[tuple[str, _Term]]] = field(default_factory=dict)  # stem[:3]
    patterns: list[tuple[re.Pattern[str], int, float]] = field(default_factory=list)

    @classmethod
    def compile(cls, codebook: Codebook) -> _Matcher:
        matcher = cls(n_frames=len(codebook.frame_names))
        for index, name in enumerate(codebook.frame_names):
            for entry in codebook.frames[name].lexicon:
                if entry.is_pattern:
                    matcher.patterns.append(
                        (re.compile(entry.text, re.IGNORECASE), index, entry.weight))
                    continue
                term = _Term(index, term_words(entry.text), entry.weight)
                first, is_prefix = term.words[0]
                if is_prefix:
                    matcher.prefixed.setdefault(first[:3], []).append((first, term))
                else:
                    matcher.exact.setdefault(first, []).append(term)
        for terms in matcher.exact.values():
            terms.sort(key=lambda t: -len(t.words))
        return matcher

    def candidates(self, word: str) -> list[_Term]:
        found = list(self.exact.get(word, ()))
        for size in range(1, min(3, len(word)) + 1):  # stems are filed under stem[:3]
            found += [t for stem, t in self.prefixed.get(word[:size], ())
                      if size < 3 or word.startswith(stem)]
        found.sort(key=lambda t: -len(t.words))  # stable: exact before prefix on ties
        return found


def _words(text: str) -> tuple[list[tuple[int, int, str]], list[int]]:
    """(start, end, lower-case word) of every word, and each word's clause number."""
    words: list[tuple[int, int, str]] = []
    clauses: list[int] = []
    clause, previous = 0, None
    for match in WORD.finditer(text):
        word = match.group().lower()
        end = match.end()
        if word.endswith("'s") and len(word) > 2:
            word, end = word[:-2], end - 2
        if previous is not None:
            gap = text[previous[1]:match.start()]
            full_stop = "." in gap and len(previous[2]) > 1
            if full_stop or _BREAK.search(gap) or word in _CLAUSE_WORDS:
                clause += 1
        previous = (match.start(), end, word)
        words.append(previous)
        clauses.append(clause)
    return words, clauses


def _is_negated(words: list[str], clauses: list[int], i: int, window: int) -> bool:
    for j in range(i - 1, max(i - window, 0) - 1, -1):
        if clauses[j] != clauses[i]:
            return False
        if words[j].endswith("n't"):
            return True
        if words[j] in _SINGLE_NEGATORS and (j + 1 == i or (words[j], words[j + 1])
                                              not in _NOT_NEGATING):
            return True
        if any(j + len(n) <= i and tuple(words[j:j + len(n)]) == n for n in _PHRASE_NEGATORS):
            return True
    return False


def _match(matcher: _Matcher, text: str, negation: bool, window: int
           ) -> tuple[int, list[list[tuple[int, str, float, bool]]]]:
    """The number of words, and per frame the (start, surface, weight, negated) of each match."""
    text = text.translate(_APOSTROPHES)
    spans, clauses = _words(text)
    words = [w for _, _, w in spans]
    found: list[list[tuple[int, int, float, int]]] = [[] for _ in range(matcher.n_frames)]
    next_free = [0] * matcher.n_frames
    for i, word in enumerate(words):
        for term in matcher.candidates(word):
            size = len(term.words)
            if next_free[term.frame] > i or i + size > len(words):
                continue
            if all(words[i + k] == w or (p and words[i + k].startswith(w))
                   for k, (w, p) in enumerate(term.words)):
                found[term.frame].append((spans[i][0], spans[i + size - 1][1], term.weight, i))
                next_free[term.frame] = i + size
    starts = [s for s, _, _ in spans]
    for pattern, frame, weight in matcher.patterns:
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(s < m.end() and m.start() < e
                                           for s, e, _, _ in found[frame]):
                continue
            i = bisect.bisect_left(starts, m.start())
            found[frame].append((m.start(), m.end(), weight, min(i, len(words) - 1)))
    result = []
    for matches in found:
        result.append([
            (start, " ".join(text[start:end].lower().split()), weight,
             negation and bool(words) and _is_negated(words, clauses, i, window))
            for start, end, weight, i in sorted(matches)
        ])
    return len(words), result


class LexiconScorer(TransformerMixin, BaseEstimator):
    """Score passages on each frame of a codebook by its lexicon, with simple negation.

    A scikit-learn style transformer: usable alone as a dictionary baseline, or as features.

    Parameters
    ----------
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        A shipped codebook's name, a path to a codebook file, or a loaded :class:`Codebook`.
    negation : bool, default=True
        Whether a negator shortly before a match cancels it (see the module's rules).
    negation_window : int, default=3
        How many words before a match a negator may start, within the same clause.
    normalize : {"per_100_words", "count", "binary"}, default="per_100_words"
        Summed weights per 100 words, as they are, or 1.0/0.0 for any counted match.
    text_column : str, default="text"
        The column holding the passage text.

    Attributes
    ----------
    codebook_ : Codebook
        The codebook in force.
    frame_names_ : tuple of str
        Its frames, in order (the none category has no lexicon and no score).
    codebook_sha256_ : str
        The codebook file's hash, to record with results.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": ["a:0", "b:0"], "outlet": ["X", "Y"], "text": [
    ...     "Trump vowed to broker a peace deal.", "Trump said he was not walking away."]})
    >>> scores = LexiconScorer(normalize="count").fit_transform(passages)
    >>> scores[["passage_id", "outlet", "lex_peacemaker", "lex_isolationist"]]
      passage_id outlet  lex_peacemaker  lex_isolationist
    0        a:0      X             4.0               0.0
    1        b:0      Y             0.0               0.0
    >>> scores.loc[0, "lex_peacemaker_hits"], scores.loc[1, "lex_isolationist_negated"]
    ('broker; peace deal', 'walking away')
    """

    _parameter_constraints: dict[str, list] = {
        "codebook": [InstanceOf((str, os.PathLike, Codebook))],
        "negation": [InstanceOf((bool,))],
        "negation_window": [Interval(int, 1, 20)],
        "normalize": [Options({"per_100_words", "count", "binary"})],
        "text_column": [InstanceOf((str,))],
    }

    def __init__(
        self,
        *,
        codebook: PathLike | Codebook = "trump_ukraine_roles",
        negation: bool = True,
        negation_window: int = 3,
        normalize: Normalize = "per_100_words",
        text_column: str = "text",
    ) -> None:
        self.codebook = codebook
        self.negation = negation
        self.negation_window = negation_window
        self.normalize = normalize
        self.text_column = text_column

    # -- fitting and transforming -------------------------------------------------------------

    def fit(self, X: pd.DataFrame | None = None, y: Any = None) -> LexiconScorer:
        """Validate the parameters and load and compile the codebook (``X`` is not used).

        Raises
        ------
        InputError
            A parameter out of range, or a codebook that cannot be loaded.
        """
        validate_params("LexiconScorer", self.get_params(), self._parameter_constraints)
        codebook = (self.codebook if isinstance(self.codebook, Codebook)
                    else load_codebook(self.codebook))
        self._matcher = _Matcher.compile(codebook)
        self.codebook_ = codebook
        self.frame_names_ = codebook.frame_names
        self.codebook_sha256_ = codebook.sha256
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The score columns, ``lex_<frame>`` in codebook order."""
        self._check_is_fitted("get_feature_names_out")
        return np.asarray([f"lex_{name}" for name in self.frame_names_], dtype=object)

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "codebook_"):
            raise NotFittedError(
                "This LexiconScorer instance is not fitted yet. Call 'fit' with appropriate "
                f"arguments before using '{method}'.")

    def transform(self, passages: pd.DataFrame) -> pd.DataFrame:
        """Score every passage; keep the index and every column but the text.

        Returns
        -------
        DataFrame
            The input's columns (without ``text_column``) in order, then ``lex_<frame>``
            (float) for every frame, then ``lex_<frame>_hits`` and ``lex_<frame>_negated``
            (the matched words as written, lower case, ``"; "``-joined, in text order).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            No text column, a text that is not a string, or an output column already there.
        """
        self._check_is_fitted("transform")
        texts = self._texts(passages)
        names = self.frame_names_
        added = ([f"lex_{n}" for n in names] + [f"lex_{n}_hits" for n in names]
                 + [f"lex_{n}_negated" for n in names])
        clash = [c for c in added if c in passages.columns]
        if clash:
            raise InputError(f"the table already has a {clash[0]!r} column", field=clash[0])
        scores = np.zeros((len(texts), len(names)))
        hits: list[list[str]] = [[] for _ in names]
        negated: list[list[str]] = [[] for _ in names]
        for row, text in enumerate(texts):
            n_words, per_frame = _match(self._matcher, text, self.negation,
                                        self.negation_window)
            for k, matches in enumerate(per_frame):
                total = sum(w for _, _, w, is_neg in matches if not is_neg)
                if self.normalize == "per_100_words":
                    total = 100.0 * total / n_words if n_words else 0.0
                elif self.normalize == "binary":
                    total = float(total > 0)
                scores[row, k] = total
                hits[k].append("; ".join(s for _, s, _, is_neg in matches if not is_neg))
                negated[k].append("; ".join(s for _, s, _, is_neg in matches if is_neg))
        columns: dict[str, Any] = {f"lex_{n}": scores[:, k] for k, n in enumerate(names)}
        columns.update({f"lex_{n}_hits": hits[k] for k, n in enumerate(names)})
        columns.update({f"lex_{n}_negated": negated[k] for k, n in enumerate(names)})
        kept = passages.drop(columns=[self.text_column])
        return pd.concat([kept, pd.DataFrame(columns, index=passages.index)], axis=1)

    def fit_transform(self, passages: pd.DataFrame, y: Any = None) -> pd.DataFrame:
        """``fit`` then ``transform``."""
        return self.fit(passages, y).transform(passages)

    def _texts(self, passages: pd.DataFrame) -> list[str]:
        return passage_texts(passages, self.text_column)


def lexicon_scores(
    passages: pd.DataFrame,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    negation: bool = True,
    negation_window: int = 3,
    normalize: Normalize = "per_100_words",
    text_column: str = "text",
) -> pd.DataFrame:
    """Lexicon scores of every passage: ``LexiconScorer(...).fit_transform(passages)``.

    See :class:`LexiconScorer` for the parameters, the rules and the columns added.

    Examples
    --------
    >>> passages = pd.DataFrame({"doc_id": ["a"], "text": [
    ...     "Trump said Europe should pay, and he doubted the plan would work."]})
    >>> lexicon_scores(passages, normalize="binary").filter(like="lex_").iloc[0, :3].tolist()
    [0.0, 1.0, 1.0]
    """
    return LexiconScorer(codebook=codebook, negation=negation, negation_window=negation_window,
                         normalize=normalize, text_column=text_column).fit_transform(passages)


def passage_texts(passages: pd.DataFrame, text_column: str) -> list[str]:
    """The texts of a passages table as strings (missing ones as ""), with clear errors."""
    if not isinstance(passages, pd.DataFrame):
        raise TypeError(f"expected a DataFrame of passages, got {type(passages).__name__}")
    if text_column not in passages.columns:
        raise InputError(f"the table has no {text_column!r} column; set text_column",
                         field=text_column)
    texts = passages[text_column].tolist()
    for row, text in enumerate(texts, start=1):
        if not isinstance(text, str):
            if text is not None and not (pd.api.types.is_scalar(text) and pd.isna(text)):
                raise InputError(f"expected text, got {type(text).__name__} {text!r}",
                                 row=row, field=text_column)
            texts[row - 1] = ""
    return texts
