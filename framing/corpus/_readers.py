"""Readers: any supported file (or folder) in, batches of rows with our column names out.

Each reader streams: a source of any size is read in batches of ``batch_size`` rows, every row
tagged with ``source_row`` (1-based data row, or line for JSONL) so errors and the dropped-rows
table can point back into the file. Rows that cannot be read go to a :class:`BadRowSink`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
from tqdm.auto import tqdm

from framing._types import BadRows, PathLike
from framing.corpus._badrows import BadRowSink
from framing.corpus._columns import ColumnMap, ColumnPlan, TableKind, plan_columns
from framing.corpus._errors import InputError
from framing.corpus._jsonsafe import JsonRecordError, check_record, iter_json_array, loads_record
from framing.corpus._sniff import (
    DECOMPRESSION_ERRORS,
    FORMATS,
    check_not_empty,
    detect_delimiter,
    detect_encoding,
    detect_format,
    open_binary,
    read_sample,
)
from framing.corpus._textfolder import read_text_folder

#: csv's own limit (128 KiB) is far below a long article; ours is enforced in validation.
_CSV_FIELD_LIMIT = 2**31 - 1


# Encodings a detection cannot mistake for another: a BOM or strict UTF-8 decides them.
_UNICODE = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "ascii"}


@dataclass
class SourceReport:
    """What reading one source found: format, encoding, columns, counts and notes."""

    path: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    rows_read: int = 0
    column_plan: ColumnPlan | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        plan = self.column_plan
        return {
            "path": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows_read": self.rows_read,
            "columns": {t: s for t, s in plan.pairs} if plan else {},
            "inferred_columns": dict(plan.inferred) if plan else {},
            "renamed_metadata": dict(plan.renamed_metadata) if plan else {},
            "notes": list(self.notes) + (list(plan.notes) if plan else []),
        }


class Source:
    """One input: a file or folder, how to read it, and the batches it yields.

    Parameters
    ----------
    path : str or PathLike
        A CSV/TSV, JSONL, JSON array, Parquet file or dataset folder, a folder of .txt/.md
        files, or a Media Cloud story-list CSV. ``.gz``, ``.bz2`` and ``.xz`` are read directly.
    format : {"auto", "csv", "jsonl", "json", "parquet", "text", "mediacloud"}, default="auto"
    column_map : dict or None
        Our column name -> the source's (``{"text": "body"}``).
    encoding, delimiter : str or None
        Detected when None.
    metadata : str or PathLike or None
        For a text folder: a CSV keyed by file name holding outlet, date and any metadata.
    on_bad_rows : {"error", "warn", "skip"}, default="error"
    batch_size : int, default=10_000
    progress : bool, default=True
        Show a progress bar (bytes read) for large files.
    table : {"documents", "passages"}, default="documents"
        The table the rows feed, which decides our column names and the required ones (see
        ``plan_columns``).
    required : sequence of str, optional
        The columns the source must have (after mapping); default: the table's.
    """

    def __init__(
        self,
        path: PathLike,
        *,
        format: str = "auto",
        column_map: ColumnMap | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
        metadata: PathLike | None = None,
        on_bad_rows: BadRows = "error",
        batch_size: int = 10_000,
        progress: bool = True,
        table: TableKind = "documents",
        required: Sequence[str] | None = None,
    ) -> None:
        self.path = Path(path)
        if format not in FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        self.format = detect_format(self.path) if format == "auto" else format
        self.column_map = dict(column_map or {})
        self.encoding = encoding
        self.delimiter = delimiter
        self.metadata = None if metadata is None else Path(metadata)
        self.bad_rows = BadRowSink(on_bad_rows, self.path, line_numbers=self.format == "jsonl")
        self.batch_size = batch_size
        self.progress = progress
        self.table = table
        self.required = required
        self.report = SourceReport(path=str(self.path), format=self.format)

    def batches(self) -> Iterator[pd.DataFrame]:
        """Yield batches with our column names plus ``source_row``."""
        readers = {
            "csv": self._read_csv,
            "mediacloud": self._read_csv,
            "jsonl": self._read_jsonl,
            "json": self._read_json_array,
            "parquet": self._read_parquet,
            "text": self._read_text,
        }
        yield from readers[self.format]()
        self.bad_rows.finish()

    # -- helpers -------------------------------------------------------------------------------
    def _progress(self) -> tqdm:
        total = self.path.stat().st_size if self.path.is_file() else None
        return tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            desc=f"reading {self.path.name}",
            disable=not self.progress or (total or 0) < 20_000_000,
            leave=False,
        )

    def _encoding(self, sample: bytes) -> str:
        """The given encoding, else the detected one; a legacy code page that was guessed, not
        declared, is noted in the import summary (a guess on a few accented letters can pick
        a wrong code page whose reading still looks like text)."""
        encoding = self.encoding or detect_encoding(self.path, sample)
        check_not_empty(self.path, sample, encoding)
        self.report.encoding = encoding
        if not self.encoding and encoding.replace("_", "-").lower() not in _UNICODE:
            self.report.notes.append(
                f"encoding {encoding} detected, not declared: if accented letters look wrong, "
                "pass the file's own with --encoding")
        return encoding

    def _text_stream(self) -> tuple[io.TextIOWrapper, Any]:
        sample = read_sample(self.path)
        encoding = self._encoding(sample)
        raw = open_binary(self.path)
        return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict"), raw

    def _decode_error(self, exc: UnicodeDecodeError) -> InputError:
        row, column = self._find_undecodable()
        hint = ("pass the file's own encoding as encoding='...' (--encoding)" if self.encoding
                else "the encoding was detected from the start of the file: pass "
                "encoding='...' (--encoding) to name the right one")
        return InputError(
            f"not valid {self.report.encoding} ({exc.reason}, byte "
            f"0x{exc.object[exc.start]:02x}); {hint}",
            path=self.path, row=row, field=column, line=self.format == "jsonl",
        )

    def _find_undecodable(self) -> tuple[int | None, str | None]:
        """The row (line for JSONL; 0 is the header) and field of the first undecodable bytes.

        The decoder reads ahead of the parser, so the row being parsed when decoding failed is
        not the one holding the bytes: read the file again, undecodable bytes escaped.
        """
        escaped = re.compile("[\udc80-\udcff]")
        try:
            with io.TextIOWrapper(open_binary(self.path), encoding=self.report.encoding,
                                  newline="", errors="surrogateescape") as text:
                if self.format == "jsonl":
                    found = (n for n, line in enumerate(text, start=1) if escaped.search(line))
                    return next(found, None), None
                reader = csv.reader(text, delimiter=self.report.delimiter or ",")
                header = [h.strip() for h in next(reader, [])]
                if any(escaped.search(h) for h in header):
                    return 0, None
                row = 0
                while True:  # rows counted as in _csv_rows
                    try:
                        record = next(reader)
                    except StopIteration:
                        return None, None
                    except csv.Error:
                        row += 1
                        continue
                    row += 1 if record else 0
                    for index, value in enumerate(record):
                        if escaped.search(value):
                            return row, header[index] if index < len(header) else None
        except (UnicodeDecodeError, OSError, EOFError):  # not every codec can escape bytes
            return None, None

    def _frame(
        self, records: list, columns: list[str] | None, rows: list[int], dtype: Any = None
    ) -> pd.DataFrame:
        frame = pd.DataFrame(records, columns=columns, dtype=dtype)
        frame["source_row"] = pd.array(rows, dtype="int64")
        return frame

    # -- CSV -----------------------------------------------------------------------------------
    def _read_csv(self) -> Iterator[pd.DataFrame]:
        text, raw = self._text_stream()
        previous_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
        try:
            with text, self._progress() as bar:
                sample = read_sample(self.path, 65536).decode(self.report.encoding, "ignore")
                delimiter = self.delimiter or detect_delimiter(self.path, sample)
                self.report.delimiter = delimiter
                lines = _LineTracker(text)
                reader = csv.reader(lines, delimiter=delimiter)
                try:
                    header = [h.strip() for h in next(reader)]
                except StopIteration:
                    raise InputError("file is empty", path=self.path) from None
                except UnicodeDecodeError as exc:
                    raise self._decode_error(exc) from exc
                except DECOMPRESSION_ERRORS as exc:
                    raise self._decompress_error(exc, 0) from exc
                if header and header[0].startswith("\ufeff"):
                    header[0] = header[0].lstrip("\ufeff")
                if not any(header):
                    raise InputError("the header row is empty", path=self.path, row=0)
                plan = self._plan(header)
                lines.take()
                yield from self._csv_rows(reader, lines, header, plan, raw, bar)
        finally:
            csv.field_size_limit(previous_limit)

    def _decompress_error(self, exc: BaseException, row: int) -> InputError:
        return InputError(f"cannot decompress the file after row {row} ({exc}); it is corrupt "
                          "or cut short", path=self.path)

    def _csv_rows(
        self, reader: Any, lines: _LineTracker, header: list[str], plan: ColumnPlan, raw: Any,
        bar: tqdm,
    ) -> Iterator[pd.DataFrame]:
        n_fields = len(header)
        records: list[list[str]] = []
        rows: list[int] = []
        row = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                raise self._decode_error(exc) from exc
            except DECOMPRESSION_ERRORS as exc:
                raise self._decompress_error(exc, row) from exc
            except csv.Error as exc:
                lines.take()
                row += 1
                self.bad_rows.report(f"malformed CSV ({exc}, line {reader.line_num})", row=row)
                continue
            first_line, quotes = lines.take()
            if not record:  # a blank line
                continue
            row += 1
            if quotes % 2 and lines.at_end:
                # Only the end of the file ends a record inside quotes: a stray quote, or a
                # file cut short. Every row after the quote would vanish into this one value.
                column = header[len(record) - 1] if len(record) <= n_fields else None
                raise InputError(
                    f"a quoted value opens on line {first_line} and is never closed: lines "
                    f"{first_line}-{reader.line_num} (the rest of the file) would be one value. "
                    "A stray quote, or a file cut short; every row after it is unread",
                    path=self.path, row=row, field=column)
            if len(record) != n_fields:
                self.bad_rows.report(
                    f"expected {n_fields} fields, found {len(record)} (line {reader.line_num}); "
                    "a ragged row, or a delimiter or quote inside an unquoted field",
                    row=row,
                )
                continue
            records.append(record)
            rows.append(row)
            if len(records) >= self.batch_size:
                yield plan.apply(self._frame(records, header, rows))
                records, rows = [], []
                bar.update(raw.tell() - bar.n) if hasattr(raw, "tell") else None
        self.report.rows_read = row
        if row == 0:
            raise InputError("the file has a header but no data rows", path=self.path)
        if records:
            yield plan.apply(self._frame(records, header, rows))

    def _plan(self, columns: list[str]) -> ColumnPlan:
        fallback = "title" if self.format == "mediacloud" else None
        plan = plan_columns(columns, self.column_map, path=self.path, text_fallback=fallback,
                            table=self.table, required=self.required)
        self.report.column_plan = plan
        return plan

    # -- JSON ----------------------------------------------------------------------------------
    def _read_jsonl(self) -> Iterator[pd.DataFrame]:
        text, raw = self._text_stream()
        records: list[dict] = []
        rows: list[int] = []
        line_no = n_records = 0
        with text, self._progress() as bar:
            self._plan_json(read_sample(self.path), self.report.encoding or "utf-8")
            while True:
                try:
                    line = text.readline()
                except UnicodeDecodeError as exc:
                    raise self._decode_error(exc) from exc
                except DECOMPRESSION_ERRORS as exc:
                    raise self._decompress_error(exc, line_no) from exc
                if not line:
                    break
                line_no += 1
                if not line.strip():
                    continue
                n_records += 1
                try:
                    value = loads_record(line)
                    check_record(value, self._core_sources())
                except JsonRecordError as exc:
                    self.bad_rows.report(exc.detail, row=line_no, field=exc.field)
                    continue
                records.append(value)
                rows.append(line_no)
                if len(records) >= self.batch_size:
                    yield self._json_frame(records, rows)
                    records, rows = [], []
                    bar.update(raw.tell() - bar.n)
        self.report.rows_read = n_records
        if records:
            yield self._json_frame(records, rows)
        elif self.report.column_plan is None and not self.bad_rows.rows:
            raise InputError("file holds no records", path=self.path)

    def _read_json_array(self) -> Iterator[pd.DataFrame]:
        sample = read_sample(self.path)
        encoding = self._encoding(sample)
        self._plan_json(sample, encoding)
        records: list[dict] = []
        rows: list[int] = []
        index = 0
        with open_binary(self.path) as raw, self._progress() as bar:
            stream: Any = raw if encoding in ("utf-8", "utf-8-sig") else _Recoder(raw, encoding)
            if encoding == "utf-8-sig":
                raw.read(3)
            items = iter_json_array(stream)
            while True:
                try:
                    value = next(items)
                except StopIteration:
                    break
                except (ijson.JSONError, UnicodeDecodeError) as exc:
                    raise InputError(
                        f"not a valid JSON array ({str(exc).splitlines()[0].strip()}); "
                        "the file cannot be read past this point",
                        path=self.path,
                        row=index + 1,
                    ) from exc
                except DECOMPRESSION_ERRORS as exc:
                    raise self._decompress_error(exc, index) from exc
                index += 1
                try:
                    if isinstance(value, JsonRecordError):
                        raise value
                    check_record(value, self._core_sources())
                except JsonRecordError as exc:
                    self.bad_rows.report(exc.detail, row=index, field=exc.field)
                    continue
                records.append(value)
                rows.append(index)
                if len(records) >= self.batch_size:
                    yield self._json_frame(records, rows)
                    records, rows = [], []
                    bar.update(raw.tell() - bar.n)
        self.report.rows_read = index
        if records:
            yield self._json_frame(records, rows)
        elif index == 0:
            raise InputError("the JSON array is empty", path=self.path)

    def _core_sources(self) -> dict[str, str]:
        """Source key -> our column, for the columns that must hold a single value."""
        plan = self.report.column_plan
        if plan is None:
            return {}
        return {source: target for target, source in plan.pairs if target in plan.ours}

    def _plan_json(self, sample: bytes, encoding: str) -> None:
        """Plan the columns from the keys of the records in the first 1 MB, not from the first
        batch: a plan made from whichever records a batch holds would depend on batch_size."""
        text = sample.decode(encoding, errors="ignore")
        values: list[Any] = []
        if self.format == "jsonl":
            for line in text.split("\n"):
                try:
                    values.append(loads_record(line))
                except JsonRecordError:  # a bad line (reported when read), or the sample's cut
                    continue
        else:
            try:
                values.extend(iter_json_array(io.BytesIO(text.encode("utf-8", "replace"))))
            except ijson.JSONError:  # the sample's cut, or a bad array (reported when read)
                pass
        columns: dict[str, None] = {}
        for value in values:
            if isinstance(value, dict):
                columns.update(dict.fromkeys(str(k) for k in value))
        if columns:
            self._plan(list(columns))

    def json_lines_dates(self) -> pd.Series | None:
        """The date column of a UTF-8 JSON Lines file, read by pyarrow's JSON reader alone.

        Much faster than reading every record (the text included) with the checks of
        :meth:`batches`, for a look at the dates beforehand. None when it cannot be read so:
        another format or encoding, a missing column (which the full read reports), no date
        column planned from the file's start, or any line pyarrow refuses (not an object, a
        date that is not text, a line over 16 MB). Lines that :meth:`batches` would reject as
        bad rows may still be read here: callers use the result only where extra rows cannot
        change their conclusion.
        """
        import pyarrow.json as pajson

        if self.format != "jsonl":
            return None
        sample = read_sample(self.path)
        encoding = (self.encoding or detect_encoding(self.path, sample)).replace("_", "-")
        if encoding.lower() not in ("utf-8", "ascii") or sample.startswith(b"\xef\xbb\xbf"):
            return None
        try:
            self._plan_json(sample, "utf-8")
        except InputError:  # a missing column, say: the full read reports it
            return None
        plan = self.report.column_plan
        key = None if plan is None else plan.source_of("date")
        if key is None:
            return None
        options = pajson.ParseOptions(explicit_schema=pa.schema([(key, pa.string())]),
                                      unexpected_field_behavior="ignore")
        try:
            with open_binary(self.path) as raw:
                table = pajson.read_json(raw, parse_options=options,
                                         read_options=pajson.ReadOptions(block_size=1 << 24))
        except (pa.ArrowException, OSError, *DECOMPRESSION_ERRORS):
            return None
        return table.column(key).to_pandas()

    def _json_frame(self, records: list[dict], rows: list[int]) -> pd.DataFrame:
        columns: dict[str, None] = {}
        for record in records:
            columns.update(dict.fromkeys(record))
        names = [str(c) for c in columns]
        plan = self.report.column_plan
        if plan is None:
            plan = self._plan(names)
        else:
            new = [c for c in names if c not in {s for _, s in plan.pairs}]
            if new:
                plan.pairs.extend(_metadata_pairs(new, plan))
        values = [[_json_value(r.get(c)) for c in columns] for r in records]
        # As parsed (object), not inferred per batch: [5, None] would turn float in one batch
        # and stay int split over two, so the store's types would depend on batch_size.
        return plan.apply(self._frame(values, names, rows, dtype=object))

    # -- Parquet -------------------------------------------------------------------------------
    def _read_parquet(self) -> Iterator[pd.DataFrame]:
        try:
            dataset = pads.dataset(self.path, format="parquet", partitioning="hive")
            schema = dataset.schema
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(f"not a readable Parquet file or dataset ({exc})",
                             path=self.path) from exc
        plan = self._plan(schema.names)
        _check_parquet_types(self.path, schema, plan)
        row = 0
        try:
            for batch in dataset.to_batches(batch_size=self.batch_size, use_threads=False):
                if batch.num_rows == 0:
                    continue
                frame = batch.to_pandas(types_mapper=_arrow_string_mapper)
                frame["source_row"] = pd.array(range(row + 1, row + 1 + batch.num_rows),
                                               dtype="int64")
                row += batch.num_rows
                yield plan.apply(frame)
        except pa.ArrowException as exc:
            raise InputError(f"cannot read Parquet data after row {row} ({exc})",
                             path=self.path) from exc
        self.report.rows_read = row

    # -- text folders --------------------------------------------------------------------------
    def _read_text(self) -> Iterator[pd.DataFrame]:
        yield from read_text_folder(self, plan_columns=self._plan)


class _Recoder:
    """Bytes in some encoding -> UTF-8 bytes, for ijson, which reads UTF-8 only.

    A plain object with ``read``: as an ``io.RawIOBase`` ijson's C backend calls ``readinto``,
    which RawIOBase leaves unimplemented.
    """

    def __init__(self, raw: Any, encoding: str) -> None:
        self._text = io.TextIOWrapper(raw, encoding=encoding)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = self._text.read(65536)
            if not chunk:
                break
            self._buffer += chunk.encode("utf-8")
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


class _LineTracker:
    """The lines csv reads, counted, with the quotes in those of the record being read.

    A record that holds an odd number of quote characters was ended by the end of the file
    inside a quoted value (csv yields it as it stands): the sign of a stray quote.
    """

    def __init__(self, text: Any) -> None:
        self._text = text
        self._lines_read = 0
        self._first_line = 1
        self._quotes = 0
        self.at_end = False

    def __iter__(self) -> _LineTracker:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._text)
        except StopIteration:
            self.at_end = True
            raise
        self._lines_read += 1
        self._quotes += line.count('"')
        return line

    def take(self) -> tuple[int, int]:
        """The first line and the quote count of the record just read; start the next one."""
        taken = (self._first_line, self._quotes)
        self._first_line, self._quotes = self._lines_read + 1, 0
        return taken


def _metadata_pairs(names: list[str], plan: ColumnPlan) -> list[tuple[str, str]]:
    taken = {t for t, _ in plan.pairs}
    pairs = []
    for name in names:
        target = name if name not in taken else f"{name}_original"
        while target in taken:
            target += "_"
        taken.add(target)
        pairs.append((target, name))
    return pairs


def _json_value(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _arrow_string_mapper(dtype: pa.DataType) -> Any:
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return pd.StringDtype(na_value=float("nan"))
    return None


_TEXT_TYPES = (pa.types.is_string, pa.types.is_large_string, pa.types.is_dictionary)


def _check_parquet_types(path: Path, schema: pa.Schema, plan: ColumnPlan) -> None:
    """Refuse a Parquet core column of a type that cannot mean what the column means."""
    rules = {
        "text": (_TEXT_TYPES, "text (string)"),
        "title": (_TEXT_TYPES, "text (string)"),
        "outlet": (_TEXT_TYPES + (pa.types.is_integer,), "text (string)"),
        "doc_id": (_TEXT_TYPES + (pa.types.is_integer,), "text or integer ids"),
        "passage_id": (_TEXT_TYPES + (pa.types.is_integer,), "text or integer ids"),
        "date": (
            _TEXT_TYPES + (pa.types.is_timestamp, pa.types.is_date),
            "dates, timestamps, or date strings",
        ),
    }
    for target, (checks, wanted) in rules.items():
        source = plan.source_of(target)
        if source is None:
            continue
        dtype = schema.field(source).type
        if not any(check(dtype) for check in checks):
            raise InputError(
                f"column has type {dtype}; expected {wanted}",
                path=path,
                field=source,
            )

