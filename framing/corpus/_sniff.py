"""Find out what a source file is: its format, compression, text encoding and CSV delimiter."""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import lzma
import re
import unicodedata
import zlib
from pathlib import Path
from typing import IO, Literal, TypeAlias

import charset_normalizer

from framing.corpus._errors import InputError

SourceFormat: TypeAlias = Literal["csv", "jsonl", "json", "parquet", "text", "mediacloud"]
FORMATS: tuple[str, ...] = ("auto", "csv", "jsonl", "json", "parquet", "text", "mediacloud")

#: What a corrupt or truncated compressed file raises while it is read.
DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)
_COMPRESSORS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
_SAMPLE_BYTES = 1 << 20
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_DELIMITERS = (",", "\t", ";", "|")
_TEXT_SUFFIXES = (".txt", ".md")
#: Columns of Media Cloud story-list exports (v4 web tool, and the v2/v3 API and Explorer).
_MEDIACLOUD_V4 = {"id", "indexed_date", "media_name", "media_url", "publish_date", "title", "url"}
_MEDIACLOUD_V2 = {
    "stories_id", "media_id", "media_name", "media_url", "publish_date", "title", "url"
}


def strip_compression(path: Path) -> tuple[str, str | None]:
    """Return the file's own suffix and its compression suffix (``.gz``, ``.bz2``, ``.xz``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSORS:
        own = suffixes[-2] if len(suffixes) > 1 else ""
        return own, suffixes[-1]
    return (suffixes[-1] if suffixes else ""), None


def open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, decompressing ``.gz``, ``.bz2`` and ``.xz`` on the fly."""
    _, compression = strip_compression(path)
    opener = _COMPRESSORS.get(compression) if compression else None
    try:
        return opener(path, "rb") if opener else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot open file ({exc.strerror or exc})", path=path) from exc


def read_sample(path: Path, n_bytes: int = _SAMPLE_BYTES) -> bytes:
    """The first ``n_bytes`` of the (decompressed) file."""
    with open_binary(path) as handle:
        try:
            return handle.read(n_bytes)
        except DECOMPRESSION_ERRORS as exc:
            raise InputError(f"cannot decompress file ({exc})", path=path) from exc


def detect_encoding(path: Path, sample: bytes) -> str:
    """Detect the text encoding: a BOM, strict UTF-8, UTF-16 without a BOM, or a guess.

    The guess (charset-normalizer) is kept only when it is not in doubt: the plausible code
    pages read the sample the same way, or all but one read it as mojibake, or one reads it
    as a language far better than the rest. Otherwise the file is refused with the readings
    side by side, so that ``мир`` saved in cp1251 is never stored as ``ìèð``: pass
    ``encoding=`` (``--encoding``).
    """
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            return encoding
    try:
        # A sample cut inside a multi-byte character is still valid UTF-8 up to the cut.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        if b"\x00" not in sample:
            return "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16
    if b"\x00" not in sample or sample.count(b"\x00") < len(sample) // 100:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
            return "utf-8"  # valid UTF-8 with a stray NUL: the rows holding it are reported
        except UnicodeDecodeError:
            pass
    return _guess_encoding(path, sample)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without a BOM: mostly-ASCII text has a NUL in every other byte."""
    even = sample[: len(sample) - len(sample) % 2]
    if len(even) < 4:
        return None
    zeros_high, zeros_low = even[1::2].count(0), even[0::2].count(0)
    half = len(even) // 2
    for zeros, encoding in ((zeros_high, "utf-16-le"), (zeros_low, "utf-16-be")):
        if zeros >= 0.6 * half:
            try:
                codecs.getincrementaldecoder(encoding)().decode(even, final=False)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


#: Characters that sit next to letters in real text; any other non-ASCII symbol touching a
#: letter (``wia³``, ``£ód``) is the mark of a wrong code page.
_BESIDE_LETTERS = set("’‘“”«»–—…°·´ʼ")
#: The currency sign (``€`` in iso8859-15) and the Icelandic letters (Turkish ``ğ ş`` read as
#: cp1252) are seldom right in news.
_RARE = set("\u00a4ðþÐÞ")
_LATIN_LETTER = re.compile("[\u00c0-\u024f]")


def _looks_wrong(text: str) -> bool:
    """Mojibake signs: C1 controls, odd symbols inside words, a capital inside a lower-case word,
    and Latin words made only of accented letters (``ìèð``, which is ``мир`` read as cp1252)."""
    if any("\x80" <= c <= "\x9f" or c in _RARE for c in text):
        return True
    for before, char, after in zip(" " + text[:-1], text, text[1:] + " ", strict=True):
        if char < "\x80" or char.isalpha() and not unicodedata.category(char) == "Lm":
            if (char >= "\x80" and char.isupper() and before.islower()):
                return True
            continue
        if char in _BESIDE_LETTERS or char.isspace():
            continue
        if char <= "\u02ff" and (before.isalpha() or after.isalpha()):
            return True
    for word in re.findall(r"[^\W\d_]{3,}", text):
        if all(_LATIN_LETTER.match(c) for c in word):
            return True
    return False


def _guess_encoding(path: Path, sample: bytes) -> str:
    # Most non-UTF-8 news exports are in a Western code page; one whose reading shows no sign
    # of mojibake is taken (charset-normalizer cannot tell them apart on short samples).
    for encoding in _WESTERN:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_wrong(text):
            return encoding
    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None:
        raise InputError(
            "cannot determine the text encoding (the bytes look binary); "
            "pass encoding='...' (--encoding) if it is a text file",
            path=path,
        )
    readings: dict[str, tuple[str, float]] = {}
    for match in matches:
        if match.chaos > best.chaos + 0.1:
            continue
        try:
            readings[match.encoding] = (sample.decode(match.encoding, errors="strict"),
                                        match.coherence)
        except UnicodeDecodeError:  # a multi-byte character cut at the sample's end
            readings[match.encoding] = (sample[:-8].decode(match.encoding, errors="replace"),
                                        match.coherence)
    sane = {e: r for e, r in readings.items() if not _looks_wrong(r[0])}
    pool = sane or readings
    distinct = {text for text, _ in pool.values()}
    ranked = sorted(pool.items(), key=lambda item: -item[1][1])
    if len(distinct) == 1 or (
        len(ranked) > 1 and ranked[0][1][1] - ranked[1][1][1] >= 0.2
    ) or len(ranked) == 1:
        return ranked[0][0]
    shown = "; ".join(f"as {e}: {_first_word(t, [r[0] for r in pool.values()])!r}"
                      for e, (t, _) in ranked[:4])
    raise InputError(
        f"the text encoding is uncertain: the file reads differently in {len(pool)} code pages "
        f"({shown}); pass the right one as encoding='...' (--encoding)",
        path=path,
    )


def _first_word(text: str, others: list[str]) -> str:
    """The first word on which the readings differ, to show the user side by side."""
    words = [t.split() for t in others]
    for index, word in enumerate(text.split()):
        if any(index >= len(w) or w[index] != word for w in words):
            return word[:30]
    return text[:30]


def check_not_empty(path: Path, sample: bytes, encoding: str) -> str:
    """Decode the sample and refuse an empty or whitespace-only file."""
    text = sample.decode(encoding, errors="ignore")
    if not text.strip():
        raise InputError("file is empty", path=path)
    return text


def detect_delimiter(path: Path, text_sample: str) -> str:
    """Pick the delimiter that splits the header line into the most fields."""
    own, _ = strip_compression(path)
    header = next(iter(text_sample.splitlines()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ("\t" if own == ".tsv" else ",")))
    if counts[best] <= 1:
        return "\t" if own in (".tsv", ".tab") else ","
    return best


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


def detect_format(path: Path) -> SourceFormat:
    """Guess the format of ``path`` from its suffix and, where needed, its first bytes."""
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]
        if any(p.suffix.lower() in (".parquet", ".pq") for p in files):
            return "parquet"
        if any(p.suffix.lower() in _TEXT_SUFFIXES for p in files):
            return "text"
        raise InputError(
            "folder holds neither Parquet files nor .txt/.md files; nothing to import", path=path
        )
    if not path.exists():
        raise InputError("no such file or folder", path=path)
    own, _ = strip_compression(path)
    if own in (".parquet", ".pq"):
        return "parquet"
    if own in (".jsonl", ".ndjson"):
        return "jsonl"
    if own in (".csv", ".tsv", ".tab"):
        return "mediacloud" if is_mediacloud_header(path) else "csv"
    if own in _TEXT_SUFFIXES:
        return "text"
    if own in _WORKBOOK_SUFFIXES:
        raise InputError("a spreadsheet workbook, which framing does not read: save the sheet "
                         "as CSV (UTF-8) and give that file (CSV, TSV, JSONL, JSON and Parquet "
                         "are read)", path=path)
    sample = read_sample(path, 4096)
    if sample.startswith(b"PAR1"):
        return "parquet"
    stripped = sample.lstrip(codecs.BOM_UTF8).lstrip()
    if own == ".json" or stripped[:1] in (b"[", b"{"):
        if stripped[:1] == b"[":
            return "json"
        return "jsonl"
    raise InputError(
        f"cannot tell the format from the name {path.name!r}; pass format= (--format) as one of "
        + ", ".join(FORMATS[1:]),
        path=path,
    )


def is_mediacloud_header(path: Path) -> bool:
    """True when the CSV header is that of a Media Cloud story-list export."""
    sample = read_sample(path, 4096)
    try:
        encoding = detect_encoding(path, sample)
    except InputError:
        return False
    first_line = sample.decode(encoding, errors="ignore").splitlines()[:1]
    if not first_line:
        return False
    columns = {c.strip() for c in next(csv.reader(io.StringIO(first_line[0])), [])}
    return _MEDIACLOUD_V4 <= columns or _MEDIACLOUD_V2 <= columns
