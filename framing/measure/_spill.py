"""Per-document sums of a table on disk, spilled to temporary files and read back by groups.

The bootstrap of prevalence resamples a group's documents whole, so it needs every document's
sums (:mod:`framing.measure._partials`), about 1-2 KB a document once in pandas: held for the
whole corpus they grow with it (1.75 GB at a million documents). Here the one pass over the
table writes each batch's per-document rows (a key number, the document, the sums, the row
count) to a Parquet file in a temporary folder and keeps only the distinct combinations of
the grouping columns (an outlet and a day, say), whose number does not grow with the corpus.
Once the groups are known (their levels need the whole table), the groups are read back in
order, a chunk of consecutive groups at a time of at most ``max_documents`` document rows, so
memory is set by that budget, not by the corpus; a group larger than the budget is read alone
(its documents must be resampled together).

A document split between batches has a row in each spill file; the rows of a chunk are
summed per (key, document) in table order from zero, as :func:`framing.measure._partials`'s
combination did, so the sums, and every draw made from them, are the ones of the whole table
in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing.measure._partials import ROW_COUNT, concat_frames

#: Default budget of document rows read back at a time (a few tens of MB of sums).
MAX_DOCUMENTS_IN_MEMORY = 100_000


@dataclass
class GroupDocuments:
    """The documents of one group, in order of first appearance in the table."""

    units: np.ndarray       # each row's resampling unit: doc_id as str, or the row number
    values: np.ndarray      # (rows, values) float64 sums
    row_count: np.ndarray   # float64: the table's rows (passages) each row sums


class DocumentSpill:
    """Batches of per-document sums written to ``folder``; the grouping keys kept.

    Use :meth:`add` as the ``sink`` of :func:`framing.measure._partials.reduce_batches`,
    then :meth:`groups`. ``keys`` holds the distinct combinations of the ``key_columns``
    (categories unified across batches, as a whole table's would be), ``rows_per_key`` the
    spilled rows of each (at least its documents) and ``passages_per_key`` the table's rows.

    Examples
    --------
    >>> import tempfile
    >>> spill = DocumentSpill(Path(tempfile.mkdtemp()), key_columns=["outlet"],
    ...                       values=["p_x"], unit="doc_id")
    >>> spill.add(pd.DataFrame({"outlet": ["X", "Y"], "doc_id": ["a", "b"],
    ...                         "p_x": [0.5, 0.25], "n_rows_": [1, 1]}))
    >>> spill.add(pd.DataFrame({"outlet": ["X"], "doc_id": ["a"], "p_x": [0.125],
    ...                         "n_rows_": [1]}))
    >>> spill.keys
      outlet
    0      X
    1      Y
    >>> for g, docs in spill.groups(np.array([1, 0]), n_groups=2, max_documents=1):
    ...     print(g, docs.units, docs.values[:, 0], docs.row_count)
    0 ['b'] [0.25] [1.]
    1 ['a'] [0.625] [2.]
    """

    def __init__(self, folder: Path, *, key_columns: Sequence[str], values: Sequence[str],
                 unit: str | None) -> None:
        self.folder, self.key_columns, self.values = Path(folder), list(key_columns), list(values)
        self.unit = unit or "row_"
        self.files: list[Path] = []
        # no grouping columns: one combination, the empty one
        self.keys = pd.DataFrame(index=range(1)) if not key_columns else None
        self._ids: dict[tuple, int] = {}
        self._rows: list[int] = [] if key_columns else [0]
        self._passages: list[int] = [] if key_columns else [0]

    @property
    def rows_per_key(self) -> np.ndarray:
        return np.asarray(self._rows, dtype=np.int64)

    @property
    def passages_per_key(self) -> np.ndarray:
        return np.asarray(self._passages, dtype=np.int64)

    def add(self, documents: pd.DataFrame) -> None:
        """Spill one batch's per-document rows (``key_columns``, unit, values, row count)."""
        key = self._key_ids(documents)
        counts = documents[ROW_COUNT].to_numpy(dtype=np.int64)
        n_keys = len(self._rows)
        self._rows = (np.asarray(self._rows, dtype=np.int64)
                      + np.bincount(key, minlength=n_keys)).tolist()
        self._passages = (np.asarray(self._passages, dtype=np.int64)
                          + np.bincount(key, weights=counts, minlength=n_keys).astype(np.int64)
                          ).tolist()
        units = documents[self.unit]
        columns = {"key_": pa.array(key, pa.int32()),
                   "unit_": (pa.array(units.to_numpy(dtype=np.int64)) if self.unit == "row_"
                             else pa.array(units.astype(str).to_numpy(dtype=object),
                                           pa.string())),
                   ROW_COUNT: pa.array(counts, pa.int64())}
        for j, name in enumerate(self.values):
            columns[f"v{j}_"] = pa.array(documents[name].to_numpy(dtype=np.float64))
        file = self.folder / f"batch-{len(self.files):06d}.parquet"
        pq.write_table(pa.table(columns), file)
        self.files.append(file)

    def _key_ids(self, documents: pd.DataFrame) -> np.ndarray:
        """The number of each row's key combination; new combinations join :attr:`keys`."""
        if not self.key_columns:
            return np.zeros(len(documents), dtype=np.int64)
        frame = documents[self.key_columns]
        codes, uniques = pd.MultiIndex.from_frame(frame.astype(object)).factorize()
        ids = np.empty(len(uniques), dtype=np.int64)
        new = []
        for k, combination in enumerate(uniques):
            found = self._ids.get(combination)
            if found is None:
                found = self._ids[combination] = len(self._ids)
                new.append(k)
                self._rows.append(0)
                self._passages.append(0)
            ids[k] = found
        first = np.zeros(len(uniques), dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        # every batch joins, even without a new combination: its categories are the table's
        joining = frame.iloc[first[new]].reset_index(drop=True)
        self.keys = joining if self.keys is None else concat_frames([self.keys, joining])
        return ids[codes]

    def groups(self, group_of_key: np.ndarray, n_groups: int,
               max_documents: int) -> Iterator[tuple[int, GroupDocuments]]:
        """Every group in order (empty ones too) with its documents, read a chunk at a time.

        ``group_of_key`` places each row of :attr:`keys` in a group. Consecutive groups are
        read together while their spilled rows stay within ``max_documents``; a larger group
        is read alone. The spill files are deleted once read into chunks.
        """
        per_group = np.bincount(group_of_key, weights=self.rows_per_key, minlength=n_groups)
        chunk_of_group = _chunks(per_group, max_documents)
        if not n_groups:
            return
        n_chunks = int(chunk_of_group.max()) + 1
        if n_chunks > 1:
            parts = self._split(chunk_of_group[group_of_key], n_chunks)
        else:
            parts = [self.files]
        g = 0
        for chunk, files in enumerate(parts):
            documents = _merge(load_chunk(files), len(self.values))
            code = group_of_key[documents["key"]]
            order = np.argsort(code, kind="stable")
            mine = np.flatnonzero(chunk_of_group == chunk)
            bounds = np.searchsorted(code[order], np.arange(mine[0], mine[-1] + 2))
            for k in range(len(mine)):
                rows = order[bounds[k]:bounds[k + 1]]
                yield g, GroupDocuments(units=documents["unit"][rows],
                                        values=documents["values"][rows],
                                        row_count=documents["row_count"][rows])
                g += 1
            del documents, code, order

    def _split(self, chunk_of_key: np.ndarray, n_chunks: int) -> list[list[Path]]:
        """Rewrite the spill files as one set of files per chunk, in table order."""
        parts: list[list[Path]] = [[] for _ in range(n_chunks)]
        for i, file in enumerate(self.files):
            table = pq.read_table(file)
            chunk = chunk_of_key[table["key_"].to_numpy()]
            for c in np.unique(chunk):
                part = self.folder / f"chunk-{c:06d}-{i:06d}.parquet"
                pq.write_table(table.filter(pa.array(chunk == c)), part)
                parts[c].append(part)
            file.unlink()
        self.files = []
        return parts


def load_chunk(files: Sequence[Path]) -> pa.Table | None:
    """The spilled rows of a chunk of groups, in table order (a hook for tests to count)."""
    if not files:
        return None
    return pa.concat_tables([pq.read_table(file) for file in files])


def _chunks(per_group: np.ndarray, max_documents: int) -> np.ndarray:
    """The chunk of each group: consecutive groups within ``max_documents`` rows together."""
    chunk = np.zeros(len(per_group), dtype=np.int64)
    current, used = 0, 0
    for g, n in enumerate(per_group):
        if used and used + n > max_documents:
            current, used = current + 1, 0
        chunk[g] = current
        used += n
    return chunk


def _merge(table: pa.Table | None, n_values: int) -> dict[str, np.ndarray]:
    """One row per (key, unit) in order of first appearance, the spilled rows summed."""
    if table is None or not table.num_rows:
        return {"key": np.zeros(0, dtype=np.int64), "unit": np.zeros(0, dtype=object),
                "values": np.zeros((0, n_values)), "row_count": np.zeros(0)}
    key = table["key_"].to_numpy().astype(np.int64)
    unit = table["unit_"].to_numpy(zero_copy_only=False)
    unit_code, unit_values = pd.factorize(unit)
    # one int per (key, unit): cheaper to factorize than pairs, the same first appearances
    codes, uniques = pd.factorize(key * len(unit_values) + unit_code)
    first = np.zeros(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    numbers = np.column_stack([table[f"v{j}_"].to_numpy() for j in range(n_values)]
                              ) if n_values else np.zeros((len(key), 0))
    # from zero, in table order: the sums a single pass over the whole table gives
    sums = np.zeros((len(uniques), n_values))
    np.add.at(sums, codes, numbers)
    counts = np.zeros(len(uniques), dtype=np.int64)
    np.add.at(counts, codes, table[ROW_COUNT].to_numpy())
    return {"key": key[first], "unit": unit[first], "values": sums,
            "row_count": counts.astype(np.float64)}
