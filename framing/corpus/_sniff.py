"""Find out what a source file is: its format, compression, text encoding and CSV delimiter."""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import lzma
from pathlib import Path
from typing import IO, Literal, TypeAlias

import charset_normalizer

from framing.corpus._errors import InputError

SourceFormat: TypeAlias = Literal["csv", "jsonl", "json", "parquet", "text", "mediacloud"]
FORMATS: tuple[str, ...] = ("auto", "csv", "jsonl", "json", "parquet", "text", "mediacloud")

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
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise InputError(f"cannot decompress file ({exc})", path=path) from exc


def detect_encoding(path: Path, sample: bytes) -> str:
    """Detect the text encoding from a BOM, strict UTF-8, or charset-normalizer, in that order."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # A sample cut inside a multi-byte character is still valid UTF-8 up to the cut.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is not None:
        # On short samples several single-byte code pages decode equally well; prefer the
        # Western ones that most non-UTF-8 news exports use when they are about as plausible.
        plausible = {m.encoding for m in matches if m.chaos <= best.chaos + 0.1}
        preferred = next((e for e in _WESTERN if e in plausible), None)
        if preferred is not None:
            return preferred
    if best is None:
        raise InputError(
            "cannot determine the text encoding (the bytes look binary); "
            "pass encoding='...' (--encoding) if it is a text file",
            path=path,
        )
    return best.encoding


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
