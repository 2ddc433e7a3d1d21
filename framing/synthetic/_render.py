"""Templates to sentences, sentences to text, with the exact offset of every mention.

A template is a string with slots: ``{S}`` / ``{S's}`` / ``{O}`` name the sentence's focus actor
(subject, possessive, object), ``{putin}`` or ``{putin's}`` name a given actor, ``{euleader}``
draws one actor of a group, ``{US}`` and ``{defense}`` follow the outlet's style, and any other
``{name}`` is a filler (a list of sub-templates or a function of the random generator).
``[[Trump Tower]]`` marks a decoy: a string that contains an actor's name but is no mention of
the actor.

A sentence is a tuple of segments, plain strings and :class:`Mention` objects; a document is a
list of :class:`Paragraph`. :func:`render` joins them and records every offset as it goes, so
``text[start:end]`` is exactly the sentence, mention or passage the truth tables describe.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from framing.synthetic._actors import ACTORS, GROUPS, Actor, group_members

LITERAL, SLOT, DECOY = 0, 1, 2
Template = tuple[tuple[int, str], ...]
Filler = tuple[Template, ...] | Callable[[random.Random], str]

_TOKEN = re.compile(r"\{([A-Za-z0-9_']+)\}|\[\[([^\[\]]+)\]\]")
_STYLE_SLOTS = ("US", "defense", "Defense", "canceled", "neighbors", "kilometers")
_PRONOUN_OR_QUOTE = re.compile(r'"|\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]erself)\b')
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "herself"})
RESOLVED_RANK = {"none": 0, "pronoun": 1, "title": 2, "explicit": 3}


def compile_template(text: str) -> Template:
    """Split ``text`` into literal, slot and decoy parts (done once, at import)."""
    parts: list[tuple[int, str]] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            parts.append((LITERAL, text[pos : match.start()]))
        if match.group(1) is not None:
            parts.append((SLOT, match.group(1)))
        else:
            parts.append((DECOY, match.group(2)))
        pos = match.end()
    if pos < len(text):
        parts.append((LITERAL, text[pos:]))
    return tuple(parts)


def templates(texts: Iterable[str]) -> tuple[Template, ...]:
    """Compile a list of template strings."""
    return tuple(compile_template(text) for text in texts)


def slot_names(template: Template) -> set[str]:
    """The slot names of a template, without a possessive ``'s``."""
    return {value.removesuffix("'s") for kind, value in template if kind == SLOT}


@dataclass(frozen=True, slots=True)
class Mention:
    """A span naming an actor (or a decoy: ``actor="none"``, ``resolved_by="not_actor"``)."""

    surface: str
    actor: str
    resolved_by: str


Segment = str | Mention


@dataclass(slots=True)
class Sentence:
    """One sentence: its segments and the actor it is about (None for scene-setting)."""

    segments: tuple[Segment, ...]
    focus: str | None = None


@dataclass(slots=True)
class PassageLabel:
    """The planted roles of a Trump-in-Ukraine paragraph and how they were expressed."""

    roles: tuple[int, int, int]
    is_ambiguous: bool
    expression: str
    has_negated_cue: bool
    has_distractor: bool


@dataclass(slots=True)
class Paragraph:
    """A paragraph: its sentences, its topic and, for a Trump passage, its planted label."""

    sentences: list[Sentence]
    topic: str
    in_issue: bool
    label: PassageLabel | None = None


@dataclass(frozen=True, slots=True)
class Style:
    """The house style of an outlet, as far as names and spelling go."""

    us: str = "US"
    british: bool = False
    honorific: bool = False
    president_title: bool = False

    def word(self, slot: str) -> str:
        """Fill a style slot such as ``{US}`` or ``{defense}``."""
        if slot == "US":
            return self.us
        british = {
            "defense": ("defense", "defence"),
            "Defense": ("Defense", "Defence"),
            "canceled": ("canceled", "cancelled"),
            "neighbors": ("neighbors", "neighbours"),
            "kilometers": ("kilometers", "kilometres"),
        }[slot]
        return british[1] if self.british else british[0]

    def fill(self, text: str) -> str:
        """Fill the style slots of a plain string (actor names and titles)."""
        if "{" not in text:
            return text
        for slot in _STYLE_SLOTS:
            text = text.replace("{" + slot + "}", self.word(slot))
        return text


class Writer:
    """Fills templates for one document and remembers which actors it has already named.

    Parameters
    ----------
    rng : random.Random
        The document's generator; every choice is drawn from it, in order.
    style : Style
        The outlet's house style.
    month : int
        Month of the document (1-12); decides who may be drawn from a group.
    fillers : Mapping
        Filler name -> sub-templates or ``rng -> str`` function.
    context : Mapping
        Per-document fillers (the event's label, weekday, venue), taking precedence.
    sticky : frozenset of str
        Fillers drawn once per document and then repeated (the team, the company).
    """

    def __init__(
        self,
        rng: random.Random,
        style: Style,
        month: int,
        fillers: Mapping[str, Filler],
        context: Mapping[str, Filler | str],
        sticky: frozenset[str] = frozenset(),
    ) -> None:
        self.rng = rng
        self.sticky = sticky
        self.kept: dict[str, Template] = {}
        self.style = style
        self.month = month
        self.fillers = fillers
        self.context = context
        self.named: set[str] = set()

    # -- references -------------------------------------------------------------------------
    def _explicit(self, actor: Actor) -> str:
        rng, style = self.rng, self.style
        if actor.key not in self.named:
            self.named.add(actor.key)
            if len(actor.full) > 1 and rng.random() < (0.6 if style.president_title else 0.2):
                return style.fill(actor.full[1])
            return style.fill(actor.full[0])
        if style.honorific and rng.random() < 0.75:
            return actor.honorific
        if len(actor.short) > 1 and rng.random() < (0.5 if style.president_title else 0.12):
            return actor.short[1]
        return actor.short[0]

    def _pronoun(self, actor: Actor, case: str) -> str:
        if actor.female:
            return {"subj": "she", "obj": "her", "poss": "her"}[case]
        return {"subj": "he", "obj": "him", "poss": "his"}[case]

    def reference(
        self, key: str, case: str, *, focal: bool, continuing: bool, first: bool
    ) -> Mention:
        """Name actor ``key``: full name first, then surname, title or (focus only) pronoun."""
        actor = ACTORS[key]
        rng = self.rng
        if continuing and focal:
            r = rng.random()
            if r < 0.46:
                return Mention(self._pronoun(actor, case), key, "pronoun")
            if actor.bare_title and r < 0.66:
                return Mention(actor.bare_title, key, "title")
            if r < 0.76:
                return Mention(self.style.fill(rng.choice(actor.titles)), key, "title")
            return Mention(self._explicit(actor), key, "explicit")
        if key in self.named and rng.random() < (0.15 if first else 0.25):
            return Mention(self.style.fill(rng.choice(actor.titles)), key, "title")
        return Mention(self._explicit(actor), key, "explicit")

    # -- templates --------------------------------------------------------------------------
    def sentence(
        self,
        template: Template,
        *,
        focus: str | None = None,
        prev_focus: str | None = None,
        first: bool = False,
    ) -> Sentence:
        """Fill one template; ``prev_focus`` decides whether a pronoun may refer back."""
        out: list[Segment] = []
        picked: dict[str, str] = {}
        continuing = (not first) and focus is not None and prev_focus == focus
        self._fill(template, out, picked, focus, continuing, first)
        if focus is not None:
            out = _mark_pronouns(out, focus)
        return Sentence(_tidy(out), focus)

    def _fill(
        self,
        template: Template,
        out: list[Segment],
        picked: dict[str, str],
        focus: str | None,
        continuing: bool,
        first: bool,
    ) -> None:
        for kind, value in template:
            if kind == LITERAL:
                out.append(value)
            elif kind == DECOY:
                out.append(Mention(value, "none", "not_actor"))
            else:
                self._slot(value, out, picked, focus, continuing, first)

    def _slot(
        self,
        name: str,
        out: list[Segment],
        picked: dict[str, str],
        focus: str | None,
        continuing: bool,
        first: bool,
    ) -> None:
        possessive = name.endswith("'s")
        base = name[:-2] if possessive else name
        if base in ("S", "O"):
            if focus is None:
                raise KeyError(f"slot {{{name}}} needs a focus actor")
            case = "poss" if possessive else ("obj" if base == "O" else "subj")
            mention = self.reference(focus, case, focal=True, continuing=continuing, first=first)
            out.append(mention)
            if possessive and mention.resolved_by != "pronoun":
                out.append("'s")
            return
        key: str | None = None
        group = base.rstrip("0123456789")  # {usofficial2}: a second, different member
        if base in ACTORS:
            key = base
        elif group in GROUPS:
            key = picked.get(base)
            if key is None:
                used = set(picked.values())
                members = [
                    m for m in group_members(group, self.month) if m != focus and m not in used
                ]
                key = self.rng.choice(members)
                picked[base] = key
        if key is not None:
            if key == focus:
                mention = self.reference(key, "obj", focal=True, continuing=continuing, first=first)
            else:
                mention = self.reference(key, "obj", focal=False, continuing=False, first=first)
            out.append(mention)
            if possessive:
                out.append("'s")
            return
        if base in _STYLE_SLOTS:
            out.append(self.style.word(base))
            return
        filler = self.context.get(base)
        if filler is None:
            filler = self.fillers[base]
        if isinstance(filler, str):
            out.append(filler)
        elif callable(filler):
            out.append(filler(self.rng))
        else:
            template = self.kept.get(base) if base in self.sticky else None
            if template is None:
                template = self.rng.choice(filler)
                if base in self.sticky:
                    self.kept[base] = template
            self._fill(template, out, picked, focus, continuing, first)

    def paragraph(
        self,
        specs: Iterable[tuple[Template, str | None]],
        *,
        topic: str,
        in_issue: bool,
        label: PassageLabel | None = None,
    ) -> Paragraph:
        """Fill ``(template, focus)`` pairs in order, letting pronouns refer back."""
        sentences: list[Sentence] = []
        prev: str | None = None
        for i, (template, focus) in enumerate(specs):
            sentences.append(self.sentence(template, focus=focus, prev_focus=prev, first=i == 0))
            prev = focus
        return Paragraph(sentences, topic, in_issue, label)


def _mark_pronouns(out: list[Segment], focus: str) -> list[Segment]:
    """Turn the template's own "he", "his", "himself" (outside quotes) into mentions of the
    sentence's focus: in "{S} said he would go", the "he" is the focus actor too."""
    wanted = _FEMALE if ACTORS[focus].female else _MALE
    marked: list[Segment] = []
    inside = False
    for seg in out:
        if not isinstance(seg, str):
            marked.append(seg)
            continue
        pos = 0
        for match in _PRONOUN_OR_QUOTE.finditer(seg):
            word = match.group()
            if word == '"':
                inside = not inside
            elif not inside and word.lower() in wanted:
                marked.append(seg[pos : match.start()])
                marked.append(Mention(word, focus, "pronoun"))
                pos = match.end()
        marked.append(seg[pos:])
    return marked


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _tidy(out: list[Segment]) -> tuple[Segment, ...]:
    """Merge adjacent strings and capitalize the first letter of the sentence."""
    merged: list[Segment] = []
    for seg in out:
        if isinstance(seg, str):
            if not seg:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + seg
                continue
        merged.append(seg)
    if merged:
        head = merged[0]
        if isinstance(head, str):
            merged[0] = _capitalize(head)
        else:
            merged[0] = Mention(_capitalize(head.surface), head.actor, head.resolved_by)
    return tuple(merged)


@dataclass(slots=True)
class Spacing:
    """Whitespace of a document: normally one space between sentences, a blank line between
    paragraphs and nothing around the text; the ``extra_whitespace`` quirk changes it."""

    lead: str = ""
    trail: str = ""
    sentence_gap: dict[tuple[int, int], str] = field(default_factory=dict)
    paragraph_gap: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class Rendered:
    """A document's text and the truth rows that point into it."""

    text: str
    sentences: list[tuple[int, int, int, int, int, str, int]]
    mentions: list[tuple[int, int, int, str, str, str]]
    passages: list[tuple[int, int, int, PassageLabel]]
    topic_words: dict[str, int]


def render(
    paragraphs: list[Paragraph],
    *,
    dateline: str = "",
    spacing: Spacing | None = None,
    transform: Callable[[str], str] | None = None,
) -> Rendered:
    """Join paragraphs into text, recording sentence, mention and passage offsets.

    ``dateline`` ("KYIV — ") opens the first sentence. ``transform`` is applied to plain text
    segments only (the mojibake quirk), so names keep their spelling.
    """
    spacing = spacing or Spacing()
    pieces: list[str] = [spacing.lead]
    pos = len(spacing.lead)
    sentences: list[tuple[int, int, int, int, int, str, int]] = []
    mentions: list[tuple[int, int, int, str, str, str]] = []
    passages: list[tuple[int, int, int, PassageLabel]] = []
    topic_words: dict[str, int] = {}
    sentence_id = 0
    for pid, para in enumerate(paragraphs):
        if pid:
            gap = spacing.paragraph_gap.get(pid, "\n\n")
            pieces.append(gap)
            pos += len(gap)
        para_start = pos
        first_piece = len(pieces)
        for k, sentence in enumerate(para.sentences):
            if k:
                gap = spacing.sentence_gap.get((pid, k), " ")
                pieces.append(gap)
                pos += len(gap)
            start = pos
            best = 0
            segments: Iterable[Segment] = sentence.segments
            if pid == 0 and k == 0 and dateline:
                segments = (dateline, *sentence.segments)
            for seg in segments:
                if isinstance(seg, str):
                    piece = transform(seg) if transform else seg
                    pieces.append(piece)
                    pos += len(piece)
                    continue
                surface = seg.surface
                pieces.append(surface)
                mentions.append(
                    (sentence_id, pos, pos + len(surface), surface, seg.actor, seg.resolved_by)
                )
                pos += len(surface)
                if seg.actor == "trump":
                    best = max(best, RESOLVED_RANK[seg.resolved_by])
            kind = ("none", "pronoun", "title", "explicit")[best]
            sentences.append(
                (pid, sentence_id, start, pos, int(best > 0), kind, int(para.in_issue))
            )
            sentence_id += 1
        if para.label is not None:
            passages.append((pid, para_start, pos, para.label))
        n_words = len("".join(pieces[first_piece:]).split())
        topic_words[para.topic] = topic_words.get(para.topic, 0) + n_words
    pieces.append(spacing.trail)
    return Rendered("".join(pieces), sentences, mentions, passages, topic_words)
