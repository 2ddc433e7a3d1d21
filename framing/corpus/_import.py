"""Import: sources in, one validated, deduplicated corpus store out.

Two passes, bounded memory. Pass 1 reads every source in batches, normalizes each batch, writes
it to a staging folder and keeps a few compact values per row (an exact hash, a doc_id hash, a
date, an outlet code: 37 bytes; LSH band keys and MinHash signatures go to disk). Between the
passes, duplicates are decided with the whole import in view (keep the earliest copy needs
every copy's date). Pass 2 streams the staged rows into the month-partitioned store, one row
group at a time. Everything is built in a temp folder that replaces the target in one
step at the end, so a failed or interrupted import leaves the previous store untouched.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import platform
import shutil
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from framing._types import BadRows, KeepPolicy, PathLike
from framing.corpus._atomic import atomic_directory, check_output
from framing.corpus._badrows import BadRowSink, BadRowWarning
from framing.corpus._columns import ColumnMap, parse_column_map
from framing.corpus._dates import DateOrders
from framing.corpus._dedup import Deduplication, Fingerprints, Hasher, RowFile, find_duplicates
from framing.corpus._engine import ENGINES, Engine, dask_client, map_in_order
from framing.corpus._errors import InputError
from framing.corpus._normalize import (
    DROPPED_COLUMNS,
    SHORT_TEXT_WORDS,
    Normalization,
    NormalizeCounts,
    normalize_batch,
)
from framing.corpus._outlets import OutletAliases, outlet_key
from framing.corpus._params import Interval, Options, validate_params
from framing.corpus._readers import Source
from framing.corpus._schema import CORE_COLUMNS, CORE_TYPES, SCHEMA_VERSION
from framing.corpus._store import DOCUMENTS, DROPPED, MANIFEST, OUTLETS, Corpus
from framing.corpus._text_clean import count_words

logger = logging.getLogger(__name__)

#: Rows per Parquet row group in the store: what a reader decodes at once.
ROW_GROUP_SIZE = 2_000
_LIBRARIES = ("pandas", "pyarrow", "numpy", "datasketch", "ftfy", "charset-normalizer",
              "python-dateutil", "ijson")
_PARAMETER_CONSTRAINTS = {
    "dedup": [Options({"near", "exact", "none"})],
    "near_duplicate_threshold": [Interval(float, 0.05, 1.0)],
    "keep": [Options({"earliest", "one_per_outlet"})],
    "num_perm": [Interval(int, 16, 1024)],
    "shingle_words": [Interval(int, 1, 20)],
    "min_words": [Interval(int, 0, None)],
    "max_text_chars": [Interval(int, 1, None)],
    "on_bad_rows": [Options({"error", "warn", "skip"})],
    "batch_size": [Interval(int, 1, None)],
    "random_state": [Interval(int, 0, None)],
    "n_jobs": [Interval(int, 1, 64)],
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with open(file, "rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 22), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    from framing import __version__

    versions = {"framing": __version__, "python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            versions[name] = "absent"
    return versions


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    """Core columns with their fixed types; metadata with a type arrow can hold (text if mixed)."""
    arrays, fields = [], []
    for name in frame.columns:
        values = frame[name]
        if name in CORE_TYPES:
            array = pa.array(values, type=CORE_TYPES[name], from_pandas=True)
        else:
            try:
                array = pa.array(values, from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
                array = pa.array(
                    values.map(lambda v: None if v is None or v is pd.NA or (
                        isinstance(v, float) and np.isnan(v)) else str(v)),
                    type=pa.string(),
                )
        arrays.append(array)
        fields.append(pa.field(name, array.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _release_arrow_memory() -> None:
    """Give Arrow's freed memory back to the system.

    Arrow's default pool (mimalloc) keeps pages it has freed for reuse: measured on an import of
    200,000 articles, the pool's live bytes stayed at 20 MB while the process grew by 150-200 MB
    over pass 2, more the more row groups it wrote. Releasing after each staged part costs about
    a millisecond and keeps the resident size to what is in use.
    """
    pa.default_memory_pool().release_unused()


def _unify_type(types: list[pa.DataType]) -> pa.DataType:
    known = {t for t in types if not pa.types.is_null(t)}
    if not known:
        return pa.string()
    if len(known) == 1:
        return known.pop()
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in known):
        return pa.float64()
    return pa.string()


def import_corpus(
    sources: PathLike | Sequence[PathLike],
    out: PathLike,
    *,
    format: str = "auto",
    column_map: ColumnMap | str | None = None,
    outlet_aliases: PathLike | dict[str, str] | None = None,
    metadata: PathLike | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    dedup: str = "near",
    near_duplicate_threshold: float = 0.8,
    keep: KeepPolicy = "earliest",
    num_perm: int = 128,
    shingle_words: int = 5,
    min_words: int = 1,
    max_text_chars: int = 1_000_000,
    date_min: str = "1800-01-01",
    date_max: str | None = None,
    dayfirst: bool | None = None,
    timezone: str = "UTC",
    on_bad_rows: BadRows = "error",
    batch_size: int = 10_000,
    random_state: int = 0,
    n_jobs: int = 1,
    force: bool = False,
    progress: bool = True,
    engine: Engine = "local",
    scheduler: str | None = None,
) -> Corpus:
    """Read, validate, normalize and deduplicate sources into a corpus store.

    Parameters
    ----------
    sources : path or list of paths
        Files or folders: CSV/TSV, JSONL, JSON array, Parquet (file or dataset folder), a folder
        of .txt/.md files, a Media Cloud story-list CSV. Compressed ``.gz/.bz2/.xz`` files too.
    out : path
        The store folder to write. It must not exist unless ``force=True``.
    format : str, default="auto"
        One of auto, csv, jsonl, json, parquet, text, mediacloud.
    column_map : dict or str, optional
        Our column -> the source's: ``{"text": "body"}`` or ``"text=body,outlet=media_name"``.
        Without it, columns named as ours (any case) or an unambiguous synonym are used.
    outlet_aliases : path or dict, optional
        A CSV with columns ``alias,outlet`` (or a dict) mapping spellings to one outlet.
    metadata : path, optional
        For a text folder: the CSV keyed by file name with outlet, date and metadata.
    dedup : {"near", "exact", "none"}, default="near"
    near_duplicate_threshold : float, default=0.8
        Estimated Jaccard similarity of word 5-gram sets at which two texts are one story.
    keep : {"earliest", "one_per_outlet"}, default="earliest"
        Which copies of a duplicate group stay: the earliest, or the earliest of each outlet.
    min_words : int, default=1
        Texts with fewer words are dropped as ``too_short`` (empty texts as ``empty_text``,
        texts without a single letter, such as emoji or punctuation alone, as
        ``no_letters``).
    max_text_chars : int, default=1_000_000
        A longer text is a bad row (a runaway quote in a CSV, a file that is not an article).
    date_min, date_max : str, optional
        Dates outside are dropped as ``implausible_date``. ``date_max`` defaults to tomorrow
        (UTC), recorded in the manifest.
    dayfirst : bool or None, default=None
        True reads ``05/08/2025`` as 5 August, False as May 8. None decides per source: when
        more of its dates can only be day-first (``13/05/2025``) than only month-first, the
        ambiguous ones are read day-first too, else month-first; the manifest's
        ``inputs[i]["dates"]`` and a note say how the column was read.
    timezone : str, default="UTC"
        Zone of times given without an offset.
    on_bad_rows : {"error", "warn", "skip"}, default="error"
        What to do with a row that cannot be read as what it claims to be.
    random_state : int, default=0
        Seed of the MinHash permutations.
    n_jobs : int, default=1
        Worker processes for normalizing and fingerprinting (joblib). Reading, deciding
        duplicates and writing stay in this process; the store is the same for any value.
    force : bool, default=False
        Replace an existing store.
    engine : {"local", "dask"}, default="local"
        ``"dask"`` normalizes and fingerprints the batches as dask.distributed tasks
        (``framing[dask]``) instead of joblib workers; reading, deciding duplicates and
        writing stay in this process, and the store is the same. Import does not resume: its
        duplicate decisions need every row, so an interrupted import starts over.
    scheduler : str, optional
        The Dask scheduler's address; ``None`` starts a 2-worker LocalCluster.

    Returns
    -------
    Corpus
        The new store; ``corpus.manifest["rows"]`` holds the row accounting.
    """
    paths = [Path(sources)] if isinstance(sources, str | Path) else [Path(s) for s in sources]
    if not paths:
        raise InputError("no sources given")
    # refused before any reading: --force never replaces the folder holding an input
    check_output(out, force=force, folder=True,
                 inputs=[*paths, *([] if metadata is None else [Path(metadata)])])
    validate_params("import_corpus", {
        "dedup": dedup, "near_duplicate_threshold": float(near_duplicate_threshold),
        "keep": keep, "num_perm": num_perm, "shingle_words": shingle_words,
        "min_words": min_words, "max_text_chars": max_text_chars, "on_bad_rows": on_bad_rows,
        "batch_size": batch_size, "random_state": random_state, "n_jobs": n_jobs,
    }, _PARAMETER_CONSTRAINTS)
    mapping = parse_column_map(column_map)
    if isinstance(outlet_aliases, dict):
        aliases = OutletAliases(outlet_aliases)
    elif outlet_aliases is not None:
        aliases = OutletAliases.from_csv(outlet_aliases)
    else:
        aliases = OutletAliases()
    today = pd.Timestamp(dt.datetime.now(dt.UTC).date())
    try:
        settings = Normalization(
            min_words=min_words, max_text_chars=max_text_chars,
            date_min=pd.Timestamp(date_min),
            date_max=pd.Timestamp(date_max) if date_max else today + pd.Timedelta(days=1),
            dayfirst=dayfirst, timezone=timezone,
        )
    except ValueError as exc:
        raise InputError(f"date_min/date_max: {exc}") from exc
    try:
        pd.Timestamp("2025-01-01").tz_localize(timezone)
    except Exception as exc:  # pytz/zoneinfo raise several kinds for an unknown zone
        raise InputError(f"unknown time zone {timezone!r}") from exc
    dedup_settings = Deduplication(
        mode=dedup, threshold=float(near_duplicate_threshold), num_perm=num_perm,
        shingle_words=shingle_words, keep=keep, random_state=random_state,
    )
    readers = [
        Source(p, format=format, column_map=mapping, encoding=encoding, delimiter=delimiter,
               metadata=metadata, on_bad_rows=on_bad_rows, batch_size=batch_size,
               progress=progress)
        for p in paths
    ]
    parameters = {
        "format": format, "column_map": mapping, "outlet_aliases": aliases.to_dict(),
        "metadata": None if metadata is None else str(metadata),
        "encoding": encoding, "delimiter": delimiter,
        **{k: v for k, v in asdict(dedup_settings).items()},
        "dedup": dedup,
        "min_words": min_words, "max_text_chars": max_text_chars,
        "date_min": str(settings.date_min.date()), "date_max": str(settings.date_max.date()),
        "dayfirst": dayfirst, "timezone": timezone, "on_bad_rows": on_bad_rows,
        "batch_size": batch_size, "random_state": random_state,
    }
    parameters.pop("mode")
    with atomic_directory(out, force=force) as tmp:
        if engine not in ENGINES:
            raise InputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}",
                             field="engine")
        with (dask_client(scheduler) if engine == "dask" else contextlib.nullcontext()) as client:
            manifest = _run_import(readers, tmp, settings, dedup_settings, aliases, parameters,
                                   n_jobs=n_jobs, client=client,
                                   progress=progress)
        with open(tmp / MANIFEST, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2, ensure_ascii=False, default=str)
            handle.write("\n")
    return Corpus(out)


class _Staging:
    """Pass 1's output: staged parts on disk, and a few compact arrays per row in memory.

    Each staged part holds one batch, its rows grouped into one row group per month, so pass 2
    can write the store month by month, one row group at a time. In memory per row: the exact
    hash (16 bytes, in ``fingerprints``), a doc_id hash, a date, an outlet code and a short-text
    flag, 37 bytes in all; anything else a decision needs about a few rows (their doc_id or
    source row) is read back from the staged parts with :meth:`lookup`.
    """

    def __init__(self, folder: Path, dedup: Deduplication) -> None:
        self.folder = folder
        self.folder.mkdir()
        self.fingerprints = Fingerprints(dedup, folder)
        self.parts: list[tuple[Path, dict[str, int]]] = []  # file, month -> row group
        self.part_source: list[int] = []  # the source index of each part's rows
        self.part_start: list[int] = []  # the first row of each part
        self.schemas: list[pa.Schema] = []
        # Per row, on disk until the duplicates are decided (see RowFile): date (ns), a doc_id
        # hash, an int32 code into self.outlet_key_of, and whether the text is short (counted
        # over the rows kept, which is what the summary's "fewer than 20 words" reports).
        self.dates = RowFile(folder / "dates.i64", np.int64)
        self.is_short = RowFile(folder / "short.u8", np.uint8)
        self.id_hashes = RowFile(folder / "doc_id_hashes.u64", np.uint64)
        self.outlet_codes = RowFile(folder / "outlets.i32", np.int32)
        self.outlet_key_of: dict[str, int] = {}
        self.spellings: collections.Counter[tuple[str, str]] = collections.Counter()
        self.dropped: list[pd.DataFrame] = []
        self.n_rows = 0

    def add(self, kept: pd.DataFrame, source_index: int, fingerprints: tuple) -> None:
        first = self.n_rows
        table = _to_arrow(kept).append_column(
            "_row", pa.array(np.arange(first, first + len(kept), dtype=np.int64)))
        months = kept["date"].dt.strftime("%Y-%m").to_numpy(dtype=object)
        path = self.folder / f"part-{len(self.parts):06d}.parquet"
        groups: dict[str, int] = {}
        with pq.ParquetWriter(path, table.schema) as writer:
            for month in sorted(set(months)):
                groups[month] = len(groups)
                writer.write_table(table.take(np.flatnonzero(months == month)))
        self.parts.append((path, groups))
        self.part_source.append(source_index)
        self.part_start.append(first)
        self.schemas.append(table.schema)
        self.fingerprints.append(*fingerprints)
        self.dates.append(kept["date"].to_numpy(dtype="datetime64[ns]").astype(np.int64))
        words = kept["text"].map(count_words).to_numpy()
        self.is_short.append((words > 0) & (words < SHORT_TEXT_WORDS))
        # Compact per-row state: a uint64 hash of the doc_id and an int32 outlet code, not
        # Python strings (a million of those cost hundreds of megabytes).
        self.id_hashes.append(pd.util.hash_array(kept["doc_id"].to_numpy(dtype=object)))
        names = kept["outlet"].to_numpy(dtype=object)
        codes = {}
        for name in set(names):
            key = outlet_key(name)
            codes[name] = self.outlet_key_of.setdefault(key, len(self.outlet_key_of))
        row_codes = np.fromiter((codes[name] for name in names), dtype=np.int32,
                                count=len(names))
        self.outlet_codes.append(row_codes)
        keys = {code: key for key, code in self.outlet_key_of.items()}
        self.spellings.update(zip((keys[c] for c in row_codes.tolist()), names, strict=True))
        self.n_rows += len(kept)

    def source_of(self, rows: np.ndarray) -> np.ndarray:
        """The source index of each staged row."""
        part = np.searchsorted(np.asarray(self.part_start), rows, side="right") - 1
        return np.asarray(self.part_source)[part]

    def lookup(self, rows: np.ndarray, names: list[str]) -> pd.DataFrame:
        """Columns ``names`` of a few staged rows, indexed by row, read from the parts that
        hold them (the rows' fingerprints say which; nothing per row stays in memory)."""
        wanted = np.unique(rows)
        found = []
        bounds = [*self.part_start, self.n_rows]
        for number, (path, _) in enumerate(self.parts):
            low, high = np.searchsorted(wanted, [bounds[number], bounds[number + 1]])
            if low == high:
                continue
            table = pq.read_table(path, columns=[*names, "_row"])
            mask = np.isin(table.column("_row").to_numpy(), wanted[low:high])
            found.append(table.filter(pa.array(mask)).to_pandas())
        if not found:
            return pd.DataFrame(columns=names, index=pd.Index([], dtype=np.int64))
        return pd.concat(found).set_index("_row").sort_index()

    def months(self) -> list[str]:
        return sorted({m for _, groups in self.parts for m in groups})

    def month(self, month: str) -> Iterator[pa.Table]:
        """The staged rows of one month, part by part, in input order."""
        for path, groups in self.parts:
            if month in groups:
                with contextlib.closing(pq.ParquetFile(path)) as parquet:
                    yield parquet.read_row_group(groups[month])

    def columns(self, names: list[str]) -> Iterator[pa.Table]:
        """A few columns of every staged row, part by part."""
        for path, _ in self.parts:
            yield pq.read_table(path, columns=names)


def _prepare_batch(
    batch: pd.DataFrame, source_file: str, settings: Normalization, aliases: OutletAliases,
    policy: BadRows, line_numbers: bool, hasher: Hasher,
) -> tuple[pd.DataFrame, pd.DataFrame, list, NormalizeCounts, tuple | None]:
    """Normalize and fingerprint one batch: the work of pass 1 that runs in worker processes.

    Bad rows are collected quietly here and replayed under the caller's policy (so warnings
    are raised in the main process); an ``"error"`` policy raises here, and joblib re-raises.
    """
    sink = BadRowSink("error" if policy == "error" else "skip", Path(source_file),
                      line_numbers=line_numbers)
    counts = NormalizeCounts()
    kept, dropped = normalize_batch(batch, source_file=source_file, settings=settings,
                                    aliases=aliases, sink=sink, counts=counts)
    fingerprints = hasher.compute(kept["text"].tolist()) if len(kept) else None
    return kept, dropped, sink.rows, counts, fingerprints


def _no_numeric_dates(scan: Source, orders: DateOrders) -> bool:
    """Whether a JSON Lines file's dates, read alone by pyarrow, hold no numeric date whose
    day/month order matters (counted into ``orders``), which spares reading every record twice.

    pyarrow may also read lines the real pass rejects as bad rows; its rows are then a superset
    of the real pass's, so when none of them holds such a date, neither do the real pass's (the
    counts are zero either way). Any such date, and the count is left to the full read.
    """
    dates = scan.json_lines_dates()
    if dates is None:
        return False
    orders.add(dates)
    return not (orders.dayfirst_only or orders.monthfirst_only or orders.ambiguous)


def _date_reading(source: Source, settings: Normalization) -> tuple[Normalization,
                                                                     dict[str, Any]]:
    """The settings to read ``source`` with, its day/month order decided, and how it was.

    Its date column is read once beforehand (bad rows are left to the real pass) to count the
    numeric dates that can only be day-first, only month-first, or either: for JSON Lines
    first by pyarrow's reader alone, and in full only when that finds a numeric date.
    """
    orders = DateOrders()
    scan = Source(source.path, format=source.format, column_map=source.column_map,
                  encoding=source.encoding, delimiter=source.delimiter,
                  metadata=source.metadata, on_bad_rows="skip",
                  batch_size=source.batch_size, progress=False)
    if not _no_numeric_dates(scan, orders):
        orders = DateOrders()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BadRowWarning)
            for batch in scan.batches():
                if "date" in batch:
                    orders.add(batch["date"])
    dayfirst, note = orders.choose(settings.dayfirst)
    if note:
        source.report.notes.append(note)
    reading = {"dayfirst": dayfirst,
               "decided_by": ("dayfirst parameter" if settings.dayfirst is not None
                              else "the dates" if orders.dayfirst_only or orders.monthfirst_only
                              else "default"),
               "dayfirst_only": orders.dayfirst_only, "monthfirst_only": orders.monthfirst_only,
               "ambiguous": orders.ambiguous}
    return replace(settings, dayfirst=dayfirst), reading


def _run_import(
    readers: list[Source],
    tmp: Path,
    settings: Normalization,
    dedup: Deduplication,
    aliases: OutletAliases,
    parameters: dict[str, Any],
    n_jobs: int = 1,
    client: Any = None,
    progress: bool = False,
) -> dict[str, Any]:
    staging = _Staging(tmp / "_staging", dedup)
    # Rows read so far, over all sources: normalizing and fingerprinting them (MinHash for
    # near-duplicates) is the long part of an import. The total is unknown until the end.
    documents = tqdm(unit="doc", desc="import: normalize, fingerprint", disable=not progress)
    counts = NormalizeCounts()
    inputs = []
    hasher = staging.fingerprints.hasher
    date_readings = []
    for index, source in enumerate(readers):
        logger.info("reading %s as %s", source.path, source.format)
        sink = source.bad_rows
        source_settings, reading = _date_reading(source, settings)
        date_readings.append(reading)
        calls = ((batch, str(source.path), source_settings, aliases, sink.policy,
                  sink.line_numbers, hasher) for batch in source.batches())
        for kept, dropped, bad_rows, found, fingerprints in map_in_order(
            _prepare_batch, calls, client=client, n_jobs=n_jobs
        ):
            for row in bad_rows:
                sink.replay(row)
            documents.update(len(kept) + len(dropped) + len(bad_rows))
            counts.add(found)
            if len(kept):
                staging.add(kept, index, fingerprints)
            else:  # its columns still belong in the store, whichever batch their rows are in
                staging.schemas.append(_to_arrow(kept).schema)
            if len(dropped):
                staging.dropped.append(dropped)
            _release_arrow_memory()
        if source.bad_rows.rows:
            staging.dropped.append(pd.DataFrame([{
                "source_file": r.source_file, "source_row": r.source_row, "doc_id": r.doc_id,
                "outlet": None, "date": None, "title": None,
                "reason": "bad_row", "detail": f"field {r.field!r}: {r.detail}" if r.field
                else r.detail, "duplicate_of": None,
            } for r in source.bad_rows.rows]))
        info = source.report.to_dict()
        info["sha256"] = _sha256(source.path)
        info["bytes"] = (source.path.stat().st_size if source.path.is_file()
                         else sum(p.stat().st_size for p in source.path.rglob("*") if p.is_file()))
        info["bad_rows"] = len(source.bad_rows.rows)
        info["dates"] = date_readings[index]
        inputs.append(info)
    documents.close()
    decision = _decide(staging, readers, dedup, progress=progress)
    names = _outlet_names(staging.spellings)
    columns = _write_documents(staging, decision, names, tmp / DOCUMENTS)
    dropped = _write_dropped(staging, decision, readers, names, tmp / DROPPED)
    outlet_table = _write_outlets(staging, decision, names, tmp / OUTLETS)

    rows_read = sum(i["rows_read"] for i in inputs)
    kept = int(decision["keep"].sum())
    by_reason = dropped["reason"].value_counts().sort_index()
    if rows_read != kept + len(dropped):
        raise AssertionError(  # an internal invariant, not a user error
            f"row accounting does not add up: read {rows_read}, kept {kept}, "
            f"dropped {len(dropped)}"
        )
    kept_dates = staging.dates.read()[decision["keep"]]
    date_min = kept_dates.min() if kept else None
    date_max = kept_dates.max() if kept else None
    del kept_dates
    n_short = int(staging.is_short.read()[decision["keep"]].sum())
    shutil.rmtree(staging.folder)
    return {
        "schema_version": SCHEMA_VERSION,
        "created_by": "framing.corpus.import_corpus",
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "parameters": parameters,
        "rows": {
            "read": rows_read, "kept": kept, "dropped": len(dropped),
            "dropped_by_reason": {str(k): int(v) for k, v in by_reason.items()},
        },
        "counts": {
            "generated_doc_ids": counts.generated_doc_ids,
            "outlets_from_url": counts.outlets_from_url,
            "short_texts_under_20_words": n_short,
            "texts_repaired_or_tidied": counts.repaired_texts,
        },
        "outlets": sorted(outlet_table["outlet"].tolist()),
        "n_outlets": len(outlet_table),
        "date_min": str(pd.Timestamp(date_min).date()) if kept else None,
        "date_max": str(pd.Timestamp(date_max).date()) if kept else None,
        "columns": columns,
        "library_versions": _versions(),
    }


def _outlet_names(spellings: collections.Counter[tuple[str, str]]) -> dict[str, str]:
    """Per outlet key, one display spelling: a written-out name (capitals or spaces, as in
    ``The Daily Caller``) before a bare one (``thedailycaller``), then the most used, then the
    alphabetically first."""
    best: dict[str, tuple[tuple[bool, int], str]] = {}
    for (key, name), count in sorted(spellings.items()):
        score = (name != name.lower() or " " in name, count)
        if key not in best or score > best[key][0]:
            best[key] = (score, name)
    return {key: name for key, (_, name) in best.items()}


def _decide(staging: _Staging, readers: list[Source], dedup: Deduplication,
            progress: bool = False) -> dict[str, Any]:
    """Which rows stay: repeated doc_ids first, then exact and near duplicates.

    ``keep`` has one flag per row; everything else is listed for the rows concerned only:
    ``dropped`` (ascending) with their ``reason``, ``duplicate_of`` (a row, or -1),
    ``similarity`` and ``detail``; ``grouped`` (ascending) with the row starting each one's
    duplicate ``group``; and ``doc_id_of`` the doc_ids those refer to.
    """
    n = staging.fingerprints.n
    keep = np.ones(n, dtype=bool)
    empty = np.zeros(0, dtype=np.int64)
    decision: dict[str, Any] = {
        "keep": keep, "dropped": empty, "reason": np.zeros(0, dtype=object),
        "duplicate_of": empty, "similarity": np.zeros(0), "detail": np.zeros(0, dtype=object),
        "grouped": empty, "group": empty, "doc_id_of": {}}
    if n == 0:
        return decision
    exact = staging.fingerprints.all_exact()
    # Repeated doc_ids, by sorting the doc_id hashes: each later row with its id's first row.
    id_hash = staging.id_hashes.read()
    order = np.argsort(id_hash, kind="stable")
    same_as_previous = np.concatenate([[False], id_hash[order[1:]] == id_hash[order[:-1]]])
    del id_hash
    members = np.flatnonzero(same_as_previous)
    run_starts = np.flatnonzero(~same_as_previous)
    first = order[run_starts[np.searchsorted(run_starts, members, side="right") - 1]]
    later = order[members]
    del order, same_as_previous, run_starts
    by_row = np.argsort(later, kind="stable")
    later, first = later[by_row], first[by_row]
    id_rows, id_reason, id_of, id_detail = [], [], [], []
    if len(later):
        known = staging.lookup(np.concatenate([later, first]), ["doc_id", "source_row"])
        sources = staging.source_of(np.concatenate([later, first]))
        row_source, first_source = sources[:len(later)], sources[len(later):]
        for row, original, source, original_source in zip(
            later.tolist(), first.tolist(), row_source.tolist(), first_source.tolist(),
            strict=True,
        ):
            keep[row] = False
            id_rows.append(row)
            if (exact[row] == exact[original]).all():
                id_reason.append("duplicate_doc_id")
                id_of.append(original)
                id_detail.append("")
                continue
            message = (f"doc_id {known.at[row, 'doc_id']!r} is already used by row "
                       f"{int(known.at[original, 'source_row'])} of "
                       f"{readers[original_source].path} for a different text")
            readers[source].bad_rows.report(
                message, row=int(known.at[row, "source_row"]), field="doc_id",
                reason="conflicting_doc_id",
            )
            id_reason.append("conflicting_doc_id")
            id_of.append(-1)
            id_detail.append(message)
    found = find_duplicates(staging.fingerprints, dates=staging.dates.read(),
                            outlets=staging.outlet_codes.read(), eligible=keep.copy(),
                            progress=progress)
    keep[found.copies] = False
    dropped = np.concatenate([np.asarray(id_rows, dtype=np.int64), found.copies])
    order = np.argsort(dropped, kind="stable")
    duplicate_of = np.concatenate([np.asarray(id_of, dtype=np.int64), found.duplicate_of])
    referred = np.concatenate([duplicate_of[duplicate_of >= 0], found.group])
    doc_ids = staging.lookup(referred, ["doc_id"])["doc_id"] if len(referred) else {}
    decision.update({
        "dropped": dropped[order],
        "reason": np.concatenate([np.asarray(id_reason, dtype=object), found.reason])[order],
        "duplicate_of": duplicate_of[order],
        "similarity": np.concatenate([np.ones(len(id_rows)), found.similarity])[order],
        "detail": np.concatenate([np.asarray(id_detail, dtype=object),
                                  np.full(len(found.copies), "", dtype=object)])[order],
        "grouped": found.grouped, "group": found.group,
        "doc_id_of": {int(row): doc_id for row, doc_id in doc_ids.items()},
    })
    return decision


def _write_documents(
    staging: _Staging, decision: dict[str, Any], names: dict[str, str], folder: Path
) -> dict[str, str]:
    """Write the kept rows, one Parquet file per month (``month=YYYY-MM/part-0.parquet``)."""
    metadata: dict[str, list[pa.DataType]] = {}
    for schema in staging.schemas:
        for field in schema:
            if field.name not in CORE_TYPES and field.name != "_row":
                metadata.setdefault(field.name, []).append(field.type)
    fields = [pa.field(c, CORE_TYPES[c]) for c in CORE_COLUMNS]
    fields += [pa.field(name, _unify_type(types)) for name, types in metadata.items()]
    schema = pa.schema(fields)
    doc_id_of = decision["doc_id_of"]
    grouped, group = decision["grouped"], decision["group"]
    keep = decision["keep"]

    def prepare(table: pa.Table) -> pa.Table | None:
        rows = table.column("_row").to_numpy()
        mask = keep[rows]
        if not mask.any():
            return None
        table = table.filter(pa.array(mask))
        kept_rows = rows[mask]
        spelled = table.column("outlet").to_pylist()
        table = table.set_column(
            table.schema.get_field_index("outlet"), "outlet",
            pa.array([names[outlet_key(o)] for o in spelled], type=pa.string()),
        )
        position = np.minimum(np.searchsorted(grouped, kept_rows), max(len(grouped) - 1, 0))
        in_group = (grouped[position] == kept_rows) if len(grouped) else np.zeros(
            len(kept_rows), dtype=bool)
        group_ids = pa.array([doc_id_of[root] if member else None for root, member in zip(
            group[position].tolist() if len(grouped) else [None] * len(kept_rows),
            in_group.tolist(), strict=True)], type=pa.string())
        table = table.set_column(table.schema.get_field_index("duplicate_group"),
                                 "duplicate_group", group_ids)
        columns = [
            table.column(f.name).cast(f.type) if f.name in table.column_names
            else pa.nulls(table.num_rows, f.type)
            for f in schema
        ]
        return pa.Table.from_arrays(columns, schema=schema)

    folder.mkdir()
    for month in staging.months():
        _write_month(filter(None, map(prepare, staging.month(month))), schema,
                     folder / f"month={month}")
    return {field.name: str(field.type) for field in schema}


def _write_month(tables: Iterator[pa.Table], schema: pa.Schema, target: Path) -> None:
    """Write one month's rows as ``target/part-0.parquet`` in row groups of ROW_GROUP_SIZE,
    holding one row group's rows at a time (not the month: at a fixed date range a month
    grows with the corpus). The groups are cut where ``pq.write_table`` of the whole month
    would cut them, so the file is the same; no rows, no folder."""
    writer: pq.ParquetWriter | None = None
    pending: list[pa.Table] = []
    n_pending = 0
    try:
        for table in tables:
            pending.append(table)
            n_pending += table.num_rows
            while n_pending >= ROW_GROUP_SIZE:
                joined = pa.concat_tables(pending)
                if writer is None:
                    target.mkdir()
                    writer = pq.ParquetWriter(target / "part-0.parquet", schema)
                writer.write_table(joined.slice(0, ROW_GROUP_SIZE),
                                   row_group_size=ROW_GROUP_SIZE)
                rest = joined.slice(ROW_GROUP_SIZE)
                pending, n_pending = [rest], rest.num_rows
            _release_arrow_memory()
        if n_pending:
            if writer is None:
                target.mkdir()
                writer = pq.ParquetWriter(target / "part-0.parquet", schema)
            writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_SIZE)
    finally:
        if writer is not None:
            writer.close()


def _write_dropped(
    staging: _Staging,
    decision: dict[str, Any],
    readers: list[Source],
    names: dict[str, str],
    path: Path,
) -> pd.DataFrame:
    frames = list(staging.dropped)
    keep = decision["keep"]
    if (~keep).any():
        doc_id_of = decision["doc_id_of"]
        wanted = ["source_file", "source_row", "doc_id", "outlet", "date", "title", "_row"]
        for table in staging.columns(wanted):
            rows = table.column("_row").to_numpy()
            mask = ~keep[rows]
            if not mask.any():
                continue
            subset = table.filter(pa.array(mask)).drop_columns(["_row"]).to_pandas()
            position = np.searchsorted(decision["dropped"], rows[mask])
            subset["date"] = subset["date"].dt.strftime("%Y-%m-%d")
            subset["reason"] = decision["reason"][position]
            of = decision["duplicate_of"][position]
            subset["duplicate_of"] = [doc_id_of[i] if i >= 0 else None for i in of.tolist()]
            similarity = decision["similarity"][position]
            given = decision["detail"][position]
            subset["detail"] = [
                f"estimated similarity {s:.2f}" if r == "near_duplicate" else
                ("same text" if r in ("exact_duplicate", "duplicate_doc_id") else g)
                for s, r, g in zip(similarity, subset["reason"], given, strict=True)
            ]
            frames.append(subset[list(DROPPED_COLUMNS)])
    frames = [f for f in frames if len(f)]
    dropped = (pd.concat(frames, ignore_index=True) if frames
               else pd.DataFrame(columns=list(DROPPED_COLUMNS)))
    dropped["outlet"] = dropped["outlet"].map(
        lambda o: names.get(outlet_key(o), o) if isinstance(o, str) else None
    )
    order = {str(r.path): i for i, r in enumerate(readers)}
    dropped["_file"] = dropped["source_file"].map(order)
    dropped = dropped.sort_values(["_file", "source_row"], kind="stable").drop(columns="_file")
    dropped = dropped.reset_index(drop=True)
    schema = pa.schema([
        ("source_file", pa.string()), ("source_row", pa.int64()), ("doc_id", pa.string()),
        ("outlet", pa.string()), ("date", pa.string()), ("title", pa.string()),
        ("reason", pa.string()), ("detail", pa.string()), ("duplicate_of", pa.string()),
    ])
    table = pa.Table.from_pandas(
        dropped.astype({c: object for c in dropped.columns if c != "source_row"})
        .astype({"source_row": "Int64"}),
        schema=schema, preserve_index=False,
    )
    pq.write_table(table, path)
    return dropped


def _write_outlets(
    staging: _Staging, decision: dict[str, Any], names: dict[str, str], path: Path
) -> pd.DataFrame:
    key_of_code = {code: key for key, code in staging.outlet_key_of.items()}
    per_code = np.bincount(staging.outlet_codes.read()[decision["keep"]],
                           minlength=len(key_of_code))
    counts = pd.Series({key_of_code[c]: int(n) for c, n in enumerate(per_code) if n > 0},
                       dtype=int).sort_values(ascending=False, kind="stable")
    spellings: dict[str, list[str]] = collections.defaultdict(list)
    for key, name in sorted(staging.spellings):
        spellings[key].append(name)
    table = pd.DataFrame({
        "outlet": [names[k] for k in counts.index],
        "n_documents": counts.to_numpy(dtype=int),
        "spellings": [" | ".join(spellings[k]) for k in counts.index],
    }).sort_values(["outlet"], kind="stable")
    table.to_csv(path, index=False)
    return table
