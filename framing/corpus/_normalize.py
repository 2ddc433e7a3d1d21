"""Validate and normalize a batch of rows into the documents schema.

Each row ends up kept, dropped with a reason (a missing value, a date out of range, an empty
text), or reported as a bad row under the ``on_bad_rows`` policy (a value that is not what its
column means: an unparseable date, NUL bytes, a text too long to be an article).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.corpus._badrows import BadRowSink
from framing.corpus._dates import parse_dates
from framing.corpus._outlets import OutletAliases, domain_of
from framing.corpus._schema import CORE_COLUMNS, OPTIONAL_COLUMNS
from framing.corpus._text_clean import clean_field, clean_text, count_words

SHORT_TEXT_WORDS = 20
DROPPED_COLUMNS = (
    "source_file", "source_row", "doc_id", "outlet", "date", "title",
    "reason", "detail", "duplicate_of",
)


@dataclass(frozen=True)
class Normalization:
    """The validation settings of one import (all recorded in the manifest)."""

    min_words: int = 1
    max_text_chars: int = 1_000_000
    date_min: pd.Timestamp = pd.Timestamp("1800-01-01")
    date_max: pd.Timestamp = pd.Timestamp("2262-01-01")
    dayfirst: bool | None = None  # None: decided per source from its dates
    timezone: str = "UTC"
    outlet_from_url: bool = True


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


@dataclass
class NormalizeCounts:
    """Counts worth reporting that do not drop rows."""

    generated_doc_ids: int = 0
    outlets_from_url: int = 0
    repaired_texts: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def add(self, other: NormalizeCounts) -> None:
        """Add counts made elsewhere (in a worker process) to these."""
        self.generated_doc_ids += other.generated_doc_ids
        self.outlets_from_url += other.outlets_from_url
        self.repaired_texts += other.repaired_texts
        for key, value in other.extra.items():
            self.extra[key] = self.extra.get(key, 0) + value


def _dropped(frame: pd.DataFrame, mask: pd.Series, reason: str, detail: str) -> pd.DataFrame:
    rows = frame.loc[mask]
    out = pd.DataFrame(index=rows.index)
    for column in ("source_file", "source_row", "doc_id", "outlet", "title"):
        out[column] = rows[column] if column in rows else None
    out["date"] = rows["date"].astype(str) if "date" in rows else None
    out["reason"] = reason
    out["detail"] = detail
    out["duplicate_of"] = None
    return out


def _text_values(frame: pd.DataFrame, column: str, sink: BadRowSink) -> pd.Series:
    """A column as Python strings (None for missing); non-text values are bad rows."""
    values = frame[column]
    if isinstance(values.dtype, pd.StringDtype) or values.dtype == object or values.dtype == "str":
        kinds = values.map(lambda v: None if v is None or v is pd.NA or (
            isinstance(v, float) and np.isnan(v)) else type(v).__name__)
        wrong = kinds.notna() & (kinds != "str")
        if column in ("doc_id", "outlet"):
            # Integer ids (and outlet codes) are common; they read as text.
            wrong &= ~kinds.isin(["int", "float", "Decimal"])
        for position in values.index[wrong]:
            sink.report(f"expected text, found {kinds[position]} {values[position]!r:.40}",
                        row=int(frame.at[position, "source_row"]), field=column)
        values = values.where(~wrong)
    out = values.astype(object).where(values.notna(), None)
    if out.map(lambda v: isinstance(v, float)).any():
        out = out.map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else v)
    return out.map(lambda v: v if v is None or isinstance(v, str) else str(v))


def normalize_batch(
    frame: pd.DataFrame,
    *,
    source_file: str,
    settings: Normalization,
    aliases: OutletAliases,
    sink: BadRowSink,
    counts: NormalizeCounts,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(kept, dropped)`` for one batch. Bad rows go to ``sink`` (and are not in either).

    ``kept`` has the core columns in schema order, then the batch's metadata columns.
    """
    frame = frame.copy()
    frame["source_file"] = source_file
    for column in OPTIONAL_COLUMNS + ("doc_id", "outlet"):
        if column not in frame:
            frame[column] = None
    bad = pd.Series(False, index=frame.index)
    string_columns = ["doc_id", "outlet", "text", "title", "url", "author", "language"]
    for column in string_columns:
        before = len(sink.rows)
        frame[column] = _text_values(frame, column, sink)
        if len(sink.rows) > before:
            bad |= frame.index.isin(_rows_since(sink, before, frame))
    # NUL bytes and absurd lengths mean the file is not what it claims; report, do not guess.
    for column in [c for c in frame.columns if c not in ("source_row", "date")]:
        values = frame[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        has_nul = values.map(lambda v: isinstance(v, str) and "\x00" in v)
        for position in values.index[has_nul & ~bad]:
            sink.report("contains NUL bytes (binary data, or a wrong encoding such as UTF-16)",
                        row=int(frame.at[position, "source_row"]), field=column)
            bad.loc[position] = True
    lengths = frame["text"].map(lambda v: len(v) if isinstance(v, str) else 0)
    for position in frame.index[(lengths > settings.max_text_chars) & ~bad]:
        sink.report(
            f"has {lengths[position]:,} characters, more than max_text_chars="
            f"{settings.max_text_chars:,} (a runaway quote, or not an article?)",
            row=int(frame.at[position, "source_row"]), field="text",
        )
        bad.loc[position] = True

    parsed = parse_dates(frame["date"] if "date" in frame else pd.Series(None, index=frame.index),
                         dayfirst=bool(settings.dayfirst), timezone=settings.timezone)
    for position in frame.index[parsed.error.notna() & ~bad]:
        sink.report(str(parsed.error[position]), row=int(frame.at[position, "source_row"]),
                    field="date")
        bad.loc[position] = True
    frame = frame.loc[~bad]
    if frame.empty:
        return _empty_kept(frame), pd.DataFrame(columns=list(DROPPED_COLUMNS))
    raw_dates = frame["date"].copy() if "date" in frame else None
    frame["date"] = parsed.day.loc[frame.index]
    frame["published_at"] = parsed.instant.loc[frame.index]

    original = frame["text"]
    frame["text"] = original.map(lambda v: clean_text(v) if isinstance(v, str) else "")
    counts.repaired_texts += int((frame["text"] != original.fillna("").str.strip()).sum())
    for column in ("title", "author", "url", "language"):
        frame[column] = frame[column].map(
            lambda v: (clean_field(v) or None) if isinstance(v, str) else None
        )
    words = frame["text"].map(count_words)

    outlet = frame["outlet"].map(lambda v: v.strip() if isinstance(v, str) else None)
    outlet = outlet.where(outlet.fillna("").astype(bool), None)
    if settings.outlet_from_url:
        from_url = outlet.isna() & frame["url"].notna()
        outlet.loc[from_url] = frame.loc[from_url, "url"].map(domain_of)
        counts.outlets_from_url += int(outlet.loc[from_url].notna().sum())
    frame["outlet"] = aliases.resolve(outlet)

    dropped = []
    rules = [
        (frame["text"] == "", "empty_text", "the text is empty"),
        # Emoji, symbols or punctuation alone: no words to compare, so every such text would
        # look like every other to the near-duplicate check (similarity 1.00).
        (~frame["text"].map(_has_letters), "no_letters",
         "the text has no letters (emoji, symbols, digits or punctuation only)"),
        (words < settings.min_words, "too_short",
         f"fewer than min_words={settings.min_words} words"),
        (frame["outlet"].isna(), "missing_outlet", "no outlet (and no url to take one from)"),
        (parsed.missing.loc[frame.index], "missing_date", "no date"),
        (parsed.out_of_range.loc[frame.index] | (frame["date"] < settings.date_min)
         | (frame["date"] > settings.date_max), "implausible_date",
         f"date outside {settings.date_min.date()} .. {settings.date_max.date()}"),
    ]
    keep = pd.Series(True, index=frame.index)
    for mask, reason, detail in rules:
        mask = mask.fillna(False).astype(bool) & keep
        if mask.any():
            shown = frame.copy()
            if raw_dates is not None:
                shown["date"] = raw_dates
            dropped.append(_dropped(shown, mask, reason, detail))
            keep &= ~mask
    frame = frame.loc[keep]

    missing_id = frame["doc_id"].map(lambda v: not isinstance(v, str) or not v.strip())
    if missing_id.any():
        frame.loc[missing_id, "doc_id"] = frame.loc[missing_id].apply(_content_id, axis=1)
        counts.generated_doc_ids += int(missing_id.sum())
    frame["doc_id"] = frame["doc_id"].map(str.strip)
    frame["duplicate_group"] = None  # filled in when the whole import has been seen
    metadata = [c for c in frame.columns if c not in CORE_COLUMNS]
    kept = frame[list(CORE_COLUMNS) + metadata]
    dropped_frame = (pd.concat(dropped) if dropped
                     else pd.DataFrame(columns=list(DROPPED_COLUMNS)))
    return kept, dropped_frame


def _rows_since(sink: BadRowSink, start: int, frame: pd.DataFrame) -> list:
    rows = {r.source_row for r in sink.rows[start:]}
    return list(frame.index[frame["source_row"].isin(rows)])


def _content_id(row: pd.Series) -> str:
    """A stable id from what the document says: the same article always gets the same id."""
    parts = [str(row["outlet"]), str(row["date"].date()), row["title"] or "", row["text"]]
    return "auto-" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def _empty_kept(frame: pd.DataFrame) -> pd.DataFrame:
    metadata = [c for c in frame.columns if c not in CORE_COLUMNS]
    out = frame.iloc[0:0].copy()
    for column in CORE_COLUMNS:
        if column not in out:
            out[column] = pd.Series(dtype=object)
    return out[list(CORE_COLUMNS) + metadata]
