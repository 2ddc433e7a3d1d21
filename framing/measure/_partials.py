"""Partial aggregates of a table on disk: per-document sums, batch by batch.

Frame prevalence (``cc``, ``pcc``, ``acc``, ``pacc``) and topic prevalence (``bootstrap``)
depend on a group's passages only through each document's passage count and its sums of
``is_<frame>``, ``p_<frame>`` or ``topic_<k>``: the bootstrap resamples documents whole. So a
table on disk is read in batches of ``batch_size`` rows; each batch is reduced to one row per
document (and its grouping values: the ``by`` columns, and the day when periods are made from
``date``), in order of first appearance, and handed on: :mod:`framing.measure._spill` writes
them to disk and combines them later, summing the rows of a document split between batches.
Memory is set by the batch size, never by the number of passages or documents.

Some statistics need per-passage values that are not sums of stored columns, and no
resampling of documents: ``posterior`` needs, per group, how many uncoded passages fall in
each score bin and how many coded ones carry the frame. :func:`reduce_batches` derives such
numbers per row in the same pass and sums them per combination of the grouping columns alone
(an outlet and a day, say), whose number does not grow with the corpus.

Sums run row by row in input order (``np.add.at`` from zero) in one batch and across batches,
so the combined sums are the ones a single pass over the whole table gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing._types import PathLike
from framing.corpus import InputError
from framing.measure._periods import parse_dates

#: Column of a document-level table: how many input rows (passages) the row sums.
ROW_COUNT = "n_rows_"


def parquet_files(path: PathLike) -> list[Path]:
    """The Parquet files of a table on disk: one file, or a folder's ``*.parquet`` parts.

    Raises
    ------
    InputError
        ``path`` is neither a ``.parquet`` file nor a folder holding some.
    """
    source = Path(path)
    if source.is_file() and source.suffix.lower() == ".parquet":
        return [source]
    if source.is_dir():
        files = sorted(source.glob("*.parquet"))
        if files:
            return files
    raise InputError("expected a .parquet file or a folder of .parquet parts", path=source)


def iter_table(files: Sequence[Path], columns: Sequence[str] | None,
               batch_size: int) -> Iterator[pd.DataFrame]:
    """The rows of ``files`` in order, ``batch_size`` rows at a time, as DataFrames."""
    for file in files:
        try:
            reader = pq.ParquetFile(file)
            names = reader.schema_arrow.names
            wanted = None if columns is None else [c for c in columns if c in names]
            for batch in reader.iter_batches(batch_size=batch_size, columns=wanted,
                                             use_threads=False):
                yield pa.Table.from_batches([batch]).to_pandas()
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"cannot read the table ({exc})", path=file) from exc


def schema_names(files: Sequence[Path]) -> list[str]:
    """The column names of the first file (every part has the same columns)."""
    try:
        return list(pq.ParquetFile(files[0]).schema_arrow.names)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot read the table ({exc})", path=files[0]) from exc


def reduce_batches(
        files: Sequence[Path], *, keys: Sequence[str], values: Sequence[str], batch_size: int,
        sink: Callable[[pd.DataFrame], None], unit: str | None = "doc_id",
        check: Callable[[pd.DataFrame], None] | None = None, read: Sequence[str] = (),
        derive: Callable[[pd.DataFrame, int], dict[str, np.ndarray]] | None = None,
) -> pd.DataFrame | None:
    """One pass: each batch's per-document sums to ``sink``; derived numbers summed per key.

    Every batch of ``batch_size`` rows is reduced to one row per (``keys``, ``unit``) in order
    of first appearance, with summed ``values`` and :data:`ROW_COUNT` (the rows it sums), and
    handed to ``sink``: a document split between batches gives a row in each. ``keys`` are
    grouping columns kept as they are (a missing value is an error naming its row), ``date``
    among them parsed to a day. ``unit`` is the resampling unit (``doc_id``); ``None`` keeps
    every row as its own unit, numbered by its row in the table (``row_``, from 0).
    ``check(batch)`` runs on every batch first; the row of an InputError it raises is made a
    row of the whole table.

    ``derive(batch, offset)`` runs on every checked batch (its rows are rows ``offset + 1``
    onwards of the whole table, as read; ``read`` names the columns it needs beyond ``keys``,
    ``unit`` and ``values``) and returns, under the same names for every batch, numbers per
    row; they are summed per combination of ``keys`` (``date`` parsed to a day, as for the
    documents), which is returned (``None`` without ``derive``).

    Examples
    --------
    >>> import tempfile
    >>> file = Path(tempfile.mkdtemp()) / "t.parquet"
    >>> pd.DataFrame({"doc_id": ["a", "b", "a"], "outlet": ["X", "Y", "X"],
    ...               "p_x": [0.5, 0.25, 0.125]}).to_parquet(file)
    >>> batches = []
    >>> by_outlet = reduce_batches(
    ...     [file], keys=["outlet"], values=["p_x"], batch_size=2, sink=batches.append,
    ...     derive=lambda batch, offset: {"high_": (batch["p_x"] > 0.2).to_numpy(float)})
    >>> pd.concat(batches, ignore_index=True)  # "a" is split between the two batches
      outlet doc_id    p_x  n_rows_
    0      X      a  0.500        1
    1      Y      b  0.250        1
    2      X      a  0.125        1
    >>> by_outlet
      outlet  high_  n_rows_
    0      X    1.0        2
    1      Y    1.0        1
    """
    columns = [*keys, *([unit] if unit else []), *values]
    wanted = list(dict.fromkeys([*columns, *read]))
    derived: list[pd.DataFrame] = []
    names: list[str] = []
    offset = 0
    for batch in iter_table(files, wanted, batch_size):
        for column in wanted:
            if column not in batch.columns:
                raise InputError("the table has no such column", path=files[0], field=column)
        if check is not None:
            try:
                check(batch)
            except InputError as exc:
                raise InputError(exc.reason, path=exc.path, field=exc.field,
                                 row=None if exc.row is None else offset + exc.row) from exc
        if unit is None:
            batch = batch.assign(row_=np.arange(offset, offset + len(batch)))
        prepared = _prepare(batch, [*keys], offset)
        sink(_reduce(prepared, [*keys], unit or "row_", values))
        if derive is not None:
            extra = derive(batch, offset)  # the batch as read (dates not parsed)
            names = list(extra)
            numbers = prepared[[*keys]].assign(**extra, all_=0)
            # reduced batch by batch: memory set by the keys' combinations, not the rows
            derived = [_reduce(concat_frames([*derived, _reduce(numbers, [*keys], "all_", names)]),
                               [*keys], "all_", [*names, ROW_COUNT])]
        offset += len(batch)
    if not offset:
        raise InputError("the table has no rows", path=files[0])
    return None if derive is None else derived[0].drop(columns=["all_"])


def _prepare(batch: pd.DataFrame, keys: list[str], offset: int) -> pd.DataFrame:
    """A batch's grouping keys checked (none missing) and ``date`` parsed to a day."""
    for key in keys:
        missing = batch[key].isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise InputError(f"{int(missing.sum())} rows of a batch have no {key!r} "
                             "(grouping would drop them); fill or remove them first",
                             row=offset + row + 1, field=key)
    if "date" in keys:
        try:
            batch = batch.assign(date=parse_dates(batch["date"]).to_numpy())
        except InputError as exc:
            raise InputError(exc.reason, row=None if exc.row is None
                             else offset + exc.row, field="date") from exc
    return batch


def _reduce(batch: pd.DataFrame, keys: list[str], unit: str,
            values: Sequence[str]) -> pd.DataFrame:
    """Sum ``values`` (and count rows) per (keys, unit), in order of first appearance."""
    group_columns = [*keys, unit]
    codes, uniques = pd.MultiIndex.from_frame(batch[group_columns].astype(object)).factorize()
    first = np.zeros(len(uniques), dtype=np.int64)
    # the first row of each unit: positions in reverse so the earliest is written last
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    out = batch.iloc[first][group_columns].reset_index(drop=True)
    numbers = batch[list(values)].to_numpy(dtype=np.float64) if values else np.zeros(
        (len(batch), 0))
    sums = np.zeros((len(uniques), numbers.shape[1]))
    np.add.at(sums, codes, numbers)
    for j, name in enumerate(values):
        out[name] = sums[:, j]
    if ROW_COUNT not in values:
        out[ROW_COUNT] = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
    else:
        out[ROW_COUNT] = out[ROW_COUNT].astype(np.int64)
    return out


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate, unifying categorical columns' categories in order of appearance."""
    if len(frames) == 1:
        return frames[0]
    for column in frames[0].columns:
        if all(isinstance(f[column].dtype, pd.CategoricalDtype) for f in frames):
            union = pd.api.types.union_categoricals([f[column] for f in frames])
            ordered = frames[0][column].cat.ordered
            for frame in frames:
                frame[column] = pd.Categorical(frame[column], categories=union.categories,
                                               ordered=ordered)
    return pd.concat(frames, ignore_index=True)
