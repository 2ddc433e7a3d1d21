"""Passages cut elsewhere (a coded spreadsheet, another tool's units) imported as a passages folder.

The passage table a user brings (CSV/TSV, JSONL, JSON array or Parquet; one row per passage):

==============  ========  =========================================================================
column          required  meaning
==============  ========  =========================================================================
``text``        yes       the passage, as it was coded
``passage_id``  no        unique id the codes refer to; made as ``<doc_id>:<n>`` when absent
``doc_id``      no        the article the passage comes from (folds never split an article); when
                          absent each passage is its own document
``outlet``      no        where it was published; without it nothing can be grouped by outlet
``date``        no        when (any common date form; a UTC day is kept)
``title`` ...   no        ``title``, ``url``, ``author``, ``language``
anything else   no        user metadata, kept under its own name and carried to every result
==============  ========  =========================================================================

Columns are found as ``framing corpus import`` finds them (our name in any case, then one
unambiguous synonym: a bare ``id`` names the passage, ``article_id`` its document, ``body`` the
text, ``media_name`` the outlet, ``publish_date`` the date...), or from an explicit map
(``passage_id=item,text=sentence``). The corpus readers read the file, so encodings, delimiters,
bad rows (``on_bad_rows``) and error messages (file, row, field) are the corpus importer's.

Every row read is kept or dropped for a reason (``empty_text``, ``bad_row``, ``bad_date``,
``missing_passage_id``, ``duplicate_passage_id``): read = kept + dropped, in the manifest and in the
folder's ``dropped`` table.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing._types import BadRows, PathLike
from framing.corpus import (
    InputError,
    Interval,
    Options,
    Source,
    atomic_directory,
    check_output,
    parse_column_map,
    parse_dates,
    validate_params,
)
from framing.text._passages import Passages, load_passages

#: The columns of the passage table, in the order they are written (those present).
PASSAGE_TABLE_COLUMNS = ("passage_id", "doc_id", "outlet", "date", "text", "title", "url",
                         "author", "language")
DROP_REASONS = ("bad_row", "bad_date", "missing_passage_id", "duplicate_passage_id",
                "empty_text")
_PARAMETERS = {
    "on_bad_rows": [Options({"error", "warn", "skip"})],
    "batch_size": [Interval(int, 1, None)],
}
_DROPPED_COLUMNS = ["source_row", "passage_id", "reason", "detail"]


def _as_text(value: Any) -> str | None:
    """A cell as stripped text; None when missing or blank. Integral floats lose their ``.0``."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        with open(file, "rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 22), b""):
                digest.update(chunk)
    return digest.hexdigest()


class _Ids:
    """Passage and document ids across batches: uniqueness, and ``<doc_id>:<n>`` numbering."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}  # passage id -> the row that holds it
        self.documents: Counter[str] = Counter()  # kept passages per document, first seen first

    def number(self, doc_id: str) -> str:
        """The next ``<doc_id>:<n>`` of a document (0, 1, ... in file order)."""
        n = self.documents[doc_id]
        while f"{doc_id}:{n}" in self.seen:  # pragma: no cover - only ids we made are here
            n += 1
        return f"{doc_id}:{n}"

    def keep(self, passage: str, doc_id: str, row: int) -> None:
        self.seen[passage] = row
        self.documents[doc_id] += 1


def _clean_batch(frame: pd.DataFrame, source: Source, ids: _Ids, *, has_passage_id: bool,
                 has_doc_id: bool, dayfirst: bool, timezone: str,
                 counts: Counter[str]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One batch in, ``(kept rows, dropped rows)`` out; bad rows go through the source's sink."""
    sink = source.bad_rows
    rows = frame["source_row"].astype("int64")
    keep = pd.Series(True, index=frame.index)
    dropped: list[dict[str, Any]] = []

    def drop(position: Any, reason: str, detail: str, field: str | None,
             passage_id: str | None = None) -> None:
        sink.report(detail, row=int(rows[position]), field=field, reason=reason)
        keep[position] = False
        dropped.append({"source_row": int(rows[position]), "passage_id": passage_id,
                        "reason": reason, "detail": detail})

    out = pd.DataFrame(index=frame.index)
    if has_passage_id:
        given = frame["passage_id"].map(_as_text)
        for position in frame.index[given.isna()]:
            drop(position, "missing_passage_id", "empty passage id", "passage_id")
    if "date" in frame.columns:
        parsed = parse_dates(frame["date"], dayfirst=dayfirst, timezone=timezone)
        for position in frame.index[parsed.error.notna() & keep]:
            drop(position, "bad_date", str(parsed.error[position]), "date")
        out["date"] = parsed.day
    text = frame["text"].map(_as_text)
    for position in frame.index[text.isna() & keep]:
        keep[position] = False
        dropped.append({"source_row": int(rows[position]),
                        "passage_id": _as_text(frame["passage_id"][position])
                        if has_passage_id else None,
                        "reason": "empty_text", "detail": "the text is empty"})
    documents = frame["doc_id"].map(_as_text) if has_doc_id else None
    passage_ids: list[str | None] = []
    doc_ids: list[str | None] = []
    for position in frame.index:
        if not keep[position]:
            passage_ids.append(None)
            doc_ids.append(None)
            continue
        document = documents[position] if documents is not None else None
        if has_passage_id:
            passage = str(given[position])
            first = ids.seen.get(passage)
            if first is not None:
                drop(position, "duplicate_passage_id",
                     f"passage id {passage!r} is also on row {first}; ids must be unique",
                     "passage_id", passage)
                passage_ids.append(None)
                doc_ids.append(None)
                continue
            if document is None:
                document = passage
                counts["own_document"] += 1
        else:
            if document is None:
                document = f"row{int(rows[position])}"
                counts["own_document"] += 1
            passage = ids.number(document)
        ids.keep(passage, document, int(rows[position]))
        passage_ids.append(passage)
        doc_ids.append(document)
    out["passage_id"] = passage_ids
    out["doc_id"] = doc_ids
    out["text"] = text
    if "date" in out.columns:
        counts["missing_date"] += int((out["date"].isna() & keep).sum())
    if "outlet" in frame.columns:
        out["outlet"] = frame["outlet"].map(_as_text)
        counts["missing_outlet"] += int((out["outlet"].isna() & keep).sum())
    for column in ("title", "url", "author", "language"):
        if column in frame.columns:
            out[column] = frame[column].map(_as_text)
    order = [c for c in PASSAGE_TABLE_COLUMNS if c in out.columns]
    metadata = [c for c in frame.columns if c not in PASSAGE_TABLE_COLUMNS
                and c != "source_row"]
    kept = pd.concat([out[order], frame[metadata]], axis=1)
    kept["source_row"] = rows
    return kept.loc[keep].reset_index(drop=True), dropped


def _arrow_batch(batch: pd.DataFrame, schema: pa.Schema | None, path: Path) -> pa.Table:
    """A batch as Arrow, in the first batch's schema (text where a column's type is unclear)."""
    if schema is None:
        fields = []
        for name in batch.columns:
            values = batch[name]
            if name == "date":
                fields.append(pa.field(name, pa.timestamp("ns")))
                continue
            if name == "source_row":
                fields.append(pa.field(name, pa.int64()))
                continue
            try:
                kind = pa.array(values, from_pandas=True).type
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
                kind = pa.string()
            if _is_text(kind) or pa.types.is_null(kind) or values.dtype == object:
                kind = pa.string()  # text, or an all-empty or mixed column: held as text
            fields.append(pa.field(name, kind))
        schema = pa.schema(fields)
    new = [c for c in batch.columns if c not in schema.names]
    if new:
        raise InputError(f"column {new[0]!r} first appears after row "
                         f"{int(batch['source_row'].iloc[0]) - 1}; name every column in the "
                         "first rows", path=path, field=new[0])
    batch = batch.reindex(columns=schema.names)
    for field in schema:
        if _is_text(field.type):
            batch[field.name] = batch[field.name].astype(object).map(_as_cell)
    try:
        return pa.Table.from_pandas(batch, schema=schema, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InputError(f"a column changes type part-way through the file ({exc}); give "
                         "it one type throughout", path=path) from exc


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _as_cell(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value if isinstance(value, str) else str(value)


def _drop_columns(frame: pd.DataFrame, drop: Sequence[str], source: Source) -> pd.DataFrame:
    """Leave out the columns ``drop`` names (by the file's name or ours)."""
    if not drop:
        return frame
    plan = source.report.column_plan
    pairs = plan.pairs if plan is not None else [(c, c) for c in frame.columns]
    ours = {theirs: target for target, theirs in pairs}
    targets = []
    for name in drop:
        target = name if name in frame.columns else ours.get(name)
        if target is None or target not in frame.columns:
            raise InputError(f"no column {name!r} to drop; the columns are "
                             + ", ".join(repr(t) for t, _ in pairs),
                             path=source.path, field=name)
        if target in ("text", "source_row"):
            raise InputError("the text cannot be dropped", path=source.path, field=name)
        targets.append(target)
    return frame.drop(columns=targets)


def import_passages(
    table: PathLike,
    out: PathLike,
    *,
    format: str = "auto",
    column_map: dict[str, str] | str | None = None,
    drop: Sequence[str] = (),
    encoding: str | None = None,
    delimiter: str | None = None,
    dayfirst: bool = False,
    timezone: str = "UTC",
    on_bad_rows: BadRows = "error",
    batch_size: int = 10_000,
    force: bool = False,
    progress: bool = True,
) -> Passages:
    """Import a table of already-cut passages (any metadata) into a passages folder.

    The folder is the one :func:`extract_passages` writes (``manifest.json``, ``passages/``,
    ``documents/``), so every later command reads it; it has no ``mentions`` (nothing was
    searched). See the module docstring for the table's columns.

    Parameters
    ----------
    table : path-like
        A CSV/TSV, JSONL, JSON array or Parquet file (or Parquet dataset folder).
    out : path-like
        The passages folder to write (atomically).
    format : {"auto", "csv", "jsonl", "json", "parquet"}, default="auto"
        Detected from the name and first bytes when "auto".
    column_map : dict or str, optional
        Our column name -> the table's (``{"passage_id": "item"}`` or ``"passage_id=item"``).
    drop : sequence of str, default=()
        Columns to leave out, e.g. the frame codes of a coded sheet (they belong in the
        annotations, read by ``framing frames import``).
    encoding, delimiter : str, optional
        Detected when not given.
    dayfirst : bool, default=False
        Read ``05/08/2020`` as 5 August.
    timezone : str, default="UTC"
        Zone of times given without an offset.
    on_bad_rows : {"error", "warn", "skip"}, default="error"
        What a row that cannot be used does: raise, or be dropped (and counted) with or
        without a warning.
    batch_size : int, default=10_000
        Rows read and written at a time.
    force : bool, default=False
        Replace an existing ``out`` folder.
    progress : bool, default=True
        Show a progress bar for large files.

    Returns
    -------
    Passages
        The folder, read back; ``manifest["rows"]`` holds the row accounting.

    Raises
    ------
    InputError
        Naming the file, the row and the field: no text column, a column map naming a missing
        column, an unreadable row, a date that cannot be parsed, an empty or repeated passage
        id (with ``on_bad_rows="error"``).
    StoreExistsError
        ``out`` exists and ``force`` is False.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "coded.csv").write_text("id,text,coder\\n7,Trump hailed the talks.,ana\\n"
    ...                                       "8,,ana\\n9,Trump left the summit.,ben\\n")
    >>> found = import_passages(folder / "coded.csv", folder / "passages", progress=False)
    >>> found.passages[["passage_id", "doc_id", "coder"]].values.tolist()
    [['7', '7', 'ana'], ['9', '9', 'ben']]
    >>> found.manifest["rows"]
    {'read': 3, 'kept': 2, 'dropped': 1, 'dropped_by_reason': {'empty_text': 1}}
    """
    validate_params("import_passages", {"on_bad_rows": on_bad_rows, "batch_size": batch_size},
                    _PARAMETERS)
    mapping = parse_column_map(column_map, table="passages")
    path = Path(table)
    check_output(out, force=force, folder=True, inputs=[path])
    source = Source(path, format=format, column_map=mapping, encoding=encoding,
                    delimiter=delimiter, on_bad_rows=on_bad_rows, batch_size=batch_size,
                    progress=progress, table="passages")
    counts: Counter[str] = Counter()
    ids = _Ids()
    dropped: list[dict[str, Any]] = []
    n_kept = 0
    columns: list[str] = []
    with atomic_directory(out, force=force) as tmp:
        for name in ("passages", "documents", "dropped"):
            (tmp / name).mkdir()
        writer: pq.ParquetWriter | None = None
        schema: pa.Schema | None = None
        try:
            for frame in _batches(source, drop):
                kept, gone = _clean_batch(
                    frame, source, ids, has_passage_id="passage_id" in frame.columns,
                    has_doc_id="doc_id" in frame.columns, dayfirst=dayfirst,
                    timezone=timezone, counts=counts)
                dropped += gone
                arrow = _arrow_batch(kept, schema, path)
                if writer is None:
                    schema = arrow.schema
                    columns = list(kept.columns)
                    writer = pq.ParquetWriter(tmp / "passages" / "part-000000.parquet", schema)
                writer.write_table(arrow)
                n_kept += len(kept)
        finally:
            if writer is not None:
                writer.close()
        report = source.report.to_dict()
        # Rows the reader itself could not parse never reached a batch.
        dropped += [{"source_row": r.source_row, "passage_id": None, "reason": r.reason,
                     "detail": r.detail} for r in source.bad_rows.rows
                    if r.reason == "bad_row"]
        if writer is None or n_kept == 0:
            raise InputError("no passage left to import (every row was dropped: "
                             + ", ".join(f"{k} {v}" for k, v in
                                         Counter(d["reason"] for d in dropped).items())
                             + ")", path=path)
        documents = pd.DataFrame(list(ids.documents.items()),
                                 columns=["doc_id", "n_passages"])
        documents.insert(1, "status", "passages")
        documents.to_parquet(tmp / "documents" / "part-000000.parquet", index=False)
        dropped.sort(key=lambda d: (d["source_row"] is None, d["source_row"] or 0))
        pd.DataFrame(dropped, columns=_DROPPED_COLUMNS).astype(
            {"source_row": "Int64"}).to_parquet(tmp / "dropped" / "part-000000.parquet",
                                                index=False)
        by_reason = Counter(d["reason"] for d in dropped)
        manifest = {
            "created_by": "framing.text.import_passages",
            "source": {**report, "sha256": _sha256(path)},
            "parameters": {"column_map": mapping, "drop": list(drop), "dayfirst": dayfirst,
                           "timezone": timezone, "on_bad_rows": on_bad_rows},
            "columns": columns,
            "rows": {"read": report["rows_read"], "kept": n_kept, "dropped": len(dropped),
                     "dropped_by_reason": {r: by_reason[r] for r in DROP_REASONS
                                           if by_reason[r]}},
            "passages": n_kept,
            "n_documents": len(documents),
            "has_outlet": "outlet" in columns, "has_date": "date" in columns,
            "counts": {"passages_own_document": counts["own_document"],
                       "missing_outlet": counts["missing_outlet"],
                       "missing_date": counts["missing_date"]},
            "notes": _notes(columns, counts),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n",
                                           encoding="utf-8")
    return load_passages(out)


def _batches(source: Source, drop: Sequence[str]) -> Iterator[pd.DataFrame]:
    for frame in source.batches():
        yield _drop_columns(frame, drop, source)


def _notes(columns: list[str], counts: Counter[str]) -> list[str]:
    notes = []
    if "outlet" not in columns:
        notes.append("no outlet column: nothing can be grouped or stratified by outlet")
    if "date" not in columns:
        notes.append("no date column: nothing can be grouped or stratified by period")
    if counts["own_document"]:
        notes.append(f"{counts['own_document']:,} passages have no doc_id: each is its own "
                     "document, so folds cannot keep an article's passages together")
    if counts["missing_outlet"]:
        notes.append(f"{counts['missing_outlet']:,} passages have an empty outlet")
    if counts["missing_date"]:
        notes.append(f"{counts['missing_date']:,} passages have an empty date")
    return notes
