"""Codebooks as data: frames, their definitions, rules, examples and lexicon, in a YAML file.

The default codebook ships as ``framing/data/codebooks/trump_ukraine_roles.yaml`` and documents
the format in its header. :func:`load_codebook` validates a file (errors name the file and the
key: ``x.yaml: field 'frames.skeptic.lexicon[3]': weight must be a positive number``) and
returns a frozen :class:`Codebook` whose ``sha256`` (of the file's bytes) travels with every
model and result made from it.

``single_label: true`` says the frames are exclusive: every passage is coded with exactly one
of them, or with the none category (headline frames, an entity's main role). Models trained on
such a codebook decide one frame per passage (:class:`~framing.frames.SingleLabelClassifier`)
and measure prevalence as shares that sum to one. The default is ``false``: frames are
independent and a passage may carry several.

A term listed under two frames is allowed (``deal`` may well hint at two roles); such overlaps
are reported in :attr:`Codebook.overlaps` and logged, not raised. A term listed twice under one
frame is an error.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import Any

from framing._types import PathLike
from framing.corpus import InputError
from framing.corpus._datafiles import read_data_file

logger = logging.getLogger(__name__)

_TOP_KEYS = ("name", "version", "description", "unit", "actor", "instructions", "none_label",
             "single_label", "frames")
_FRAME_KEYS = ("label", "definition", "include", "exclude", "positive_examples",
               "negative_examples", "lexicon")
_ENTRY_KEYS = ("term", "pattern", "weight")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: The words of a term or a text: letters and digits, with inner apostrophes (won't, Europe's).
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})


def normalize_words(text: str) -> list[str]:
    """The lower-case words of ``text``, possessive ``'s`` dropped, hyphens as word breaks.

    Examples
    --------
    >>> normalize_words("Europe\u2019s cease-fire, U.S. troops")
    ['europe', 'cease', 'fire', 'u', 's', 'troops']
    """
    return [word[:-2] if word.endswith("'s") and len(word) > 2 else word
            for word in WORD.findall(text.translate(_APOSTROPHES).lower())]


@dataclass(frozen=True)
class LexiconTerm:
    """One lexicon entry: a term (``words``, ``*`` ending a word = any ending) or a pattern."""

    text: str
    weight: float = 1.0
    is_pattern: bool = False

    def to_dict(self) -> dict[str, Any]:
        """``{"term": ..., "weight": ...}`` or ``{"pattern": ..., "weight": ...}``."""
        return {"pattern" if self.is_pattern else "term": self.text, "weight": self.weight}


@dataclass(frozen=True)
class Frame:
    """One frame (or the none category) of a codebook."""

    name: str
    label: str
    definition: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    positive_examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()
    lexicon: tuple[LexiconTerm, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The frame as plain data (lists and dicts), as written in the file."""
        lists = {key: list(getattr(self, key)) for key in _FRAME_KEYS[2:6]}
        return {"label": self.label, "definition": self.definition, **lists,
                "lexicon": [term.to_dict() for term in self.lexicon]}


@dataclass(frozen=True, repr=False)
class Codebook:
    """A validated codebook.

    Attributes
    ----------
    frames : dict of str to Frame
        Every frame by name, in the file's order, the none category included.
    frame_names : tuple of str
        The frames proper, in the file's order, without the none category.
    none_label : str
        The name of the none category (``"none"``).
    path : str
        The file read (``framing/data/codebooks/<name>.yaml`` for a shipped codebook).
    sha256 : str
        Hash of the file's bytes: record it with every model and result.
    overlaps : tuple of (str, tuple of str)
        Terms listed under more than one frame, with those frames.
    single_label : bool
        Whether every passage carries exactly one frame (or the none category): the file's
        ``single_label`` key, ``False`` when absent.

    Examples
    --------
    >>> codebook = load_codebook()
    >>> codebook.frame_names, codebook.none_label
    (('peacemaker', 'isolationist', 'skeptic'), 'none')
    >>> codebook.frames["skeptic"].label
    'Skeptic'
    """

    name: str
    version: str
    frames: dict[str, Frame]
    frame_names: tuple[str, ...]
    none_label: str
    path: str
    sha256: str
    description: str = ""
    unit: str = ""
    actor: str = ""
    instructions: tuple[str, ...] = ()
    overlaps: tuple[tuple[str, tuple[str, ...]], ...] = ()
    single_label: bool = False

    def __repr__(self) -> str:
        return (f"Codebook(name={self.name!r}, version={self.version!r}, "
                f"frame_names={self.frame_names!r}, sha256={self.sha256[:12]!r}...)")

    def to_dict(self) -> dict[str, Any]:
        """The codebook as plain data (for manifests and model cards), hash and path included.

        Examples
        --------
        >>> data = load_codebook().to_dict()
        >>> data["name"], len(data["sha256"]), list(data["frames"])
        ('trump_ukraine_roles', 64, ['peacemaker', 'isolationist', 'skeptic', 'none'])
        """
        return {
            "name": self.name, "version": self.version, "sha256": self.sha256,
            "path": self.path, "description": self.description, "unit": self.unit,
            "actor": self.actor, "instructions": list(self.instructions),
            "none_label": self.none_label, "single_label": self.single_label,
            "frame_names": list(self.frame_names),
            "frames": {name: frame.to_dict() for name, frame in self.frames.items()},
            "overlaps": [[term, list(frames)] for term, frames in self.overlaps],
        }


# -- reading ------------------------------------------------------------------------------------

def _read(source: PathLike) -> tuple[dict[str, Any], str, str]:
    return read_data_file(source, "codebooks")


# -- validating ---------------------------------------------------------------------------------

def _text(path: str, key: str, value: Any, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise InputError("missing: must be a non-empty string" if value is None
                         else f"must be a non-empty string, not {value!r}", path=path, field=key)
    return " ".join(value.split())


def _texts(path: str, key: str, value: Any, *, required: bool = False) -> tuple[str, ...]:
    if value is None:
        if required:
            raise InputError("missing: list at least one", path=path, field=key)
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError("must be a list of strings", path=path, field=key)
    if not value:
        raise InputError("empty: list at least one (or leave the key out)", path=path, field=key)
    items = tuple(_text(path, f"{key}[{i}]", item, required=True)
                  for i, item in enumerate(value))
    for i, item in enumerate(items):
        if item in items[:i]:
            raise InputError(f"duplicate of {key}[{items.index(item)}]", path=path,
                             field=f"{key}[{i}]")
    return items


def term_words(text: str) -> tuple[tuple[str, bool], ...]:
    """A term's words, each with whether it is a prefix (``*`` ended it).

    Examples
    --------
    >>> term_words("walk* away")
    (('walk', True), ('away', False))
    >>> term_words("no U.S. troops")
    (('no', False), ('u', False), ('s', False), ('troops', False))
    """
    words: list[tuple[str, bool]] = []
    for chunk in text.replace("-", " ").split():
        parts = normalize_words(chunk.rstrip("*"))
        words += [(part, False) for part in parts[:-1]]
        if parts:
            words.append((parts[-1], chunk.endswith("*")))
    return tuple(words)


def term_key(text: str) -> str:
    """The form under which two terms count as the same (``Peace-Deal`` = ``peace deal``)."""
    return " ".join(word + ("*" if prefix else "") for word, prefix in term_words(text))


def _term(path: str, key: str, entry: Any) -> LexiconTerm:
    if isinstance(entry, str):
        entry = {"term": entry}
    if not isinstance(entry, dict):
        raise InputError("must be a term (a string) or a mapping with 'term' or 'pattern' and "
                         f"an optional 'weight', not {entry!r}", path=path, field=key)
    extra = sorted(set(entry) - set(_ENTRY_KEYS), key=str)
    if extra or ("term" in entry) == ("pattern" in entry):
        problem = f"unknown key {extra[0]!r}" if extra else "give exactly one of term or pattern"
        raise InputError(f"{problem}; expected {list(_ENTRY_KEYS)}", path=path, field=key)
    weight = entry.get("weight", 1)
    if (isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0
            or not math.isfinite(weight)):
        raise InputError(f"weight must be a positive number, not {weight!r}", path=path,
                         field=f"{key}.weight")
    is_pattern = "pattern" in entry
    text = entry["pattern" if is_pattern else "term"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"terms must be non-empty strings, not {text!r}", path=path, field=key)
    if is_pattern:
        try:
            re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise InputError(f"bad regular expression {text!r}: {exc}", path=path,
                             field=key) from exc
    else:
        text = " ".join(text.split())
        if any("*" in word[:-1] or not normalize_words(word)
               for word in text.replace("-", " ").split()):
            raise InputError(f"bad term {text!r}: words are letters and digits, and '*' may "
                             "only end a word", path=path, field=key)
    return LexiconTerm(text=text.strip(), weight=float(weight), is_pattern=is_pattern)


def _frame(path: str, name: Any, entry: Any, *, is_none: bool) -> Frame:
    where = f"frames.{name}"
    if not isinstance(name, str) or not _NAME.match(name):
        raise InputError("frame names are lower-case identifiers (a-z, 0-9, _)", path=path,
                         field=where)
    if not isinstance(entry, dict):
        raise InputError("must be a mapping with at least 'definition'", path=path, field=where)
    extra = sorted(set(entry) - set(_FRAME_KEYS), key=str)
    if extra:
        raise InputError(f"unknown key; expected {list(_FRAME_KEYS)}", path=path,
                         field=f"{where}.{extra[0]}")
    positive = _texts(path, f"{where}.positive_examples", entry.get("positive_examples"),
                      required=not is_none)
    negative = _texts(path, f"{where}.negative_examples", entry.get("negative_examples"))
    both = [i for i, sentence in enumerate(negative) if sentence in positive]
    if both:
        raise InputError("also listed as a positive example", path=path,
                         field=f"{where}.negative_examples[{both[0]}]")
    raw_lexicon = entry.get("lexicon")
    if is_none and raw_lexicon is not None:
        raise InputError("the none category has no lexicon: it is what remains when no "
                         "frame applies", path=path, field=f"{where}.lexicon")
    lexicon: list[LexiconTerm] = []
    if not is_none:
        if raw_lexicon is None or raw_lexicon == []:
            raise InputError("missing: list the frame's lexicon terms", path=path,
                             field=f"{where}.lexicon")
        if not isinstance(raw_lexicon, list):
            raise InputError("must be a list of terms", path=path, field=f"{where}.lexicon")
        seen: dict[str, int] = {}
        for i, item in enumerate(raw_lexicon):
            term = _term(path, f"{where}.lexicon[{i}]", item)
            key = term.text if term.is_pattern else term_key(term.text)
            if key in seen:
                raise InputError(f"duplicate term {term.text!r}: also {where}.lexicon"
                                 f"[{seen[key]}]", path=path, field=f"{where}.lexicon[{i}]")
            seen[key] = i
            lexicon.append(term)
    label = entry.get("label", name.replace("_", " ").capitalize())
    return Frame(
        name=name, label=_text(path, f"{where}.label", label, required=True),
        definition=_text(path, f"{where}.definition", entry.get("definition"), required=True),
        include=_texts(path, f"{where}.include", entry.get("include")),
        exclude=_texts(path, f"{where}.exclude", entry.get("exclude")),
        positive_examples=positive, negative_examples=negative, lexicon=tuple(lexicon),
    )


def load_codebook(source: PathLike = "trump_ukraine_roles") -> Codebook:
    """Load and validate a codebook: the name of a shipped one, or a path to a YAML file.

    Parameters
    ----------
    source : str or path-like, default="trump_ukraine_roles"
        A shipped codebook's name (``framing/data/codebooks/<name>.yaml``) or a ``.yaml`` path.

    Returns
    -------
    Codebook
        The frames in file order, the none category, the file's path and sha256.

    Raises
    ------
    InputError
        Naming the file and the key: YAML syntax (with the line), an unknown or repeated key,
        a missing name, version or definition, a bad frame name, fewer than two frames besides
        none, no none category, an empty or repeated example, a bad term, weight or pattern,
        a ``single_label`` that is not true or false.

    Examples
    --------
    >>> codebook = load_codebook("trump_ukraine_roles")
    >>> codebook.name, codebook.version, codebook.path
    ('trump_ukraine_roles', '1.0', 'framing/data/codebooks/trump_ukraine_roles.yaml')
    >>> codebook.frames["peacemaker"].lexicon[0]
    LexiconTerm(text='broker*', weight=2.0, is_pattern=False)
    """
    data, path, sha = _read(source)
    extra = sorted(set(data) - set(_TOP_KEYS), key=str)
    if extra:
        raise InputError(f"unknown key; expected {list(_TOP_KEYS)}", path=path,
                         field=str(extra[0]))
    name = _text(path, "name", data.get("name"), required=True)
    version = data.get("version")
    is_number = isinstance(version, int | float) and not isinstance(version, bool)
    version = _text(path, "version", str(version) if is_number else version, required=True)
    none_label = _text(path, "none_label", data.get("none_label", "none"), required=True)
    single_label = data.get("single_label", False)
    if not isinstance(single_label, bool):
        raise InputError(f"must be true (one frame per passage) or false (frames are "
                         f"independent), not {single_label!r}", path=path, field="single_label")
    raw_frames = data.get("frames")
    if not isinstance(raw_frames, dict) or not raw_frames:
        raise InputError("missing: map each frame's name to its entry", path=path,
                         field="frames")
    frames = {key: _frame(path, key, entry, is_none=key == none_label)
              for key, entry in raw_frames.items()}
    if none_label not in frames:
        raise InputError(f"no {none_label!r} category: define what a passage with none of the "
                         "frames is", path=path, field=f"frames.{none_label}")
    frame_names = tuple(key for key in frames if key != none_label)
    if len(frame_names) < 2:
        raise InputError(f"needs at least 2 frames besides {none_label!r}, found "
                         f"{len(frame_names)}", path=path, field="frames")
    where: dict[str, list[str]] = {}
    for frame in frames.values():
        for term in frame.lexicon:
            where.setdefault(term.text if term.is_pattern else term_key(term.text),
                             []).append(frame.name)
    overlaps = tuple((key, tuple(names)) for key, names in where.items() if len(names) > 1)
    for key, names in overlaps:
        logger.info("%s: term %r is listed under %s", path, key, " and ".join(names))
    return Codebook(
        name=name, version=version, frames=frames, frame_names=frame_names,
        none_label=none_label, path=path, sha256=sha,
        description=_text(path, "description", data.get("description")),
        unit=_text(path, "unit", data.get("unit")),
        actor=_text(path, "actor", data.get("actor")),
        instructions=_texts(path, "instructions", data.get("instructions")),
        overlaps=overlaps, single_label=single_label,
    )
