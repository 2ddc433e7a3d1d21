"""Data files a researcher edits (actor files, issue files, codebooks): read and checked once.

A data file is given as a path to a ``.yaml`` file or as the name of one shipped in
``framing/data/<kind>/``. YAML errors come back with their line; a mapping that repeats a key
is refused (plain YAML keeps the last one without a word, silently dropping, say, an actor).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from framing._types import PathLike
from framing.corpus._errors import InputError


def _resolve(source: PathLike, kind: str) -> tuple[bytes, str]:
    candidate = Path(source)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise InputError("no such file", path=candidate)
        return candidate.read_bytes(), str(candidate)
    folder = resources.files("framing") / "data" / kind
    resource = folder / f"{source}.yaml"
    if not resource.is_file():
        shipped = sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                         if p.name.endswith(".yaml"))
        singular = kind.removesuffix("s")
        raise InputError(f"no {singular} file named {str(source)!r}; shipped: "
                         + ", ".join(shipped) + " (or give a path to a .yaml file)")
    return resource.read_bytes(), f"framing/data/{kind}/{source}.yaml"


def _check_duplicates(node: yaml.Node, where: str, path: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            here = f"{where}.{name}" if where else name
            if name in seen:
                raise InputError(f"duplicate key {name!r} (line {key.start_mark.line + 1})",
                                 path=path, field=here)
            seen.add(name)
            _check_duplicates(value, here, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicates(item, f"{where}[{index}]", path)


def read_data_file(source: PathLike, kind: str) -> tuple[dict[str, Any], str, str]:
    """Read a YAML data file; return its mapping, a display path, and the sha256 of its bytes.

    Parameters
    ----------
    source : path or str
        A path to a ``.yaml`` file, or the name of a file shipped in ``framing/data/<kind>/``.
    kind : str
        The folder of shipped files: ``actors``, ``issues`` or ``codebooks``.

    Examples
    --------
    >>> data, path, sha256 = read_data_file("ukraine_peace", "issues")
    >>> path, data["name"], len(sha256)
    ('framing/data/issues/ukraine_peace.yaml', 'ukraine_peace', 64)
    """
    raw, path = _resolve(source, kind)
    loader = yaml.SafeLoader(raw)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_duplicates(node, "", path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputError(f"not valid YAML{line}: {getattr(exc, 'problem', None) or exc}",
                         path=path) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError("must be a YAML mapping at the top level", path=path)
    return data, path, hashlib.sha256(raw).hexdigest()
