"""The annotations table: who coded which passage for which frame, and how to read and write it.

One row per passage × coder × frame (DESIGN.md, ``annotations``)::

    passage_id  coder  frame       label  annotated_at         sample  codebook_version
    d1:0        ana    peacemaker  1      2025-03-01 10:00:00  random  1.0

``sample`` says how the passage was drawn (``random``: the stratified validation sample that
gives unbiased prevalence estimates; ``active``: chosen for training by uncertainty), so the two
are never mixed up later. Extra columns (``task_id``, ``annotation_id``, ``result_ids`` from
Label Studio) are kept as provenance.

Annotations come back from two places: the CSV sheet of :func:`export_sheet` (one row per
passage, one 0/1 column per frame) and Label Studio JSON exports (:func:`read_labelstudio`),
both returned as an :class:`AnnotationImport` with a report of what was kept and dropped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError, atomic_write
from framing.frames._codebook import Codebook, load_codebook

#: The columns of the annotations table, in order.
ANNOTATION_COLUMNS = ("passage_id", "coder", "frame", "label", "annotated_at", "sample",
                      "codebook_version")
SAMPLES = ("random", "active")
_KEYS = ["passage_id", "coder", "frame"]
_LABELS = {"1": 1, "1.0": 1, "True": 1, "true": 1, "0": 0, "0.0": 0, "False": 0, "false": 0}


def _codebook(codebook: PathLike | Codebook) -> Codebook:
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


def _timestamps(values: pd.Series, path: PathLike | None) -> pd.Series:
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
                         path=path, row=row + 1, field="annotated_at")
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
        raise InputError(f"missing column; an annotations table has {list(ANNOTATION_COLUMNS)}",
                         path=path, field=missing[0])
    table = annotations.reset_index(drop=True).copy()
    for column in ("passage_id", "coder", "frame", "sample", "codebook_version"):
        values = table[column]
        empty = values.isna() | (values.astype(str).str.strip() == "")
        if empty.any():
            raise InputError("empty value", path=path, row=int(np.flatnonzero(empty)[0]) + 1,
                             field=column)
        table[column] = values.astype(str).str.strip()
    labels = table["label"].astype(str).str.strip().map(_LABELS)
    if labels.isna().any():
        row = int(np.flatnonzero(labels.isna().to_numpy())[0])
        raise InputError(f"expected 0 or 1, got {table['label'].iloc[row]!r}", path=path,
                         row=row + 1, field="label")
    table["label"] = labels.astype(np.int64)
    bad = ~table["sample"].isin(SAMPLES)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"expected 'random' or 'active', got {table['sample'].iloc[row]!r}",
                         path=path, row=row + 1, field="sample")
    if codebook is not None:
        frames = _codebook(codebook).frame_names
        bad = ~table["frame"].isin(frames)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"unknown frame {table['frame'].iloc[row]!r}; the codebook's "
                             f"frames are {', '.join(frames)}", path=path, row=row + 1,
                             field="frame")
    if passages is not None:
        known = set((passages["passage_id"] if isinstance(passages, pd.DataFrame)
                     else pd.Series(list(passages))).astype(str))
        bad = ~table["passage_id"].isin(known)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"unknown passage {table['passage_id'].iloc[row]!r} "
                             f"({int(bad.sum())} rows name passages not in the passages table)",
                             path=path, row=row + 1, field="passage_id")
    table["annotated_at"] = _timestamps(table["annotated_at"], path)
    twice = table.duplicated(_KEYS, keep="first")
    if twice.any():
        row = int(np.flatnonzero(twice)[0])
        key = table.loc[row, _KEYS].tolist()
        raise InputError(f"passage {key[0]!r}, coder {key[1]!r}, frame {key[2]!r} is coded "
                         "twice; keep one row per passage, coder and frame", path=path,
                         row=row + 1, field="passage_id")
    extra = [c for c in table.columns if c not in ANNOTATION_COLUMNS]
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
    book = _codebook(codebook)
    sheet = annotation_sheet(sample, codebook=book, text_column=text_column)
    target = Path(path)
    readme = target.with_name(target.stem + ".README.md")
    how = [
        f"# How to fill `{target.name}`", "",
        f"{len(sheet)} passages to code. For every row, write your name or initials in `coder` "
        f"and 1 (the passage carries the frame) or 0 (it does not) in each frame column: "
        f"{', '.join(f'`{f}`' for f in book.frame_names)}. Several frames may be 1; all 0 "
        f"means `{book.none_label}`. Leave a row wholly blank to skip it. Do not edit "
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
            lines.append(f"{key}: {value}")
        return "\n".join(lines)


def _is_blank(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) or (
        isinstance(value, str) and not value.strip())


def read_sheet(
    path: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    coder: str | None = None,
    annotated_at: str | None = None,
) -> AnnotationImport:
    """Read a coded sheet (see :func:`export_sheet`) into the annotations table.

    A wholly blank row (no frame filled) is skipped and counted; in a row with at least one
    frame filled, a blank frame cell means 0. ``coder`` fills rows whose ``coder`` cell is
    blank; ``annotated_at`` (ISO 8601) is used when the sheet has no such column.

    Raises
    ------
    InputError
        Naming the file, the row and the field: a missing frame or id column, a value other
        than 0/1, a filled row without a coder, a passage coded twice by one coder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sheet.csv"
    >>> _ = target.write_text("passage_id,sample,text,coder,peacemaker,isolationist,skeptic\\n"
    ...     "d1:0,random,Trump hailed talks.,ana,1,,\\nd2:0,random,Trump left.,,,,\\n")
    >>> found = read_sheet(target)
    >>> found.annotations[["passage_id", "frame", "label"]].values.tolist()
    [['d1:0', 'peacemaker', 1], ['d1:0', 'isolationist', 0], ['d1:0', 'skeptic', 0]]
    >>> found.report["rows_skipped_blank"]
    1
    """
    book = _codebook(codebook)
    source = Path(path)
    try:
        sheet = pd.read_csv(source, dtype=str, keep_default_na=False)
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot read the sheet: {exc}", path=source) from exc
    for column in ("passage_id", "sample", *book.frame_names):
        if column not in sheet.columns:
            raise InputError("missing column of an annotation sheet", path=source,
                             field=column)
    rows, skipped = [], 0
    for row, record in enumerate(sheet.to_dict("records"), start=1):
        cells = [record[f] for f in book.frame_names]
        if all(_is_blank(c) for c in cells):
            skipped += 1
            continue
        who = record.get("coder", "")
        who = coder if _is_blank(who) else str(who).strip()
        if _is_blank(who):
            raise InputError("no coder: fill the coder column or pass coder=", path=source,
                             row=row, field="coder")
        for frame, cell in zip(book.frame_names, cells, strict=True):
            text = "0" if _is_blank(cell) else str(cell).strip()
            if text not in ("0", "1"):
                raise InputError(f"expected 0 or 1, got {cell!r}", path=source, row=row,
                                 field=frame)
            version = record.get("codebook_version") or book.version
            rows.append({"passage_id": record["passage_id"], "coder": who, "frame": frame,
                         "label": int(text),
                         "annotated_at": record.get("annotated_at", annotated_at),
                         "sample": record["sample"], "codebook_version": version,
                         "_row": row})
    table = pd.DataFrame(rows, columns=[*ANNOTATION_COLUMNS, "_row"])
    for check in ("sample", "passage_id"):
        bad = ~table["sample"].isin(SAMPLES) if check == "sample" else (
            table.duplicated(_KEYS))
        if bad.any():
            first = table[bad].iloc[0]
            message = (f"expected 'random' or 'active', got {first['sample']!r}"
                       if check == "sample" else
                       f"passage {first['passage_id']!r} is coded twice by {first['coder']!r}")
            raise InputError(message, path=source, row=int(first["_row"]), field=check)
    table = validate_annotations(table.drop(columns="_row"), codebook=book, path=source)
    report = {"path": str(source), "rows_read": len(sheet),
              "rows_kept": len(sheet) - skipped, "rows_skipped_blank": skipped,
              "coders": int(table["coder"].nunique()), "annotations": len(table)}
    return AnnotationImport(table, report)


# -- Label Studio -------------------------------------------------------------------------------

def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def labelstudio_config(codebook: PathLike | Codebook = "trump_ukraine_roles") -> str:
    """A Label Studio labelling config (XML) for the codebook: multi-label ``Choices``.

    Each frame is a ``Choice`` whose ``alias`` is the frame's name (what the export records)
    and whose ``hint`` is its definition; the none category is a choice too, and a choice is
    required, so an empty answer cannot be mistaken for "none".

    Examples
    --------
    >>> config = labelstudio_config()
    >>> 'choice="multiple"' in config, 'alias="skeptic"' in config
    (True, True)
    """
    book = _codebook(codebook)
    lines = ['<View>',
             f'  <Header value="{_xml(book.name)} (codebook version {_xml(book.version)})"/>',
             '  <Text name="text" value="$text"/>',
             '  <Choices name="frames" toName="text" choice="multiple" required="true" '
             'showInline="false">']
    for name in book.frame_names + (book.none_label,):
        frame = book.frames[name]
        lines.append(f'    <Choice value="{_xml(frame.label)}" alias="{_xml(name)}" '
                     f'hint="{_xml(" ".join(frame.definition.split()))}"/>')
    lines += ['  </Choices>', '</View>', '']
    return "\n".join(lines)


def labelstudio_tasks(
    sample: pd.DataFrame,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    text_column: str = "text",
) -> list[dict[str, Any]]:
    """Label Studio tasks (import JSON) for a sample: ``data`` holds the text and the ids.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": ["d1:0"], "doc_id": ["d1"], "sample": ["active"],
    ...                          "text": ["Trump hailed the talks."]})
    >>> labelstudio_tasks(passages)[0]["data"]["passage_id"]
    'd1:0'
    """
    sheet = annotation_sheet(sample, codebook=codebook, text_column=text_column)
    keep = ["text", "passage_id", "sample", *[c for c in _SHEET_META if c in sheet.columns],
            "codebook_version"]
    return [{"data": {k: (None if _is_blank(v) else str(v)) for k, v in record.items()}}
            for record in sheet[keep].to_dict("records")]


def export_labelstudio(
    sample: pd.DataFrame,
    out: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    text_column: str = "text",
    force: bool = False,
) -> tuple[Path, Path]:
    """Write ``<out>.tasks.json`` (tasks to import) and ``<out>.config.xml`` (labelling setup).

    ``out`` is a file stem (``"batch1"`` gives ``batch1.tasks.json`` and ``batch1.config.xml``);
    a ``.json`` suffix is dropped first.

    Returns
    -------
    tuple of Path
        The tasks and the config.
    """
    book = _codebook(codebook)
    stem = Path(out)
    if stem.suffix.lower() == ".json":
        stem = stem.with_suffix("")
    tasks_path = stem.with_name(stem.name + ".tasks.json")
    config_path = stem.with_name(stem.name + ".config.xml")
    tasks = labelstudio_tasks(sample, codebook=book, text_column=text_column)
    with atomic_write(tasks_path, force=force) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
    with atomic_write(config_path, force=force) as handle:
        handle.write(labelstudio_config(book))
    return tasks_path, config_path


def _choice_names(result: Mapping[str, Any]) -> list[str]:
    value = result.get("value") or {}
    if result.get("type") == "taxonomy":
        return ["/".join(str(p) for p in path) for path in value.get("taxonomy") or []]
    return [str(c) for c in value.get("choices") or []]


def _stamp(annotation: Mapping[str, Any]) -> str | None:
    return annotation.get("updated_at") or annotation.get("created_at")


def read_labelstudio(
    path: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    choice_map: Mapping[str, str | None] | None = None,
    from_name: str | None = None,
    sample: Literal["random", "active"] | None = None,
    passage_field: str = "passage_id",
    coder_field: Literal["id", "email"] = "id",
) -> AnnotationImport:
    """Read a Label Studio JSON export into the annotations table.

    Every submitted annotation (one coder, one task) gives one row per codebook frame: 1 when
    the coder chose the frame, else 0. ``choices`` and ``taxonomy`` results are read (a
    taxonomy path as ``"Parent/Child"``); other result types (spans, ratings...) are dropped
    and counted. Cancelled (skipped) annotations, drafts and predictions are not answers and
    are counted, not kept. An annotation with no choice result is dropped ("no_choice"). When
    one coder answered a task twice the latest answer is kept ("superseded").

    Parameters
    ----------
    path : path-like
        A Label Studio "JSON" export: a list of tasks with ``annotations``.
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        The frames to code.
    choice_map : mapping of str to str or None, optional
        Choice name (or taxonomy path) → frame name; ``None`` means "none of the frames".
        Without one, a choice matches a frame by name or label (any case), and the none
        category's name or label means none. Unmatched choices are dropped and counted.
    from_name : str, optional
        Read only the results of this control (``from_name``); default every choices control.
    sample : {"random", "active"}, optional
        For tasks whose data has no ``sample`` (exports of projects not made by framing).
    passage_field : str, default="passage_id"
        The task data field holding the passage id; tasks without it get ``ls-task-<id>``.
    coder_field : {"id", "email"}, default="id"
        What names the coder. The user id by default, so e-mail addresses stay out of tables.

    Returns
    -------
    AnnotationImport
        The annotations (with ``task_id``, ``annotation_id`` and ``result_ids`` as provenance)
        and the report.

    Raises
    ------
    InputError
        Not JSON or not a list of tasks, a task without ``sample`` when none is given, or
        annotations :func:`validate_annotations` refuses.
    """
    book = _codebook(codebook)
    source = Path(path)
    try:
        tasks = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read as JSON: {exc}", path=source) from exc
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise InputError("expected a Label Studio JSON export: a list of tasks", path=source)
    lookup: dict[str, str | None] = {}
    if choice_map is None:
        for name in book.frame_names:
            lookup[name.lower()] = name
            lookup[book.frames[name].label.lower()] = name
        lookup[book.none_label.lower()] = None
        lookup[book.frames[book.none_label].label.lower()] = None
    else:
        unknown = [f for f in choice_map.values() if f is not None and f not in book.frame_names]
        if unknown:
            raise InputError(f"choice_map names unknown frame {unknown[0]!r}; the codebook's "
                             f"frames are {', '.join(book.frame_names)}", field="choice_map")
        lookup = {str(k).lower(): v for k, v in choice_map.items()}
    dropped: Counter[str] = Counter()
    kept_results: Counter[str] = Counter()
    dropped_results: Counter[str] = Counter()
    kept_choices: dict[str, str] = {}
    dropped_choices: Counter[str] = Counter()
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    n_annotations = n_drafts = n_predictions = from_task_id = 0
    for row, task in enumerate(tasks, start=1):
        data = task.get("data") or {}
        passage = data.get(passage_field)
        if _is_blank(passage):
            passage = f"ls-task-{task.get('id', row)}"
            from_task_id += 1
        drawn = data.get("sample") or sample
        n_drafts += len(task.get("drafts") or [])
        n_predictions += len(task.get("predictions") or [])
        for annotation in task.get("annotations") or []:
            n_annotations += 1
            if annotation.get("was_cancelled"):
                dropped["cancelled"] += 1
                continue
            chosen: set[str] = set()
            result_ids: list[str] = []
            has_choice = False
            for result in annotation.get("result") or []:
                kind = f"{result.get('from_name')}/{result.get('type')}"
                if result.get("type") not in ("choices", "taxonomy") or (
                        from_name is not None and result.get("from_name") != from_name):
                    dropped_results[kind] += 1
                    continue
                kept_results[kind] += 1
                has_choice = True
                if result.get("id") is not None:
                    result_ids.append(str(result["id"]))
                for name in _choice_names(result):
                    key = name.lower()
                    if key in lookup:
                        frame = lookup[key]
                        kept_choices[name] = frame if frame is not None else "(none)"
                        if frame is not None:
                            chosen.add(frame)
                    else:
                        dropped_choices[name] += 1
            if not has_choice:
                dropped["no_choice"] += 1
                continue
            if drawn not in SAMPLES:
                raise InputError(f"task {task.get('id')} has no data.sample (random/active); "
                                 "pass sample= (--sample)", path=source, row=row,
                                 field="sample")
            who = annotation.get("completed_by")
            if isinstance(who, Mapping):
                who = who.get(coder_field, who.get("id"))
            coder = "unknown" if _is_blank(who) else str(who)
            answer = {"passage_id": str(passage), "coder": coder, "chosen": chosen,
                      "annotated_at": _stamp(annotation), "sample": drawn,
                      "codebook_version": data.get("codebook_version") or book.version,
                      "task_id": task.get("id"), "annotation_id": annotation.get("id"),
                      "result_ids": ",".join(result_ids)}
            previous = answers.get((answer["passage_id"], coder))
            if previous is not None:
                dropped["superseded"] += 1
                if str(previous["annotated_at"] or "") > str(answer["annotated_at"] or ""):
                    continue
            answers[(answer["passage_id"], coder)] = answer
    rows = []
    for answer in answers.values():
        for frame in book.frame_names:
            rows.append({**{k: v for k, v in answer.items() if k != "chosen"}, "frame": frame,
                         "label": int(frame in answer["chosen"])})
    columns = [*ANNOTATION_COLUMNS, "task_id", "annotation_id", "result_ids"]
    table = pd.DataFrame(rows, columns=columns)
    table = validate_annotations(table, codebook=book, path=source) if rows else table
    report = {
        "path": str(source), "tasks": len(tasks), "annotations_read": n_annotations,
        "annotations_kept": len(answers), "annotations_dropped": dict(sorted(dropped.items())),
        "drafts_ignored": n_drafts, "predictions_ignored": n_predictions,
        "passage_ids_from_task_id": from_task_id,
        "coders": int(table["coder"].nunique()) if rows else 0,
        "results_kept": dict(sorted(kept_results.items())),
        "results_dropped": dict(sorted(dropped_results.items())),
        "choices_kept": dict(sorted(kept_choices.items())),
        "choices_dropped": dict(sorted(dropped_choices.items())),
    }
    return AnnotationImport(table, report)
