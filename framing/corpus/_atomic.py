"""Atomic writes: a temp file (or folder) beside the target, fsync, then one rename.

A reader never sees a half-written file or folder, a crash leaves the previous version intact,
and an existing target is only replaced when the caller says ``force=True``.

Files are replaced with ``os.replace``, one atomic step. A folder cannot be renamed over a
folder, so an existing one is *exchanged* with the new one in one step (Linux ``renameat2``
with ``RENAME_EXCHANGE``, macOS ``renamex_np`` with ``RENAME_SWAP``): a reader of the path
finds the old output or the new one, never nothing. Where the system cannot exchange, the swap
takes two renames, and a journal beside the target (``.NAME.framing-swap.json``) records them
first; a swap killed between the two renames is completed on the next write to that path.

Every temp name is ``.NAME.framing-<pid>-<random>.tmp`` (``.old`` for an old folder on its
way out). A write to ``NAME`` first removes the ones left by a process that is no longer
running (a killed run), and nothing else: the pattern and a dead writer's pid are what make a
leftover recognisably ours. Leftovers of earlier versions (``.NAME.XXXXXXXX.tmp`` / ``.old``)
are removed only when they hold a framing manifest (see :func:`_recover_legacy`).

``force`` replaces a folder only when framing wrote it (it holds a ``manifest.json``, as every
store, bundle, passages folder and report does) or it is empty: never a folder of the user's
own files.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from framing._types import PathLike
from framing.corpus._errors import StoreExistsError

_MARK = "framing-"
_JOURNAL = ".{name}.framing-swap.json"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.{_MARK}{os.getpid()}-"


def _leftover_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.{_MARK}(?P<pid>\d+)-[A-Za-z0-9_]+\.(?:tmp|old)")


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    except OSError:
        return True  # cannot tell: keep its files
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def recover_interrupted_write(path: PathLike) -> None:
    """Finish what a killed write to ``path`` left: complete its swap, remove its temp files.

    Every write to ``path`` calls this first, so a crash is repaired by the next run of any
    command that writes the same output. Only names of the form
    ``.NAME.framing-<pid>-<random>.tmp`` / ``.old`` whose process is no longer running are
    removed; a write still in progress (its process alive) is left alone.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / ".store.framing-999999999-abc.tmp").mkdir()   # a killed run's leftover
    >>> (folder / ".store.notes.tmp").mkdir()                   # not ours: kept
    >>> recover_interrupted_write(folder / "store")
    >>> sorted(p.name for p in folder.iterdir())
    ['.store.notes.tmp']
    """
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        return
    journal = parent / _JOURNAL.format(name=target.name)
    if journal.is_file():
        _finish_journal(target, journal)
    pattern = _leftover_pattern(target.name)
    for entry in parent.iterdir():
        match = pattern.fullmatch(entry.name)
        if match and not _is_running(int(match["pid"])):
            _remove(entry)
    _recover_legacy(target)


def _legacy_pattern(name: str) -> re.Pattern[str]:
    # what framing named its temp folders before they carried the writer's pid: tempfile's
    # eight random characters between the target's name and .tmp / .old
    return re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.(?P<kind>tmp|old)")


def _recover_legacy(target: Path) -> None:
    """Leftovers of framing versions before the pid-marked names, removed only when provably
    framing's; a swap those versions left half done is rolled back.

    An old version swapped by moving the old output to ``.NAME.XXXXXXXX.old/previous`` and
    then the new one from ``.NAME.XXXXXXXX.tmp``. A ``.old`` folder holding nothing, or only a
    ``previous`` that framing wrote (its manifest), is ours: when nothing is at the path (killed
    between the two moves) the previous output goes back there, else it is removed. A ``.tmp``
    folder is removed only when it holds a framing manifest; anything else (a file, a folder
    without a manifest, a ``.old`` with other contents) might be the user's and is left alone.
    """
    pattern = _legacy_pattern(target.name)
    found = sorted((match["kind"], entry) for entry in target.parent.iterdir()
                   if (match := pattern.fullmatch(entry.name)) and entry.is_dir()
                   and not entry.is_symlink())
    for kind, entry in found:  # "old" sorts before "tmp": the rollback comes first
        if kind == "old":
            contents = [child.name for child in entry.iterdir()]
            previous = entry / "previous"
            if contents == ["previous"] and is_framing_output(previous):
                if not target.exists():
                    os.replace(previous, target)
                    _fsync_dir(target.parent)
                _remove(entry)
            elif not contents:
                entry.rmdir()
        elif _has_framing_manifest(entry):
            _remove(entry)


def _has_framing_manifest(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict)


def _finish_journal(target: Path, journal: Path) -> None:
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        pid, new, old = int(record["pid"]), record["new"], record["old"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # not a journal we can read: leave it (and the target) alone
    if _is_running(pid) or "/" in new or "/" in old:
        return
    new_path, old_path = target.parent / new, target.parent / old
    if not target.exists():
        # killed between the two renames: the new output is complete (it was fsynced before
        # the journal was written), so finish the swap; with no new folder, roll back
        if new_path.is_dir():
            os.replace(new_path, target)
        elif old_path.is_dir():
            os.replace(old_path, target)
        _fsync_dir(target.parent)
    journal.unlink(missing_ok=True)


def is_framing_output(path: PathLike) -> bool:
    """True when ``path`` is a folder framing wrote (a readable ``manifest.json``) or empty.

    ``force`` replaces only such folders.
    """
    folder = Path(path)
    if not folder.is_dir() or folder.is_symlink():
        return False
    if not any(folder.iterdir()):
        return True
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict)


def _refuse_existing(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise StoreExistsError(f"{target} exists; pass force=True (--force) to replace it")


def _refuse_foreign_folder(target: Path) -> None:
    if target.exists() and not is_framing_output(target):
        what = "folder" if target.is_dir() else "file"
        raise StoreExistsError(
            f"{target} exists and is a {what} framing did not write (no manifest.json); "
            "force=True (--force) replaces only framing's own outputs: choose another output "
            "path, or move it away yourself")


def check_output(
    path: PathLike, *, force: bool = False, folder: bool = False,
    inputs: Iterable[PathLike] = (),
) -> None:
    """Refuse, before any work, an output that exists (without ``force``) or is not ours.

    Parameters
    ----------
    path : str or PathLike
        The output to write.
    force : bool, default=False
        Allow replacing an existing output.
    folder : bool, default=False
        ``path`` is a folder output: an existing folder is replaced only when framing wrote it.
    inputs : iterable of paths
        The files the command reads: an output may not be one of them, nor a folder holding
        one.

    Raises
    ------
    StoreExistsError
        ``path`` exists and ``force`` is False, or (for a folder) it is not framing's.
    InputError
        ``path`` is, or holds, one of ``inputs``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "news.jsonl").write_text("{}")
    2
    >>> check_output(folder, force=True, folder=True, inputs=[folder / "news.jsonl"])
    Traceback (most recent call last):
        ...
    framing.corpus._errors.InputError: ...: the output would replace the input ...news.jsonl; ...
    """
    from framing.corpus._errors import InputError

    target = Path(path)
    resolved = target.resolve()
    for given in inputs:
        source = Path(given).resolve()
        if source == resolved or resolved in source.parents:
            raise InputError(f"the output would replace the input {given}; write it elsewhere",
                             path=target)
    _refuse_existing(target, force)
    if folder:
        _refuse_foreign_folder(target)
    elif target.is_dir():
        raise StoreExistsError(f"{target} is a folder; name a file to write")


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


def _load_exchange() -> Callable[[Path, Path], None] | None:
    """The system's atomic exchange of two paths, or None where there is none."""
    libc_name = ctypes.util.find_library("c") if sys.platform == "darwin" else None
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        call = libc.renameat2
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
        at_fdcwd, rename_exchange = -100, 2

        def exchange(a: Path, b: Path) -> None:
            if call(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
                number = ctypes.get_errno()
                raise OSError(number, os.strerror(number), str(a))

        return exchange
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        call = libc.renamex_np
        call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        rename_swap = 2

        def exchange(a: Path, b: Path) -> None:
            if call(os.fsencode(a), os.fsencode(b), rename_swap) != 0:
                number = ctypes.get_errno()
                raise OSError(number, os.strerror(number), str(a))

        return exchange
    return None


_exchange = _load_exchange()
# errors that mean "this file system cannot exchange", not "the swap failed"
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _before_swap() -> None:
    """Called when the new folder is complete, just before it replaces the old (a test hook)."""


def _between_renames() -> None:
    """Called between the two renames of a journalled swap (a test hook)."""


def _swap_in(tmp: Path, target: Path) -> None:
    """Put the complete folder ``tmp`` at ``target``, which exists, in as few steps as there are."""
    _before_swap()
    if _exchange is not None:
        try:
            _exchange(tmp, target)
        except OSError as exc:
            if exc.errno not in _NO_EXCHANGE:
                raise
        else:
            _fsync_dir(target.parent)
            _remove(tmp)  # now the old output
            return
    old = tmp.with_name(tmp.name[: -len(".tmp")] + ".old")
    journal = target.parent / _JOURNAL.format(name=target.name)
    with atomic_write(journal, force=True) as handle:
        json.dump({"pid": os.getpid(), "new": tmp.name, "old": old.name}, handle)
    os.replace(target, old)
    try:
        _between_renames()
        os.replace(tmp, target)
    except BaseException:
        # interrupted (Ctrl-C) or failed between the renames: put the old output back now
        if not target.exists():
            os.replace(old, target)
        journal.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    journal.unlink(missing_ok=True)
    _remove(old)


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
    if target.is_dir():
        raise StoreExistsError(f"{target} is a folder; name a file to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_write(target)
    if "b" not in mode:
        open_kwargs.setdefault("encoding", "utf-8")
        open_kwargs.setdefault("newline", "")
    fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        _refuse_existing(target, force)  # it may have appeared while we were writing
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_directory(path: PathLike, *, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temp name beside ``path``; on success swap it into place.

    The caller writes everything into the yielded temp folder. When the block ends without an
    exception the new folder takes the old one's place in one step (the old one, only with
    ``force=True`` and only when framing wrote it, is then removed). On an exception the temp
    folder is removed and the old folder is untouched. A write killed half way is repaired by
    the next write to ``path`` (see :func:`recover_interrupted_write`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> with atomic_directory(target) as tmp:
    ...     _ = (tmp / "manifest.json").write_text("{}")
    >>> sorted(p.name for p in target.iterdir())
    ['manifest.json']
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_write(target)
    _refuse_existing(target, force)
    _refuse_foreign_folder(target)
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes the folder private (0700)
        _fsync_dir(tmp)
        if target.exists():
            # it may have appeared, or changed, while we were writing
            _refuse_existing(target, force)
            _refuse_foreign_folder(target)
            _swap_in(tmp, target)
        else:
            os.replace(tmp, target)
            _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
