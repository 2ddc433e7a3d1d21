"""Actors as data: an actor file (YAML) says who coverage may refer to, and by which words.

The default file ships as ``framing/data/actors/ukraine_peace.yaml`` and documents the format
in its header. :func:`load_actors` validates a file and compiles it into one regular expression
per kind of reference, with clear errors that name the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing._types import PathLike
from framing.corpus import InputError
from framing.corpus._datafiles import read_data_file
from framing.text._patterns import trie_pattern

_KINDS = ("names", "descriptions", "exclude", "institution", "patterns", "namesakes")
_ACTOR_KEYS = {"name", "gender", *_KINDS}
_TOP_KEYS = {"name", "version", "focus", "count_institution", "generic", "offices", "actors"}
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Actor:
    """One person: canonical name, gender (for pronouns) and the surfaces that name them."""

    key: str
    name: str
    gender: str | None
    names: tuple[str, ...]
    descriptions: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    institution: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    namesakes: tuple[tuple[str, str], ...] = ()  # (surface, gender)


@dataclass(frozen=True)
class Office:
    """An office whose holder depends on the date (``the US president``)."""

    key: str
    title: str
    descriptions: tuple[str, ...]
    holders: dict[str, tuple[tuple[dt.date, dt.date | None], ...]]

    def holder_on(self, day: dt.date | None) -> str | None:
        """The actor holding the office on ``day`` (None when nobody declared does)."""
        if day is None:
            return None
        for actor, terms in self.holders.items():
            for start, end in terms:
                if start <= day and (end is None or day < end):
                    return actor
        return None


@dataclass(frozen=True)
class Surface:
    """One way of referring: the text, what kind of reference it is, and to whom."""

    text: str
    kind: str  # name, description, office, generic, exclude, namesake, institution, pattern
    target: str  # actor key, office key, or generic key


@dataclass
class ActorSet:
    """A validated actor file, compiled for matching.

    Examples
    --------
    >>> actors = load_actors("ukraine_peace")
    >>> actors.focus, actors.actors["putin"].name
    ('trump', 'Vladimir Putin')
    >>> actors.offices["us_president"].holder_on(dt.date(2015, 6, 1))
    'obama'
    """

    name: str
    version: str
    focus: str
    count_institution: bool
    actors: dict[str, Actor]
    offices: dict[str, Office]
    generic: dict[str, tuple[tuple[str, ...], str | None]]
    path: str
    sha256: str
    surfaces: list[Surface] = field(default_factory=list)
    matcher: re.Pattern[str] | None = None
    by_surface: dict[str, Surface] = field(default_factory=dict)
    pattern_surfaces: list[tuple[re.Pattern[str], Surface]] = field(default_factory=list)
    namesake_gender: dict[str, str] = field(default_factory=dict)

    def president_kind(self, actor: str, day: dt.date | None) -> bool:
        """Whether ``actor`` holds an office that ``the president`` can name, on ``day``."""
        return any(
            office.holder_on(day) == actor
            for office in self.offices.values()
            if office.title.lower() == "president"
        )


def _fail(path: str, key: str, message: str) -> InputError:
    return InputError(message, path=path, field=key)


def _strings(path: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, key, "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _date(path: str, key: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise _fail(path, key, f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _read_yaml(source: PathLike, folder: str) -> tuple[dict[str, Any], str, str]:
    return read_data_file(source, folder)


def load_actors(source: PathLike = "ukraine_peace") -> ActorSet:
    """Load and validate an actor file (a path, or the name of a shipped file).

    Raises
    ------
    InputError
        Naming the file and the key: a missing name, a duplicate surface, a bad regex, an
        unknown key, a date that is not a date, a holder that is not a declared actor.
    """
    data, path, sha = _read_yaml(source, "actors")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(path, sorted(unknown)[0], f"unknown key; expected {sorted(_TOP_KEYS)}")
    raw_actors = data.get("actors")
    if not isinstance(raw_actors, dict) or not raw_actors:
        raise _fail(path, "actors", "must map actor keys to their entries")
    actors: dict[str, Actor] = {}
    for key, entry in raw_actors.items():
        where = f"actors.{key}"
        if not isinstance(key, str) or not _KEY.match(key):
            raise _fail(path, where, "actor keys are lower-case words (a-z, 0-9, _)")
        if not isinstance(entry, dict):
            raise _fail(path, where, "must be a mapping with at least 'name' and 'names'")
        extra = set(entry) - _ACTOR_KEYS
        if extra:
            raise _fail(path, f"{where}.{sorted(extra)[0]}",
                        f"unknown key; expected {sorted(_ACTOR_KEYS)}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _fail(path, f"{where}.name", "missing: every actor needs a canonical name")
        gender = entry.get("gender")
        if gender not in (None, "male", "female"):
            raise _fail(path, f"{where}.gender", f"must be male or female, not {gender!r}")
        names = _strings(path, f"{where}.names", entry.get("names"))
        patterns = _strings(path, f"{where}.patterns", entry.get("patterns"))
        if not names and not patterns:
            raise _fail(path, f"{where}.names", "missing: list the names the actor goes by")
        namesakes = entry.get("namesakes") or {}
        if not isinstance(namesakes, dict) or not all(
            isinstance(k, str) and v in ("male", "female") for k, v in namesakes.items()
        ):
            raise _fail(path, f"{where}.namesakes",
                        "must map each namesake to a gender (male or female)")
        actors[key] = Actor(
            key=key, name=name.strip(), gender=gender, names=names,
            namesakes=tuple(namesakes.items()),
            descriptions=_strings(path, f"{where}.descriptions", entry.get("descriptions")),
            exclude=_strings(path, f"{where}.exclude", entry.get("exclude")),
            institution=_strings(path, f"{where}.institution", entry.get("institution")),
            patterns=patterns,
        )
    offices = _load_offices(path, data.get("offices") or {}, actors)
    generic = _load_generic(path, data.get("generic") or {}, offices)
    focus = data.get("focus", next(iter(actors)))
    if focus not in actors:
        raise _fail(path, "focus", f"{focus!r} is not one of the declared actors")
    result = ActorSet(
        name=str(data.get("name", Path(path).stem)), version=str(data.get("version", "1")),
        focus=focus, count_institution=bool(data.get("count_institution", False)),
        actors=actors, offices=offices, generic=generic, path=path, sha256=sha,
    )
    _compile(result)
    return result


def _load_offices(path: str, raw: Any, actors: dict[str, Actor]) -> dict[str, Office]:
    if not isinstance(raw, dict):
        raise _fail(path, "offices", "must map office keys to their entries")
    offices = {}
    for key, entry in raw.items():
        where = f"offices.{key}"
        if not isinstance(entry, dict):
            raise _fail(path, where, "must be a mapping with 'descriptions' and 'holders'")
        holders_raw = entry.get("holders") or {}
        if not isinstance(holders_raw, dict):
            raise _fail(path, f"{where}.holders", "must map actor keys to lists of terms")
        holders = {}
        for actor, terms in holders_raw.items():
            if actor not in actors:
                raise _fail(path, f"{where}.holders.{actor}", "not a declared actor")
            if not isinstance(terms, list) or not all(
                isinstance(t, list) and len(t) == 2 for t in terms
            ):
                raise _fail(path, f"{where}.holders.{actor}",
                            "must be a list of [start, end] terms (end may be null)")
            holders[actor] = tuple(
                (_date(path, f"{where}.holders.{actor}", s) or dt.date.min,
                 _date(path, f"{where}.holders.{actor}", e))
                for s, e in terms
            )
        offices[key] = Office(
            key=key, title=str(entry.get("title", "")),
            descriptions=_strings(path, f"{where}.descriptions", entry.get("descriptions")),
            holders=holders,
        )
    return offices


def _load_generic(
    path: str, raw: Any, offices: dict[str, Office]
) -> dict[str, tuple[tuple[str, ...], str | None]]:
    if not isinstance(raw, dict):
        raise _fail(path, "generic", "must map generic titles to their surfaces")
    generic = {}
    for key, entry in raw.items():
        where = f"generic.{key}"
        if not isinstance(entry, dict):
            raise _fail(path, where, "must be a mapping with 'surfaces'")
        default = entry.get("default_office")
        if default is not None and default not in offices:
            raise _fail(path, f"{where}.default_office", f"{default!r} is not a declared office")
        generic[key] = (_strings(path, f"{where}.surfaces", entry.get("surfaces")), default)
    return generic


def _with_capital(text: str) -> list[str]:
    """``the US president`` may open a sentence as ``The US president``."""
    variants = [text]
    if text[:1].islower():
        variants.append(text[:1].upper() + text[1:])
    return variants


def _compile(actors: ActorSet) -> None:
    surfaces: list[Surface] = []
    for key, actor in actors.actors.items():
        surfaces += [Surface(t, "name", key) for t in actor.names]
        surfaces += [Surface(v, "description", key) for t in actor.descriptions
                     for v in _with_capital(t)]
        surfaces += [Surface(t, "exclude", key) for t in actor.exclude]
        surfaces += [Surface(t, "namesake", key) for t, _ in actor.namesakes]
        surfaces += [Surface(t, "institution", key) for t in actor.institution]
        # "the Donald Trump campaign": an institution named with the full name is one too.
        for text in actor.institution + actor.exclude:
            for short in actor.names:
                if text.startswith((short + " ", short + "-")):
                    kind = "institution" if text in actor.institution else "exclude"
                    surfaces += [Surface(longer + text[len(short):], kind, key)
                                 for longer in actor.names
                                 if longer != short and longer.endswith(" " + short)]
        for index, pattern in enumerate(actor.patterns):
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise _fail(actors.path, f"actors.{key}.patterns[{index}]",
                            f"bad regular expression {pattern!r}: {exc}") from exc
            actors.pattern_surfaces.append((compiled, Surface(pattern, "pattern", key)))
    for key, office in actors.offices.items():
        surfaces += [Surface(v, "office", key) for t in office.descriptions
                     for v in _with_capital(t)]
    for key, (texts, _) in actors.generic.items():
        surfaces += [Surface(t, "generic", key) for t in texts]
    seen: dict[str, Surface] = {}
    for surface in surfaces:
        previous = seen.get(surface.text)
        if previous is not None and previous != surface:
            raise _fail(
                actors.path, f"{_section(surface)}",
                f"duplicate surface {surface.text!r}: also listed under {_section(previous)}",
            )
        seen[surface.text] = surface
    actors.surfaces = list(seen.values())
    actors.namesake_gender = {t: g for a in actors.actors.values() for t, g in a.namesakes}
    actors.by_surface = seen
    # A trie of the surfaces: the longest one wins ("Donald Trump Jr." over "Donald Trump"),
    # and the engine tries one branch per character instead of every surface in turn.
    # Not after a word character or a dot; the check follows each surface's first character
    # so the engine can jump between candidate first characters (see _patterns).
    actors.matcher = re.compile(trie_pattern(list(seen), not_after=r"[\w.]") + r"(?![\w])")


def _section(surface: Surface) -> str:
    if surface.kind == "office":
        return f"offices.{surface.target}.descriptions"
    if surface.kind == "generic":
        return f"generic.{surface.target}.surfaces"
    plural = {"name": "names", "description": "descriptions", "namesake": "namesakes"}.get(
        surface.kind, surface.kind)
    return f"actors.{surface.target}.{plural}"
