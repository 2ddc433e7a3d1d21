"""Every output of a command checked before any work: refusals come first, never half way."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from framing.corpus import InputError, check_output


def check_outputs(
    *, force: bool, files: Iterable[str | Path | None] = (),
    folders: Iterable[str | Path | None] = (), inputs: Iterable[str | Path | None] = (),
) -> None:
    """Refuse, up front, any output that exists (without ``--force``), is a folder framing did
    not write, is one of the command's ``inputs`` (or holds one), or is named twice.

    ``None`` entries (options not given) are skipped.
    """
    named = [(Path(p), False) for p in files if p] + [(Path(p), True) for p in folders if p]
    sources = [Path(p) for p in inputs if p]
    seen: set[Path] = set()
    for path, _ in named:
        if path.resolve() in seen:
            raise InputError(f"{path} is named as two outputs; give each its own path")
        seen.add(path.resolve())
    for path, is_folder in named:
        check_output(path, force=force, folder=is_folder, inputs=sources)
