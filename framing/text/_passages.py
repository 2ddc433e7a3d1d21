"""Passages: the sentences around each mention of the actor, in the issue, with all metadata.

For every document: split sentences, find and resolve mentions, take a window of ``window``
sentences on each side of every sentence that refers to the actor, merge windows that overlap
or touch,
keep the windows that belong to the issue, and number them ``doc_id:n``. Every document is
accounted for: it yields passages, or it is counted under the reason it yields none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from framing._types import PathLike
from framing.corpus import (
    Corpus,
    InputError,
    StoreExistsError,
    atomic_directory,
    check_output,
    validate_params,
)
from framing.corpus import Interval as _Interval
from framing.corpus._engine import (
    ENGINES,
    Engine,
    open_work_folder,
    plan_rows,
    run_batches,
    write_part,
)
from framing.text._actors import ActorSet, load_actors
from framing.text._issues import Issue, load_issue
from framing.text._mentions import find_mentions
from framing.text._sentences import split_sentences

COUNTED = ("explicit", "title", "pronoun")
_STRENGTH = {"explicit": 3, "institution": 2, "title": 2, "pronoun": 1}
_PARAMETERS = {
    "window": [_Interval(int, 0, 20)],
    "min_confidence": [_Interval(float, 0.0, 1.0)],
    "batch_size": [_Interval(int, 1, None)],
    "n_jobs": [_Interval(int, 1, 64)],
}
DOCUMENT_STATUSES = ("passages", "no_mention", "not_in_issue", "empty_text")


def _day(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def document_passages(
    doc_id: str,
    text: str,
    day: dt.date | None,
    actors: ActorSet,
    *,
    actor: str,
    issue: Issue | None,
    window: int,
    min_confidence: float,
    within_paragraph: bool = False,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Passages and mentions of one document, and its status (why it has no passage)."""
    if not isinstance(text, str) or not text.strip():
        return [], [], "empty_text"
    sentences = split_sentences(text)
    mentions = find_mentions(text, sentences, actors, day=day)
    counted = COUNTED + (("institution",) if actors.count_institution else ())
    mention_rows = [
        {"doc_id": doc_id, "mention_id": i, "sentence_id": m.sentence_id,
         "paragraph_id": sentences[m.sentence_id].paragraph_id, "start": m.start, "end": m.end,
         "surface": m.surface, "actor": m.actor, "resolved_by": m.resolved_by,
         "confidence": m.confidence, "reason": m.reason,
         "is_counted": m.actor == actor and m.resolved_by in counted
         and m.confidence >= min_confidence}
        for i, m in enumerate(mentions)
    ]
    hits = sorted({row["sentence_id"] for row in mention_rows if row["is_counted"]})
    if not hits:
        return [], mention_rows, "no_mention"
    windows: list[list[int]] = []
    for sentence_id in hits:
        low, high = max(0, sentence_id - window), min(len(sentences) - 1, sentence_id + window)
        if within_paragraph:
            paragraph = sentences[sentence_id].paragraph_id
            while sentences[low].paragraph_id != paragraph:
                low += 1
            while sentences[high].paragraph_id != paragraph:
                high -= 1
        if windows and low <= windows[-1][1] + 1:  # overlapping or touching: one passage
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    terms = issue.matches(text) if issue is not None else []
    doc_weight = float(sum(w for _, _, w in terms))
    passages = []
    for first, last in windows:
        start, end = sentences[first].start, sentences[last].end
        inside = [r for r in mention_rows
                  if r["is_counted"] and first <= r["sentence_id"] <= last]
        kinds = [r["resolved_by"] for r in inside]
        passage_text = text[start:end]
        inside_terms = [(s, e, w) for s, e, w in terms if start <= s and e <= end]
        weight = float(sum(w for _, _, w in inside_terms))
        if issue is not None and not issue.admits(weight, doc_weight):
            continue
        passages.append({
            "passage_id": f"{doc_id}:{len(passages)}", "doc_id": doc_id, "actor": actor,
            "start": start, "end": end, "text": passage_text,
            "first_sentence": first, "last_sentence": last,
            "n_mentions": len(inside), "n_explicit": kinds.count("explicit"),
            "n_title": kinds.count("title"), "n_pronoun": kinds.count("pronoun"),
            "resolved_by": max(kinds, key=_STRENGTH.__getitem__),
            "min_confidence": min(r["confidence"] for r in inside),
            "issue_weight": weight,
            "issue_terms": "; ".join(dict.fromkeys(text[s:e] for s, e, _ in inside_terms)),
            "document_issue_weight": doc_weight,
        })
    return passages, mention_rows, "passages" if passages else "not_in_issue"


def _batch(
    frame: pd.DataFrame, actors: ActorSet, actor: str, issue: Issue | None, window: int,
    min_confidence: float, within_paragraph: bool,
) -> tuple[list[dict], list[dict], list[dict]]:
    passages, mentions, statuses = [], [], []
    for doc_id, text, date in zip(frame["doc_id"], frame["text"], frame["date"], strict=True):
        found, mentioned, status = document_passages(
            doc_id, text, _day(date), actors, actor=actor, issue=issue, window=window,
            min_confidence=min_confidence, within_paragraph=within_paragraph,
        )
        passages += found
        mentions += mentioned
        statuses.append({"doc_id": doc_id, "status": status, "n_passages": len(found),
                         "n_mentions": sum(m["is_counted"] for m in mentioned)})
    return passages, mentions, statuses


@dataclass
class Passages:
    """What :func:`extract_passages` found: passages, mentions, per-document status, manifest.

    ``passages`` carries every metadata column of its document; ``documents`` says for every
    document whether it gave passages and, if not, why (no mention of the actor, not in the
    issue, empty text).
    """

    passages: pd.DataFrame
    mentions: pd.DataFrame
    documents: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        counts = self.documents["status"].value_counts().to_dict()
        return (f"Passages({len(self.passages):,} passages from {counts.get('passages', 0):,} "
                f"of {len(self.documents):,} documents; {len(self.mentions):,} mentions)")

    def _repr_html_(self) -> str:
        """In Jupyter: what each document gave, passages by outlet, and the first passages."""
        from framing.corpus._html import html_card, html_table

        status = (self.documents["status"].value_counts().rename_axis("document status")
                  .rename("documents").reset_index())
        facts = [("passages", len(self.passages)), ("mentions", len(self.mentions)),
                 ("documents", len(self.documents))]
        sections = [("Documents", html_table(status))]
        if "outlet" in self.passages.columns and len(self.passages):
            by_outlet = (self.passages.groupby("outlet", observed=True)
                         .agg(passages=("passage_id", "size"), documents=("doc_id", "nunique"))
                         .reset_index())
            sections.append(("By outlet", html_table(by_outlet)))
        shown = [c for c in ("passage_id", "outlet", "date", "actor", "text")
                 if c in self.passages.columns]
        if shown and len(self.passages):
            first = self.passages[shown].head(5).copy()
            if "date" in first:
                first["date"] = pd.to_datetime(first["date"]).dt.strftime("%Y-%m-%d")
            if "text" in first:
                first["text"] = [t if len(t) <= 160 else t[:157] + "..."
                                 for t in first["text"].astype(str)]
            sections.append(("First passages", html_table(first)))
        return html_card("Passages", facts, sections)

    def save(self, out: PathLike, *, force: bool = False) -> Path:
        """Write the tables (Parquet) and the manifest into the folder ``out``, atomically."""
        with atomic_directory(out, force=force) as tmp:
            for name in ("passages", "mentions", "documents"):
                (tmp / name).mkdir()
                getattr(self, name).to_parquet(tmp / name / "part-000000.parquet", index=False)
            (tmp / "manifest.json").write_text(
                json.dumps(self.manifest, indent=2, default=str) + "\n", encoding="utf-8")
        return Path(out)


class _FolderPassages(Passages):
    """A passages folder whose tables are read on first use, each once: a run that streamed
    a large corpus to disk returns without loading what it wrote (memory stays flat)."""

    def __init__(self, folder: Path, manifest: dict[str, Any],
                 columns: list[str] | None) -> None:
        self.folder, self.manifest, self._columns = folder, manifest, columns
        self._tables: dict[str, pd.DataFrame] = {}

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            wanted = self._columns if name == "passages" else None
            parts = sorted((self.folder / name).glob("part-*.parquet"))
            frames = [pd.read_parquet(p, columns=wanted) for p in parts]
            self._tables[name] = _concat(frames) if frames else pd.DataFrame(columns=wanted)
        return self._tables[name]

    passages = property(lambda self: self._table("passages"))  # type: ignore[assignment]
    mentions = property(lambda self: self._table("mentions"))  # type: ignore[assignment]
    documents = property(lambda self: self._table("documents"))  # type: ignore[assignment]


def load_passages(path: PathLike, *, columns: list[str] | None = None) -> Passages:
    """Open a folder written by :meth:`Passages.save` or ``extract_passages(out=...)``.

    Each table (``passages``, ``mentions``, ``documents``) is read when first used, so opening
    a large folder costs nothing until a table is asked for. ``columns`` limits the columns
    read from the passages table.
    """
    folder = Path(path)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise InputError("not a passages folder (no manifest.json); write one with "
                         "`framing passages extract`", path=folder)
    return _FolderPassages(folder, json.loads(manifest_path.read_text(encoding="utf-8")),
                           columns)


def _document_batches(
    corpus: Corpus | pd.DataFrame, batch_size: int
) -> tuple[Iterator[pd.DataFrame], int]:
    if isinstance(corpus, pd.DataFrame):
        missing = {"doc_id", "text", "date"} - set(corpus.columns)
        if missing:
            raise InputError(f"the documents table lacks {sorted(missing)}")
        frames = (corpus.iloc[i:i + batch_size] for i in range(0, len(corpus), batch_size))
        return frames, len(corpus)
    return corpus.iter_batches(batch_size=batch_size), len(corpus)


def extract_passages(
    corpus: Corpus | pd.DataFrame | PathLike,
    *,
    actors: ActorSet | PathLike = "ukraine_peace",
    actor: str | None = None,
    issue: Issue | PathLike | None = "ukraine_peace",
    window: int = 1,
    within_paragraph: bool = False,
    min_confidence: float = 0.5,
    batch_size: int = 500,
    n_jobs: int = 1,
    out: PathLike | None = None,
    force: bool = False,
    progress: bool = True,
    engine: Engine = "local",
    scheduler: str | None = None,
) -> Passages:
    """Find the passages where coverage speaks about ``actor`` in ``issue``.

    Parameters
    ----------
    corpus : Corpus, DataFrame or path
        A corpus store (streamed in batches), or a documents table with ``doc_id``, ``date``
        and ``text``.
    actors : ActorSet or path or name, default="ukraine_peace"
        The actor file (a shipped name or a path to YAML).
    actor : str, optional
        Whose passages; default: the file's ``focus`` (Trump in the shipped file).
    issue : Issue or path or name or None, default="ukraine_peace"
        Keep only passages in this issue; None keeps every passage about the actor.
    window : int, default=1
        Sentences kept on each side of a sentence that refers to the actor.
    within_paragraph : bool, default=False
        Keep windows inside the paragraph of their mention.
    min_confidence : float, default=0.5
        Mentions resolved with less confidence are listed but not counted.
    n_jobs : int, default=1
        Worker processes (joblib); batches are processed in order either way.
    out : path, optional
        Write the tables to this folder batch by batch (memory stays flat in corpus size)
        instead of holding them in memory; the result is read back from it. With a corpus
        store the run is resumable: batches are done in ``<out>.partial`` (see
        :mod:`framing.corpus._engine`), and the same call after an interruption (Ctrl-C, a
        killed worker) runs only the batches not done, giving the same tables.
    force : bool, default=False
        Replace an existing ``out`` folder (and start over a work folder left by a run with
        other parameters).
    engine : {"local", "dask"}, default="local"
        ``"dask"`` runs the batches as tasks on dask.distributed (``framing[dask]``): each
        worker reads its batch from the store and writes its parts. It needs a corpus store
        and ``out`` on a disk the workers see, and gives the same tables as ``"local"``.
    scheduler : str, optional
        The Dask scheduler's address (``tcp://host:8786``); ``None`` starts a LocalCluster of
        two single-threaded workers for the run.

    Returns
    -------
    Passages

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "date": ["2025-08-16"],
    ...     "text": ["Rain in Paris. Trump met Putin in Alaska. He hailed a ceasefire plan."]})
    >>> found = extract_passages(docs, window=0, progress=False)
    >>> found.passages.loc[0, ["passage_id", "outlet", "resolved_by"]].tolist()
    ['a:0', 'X', 'explicit']
    >>> int(found.passages.loc[0, "n_mentions"])
    2
    >>> found.passages.loc[0, "text"]
    'Trump met Putin in Alaska. He hailed a ceasefire plan.'
    """
    validate_params("extract_passages", {"window": window,
                                         "min_confidence": float(min_confidence),
                                         "batch_size": batch_size, "n_jobs": n_jobs},
                    _PARAMETERS)
    actor_set = actors if isinstance(actors, ActorSet) else load_actors(actors)
    chosen = actor or actor_set.focus
    if chosen not in actor_set.actors:
        raise InputError(f"actor {chosen!r} is not declared in {actor_set.path}; declared: "
                         + ", ".join(sorted(actor_set.actors)))
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}",
                         field="engine")
    issue_set = issue if isinstance(issue, Issue) or issue is None else load_issue(issue)
    source = corpus if isinstance(corpus, Corpus | pd.DataFrame) else Corpus(corpus)
    if out is not None:
        check_output(out, force=force, folder=True,
                     inputs=[source.path] if isinstance(source, Corpus) else [])
    if engine == "dask" and (out is None or not isinstance(source, Corpus)):
        raise InputError("engine='dask' reads a corpus store and writes an out folder "
                         "(its workers read and write the files themselves): give a store "
                         "path and out", field="engine")
    manifest = {
        "created_by": "framing.text.extract_passages",
        "actor": chosen,
        "actors_file": actor_set.path, "actors_sha256": actor_set.sha256,
        "issue_file": None if issue_set is None else issue_set.path,
        "issue_sha256": None if issue_set is None else issue_set.sha256,
        "parameters": {"window": window, "within_paragraph": within_paragraph,
                       "min_confidence": float(min_confidence),
                       "count_institution": actor_set.count_institution},
        "corpus": str(source.path) if isinstance(source, Corpus) else None,
    }
    if out is not None and isinstance(source, Corpus):
        return _planned_run(source, Path(out), manifest, actor_set, chosen, issue_set,
                            window, float(min_confidence), within_paragraph,
                            batch_size=batch_size, n_jobs=n_jobs, force=force,
                            progress=progress, engine=engine, scheduler=scheduler)
    batches, total = _document_batches(source, batch_size)
    metadata_of: dict[int, pd.DataFrame] = {}

    def jobs() -> Iterator:
        for number, frame in enumerate(batches):
            metadata_of[number] = frame.drop(columns=["text"])
            yield delayed(_batch)(frame[["doc_id", "text", "date"]], actor_set, chosen,
                                  issue_set, window, float(min_confidence), within_paragraph)

    def tables() -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        runner = Parallel(n_jobs=n_jobs, return_as="generator")
        with tqdm(total=total, unit="doc", desc="passages", disable=not progress,
                  leave=False) as bar:
            for number, (found, mentioned, status) in enumerate(runner(jobs())):
                metadata = metadata_of.pop(number)
                passages = pd.DataFrame(found, columns=_PASSAGE_COLUMNS).merge(
                    metadata, on="doc_id", how="left", validate="many_to_one")
                documents = pd.DataFrame(status, columns=_DOCUMENT_COLUMNS)
                if len(documents) != len(metadata):
                    raise AssertionError("every document must be accounted for")  # invariant
                bar.update(len(status))
                yield passages, pd.DataFrame(mentioned, columns=_MENTION_COLUMNS), documents

    if out is None:
        parts = list(tables())
        result = Passages(*(_concat([p[i] for p in parts]) for i in range(3)), manifest)
        result.manifest.update(_counts(result.documents, len(result.passages)))
        return result
    # Streamed to disk part by part: memory stays flat however large the corpus.
    with atomic_directory(out, force=force) as tmp:
        n_passages = 0
        statuses = []
        for number, (passages, mentions, documents) in enumerate(tables()):
            for name, table in (("passages", passages), ("mentions", mentions),
                                ("documents", documents)):
                (tmp / name).mkdir(exist_ok=True)
                table.to_parquet(tmp / name / f"part-{number:06d}.parquet", index=False)
            n_passages += len(passages)
            statuses.append(documents[["status"]])
        manifest.update(_counts(_concat(statuses), n_passages))
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n",
                                           encoding="utf-8")
    return load_passages(out)


_TABLES = ("passages", "mentions", "documents")


def _planned_run(source: Corpus, out: Path, manifest: dict[str, Any], actor_set: ActorSet,
                 actor: str, issue: Issue | None, window: int, min_confidence: float,
                 within_paragraph: bool, *, batch_size: int, n_jobs: int, force: bool,
                 progress: bool, engine: Engine, scheduler: str | None) -> Passages:
    if out.exists() and not force:
        raise StoreExistsError(f"{out} exists; pass force=True (--force) to replace it")
    plan = source.batch_plan(batch_size)
    store_manifest = (source.path / "manifest.json").read_bytes()
    folder = open_work_folder(out, {
        "stage": "passages", "batch_size": batch_size, "n_batches": len(plan),
        "store_manifest_sha256": hashlib.sha256(store_manifest).hexdigest(),
        "actor": actor, "actors_sha256": actor_set.sha256,
        "issue_sha256": None if issue is None else issue.sha256,
        "parameters": manifest["parameters"]}, force=force)
    for name in _TABLES:
        (folder / name).mkdir(exist_ok=True)
    settings = _BatchSettings(source, actor_set, actor, issue, window, min_confidence,
                              within_paragraph, folder)
    summaries = run_batches(_passages_of_batch, plan, folder, shared=settings, engine=engine,
                            scheduler=scheduler,
                            sizes=plan_rows(plan),
                            n_jobs=n_jobs, progress=progress, desc="passages", unit="doc")
    statuses = {status: sum(s["statuses"].get(status, 0) for s in summaries)
                for status in DOCUMENT_STATUSES}
    manifest.update({"documents": {"read": sum(s["documents"] for s in summaries),
                                   **statuses},
                     "passages": sum(s["passages"] for s in summaries),
                     "batches": {"batch_size": batch_size, "n_batches": len(plan)}})
    with atomic_directory(out, force=force) as tmp:
        for name in _TABLES:
            os.replace(folder / name, tmp / name)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n",
                                           encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return load_passages(out)


@dataclass(frozen=True)
class _BatchSettings:
    """What every batch of a passage run needs (sent once to each Dask worker)."""

    source: Corpus
    actor_set: ActorSet
    actor: str
    issue: Issue | None
    window: int
    min_confidence: float
    within_paragraph: bool
    folder: Path


def _passages_of_batch(number: int, slices: list, settings: _BatchSettings) -> dict[str, Any]:
    """Find batch ``number``'s passages and write its three parts (on any engine)."""
    frame = settings.source.read_batch(slices)
    found, mentioned, status = _batch(frame[["doc_id", "text", "date"]], settings.actor_set,
                                      settings.actor, settings.issue, settings.window,
                                      settings.min_confidence, settings.within_paragraph)
    passages = pd.DataFrame(found, columns=_PASSAGE_COLUMNS).merge(
        frame.drop(columns=["text"]), on="doc_id", how="left", validate="many_to_one")
    documents = pd.DataFrame(status, columns=_DOCUMENT_COLUMNS)
    if len(documents) != len(frame):
        raise AssertionError("every document must be accounted for")  # invariant
    for name, table in (("passages", passages),
                        ("mentions", pd.DataFrame(mentioned, columns=_MENTION_COLUMNS)),
                        ("documents", documents)):
        write_part(table, settings.folder / name / f"part-{number:06d}.parquet")
    return {"documents": len(documents), "passages": len(passages),
            "statuses": documents["status"].value_counts().to_dict()}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _counts(documents: pd.DataFrame, n_passages: int) -> dict[str, Any]:
    status = documents["status"] if "status" in documents else pd.Series(dtype=str)
    return {
        "documents": {"read": len(documents),
                      **{s: int((status == s).sum()) for s in DOCUMENT_STATUSES}},
        "passages": n_passages,
    }


_PASSAGE_COLUMNS = [
    "passage_id", "doc_id", "actor", "start", "end", "text", "first_sentence", "last_sentence",
    "n_mentions", "n_explicit", "n_title", "n_pronoun", "resolved_by", "min_confidence",
    "issue_weight", "issue_terms", "document_issue_weight",
]
_DOCUMENT_COLUMNS = ["doc_id", "status", "n_passages", "n_mentions"]
_MENTION_COLUMNS = [
    "doc_id", "mention_id", "sentence_id", "paragraph_id", "start", "end", "surface", "actor",
    "resolved_by", "confidence", "reason", "is_counted",
]
