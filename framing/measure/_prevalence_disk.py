"""A passage-frame table on disk, read once in batches and reduced to what prevalence needs.

:func:`framing.measure.estimate_prevalence` given a Parquet file or a folder of parts never
holds the passages. One pass over the table, ``batch_size`` rows at a time, keeps:

- per document (and its grouping values): the passage count and the sums of ``is_<frame>``
  and ``p_<frame>``, all that ``cc``, ``pcc``, ``acc``, ``pacc`` and ``combined`` read, since
  their bootstrap resamples documents whole (:mod:`framing.measure._partials`); they are
  spilled batch by batch to a temporary folder and read back a few groups at a time
  (:mod:`framing.measure._spill`), so memory does not grow with the corpus;
- per combination of the grouping columns (an outlet and a day, say), for ``posterior``: per
  frame, the uncoded passages in each score bin (the bins come from the validation table,
  known before the pass) and the coded passages with and without the frame. ``posterior``
  reads a group only through these counts (its interval resamples the validation passages,
  never the group's articles: :mod:`framing.measure._posterior`), and counts sum exactly, so
  the estimates and draws are the in-memory ones, bit for bit;
- the rows of the passages coded in validation (same ``passage_id``): their grouping values,
  which place the validation passages in groups (``validation``, ``combined``,
  ``n_validation``), and whether their predictions differ from validation's (the
  :class:`SharedPassagesWarning`). At most one row per labelled passage.

``em`` is not among them: its EM step weighs every passage's probability by the current
estimate of each bootstrap draw, a sum no fixed set of per-document numbers holds (keeping the
probabilities of every passage is keeping the table), so it needs the table in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError
from framing.measure._partials import parquet_files, reduce_batches, schema_names
from framing.measure._periods import missing_group_column
from framing.measure._posterior import bin_of
from framing.measure._spill import DocumentSpill
from framing.measure._tables import (
    NEEDS_DECISIONS,
    SharedPassages,
    check_frames,
    comparison_columns,
    shared_passages,
)

#: The methods a table on disk supports (read in one pass of batches).
STREAMED_METHODS = ("cc", "pcc", "acc", "pacc", "validation", "combined", "posterior")


@dataclass
class DiskSource:
    """A table on disk, its columns checked, not yet read."""

    path: Path
    files: list[Path]
    names: list[str]
    frames: list[str]
    group_columns: list[str]       # the ``by`` columns, ``date`` for periods made from it


@dataclass
class DiskTable:
    """What one pass over a table on disk keeps (see the module's docstring)."""

    documents: DocumentSpill       # per (grouping values, doc_id): summed columns, spilled
    by_key: pd.DataFrame | None    # posterior counts per combination of the grouping columns
    coded_rows: pd.DataFrame | None  # passage_id and grouping columns of coded passages
    shared: SharedPassages = field(default_factory=SharedPassages)


def posterior_counts(by_key: pd.DataFrame, codes: np.ndarray, n_groups: int,
                     n_bins: Sequence[int]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Per group: the uncoded passages in each score bin (one array per frame), and the coded
    passages with and without each frame, from :attr:`DiskTable.by_key` whose rows ``codes``
    places in groups."""
    placed = codes >= 0  # every row is in a group: the documents' keys make the groups

    def per_group(columns: list[str]) -> np.ndarray:
        sums = np.zeros((n_groups, len(columns)))
        np.add.at(sums, codes[placed], by_key[columns].to_numpy(dtype=np.float64)[placed])
        return np.rint(sums).astype(np.int64)

    frames = range(len(n_bins))
    return ([per_group([_bin_column(f, k) for k in range(n_bins[f])]) for f in frames],
            per_group([f"coded1_{f}_" for f in frames]),
            per_group([f"coded0_{f}_" for f in frames]))


def open_frames(path: PathLike, *, keys: list[str], frames: Sequence[str] | None,
                methods: list[str], batch_size: int) -> DiskSource:
    """Check a passage-frame table on disk (its schema) and the methods asked of it."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"The 'batch_size' parameter of estimate_prevalence must be an int "
                         f">= 1. Got {batch_size!r} instead.", field="batch_size")
    other = [m for m in methods if m not in STREAMED_METHODS]
    if other:
        raise InputError(f"method {other[0]!r} needs every passage in memory (its EM step "
                         "reweighs each passage's probability, which no per-article sum "
                         f"holds); a table on disk takes {', '.join(map(repr, STREAMED_METHODS))}"
                         f" (read it with pd.read_parquet for {other[0]!r})", field="method")
    files = parquet_files(path)
    names = schema_names(files)
    frame_names = check_frames(pd.DataFrame(columns=names), frames, methods, "passage_frames")
    if "doc_id" not in names:
        raise InputError("passage_frames has no 'doc_id' column: passages are resampled by "
                         "article, so every passage needs its document's id", field="doc_id",
                         path=path)
    group_columns = [k for k in keys if k != "period" or "period" in names]
    if "period" in keys and "period" not in names:
        if "date" not in names:
            raise InputError("passage_frames has no 'date' column to make periods from",
                             field="date", path=path)
        group_columns.append("date")
    missing = [k for k in group_columns if k not in names]
    if missing:
        raise missing_group_column("passage_frames", missing[0], names)
    return DiskSource(Path(path), files, names, frame_names, group_columns)


def read_frames(source: DiskSource, *, methods: list[str], labelled: pd.DataFrame | None,
                edges: list[np.ndarray] | None, batch_size: int, folder: Path) -> DiskTable:
    """One pass over the table: per-document sums, posterior counts, the coded passages.

    ``labelled`` is the checked validation table; ``edges`` the score bins of every frame
    (:func:`framing.measure._posterior.score_bins`), given when ``posterior`` is asked. The
    per-document sums are spilled to ``folder`` (the caller removes it).

    Examples
    --------
    >>> import tempfile
    >>> file = Path(tempfile.mkdtemp()) / "frames.parquet"
    >>> pd.DataFrame({"passage_id": ["a:0", "a:1", "b:0"], "doc_id": ["a", "a", "b"],
    ...               "outlet": ["X", "X", "Y"], "p_x": [0.9, 0.2, 0.7]}).to_parquet(file)
    >>> labelled = pd.DataFrame({"passage_id": ["a:1"], "p_x": [0.2], "x": [1]})
    >>> source = open_frames(file, keys=["outlet"], frames=None, methods=["posterior"],
    ...                      batch_size=2)
    >>> disk = read_frames(source, methods=["posterior"], labelled=labelled,
    ...                    edges=[np.array([0.0])], batch_size=2, folder=file.parent)
    >>> disk.by_key  # per outlet: uncoded passages in bins 0 and 1, coded with and without x
      outlet  bin_0_0_  bin_0_1_  coded1_0_  coded0_0_  n_rows_
    0      X       0.0       1.0        1.0        0.0        2
    1      Y       0.0       1.0        0.0        0.0        1
    >>> disk.coded_rows
      passage_id outlet
    0        a:1      X
    """
    names, frame_names = source.names, source.frames
    # p_ sums whenever the table has them: the method to report depends on their presence
    has_p = all("p_" + f in names for f in frame_names)
    values = [prefix + f for prefix, needed in (("is_", NEEDS_DECISIONS & set(methods)),
                                                ("p_", has_p))
              if needed for f in frame_names]
    match = (labelled is not None and "passage_id" in names
             and "passage_id" in labelled.columns)
    reader = _Reader(source, labelled if match else None, edges)
    spill = DocumentSpill(folder, key_columns=source.group_columns, values=values,
                          unit="doc_id")
    by_key = reduce_batches(
        source.files, keys=source.group_columns, values=values, batch_size=batch_size,
        sink=spill.add,
        check=lambda batch: check_frames(batch, frame_names, methods, "passage_frames"),
        read=reader.columns, derive=reader if match or edges is not None else None)
    return DiskTable(documents=spill,
                     by_key=by_key if edges is not None else None,
                     coded_rows=(pd.concat(reader.coded_rows, ignore_index=True) if match
                                 else None),
                     shared=reader.shared)


def _bin_column(frame: int, k: int) -> str:
    return f"bin_{frame}_{k}_"


class _Reader:
    """Derives, batch by batch, each passage's posterior counts and collects coded ones."""

    def __init__(self, source: DiskSource, labelled: pd.DataFrame | None,
                 edges: list[np.ndarray] | None) -> None:
        self.frames, self.edges, self.labelled = source.frames, edges, labelled
        self.group_columns = source.group_columns
        self.compared = ([] if labelled is None
                         else comparison_columns(source.names, labelled, source.frames))
        self.columns = [*(["passage_id"] if labelled is not None else []), *self.compared,
                        *([f"p_{f}" for f in source.frames] if edges is not None else [])]
        if labelled is not None:
            self.index = pd.Index(labelled["passage_id"])
            self.labels = labelled[source.frames].to_numpy(dtype=float)
        self.coded_rows: list[pd.DataFrame] = []
        self.seen: set[object] = set()
        self.shared = SharedPassages()

    def __call__(self, batch: pd.DataFrame, offset: int) -> dict[str, np.ndarray]:
        n = len(batch)
        position = np.full(n, -1)
        if self.labelled is not None:
            position = self.index.get_indexer(batch["passage_id"])
            self._collect(batch, position, offset)
        coded = position >= 0
        out: dict[str, np.ndarray] = {}
        for f, frame in enumerate(self.frames if self.edges is not None else []):
            bins = bin_of(batch[f"p_{frame}"].to_numpy(dtype=float), self.edges[f])
            for k in range(self.edges[f].size + 1):
                out[_bin_column(f, k)] = ((bins == k) & ~coded).astype(np.float64)
            labels = np.zeros(n)
            labels[coded] = self.labels[position[coded], f]
            out[f"coded1_{f}_"] = labels
            out[f"coded0_{f}_"] = coded.astype(np.float64) - labels
        return out

    def _collect(self, batch: pd.DataFrame, position: np.ndarray, offset: int) -> None:
        """Keep the coded passages' rows; one coded twice would count its label twice."""
        rows = np.flatnonzero(position >= 0)
        for row, passage in zip(rows, batch["passage_id"].to_numpy()[rows], strict=True):
            if passage in self.seen:
                raise InputError(f"passage_frames: passage_id {passage!r} appears more than "
                                 "once (it is coded in validation, so its label would count "
                                 "twice)", row=offset + int(row) + 1, field="passage_id")
            self.seen.add(passage)
        self.coded_rows.append(batch.iloc[rows][["passage_id", *self.group_columns]])
        self.shared = self.shared + shared_passages(batch, self.labelled, position,
                                                    self.compared)
