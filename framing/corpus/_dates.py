"""Dates in any common form to a UTC day, keeping the time of day in UTC when one was given."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dateutil import parser as dateutil_parser
from dateutil import tz

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_HAS_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_TZINFOS = {
    name: tz.tzoffset(name, hours * 3600)
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
        "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
        "PST": -8, "PDT": -7,
    }.items()
}
# Two defaults that differ in every field: a component missing from the string shows up as a
# difference between the two parses.
_DEFAULT_A = dt.datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = dt.datetime(2001, 2, 2, 1, 1, 1)
_MIN_YEAR, _MAX_YEAR = 1678, 2261  # what datetime64[ns] can hold
_OUT_OF_RANGE = "out of range"


@dataclass
class ParsedDates:
    """Per row: the UTC day, the UTC instant when a time was given, and why a value failed."""

    day: pd.Series  # datetime64[ns], midnight, no zone
    instant: pd.Series  # datetime64[ns, UTC], NaT when the source gave a day only
    error: pd.Series  # None, or the reason the value could not be read as a date
    missing: pd.Series  # bool: no value at all
    out_of_range: pd.Series  # bool: a real date, but outside what can be stored (years 1678-2261)


def parse_dates(values: pd.Series, *, dayfirst: bool = False, timezone: str = "UTC") -> ParsedDates:
    """Parse a column of dates of any common form.

    ISO 8601 is parsed vectorized; anything else (``Aug 15, 2025``, ``15/08/2025`` with
    ``dayfirst=True``, RFC 2822) by dateutil once per distinct value. A value with a time and
    an offset is converted to UTC; a time without offset is read in ``timezone``. A value with
    a day only keeps that day, with no time.

    Examples
    --------
    >>> parsed = parse_dates(pd.Series(["2025-08-15", "2025-08-15T23:30:00-05:00", "Aug 3, 2025"]))
    >>> [str(d.date()) for d in parsed.day]
    ['2025-08-15', '2025-08-16', '2025-08-03']
    >>> parse_dates(pd.Series(["2025-02-30"])).error.tolist()
    ["cannot parse '2025-02-30' as a date (day is out of range for month)"]
    """
    index = values.index
    day = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    instant = pd.Series(pd.NaT, index=index, dtype="datetime64[ns, UTC]")
    error = pd.Series([None] * len(index), index=index, dtype=object)
    out_of_range = pd.Series(False, index=index, dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        missing = values.isna()
        out_of_range = _beyond_ns(values)
        usable = values.where(~out_of_range)
        if usable.dt.tz is None:
            usable = usable.astype("datetime64[ns]")
        else:
            usable = usable.astype("datetime64[ns, UTC]")
        _from_timestamps(usable, day, instant, timezone)
        return ParsedDates(day, instant, error, missing, out_of_range)

    text = values.map(_as_text)
    missing = text.isna()
    present = text[~missing]
    is_day = present.str.match(_ISO_DAY)
    iso_days = present[is_day]
    parsed = pd.to_datetime(iso_days, format="%Y-%m-%d", errors="coerce")
    too_far = _beyond_ns(parsed)
    out_of_range.loc[too_far[too_far].index] = True
    day.loc[iso_days.index] = parsed.where(~too_far).astype("datetime64[ns]")
    rest = present[~is_day]
    is_iso = rest.str.match(_ISO_TIME)
    iso = rest[is_iso]
    if len(iso):
        # UTC offsets run from -12:00 to +14:00; pandas reads +25:00 without a word.
        offsets = iso.str.extract(r"([+-])(\d{2}):?(\d{2})$")
        impossible = (offsets[1].astype(float) > 14) | (offsets[2].astype(float) > 59)
        for position in impossible[impossible].index:
            error.loc[position] = (f"cannot parse {iso[position]!r} as a date (the UTC offset is "
                                   "not a real one: offsets run from -12:00 to +14:00)")
        iso = iso[~impossible]
        aware = iso.str.contains(_HAS_OFFSET)
        stamps = pd.Series(pd.NaT, index=iso.index, dtype="datetime64[ns, UTC]")
        if aware.any():
            parsed = pd.to_datetime(iso[aware], format="ISO8601", utc=True, errors="coerce")
            too_far = _beyond_ns(parsed)
            out_of_range.loc[too_far[too_far].index] = True
            stamps.loc[aware[aware].index] = parsed.where(~too_far).astype("datetime64[ns, UTC]")
        if (~aware).any():
            naive = pd.to_datetime(iso[~aware], format="ISO8601", errors="coerce")
            too_far = _beyond_ns(naive)
            out_of_range.loc[too_far[too_far].index] = True
            naive = naive.where(~too_far).astype("datetime64[ns]")
            stamps.loc[aware[~aware].index] = (
                naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
                .dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
            )
        instant.loc[iso.index] = stamps
        day.loc[iso.index] = stamps.dt.tz_localize(None).dt.floor("D")
    # Anything ISO that failed (2025-02-30), and every other form: dateutil, once per value.
    retry = present[day.loc[present.index].isna() & ~out_of_range.loc[present.index]
                    & error.loc[present.index].isna()]
    cache: dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None, str | None]] = {}
    for position, value in retry.items():
        if value not in cache:
            cache[value] = _parse_one(value, dayfirst=dayfirst, timezone=timezone)
        one_day, one_instant, one_error = cache[value]
        if one_error == _OUT_OF_RANGE:
            out_of_range.loc[position] = True
        elif one_error is not None:
            error.loc[position] = one_error
        else:
            day.loc[position] = one_day
            if one_instant is not None:
                instant.loc[position] = one_instant
    return ParsedDates(day, instant, error, missing, out_of_range)


def _beyond_ns(stamps: pd.Series) -> pd.Series:
    years = stamps.dt.year
    return ((years < _MIN_YEAR) | (years > _MAX_YEAR)).fillna(False).astype(bool)


def _as_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _parse_one(
    value: str, *, dayfirst: bool, timezone: str
) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil warns on unknown zone names; we refuse them
            first = dateutil_parser.parse(value, default=_DEFAULT_A, dayfirst=dayfirst,
                                          tzinfos=_TZINFOS)
            second = dateutil_parser.parse(value, default=_DEFAULT_B, dayfirst=dayfirst,
                                           tzinfos=_TZINFOS)
    except (ValueError, OverflowError) as exc:
        reason = str(exc).split(":")[0]
        detail = f" ({reason})" if "Unknown string format" not in reason else ""
        return None, None, f"cannot parse {value!r} as a date{detail}"
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None, None, f"cannot parse {value!r} as a date (it lacks a year, month or day)"
    if not _MIN_YEAR <= first.year <= _MAX_YEAR:
        return None, None, _OUT_OF_RANGE
    has_time = (first.hour, first.minute) == (second.hour, second.minute)
    if not has_time:
        return pd.Timestamp(first.date()), None, None
    stamp = pd.Timestamp(first)
    if stamp.tzinfo is None:
        try:
            stamp = stamp.tz_localize(timezone)
        except (ValueError, TypeError) as exc:  # a non-existent or ambiguous local time
            return None, None, f"cannot place {value!r} in time zone {timezone} ({exc})"
    stamp = stamp.tz_convert("UTC")
    return stamp.tz_localize(None).floor("D"), stamp, None


def _from_timestamps(values: pd.Series, day: pd.Series, instant: pd.Series, timezone: str) -> None:
    stamps = values
    if getattr(stamps.dt, "tz", None) is None:
        local = stamps
        stamps = stamps.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    else:
        local = stamps.dt.tz_localize(None)
    utc = stamps.dt.tz_convert("UTC")
    has_time = local.notna() & (local != local.dt.normalize())
    day.loc[:] = local.dt.normalize().astype("datetime64[ns]")
    day.loc[has_time] = utc[has_time].dt.tz_localize(None).dt.floor("D").astype("datetime64[ns]")
    instant.loc[has_time] = utc[has_time].astype("datetime64[ns, UTC]")


# A numeric day and month in either order, then a year: 06.11.2024, 6/11/24, 13-05-2025 10:00.
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?:\D|$)")


@dataclass
class DateOrders:
    """How the numeric dates of a column can be read (counts of distinct rows).

    ``dayfirst_only``: the first number is above 12 (``13/05/2025``); ``monthfirst_only``: the
    second is (``05/13/2025``); ``ambiguous``: both readings are real dates and differ
    (``06/11/2024``). The first of each kind is kept as an example.
    """

    dayfirst_only: int = 0
    monthfirst_only: int = 0
    ambiguous: int = 0
    examples: dict[str, str] | None = None

    def add(self, values: pd.Series) -> None:
        """Count the numeric dates among ``values`` (any other value is left alone)."""
        examples = self.examples if self.examples is not None else {}
        found = values.dropna().astype(str).str.extract(_NUMERIC_DATE)
        found = found.dropna()
        if found.empty:
            self.examples = examples
            return
        first, second = found[0].astype(int), found[1].astype(int)
        kinds = {
            "dayfirst_only": (first > 12) & (first <= 31) & (second >= 1) & (second <= 12),
            "monthfirst_only": (second > 12) & (second <= 31) & (first >= 1) & (first <= 12),
            "ambiguous": (first >= 1) & (first <= 12) & (second >= 1) & (second <= 12)
            & (first != second),
        }
        for kind, mask in kinds.items():
            setattr(self, kind, getattr(self, kind) + int(mask.sum()))
            if mask.any() and kind not in examples:
                examples[kind] = str(values.loc[mask[mask].index[0]]).strip()
        self.examples = examples

    def choose(self, forced: bool | None) -> tuple[bool, str | None]:
        """The reading (``dayfirst``) and a note saying how the column was read (None: no
        numeric date whose reading matters).

        Forced by the caller, that reading; else day-first when more rows can only be read
        day-first than only month-first, and month-first (dateutil's default) otherwise.

        Examples
        --------
        >>> orders = DateOrders()
        >>> orders.add(pd.Series(["13.05.2025", "06.11.2024", "2025-01-02"]))
        >>> orders.choose(None)[0]
        True
        >>> print(orders.choose(None)[1])  # doctest: +NORMALIZE_WHITESPACE
        dates read day-first (DD/MM/YYYY): 1 can only be day-first (e.g. '13.05.2025'), so the
        1 that fit both readings (e.g. '06.11.2024') were read day-first too; pass --monthfirst
        (dayfirst=False in Python) to read them month-first
        """
        examples = self.examples or {}

        def example(kind: str) -> str:
            return f" (e.g. {examples[kind]!r})" if kind in examples else ""

        if forced is not None:
            dayfirst = forced
        else:
            dayfirst = self.dayfirst_only > self.monthfirst_only
        if not self.ambiguous:
            return dayfirst, None
        reading = "day-first (DD/MM/YYYY)" if dayfirst else "month-first (MM/DD/YYYY)"
        both = f"{self.ambiguous:,} that fit both readings{example('ambiguous')}"
        other = ("pass --monthfirst (dayfirst=False in Python) to read them month-first"
                 if dayfirst else
                 "pass --dayfirst (dayfirst=True in Python) to read them day-first")
        if forced is not None:
            flag = "--dayfirst" if forced else "--monthfirst"
            return dayfirst, f"dates read {reading} as asked ({flag}): {both}"
        evidence = []
        if self.dayfirst_only:
            evidence.append(f"{self.dayfirst_only:,} can only be day-first"
                            f"{example('dayfirst_only')}")
        if self.monthfirst_only:
            evidence.append(f"{self.monthfirst_only:,} can only be month-first"
                            f"{example('monthfirst_only')}")
        if not evidence:
            return dayfirst, (f"dates read {reading}: all {both} and none settles the order; "
                              f"{other}")
        return dayfirst, (f"dates read {reading}: " + " and ".join(evidence)
                          + f", so the {both} were read {reading.split()[0]} too; {other}")
