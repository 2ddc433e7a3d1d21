"""Model bundles on disk: a folder of files listed with their sha256 in ``manifest.json``.

Topic models and frame models are saved the same way; this module holds what they share:
hashing, JSON in and out, and the checks made before a bundle is read back (the folder and
manifest exist, the format and layout are the reader's, no file is missing or altered).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from framing.corpus._errors import BundleError


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return str(value)


def write_json(path: Path, content: Any) -> None:
    """Write ``content`` as sorted, indented UTF-8 JSON (numpy scalars as plain numbers)."""
    Path(path).write_text(json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False,
                                     default=_plain) + "\n", encoding="utf-8")


def read_json(path: Path) -> Any:
    """Read a bundle's JSON file; a missing or broken file is a :class:`BundleError`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(f"{path}: unreadable ({exc})") from exc


def read_manifest(folder: Path, *, kind: str, bundle_format: str, bundle_version: int,
                  required: Sequence[str] = ()) -> dict[str, Any]:
    """The manifest of a bundle folder, after checking every file it lists.

    Raises
    ------
    BundleError
        No such folder or manifest, another format or layout, a listed (or ``required``)
        file missing, or a file whose sha256 differs from the manifest's.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BundleError(f"{folder}: no {kind} bundle here (not a folder)")
    if not (folder / "manifest.json").is_file():
        raise BundleError(f"{folder}: incomplete bundle, 'manifest.json' is missing")
    manifest = read_json(folder / "manifest.json")
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if found != bundle_format:
        raise BundleError(f"{folder}: not a {bundle_format.rsplit('.', 1)[-1]} bundle (format "
                          f"{found!r})")
    if manifest.get("bundle_version") != bundle_version:
        raise BundleError(f"{folder}: bundle layout {manifest.get('bundle_version')!r} is not "
                          f"readable by this framing (layout {bundle_version})")
    files = manifest.get("files", {})
    missing = [name for name in sorted(set(files) | set(required))
               if name not in files or not (folder / name).is_file()]
    if missing:
        raise BundleError(f"{folder}: incomplete bundle, missing {', '.join(missing)}")
    altered = [name for name in sorted(files) if file_sha256(folder / name) != files[name]]
    if altered:
        raise BundleError(f"{folder}: {', '.join(altered)} changed since the bundle was "
                          "written (sha256 mismatch)")
    return manifest
