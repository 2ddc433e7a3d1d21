"""Checks on the tables the charts take, and small helpers shared by the charts.

A chart says which columns it needs; a table without one raises :class:`InputError` naming the
chart and the column, before matplotlib sees anything.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure

from framing.corpus import InputError
from framing.viz._figure import ChartFigure

# A prevalence table names what it measures in one of these columns.
MEASURE_COLUMNS = ("frame", "topic", "measure")
# ... and its time in one of these.
TIME_COLUMNS = ("period", "month", "date", "week", "year")


def require_table(table: Any, chart: str, columns: Sequence[str], *,
                  index_column: str | None = None) -> pd.DataFrame:
    """``table`` as a DataFrame with ``columns``, or raise :class:`InputError` naming the first
    missing column.

    A named index becomes a column. With ``index_column``, an unnamed index that is not a plain
    row number stands for that column (``cross_validate_frames`` returns its scores indexed by
    frame without naming the index).
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{chart} needs a pandas DataFrame; got {type(table).__name__}")
    table = table.copy()
    if table.index.name is not None and table.index.name not in table.columns:
        table = table.reset_index()
    elif (index_column is not None and index_column not in table.columns
          and table.index.name is None and not isinstance(table.index, pd.RangeIndex)
          and table.index.nlevels == 1):
        table = table.rename_axis(index_column).reset_index()
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(
            f"{chart} needs a column {missing[0]!r} (it needs {', '.join(columns)}); "
            f"the table has {', '.join(map(str, table.columns)) or 'no columns'}",
            field=missing[0])
    if table.empty:
        raise InputError(f"{chart} got an empty table")
    return table


def pick_column(table: pd.DataFrame, chart: str, given: str | None,
                candidates: Sequence[str], what: str) -> str:
    """The column the caller named, or the first of ``candidates`` the table has."""
    if given is not None:
        if given not in table.columns:
            raise InputError(f"{chart}: no {what} column {given!r} in the table", field=given)
        return given
    for name in candidates:
        if name in table.columns:
            return name
    raise InputError(f"{chart} needs a {what} column: one of {', '.join(candidates)} "
                     f"(or name it with the {what}= argument); the table has "
                     f"{', '.join(map(str, table.columns))}", field=candidates[0])


def numeric(table: pd.DataFrame, chart: str, columns: Iterable[str], *,
            allow_missing: bool = False) -> pd.DataFrame:
    """Convert ``columns`` to float; a value that is not a number raises, naming its row."""
    for column in columns:
        values = pd.to_numeric(table[column], errors="coerce")
        bad = values.isna() & (table[column].notna() | (not allow_missing))
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            value = plain_value(table[column].iloc[position])
            raise InputError(f"{value!r} is not a number ({chart})",
                             row=position + 1, field=column)
        table[column] = values.astype(float)
    return table


def require_unique(table: pd.DataFrame, chart: str, keys: Sequence[str], hint: str) -> None:
    """Refuse several rows for one combination of ``keys`` (they would be drawn on top)."""
    repeated = table.duplicated(list(keys), keep=False)
    if repeated.any():
        position = int(np.flatnonzero(repeated.to_numpy())[0])
        where = ", ".join(f"{k}={table[k].iloc[position]!r}" for k in keys)
        raise InputError(f"{chart} expects one row per {' and '.join(keys)}; several rows have "
                         f"{where}. {hint}", row=position + 1)


def in_order(values: pd.Series, order: Sequence[Any] | None, chart: str, what: str) -> list[Any]:
    """The distinct values in first-appearance order, or ``order`` (checked against them)."""
    present = list(pd.unique(values))
    if order is None:
        return present
    unknown = [v for v in order if v not in set(present)]
    if unknown:
        raise InputError(f"{chart}: {what} {unknown[0]!r} in the order is not in the table "
                         f"(it has {', '.join(map(str, present))})", field=what)
    return list(order)


def parse_periods(values: pd.Series, chart: str, column: str) -> pd.Series:
    """Time values (Period, Timestamp, or strings like "2025-08") as the middle of each period.

    A monthly estimate covers the whole month, so it is drawn at mid-month; an event on
    15 August then falls where it happened relative to the July, August and September points.
    """
    if isinstance(values.dtype, pd.PeriodDtype):
        periods = values
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pd.to_datetime(values)
    else:
        parsed = []
        for position, value in enumerate(values):
            if isinstance(value, pd.Timestamp):
                parsed.append(value)
                continue
            try:
                parsed.append(value if isinstance(value, pd.Period) else pd.Period(str(value)))
            except (ValueError, TypeError) as exc:
                raise InputError(f"{chart}: cannot read {value!r} as a period or date "
                                 f"(expected e.g. 2025-08 or 2025-08-15)", row=position + 1,
                                 field=column) from exc
        if all(isinstance(p, pd.Timestamp) for p in parsed):
            return pd.Series(pd.to_datetime(parsed), index=values.index)
        if any(isinstance(p, pd.Timestamp) for p in parsed):
            raise InputError(f"{chart}: column mixes periods and timestamps", field=column)
        periods = pd.Series(parsed, index=values.index, dtype=object)
    starts = pd.to_datetime([p.start_time for p in periods])
    ends = pd.to_datetime([p.end_time for p in periods])
    middles = starts + (ends - starts) / 2
    return pd.Series(middles.floor("D"), index=values.index)


def wrap(label: Any, width: int = 22) -> str:
    """A label broken onto lines of at most ``width`` characters (long outlet names)."""
    return "\n".join(textwrap.wrap(str(label), width=width, break_long_words=False)) or str(label)


def new_figure(figsize: tuple[float, float]) -> tuple[Figure, SubFigure]:
    """A figure outside pyplot (nothing global to leak or close) with an Agg canvas.

    It is a :class:`~framing.viz._figure.ChartFigure`, so Jupyter draws it without any magic.

    The panels go in ``body``, a subfigure, with their shared axis labels; the title and the
    legend go on the figure itself. Constrained layout gives a figure-level legend and a
    figure-level x label the same bottom margin (they would overlap); one level apart, each
    gets its own.
    """
    fig = ChartFigure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    body = fig.subfigures(1, 1)
    return fig, body


def grid_shape(n_panels: int, n_columns: int) -> tuple[int, int]:
    """Rows and columns of a small-multiples grid."""
    n_columns = max(1, min(n_columns, n_panels))
    return int(np.ceil(n_panels / n_columns)), n_columns


def hide_unused(axes: np.ndarray, n_used: int) -> None:
    """Hide the empty panels at the end of a grid."""
    for ax in axes.flat[n_used:]:
        ax.set_visible(False)


def plain_value(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (for messages: 69.0, not np.float64(69.0))."""
    return value.item() if isinstance(value, np.generic) else value
