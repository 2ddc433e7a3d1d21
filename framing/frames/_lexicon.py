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

For speed, the matcher looks up each distinct word's candidate terms once, looks for clause
breaks only before a match, and skips a pattern in a passage that lacks the literal text every
match of it contains; tests/frames/test_speed_lexicon.py holds it to a plain implementation of
these rules.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from dataclasses import dataclass, field
from itertools import accumulate, compress
from re import _constants as _sre  # the regex parser's node types (CPython 3.11+)
from re import _parser as _sre_parse
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
_PHRASE_FIRST = frozenset(n[0] for n in _PHRASE_NEGATORS)
_NOT_NEGATING = frozenset({("not", "only"), ("not", "just")})
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "while", "whereas"})
_BREAK = re.compile(r"[,;:!?()\[\]{}\"\u201c\u201d\u00ab\u00bb\u2013\u2014\n]|\s-+\s")
Normalize = Literal["per_100_words", "count", "binary"]
# WORD, capturing: its split gives the gaps and the words of a text in one pass.
_SPLIT = re.compile(f"({WORD.pattern})")
# The codebook's apostrophe table as (character, replacement) pairs, for _replace.
_APOSTROPHE_PAIRS = tuple((chr(code), new) for code, new in _APOSTROPHES.items())


@dataclass(frozen=True)
class _Term:
    frame: int
    words: tuple[tuple[str, bool], ...]
    weight: float


# Words whose candidate terms are remembered per matcher: a news corpus repeats its words, so
# the look-up runs once per distinct word, not once per word; capped to bound the memory.
_MEMO_SIZE = 200_000


@dataclass
class _Matcher:
    """A codebook's lexicon compiled for one pass over a passage's words."""

    n_frames: int
    exact: dict[str, list[_Term]] = field(default_factory=dict)  # first word -> terms
    prefixed: dict[str, list[tuple[str, _Term]]] = field(default_factory=dict)  # stem[:3]
    patterns: list[tuple[re.Pattern[str], int, float]] = field(default_factory=list)
    memo: dict[str, tuple[_Term, ...]] = field(default_factory=dict, repr=False, compare=False)

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

    def candidates(self, word: str) -> tuple[_Term, ...]:
        """The terms that may start at ``word``, longest first (remembered per word)."""
        found = self.memo.get(word)
        if found is not None:
            return found
        terms = list(self.exact.get(word, ()))
        for size in range(1, min(3, len(word)) + 1):  # stems are filed under stem[:3]
            terms += [t for stem, t in self.prefixed.get(word[:size], ())
                      if size < 3 or word.startswith(stem)]
        terms.sort(key=lambda t: -len(t.words))  # stable: exact before prefix on ties
        found = tuple(terms)
        if len(self.memo) < _MEMO_SIZE:
            self.memo[word] = found
        return found

    def required(self) -> list[tuple[tuple[str, ...], ...]]:
        """Each pattern's :func:`_required_literals` (worked out once per matcher)."""
        found = self.__dict__.get("_required")
        if found is None or len(found) != len(self.patterns):
            found = [_required_literals(p.pattern, p.flags) for p, _, _ in self.patterns]
            self.__dict__["_required"] = found
        return found

    # The memo is a cache: it is not saved with a model, and a model saved before it existed
    # gets an empty one.
    def __getstate__(self) -> dict[str, Any]:
        state = {**self.__dict__, "memo": {}}
        state.pop("_required", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"memo": {}, **state})


# Characters that re.IGNORECASE matches to an ASCII letter although their lower case is another
# character (sre's case equivalences and simple case mappings); the pattern prefilter folds
# them before it looks for a pattern's literal text in the lower-cased passage.
_FOLD = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))


def _replace(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text`` with each pair's first character replaced by its second (as ``translate``
    with that table, but without ``translate``'s per-character cost)."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def _leading_literals(items: Any) -> set[str] | None:
    """The strings one of which every match of a parsed regex sequence starts with, or None."""
    run: list[str] = []
    for op, av in items:
        if op is _sre.AT and not run:  # zero-width: \b before the first literal
            continue
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if not run:
            if op is _sre.BRANCH:
                found: set[str] = set()
                for branch in av[1]:
                    lead = _leading_literals(branch)
                    if lead is None:
                        return None
                    found |= lead
                return found
            if op is _sre.SUBPATTERN and not av[1] and not av[2]:  # no inline flags
                return _leading_literals(av[3])
        break
    return {"".join(run)} if run else None


@functools.lru_cache(maxsize=1024)
def _required_literals(pattern: str, flags: int) -> tuple[tuple[str, ...], ...]:
    """Lower-case ASCII strings a case-insensitive match of ``pattern`` must contain.

    One string of every group must occur in the passage (lower-cased, :data:`_FOLD` applied)
    for the pattern to match anywhere, so a passage lacking them skips the (slow) regex. Only
    literal text outside repetitions is used, so the test never skips a real match; a pattern
    it cannot read gets no groups and always runs.

    Examples
    --------
    >>> _required_literals(r"\\bpull(?:s|ed)?\\s+(?:U\\.S\\.|America)\\s+out\\b", re.IGNORECASE)
    (('america', 'u.s.'), ('pull',), ('out',))
    """
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except (re.error, TypeError, ValueError, RecursionError):
        return ()
    if parsed.state.flags & re.LOCALE:
        return ()
    groups: list[set[str]] = []
    run: list[str] = []
    for op, av in [*parsed, (None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            groups.append({"".join(run)})
            run = []
        if op is _sre.BRANCH or (op is _sre.SUBPATTERN and not av[1] and not av[2]):
            lead = _leading_literals([(op, av)])
            if lead:
                groups.append(lead)
    kept = []
    for group in groups:
        if not all(s.isascii() for s in group):
            continue
        lower = {s.lower() for s in group}
        # A string holding another of its group adds nothing; a group with a string shorter
        # than 3 characters is in nearly every passage, so it only costs time.
        lower = {s for s in lower if not any(t != s and t in s for t in lower)}
        if min(map(len, lower)) >= 3:
            kept.append(tuple(sorted(lower)))
    # The rarest first (longer strings are rarer), so a passage is ruled out sooner.
    return tuple(sorted(kept, key=lambda group: (-min(map(len, group)), group)))


def _match(matcher: _Matcher, text: str, negation: bool, window: int, surfaces: bool = True
           ) -> tuple[int, list[list[tuple[int, str, float, bool]]]]:
    """The number of words, and per frame the (start, surface, weight, negated) of each match.

    ``surfaces=False`` leaves the surface ``""`` (scores need no strings).
    """
    text = _replace(text, _APOSTROPHE_PAIRS)
    parts = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
    raw = parts[1::2]
    # One lower() for the passage: "\n" is never part of a word, nor made by lower().
    joined = "\n".join(raw).lower()
    lowered = joined.split("\n") if raw else []
    words = ([w[:-2] if w.endswith("'s") and len(w) > 2 else w for w in lowered]
             if "'s" in joined else lowered)
    n_words = len(words)
    terms_at = list(map(matcher.memo.get, words))
    if None in terms_at:
        terms_at = [t if t is not None else matcher.candidates(w)
                    for t, w in zip(terms_at, words, strict=True)]
    # (first word, words, weight) of the term matches of each frame, found left to right.
    term_found: list[list[tuple[int, int, float]]] = [[] for _ in range(matcher.n_frames)]
    next_free = [0] * matcher.n_frames
    any_term = False
    for i in compress(range(n_words), terms_at):  # the words that start a term
        for term in terms_at[i]:
            size = len(term.words)
            if next_free[term.frame] > i or i + size > n_words:
                continue
            # The first word matched already: candidates() found the term under it.
            if size == 1 or all(words[i + k] == w or (p and words[i + k].startswith(w))
                                for k, (w, p) in enumerate(term.words[1:], start=1)):
                term_found[term.frame].append((i, size, term.weight))
                next_free[term.frame] = i + size
                any_term = True
    spans: list[tuple[int, int]] = []
    if any_term:
        spans = _spans(parts, words, lowered)
    found: list[list[tuple[int, int, float, int]]] = [
        [(spans[i][0], spans[i + size - 1][1], weight, i) for i, size, weight in matches]
        for matches in term_found]
    folded = None
    for (pattern, frame, weight), required in zip(matcher.patterns, matcher.required(),
                                                  strict=True):
        if required:
            if folded is None:
                folded = _replace(text, _FOLD).lower()
            if not _contains(folded, required):
                continue
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(s < m.end() and m.start() < e
                                           for s, e, _, _ in found[frame]):
                continue
            if not spans and n_words:
                spans = _spans(parts, words, lowered)
            i = bisect.bisect_left(spans, (m.start(),))
            found[frame].append((m.start(), m.end(), weight, min(i, n_words - 1)))
    result = []
    for matches in found:
        result.append([
            (start, " ".join(text[start:end].lower().split()) if surfaces else "", weight,
             negation and bool(words) and _is_negated(text, words, spans, i, window))
            for start, end, weight, i in sorted(matches)
        ])
    return n_words, result


def _contains(text: str, required: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``text`` contains a string of every group."""
    for group in required:
        for string in group:
            if string in text:
                break
        else:
            return False
    return True


def _spans(parts: list[str], words: list[str], lowered: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every word in the text; the end before a dropped possessive ``'s``."""
    offsets = list(accumulate(map(len, parts), initial=0))
    # offsets[2k + 1] is where word k starts, offsets[2k + 2] where it ends.
    spans = list(zip(offsets[1:-1:2], offsets[2::2], strict=True))
    if words is lowered:
        return spans
    for k, (word, low) in enumerate(zip(words, lowered, strict=True)):
        if word is not low:
            spans[k] = (spans[k][0], spans[k][1] - 2)
    return spans


def _clause_break(text: str, words: list[str], spans: list[tuple[int, int]], k: int) -> bool:
    """Whether a clause ends between word ``k - 1`` and word ``k``."""
    gap = text[spans[k - 1][1]:spans[k][0]]
    return (("." in gap and len(words[k - 1]) > 1) or _BREAK.search(gap) is not None
            or words[k] in _CLAUSE_WORDS)


def _is_negated(text: str, words: list[str], spans: list[tuple[int, int]], i: int,
                window: int) -> bool:
    for j in range(i - 1, max(i - window, 0) - 1, -1):
        if _clause_break(text, words, spans, j + 1):  # word j is in an earlier clause
            return False
        if words[j].endswith("n't"):
            return True
        if words[j] in _SINGLE_NEGATORS and (j + 1 == i or (words[j], words[j + 1])
                                              not in _NOT_NEGATING):
            return True
        if words[j] in _PHRASE_FIRST and any(j + len(n) <= i and tuple(words[j:j + len(n)]) == n
                                             for n in _PHRASE_NEGATORS):
            return True
    return False


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
        scores, hits, negated = self._score(texts, surfaces=True)
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

    def _score(self, texts: list[str], surfaces: bool = False
               ) -> tuple[np.ndarray, list[list[str]], list[list[str]]]:
        """The (n_texts, n_frames) scores and, with ``surfaces``, the hits and negated cues."""
        scores = np.zeros((len(texts), len(self.frame_names_)))
        hits: list[list[str]] = [[] for _ in self.frame_names_]
        negated: list[list[str]] = [[] for _ in self.frame_names_]
        for row, text in enumerate(texts):
            n_words, per_frame = _match(self._matcher, text, self.negation,
                                        self.negation_window, surfaces)
            for k, matches in enumerate(per_frame):
                if not matches:
                    if surfaces:
                        hits[k].append("")
                        negated[k].append("")
                    continue  # the score stays 0.0, in every normalization
                total = sum(w for _, _, w, is_neg in matches if not is_neg)
                if self.normalize == "per_100_words":
                    total = 100.0 * total / n_words if n_words else 0.0
                elif self.normalize == "binary":
                    total = float(total > 0)
                scores[row, k] = total
                if surfaces:
                    hits[k].append("; ".join(s for _, s, _, is_neg in matches if not is_neg))
                    negated[k].append("; ".join(s for _, s, _, is_neg in matches if is_neg))
        return scores, hits, negated


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
