"""The annotations table: who coded which passage for which frame, and how to read and write it.

One row per passage × coder × frame (DESIGN.md, ``annotations``)::

    passage_id  coder  frame       label  annotated_at         sample  codebook_version
    d1:0        ana    peacemaker  1      2025-03-01 10:00:00  random  1.0

``sample`` says how the passage was drawn (``random``: the stratified validation sample that
gives unbiased prevalence estimates; ``active``: chosen for training by uncertainty), so the two
are never mixed up later. Extra columns (``task_id``, ``annotation_id``, ``result_ids`` from
Label Studio) are kept as provenance.

Annotations come back from two places: a wide coded sheet (:func:`read_sheet`: the sheet of
:func:`export_sheet` or any table with one row per passage and one 1/0/blank column per frame)
and Label Studio JSON exports (``read_labelstudio``, in :mod:`framing.frames._labelstudio`),
both returned as an :class:`AnnotationImport` with a report of what was kept and dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError, Source, atomic_write, check_output, parse_column_map
from framing.frames._codebook import Codebook, load_codebook

#: The columns of the annotations table, in order.
ANNOTATION_COLUMNS = ("passage_id", "coder", "frame", "label", "annotated_at", "sample",
                      "codebook_version")
SAMPLES = ("random", "active")
_KEYS = ["passage_id", "coder", "frame"]
_LABELS = {"1": 1, "1.0": 1, "True": 1, "true": 1, "0": 0, "0.0": 0, "False": 0, "false": 0}


def _codebook(codebook: PathLike | Codebook) -> Codebook:
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


# Internal: the user's row number of each annotation when it is not its position (a coded
# sheet's row, which gives one annotation per frame).
_SOURCE_ROW = "_source_row"


def _user_row(table: pd.DataFrame, position: int) -> int:
    """The row to name in an error about ``table``'s row at 0-based ``position``."""
    if _SOURCE_ROW in table.columns:
        return int(table[_SOURCE_ROW].iloc[position])
    return position + 1


def _timestamps(values: pd.Series, path: PathLike | None,
                rows: pd.DataFrame | None = None) -> pd.Series:
    """Parse ``annotated_at`` to tz-naive UTC; missing stays NaT, garbage is an InputError."""
    blank = values.isna() | (values.astype(str).str.strip() == "")
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = pd.to_datetime(values, utc=True)
    else:
        parsed = pd.to_datetime(values.where(~blank, None).astype(object), utc=True,
                                errors="coerce", format="mixed")
    bad = parsed.isna() & ~blank
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"cannot parse {values.iloc[row]!r} as a time (expected ISO 8601)",
                         path=path, row=row + 1 if rows is None else _user_row(rows, row),
                         field="annotated_at")
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def validate_annotations(
    annotations: pd.DataFrame,
    *,
    codebook: PathLike | Codebook | None = None,
    passages: pd.DataFrame | Iterable[str] | None = None,
    path: PathLike | None = None,
) -> pd.DataFrame:
    """Check an annotations table and return it with clean types, columns in order.

    Parameters
    ----------
    annotations : DataFrame
        The columns of :data:`ANNOTATION_COLUMNS` (more are kept, after them).
    codebook : str, path-like or Codebook, optional
        When given, every ``frame`` must be one of its frames.
    passages : DataFrame or iterable of str, optional
        When given (a table with ``passage_id`` or the ids), every ``passage_id`` must be one.
    path : path-like, optional
        The file the table came from, named in errors.

    Returns
    -------
    DataFrame
        ``passage_id``, ``coder``, ``frame``, ``codebook_version`` and ``sample`` as str,
        ``label`` as int 0/1, ``annotated_at`` as tz-naive UTC datetime (NaT when unknown).

    Raises
    ------
    InputError
        Naming the file, the 1-based row and the field: a missing column, an empty id or coder,
        a label that is not 0/1, a sample other than random/active, an unknown frame or
        passage, a time that cannot be parsed, or the same passage, coder and frame twice.

    Examples
    --------
    >>> table = pd.DataFrame({"passage_id": ["d1:0"], "coder": ["ana"], "frame": ["skeptic"],
    ...     "label": ["1"], "annotated_at": ["2025-03-01T10:00:00Z"], "sample": ["random"],
    ...     "codebook_version": ["1.0"]})
    >>> validate_annotations(table, codebook="trump_ukraine_roles").iloc[0].to_dict()
    ... # doctest: +NORMALIZE_WHITESPACE
    {'passage_id': 'd1:0', 'coder': 'ana', 'frame': 'skeptic', 'label': 1,
     'annotated_at': Timestamp('2025-03-01 10:00:00'), 'sample': 'random',
     'codebook_version': '1.0'}
    >>> validate_annotations(table.assign(label="yes"))
    Traceback (most recent call last):
    ...
    framing.corpus._errors.InputError: row 1, field 'label': expected 0 or 1, got 'yes'
    """
    if not isinstance(annotations, pd.DataFrame):
        raise TypeError(f"expected a DataFrame of annotations, got {type(annotations).__name__}")
    missing = [c for c in ANNOTATION_COLUMNS if c not in annotations.columns]
    if missing:
        # A coded sheet (one 0/1 column per frame, as corpora/sample/annotations.csv) is the
        # usual mix-up: name the command that turns it into this table.
        hint = ("; this looks like a coded sheet (one column per frame): turn it into an "
                "annotations table with `framing frames import SHEET --out annotations.csv` "
                "(Python: read_sheet)" if "frame" in missing and "passage_id"
                in annotations.columns else "")
        raise InputError(f"missing column; an annotations table has "
                         f"{list(ANNOTATION_COLUMNS)}{hint}", path=path, field=missing[0])
    table = annotations.reset_index(drop=True).copy()
    for column in ("passage_id", "coder", "frame", "sample", "codebook_version"):
        values = table[column]
        empty = values.isna() | (values.astype(str).str.strip() == "")
        if empty.any():
            raise InputError("empty value", path=path,
                             row=_user_row(table, int(np.flatnonzero(empty)[0])), field=column)
        table[column] = values.astype(str).str.strip()
    labels = table["label"].astype(str).str.strip().map(_LABELS)
    if labels.isna().any():
        row = int(np.flatnonzero(labels.isna().to_numpy())[0])
        raise InputError(f"expected 0 or 1, got {table['label'].iloc[row]!r}", path=path,
                         row=_user_row(table, row), field="label")
    table["label"] = labels.astype(np.int64)
    bad = ~table["sample"].isin(SAMPLES)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"expected 'random' or 'active', got {table['sample'].iloc[row]!r}",
                         path=path, row=_user_row(table, row), field="sample")
    if codebook is not None:
        frames = _codebook(codebook).frame_names
        bad = ~table["frame"].isin(frames)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"unknown frame {table['frame'].iloc[row]!r}; the codebook's "
                             f"frames are {', '.join(frames)}", path=path,
                             row=_user_row(table, row), field="frame")
    if passages is not None:
        known = set((passages["passage_id"] if isinstance(passages, pd.DataFrame)
                     else pd.Series(list(passages))).astype(str))
        bad = ~table["passage_id"].isin(known)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"unknown passage {table['passage_id'].iloc[row]!r} "
                             f"({int(bad.sum())} rows name passages not in the passages table)",
                             path=path, row=_user_row(table, row), field="passage_id")
    table["annotated_at"] = _timestamps(table["annotated_at"], path, table)
    twice = table.duplicated(_KEYS, keep="first")
    if twice.any():
        row = int(np.flatnonzero(twice)[0])
        key = table.loc[row, _KEYS].tolist()
        raise InputError(f"passage {key[0]!r}, coder {key[1]!r}, frame {key[2]!r} is coded "
                         "twice; keep one row per passage, coder and frame", path=path,
                         row=_user_row(table, row), field="passage_id")
    extra = [c for c in table.columns if c not in (*ANNOTATION_COLUMNS, _SOURCE_ROW)]
    return table[list(ANNOTATION_COLUMNS) + extra]


def read_annotations(
    path: PathLike,
    *,
    codebook: PathLike | Codebook | None = None,
    passages: pd.DataFrame | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read an annotations table from CSV, JSON (records), JSONL or Parquet, and validate it.

    Raises
    ------
    InputError
        A file that cannot be read, a Label Studio export (use :func:`read_labelstudio`), or
        anything :func:`validate_annotations` refuses, naming the file and row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = target.write_text("passage_id,coder,frame,label,annotated_at,sample,codebook_version"
    ...                       "\\nd1:0,ana,skeptic,1,,active,1.0\\n")
    >>> read_annotations(target)[["passage_id", "label", "sample"]]
      passage_id  label  sample
    0       d1:0      1  active
    """
    source = Path(path)
    if not source.is_file():
        raise InputError("no such file", path=source)
    suffix = source.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            table = pd.read_csv(source, dtype=str, keep_default_na=False,
                                sep="\t" if suffix == ".tsv" else ",")
        elif suffix == ".parquet":
            table = pd.read_parquet(source)
        elif suffix == ".jsonl":
            table = pd.read_json(source, lines=True, dtype=False)
        elif suffix == ".json":
            data = json.loads(source.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "annotations" in data:
                data = data["annotations"]
            if (isinstance(data, list) and data and isinstance(data[0], dict)
                    and "annotations" in data[0] and "data" in data[0]):
                raise InputError("this is a Label Studio export; read it with "
                                 "read_labelstudio (framing frames import)", path=source)
            table = pd.DataFrame.from_records(data)
        else:
            raise InputError(f"unknown annotations format {suffix!r} (expected .csv, .tsv, "
                             ".json, .jsonl or .parquet)", path=source)
    except (ValueError, OSError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"cannot read: {exc}", path=source) from exc
    return validate_annotations(table, codebook=codebook, passages=passages, path=source)


def write_annotations(annotations: pd.DataFrame, path: PathLike, *, force: bool = False) -> Path:
    """Validate and write an annotations table (``.csv``, ``.json`` records or ``.parquet``).

    The write is atomic; an existing file is replaced only with ``force=True``.
    """
    table = validate_annotations(annotations)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".parquet":
        with atomic_write(target, force=force, mode="wb") as handle:
            table.to_parquet(handle, index=False)
    elif suffix == ".json":
        out = table.copy()
        out["annotated_at"] = out["annotated_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        with atomic_write(target, force=force) as handle:
            handle.write(out.to_json(orient="records", indent=1, force_ascii=False))
    elif suffix == ".csv":
        with atomic_write(target, force=force) as handle:
            table.to_csv(handle, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    else:
        raise InputError(f"unknown annotations format {suffix!r} (expected .csv, .json or "
                         ".parquet)", path=target)
    return target


def merge_annotations(*tables: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stack annotation tables; report, never resolve, contradicting labels.

    Rows repeated exactly (same passage, coder, frame and label) are kept once.

    Returns
    -------
    merged : DataFrame
        Every row without a conflict, plus the conflicting rows, so nothing is lost.
    conflicts : DataFrame
        One row per passage, coder and frame coded with different labels: ``passage_id``,
        ``coder``, ``frame``, ``labels`` (sorted, e.g. ``"0,1"``), ``n_rows``.

    Examples
    --------
    >>> a = pd.DataFrame({"passage_id": ["p"], "coder": ["c"], "frame": ["skeptic"],
    ...     "label": [1], "annotated_at": [None], "sample": ["random"],
    ...     "codebook_version": ["1.0"]})
    >>> merged, conflicts = merge_annotations(a, a.assign(label=0))
    >>> len(merged), conflicts[["passage_id", "labels"]].values.tolist()
    (2, [['p', '0,1']])
    """
    parts = [validate_annotations(t) for t in tables]
    merged = pd.concat(parts, ignore_index=True)
    merged = merged.drop_duplicates(_KEYS + ["label"], keep="first").reset_index(drop=True)
    grouped = merged.groupby(_KEYS, sort=True)["label"]
    summary = grouped.agg(lambda v: ",".join(str(x) for x in sorted(set(v)))).rename("labels")
    counts = grouped.size().rename("n_rows")
    conflicts = pd.concat([summary, counts], axis=1).reset_index()
    conflicts = conflicts[conflicts["n_rows"] > 1].reset_index(drop=True)
    return merged, conflicts


def annotation_changes(earlier: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The cells a new batch of annotations labels differently from an earlier table.

    A cell is one passage, coder and frame. Merging the batch into the earlier table would
    change these; they are listed so that nobody's work is overwritten unseen.

    Returns
    -------
    DataFrame
        One row per changed cell: ``passage_id``, ``coder``, ``frame``, ``old``, ``new``.

    Examples
    --------
    >>> a = pd.DataFrame({"passage_id": ["p", "q"], "coder": ["c", "c"],
    ...     "frame": ["skeptic", "skeptic"], "label": [1, 0], "annotated_at": [None, None],
    ...     "sample": ["random", "random"], "codebook_version": ["1.0", "1.0"]})
    >>> annotation_changes(a, a.assign(label=[0, 0])).values.tolist()
    [['p', 'c', 'skeptic', 1, 0]]
    """
    cells = _KEYS + ["label"]
    old = validate_annotations(earlier)[cells].drop_duplicates(_KEYS, keep="last")
    fresh = validate_annotations(new)[cells].drop_duplicates(_KEYS, keep="last")
    both = old.merge(fresh, on=_KEYS, suffixes=("_old", "_new"), validate="one_to_one")
    changed = both[both["label_old"] != both["label_new"]]
    return (changed.rename(columns={"label_old": "old", "label_new": "new"})
            .sort_values(_KEYS).reset_index(drop=True))


# -- the CSV sheet ------------------------------------------------------------------------------

_SHEET_META = ("doc_id", "outlet", "date", "title")


def annotation_sheet(
    sample: pd.DataFrame,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    text_column: str = "text",
) -> pd.DataFrame:
    """A sheet to code: one row per passage, an empty 0/1 column per frame.

    Parameters
    ----------
    sample : DataFrame
        Passages to code, with ``passage_id``, ``sample`` (random/active) and the text.
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        Gives the frame columns and the version written on every row.
    text_column : str, default="text"
        The passages' text column.

    Returns
    -------
    DataFrame
        ``passage_id``, ``sample``, ``doc_id``, ``outlet``, ``date``, ``title`` (those present),
        ``text``, ``coder`` (empty), one empty column per frame, ``notes``,
        ``codebook_version``.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": ["d1:0"], "outlet": ["X"], "sample": ["random"],
    ...                          "text": ["Trump hailed the talks."]})
    >>> list(annotation_sheet(passages).columns)  # doctest: +NORMALIZE_WHITESPACE
    ['passage_id', 'sample', 'outlet', 'text', 'coder', 'peacemaker', 'isolationist',
     'skeptic', 'notes', 'codebook_version']
    """
    book = _codebook(codebook)
    for column in ("passage_id", "sample", text_column):
        if column not in sample.columns:
            raise InputError(f"the sample has no {column!r} column", field=column)
    meta = [c for c in _SHEET_META if c in sample.columns]
    sheet = sample[["passage_id", "sample", *meta]].copy().reset_index(drop=True)
    if "date" in sheet.columns and pd.api.types.is_datetime64_any_dtype(sheet["date"]):
        sheet["date"] = sheet["date"].dt.strftime("%Y-%m-%d")
    sheet["text"] = sample[text_column].to_numpy()
    sheet["coder"] = ""
    for frame in book.frame_names:
        sheet[frame] = ""
    sheet["notes"] = ""
    sheet["codebook_version"] = book.version
    return sheet


def codebook_guide(codebook: PathLike | Codebook = "trump_ukraine_roles") -> str:
    """The codebook as Markdown for coders: instructions, then each frame's rules and examples.

    Examples
    --------
    >>> print(codebook_guide().splitlines()[0])
    # Coding guide: trump_ukraine_roles (version 1.0)
    """
    book = _codebook(codebook)
    lines = [f"# Coding guide: {book.name} (version {book.version})", "",
             f"Codebook sha256: `{book.sha256}`", ""]
    if book.unit:
        lines += [f"**Unit.** {book.unit}", ""]
    if book.instructions:
        lines += ["## Instructions", ""] + [f"- {text}" for text in book.instructions] + [""]
    for name in book.frame_names + (book.none_label,):
        frame = book.frames[name]
        lines += [f"## `{name}`: {frame.label}", "", frame.definition, ""]
        for title, items in (("Include", frame.include), ("Exclude", frame.exclude),
                             ("Examples", frame.positive_examples),
                             ("Near misses (not this frame)", frame.negative_examples)):
            if items:
                lines += [f"**{title}**", ""] + [f"- {item}" for item in items] + [""]
    return "\n".join(lines)


def export_sheet(
    sample: pd.DataFrame,
    path: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    text_column: str = "text",
    force: bool = False,
) -> tuple[Path, Path]:
    """Write the CSV sheet of :func:`annotation_sheet` and a companion ``<name>.README.md``.

    The README holds how to fill the sheet and the codebook guide (:func:`codebook_guide`).

    Returns
    -------
    tuple of Path
        The sheet and the README.
    """
    target = Path(path)
    readme = target.with_name(target.stem + ".README.md")
    for output in (target, readme):  # both refused before either is written
        check_output(output, force=force)
    book = _codebook(codebook)
    sheet = annotation_sheet(sample, codebook=book, text_column=text_column)
    how = [
        f"# How to fill `{target.name}`", "",
        f"{len(sheet)} passages to code. For every row, write your name or initials in `coder` "
        f"and 1 (the passage carries the frame) or 0 (it does not) in each frame column: "
        f"{', '.join(f'`{f}`' for f in book.frame_names)}. Several frames may be 1; all 0 "
        f"means `{book.none_label}`. A blank cell means not coded (it is never read as 0), "
        "so fill every frame of a row you code; leave a row wholly blank to skip it. Do not edit "
        "`passage_id`, `sample` or `codebook_version`. Then import the answers with "
        f"`framing frames import {target.name} --out annotations.csv`.", "",
        codebook_guide(book), ""]
    with atomic_write(target, force=force) as handle:
        sheet.to_csv(handle, index=False)
    with atomic_write(readme, force=force) as handle:
        handle.write("\n".join(how))
    return target, readme


@dataclass
class AnnotationImport:
    """Annotations read back from a sheet or a Label Studio export, with what was dropped.

    Attributes
    ----------
    annotations : DataFrame
        The annotations table (validated).
    report : dict
        Counts: what was read, kept and dropped (by reason), which choices were mapped to
        which frame and which were dropped.
    """

    annotations: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """The report as a few readable lines."""
        lines = []
        for key, value in self.report.items():
            if isinstance(value, Mapping):
                value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
            elif isinstance(value, list):
                value = _listed(value) or "-"
            lines.append(f"{key}: {value}")
        return "\n".join(lines)


def _is_blank(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) or (
        isinstance(value, str) and not value.strip())


def _code(value: Any) -> int | None:
    """A frame cell: 1 or 0, or None when blank (not coded); ValueError for anything else.

    Numbers are read as numbers (``1.0`` is 1), so sheets saved by spreadsheet programs or
    pandas (floats where a column has blanks) read as they were coded.
    """
    if _is_blank(value):
        return None
    if isinstance(value, bool | np.bool_):
        return int(value)
    text = str(value).strip()
    if text.lower() in ("true", "false"):
        return int(text.lower() == "true")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(text) from None
    if number not in (0.0, 1.0):
        raise ValueError(text)
    return int(number)


def _frame_columns(book: Codebook, columns: list[tuple[str, str]], path: Path) -> dict[str, str]:
    """Each frame's column (ours, after the reader's renaming), found by name or label."""
    found: dict[str, str] = {}
    missing = []
    for frame in book.frame_names:
        names = {frame.lower(), book.frames[frame].label.lower()}
        matches = [ours for ours, theirs in columns if theirs.strip().lower() in names]
        if len(matches) > 1:
            raise InputError(f"{len(matches)} columns could hold frame {frame!r} "
                             f"({', '.join(repr(m) for m in matches)}); keep one", path=path,
                             field=matches[1])
        if matches:
            found[frame] = matches[0]
        else:
            missing.append(frame)
    if missing:
        raise InputError(
            f"no column for frame{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}: a coded sheet has one column per frame of "
            f"the codebook ({book.name}: {', '.join(book.frame_names)}), headed by the frame's "
            "name or label; the sheet's columns are "
            + ", ".join(repr(theirs) for _, theirs in columns), path=path, field=missing[0])
    return found


def _listed(rows: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" ... ({len(rows) - limit} more)" if len(rows) > limit else "")


def read_sheet(
    path: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    coder: str | None = None,
    sample: Literal["random", "active"] | None = None,
    annotated_at: str | None = None,
    column_map: Mapping[str, str] | str | None = None,
) -> AnnotationImport:
    """Read a wide coded sheet (one row per passage, one column per frame) into annotations.

    The sheet of :func:`export_sheet`, or any table a researcher coded: CSV/TSV, JSONL, a JSON
    array or Parquet, read by the corpus readers. Its columns:

    * ``passage_id``: found as ``framing passages import`` finds it (the name in any case,
      or a bare ``id``), or named by ``column_map`` (``{"passage_id": "item"}``);
    * one column per codebook frame, headed by the frame's name or label (any case), holding
      ``1`` (the passage carries the frame), ``0`` (it does not) or nothing (**not coded**).
      Numbers are read as numbers (``1.0``, ``0.0``), and ``true``/``false`` too;
    * ``coder``, ``sample`` (``random``/``active``), ``annotated_at`` and
      ``codebook_version``, each optional where the keyword gives it; other columns are
      ignored.

    A blank cell is "not coded", never 0: it gives no annotation. A wholly blank row is
    skipped; a partly coded row (some frames blank) is kept and reported, with its row
    number, in ``report["partly_coded_rows"]``.

    Parameters
    ----------
    path : path-like
        The sheet.
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        Gives the frames (columns) and the version of rows without ``codebook_version``.
    coder : str, optional
        The coder of rows whose ``coder`` cell is blank (or of a sheet without the column).
    sample : {"random", "active"}, optional
        How the passages were drawn, for rows whose ``sample`` cell is blank.
    annotated_at : str, optional
        ISO 8601 time of rows without one.
    column_map : mapping or str, optional
        Our column name -> the sheet's, e.g. ``"passage_id=item"``.

    Returns
    -------
    AnnotationImport
        The annotations and a report: ``rows_read``, ``rows_coded`` (every frame coded),
        ``rows_partly_coded`` and ``partly_coded_rows`` (1-based data rows),
        ``rows_skipped_blank``, ``cells_not_coded``, ``coders``, ``annotations``.

    Raises
    ------
    InputError
        Naming the file, the row and the field: no passage id column, a frame without a
        column, a cell other than 1/0/blank, a coded row without a coder or a sample, a sample
        other than random/active, a passage coded twice by one coder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sheet.csv"
    >>> _ = target.write_text("id,text,coder,Peacemaker,isolationist,skeptic\\n"
    ...     "d1:0,Trump hailed talks.,ana,1.0,0.0,\\nd2:0,Trump left.,ana,,,\\n")
    >>> found = read_sheet(target, sample="random")
    >>> found.annotations[["passage_id", "frame", "label"]].values.tolist()
    [['d1:0', 'peacemaker', 1], ['d1:0', 'isolationist', 0]]
    >>> found.report["partly_coded_rows"], found.report["rows_skipped_blank"]
    ([1], 1)
    """
    book = _codebook(codebook)
    source_path = Path(path)
    mapping = parse_column_map(column_map, table="passages")
    source = Source(source_path, column_map=mapping, table="passages",
                    required=("passage_id",), progress=False)
    sheet = pd.concat(list(source.batches()), ignore_index=True)
    plan = source.report.column_plan
    columns = plan.pairs if plan is not None else [(c, c) for c in sheet.columns]
    frame_columns = _frame_columns(book, [(o, t) for o, t in columns if o in sheet.columns],
                                   source_path)
    name_of = dict(columns)
    rows, skipped, partly, not_coded = [], 0, [], 0
    for record in sheet.to_dict("records"):
        row = int(record["source_row"])
        codes: dict[str, int] = {}
        for frame, column in frame_columns.items():
            try:
                code = _code(record[column])
            except ValueError:
                raise InputError(f"expected 1, 0 or blank (not coded), got "
                                 f"{record[column]!r}", path=source_path, row=row,
                                 field=name_of.get(column, column)) from None
            if code is not None:
                codes[frame] = code
        if not codes:
            skipped += 1
            continue
        if len(codes) < len(frame_columns):
            partly.append(row)
            not_coded += len(frame_columns) - len(codes)
        who = record.get("coder")
        who = coder if _is_blank(who) else str(who).strip()
        if _is_blank(who):
            raise InputError("no coder: fill the coder column or pass coder= (--coder)",
                             path=source_path, row=row, field="coder")
        drawn = record.get("sample")
        drawn = sample if _is_blank(drawn) else str(drawn).strip()
        if _is_blank(drawn):
            raise InputError("no sample: say how the passages were drawn in a 'sample' "
                             "column or with sample= (--sample), 'random' (a random sample, "
                             "or every passage) or 'active'", path=source_path, row=row,
                             field="sample")
        if drawn not in SAMPLES:
            raise InputError(f"expected 'random' or 'active', got {drawn!r}",
                             path=source_path, row=row, field="sample")
        passage = record["passage_id"]
        if _is_blank(passage):
            raise InputError("no passage id", path=source_path, row=row,
                             field=name_of.get("passage_id", "passage_id"))
        if isinstance(passage, float) and passage.is_integer():
            passage = int(passage)
        version = record.get("codebook_version")
        when = record.get("annotated_at")
        for frame, code in codes.items():
            rows.append({"passage_id": str(passage).strip(), "coder": who, "frame": frame,
                         "label": code,
                         "annotated_at": annotated_at if _is_blank(when) else when,
                         "sample": drawn,
                         "codebook_version": book.version if _is_blank(version)
                         else str(version).strip(), _SOURCE_ROW: row})
    table = pd.DataFrame(rows, columns=[*ANNOTATION_COLUMNS, _SOURCE_ROW])
    twice = table.duplicated(_KEYS)
    if twice.any():
        first = table[twice].iloc[0]
        raise InputError(f"passage {first['passage_id']!r} is coded twice by "
                         f"{first['coder']!r}", path=source_path,
                         row=int(first[_SOURCE_ROW]), field="passage_id")
    # Errors name the sheet's own rows, not the one-row-per-frame table's.
    table = validate_annotations(table, codebook=book, path=source_path)
    report = {"path": str(source_path), "rows_read": source.report.rows_read,
              "rows_coded": len(sheet) - skipped - len(partly),
              "rows_partly_coded": len(partly), "partly_coded_rows": partly,
              "rows_skipped_blank": skipped, "cells_not_coded": not_coded,
              "coders": int(table["coder"].nunique()), "annotations": len(table)}
    return AnnotationImport(table, report)
