"""The tokenization rules: a fast regex, stop words, phrases, stems, for batches of texts.

The functions here work on plain lists of texts, so joblib workers can run them; the
estimator around them is :class:`framing.text.Tokenizer`. The rules, in order, for every text:

1. Curly apostrophes and Unicode hyphens become ``'`` and ``-``; the text is cut into *clauses*
   at sentence and clause punctuation (``. ! ? ; : ,`` before a space, brackets, double quotes,
   dashes, line breaks). Phrases never cross a clause, so never a sentence either.
2. Tokens are matched by one regular expression: dotted abbreviations (``U.S.`` -> ``u.s``,
   kept apart from the pronoun ``us``, the spelling ``split_sentences`` uses too), numbers with
   separators (``83,000``), and Unicode words with inner hyphens or apostrophes (``28-point``,
   ``o'brien``). A possessive ``'s`` is dropped (``Trump's`` -> ``trump``). The all-capital
   ``US`` and ``UN`` are read as ``U.S`` and ``U.N`` (lowercased they are stop words).
3. Numbers (tokens without a letter, unless ``keep_numbers``), tokens shorter than
   ``min_token_length`` and stop words split the clause, so no phrase spans them. The
   *connector words* (gensim's ``ENGLISH_CONNECTOR_WORDS``: a, an, and, at, by, for, from, in,
   of, on, or, the, to, with, without) stay, stop words or not.
4. Phrases (gensim ``Phrases``, learned in ``fit``): two content words next to each other or
   with only connector words between them (``white_house``, ``coalition_of_the_willing``); a
   connector word never starts or ends one. Where candidate phrases overlap, the one with the
   higher score is joined (gensim joins greedily from the left, so ``carmakers at the White
   House`` would lose ``white_house`` to ``carmakers_at_the_white``).
5. Stop words and short tokens left between phrases are removed, then (``stem=True``) every
   word, and every word of a phrase, is stemmed with nltk's Snowball stemmer (no data files).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

_NORMALIZE = (("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2032", "'"),
              ("\uff07", "'"), ("\u2010", "-"), ("\u2011", "-"))
_SCAN = re.compile(
    # clause breaks: sentence and clause punctuation before a space or the end ...
    r"[.!?;:,\u2026]+(?=[\s'\")\]]|$)"
    # ... brackets, double quotes, dashes, line breaks, and a hyphen standing alone as a dash
    r"|[()\[\]{}\"\u201c\u201d\u201e\u00ab\u00bb\u2013\u2014\n]|\s-+\s"
    # tokens: dotted abbreviations (U.S, D.C, a.m; the last dot may end a sentence) ...
    r"|[^\W\d_](?:\.[^\W\d_])+"
    # ... numbers with separators (83,000 and 3.5), words with inner hyphens and apostrophes
    r"|\d+(?:[.,]\d+)+(?![^\W_])|[^\W_]+(?:[-'][^\W_]+)*"
)
_WORD_START = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")
#: Characters that occur inside tokens, so never in a phrase connector.
TOKEN_CHARACTER = re.compile(r"[^\W_]|['.\-]")
#: All-capital abbreviations that would lowercase to a stop word ("us", "un").
CAPITAL_ABBREVIATIONS = {"US": "U.S", "UN": "U.N"}

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
class TokenRules:
    """Everything a worker needs to tokenize texts (pickled to joblib workers)."""

    lowercase: bool
    stop: frozenset[str]
    connectors: frozenset[str]  # words that may sit inside a phrase, never at its ends
    min_length: int
    keep_numbers: bool
    stem: bool
    connector: str
    phrasegrams: dict[str, float] = field(default_factory=dict)
    phrase_starts: frozenset[str] = field(init=False)
    dropped_connectors: frozenset[str] = field(init=False)  # connectors removed in rule 5

    def __post_init__(self) -> None:
        self.phrase_starts = frozenset(p.split(self.connector, 1)[0] for p in self.phrasegrams)
        self.dropped_connectors = frozenset(
            c for c in self.connectors if c.lower() in self.stop or len(c) < self.min_length)

    def classify(self, piece: str) -> str | None:
        """Rules 2-3 for one match of ``_SCAN``: the token to keep, or None for a gap."""
        if not _WORD_START.match(piece):
            return None  # a clause break
        if piece[-2:] in ("'s", "'S"):
            piece = piece[:-2]
        piece = CAPITAL_ABBREVIATIONS.get(piece, piece)
        low = piece.lower()
        token = low if self.lowercase else piece
        if token in self.connectors:
            return token
        has_letter = _LETTER.search(low) is not None
        if low in self.stop or not (
            (has_letter and len(low) >= self.min_length) or (self.keep_numbers and not has_letter)
        ):
            return None  # a stop word, number or short token: a gap no phrase may span
        return token


_UNSEEN = object()


def clauses(text: str, rules: TokenRules, memo: dict[str, str | None]) -> list[list[str]]:
    """Rules 1-3: the token lists of a text, connector words in, cut at clauses and gaps.

    ``memo`` caches ``rules.classify`` by match (a batch has far fewer types than tokens).
    """
    if not text.isascii():
        for character, replacement in _NORMALIZE:  # str.replace is faster than str.translate
            if character in text:
                text = text.replace(character, replacement)
    fragments: list[list[str]] = []
    current: list[str] = []
    for piece in _SCAN.findall(text):
        token = memo.get(piece, _UNSEEN)
        if token is _UNSEEN:
            token = memo[piece] = rules.classify(piece)
        if token is not None:
            current.append(token)
        elif current:
            fragments.append(current)
            current = []
    if current:
        fragments.append(current)
    return fragments


def join_phrases(fragment: list[str], rules: TokenRules) -> list[str]:
    """Rule 4: join phrases best score first; a word joins at most one phrase."""
    if rules.phrase_starts.isdisjoint(fragment):
        return fragment
    anchors = [i for i, token in enumerate(fragment) if token not in rules.connectors]
    candidates = []
    for k, (a, b) in enumerate(itertools.pairwise(anchors)):
        if fragment[a] in rules.phrase_starts:
            key = rules.connector.join(fragment[a:b + 1])
            score = rules.phrasegrams.get(key)
            if score is not None:
                candidates.append((-score, k, key))
    if not candidates:
        return fragment
    chosen: dict[int, str] = {}
    for _, k, key in sorted(candidates):  # ties: the leftmost first
        if k - 1 not in chosen and k + 1 not in chosen:
            chosen[k] = key
    joined, position = [], 0
    for k in sorted(chosen):
        joined += fragment[position:anchors[k]]
        joined.append(chosen[k])
        position = anchors[k + 1] + 1
    return joined + fragment[position:]


def phrase_stream(texts: list[str], rules: TokenRules) -> list[list[str]]:
    """What ``Phrases`` learns from: every clause of every text, connector words in."""
    memo: dict[str, str | None] = {}
    return [fragment for text in texts for fragment in clauses(text, rules, memo)]


def tokenize_texts(texts: list[str], rules: TokenRules) -> list[list[str]]:
    """Rules 1-5 for each text: its final token list.

    Examples
    --------
    >>> rules = TokenRules(lowercase=True, stop=english_stop_words(),
    ...                    connectors=frozenset({"of", "the"}), min_length=2, keep_numbers=False,
    ...                    stem=False, connector="_", phrasegrams={"white_house": 0.9})
    >>> tokenize_texts(["The White House\u2019s view of the U.S. deal, 2025"], rules)
    [['white_house', 'view', 'u.s', 'deal']]
    """
    memo: dict[str, str | None] = {}
    stems: dict[str, str] = {}
    stemmer = None
    if rules.stem:
        from nltk.stem.snowball import SnowballStemmer

        stemmer = SnowballStemmer("english")

    def stem(token: str) -> str:
        if token not in stems:
            stems[token] = rules.connector.join(
                part if "." in part or not _LETTER.search(part) else stemmer.stem(part)
                for part in token.split(rules.connector))
        return stems[token]

    documents = []
    drop, phrases = rules.dropped_connectors, bool(rules.phrasegrams)
    for text in texts:
        tokens = []
        for fragment in clauses(text, rules, memo):
            if phrases:
                fragment = join_phrases(fragment, rules)
            tokens += [t for t in fragment if t not in drop]
        documents.append([stem(t) for t in tokens] if stemmer is not None else tokens)
    return documents


def split_evenly(items: list[str], n_parts: int) -> list[list[str]]:
    """``items`` in at most ``n_parts`` runs of about equal length (one run when empty)."""
    size = max(1, -(-len(items) // n_parts))
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def count_phrases(texts: list[str], rules: TokenRules) -> tuple[dict[str, int], int]:
    """Unigram and phrase-candidate counts of some texts, and their number of words."""
    from gensim.models.phrases import Phrases

    counts = Phrases(phrase_stream(texts, rules), connector_words=rules.connectors,
                     delimiter=rules.connector)
    return counts.vocab, counts.corpus_word_count
