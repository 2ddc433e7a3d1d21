"""Atomic writes: a temp file (or folder) beside the target, fsync, then ``os.replace``.

A reader never sees a half-written file, a crash leaves the previous version intact, and an
existing target is only replaced when the caller says ``force=True``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from framing._types import PathLike
from framing.corpus._errors import StoreExistsError


def _refuse_existing(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise StoreExistsError(f"{target} exists; pass force=True (--force) to replace it")


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(
    path: PathLike, *, force: bool = False, mode: str = "w", **open_kwargs: Any
) -> Iterator[IO[Any]]:
    """Open a temp file beside ``path``; on success it replaces ``path`` in one step.

    Parameters
    ----------
    path : str or PathLike
        The file to write.
    force : bool, default=False
        Replace ``path`` when it exists; otherwise raise :class:`StoreExistsError`.
    mode : {"w", "wb"}, default="w"
        Text or binary. Text files are written as UTF-8 unless ``encoding`` is given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("hello")
    >>> target.read_text()
    'hello'
    """
    target = Path(path)
    _refuse_existing(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    if "b" not in mode:
        open_kwargs.setdefault("encoding", "utf-8")
        open_kwargs.setdefault("newline", "")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_directory(path: PathLike, *, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temp name beside ``path``; on success swap it into place.

    The caller writes everything into the yielded temp folder. When the block ends without an
    exception the old folder (if any, and only with ``force=True``) is moved aside, the new one
    renamed into place, and the old one removed. On an exception the temp folder is removed and
    the old folder is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> with atomic_directory(target) as tmp:
    ...     _ = (tmp / "a.txt").write_text("1")
    >>> sorted(p.name for p in target.iterdir())
    ['a.txt']
    """
    target = Path(path)
    _refuse_existing(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes the folder private (0700)
        _fsync_dir(tmp)
        if target.exists():
            _refuse_existing(target, force)  # it may have appeared while we were writing
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
            )
            os.replace(target, old / "previous")
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
