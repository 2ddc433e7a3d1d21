"""How the codebook's regular-expression patterns can match: what text every match contains,
and how a word must begin for a match to start in it.

Both read the pattern's parse tree (``re._parser``, CPython 3.11+) and answer conservatively:
where a pattern is too complex to analyse they say nothing (no required text, no gate), and
the matcher in :mod:`framing.frames._lexicon` then runs the pattern on every passage.
"""

from __future__ import annotations

import functools
import re
from re import _constants as _sre  # the regex parser's node types (CPython 3.11+)
from re import _parser as _sre_parse
from typing import Any

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


# At most this many (prefix, exact) pairs in a pattern's gate; a pattern with more has no gate.
_GATE_SIZE = 64


@functools.lru_cache(maxsize=1024)
def _gate_prefixes(pattern: str, flags: int) -> tuple[tuple[str, bool], ...] | None:
    """How a word must begin for a match of ``pattern`` to start in it, in an ASCII text.

    A match of a pattern that starts with ``\\b`` and literal text starts where a word, or a
    part of a word after an apostrophe, starts. For each way the match can begin, a
    (``prefix``, ``exact``) pair: that part starts with the lower-case letters and digits
    ``prefix``, and with ``exact`` it is just ``prefix`` (the pattern's next character is not a
    letter or digit). None when the pattern does not start so, or a part could be empty or the
    ``s`` a possessive drops (the look-up never sees it).

    Only for a text whose characters are ASCII or not letters or digits: no other character is
    matched, case-insensitively, to a letter or digit, and the parts are lower-cased by
    ``lower()`` as the pattern compares them.

    Examples
    --------
    >>> _gate_prefixes(r"\\b(?:do|does|did)(?:n't| not)\\s+trust\\b", re.IGNORECASE)
    (('did', True), ('didn', True), ('do', True), ('does', True), ('doesn', True), ('don', True))
    >>> _gate_prefixes(r"\\beurope(?:ans?)?\\s+", re.IGNORECASE)
    (('europe', False),)
    """
    try:
        parsed = _sre_parse.parse(pattern, flags)
        items = list(parsed)
        if (parsed.state.flags & re.LOCALE or not items
                or items[0] != (_sre.AT, _sre.AT_BOUNDARY)):
            return None
        found = _prefixes(items[1:], "")
    except (re.error, TypeError, ValueError, RecursionError):
        return None
    if found is None or any(prefix in ("", "s") for prefix, _ in found):
        return None
    return tuple(sorted(found))


def _prefixes(items: list[Any], run: str) -> set[tuple[str, bool]] | None:
    """The (prefix, exact) pairs of :func:`_gate_prefixes` for a parsed regex sequence
    following the letters and digits ``run``; None when there are too many."""
    for index, (op, av) in enumerate(items):
        if op is _sre.LITERAL:
            char = chr(av)
            if char.isascii() and char.isalnum():
                run += char.lower()
                continue
            return {(run, not char.isalnum())}
        rest = items[index + 1:]
        if op is _sre.BRANCH:
            found: set[tuple[str, bool]] = set()
            for branch in av[1]:
                more = _prefixes([*branch, *rest], run)
                if more is None:
                    return None
                found |= more
                if len(found) > _GATE_SIZE:
                    return None
            return found
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:  # no inline flags
            return _prefixes([*av[3], *rest], run)
        return {(run, _ends_word(items[index:]))}
    return {(run, False)}  # the pattern ends: any character may follow


def _ends_word(items: list[Any]) -> bool:
    """Whether every match of a parsed regex sequence starts with a character that is not a
    letter or digit (in a text as :func:`_gate_prefixes` says), after a letter or digit."""
    if not items:
        return False
    op, av = items[0]
    if op is _sre.LITERAL:
        return not chr(av).isalnum()
    if op is _sre.IN:
        return bool(av) and all(
            (kind is _sre.LITERAL and not chr(value).isalnum())
            or (kind is _sre.CATEGORY and value in (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD))
            for kind, value in av)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return av[0] >= 1 and _ends_word(list(av[2]))
    if op is _sre.SUBPATTERN and not av[1] and not av[2]:
        return _ends_word([*av[3], *items[1:]])
    if op is _sre.BRANCH:
        return all(_ends_word([*branch, *items[1:]]) for branch in av[1])
    return op is _sre.AT and av is _sre.AT_BOUNDARY  # after a letter or digit: a non-word
