"""Duplicates and deliberately imperfect rows.

Wire copies
    An article republished by another outlet 1 to 48 hours later, with a new headline, a
    "(Wire) —" dateline, another byline, and small edits: the last sentence of a paragraph that
    is not a Trump passage dropped, and/or one word swapped for a synonym. Passages keep their
    planted roles.
Exact copies
    The same outlet posting the same row again under a new ``doc_id``; every other field is
    identical.
Quirks
    ``short_text`` (under 20 words), ``mojibake_text`` (UTF-8 read as Windows-1252 in the body,
    e.g. "Ã‰lysÃ©e" for "Élysée"; ftfy repairs it), ``mojibake_title`` and ``extra_whitespace``
    (leading and trailing blanks, doubled spaces, a no-break space, a triple newline).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Callable

from framing.synthetic._outlets import OUTLETS
from framing.synthetic._plan import END_OF_YEAR, Doc, weighted
from framing.synthetic._render import Paragraph, Sentence, Spacing, templates

QUIRK_CYCLE: tuple[str, ...] = (
    "short_text",
    "mojibake_text",
    "extra_whitespace",
    "short_text",
    "mojibake_title",
    "extra_whitespace",
    "mojibake_text",
    "short_text",
    "extra_whitespace",
    "extra_whitespace",
)

_SHORT_TEXTS = templates(
    (
        "This story is developing and will be updated.",
        "Live coverage has ended for today, and our full report follows shortly.",
        "Correction: an earlier version of this article gave the wrong date for the meeting.",
        "Editor's note: this article has been updated with new figures.",
    )
)
_ACCENTED = templates(
    (
        'At the Élysée, one adviser described the mood as "prudent, très prudent."',
        "The café across from the ministry, a favourite of négociateurs, stayed open late.",
        'A French diplomat called the draft "un premier pas" and said the Élysée would respond.',
    )
)
_SYNONYMS = {
    "said": "stated",
    "talks": "negotiations",
    "meeting": "session",
    "officials": "aides",
    "warned": "cautioned",
    "several": "a number of",
    "percent": "per cent",
    "Russia's": "Moscow's",
    "announced": "unveiled",
}
_SYNONYM_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _SYNONYMS) + r")\b")
_WIRE_PREFIXES = ("", "", "", "Update: ", "Analysis: ", "What we know: ")


def mojibake(text: str) -> str:
    """UTF-8 bytes decoded as Windows-1252: 'Élysée' becomes 'Ã‰lysÃ©e'."""
    return text.encode("utf-8").decode("cp1252")


def _other_author(rng: random.Random, doc: Doc, source: Doc) -> str:
    return rng.choice([a for a in doc.outlet.authors if a != source.author])


def _drop_sentence(rng: random.Random, paragraphs: list[Paragraph]) -> bool:
    candidates = [
        i for i, p in enumerate(paragraphs) if i and p.label is None and len(p.sentences) >= 2
    ]
    if not candidates:
        return False
    i = rng.choice(candidates)
    para = paragraphs[i]  # the last sentence: no pronoun later in the paragraph leans on it
    paragraphs[i] = dataclasses.replace(para, sentences=para.sentences[:-1])
    return True


def _swap_word(rng: random.Random, paragraphs: list[Paragraph]) -> bool:
    spots = [
        (i, k)
        for i, p in enumerate(paragraphs)
        if p.label is None
        for k, s in enumerate(p.sentences)
        if any(isinstance(seg, str) and _SYNONYM_RE.search(seg) for seg in s.segments)
    ]
    if not spots:
        return False
    i, k = rng.choice(spots)
    para = paragraphs[i]
    sentence = para.sentences[k]
    segments = list(sentence.segments)
    for j, seg in enumerate(segments):
        if isinstance(seg, str) and _SYNONYM_RE.search(seg):
            segments[j] = _SYNONYM_RE.sub(lambda m: _SYNONYMS[m.group(1)], seg, count=1)
            break
    sentences = list(para.sentences)
    sentences[k] = Sentence(tuple(segments), sentence.focus)
    paragraphs[i] = dataclasses.replace(para, sentences=sentences)
    return True


def plan_wire_copy(rng: random.Random, source: Doc, seq: int) -> Doc:
    """A copy of ``source`` by another outlet, 1-48 hours later; its text comes later."""
    outlet = weighted(rng, {o: o.share for o in OUTLETS if o is not source.outlet})
    delay = dt.timedelta(minutes=rng.randint(60, 48 * 60))
    return Doc(
        seq=seq,
        outlet=outlet,
        when=min(source.when + delay, END_OF_YEAR),
        date_kind=weighted(rng, outlet.date_formats),
        is_ukraine=source.is_ukraine,
        main_topic=source.main_topic,
        minor_topic=source.minor_topic,
        event=source.event,
        seed=rng.getrandbits(63),
        is_wire_copy=True,
        source=source,
    )


def fill_wire_copy(copy: Doc, source: Doc, new_title: Callable[[random.Random], str]) -> None:
    """Give a planned wire copy the lightly edited body of its (freshly composed) source."""
    rng = random.Random(copy.seed)
    paragraphs = list(source.paragraphs)
    dropped = rng.random() < 0.6 and _drop_sentence(rng, paragraphs)
    if not dropped or rng.random() < 0.5:
        _swap_word(rng, paragraphs)
    copy.paragraphs = paragraphs
    city = source.dateline.removesuffix(" — ")
    copy.dateline = f"{city} (Wire) — " if city else "(Wire) — "
    copy.title = rng.choice(_WIRE_PREFIXES) + new_title(rng)
    copy.author = _other_author(rng, copy, source)
    copy.section = copy.outlet.sections["ukraine" if source.is_ukraine else source.main_topic]


def plan_exact_copy(source: Doc, seq: int) -> Doc:
    """The same row posted again by the same outlet; its fields are copied when it is written."""
    return dataclasses.replace(source, seq=seq, is_exact_copy=True, source=source)


def fill_exact_copy(copy: Doc, source: Doc) -> None:
    """Copy every field of the (freshly composed) source."""
    for name in ("title", "dateline", "paragraphs", "author", "section", "url", "outlet_label"):
        setattr(copy, name, getattr(source, name))


def apply_quirk(rng: random.Random, doc: Doc, quirk: str) -> None:
    """Make ``doc`` imperfect in the way ``quirk`` names (in place)."""
    doc.quirk = quirk
    first = doc.paragraphs[0]
    if quirk == "short_text":  # distinct texts, so that no two short rows are duplicates
        text = plain(_SHORT_TEXTS[doc.quirk_rank % len(_SHORT_TEXTS)])
        if doc.quirk_rank >= len(_SHORT_TEXTS):
            text = f"{text[:-1]} (item {doc.quirk_rank + 1})."
        sentence = Sentence((text,), None)
        doc.paragraphs = [Paragraph([sentence], first.topic, first.in_issue)]
        doc.dateline = ""
    elif quirk == "mojibake_text":
        sentence = Sentence((plain(rng.choice(_ACCENTED)),), None)
        at = rng.randint(1, len(doc.paragraphs))
        extra = Paragraph([sentence], doc.main_topic, doc.is_ukraine)
        doc.paragraphs = [*doc.paragraphs[:at], extra, *doc.paragraphs[at:]]
        doc.transform = mojibake
    elif quirk == "mojibake_title":
        doc.title = mojibake(f"{doc.title} — réaction à l'Élysée")
    elif quirk == "extra_whitespace":
        n_sentences = sum(len(p.sentences) for p in doc.paragraphs)
        gaps: dict[tuple[int, int], str] = {}
        spots = [(i, k) for i, p in enumerate(doc.paragraphs) for k in range(1, len(p.sentences))]
        for spot, gap in zip(rng.sample(spots, min(3, len(spots))), ("  ", "\u00a0", "   "),
                             strict=False):
            gaps[spot] = gap
        para_gaps: dict[int, str] = {}
        if len(doc.paragraphs) > 1:
            para_gaps[rng.randrange(1, len(doc.paragraphs))] = "\n\n\n"
        doc.spacing = Spacing(
            lead="  ",
            trail=" \n" if n_sentences else "",
            sentence_gap=gaps,
            paragraph_gap=para_gaps,
        )
        doc.title = f" {doc.title}  "
    else:
        raise ValueError(f"unknown quirk {quirk!r}")


def plain(template: tuple[tuple[int, str], ...]) -> str:
    """The text of a template that has no slots."""
    return "".join(value for _, value in template)
