"""What happens to a row that cannot be read: raise, warn and skip, or skip quietly."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from framing._types import BadRows
from framing.corpus._errors import InputError

_MAX_WARNINGS = 20


class BadRowWarning(UserWarning):
    """A row was skipped because it could not be read (``on_bad_rows="warn"``)."""


@dataclass
class BadRow:
    """One skipped row: where it was and why."""

    source_file: str
    source_row: int | None
    field: str | None
    reason: str
    detail: str
    doc_id: str | None = None


@dataclass
class BadRowSink:
    """Collects bad rows of one source under an ``on_bad_rows`` policy.

    ``"error"`` raises :class:`InputError` at the first bad row, ``"warn"`` warns (the first 20
    one by one, then a count) and skips, ``"skip"`` skips quietly. Skipped rows are kept so the
    importer can account for them in the manifest and the dropped-rows table.
    """

    policy: BadRows
    path: Path
    rows: list[BadRow] = field(default_factory=list)
    line_numbers: bool = False

    def report(
        self,
        detail: str,
        *,
        row: int | None,
        field: str | None = None,
        reason: str = "bad_row",
        doc_id: str | None = None,
    ) -> None:
        error = InputError(detail, path=self.path, row=row, field=field, line=self.line_numbers)
        if self.policy == "error":
            raise error
        self.rows.append(BadRow(str(self.path), row, field, reason, detail, doc_id))
        if self.policy == "warn" and len(self.rows) <= _MAX_WARNINGS:
            warnings.warn(f"skipped: {error}", BadRowWarning, stacklevel=3)

    def replay(self, row: BadRow) -> None:
        """Take a bad row found elsewhere (a worker process skipping quietly) under this policy."""
        self.report(row.detail, row=row.source_row, field=row.field, reason=row.reason,
                    doc_id=row.doc_id)

    def finish(self) -> None:
        """Warn once more with the total when more rows were skipped than were warned about."""
        if self.policy == "warn" and len(self.rows) > _MAX_WARNINGS:
            warnings.warn(
                f"{self.path}: {len(self.rows)} bad rows skipped in all "
                f"(the first {_MAX_WARNINGS} were shown)",
                BadRowWarning,
                stacklevel=2,
            )
