"""Issues as data: the terms that place a passage in an issue (the Ukraine peace process)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from framing._types import PathLike
from framing.corpus import InputError
from framing.text._actors import _read_yaml
from framing.text._patterns import WORD_CHAR, trie_pattern

_TOP_KEYS = {"name", "label", "version", "min_weight", "document_weight", "terms", "patterns"}


_WORD = re.compile(r"\w[\w'’-]*")
_JOINERS = "'’-"  # inside a word, not at its start


@dataclass
class Issue:
    """A validated issue file, compiled for fast matching.

    Phrases are matched on the words of the text, read only where a term's first word or
    prefix begins (found by a trie pattern); one large regular expression of all the phrases
    costs ten times as much, and reading every word of the text three times as much.

    Examples
    --------
    >>> issue = load_issue("ukraine_peace")
    >>> issue.weigh("Trump pressed Kyiv to accept a ceasefire.")
    (2.0, ['Kyiv', 'ceasefire'])
    """

    name: str
    label: str
    version: str
    min_weight: float
    document_weight: float | None
    #: first word (lower case) -> [(the words, last word is a prefix, weight)]
    phrases: dict[str, list[tuple[tuple[str, ...], bool, float]]]
    #: single-word prefixes ("ukrain" for Ukrain*) -> weight
    prefixes: dict[str, float]
    patterns: list[tuple[re.Pattern[str], float]]
    path: str
    sha256: str

    def __post_init__(self) -> None:
        # Where a term can begin: its first word or prefix, as a trie the engine scans for in C.
        # Words are read only from there, not one by one over the whole text.
        keys = [*self.phrases, *self.prefixes]
        self._starts = re.compile(trie_pattern(keys, not_after=r"\w")) if keys else None

    def matches(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, weight) of every term in ``text``, in order."""
        found = []
        lowered = _lower(text)
        prefix_keys = tuple(self.prefixes)
        position = 0
        while self._starts is not None and (
            hit := self._starts.search(lowered, position)
        ) is not None:
            word = _word_at(lowered, hit.start())
            if word is None:  # inside a word ("x-Kyiv" is one word)
                position = hit.start() + 1
                continue
            start, end, raw_end, text_word = word
            position = raw_end
            for phrase, open_end, weight in self.phrases.get(text_word, ()):
                phrase_end = _match_phrase(lowered, end, raw_end, phrase, open_end)
                if phrase_end is not None:
                    found.append((start, phrase_end, weight))
                    break
            else:
                if prefix_keys and text_word.startswith(prefix_keys):
                    weight = max(w for p, w in self.prefixes.items() if text_word.startswith(p))
                    found.append((start, end, weight))
        for pattern, weight in self.patterns:
            found += [(m.start(), m.end(), weight) for m in pattern.finditer(text)]
        return sorted(found)

    def weigh(self, text: str) -> tuple[float, list[str]]:
        """The summed weight of the terms in ``text`` and the terms found, in order."""
        found = self.matches(text)
        return float(sum(w for _, _, w in found)), [text[s:e] for s, e, _ in found]

    def admits(self, passage_weight: float, document_weight: float) -> bool:
        """Whether a passage with these weights belongs to the issue."""
        if passage_weight >= self.min_weight:
            return True
        return self.document_weight is not None and document_weight >= self.document_weight


def _lower(text: str) -> str:
    """``text`` in lower case, offsets kept (the few letters that lengthen stay as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _word_at(lowered: str, position: int) -> tuple[int, int, int, str] | None:
    """The word (``_WORD``) that begins at ``position``: start, end without a possessive 's,
    end in the text, and the word (Kyiv's is Kyiv); None if no word begins there."""
    before = position
    while before > 0 and lowered[before - 1] in _JOINERS:
        before -= 1
    if before > 0 and WORD_CHAR.match(lowered, before - 1):
        return None
    match = _WORD.match(lowered, position)
    if match is None:
        return None
    word, end = match.group(), match.end()
    if word.endswith(("'s", "’s")):
        return position, end - 2, end, word[:-2]
    return position, end, end, word


def _match_phrase(
    lowered: str, end: int, raw_end: int, phrase: tuple[str, ...], open_end: bool
) -> int | None:
    """Where ``phrase`` ends if it continues the word that ended at ``end`` (its first word
    matched already), reading the next words from ``raw_end``; None if it does not."""
    for offset, expected in enumerate(phrase[1:], start=1):
        match = _WORD.search(lowered, raw_end)
        if match is None:
            return None
        word, raw_end = match.group(), match.end()
        end = raw_end
        if word.endswith(("'s", "’s")):
            word, end = word[:-2], raw_end - 2
        last = offset == len(phrase) - 1
        if not (word == expected or (last and open_end and word.startswith(expected))):
            return None
    return end


def load_issue(source: PathLike = "ukraine_peace") -> Issue:
    """Load and validate an issue file (a path, or the name of a shipped file)."""
    data, path, sha = _read_yaml(source, "issues")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(f"unknown key; expected {sorted(_TOP_KEYS)}", path=path,
                         field=sorted(unknown)[0])
    terms = data.get("terms") or {}
    patterns = data.get("patterns") or {}
    if not isinstance(terms, dict) or not isinstance(patterns, dict):
        raise InputError("must map each term to its weight", path=path,
                         field="terms" if not isinstance(terms, dict) else "patterns")
    if not terms and not patterns:
        raise InputError("missing: list the terms of the issue", path=path, field="terms")
    phrases: dict[str, list[tuple[tuple[str, ...], bool, float]]] = {}
    prefixes: dict[str, float] = {}
    compiled_patterns: list[tuple[re.Pattern[str], float]] = []
    seen: set[str] = set()
    for index, (term, weight) in enumerate([*terms.items(), *patterns.items()]):
        is_pattern = index >= len(terms)
        where = f"{'patterns' if is_pattern else 'terms'}.{term}"
        if not isinstance(term, str) or not term.strip():
            raise InputError("terms must be non-empty strings", path=path, field=where)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise InputError(f"weight must be a positive number, not {weight!r}", path=path,
                             field=where)
        if term.lower() in seen:
            raise InputError("duplicate term", path=path, field=where)
        seen.add(term.lower())
        if is_pattern:
            try:
                compiled_patterns.append((re.compile(term, re.IGNORECASE), float(weight)))
            except re.error as exc:
                raise InputError(f"bad regular expression {term!r}: {exc}", path=path,
                                 field=where) from exc
            continue
        open_end = term.strip().endswith("*")
        words = tuple(w.lower() for w in _WORD.findall(term.strip().rstrip("*")))
        if not words:
            raise InputError("a term needs at least one word", path=path, field=where)
        if open_end and len(words) == 1:
            prefixes[words[0]] = float(weight)
        else:
            phrases.setdefault(words[0], []).append((words, open_end, float(weight)))
    for candidates in phrases.values():
        candidates.sort(key=lambda c: -len(c[0]))  # longest phrase first
    document_weight = data.get("document_weight")
    return Issue(
        name=str(data.get("name", source)), label=str(data.get("label", data.get("name", ""))),
        version=str(data.get("version", "1")), min_weight=float(data.get("min_weight", 1)),
        document_weight=None if document_weight is None else float(document_weight),
        phrases=phrases, prefixes=prefixes, patterns=compiled_patterns, path=path, sha256=sha,
    )
