"""JSON records read defensively: bounded depth, no repeated keys, no lone surrogates, no
non-finite numbers, and single values where our columns expect one.

A record that breaks one of these rules is a bad row (:class:`JsonRecordError`), reported with
its line or position like any other; it is never stored changed (``{"outlet": Infinity}`` as
``inf``, a repeated key as its last value, a list in ``text`` as a JSON string).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import ijson

#: Deeper nesting is no news record; the bound keeps a hostile file from exhausting the stack.
MAX_DEPTH = 64
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_SURROGATE_ESCAPE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<![0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class JsonRecordError(ValueError):
    """A JSON record that is not a usable row: what is wrong, and the key where."""

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise JsonRecordError(f"the key {key!r} appears twice in one object", field=key)
        record[key] = value
    return record


def _refuse_constant(name: str) -> Any:
    raise JsonRecordError(f"{name} is not a JSON number")


def loads_record(line: str) -> dict[str, Any]:
    """Parse one JSONL line into a record, or raise :class:`JsonRecordError`.

    Examples
    --------
    >>> loads_record('{"text": "Peace talks", "n": 2}')
    {'text': 'Peace talks', 'n': 2}
    >>> loads_record('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    framing.corpus._jsonsafe.JsonRecordError: the key 'a' appears twice in one object
    """
    try:
        value = json.loads(line, object_pairs_hook=_unique_pairs, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise JsonRecordError(f"not valid JSON ({exc.msg}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise JsonRecordError(f"nested more than {MAX_DEPTH} levels deep") from exc
    if not isinstance(value, dict):
        raise JsonRecordError(f"expected a JSON object, found {type(value).__name__}")
    _check_values(value)
    return value


def _check_values(record: dict[str, Any]) -> None:
    """Depth, lone surrogates and non-finite numbers anywhere in the record (iteratively)."""
    stack: list[tuple[Any, str | None, int]] = [(record, None, 0)]
    while stack:
        value, field, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JsonRecordError(f"nested more than {MAX_DEPTH} levels deep", field=field)
        if isinstance(value, dict):
            for key, item in value.items():
                here = key if field is None else field
                if _LONE_SURROGATE.search(key):
                    raise JsonRecordError("a key holds a lone surrogate, which no text "
                                          "encoding can store", field=here.encode(
                                              "utf-8", "backslashreplace").decode())
                stack.append((item, here, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, field, depth + 1) for item in value)
        elif isinstance(value, str):
            found = _LONE_SURROGATE.search(value)
            if found:
                raise JsonRecordError(
                    f"holds a lone surrogate (\\u{ord(found.group()):04x}), which no text "
                    "encoding can store", field=field)
        elif isinstance(value, float) and not math.isfinite(value):
            raise JsonRecordError(f"{value} is not a finite number", field=field)


def check_record(record: Any, core: Mapping[str, str]) -> None:
    """Refuse an object or array where one of our columns (``core``: source key -> ours)
    expects a single value."""
    if not isinstance(record, dict):
        raise JsonRecordError(f"expected a JSON object, found {type(record).__name__}")
    for key, ours in core.items():
        value = record.get(key)
        if isinstance(value, dict | list) or isinstance(value, bool):
            kind = {dict: "an object", list: "an array", bool: "true/false"}[type(value)]
            raise JsonRecordError(f"expected a single value for {ours!r}, found {kind}",
                                  field=key)


class _SurrogateGuard:
    """Passes bytes through to ijson, refusing lone ``\\ud800`` escapes, which ijson's C
    backend would silently turn into ``?``."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._carry = b""
        self._offset = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        window = self._carry + chunk
        found = _LONE_SURROGATE_ESCAPE.search(window)
        # A match that touches the window's end may be the first half of a pair: wait for more.
        rest = window[found.end():found.end() + 6] if found else b""
        if found and (len(rest) == 6 or not b"\\u".startswith(rest[:2]) or not chunk):
            at = self._offset - len(self._carry) + found.start()
            raise ijson.JSONError(
                f"a lone surrogate {found.group().decode()} at byte {at}, which no text "
                "encoding can store")
        self._offset += len(chunk)
        self._carry = window[-24:]
        return chunk


def iter_json_array(stream: Any) -> Iterator[dict[str, Any] | JsonRecordError]:
    """The elements of a top-level JSON array, built with bounded depth and unique keys.

    A bad element comes back as a :class:`JsonRecordError` (the caller reports it as a bad
    row and reads on); a syntax error raises ``ijson.JSONError``.
    """
    events = ijson.basic_parse(_SurrogateGuard(stream), use_float=True)
    first = next(events, None)
    if first is None:
        return
    if first[0] != "start_array":
        raise ijson.JSONError(f"expected a JSON array, found {first[0]}")
    for event, value in events:
        if event == "end_array":
            return
        yield _build(event, value, events)


def _build(event: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
    if event not in ("start_map", "start_array"):
        return value
    problem: JsonRecordError | None = None
    root: Any = {} if event == "start_map" else []
    stack: list[Any] = [root]
    keys: list[str | None] = [None]
    top_keys: list[str | None] = [None]
    for event, value in events:
        container = stack[-1] if stack else None
        if event == "map_key":
            keys[-1] = value
            if len(stack) == 1:
                top_keys[0] = value
            if problem is None and isinstance(container, dict) and value in container:
                problem = JsonRecordError(f"the key {value!r} appears twice in one object",
                                          field=top_keys[0])
            continue
        if event in ("end_map", "end_array"):
            stack.pop()
            keys.pop()
            if not stack:
                break
            continue
        if event in ("start_map", "start_array"):
            item: Any = {} if event == "start_map" else []
            if len(stack) > MAX_DEPTH and problem is None:
                problem = JsonRecordError(f"nested more than {MAX_DEPTH} levels deep",
                                          field=top_keys[0])
        else:
            item = value
        if problem is None:
            if isinstance(container, dict):
                container[keys[-1]] = item
            else:
                container.append(item)
        if event in ("start_map", "start_array"):
            # Past a problem the element is only walked to its end, nothing kept.
            stack.append(item if problem is None else [])
            keys.append(None)
    if problem is not None:
        return problem
    if isinstance(root, dict):
        try:
            _check_values(root)
        except JsonRecordError as exc:
            return exc
    return root
