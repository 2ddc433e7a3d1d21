"""A folder of .txt / .md articles, with an optional metadata CSV keyed by file name."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from framing.corpus._columns import ColumnPlan
from framing.corpus._errors import InputError
from framing.corpus._sniff import detect_encoding

if TYPE_CHECKING:
    from framing.corpus._readers import Source

_TEXT_SUFFIXES = (".txt", ".md")
_KEY_COLUMNS = ("file", "filename", "file_name", "path", "name")
_METADATA_NAMES = ("metadata.csv", "_metadata.csv", "meta.csv")


def _read_metadata(path: Path) -> tuple[list[str], dict[str, dict[str, str]], str]:
    """Read the metadata sheet; return its columns, rows keyed by file key, and the key column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the metadata sheet ({exc.strerror or exc})",
                         path=path) from exc
    if not raw.strip():
        raise InputError("metadata file is empty", path=path)
    text = raw.decode(detect_encoding(path, raw[: 1 << 20]))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in reader.fieldnames or []]
    key = next((c for c in columns if c.lower() in _KEY_COLUMNS), None)
    if key is None:
        raise InputError(
            "metadata sheet needs a column naming each article's file (one of "
            + ", ".join(_KEY_COLUMNS) + ")",
            path=path,
        )
    rows: dict[str, dict[str, str]] = {}
    for number, record in enumerate(reader, start=1):
        record = {str(k).strip(): v for k, v in record.items() if k is not None}
        file_key = (record.get(key) or "").strip()
        if not file_key:
            raise InputError("no file name given", path=path, row=number, field=key)
        normalized = _file_key(file_key)
        if normalized in rows:
            raise InputError(f"file {file_key!r} is listed twice", path=path, row=number,
                             field=key)
        rows[normalized] = record
    return columns, rows, key


def _file_key(name: str) -> str:
    """Compare file names without folder, suffix or case: ``a/B.txt`` ~ ``b``."""
    return Path(name.replace("\\", "/")).stem.lower()


def read_text_folder(
    source: Source, *, plan_columns: Callable[[list[str]], ColumnPlan]
) -> Iterator[pd.DataFrame]:
    """Yield the articles of a text folder, one row per file, joined with the metadata sheet."""
    folder = source.path
    metadata_path = source.metadata
    if metadata_path is None:
        metadata_path = next((folder / n for n in _METADATA_NAMES if (folder / n).exists()), None)
    columns: list[str] = []
    meta: dict[str, dict[str, str]] = {}
    key_column = None
    if metadata_path is not None:
        columns, meta, key_column = _read_metadata(Path(metadata_path))
        source.report.notes.append(f"metadata from {metadata_path}")
    files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in _TEXT_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise InputError("folder holds no .txt or .md files", path=folder)
    names = list(dict.fromkeys(
        ["doc_id", "file", "text", "title"] + [c for c in columns if c != key_column]
    ))
    plan = plan_columns(names)
    seen: set[str] = set()
    records: list[list[object]] = []
    rows: list[int] = []
    for number, file in enumerate(files, start=1):
        relative = file.relative_to(folder).as_posix()
        raw = file.read_bytes()
        try:
            text = raw.decode(source.encoding or detect_encoding(file, raw[: 1 << 20]))
        except (UnicodeDecodeError, InputError) as exc:
            source.bad_rows.report(f"{relative}: cannot decode the file ({exc})", row=number,
                                   field="text")
            continue
        record = meta.get(_file_key(relative), {})
        seen.add(_file_key(relative))
        values = {c: record.get(c) for c in columns}
        values["file"] = relative
        values["text"] = text.lstrip("\ufeff")
        if not values.get("doc_id"):
            values["doc_id"] = relative.rsplit(".", 1)[0]
        if file.suffix.lower() == ".md" and not values.get("title"):
            first = values["text"].lstrip().split("\n", 1)[0]
            if first.startswith("#"):
                values["title"] = first.lstrip("#").strip()
        records.append([values.get(n) for n in names])
        rows.append(number)
        if len(records) >= source.batch_size:
            yield _frame(plan, records, names, rows)
            records, rows = [], []
    unmatched = sorted(set(meta) - seen)
    if unmatched:
        source.report.notes.append(
            f"{len(unmatched)} metadata rows name no file in the folder (first: {unmatched[0]!r})"
        )
    source.report.rows_read = len(files)
    if records:
        yield _frame(plan, records, names, rows)


def _frame(plan: ColumnPlan, records: list, names: list[str], rows: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=names)
    frame["source_row"] = pd.array(rows, dtype="int64")
    return plan.apply(frame)
