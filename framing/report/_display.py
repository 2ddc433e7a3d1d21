"""What a report shows: formatted tables, figures with links to their files, text and notes.

Each function returns a small display object. In Jupyter (and in the HTML a report run makes)
it renders as HTML or Markdown; elsewhere its ``repr`` is plain text. Nothing here reads or
changes global state: the objects carry everything they show.
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
import re
import struct
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError

#: Columns whose 95% interval (``ci_low``, ``ci_high``) a formatted table shows beside them,
#: in order of preference.
INTERVAL_VALUES = ("estimate", "difference", "alpha", "share")
#: Readable headers for the columns the stages write; other names lose their underscores.
HEADERS = {
    "n": "n", "n_passages": "passages", "n_documents": "documents", "n_positive": "positives",
    "n_validation": "annotated", "n_passages_reference": "passages before",
    "is_thin": "thin cell", "p_value": "p", "f1": "F1", "auc": "AUC", "ece": "ECE",
    "macro_f1": "macro-F1", "mean_auc": "mean AUC", "mean_brier": "mean Brier",
    "mean_ece": "mean ECE", "n_folds": "folds", "period_reference": "compared with",
}


class ReportText:
    """Markdown shown as formatted text in Jupyter and in the report's HTML.

    Examples
    --------
    >>> ReportText("**Note.** Two cells are thin.")
    **Note.** Two cells are thin.
    """

    def __init__(self, markdown: str) -> None:
        self.markdown = str(markdown)

    @classmethod
    def from_file(cls, path: PathLike, *, top_level: int = 3) -> ReportText:
        """A Markdown file (a model card) with its headings moved down to fit in a section.

        The file's top heading becomes a level-``top_level`` heading and the others follow it,
        so a card's "# Frame model" sits under the report's section instead of competing
        with the report's title.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> card = pathlib.Path(tempfile.mkdtemp()) / "CARD.md"
        >>> _ = card.write_text("# Model\\n\\nText.\\n\\n## Data\\n")
        >>> print(ReportText.from_file(card).markdown)
        ### Model
        <BLANKLINE>
        Text.
        <BLANKLINE>
        #### Data
        """
        text = Path(path).read_text(encoding="utf-8")
        levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", text, flags=re.M)]
        shift = max(0, top_level - min(levels, default=top_level))

        def deeper(match: re.Match[str]) -> str:
            return "#" * min(6, len(match.group(1)) + shift) + " "

        return cls(re.sub(r"^(#{1,6}) ", deeper, text, flags=re.M).rstrip("\n"))

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown


def format_interval(estimate: float, low: float, high: float, *, decimals: int = 2,
                    signed: bool = False) -> str:
    """A value with its interval, as a reader quotes it: ``0.42 [0.35, 0.49]``.

    Parameters
    ----------
    estimate, low, high : float
        The value and its interval's bounds; a missing value gives "–".
    decimals : int, default=2
        Digits after the point.
    signed : bool, default=False
        Write a "+" before positive numbers (for changes and differences).

    Examples
    --------
    >>> format_interval(0.4213, 0.3497, 0.4911)
    '0.42 [0.35, 0.49]'
    >>> format_interval(0.12, -0.03, 0.27, signed=True)
    '+0.12 [−0.03, +0.27]'
    """
    if _missing(estimate):
        return "–"
    text = _number(estimate, decimals, signed=signed)
    if _missing(low) or _missing(high):
        return text
    bounds = [_number(bound, decimals, signed=signed) for bound in (low, high)]
    return f"{text} [{bounds[0]}, {bounds[1]}]"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value)) \
        or value is pd.NA or value is pd.NaT


def _number(value: float, decimals: int, *, signed: bool = False) -> str:
    text = f"{float(value):{'+' if signed else ''},.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # no "-0.00" or "+0.00"
        text = text.lstrip("+-")
    return text.replace("-", "\u2212")  # a real minus sign


def _p_value(value: float) -> str:
    if _missing(value):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _cell(value: Any, decimals: int) -> str:
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(str(v) for v in value)
    if _missing(value):
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return _number(value, decimals)
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _header(column: Any) -> str:
    name = str(column)
    return HEADERS.get(name, name.replace("_", " "))


def _relative_link(path: PathLike) -> str:
    """``path`` relative to the current folder (where the notebook and its HTML live)."""
    return Path(os.path.relpath(Path(path).resolve(), Path.cwd().resolve())).as_posix()


class ReportTable:
    """A table formatted for reading: no index, rounded numbers, intervals in brackets.

    Made by :func:`format_table`. ``table`` holds the formatted text cells; ``numeric`` names
    the columns aligned right.
    """

    def __init__(self, table: pd.DataFrame, *, numeric: Sequence[str], n_rows: int,
                 source: str | None, caption: str | None) -> None:
        self.table = table
        self.numeric = list(numeric)
        self.n_rows = n_rows
        self.source = source
        self.caption = caption

    def _notes(self, link: bool) -> list[str]:
        """Under the table: how many rows it shows, and where the whole table is."""
        parts = []
        if len(self.table) < self.n_rows:
            parts.append(f"First {len(self.table):,} of {self.n_rows:,} rows.")
        if self.source:
            where = (f'<a href="{html.escape(self.source, quote=True)}">'
                     f"{html.escape(self.source)}</a>" if link else self.source)
            parts.append(f"Full table: {where}")
        return parts

    def _repr_html_(self) -> str:
        head = "".join(
            f'<th style="text-align:{"right" if c in self.numeric else "left"}">'
            f"{html.escape(str(c))}</th>" for c in self.table.columns)
        body = []
        for row in self.table.itertuples(index=False):
            cells = "".join(
                f'<td style="text-align:{"right" if c in self.numeric else "left"}">'
                f"{html.escape(str(v))}</td>" for c, v in zip(self.table.columns, row,
                                                              strict=True))
            body.append(f"<tr>{cells}</tr>")
        caption = (f'<p class="framing-table-caption">{html.escape(self.caption)}</p>'
                   if self.caption else "")
        note = self._notes(link=True)
        footer = f'<p class="framing-table-note">{" ".join(note)}</p>' if note else ""
        return (f'<div class="framing-table">{caption}<table><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>{footer}</div>')

    def __repr__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines += [self.table.to_string(index=False), *self._notes(link=False)]
        return "\n".join(lines)


def format_table(
    table: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    rows: str | Sequence[str] | None = None,
    across: str | None = None,
    values: str | None = None,
    decimals: int = 2,
    max_rows: int | None = 30,
    source: PathLike | None = None,
    caption: str | None = None,
) -> ReportTable:
    """Format a stage's table for a report: no index, ``decimals`` digits, intervals inline.

    A table with ``ci_low`` and ``ci_high`` shows them with the value they bound (the first of
    ``estimate``, ``difference``, ``alpha``, ``share``) as "0.42 [0.35, 0.49]"; the bound
    columns themselves are dropped. Counts get thousands separators, p-values three digits
    ("<0.001"), word lists are written out in full, and a missing value is "–".

    Parameters
    ----------
    table : DataFrame
        Any table; an index other than row numbers (frames, outlets) becomes columns.
    columns : sequence of str, optional
        The columns to show, in order (after the intervals are merged); by default all.
    labels : mapping, optional
        Headers for columns (by their names in ``table``); the default drops underscores and
        names counts in words ("n_passages" is "passages").
    rows, across : str, optional
        Pivot: one row per value of ``rows`` (a column, or several), one column per value of
        ``across``, in order of first appearance. Both or neither.
    values : str, optional
        The column shown in the cells of a pivot; by default the one with the interval
        (``estimate``, ...), with its interval.
    decimals : int, default=2
        Digits after the point for fractional numbers.
    max_rows : int or None, default=30
        Show at most this many rows and say how many there are; None for all.
    source : path, optional
        The CSV file holding the full table (from :func:`save_table`), linked under it.
    caption : str, optional
        A line above the table.

    Returns
    -------
    ReportTable
        Renders as an HTML table in Jupyter and in the report's HTML.

    Raises
    ------
    InputError
        Not a DataFrame, a named column missing, or only one of ``rows`` and ``across``.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "B"], "frame": ["skeptic"] * 2,
    ...     "estimate": [0.4213, 0.25], "ci_low": [0.3497, 0.2], "ci_high": [0.4911, 0.3],
    ...     "n_passages": [1200, 80]})
    >>> format_table(table)
    outlet   frame estimate [95% CI] passages
         A skeptic 0.42 [0.35, 0.49]    1,200
         B skeptic 0.25 [0.20, 0.30]       80
    >>> format_table(table, rows="outlet", across="frame")
    outlet           skeptic
         A 0.42 [0.35, 0.49]
         B 0.25 [0.20, 0.30]
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"format_table needs a pandas DataFrame; got {type(table).__name__}")
    if (rows is None) != (across is None):
        raise InputError("format_table: give both rows= and across= to pivot, or neither",
                         field="rows" if rows is None else "across")
    frame = table.copy()
    # Row numbers (of a filtered or sampled table too) are dropped; an index that says
    # something (frames, outlets) becomes a column.
    if (frame.index.nlevels == 1 and frame.index.name is None
            and pd.api.types.is_integer_dtype(frame.index.dtype)):
        frame = frame.reset_index(drop=True)
    else:
        frame = frame.reset_index()
    headers = {c: (labels or {}).get(str(c), _header(c)) for c in frame.columns}
    numeric = [c for c in frame.columns
               if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
                   frame[c])]
    value = next((c for c in INTERVAL_VALUES if c in frame.columns), None)
    has_interval = value is not None and {"ci_low", "ci_high"} <= set(frame.columns)
    signed = value == "difference"
    cells = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        if has_interval and column in ("ci_low", "ci_high"):
            continue
        if has_interval and column == value:
            cells[column] = [format_interval(v, lo, hi, decimals=decimals, signed=signed)
                             for v, lo, hi in zip(frame[value], frame["ci_low"],
                                                  frame["ci_high"], strict=True)]
            if labels is None or str(value) not in labels:
                headers[column] = f"{headers[column]} [95% CI]"
        elif str(column) == "p_value" or str(column).endswith("_p_value"):
            cells[column] = [_p_value(v) for v in frame[column]]
        elif str(column).startswith("n_") and column in numeric:
            cells[column] = [_cell(int(v), decimals) if not _missing(v) and float(v).is_integer()
                             else _cell(v, decimals) for v in frame[column]]
        else:
            cells[column] = [_cell(v, decimals) for v in frame[column]]
    if rows is not None and across is not None:
        keys = [rows] if isinstance(rows, str) else list(rows)
        shown = values if values is not None else (
            value if value is not None and value in cells.columns else None)
        for name in [*keys, across, shown]:
            if name is None:
                raise InputError("format_table: name the column to pivot with values=; the "
                                 f"table has no {', '.join(INTERVAL_VALUES)} column",
                                 field="values")
            if name not in cells.columns:
                raise InputError(f"format_table: no column {name!r} to pivot on; the table has "
                                 f"{', '.join(map(str, frame.columns))}", field=str(name))
        wide = cells.pivot(index=keys, columns=across, values=shown)
        order = cells[keys].drop_duplicates()
        index = (pd.Index(order[keys[0]], name=keys[0]) if len(keys) == 1
                 else pd.MultiIndex.from_frame(order))
        wide = wide.reindex(index=index, columns=pd.unique(cells[across]))
        wide = wide.fillna("–").reset_index()
        wide.columns = [*(headers.get(k, _header(k)) for k in keys),
                        *(str(c) for c in wide.columns[len(keys):])]
        right = [str(c) for c in wide.columns[len(keys):]] if (
            shown in numeric or (has_interval and shown == value)) else []
        return _finish(wide, right, max_rows, source, caption)
    if columns is not None:
        missing = [c for c in columns if c not in cells.columns]
        if missing:
            raise InputError(f"format_table: no column {missing[0]!r}; the table has "
                             f"{', '.join(map(str, cells.columns))}", field=str(missing[0]))
        cells = cells[list(columns)]
    right = [headers[c] for c in cells.columns if c in numeric or (has_interval and c == value)]
    cells.columns = [headers[c] for c in cells.columns]
    return _finish(cells, right, max_rows, source, caption)


def _finish(cells: pd.DataFrame, numeric: Sequence[str], max_rows: int | None,
            source: PathLike | None, caption: str | None) -> ReportTable:
    n_rows = len(cells)
    if max_rows is not None and n_rows > max_rows:
        cells = cells.head(max_rows)
    return ReportTable(cells.reset_index(drop=True), numeric=numeric, n_rows=n_rows,
                       source=None if source is None else _relative_link(source),
                       caption=caption)


class ReportFigure:
    """A chart embedded as an image, with a caption and links to its saved files.

    Made by :func:`show_figure`.
    """

    def __init__(self, png: bytes, *, width: int, height: int, files: Sequence[str],
                 caption: str | None, name: str) -> None:
        self.png = png
        self.width = width
        self.height = height
        self.files = list(files)
        self.caption = caption
        self.name = name

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.caption or self.name, quote=True)
        links = " · ".join(f'<a href="{html.escape(f, quote=True)}">'
                           f"{html.escape(Path(f).suffix.lstrip('.').upper())}</a>"
                           for f in self.files)
        caption = f"{html.escape(self.caption)} " if self.caption else ""
        return (f'<figure class="framing-figure" id="figure-{html.escape(self.name, quote=True)}">'
                f'<img src="data:image/png;base64,{data}" width="{self.width}" '
                f'height="{self.height}" alt="{alt}" '
                f'style="max-width:100%;height:auto">'
                f"<figcaption>{caption}<span class=\"framing-files\">Files: {links}"
                f"</span></figcaption></figure>")

    def __repr__(self) -> str:
        head = f"{self.caption}\n" if self.caption else ""
        return f"{head}figure {self.name}: {', '.join(self.files)}"


def show_figure(fig: Any, name: str, output_dir: PathLike, *, caption: str | None = None,
                scale: float = 1.25) -> ReportFigure:
    """Save a chart as PDF, SVG and PNG under ``<output_dir>/figures/`` and show it.

    The image shown is rendered at twice its display size (sharp on HiDPI screens) and
    embedded in the notebook, so the report's HTML needs no other file; the caption ends with
    links to the three saved files.

    Parameters
    ----------
    fig : matplotlib Figure
        A chart from :mod:`framing.viz` (or any figure).
    name : str
        The files' name without extension (``frame_prevalence_by_outlet``).
    output_dir : path
        The report's folder; files go in its ``figures/`` folder (replacing earlier ones).
    caption : str, optional
        What the figure shows, in a sentence or two: the report's caption (figures meant for a
        paper carry no title of their own).
    scale : float, default=1.25
        Display size as a multiple of the figure's size at 100 dpi (1.25: a two-column figure
        is 900 pixels wide).

    Returns
    -------
    ReportFigure
    """
    from matplotlib.figure import Figure

    from framing.viz import save_figure

    if not isinstance(fig, Figure):
        raise InputError(f"show_figure needs a matplotlib Figure; got {type(fig).__name__}")
    if not name or "/" in name or name.startswith("."):
        raise InputError(f"figure name {name!r} must be a plain file name", field="name")
    paths = save_figure(fig, Path(output_dir) / "figures" / name, force=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200 * scale, facecolor="white",
                metadata={"Software": None})
    png = buffer.getvalue()
    width, height = struct.unpack(">II", png[16:24])  # pixels, from the PNG header
    return ReportFigure(png, width=int(round(width / 2)), height=int(round(height / 2)),
                        files=[_relative_link(p) for p in paths], caption=caption, name=name)


class ReportNotes:
    """Warnings raised in a ``with`` block, kept as sentences for the report's text.

    A report should not show warnings as red stderr boxes with a file path: what they say goes
    in the text. Inside a Jupyter kernel, each warning raised in the block is shown at the end
    of the block as a Markdown note and kept in ``messages`` (for the summary); elsewhere the
    warnings are raised again as they were, so nothing is lost. A repeated message is kept
    once.

    Examples
    --------
    >>> notes = ReportNotes()
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     with notes:
    ...         warnings.warn("2 of 12 cells are thin", UserWarning, stacklevel=1)
    >>> notes.messages, [str(w.message) for w in seen]
    (['2 of 12 cells are thin.'], ['2 of 12 cells are thin'])

    Calling the notes names what the block computes:

    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     with notes("Monthly shares"):
    ...         warnings.warn("1 of 4 cells is thin", UserWarning, stacklevel=1)
    >>> notes.messages[-1]
    '(Monthly shares) 1 of 4 cells is thin.'
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._caught: list[warnings.WarningMessage] = []
        self._context: Any = None
        self._about: str | None = None

    def __call__(self, about: str) -> ReportNotes:
        """Say what the next block computes: its notes read "Note (about). ..."."""
        self._about = about
        return self

    def __enter__(self) -> ReportNotes:
        self._context = warnings.catch_warnings(record=True)
        self._caught = self._context.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._context.__exit__(kind, error, traceback)
        caught, self._caught, self._context = self._caught, [], None
        about, self._about = self._about, None
        new = []
        for item in caught:
            message = _sentence(" ".join(str(item.message).split()))
            if about:
                message = f"({about}) {message}"
            if message not in self.messages and message not in new:
                new.append(message)
        self.messages.extend(new)
        if not new:
            return
        if _in_kernel():
            from IPython.display import display

            display(ReportText(notes_markdown(new)))
        else:
            for item in caught:
                warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)

    def _repr_markdown_(self) -> str:
        return notes_markdown(self.messages)

    def __repr__(self) -> str:
        return f"ReportNotes({len(self.messages)} notes)"


def notes_markdown(messages: Sequence[str]) -> str:
    """Notes as a Markdown block quote, one paragraph each ("" when there are none)."""
    lines = []
    for message in messages:
        about = re.match(r"\((.+?)\) (.*)", message, flags=re.S)
        lead = f"**Note ({about.group(1)}).**" if about else "**Note.**"
        lines.append(f"> {lead} {about.group(2) if about else message}")
    return "\n>\n".join(lines)


def _sentence(message: str) -> str:
    text = message.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in shell.config
