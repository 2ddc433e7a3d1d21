"""Map a source's columns onto the documents schema; keep every other column as user metadata."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from framing.corpus._errors import InputError
from framing.corpus._schema import (
    COLUMN_SYNONYMS,
    OPTIONAL_COLUMNS,
    PASSAGE_COLUMNS,
    PASSAGE_REQUIRED,
    PASSAGE_SYNONYMS,
    REQUIRED_COLUMNS,
    RESERVED_COLUMNS,
    SYSTEM_COLUMNS,
)

ColumnMap = Mapping[str, str]
TableKind = Literal["documents", "passages"]
_MAPPABLE = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Per table kind: our columns, those a source must have, and the other names they go by.
_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], Mapping[str, tuple[str, ...]]]] = {
    "documents": (_MAPPABLE, REQUIRED_COLUMNS, COLUMN_SYNONYMS),
    "passages": (PASSAGE_COLUMNS, PASSAGE_REQUIRED, PASSAGE_SYNONYMS),
}


def parse_column_map(spec: str | ColumnMap | None, *,
                     table: TableKind = "documents") -> dict[str, str]:
    """Read a column map given as ``"text=body,outlet=media_name"`` or as a dict.

    Keys are our column names, values the source's. ``table="passages"`` also lets
    ``passage_id`` be mapped.

    Examples
    --------
    >>> parse_column_map("text=body, outlet=media_name")
    {'text': 'body', 'outlet': 'media_name'}
    >>> parse_column_map("titel=headline")
    Traceback (most recent call last):
    ...
    framing.corpus._errors.InputError: column map names 'titel', ... one of doc_id, outlet, ...
    """
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        pairs = list(spec.items())
    else:
        pairs = []
        for item in str(spec).split(","):
            if not item.strip():
                continue
            ours, sep, theirs = item.partition("=")
            if not sep or not ours.strip() or not theirs.strip():
                raise InputError(
                    f"column map entry {item.strip()!r} is not of the form ours=theirs "
                    "(for example text=body)"
                )
            pairs.append((ours, theirs))
    mapping: dict[str, str] = {}
    for ours, theirs in pairs:
        ours, theirs = str(ours).strip(), str(theirs).strip()
        if ours in mapping:
            raise InputError(f"column map names {ours!r} twice")
        if (ours in SYSTEM_COLUMNS or ours in RESERVED_COLUMNS) and ours not in _TABLES[table][0]:
            raise InputError(f"column map targets {ours!r}, a name framing reserves for itself")
        if ours not in _TABLES[table][0]:
            raise InputError(f"column map names {ours!r}, which is not one of our columns; "
                             f"map one of {', '.join(_TABLES[table][0])} (ours=theirs, for "
                             "example text=body); other columns are kept as they are")
        mapping[ours] = theirs
    return mapping


@dataclass
class ColumnPlan:
    """How a source's columns become ours: ``(target, source)`` pairs in output order."""

    pairs: list[tuple[str, str]]
    inferred: dict[str, str] = field(default_factory=dict)
    renamed_metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    ours: tuple[str, ...] = _MAPPABLE

    @property
    def metadata_columns(self) -> list[str]:
        return [t for t, _ in self.pairs if t not in self.ours]

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return a new frame with our column names; ``source_row`` is carried over."""
        data = {target: frame[source] for target, source in self.pairs if source in frame}
        out = pd.DataFrame(data, index=frame.index)
        if "source_row" in frame:
            out["source_row"] = frame["source_row"]
        return out

    def source_of(self, target: str) -> str | None:
        return next((s for t, s in self.pairs if t == target), None)


def plan_columns(
    columns: Sequence[str],
    column_map: ColumnMap | None,
    *,
    path: Path | str,
    text_fallback: str | None = None,
    table: TableKind = "documents",
    required: Sequence[str] | None = None,
) -> ColumnPlan:
    """Decide which source column feeds each of our columns.

    Explicit map first; then a column already bearing our name (case-insensitive); then a single
    unambiguous synonym (``body`` for ``text``, ``media_name`` for ``outlet``...). Every other
    column is kept as user metadata under its own name. ``text_fallback`` names a column to use
    as text when none is found (Media Cloud story lists carry headlines only). ``table`` says
    which table the source feeds: ``"documents"`` (``doc_id``, ``outlet``, ``date`` and
    ``text`` required) or ``"passages"`` (``passage_id`` is ours, only ``text`` is required,
    and a bare ``id`` names the passage); ``required`` overrides the table's required columns.
    """
    ours_columns, default_required, synonyms = _TABLES[table]
    required = tuple(default_required if required is None else required)
    columns = [str(c).strip() for c in columns]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise InputError("column name appears twice in the header", path=path, field=name)
        seen.add(name)
    mapping = dict(column_map or {})
    lower = {c.lower(): c for c in reversed(columns)}
    plan = ColumnPlan(pairs=[], ours=ours_columns)
    for ours, theirs in mapping.items():
        if theirs not in seen:
            raise InputError(
                f"column {theirs!r} (mapped to {ours!r}) is not in the file; its columns are "
                + ", ".join(repr(c) for c in columns),
                path=path,
                field=theirs,
            )
    used_sources = set(mapping.values())
    for ours in ours_columns:
        if ours in mapping:
            continue
        if ours in seen and ours not in used_sources:
            mapping[ours] = ours
        elif ours.lower() in lower and lower[ours.lower()] not in used_sources:
            mapping[ours] = lower[ours.lower()]
            plan.inferred[ours] = mapping[ours]
        else:
            candidates = [
                lower[s] for s in synonyms.get(ours, ()) if s in lower
                and lower[s] not in used_sources
            ]
            if len(candidates) == 1:
                mapping[ours] = candidates[0]
                plan.inferred[ours] = candidates[0]
            elif len(candidates) > 1:
                plan.notes.append(
                    f"{ours!r} could come from any of {candidates}; none used (map one explicitly)"
                )
        if ours in mapping:
            used_sources.add(mapping[ours])
    if "text" not in mapping and text_fallback and text_fallback in seen:
        mapping["text"] = text_fallback
        plan.notes.append(
            f"no text column: the {text_fallback!r} column is used as the text (headline analysis)"
        )
    taken = set(mapping)
    for ours, theirs in mapping.items():
        plan.pairs.append((ours, theirs))
    for name in columns:
        if name in mapping.values():
            continue
        target = name
        if (name in SYSTEM_COLUMNS or name in RESERVED_COLUMNS or name == "source_row") \
                and name not in ours_columns:
            target = f"user_{name}"
        elif name in taken or name.lower() in ours_columns:
            target = f"{name}_original"
        while target in taken:
            target = f"{target}_"
        if target != name:
            plan.renamed_metadata[name] = target
        taken.add(target)
        plan.pairs.append((target, name))
    missing = [c for c in required if c not in mapping and c != "doc_id"]
    if "outlet" in missing and "url" in mapping:
        missing.remove("outlet")
        plan.notes.append("no outlet column: each row's outlet is the domain of its url")
    if missing:
        hint = ", ".join(f"{c}=<column>" for c in missing)
        raise InputError(
            f"required column(s) {', '.join(repr(c) for c in missing)} not found among "
            + ", ".join(repr(c) for c in columns)
            + f"; map them with --map {hint}",
            path=path,
            field=missing[0],
        )
    return plan
