"""The exceptions framing raises, one hierarchy for the whole package.

::

    FramingError                      base of everything framing raises on purpose
    ├── InputError (ValueError)       bad user input: names the file, the row or line, the field
    ├── StoreExistsError (FileExistsError)  a target exists and ``force`` was not given
    ├── NotFittedError (sklearn's NotFittedError)  an estimator used before ``fit``
    │                                 (in ``_not_fitted.py``: it imports scikit-learn)
    └── BundleError                   a saved model or store that cannot be read back

Library errors (pandas, pyarrow, yaml) are caught at the boundary and re-raised as one of these
``from`` the original, so users read one sentence, not a traceback from deep inside a library.
"""

from __future__ import annotations

import os


class FramingError(Exception):
    """Base class of every error framing raises on purpose."""


class InputError(FramingError, ValueError):
    """Bad input: a file, a row (or line) and a field that cannot be used as they are.

    The message reads ``<path>: row <n>, field '<name>': <what is wrong>``; the parts that are
    unknown are left out. ``row`` is the 1-based data row (CSV, Parquet, JSON array) or line
    (JSONL, text) in the source file.

    Examples
    --------
    >>> str(InputError("cannot parse '2025-02-30' as a date", path="x.csv", row=17, field="date"))
    "x.csv: row 17, field 'date': cannot parse '2025-02-30' as a date"
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        row: int | None = None,
        field: str | None = None,
        line: bool = False,
    ) -> None:
        self.path = None if path is None else str(path)
        self.row = row
        self.field = field
        self.reason = message
        where = []
        if row is not None:
            where.append(f"{'line' if line else 'row'} {row}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        if self.path is not None:
            prefix = f"{self.path}: {prefix}" if prefix else self.path
        self.line = line
        super().__init__(f"{prefix}: {message}" if prefix else message)

    def __reduce__(self) -> tuple:
        # Keyword-only arguments do not survive the default pickling of exceptions; errors
        # raised in worker processes must arrive whole.
        return (_rebuild_input_error, (self.reason, self.path, self.row, self.field, self.line))


def _rebuild_input_error(
    message: str, path: str | None, row: int | None, field: str | None, line: bool
) -> InputError:
    return InputError(message, path=path, row=row, field=field, line=line)


class StoreExistsError(FramingError, FileExistsError):
    """The target of a write exists and ``force=True`` (``--force``) was not given."""


class BundleError(FramingError):
    """A saved store or model bundle is missing, incomplete or of an unknown layout."""
