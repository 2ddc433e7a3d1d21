"""Checks of the input tables and the grouping keys of the prevalence estimation.

What :func:`framing.measure.estimate_prevalence` refuses (missing columns, values that are not
probabilities or 0/1, duplicate passage ids) and how rows are placed in groups (every
combination of the keys' levels, periods made from dates, labelled passages placed by their
keys or by their ``passage_id`` in the target table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.corpus import InputError
from framing.measure._periods import (
    PeriodSpec,
    assign_periods,
    missing_group_column,
    period_starts,
)

NEEDS_DECISIONS = {"cc", "acc"}
NEEDS_PROBABILITIES = {"pcc", "pacc", "em", "combined", "posterior"}


def check_table(table: pd.DataFrame, name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{name} must be a DataFrame; got {type(table).__name__}")
    table = table.reset_index(drop=True)
    if "passage_id" in table.columns and not table["passage_id"].is_unique:
        duplicated = table["passage_id"][table["passage_id"].duplicated()]
        raise InputError(f"{name}: passage_id {duplicated.iloc[0]!r} appears more than once "
                         f"({duplicated.size} duplicates)", row=int(duplicated.index[0]) + 1,
                         field="passage_id")
    return table


def check_frames(table: pd.DataFrame, frames: Sequence[str] | None, methods: list[str],
            name: str) -> list[str]:
    """The frames to measure, every needed ``p_``/``is_`` column checked."""
    if frames is None:
        found = [c[2:] for c in table.columns if c.startswith("p_")]
        found += [c[3:] for c in table.columns if c.startswith("is_")]
        frames = list(dict.fromkeys(found))  # in order, p_ first, each once
        if not frames:
            raise InputError(f"{name} has no p_<frame> or is_<frame> column; give the output "
                             "of FrameClassifier.predict", field="p_<frame>")
    frames = [str(f) for f in frames]
    if not frames or len(set(frames)) != len(frames):
        raise InputError(f"'frames' must name distinct frames; got {frames}", field="frames")
    if name == "validation":
        needs = {"is_"} if "acc" in methods else set()
        needs |= {"p_"} if {"pacc", "em", "combined", "posterior"} & set(methods) else set()
    else:
        needs = {"is_"} if NEEDS_DECISIONS & set(methods) else set()
        needs |= {"p_"} if NEEDS_PROBABILITIES & set(methods) else set()
    for prefix in sorted(needs):
        for frame in frames:
            column = prefix + frame
            if column not in table.columns:
                raise InputError(f"{name} has no {column!r} column for frame {frame!r} "
                                 f"(methods {', '.join(methods)} need it)", field=column)
            values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
            low_high = (0, 1)
            bad = ~np.isfinite(values) | (values < low_high[0]) | (values > low_high[1])
            if prefix == "is_":
                bad |= ~np.isin(values, [0, 1])
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                kind = "0 or 1" if prefix == "is_" else "a probability in [0, 1]"
                shown = _shown(table[column].iloc[row])
                raise InputError(f"{name}: expected {kind}, got {shown!r}", row=row + 1,
                                 field=column)
    return frames


def check_labels(labelled: pd.DataFrame, frames: list[str]) -> None:
    for frame in frames:
        if frame not in labelled.columns:
            raise InputError(f"validation has no {frame!r} column with the true 0/1 labels "
                             f"(join the labels to the out-of-fold predictions)", field=frame)
        values = pd.to_numeric(labelled[frame], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isin(values, [0, 1])
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"validation: expected a 0/1 label, got "
                             f"{_shown(labelled[frame].iloc[row])!r}", row=row + 1, field=frame)


def _shown(value: object) -> object:
    """A cell as the user wrote it (``0.5``, not ``np.float64(0.5)``) for messages."""
    return value.item() if isinstance(value, np.generic) else value


def matrix(table: pd.DataFrame, prefix: str, frames: list[str]) -> np.ndarray:
    return table[[prefix + f for f in frames]].to_numpy(dtype=float)


def _key_values(table: pd.DataFrame, keys: list[str], period: PeriodSpec,
                name: str) -> pd.DataFrame:
    """The grouping columns of a table, ``period`` made from ``date``; missing ones refused."""
    out = pd.DataFrame(index=table.index)
    for key in keys:
        if key == "period" and "period" not in table.columns:
            if "date" not in table.columns:
                raise InputError(f"{name} has no 'date' column to make periods from",
                                 field="date")
            periods = assign_periods(table["date"], period)
            out["period"], out["period_start"] = periods["period"], periods["period_start"]
            continue
        if key not in table.columns:
            raise missing_group_column(name, key, list(table.columns))
        empty = table[key].isna().to_numpy()
        if empty.any():
            row = int(np.flatnonzero(empty)[0])
            raise InputError(f"{name}: {int(empty.sum())} rows have no {key!r} (grouping "
                             "would drop them); fill or remove them first", row=row + 1,
                             field=key)
        out[key] = table[key]
    return out


def group_codes(table: pd.DataFrame, keys: list[str], period: PeriodSpec,
                 name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Every combination of the keys' levels (empty ones too), and each row's group."""
    values = _key_values(table, keys, period, name)
    levels = []
    for key in keys:
        column = values[key]
        if isinstance(column.dtype, pd.CategoricalDtype):
            levels.append(list(column.cat.categories))
        else:
            levels.append(sorted(pd.unique(column), key=str))
    grid = pd.MultiIndex.from_product(levels, names=keys)
    codes = grid.get_indexer(pd.MultiIndex.from_frame(values[keys].astype(object)))
    groups = grid.to_frame(index=False)
    for key in keys:
        if isinstance(values[key].dtype, pd.CategoricalDtype):
            groups[key] = pd.Categorical(groups[key], categories=levels[keys.index(key)],
                                         ordered=values[key].cat.ordered)
    if "period" in keys and "period_start" in values.columns:  # periods we made from dates
        position = keys.index("period") + 1
        starts = period_starts(period, levels[keys.index("period")])
        groups.insert(position, "period_start",
                      pd.to_datetime(groups["period"].astype(str).map(starts)))
    return groups, codes.astype(int)


def validation_groups(labelled: pd.DataFrame, table: pd.DataFrame, keys: list[str],
                       groups: pd.DataFrame, period: PeriodSpec) -> np.ndarray:
    """The group of every labelled passage (-1 when it falls outside the target's groups)."""
    made = "period" in keys and "period" not in table.columns  # periods made from dates
    needed = [k for k in keys if not (made and k == "period")] + (["date"] if made else [])
    own = [c for c in needed if c in labelled.columns]
    if "passage_id" in labelled.columns and "passage_id" in table.columns:
        merged = labelled[["passage_id"]].merge(table[["passage_id", *needed]], how="left",
                                                on="passage_id", validate="one_to_one")
        found = merged[needed[0]].notna().to_numpy() if needed else np.ones(len(labelled), bool)
        for column in own:  # the same passage must sit in the same group in both tables
            same = (merged[column].astype(str).to_numpy()
                    == labelled[column].astype(str).to_numpy()) | ~found
            if not same.all():
                row = int(np.flatnonzero(~same)[0])
                raise InputError(
                    f"validation and passage_frames disagree on {column!r} for passage "
                    f"{labelled['passage_id'].iloc[row]!r}: {labelled[column].iloc[row]!r} vs "
                    f"{merged[column].iloc[row]!r}", row=row + 1, field=column)
        source = labelled[needed].copy() if len(own) == len(needed) else merged[needed]
        if len(own) < len(needed):
            if not found.all():
                row = int(np.flatnonzero(~found)[0])
                raise InputError(
                    f"{int((~found).sum())} validation passages are not in passage_frames "
                    f"(first: {labelled['passage_id'].iloc[row]!r}) and validation has no "
                    f"{[c for c in needed if c not in own][0]!r} column to place them",
                    row=row + 1, field="passage_id")
    elif len(own) == len(needed):
        source = labelled[needed]
    else:
        missing = [c for c in needed if c not in own][0]
        raise InputError(f"validation has no {missing!r} column (nor passage_id values to look "
                         "it up in passage_frames), so its passages cannot be placed in "
                         "groups", field=missing)
    return place_rows(source.reset_index(drop=True), keys, groups, period, "validation")


def place_rows(table: pd.DataFrame, keys: list[str], groups: pd.DataFrame,
               period: PeriodSpec, name: str) -> np.ndarray:
    """The group (a row of ``groups``) of every row of ``table``; -1 outside them."""
    values = _key_values(table, keys, period, name)
    grid = pd.MultiIndex.from_frame(groups[keys].astype(object))
    return grid.get_indexer(pd.MultiIndex.from_frame(values[keys].astype(object))).astype(int)


@dataclass
class SharedPassages:
    """Target passages that are also coded in validation, and whether their predictions
    differ there (a model's predictions on its own training passages)."""

    n_shared: int = 0
    first: object = None          # passage_id of the first shared passage
    n_differ: int = 0
    compared: bool = False        # whether some prediction column is in both tables

    def __add__(self, other: SharedPassages) -> SharedPassages:
        return SharedPassages(self.n_shared + other.n_shared,
                              self.first if self.n_shared else other.first,
                              self.n_differ + other.n_differ, self.compared or other.compared)


def comparison_columns(names: Sequence[str], labelled: pd.DataFrame,
                       frames: list[str]) -> list[str]:
    """The prediction columns compared between the tables: ``p_`` if both have some, else
    ``is_``."""
    for prefix in ("p_", "is_"):
        columns = [prefix + f for f in frames
                   if prefix + f in names and prefix + f in labelled.columns]
        if columns:
            return columns
    return []


def shared_passages(table: pd.DataFrame, labelled: pd.DataFrame, position: np.ndarray,
                    columns: list[str]) -> SharedPassages:
    """Which rows of ``table`` are coded (``position``: their row in ``labelled``, or -1),
    and how many of them carry other predictions in ``columns`` than in ``labelled``."""
    shared = np.flatnonzero(position >= 0)
    if not shared.size:
        return SharedPassages(compared=bool(columns))
    differ = np.zeros(shared.size, dtype=bool)
    for column in columns:
        mine = table[column].to_numpy(dtype=float)[shared]
        theirs = labelled[column].to_numpy(dtype=float)[position[shared]]
        differ |= ~np.isclose(mine, theirs, rtol=0, atol=1e-9)
    return SharedPassages(int(shared.size), table["passage_id"].iloc[shared[0]],
                          int(differ.sum()), bool(columns))
