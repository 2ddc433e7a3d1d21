"""Regular expressions that open on a character, so ``re`` can scan for it.

A pattern that opens with ``\\b`` or a lookbehind makes ``re`` try a full match at every
character of the text. One that opens with a character class or a literal lets it jump in C
from one candidate character to the next, which is two to three times faster on news text.
So the word boundary goes right after the first character, as a lookbehind over it.
"""

from __future__ import annotations


def at_word_start(first: str, rest: str, *, not_after: str = r"\w") -> str:
    """``(?<!{not_after}){first}{rest}``, written to open on ``first``.

    ``first`` is a literal (a character or a word) or a one-character class such as
    ``[Hh]``. The default ``not_after`` makes it ``\\b{first}{rest}`` for a ``first`` that
    opens with a word character.

    >>> import re
    >>> pattern = re.compile(at_word_start("[Hh]", r"(?:e|is)\\b"))
    >>> [m.group() for m in pattern.finditer("He said this was his, the shed's")]
    ['He', 'his']
    """
    return f"{first}(?<!{not_after}{first}){rest}"
