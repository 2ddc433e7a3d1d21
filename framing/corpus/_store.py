"""Reading a corpus store: a Parquet dataset partitioned by month, plus ``manifest.json``.

Layout::

    store/
      manifest.json          inputs (sha256), parameters, row accounting, versions
      documents/month=YYYY-MM/part-0.parquet
      dropped.parquet        every row not kept, with its reason and the doc it duplicates
      outlets.csv            outlets with their document counts and the spellings seen

Rows are in a stable order: by month, then in input order (file by file, row by row).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads

from framing._types import PathLike
from framing.corpus._engine import ParquetSlice, plan_batches, read_slices
from framing.corpus._errors import BundleError
from framing.corpus._schema import SCHEMA_VERSION

MANIFEST = "manifest.json"
DOCUMENTS = "documents"
DROPPED = "dropped.parquet"
OUTLETS = "outlets.csv"


def load_manifest(path: PathLike) -> dict[str, Any]:
    """Read a store's ``manifest.json``."""
    store = Path(path)
    manifest_path = store / MANIFEST
    if not store.exists():
        raise BundleError(f"{store}: no such corpus store")
    if not manifest_path.exists():
        raise BundleError(
            f"{store}: not a corpus store (no {MANIFEST}); create one with "
            "`framing corpus import SRC --out DIR`"
        )
    try:
        return json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BundleError(f"{manifest_path}: cannot read the manifest ({exc})") from exc


class Corpus:
    """A corpus store on disk, streamed in batches of documents.

    ``Corpus`` is a restartable iterable: every ``for batch in corpus`` (or
    :meth:`iter_batches`) starts from the first document, so multi-pass algorithms can take it.

    Parameters
    ----------
    path : str or PathLike
        A folder written by :func:`framing.corpus.import_corpus`.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from framing.corpus import import_corpus
    >>> folder = tempfile.mkdtemp()
    >>> pd.DataFrame({"outlet": ["A", "B"], "date": ["2025-08-15", "2025-09-01"],
    ...               "text": ["Trump met Putin in Alaska.", "Zelensky went to Washington."]}
    ...              ).to_csv(f"{folder}/news.csv", index=False)
    >>> corpus = import_corpus([f"{folder}/news.csv"], f"{folder}/store", progress=False)
    >>> len(corpus), [len(batch) for batch in corpus.iter_batches(batch_size=1)]
    (2, [1, 1])
    """

    def __init__(self, path: PathLike) -> None:
        self.path = Path(path)
        self.manifest = load_manifest(self.path)
        version = self.manifest.get("schema_version")
        if version != SCHEMA_VERSION:
            raise BundleError(
                f"{self.path}: store schema version {version}, this framing reads version "
                f"{SCHEMA_VERSION}; re-import the sources with this version"
            )
        written_by = self.manifest.get("library_versions", {}).get("framing")
        from framing import __version__

        if written_by != __version__:
            warnings.warn(
                f"{self.path} was written by framing {written_by}; this is {__version__}",
                stacklevel=2,
            )
        self._outlets = list(self.manifest.get("outlets", []))

    def __repr__(self) -> str:
        rows = self.manifest["rows"]
        return (
            f"Corpus({str(self.path)!r}: {rows['kept']:,} documents, "
            f"{len(self._outlets)} outlets, {self.manifest.get('date_min')} .. "
            f"{self.manifest.get('date_max')})"
        )

    def _repr_html_(self) -> str:
        """The store in Jupyter: documents by outlet and month, and where the rest went."""
        from framing.corpus._html import html_card, html_table

        rows = self.manifest["rows"]
        facts = [("folder", str(self.path)), ("documents", rows["kept"]),
                 ("outlets", len(self._outlets)),
                 ("dates", f"{self.manifest.get('date_min')} to {self.manifest.get('date_max')}")]
        accounting = pd.DataFrame(
            [("read", rows["read"]), ("kept", rows["kept"])]
            + [(f"dropped: {reason.replace('_', ' ')}", n)
               for reason, n in rows.get("dropped_by_reason", {}).items()]
            + [(name.replace("_", " "), n) for name, n in self.manifest.get("counts", {}).items()
               if n], columns=["rows", "n"])
        sections = [("Rows", html_table(accounting))]
        counts = self.summary()
        if len(counts):
            # Many months: years keep the table narrow enough to read.
            period = "month" if counts["month"].nunique() <= 24 else "year"
            counts["year"] = counts["month"].str[:4]
            grid = counts.pivot_table(index="outlet", columns=period, values="n_documents",
                                      aggfunc="sum", fill_value=0, observed=True)
            grid["all"] = grid.sum(axis=1)
            sections.append((f"Documents by outlet and {period}",
                             html_table(grid.reset_index().rename_axis(columns=None))))
        return html_card("Corpus", facts, sections)

    def __len__(self) -> int:
        return int(self.manifest["rows"]["kept"])

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return self.iter_batches()

    @property
    def outlets(self) -> list[str]:
        """Outlet names, sorted."""
        return list(self._outlets)

    def _dataset(self) -> pads.Dataset:
        root = self.path / DOCUMENTS
        files = self._files()
        return pads.dataset(files, format="parquet", partitioning="hive",
                            partition_base_dir=str(root))

    def _to_pandas(self, table: pa.Table) -> pd.DataFrame:
        if "month" in table.column_names:
            table = table.drop_columns(["month"])
        frame = table.to_pandas()
        if "outlet" in frame:
            frame["outlet"] = pd.Categorical(frame["outlet"], categories=self._outlets)
        return frame

    def iter_batches(
        self, *, batch_size: int = 10_000, columns: Sequence[str] | None = None
    ) -> Iterator[pd.DataFrame]:
        """Yield the documents in store order, ``batch_size`` rows at a time."""
        if len(self) == 0:
            return
        dataset = self._dataset()
        columns = None if columns is None else list(columns)
        pending: list[pa.RecordBatch] = []
        n_pending = 0
        # No read-ahead: each decoded row group waits in memory until used, so read-ahead
        # costs memory that grows with the groups' size and gains nothing in a single stream.
        for batch in dataset.to_batches(columns=columns, batch_size=batch_size,
                                        use_threads=False, batch_readahead=0,
                                        fragment_readahead=0):
            pending.append(batch)
            n_pending += batch.num_rows
            while n_pending >= batch_size:
                table = pa.Table.from_batches(pending)
                yield self._to_pandas(table.slice(0, batch_size))
                rest = table.slice(batch_size)
                pending, n_pending = rest.to_batches(), rest.num_rows
        if n_pending:
            yield self._to_pandas(pa.Table.from_batches(pending))

    def batch_plan(self, batch_size: int = 10_000) -> list[list[ParquetSlice]]:
        """The store's rows cut into batches, as :meth:`iter_batches` yields them.

        Batch ``k`` is documents ``k * batch_size`` to ``(k + 1) * batch_size`` in store
        order, given as file slices that :meth:`read_batch` reads (on any worker): the plan of
        every engine (see :func:`framing.corpus._engine.plan_batches`).
        """
        return plan_batches(self._files(), batch_size) if len(self) else []

    def read_batch(self, slices: Sequence[ParquetSlice], *,
                   columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The documents of one batch of :meth:`batch_plan`, as :meth:`iter_batches` gives
        them (the same columns and types)."""
        return self._to_pandas(read_slices(slices, columns=columns))

    def _files(self) -> list[str]:
        return sorted(str(p) for p in (self.path / DOCUMENTS).rglob("*.parquet"))

    def to_pandas(self, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All documents as one DataFrame (for corpora that fit in memory)."""
        if len(self) == 0:
            return pd.DataFrame(columns=list(columns or self.manifest.get("columns", {})))
        table = self._dataset().to_table(columns=None if columns is None else list(columns),
                                         use_threads=False)
        return self._to_pandas(table)

    def dropped(self) -> pd.DataFrame:
        """Every row that was not kept: source file and row, reason, detail, duplicate_of."""
        return pd.read_parquet(self.path / DROPPED)

    def summary(self, by: Sequence[str] = ("outlet", "month")) -> pd.DataFrame:
        """Document counts per outlet and month (or any of them, or other columns)."""
        by = list(by)
        needed = [c for c in by if c != "month"] + (["date"] if "month" in by else [])
        counts: pd.Series | None = None
        for batch in self.iter_batches(columns=needed, batch_size=200_000):
            if "month" in by:
                batch["month"] = batch["date"].dt.strftime("%Y-%m")
            part = batch.groupby(by, observed=True).size()
            counts = part if counts is None else counts.add(part, fill_value=0)
        if counts is None:
            return pd.DataFrame(columns=by + ["n_documents"])
        return counts.astype(int).rename("n_documents").reset_index()


def read_corpus(path: PathLike, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a corpus store into one DataFrame, in store order.

    Parameters
    ----------
    path : str or PathLike
        A folder written by :func:`framing.corpus.import_corpus`.
    columns : list of str, optional
        Read only these columns.

    Returns
    -------
    DataFrame
        ``doc_id``, ``outlet`` (category), ``date`` (UTC day), ``text``, the optional columns,
        ``published_at``, ``source_file``, ``source_row``, ``duplicate_group`` and the user's
        metadata.

    See Also
    --------
    Corpus : streams the same rows in batches for corpora too large for memory.
    """
    return Corpus(path).to_pandas(columns=columns)
