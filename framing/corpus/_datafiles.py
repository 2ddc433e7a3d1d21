"""Data files a researcher edits (actor files, issue files, codebooks): read and checked once.

A data file is given as a path to a ``.yaml`` file or as the name of one shipped in
``framing/data/<kind>/``. YAML errors come back with their line; a mapping that repeats a key
is refused (plain YAML keeps the last one without a word, silently dropping, say, an actor).
Files are read with limits on size, nesting and alias expansion, dates stay text, and a
top-level ``version: 1.20`` stays the text ``1.20``.
"""

from __future__ import annotations

import codecs
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


#: Limits that keep a hostile or mistaken file from exhausting memory or time: its size, how
#: deeply it nests, and how many nodes it would hold with every alias expanded (an alias bomb
#: expands a few lines into billions of nodes).
MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: a date stays the text it was written as, so an
    impossible date (2024-02-30) is the reader's to report with its field, not a ValueError
    from inside yaml."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _decode(raw: bytes, path: str) -> str:
    """The file's text: UTF-8 (a BOM allowed), or UTF-16/32 with a BOM, as YAML allows."""
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"))
    encoding = next((name for bom, name in boms if raw.startswith(bom)), "utf-8")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
        raise InputError(
            f"not valid {encoding.upper()} (byte 0x{raw[exc.start]:02x}"
            + (f" on line {line}" if line else "")
            + "); YAML files must be saved as UTF-8",
            path=path,
        ) from exc


def _check_tree(node: yaml.Node, path: str) -> None:
    """Refuse repeated keys, self-referencing aliases, and trees too deep or too large.

    Walks the tree as the program will see it, aliases expanded, with a budget of nodes, so
    an alias bomb stops at the budget instead of taking the CPU for hours.
    """
    budget = [MAX_NODES]

    def walk(node: yaml.Node, where: str, ancestors: tuple[int, ...]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise InputError(
                f"too large: more than {MAX_NODES:,} values with every alias (*name) expanded",
                path=path, field=where or None)
        if id(node) in ancestors:
            raise InputError(
                f"an alias refers to the value that holds it (line {node.start_mark.line + 1})",
                path=path, field=where or None)
        if len(ancestors) > MAX_DEPTH:
            raise InputError(f"nested more than {MAX_DEPTH} levels deep "
                             f"(line {node.start_mark.line + 1})", path=path, field=where or None)
        inner = ancestors + (id(node),)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                here = f"{where}.{name}" if where else name
                if name in seen and name != "<<":
                    raise InputError(f"duplicate key {name!r} (line {key.start_mark.line + 1})",
                                     path=path, field=here)
                seen.add(name)
                walk(key, here, inner)
                walk(value, here, inner)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{where}[{index}]", inner)

    walk(node, "", ())


def _keep_version_text(node: yaml.Node) -> None:
    """``version: 1.20`` means the text 1.20, not the number 1.2: keep a top-level plain
    scalar ``version`` (and ``name``) as written."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if (isinstance(key, yaml.ScalarNode) and key.value in ("version", "name")
                and isinstance(value, yaml.ScalarNode) and value.style is None
                and value.tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int")):
            value.tag = "tag:yaml.org,2002:str"


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
    if len(raw) > MAX_BYTES:
        raise InputError(f"too large for a data file ({len(raw):,} bytes; the limit is "
                         f"{MAX_BYTES:,})", path=path)
    loader = _Loader(_decode(raw, path))
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_tree(node, path)
            _keep_version_text(node)
        data = loader.construct_document(node) if node is not None else None
    except RecursionError as exc:  # yaml composes nested values recursively
        raise InputError("nested too deeply to read", path=path) from exc
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
