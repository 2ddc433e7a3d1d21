"""Tables a report saves, and the comparison of two runs' tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError, atomic_write


def save_table(table: pd.DataFrame, name: str, output_dir: PathLike, *,
               index: bool = False) -> Path:
    """Write ``table`` to ``<output_dir>/tables/<name>.csv`` atomically, the same bytes each run.

    Floats are written with 10 significant digits, so the file does not change with the last
    bits of a floating-point sum; a rerun with the same inputs and seeds gives the same file.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = save_table(pd.DataFrame({"outlet": ["A"], "estimate": [1 / 3]}), "shares", folder)
    >>> path.read_text().splitlines()
    ['outlet,estimate', 'A,0.3333333333']
    """
    if not name or "/" in name or name.startswith("."):
        raise InputError(f"table name {name!r} must be a plain file name")
    path = Path(output_dir) / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, force=True) as handle:
        table.to_csv(handle, index=index, float_format="%.10g", lineterminator="\n")
    return path


def load_report(path: PathLike) -> dict:
    """The manifest of a report run folder."""
    manifest = Path(path) / "manifest.json"
    if not manifest.is_file():
        raise InputError(f"{path} is not a report run folder (no manifest.json)")
    return json.loads(manifest.read_text(encoding="utf-8"))


def compare_reports(first: PathLike, second: PathLike) -> pd.DataFrame:
    """Which tables two runs share, and whether each is byte-identical.

    Returns a table with ``path``, ``in_first``, ``in_second``, ``identical``.
    """
    tables = {}
    for which, run in (("first", first), ("second", second)):
        for entry in load_report(run)["outputs"]["tables"]:
            tables.setdefault(entry["path"], {})[which] = entry["sha256"]
    rows = [{"path": path, "in_first": "first" in hashes, "in_second": "second" in hashes,
             "identical": hashes.get("first") is not None
             and hashes.get("first") == hashes.get("second")}
            for path, hashes in sorted(tables.items())]
    return pd.DataFrame(rows, columns=["path", "in_first", "in_second", "identical"])
