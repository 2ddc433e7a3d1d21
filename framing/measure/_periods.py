"""Periods of time for grouping: calendar units or the researcher's own breakpoints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Union

import numpy as np
import pandas as pd

from framing.corpus import InputError

CalendarUnit = Literal["day", "week", "month", "quarter", "year"]
PeriodSpec = Union[CalendarUnit, Mapping[str, Any], Sequence[Any]]  # noqa: UP007 - runtime alias

_OPEN = pd.Timestamp("1677-09-22")  # the earliest datetime64[ns] day: an open first period
_FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def parse_dates(values: pd.Series, *, field: str = "date") -> pd.Series:
    """Dates as tz-naive UTC days (``datetime64[ns]``); an unreadable or missing one is an error.

    Examples
    --------
    >>> days = parse_dates(pd.Series(["2025-08-15", "2025-08-15T23:30:00-04:00"]))
    >>> days.dt.strftime("%Y-%m-%d").tolist()
    ['2025-08-15', '2025-08-16']
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values
    else:
        parsed = pd.to_datetime(values.astype("string"), errors="coerce", utc=True, format="mixed")
        parsed = parsed.dt.tz_localize(None)
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"cannot read {values.iloc[row]!r} as a date (expected YYYY-MM-DD); "
                         f"{int(bad.sum())} rows have no usable date", row=row + 1, field=field)
    return parsed.dt.normalize().astype("datetime64[ns]")


def assign_periods(dates: pd.Series, period: PeriodSpec = "month") -> pd.DataFrame:
    """Label every date with its period, and list every period of the span (empty ones too).

    Parameters
    ----------
    dates : Series
        Dates (strings or datetimes), one per row.
    period : {"day", "week", "month", "quarter", "year"}, mapping or sequence, default="month"
        A calendar unit (weeks run Monday to Sunday and are labelled by their Monday), or
        breakpoints: a mapping ``{label: start}`` where each period starts on its date and runs
        to the next one's (the first start may be ``None``: from the beginning of time), or a
        sequence of dates, each starting a new period, labelled ``"..YYYY-MM-DD"`` (up to the day
        before), ``"YYYY-MM-DD..YYYY-MM-DD"`` and ``"YYYY-MM-DD.."``.

    Returns
    -------
    DataFrame
        ``period`` (an ordered categorical whose categories are all periods from the first date
        to the last, in time order) and ``period_start`` (the first day, or NaT for an open
        start), with the input's index.

    Raises
    ------
    InputError
        An unreadable date, an unknown unit, or breakpoints that are not increasing dates.

    Examples
    --------
    >>> dates = pd.Series(["2025-08-01", "2025-08-20", "2025-10-02"])
    >>> assign_periods(dates, "month")["period"].cat.categories.tolist()
    ['2025-08', '2025-09', '2025-10']
    >>> assign_periods(dates, {"before Alaska": None, "after": "2025-08-15"})["period"].tolist()
    ['before Alaska', 'after', 'after']
    """
    days = parse_dates(pd.Series(dates))
    if isinstance(period, str):
        return _calendar(days, period)
    labels, starts = _breakpoints(period)
    position = np.searchsorted(starts.to_numpy(dtype="datetime64[ns]"), days.to_numpy(),
                               side="right") - 1
    if (position < 0).any():
        row = int(np.flatnonzero(position < 0)[0])
        raise InputError(f"the date {days.iloc[row]:%Y-%m-%d} falls before the first period "
                         f"({labels[0]!r} starts {starts[0]:%Y-%m-%d}); give the first "
                         "period a start of None", row=row + 1, field="date")
    codes = position.astype(int)
    out = pd.DataFrame(index=days.index)
    out["period"] = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
    out["period_start"] = starts[codes].to_numpy()
    out.loc[out["period_start"] == _OPEN, "period_start"] = pd.NaT
    return out


def _calendar(days: pd.Series, unit: str) -> pd.DataFrame:
    if unit not in _FREQUENCIES:
        raise InputError(f"The 'period' parameter must be one of 'day', 'week', 'month', "
                         f"'quarter', 'year', or breakpoints. Got {unit!r} instead.",
                         field="period")
    spans = days.dt.to_period(_FREQUENCIES[unit])
    out = pd.DataFrame(index=days.index)
    if len(days) == 0:
        out["period"] = pd.Categorical([], categories=[], ordered=True)
        out["period_start"] = pd.Series([], dtype="datetime64[ns]")
        return out
    every = pd.period_range(spans.min(), spans.max(), freq=_FREQUENCIES[unit])
    names = [_period_name(p, unit) for p in every]
    codes = every.get_indexer(pd.PeriodIndex(spans))
    out["period"] = pd.Categorical.from_codes(codes, categories=names, ordered=True)
    out["period_start"] = every.start_time[codes].to_numpy()
    return out


def _period_name(span: pd.Period, unit: str) -> str:
    start = span.start_time
    if unit in ("day", "week"):
        return f"{start:%Y-%m-%d}"
    if unit == "month":
        return f"{start:%Y-%m}"
    if unit == "quarter":
        return f"{start.year}Q{span.quarter}"
    return f"{start.year}"


def _breakpoints(period: Mapping[str, Any] | Sequence[Any]) -> tuple[list[str], pd.Series]:
    """Labels and start days of user-defined periods (the first start may be -inf)."""
    if isinstance(period, Mapping):
        labels = [str(label) for label in period]
        raw = list(period.values())
    elif isinstance(period, Sequence) and len(period) > 0:
        raw = [None, *period]
        labels = []
    else:
        raise InputError("The 'period' parameter must be a calendar unit, a mapping "
                         f"{{label: start date}} or a list of dates. Got {period!r} instead.",
                         field="period")
    starts = []
    for k, value in enumerate(raw):
        if value is None and k == 0:
            starts.append(_OPEN)
            continue
        stamp = pd.to_datetime(value, errors="coerce") if value is not None else pd.NaT
        if pd.isna(stamp):
            raise InputError(f"cannot read the period start {value!r} as a date (only the "
                             "first period may start at None)", field="period")
        starts.append(pd.Timestamp(stamp).tz_localize(None).normalize()
                      if pd.Timestamp(stamp).tzinfo else pd.Timestamp(stamp).normalize())
    if any(b <= a for a, b in zip(starts, starts[1:], strict=False)):
        raise InputError("period starts must be increasing dates; got "
                         + ", ".join("open" if k == 0 and raw[0] is None else f"{s:%Y-%m-%d}"
                                     for k, s in enumerate(starts)), field="period")
    if not labels:
        bounds = [f"{s:%Y-%m-%d}" for s in starts[1:]]
        ends = [f"{s - pd.Timedelta(days=1):%Y-%m-%d}" for s in starts[1:]]
        labels = [f"..{ends[0]}"]
        labels += [f"{bounds[k]}..{ends[k + 1]}" for k in range(len(bounds) - 1)]
        labels.append(f"{bounds[-1]}..")
    if len(set(labels)) != len(labels):
        raise InputError(f"period labels must be distinct; got {labels}", field="period")
    return labels, pd.Series(starts, dtype="datetime64[ns]")


def period_starts(period: PeriodSpec, labels: list[str]) -> dict[str, pd.Timestamp]:
    """The first day of each period label (NaT for an open first period).

    Examples
    --------
    >>> period_starts("quarter", ["2025Q3"])
    {'2025Q3': Timestamp('2025-07-01 00:00:00')}
    """
    if isinstance(period, str):
        frequency = _FREQUENCIES[period]
        return {label: pd.Period(label, freq=frequency).start_time for label in labels}
    declared, starts = _breakpoints(period)
    return {label: (pd.NaT if start == _OPEN else start)
            for label, start in zip(declared, starts, strict=True) if label in labels}


def missing_group_column(table_name: str, key: str, columns: Sequence[str]) -> InputError:
    """The error for a ``by`` key the table lacks, listing the columns it could group by.

    Examples
    --------
    >>> str(missing_group_column("passage_frames", "outlt", ["outlet", "date", "p_x"]))
    "field 'outlt': passage_frames has no 'outlt' column to group by; its columns are outlet, \
date, p_x (and 'period', made from 'date')"
    """
    has_date = "date" in columns and "period" not in columns
    return InputError(f"{table_name} has no {key!r} column to group by; its columns are "
                      f"{', '.join(map(str, columns))}"
                      + (" (and 'period', made from 'date')" if has_date else ""), field=key)
