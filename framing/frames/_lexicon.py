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

For speed, the matcher looks up each distinct word's candidate terms once (and tries only
those the next word allows), looks for clause breaks only when a negator precedes a match,
works out where words start only when needed, and skips a pattern in a passage that lacks the
literal text every match of it contains. A passage that is ASCII but for a few punctuation
marks (most news text) is cut into words by ``str.translate`` and ``split`` rather than by the
WORD regex, and there a pattern that starts with ``\\b`` and literal text runs only from the
words that can start it, if any; tests/frames/test_speed_lexicon.py holds the matcher to a
plain implementation of these rules.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from itertools import accumulate, compress, count
from operator import add
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
from framing.frames._lexicon_patterns import (
    _FOLD,
    _gate_prefixes,
    _replace,
    _required_literals,
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
_NEGATOR_FIRST = _SINGLE_NEGATORS | _PHRASE_FIRST
_NOT_NEGATING = frozenset({("not", "only"), ("not", "just")})
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "while", "whereas"})
_BREAK = re.compile(r"[,;:!?()\[\]{}\"\u201c\u201d\u00ab\u00bb\u2013\u2014\n]|\s-+\s")
Normalize = Literal["per_100_words", "count", "binary"]
# WORD, capturing: its split gives the gaps and the words of a text in one pass.
_SPLIT = re.compile(f"({WORD.pattern})")
# The codebook's apostrophe table as (character, replacement) pairs, for _replace.
_APOSTROPHE_PAIRS = tuple((chr(code), new) for code, new in _APOSTROPHES.items())
# The fast tokenizer (_flatten) works on ASCII text. Common non-ASCII characters that are never
# part of a word become spaces first (one character for one, so offsets hold); a text with any
# other non-ASCII character goes through WORD.
_NON_WORD_PAIRS = tuple((char, " ") for char in "\u201c\u201d\u2014\u2013\u2026\u00a0")
# In ASCII, WORD's characters are the letters and digits, and lower() maps one character to
# one: letters lowered, digits and apostrophes kept, everything else a space.
_FLAT = str.maketrans({code: chr(code).lower() if chr(code).isalnum() or chr(code) == "'"
                       else " " for code in range(128)})
# Apostrophes WORD leaves out (doubled, or at a word's edge), as (old, new) pairs for _replace;
# in this order they leave none but at the text's ends (see _flatten).
_LOOSE_APOSTROPHES = (("''", "  "), (" '", "  "), ("' ", "  "))


@dataclass(frozen=True)
class _Term:
    frame: int
    words: tuple[tuple[str, bool], ...]
    weight: float


# A term as the matching loop reads it: (frame, number of words, weight, its second word and
# whether that is a prefix ("", False for a one-word term), and its words after the first: as a
# list when none is a prefix (compared as one list slice), else as (word, is_prefix) pairs).
_Candidate = tuple[int, int, float, str, bool, "list[str] | tuple[tuple[str, bool], ...]"]


def _candidate(term: _Term) -> _Candidate:
    rest = term.words[1:]
    second, is_prefix = rest[0] if rest else ("", False)
    return (term.frame, len(term.words), term.weight, second, is_prefix,
            rest if any(prefix for _, prefix in rest) else [w for w, _ in rest])


# A pattern as the matcher runs it: (pattern, frame, weight, its required literal groups, and
# its gate's bit in _Starts.bits, 0 when it has no gate).
_PatternCheck = tuple[re.Pattern[str], int, float, tuple[tuple[str, ...], ...], int]


@dataclass
class _Gates:
    """Which patterns may match in a flattened text (see :func:`_gate_prefixes`), by its words.

    Built from a matcher's patterns when first needed, never saved.
    """

    checks: list[_PatternCheck]  # every pattern, for a text that is not flattened
    prefixes: list[tuple[tuple[str, bool], ...] | None]  # each pattern's gate, None: no gate
    runs: dict[int, list[_PatternCheck]] = field(default_factory=dict)  # bits -> checks to run

    def bits(self, word: str) -> int:
        """Bit k set when ``word`` opens pattern k's gate."""
        parts = word.split("'")
        bits = 0
        for k, prefixes in enumerate(self.prefixes):
            if prefixes is not None and any(
                    part == prefix if exact else part.startswith(prefix)
                    for part in parts for prefix, exact in prefixes):
                bits |= 1 << k
        return bits

    def to_run(self, bits: int) -> list[_PatternCheck]:
        """The checks of the patterns without a gate and of those whose bit is set, without
        the required literal groups an open gate implies (a group holding a string that is
        part of every prefix: the text holds the prefix)."""
        found = self.runs.get(bits)
        if found is None:
            found = self.runs[bits] = [
                (pattern, frame, weight, required if prefixes is None else tuple(
                    group for group in required
                    if not all(any(s in prefix for s in group) for prefix, _ in prefixes)),
                 bit)
                for k, ((pattern, frame, weight, required, bit), prefixes) in enumerate(zip(
                    self.checks, self.prefixes, strict=True))
                if prefixes is None or bits >> k & 1]
        return found


class _Starts:
    """What may start at a word: its candidate terms, longest first, and the gates it opens.

    ``by_next`` holds, for each word that is an exact second word of a candidate, the
    candidates that may match when that word follows; ``default`` those that may match
    whatever follows (one word, or a prefix second). Each keeps the candidates' order, so the
    matching loop tries only the candidates that can match, in the same order. Bit k of
    ``bits``: the word opens pattern k's gate. Any instance is true, so that loop, which
    visits the words with a true memo entry, visits it.
    """

    __slots__ = ("by_next", "default", "bits")

    def __init__(self, candidates: tuple[_Candidate, ...], bits: int) -> None:
        seconds = {c[3] for c in candidates if c[1] > 1 and not c[4]}
        self.by_next = {second: tuple(
            c for c in candidates if c[1] == 1 or c[3] == second
            or (c[4] and second.startswith(c[3]))) for second in seconds}
        self.default = tuple(c for c in candidates if c[1] == 1 or c[4])
        self.bits = bits


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
    memo: dict[str, _Starts | tuple[()]] = field(default_factory=dict, repr=False,
                                                 compare=False)

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

    def candidates(self, word: str) -> _Starts | tuple[()]:
        """The terms that may start at ``word`` and the gates it opens, as :class:`_Starts`,
        or ``()`` when neither (remembered per word)."""
        found = self.memo.get(word)
        if found is not None:
            return found
        terms = list(self.exact.get(word, ()))
        for size in range(1, min(3, len(word)) + 1):  # stems are filed under stem[:3]
            terms += [t for stem, t in self.prefixed.get(word[:size], ())
                      if size < 3 or word.startswith(stem)]
        terms.sort(key=lambda t: -len(t.words))  # stable: exact before prefix on ties
        bits = self.gates().bits(word)
        found: _Starts | tuple[()] = _Starts(tuple(map(_candidate, terms)), bits) if (
            terms or bits) else ()
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

    def gates(self) -> _Gates:
        """The patterns' :class:`_Gates`, built once per matcher.

        The memo's entries carry their words' gate bits, so when the gates are (re)built, the
        memo is emptied. :func:`_match` asks before its memo look-ups.
        """
        found = self.__dict__.get("_gates")
        if found is None or len(found.checks) != len(self.patterns):
            prefixes = [_gate_prefixes(p.pattern, p.flags) for p, _, _ in self.patterns]
            found = _Gates(
                checks=[(pattern, frame, weight, required, 0 if gate is None else 1 << k)
                        for k, ((pattern, frame, weight), required, gate) in enumerate(zip(
                            self.patterns, self.required(), prefixes, strict=True))],
                prefixes=prefixes)
            self.__dict__["_gates"] = found
            self.memo.clear()
        return found

    # The memo and the gates are a cache: not saved with a model, and a model saved before
    # they existed gets them empty.
    def __getstate__(self) -> dict[str, Any]:
        state = {**self.__dict__, "memo": {}}
        state.pop("_required", None)
        state.pop("_gates", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({**state, "memo": {}})
        self.__dict__.pop("_gates", None)


def _match(matcher: _Matcher, text: str, negation: bool, window: int, surfaces: bool = True
           ) -> tuple[int, list[list[tuple[int, str, float, bool]]]]:
    """The number of words, and per frame the (start, surface, weight, negated) of each match.

    ``surfaces=False`` leaves the surface ``""``, and when no pattern runs on the text, gives
    the index of a match's first word as its start: scores need neither, and the matches come
    in the same order (a frame's term matches do not overlap).
    """
    gates = matcher.gates()  # before the memo look-ups: it may empty the memo
    text = _replace(text, _APOSTROPHE_PAIRS)
    flat = _flatten(text)
    parts = None
    if flat is not None:
        if "'s" in flat:
            # Possessives dropped, offsets kept: a word's final "'s" becomes spaces (no word in
            # flat starts with an apostrophe, so each word ending in "'s" has more letters).
            flat = flat.replace("'s ", "   ")
            if flat.endswith("'s"):
                flat = flat[:-2] + "  "
        words = lowered = flat.split()
    else:
        parts = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
        raw = parts[1::2]
        # One lower() for the passage: "\n" is never part of a word, nor made by lower().
        joined = "\n".join(raw).lower()
        lowered = joined.split("\n") if raw else []
        words = ([w[:-2] if w.endswith("'s") and len(w) > 2 else w for w in lowered]
                 if "'s" in joined else lowered)
    n_words = len(words)
    entries = list(map(matcher.memo.get, words))
    if None in entries:
        entries = [e if e is not None else matcher.candidates(w)
                   for e, w in zip(entries, words, strict=True)]
    # (first word, words, weight) of the term matches of each frame, found left to right.
    term_found: list[list[tuple[int, int, float]]] = [[] for _ in range(matcher.n_frames)]
    next_free = [0] * matcher.n_frames
    any_term = False
    bits = 0  # the pattern gates the words open
    opened = []  # those words
    last = n_words - 1
    for i in compress(range(n_words), entries):  # the words that start a term or open a gate
        entry: Any = entries[i]
        if entry.bits:
            bits |= entry.bits
            opened.append(i)
        for frame, size, weight, second, is_prefix, rest in (
                entry.by_next.get(words[i + 1], entry.default) if i < last else entry.default):
            if next_free[frame] > i or i + size > n_words:
                continue
            # The first word matched already: candidates() found the term under it. Most
            # terms have one or two words, so the second is looked at alone first.
            if size > 1:
                word = words[i + 1]
                if word != second and not (is_prefix and word.startswith(second)):
                    continue
                if size > 2 and (words[i + 1:i + size] != rest if rest.__class__ is list
                                 else not all(words[k] == w or (p and words[k].startswith(w))
                                              for k, (w, p) in enumerate(rest, start=i + 1))):
                    continue
            term_found[frame].append((i, size, weight))
            next_free[frame] = i + size
            any_term = True
    # The gates hold in a flattened text only.
    checks = gates.to_run(bits) if parts is None else gates.checks
    folded = None
    runs = []
    for check in checks:
        if check[3]:
            if folded is None:
                # A flattened text has no character to fold.
                folded = text.lower() if parts is None else _replace(text, _FOLD).lower()
            if not _contains(folded, check[3]):
                continue
        runs.append(check)
    padded = f" {flat} " if parts is None else ""  # for _word_start
    # (starts, ends) of every word, worked out only when a pattern or a negation check needs it.
    offsets: tuple[list[int], list[int]] | None = None
    found: list[list[tuple[int, int, float, int]]]
    if not any_term:
        found = [[] for _ in term_found]
    elif not (surfaces or runs):
        found = [[(i, i, weight, i) for i, _, weight in matches] for matches in term_found]
    elif parts is None:
        # A match needs where its first word starts and its last word ends, nothing more.
        found = [[(*_term_span(padded, words, i, size), weight, i)
                  for i, size, weight in matches] for matches in term_found]
    else:
        offsets = starts, ends = _offsets(flat, parts, words, lowered)
        found = [[(starts[i], ends[i + size - 1], weight, i) for i, size, weight in matches]
                 for matches in term_found]
    any_pattern = False
    for pattern, frame, weight, _, bit in runs:
        if bit and parts is None:
            # A match starts where a word that opens the gate does: try there only.
            ms: Any = _gated_matches(pattern, text, padded, words,
                                     [i for i in opened if entries[i].bits & bit])
        else:
            ms = pattern.finditer(text)
        for m in ms:
            if m.end() == m.start() or any(s < m.end() and m.start() < e
                                           for s, e, _, _ in found[frame]):
                continue
            if offsets is None:
                offsets = _offsets(flat, parts, words, lowered)
            i = bisect.bisect_left(offsets[0], m.start())
            found[frame].append((m.start(), m.end(), weight, min(i, n_words - 1)))
            any_pattern = True
    if not (any_term or any_pattern):
        return n_words, found  # every list empty
    result = []
    for matches in found:
        matches.sort()
        cues = []
        for start, end, weight, i in matches:
            negated = False
            # No negator can start before the first word (nor in a text without words).
            if negation and i > 0:
                before = words[max(i - window, 0):i]
                # Most matches have none within the window, and then no clause break is looked
                # for. No word starts or ends with an apostrophe, so "n't" in the joined words
                # is in one of them.
                if not _NEGATOR_FIRST.isdisjoint(before) or "n't" in "".join(before):
                    if offsets is None:
                        offsets = _offsets(flat, parts, words, lowered)
                    negated = _is_negated(text, words, *offsets, i, window)
            cues.append((start, " ".join(text[start:end].lower().split()) if surfaces else "",
                         weight, negated))
        result.append(cues)
    return n_words, result


def _flatten(text: str) -> str | None:
    """``text`` lower-cased with every character outside a word a space, when it is ASCII but
    for :data:`_NON_WORD_PAIRS` (else None): its ``split()`` gives the words as WORD finds them,
    at the same offsets."""
    if not text.isascii():
        text = _replace(text, _NON_WORD_PAIRS)
        if not text.isascii():
            return None
    flat = text.translate(_FLAT)  # translate's ASCII path: one table look-up per character
    if "'" in flat:
        # Doubled apostrophes first, then those after a space, then those before one: no step
        # makes an apostrophe of an earlier kind, so only the text's ends can keep one.
        flat = _replace(flat, _LOOSE_APOSTROPHES)
        if flat.startswith("'"):
            flat = " " + flat[1:]
        if flat.endswith("'"):
            flat = flat[:-1] + " "
    return flat


def _contains(text: str, required: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``text`` contains a string of every group."""
    for group in required:
        for string in group:
            if string in text:
                break
        else:
            return False
    return True


def _offsets(flat: str, parts: list[str] | None, words: list[str], lowered: list[str]
             ) -> tuple[list[int], list[int]]:
    """Where every word starts and ends in the text; the end before a dropped possessive ``'s``.

    ``parts`` is the text's split by :data:`_SPLIT`, or None when ``flat`` is the text as
    :func:`_flatten` makes it, possessives blanked (so its ``split()`` is ``words``).
    """
    if parts is None:
        # Split at single spaces, cell j starts after the cells before it and j spaces; the
        # non-empty cells are the words, and flat is the text character for character.
        cells = flat.split(" ")
        starts = list(compress(map(add, accumulate(map(len, cells), initial=0), count()), cells))
        return starts, list(map(add, starts, map(len, words)))
    offsets = list(accumulate(map(len, parts), initial=0))
    # offsets[2k + 1] is where word k starts, offsets[2k + 2] where it ends.
    starts, ends = offsets[1:-1:2], offsets[2::2]
    if words is not lowered:
        ends = [end - 2 if word is not low else end
                for end, word, low in zip(ends, words, lowered, strict=True)]
    return starts, ends


def _clause_break(text: str, words: list[str], starts: list[int], ends: list[int], k: int
                  ) -> bool:
    """Whether a clause ends between word ``k - 1`` and word ``k``."""
    gap = text[ends[k - 1]:starts[k]]
    return (("." in gap and len(words[k - 1]) > 1) or _BREAK.search(gap) is not None
            or words[k] in _CLAUSE_WORDS)


def _gated_matches(pattern: re.Pattern[str], text: str, padded: str, words: list[str],
                   opened: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches can only start at the words
    ``opened`` (indices) or at their parts after an apostrophe: the words that open its gate
    (``padded`` as for :func:`_word_start`).

    The same matches: finditer tries each position left to right and goes on after a match's
    end, and no other position can start one. A gated pattern never matches empty.
    """
    starts = []
    for i in opened:
        start = _word_start(padded, words, i)
        starts.append(start)
        word = words[i]
        if "'" in word:
            starts += [start + k + 1 for k, char in enumerate(word) if char == "'"]
    found = []
    end = 0
    for start in sorted(starts):
        if start >= end:
            m = pattern.match(text, start)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


def _term_span(padded: str, words: list[str], i: int, size: int) -> tuple[int, int]:
    """Where the ``size`` words from word ``i`` start and end (``padded`` as for
    :func:`_word_start`)."""
    start = _word_start(padded, words, i)
    last = i + size - 1
    return start, (start if size == 1 else _word_start(padded, words, last)) + len(words[last])


def _word_start(padded: str, words: list[str], k: int) -> int:
    """Where word ``k`` starts in a text :func:`_flatten` made, given as ``f" {flat} "``.

    Each word that is ``words[k]`` is that word between spaces in ``padded``, in order.
    """
    word = words[k]
    needle = f" {word} "
    at = padded.find(needle)
    for _ in range(words[:k].count(word)):
        at = padded.find(needle, at + 1)
    return at  # the word starts one after the space, and padded one after flat


def _is_negated(text: str, words: list[str], starts: list[int], ends: list[int], i: int,
                window: int) -> bool:
    for j in range(i - 1, max(i - window, 0) - 1, -1):
        if _clause_break(text, words, starts, ends, j + 1):  # word j is in an earlier clause
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
        matcher, negation, window = self._matcher, self.negation, self.negation_window
        normalize = self.normalize
        for row, text in enumerate(texts):
            n_words, per_frame = _match(matcher, text, negation, window, surfaces)
            for k, matches in enumerate(per_frame):
                if not matches:
                    if surfaces:
                        hits[k].append("")
                        negated[k].append("")
                    continue  # the score stays 0.0, in every normalization
                total = sum(w for _, _, w, is_neg in matches if not is_neg)
                if normalize == "per_100_words":
                    total = 100.0 * total / n_words if n_words else 0.0
                elif normalize == "binary":
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
