"""Generate the sample corpus: plan, compose, copy, spoil a few rows, render, write.

Randomness comes from one ``numpy.random.SeedSequence(random_state)``, spawned into independent
streams (plan, copies, quirks, rows); every article then gets its own ``random.Random`` seeded
from the plan stream, so the text of one article does not depend on how many words the others
drew. Nothing reads the clock or the global generators, and every file is written with sorted
keys and fixed float formats, so the same arguments give byte-identical files.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import json
import os
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from framing.corpus._atomic import atomic_write
from framing.corpus._errors import StoreExistsError
from framing.corpus._params import InstanceOf, Interval, validate_params
from framing.synthetic._compose import FILLERS, STICKY, Composer, event_context
from framing.synthetic._copies import (
    QUIRK_CYCLE,
    apply_quirk,
    fill_exact_copy,
    fill_wire_copy,
    plan_exact_copy,
    plan_wire_copy,
)
from framing.synthetic._outlets import OUTLETS, ROLES, alias_rows
from framing.synthetic._plan import END_OF_YEAR, Doc, format_date, plan_originals
from framing.synthetic._render import Rendered, Style, Writer, render
from framing.synthetic._timeline import role_probabilities

WIRE_RATE = 0.02
EXACT_RATE = 0.0025
QUIRK_RATE = 0.005
ARTICLE_FIELDS = ("author", "date", "doc_id", "outlet", "section", "text", "title", "url")
FILES = (
    "articles.jsonl",
    "outlet_aliases.csv",
    "truth/documents.csv",
    "truth/sentences.csv",
    "truth/mentions.csv",
    "truth/passages.csv",
    "truth/prevalence.csv",
)
_SLUG = re.compile(r"[^a-z0-9]+")


def _writer(doc: Doc, rng: random.Random) -> Writer:
    outlet = doc.outlet
    style = Style(outlet.us, outlet.british, outlet.honorific, outlet.president_title)
    return Writer(rng, style, doc.when.month, FILLERS, event_context(doc.event), STICKY)


def _composer(doc: Doc, rng: random.Random) -> Composer:
    month = doc.when.month
    probs = role_probabilities(doc.outlet, month)
    return Composer(rng, _writer(doc, rng), doc.outlet, month, probs, doc.event)


def _byline(rng: random.Random, authors: Sequence[str]) -> str:
    first = rng.choice(authors)
    if rng.random() < 0.1:
        second = rng.choice([a for a in authors if a != first])
        return f"{first} and {second}"
    return first


def compose(doc: Doc) -> None:
    """Fill in the title, dateline, body, byline and section of an original article."""
    rng = random.Random(doc.seed)
    composer = _composer(doc, rng)
    outlet = doc.outlet
    if doc.is_ukraine:
        doc.paragraphs = composer.ukraine_article(doc.main_topic, doc.minor_topic)
        doc.dateline = f"{doc.event.dateline} — " if outlet.dateline else ""
    else:
        doc.paragraphs = composer.background_article(doc.main_topic, doc.minor_topic)
        political = outlet.dateline and doc.main_topic == "domestic_politics"
        doc.dateline = "WASHINGTON — " if political and rng.random() < 0.5 else ""
    doc.title = composer.title(doc.main_topic)
    doc.author = _byline(rng, outlet.authors)
    doc.section = outlet.sections["ukraine" if doc.is_ukraine else doc.main_topic]


def _url(doc: Doc) -> str:
    _, local_day = format_date(doc.when, doc.date_kind)
    section = _SLUG.sub("-", doc.section.lower()).strip("-")
    slug = _SLUG.sub("-", doc.title.lower()).strip("-")[:60].rstrip("-")
    serial = (doc.seq * 2654435761 + 12345) % 100_000_000
    return f"https://www.{doc.outlet.domain}/{section}/{local_day:%Y/%m/%d}/{slug}-{serial:08d}"


def _new_title(rng: random.Random, source: Doc) -> str:
    composer = _composer(source, rng)
    for _ in range(6):
        title = composer.title(source.main_topic)
        if title != source.title:
            return title
    return f"{source.title}, in brief"


def plan_documents(n_articles: int, random_state: int) -> list[Doc]:
    """Every row of the corpus, sorted by publication time and numbered; no text yet.

    Bodies are composed one row at a time when the files are written (see
    :func:`iter_rendered`), so memory stays flat however many articles are asked for.
    """
    streams = np.random.SeedSequence(random_state).spawn(4)
    seeds = [int(s.generate_state(1, dtype=np.uint64)[0]) for s in streams]
    plan_rng, copy_rng, quirk_rng, row_rng = (random.Random(s) for s in seeds)

    n_wire = round(n_articles * WIRE_RATE)
    n_exact = round(n_articles * EXACT_RATE)
    n_original = n_articles - n_wire - n_exact
    originals = plan_originals(plan_rng, n_original)

    latest = END_OF_YEAR - dt.timedelta(days=2)
    candidates = [d for d in originals if d.when < latest]
    ukraine = [d for d in candidates if d.is_ukraine]
    other = [d for d in candidates if not d.is_ukraine]
    n_wire_ukraine = min(len(ukraine), round(n_wire * 0.8))
    wire_sources = copy_rng.sample(ukraine, n_wire_ukraine)
    wire_sources += copy_rng.sample(other, min(len(other), n_wire - n_wire_ukraine))
    taken = {d.seq for d in wire_sources}
    rest = [d for d in candidates if d.seq not in taken]
    exact_sources = copy_rng.sample(rest, min(len(rest), n_exact))
    taken |= {d.seq for d in exact_sources}

    copies: list[Doc] = []
    for source in sorted(wire_sources, key=lambda d: d.seq):
        copies.append(plan_wire_copy(copy_rng, source, n_original + len(copies)))
    for source in sorted(exact_sources, key=lambda d: d.seq):
        copies.append(plan_exact_copy(source, n_original + len(copies)))

    spoilable = [d for d in originals if d.seq not in taken]
    n_quirks = min(len(spoilable), round(n_articles * QUIRK_RATE))
    ranks: dict[str, int] = {}
    for i, doc in enumerate(quirk_rng.sample(spoilable, n_quirks)):
        doc.quirk = QUIRK_CYCLE[i % len(QUIRK_CYCLE)]
        doc.quirk_seed = quirk_rng.getrandbits(63)
        doc.quirk_rank = ranks.get(doc.quirk, 0)
        ranks[doc.quirk] = doc.quirk_rank + 1

    docs = sorted(originals + copies, key=lambda d: (d.when, d.seq))
    width = max(6, len(str(len(docs) - 1)))
    for number, doc in enumerate(docs):
        doc.doc_id = f"smp-{number:0{width}d}"
        if doc.is_exact_copy:
            continue  # takes the label of its source
        if doc.outlet.aliases and row_rng.random() < doc.outlet.alias_rate:
            doc.outlet_label = row_rng.choice(doc.outlet.aliases)
        else:
            doc.outlet_label = doc.outlet.name
    return docs


def _recompose(source: Doc) -> Doc:
    """The source article composed again from its seed (identical to the first time)."""
    twin = dataclasses.replace(source, paragraphs=[])
    compose(twin)
    return twin


def iter_rendered(docs: Iterable[Doc]) -> Iterator[tuple[Doc, Rendered]]:
    """Compose, spoil, render and yield each row in turn, then let go of its body."""
    for doc in docs:
        if doc.source is None:
            compose(doc)
            doc.url = _url(doc)
            if doc.quirk:
                apply_quirk(random.Random(doc.quirk_seed), doc, doc.quirk)
        elif doc.is_exact_copy:
            fill_exact_copy(doc, _recompose(doc.source))
        else:
            source = _recompose(doc.source)
            fill_wire_copy(doc, source, lambda rng, s=source: _new_title(rng, s))
            doc.url = _url(doc)
        rendered = render(
            doc.paragraphs, dateline=doc.dateline, spacing=doc.spacing, transform=doc.transform
        )
        yield doc, rendered
        doc.paragraphs = []
        doc.spacing = None
        doc.transform = None


# -- tables ---------------------------------------------------------------------------------
def _f(x: float) -> str:
    return f"{x:.4f}"


def _article_line(doc: Doc, rendered: Rendered) -> str:
    date, _ = format_date(doc.when, doc.date_kind)
    row = {
        "author": doc.author,
        "date": date,
        "doc_id": doc.doc_id,
        "outlet": doc.outlet_label,
        "section": doc.section,
        "text": rendered.text,
        "title": doc.title,
        "url": doc.url,
    }
    return json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"


def _document_row(doc: Doc, rendered: Rendered) -> list[object]:
    words = rendered.topic_words
    total = sum(words.values()) or 1
    minor = doc.minor_topic if doc.minor_topic in words else ""
    return [
        doc.doc_id,
        doc.outlet.name,
        doc.outlet_label,
        doc.day.isoformat(),
        int(doc.is_ukraine),
        doc.main_topic,
        minor,
        _f(words.get(doc.main_topic, 0) / total),
        _f(words.get(minor, 0) / total if minor else 0.0),
        int(doc.is_wire_copy),
        int(doc.is_exact_copy),
        doc.source.doc_id if doc.source is not None else "",
        doc.quirk,
        len(rendered.text.split()),
        len(rendered.passages),
    ]


DOCUMENT_COLUMNS = (
    "doc_id", "outlet", "outlet_as_written", "date", "is_ukraine", "main_topic", "minor_topic",
    "main_weight", "minor_weight", "is_wire_copy", "is_exact_copy", "duplicate_of", "quirk",
    "n_words", "n_passages",
)
SENTENCE_COLUMNS = (
    "doc_id", "paragraph_id", "sentence_id", "start", "end", "is_about_trump", "trump_ref",
    "in_issue",
)
MENTION_COLUMNS = ("doc_id", "sentence_id", "start", "end", "surface", "actor", "resolved_by")
PASSAGE_COLUMNS = (
    "doc_id", "paragraph_id", "start", "end", "peacemaker", "isolationist", "skeptic",
    "is_ambiguous", "outlet", "month", "date", "is_duplicate", "expression", "has_negated_cue",
    "has_distractor",
)
PREVALENCE_COLUMNS = ("outlet", "month", "frame", "p_generating", "share", "n_passages")


def _csv(stack: contextlib.ExitStack, path: Path, columns: Sequence[str], force: bool) -> Any:
    handle = stack.enter_context(atomic_write(path, force=force))
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    return writer


def _prevalence_rows(counts: dict[tuple[str, int], list[int]]) -> list[list[object]]:
    rows: list[list[object]] = []
    for outlet in sorted(OUTLETS, key=lambda o: o.name):
        for month in range(1, 13):
            n, *hits = counts.get((outlet.key, month), [0, 0, 0, 0])
            probs = role_probabilities(outlet, month)
            for r, role in enumerate(ROLES):
                share = _f(hits[r] / n) if n else ""
                rows.append([outlet.name, f"2025-{month:02d}", role, _f(probs[r]), share, n])
    return rows


def write_corpus(out: Path, docs: Sequence[Doc], force: bool) -> dict[str, int]:
    """Stream the articles and truth tables to ``out``; return the counts."""
    totals = dict.fromkeys(
        ("n_sentences", "n_mentions", "n_passages", "n_ambiguous_passages"), 0
    )
    prevalence: dict[tuple[str, int], list[int]] = {}
    truth = out / "truth"
    with contextlib.ExitStack() as stack:
        articles = stack.enter_context(atomic_write(out / "articles.jsonl", force=force))
        documents = _csv(stack, truth / "documents.csv", DOCUMENT_COLUMNS, force)
        sentences = _csv(stack, truth / "sentences.csv", SENTENCE_COLUMNS, force)
        mentions = _csv(stack, truth / "mentions.csv", MENTION_COLUMNS, force)
        passages = _csv(stack, truth / "passages.csv", PASSAGE_COLUMNS, force)
        for doc, rendered in iter_rendered(docs):
            doc_id = doc.doc_id
            articles.write(_article_line(doc, rendered))
            documents.writerow(_document_row(doc, rendered))
            sentences.writerows([doc_id, *row] for row in rendered.sentences)
            mentions.writerows([doc_id, *row] for row in rendered.mentions)
            month = doc.when.month
            for pid, start, end, label in rendered.passages:
                passages.writerow(
                    [
                        doc_id, pid, start, end, *label.roles, int(label.is_ambiguous),
                        doc.outlet.name, f"2025-{month:02d}", doc.day.isoformat(),
                        int(doc.is_duplicate), label.expression or "none",
                        int(label.has_negated_cue), int(label.has_distractor),
                    ]
                )
                totals["n_ambiguous_passages"] += label.is_ambiguous
                if not doc.is_duplicate:
                    cell = prevalence.setdefault((doc.outlet.key, month), [0, 0, 0, 0])
                    cell[0] += 1
                    for r in range(3):
                        cell[r + 1] += label.roles[r]
            totals["n_sentences"] += len(rendered.sentences)
            totals["n_mentions"] += len(rendered.mentions)
            totals["n_passages"] += len(rendered.passages)
    with contextlib.ExitStack() as stack:
        _csv(stack, truth / "prevalence.csv", PREVALENCE_COLUMNS, force).writerows(
            _prevalence_rows(prevalence)
        )
        _csv(stack, out / "outlet_aliases.csv", ("alias", "outlet"), force).writerows(
            alias_rows()
        )
    return {
        "n_articles": len(docs),
        "n_outlets": len({d.outlet.key for d in docs}),
        "n_ukraine": sum(d.is_ukraine for d in docs),
        "n_wire_copies": sum(d.is_wire_copy for d in docs),
        "n_exact_copies": sum(d.is_exact_copy for d in docs),
        "n_quirks": sum(bool(d.quirk) for d in docs),
        **totals,
    }


def generate_sample_corpus(
    out_dir: str | os.PathLike[str],
    *,
    n_articles: int = 2000,
    random_state: int = 20250101,
    force: bool = False,
) -> dict[str, int]:
    """Write a seeded, fictitious news corpus with planted ground truth to ``out_dir``.

    The corpus covers 2025 in six invented outlets: about 60 percent of the articles follow
    the Ukraine peace process, the rest are background news. Every Trump paragraph on the
    Ukraine issue carries a planted subset of the roles peacemaker, isolationist and skeptic,
    drawn with outlet- and month-specific probabilities. See ``corpora/sample/README.md``.

    Parameters
    ----------
    out_dir : str or PathLike
        Folder to write ``articles.jsonl``, ``outlet_aliases.csv`` and ``truth/*.csv`` into;
        created when missing.
    n_articles : int, default=2000
        Number of rows, including about 2 percent wire copies and 0.25 percent exact copies.
        Generation time grows linearly.
    random_state : int, default=20250101
        Seed; the same seed gives byte-identical files.
    force : bool, default=False
        Replace files that exist; otherwise refuse before writing anything.

    Returns
    -------
    dict
        Counts: ``n_articles``, ``n_outlets``, ``n_ukraine``, ``n_wire_copies``,
        ``n_exact_copies``, ``n_quirks``, ``n_sentences``, ``n_mentions``, ``n_passages``,
        ``n_ambiguous_passages``.

    Raises
    ------
    InputError
        If ``n_articles`` is not an int >= 1, ``random_state`` not an int >= 0 or ``force`` not
        a bool.
    StoreExistsError
        If one of the files exists and ``force`` is False.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     counts = generate_sample_corpus(tmp, n_articles=5, random_state=1)
    ...     first = json.loads((pathlib.Path(tmp) / "articles.jsonl").read_text().splitlines()[0])
    >>> counts["n_articles"], sorted(first)
    (5, ['author', 'date', 'doc_id', 'outlet', 'section', 'text', 'title', 'url'])
    """
    validate_params(
        "generate_sample_corpus",
        {"n_articles": n_articles, "random_state": random_state, "force": force},
        {
            "n_articles": [Interval(int, 1, None)],
            "random_state": [Interval(int, 0, None)],
            "force": [InstanceOf((bool,))],
        },
    )
    out = Path(out_dir)
    if not force:
        existing = [name for name in FILES if (out / name).exists()]
        if existing:
            raise StoreExistsError(
                f"{out}: {', '.join(existing)} exist; pass force=True (--force) to replace them"
            )
    docs = plan_documents(int(n_articles), int(random_state))
    return write_corpus(out, docs, force)
