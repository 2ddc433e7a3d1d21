"""The fast lexicon matcher gives exactly the scores of the straightforward one it replaced.

``_reference_scores`` is the matcher as it was before it was made fast (per-word Python loops,
every pattern run on every passage), kept here word for word as the specification of the
rules; the shipped matcher must agree with it on every score, hit and negated cue.
"""

from __future__ import annotations

import bisect
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.frames import LexiconScorer, load_codebook
from framing.frames._codebook import _APOSTROPHES, WORD, Codebook, term_words
from framing.frames._lexicon import (
    _BREAK,
    _CLAUSE_WORDS,
    _FOLD,
    _NOT_NEGATING,
    _PHRASE_NEGATORS,
    _SINGLE_NEGATORS,
    _contains,
    _replace,
    _required_literals,
)
from tests.conftest import sample_truth_passages

# -- the reference: the matcher before it was made fast -------------------------------------------


def _reference_compile(codebook: Codebook) -> tuple[dict, dict, list, int]:
    exact: dict[str, list] = {}
    prefixed: dict[str, list] = {}
    patterns: list = []
    for index, name in enumerate(codebook.frame_names):
        for entry in codebook.frames[name].lexicon:
            if entry.is_pattern:
                patterns.append((re.compile(entry.text, re.IGNORECASE), index, entry.weight))
                continue
            term = (index, term_words(entry.text), entry.weight)
            first, is_prefix = term[1][0]
            if is_prefix:
                prefixed.setdefault(first[:3], []).append((first, term))
            else:
                exact.setdefault(first, []).append(term)
    for terms in exact.values():
        terms.sort(key=lambda t: -len(t[1]))
    return exact, prefixed, patterns, len(codebook.frame_names)


def _reference_candidates(exact: dict, prefixed: dict, word: str) -> list:
    found = list(exact.get(word, ()))
    for size in range(1, min(3, len(word)) + 1):
        found += [t for stem, t in prefixed.get(word[:size], ())
                  if size < 3 or word.startswith(stem)]
    found.sort(key=lambda t: -len(t[1]))
    return found


def _reference_words(text: str) -> tuple[list, list]:
    words, clauses = [], []
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


def _reference_is_negated(words: list, clauses: list, i: int, window: int) -> bool:
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


def _reference_match(compiled: tuple, text: str, negation: bool, window: int) -> tuple:
    exact, prefixed, patterns, n_frames = compiled
    text = text.translate(_APOSTROPHES)
    spans, clauses = _reference_words(text)
    words = [w for _, _, w in spans]
    found: list[list] = [[] for _ in range(n_frames)]
    next_free = [0] * n_frames
    for i, word in enumerate(words):
        for frame, term_words_, weight in _reference_candidates(exact, prefixed, word):
            size = len(term_words_)
            if next_free[frame] > i or i + size > len(words):
                continue
            if all(words[i + k] == w or (p and words[i + k].startswith(w))
                   for k, (w, p) in enumerate(term_words_)):
                found[frame].append((spans[i][0], spans[i + size - 1][1], weight, i))
                next_free[frame] = i + size
    starts = [s for s, _, _ in spans]
    for pattern, frame, weight in patterns:
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(s < m.end() and m.start() < e
                                           for s, e, _, _ in found[frame]):
                continue
            i = bisect.bisect_left(starts, m.start())
            found[frame].append((m.start(), m.end(), weight, min(i, len(words) - 1)))
    return len(words), [
        [(start, " ".join(text[start:end].lower().split()), weight,
          negation and bool(words) and _reference_is_negated(words, clauses, i, window))
         for start, end, weight, i in sorted(matches)] for matches in found]


def _reference_scores(texts: list[str], *, codebook: Codebook | None = None,
                      negation: bool = True, negation_window: int = 3,
                      normalize: str = "per_100_words") -> pd.DataFrame:
    """Scores, hits and negated cues of each text, by the straightforward matcher."""
    codebook = codebook or CODEBOOK
    compiled = _reference_compile(codebook)
    names = codebook.frame_names
    columns: dict[str, list] = {f"lex_{n}{s}": [] for s in ("", "_hits", "_negated")
                                for n in names}
    for text in texts:
        n_words, per_frame = _reference_match(compiled, text, negation, negation_window)
        for name, matches in zip(names, per_frame, strict=True):
            total = sum(w for _, _, w, is_neg in matches if not is_neg)
            if normalize == "per_100_words":
                total = 100.0 * total / n_words if n_words else 0.0
            elif normalize == "binary":
                total = float(total > 0)
            columns[f"lex_{name}"].append(float(total))
            columns[f"lex_{name}_hits"].append(
                "; ".join(s for _, s, _, is_neg in matches if not is_neg))
            columns[f"lex_{name}_negated"].append(
                "; ".join(s for _, s, _, is_neg in matches if is_neg))
    return pd.DataFrame(columns)


# -- the tests ------------------------------------------------------------------------------------

CODEBOOK = load_codebook()  # parsed once: hypothesis calls the tests many times
PATTERNS = [re.compile(entry.text, re.IGNORECASE) for name in CODEBOOK.frame_names
            for entry in CODEBOOK.frames[name].lexicon if entry.is_pattern]


@pytest.fixture(scope="module")
def sample_texts() -> list[str]:
    return sample_truth_passages()["text"].tolist()


def _fast(texts: list[str], **params) -> pd.DataFrame:
    params.setdefault("codebook", CODEBOOK)
    scores = LexiconScorer(**params).fit().transform(pd.DataFrame({"text": texts}))
    return scores.reset_index(drop=True)


@pytest.mark.parametrize("params", [
    {},
    {"normalize": "count"},
    {"normalize": "binary", "negation_window": 6},
    {"negation": False},
])
def test_identical_to_the_reference_on_the_sample(sample_texts: list[str], params: dict) -> None:
    fast = _fast(sample_texts, **params)
    reference = _reference_scores(sample_texts, **params)
    pd.testing.assert_frame_equal(fast, reference)
    # the sample exercises the rules: matches, negated ones, patterns, every frame
    assert (fast.filter(regex=r"^lex_[a-z]+$") > 0).any().all()
    assert (fast.filter(like="_negated") != "").any().any() == params.get("negation", True)


def test_classifier_features_are_the_reference_scores(sample_texts: list[str]) -> None:
    from framing.frames._classifier import _LexiconFeatures

    features = _LexiconFeatures().fit(sample_texts).transform(sample_texts)
    reference = _reference_scores(sample_texts).filter(regex=r"^lex_[a-z]+$").to_numpy()
    np.testing.assert_array_equal(features, np.log1p(reference))


_PIECES = ["Trump ", "not ", "no ", "didn't ", "refused to ", "far from ", "not only ", "but ",
           ", ", ". ", "; ", " - ", "\u2014", "\u201c", "Europe's ", "Europe\u2019s ", "europe ",
           "should pay ", "must shoulder ", "peace deal ", "peace-deal ", "cease-fire ",
           "brokered ", "broker ", "walked away ", "walk ", "away ", "U.S. ", "troops ",
           "American ", "cut ", "aid ", "pull the US out ", "doesn't trust ", "could not be "
           "trusted ", "don\u2019t trust ", "\u0130", "\u0131", "\u017f", "\u212a", "TRUST ",
           "Stop sending ", "x_y ", "a ", "I ", "3 ", "\n", "won't work ", "no angel ",
           "America First ", "end the war ", "ending ", "war ", "'s ", "doubt ", "skeptical "]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
                min_size=1, max_size=5),
       st.sampled_from(["count", "per_100_words", "binary"]),
       st.integers(1, 6))
def test_identical_to_the_reference_on_generated_texts(texts: list[str], normalize: str,
                                                       window: int) -> None:
    params = {"normalize": normalize, "negation_window": window}
    pd.testing.assert_frame_equal(_fast(texts, **params), _reference_scores(texts, **params))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["s", "S", "\u0130", "k", "K", "i", "I"]),
                max_size=30).map("".join))
def test_the_pattern_prefilter_never_skips_a_match(text: str) -> None:
    text = text.translate(_APOSTROPHES)
    folded = _replace(text, _FOLD).lower()
    for pattern in PATTERNS:
        if pattern.search(text):
            assert _contains(folded, _required_literals(pattern.pattern, pattern.flags))


@pytest.mark.parametrize(("pattern", "required"), [
    (r"\bpull(?:s|ed)?\s+(?:U\.S\.|America)\s+out\b", (("america", "u.s."), ("pull",), ("out",))),
    (r"\b(?:cut|cuts|cutting)\s+aid\b", (("aid",), ("cut",))),
    (r"(?:foo)*bar|baz", ()),            # a top-level alternative without a literal start
    (r"(?-i:Trump)\s+won", (("won",),)),  # a case-sensitive group: not used
    (r"\bna\u00efve\b", ()),              # non-ASCII literal text: not used
    (r"x(", ()),                          # not a regex: no prefilter, the pattern runs
])
def test_required_literals(pattern: str, required: tuple) -> None:
    assert _required_literals(pattern, re.IGNORECASE) == required


def test_a_codebook_pattern_without_literals_still_runs(tmp_path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\nversion: 1\nframes:\n"
        "  hawk:\n    definition: Hawkish.\n    positive_examples: [Strike now.]\n"
        "    lexicon: [{pattern: '\\b\\w+ing\\s+now\\b', weight: 2}]\n"
        "  dove:\n    definition: Dovish.\n    positive_examples: [Talk now.]\n"
        "    lexicon: [talk*]\n"
        "  none:\n    definition: Neither.\n", encoding="utf-8")
    texts = ["They are striking now, talking now.", "Nothing now."]
    fast = _fast(texts, codebook=load_codebook(path), normalize="count")
    pd.testing.assert_frame_equal(
        fast, _reference_scores(texts, codebook=load_codebook(path), normalize="count"))
    assert fast["lex_hawk"].tolist() == [4.0, 2.0]


def test_the_word_memo_is_not_saved_and_rebuilt_after_loading(sample_texts: list[str]) -> None:
    scorer = LexiconScorer().fit()
    first = scorer.transform(pd.DataFrame({"text": sample_texts[:200]}))
    assert len(scorer._matcher.memo) > 100
    loaded = pickle.loads(pickle.dumps(scorer))
    assert loaded._matcher.memo == {}
    pd.testing.assert_frame_equal(loaded.transform(pd.DataFrame({"text": sample_texts[:200]})),
                                  first)
