"""Repair and tidy article text: mojibake and entities (ftfy), Unicode NFC, whitespace."""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import is_bad

# ftfy is thorough but slow (about 1.5 ms per 3 kB article). Mojibake leaves Latin-1 letters
# that ftfy's own badness test confirms, and entities leave '&...;', so ftfy runs only on such
# texts; the rest (NFC, control characters, line breaks) is done here.
_LATIN1 = re.compile(r"[\u0080-\u00ff\ufffd]")
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_OTHER_SPACE = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Match only what changes (not every single space) so clean text costs little.
_HORIZONTAL_SPACE = re.compile(f"[ {_OTHER_SPACE}]*[{_OTHER_SPACE}][ {_OTHER_SPACE}]*|  +")
_SPACE_AROUND_NEWLINE = re.compile(r" \n ?|\n ")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# One scan to tell whether any of the above has work to do; most texts are already tidy.
_SUSPECT = re.compile(r"[\u0080-\u00ff\ufffd&]")
_UNTIDY = re.compile(
    f"[\\r\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u200b\\ufeff{_OTHER_SPACE}]|  | \\n|\\n |\\n\\n\\n"
)


def clean_text(value: str) -> str:
    """Repair encoding damage and normalize whitespace, keeping paragraph breaks.

    Runs of spaces and tabs become one space; line ends become ``\\n``; three or more line
    breaks become one blank line (the paragraph break later stages split on).

    Examples
    --------
    >>> clean_text("  Pr\u00c3\u00a9sident   Macron\\r\\n\\r\\n\\r\\n said  ")
    'Président Macron\\n\\nsaid'
    """
    if _SUSPECT.search(value) and ((_LATIN1.search(value) and is_bad(value))
                                   or _ENTITY.search(value)):
        value = ftfy.fix_text(value, config=_FTFY_CONFIG)
    elif not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _UNTIDY.search(value):
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = _CONTROL.sub("", value)
        value = _HORIZONTAL_SPACE.sub(" ", value)
        value = _SPACE_AROUND_NEWLINE.sub("\n", value)
        value = _MANY_NEWLINES.sub("\n\n", value)
    return value.strip()


def clean_field(value: str) -> str:
    """Clean a one-line field (title, author): like :func:`clean_text`, all on one line."""
    return " ".join(clean_text(value).split())


def count_words(value: str) -> int:
    """Whitespace-separated words."""
    return len(value.split())
