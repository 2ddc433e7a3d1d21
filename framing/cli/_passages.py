"""``framing passages extract|import|kwic|audit``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from framing.cli._engine import add_engine_arguments, check_engine_arguments
from framing.cli._outputs import check_outputs
from framing.corpus import Corpus, InputError, atomic_write

if TYPE_CHECKING:
    from framing.text import Passages

_IMPORTED = "framing.text.import_passages"


def register(stages: argparse._SubParsersAction) -> None:
    """Add ``framing passages ...`` to the command line."""
    passages = stages.add_parser("passages", help="find and audit passages about an actor")
    commands = passages.add_subparsers(dest="command", required=True)
    p = commands.add_parser(
        "extract", help="find the passages about an actor in an issue",
        description="Split sentences, resolve mentions (names, titles, pronouns), and keep "
        "the sentences around each mention of the actor that belong to the issue.")
    p.add_argument("--corpus", required=True, metavar="DIR", help="a corpus store")
    p.add_argument("--out", required=True, metavar="DIR", help="the passages folder to write")
    p.add_argument("--actors", default="ukraine_peace",
                   help="actor file: a shipped name or a path to YAML (default ukraine_peace)")
    p.add_argument("--actor", default=None, help="whose passages (default: the file's focus)")
    p.add_argument("--issue", default="ukraine_peace",
                   help="issue file: a shipped name, a path to YAML, or 'none'")
    p.add_argument("--window", type=int, default=1, help="sentences on each side (default 1)")
    p.add_argument("--within-paragraph", action="store_true",
                   help="keep windows inside the mention's paragraph")
    p.add_argument("--min-confidence", type=float, default=0.5,
                   help="mentions resolved with less confidence are listed but not counted "
                        "(default %(default)s)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--batch-size", type=int, default=500,
                   help="documents per batch: the unit of memory, of work and of resuming")
    add_engine_arguments(p)
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_extract)
    _add_import(commands)
    p = commands.add_parser("kwic", help="keyword in context of the mentions found")
    p.add_argument("passages", metavar="DIR",
                   help="a passages folder written by framing passages extract or import")
    p.add_argument("--corpus", metavar="DIR", help="default: the corpus the passages came from")
    p.add_argument("--n", type=int, default=25, help="rows to print (default 25)")
    p.add_argument("--html", metavar="FILE", help="also write the whole table as HTML")
    p.add_argument("--force", action="store_true", help="replace an existing --html file")
    p.set_defaults(run=_run_kwic)
    p = commands.add_parser(
        "audit", help="write an audit sheet to mark, or score a marked one",
        description="Without --score: sample sentences the extractor selected and did not "
        "select into a CSV for a researcher to mark (about_actor = 1 or 0). With --score: "
        "precision and recall from the marked sheet.")
    p.add_argument("passages", metavar="DIR", nargs="?",
                   help="a passages folder written by framing passages extract or import")
    p.add_argument("--corpus", metavar="DIR", help="default: the corpus the passages came from")
    p.add_argument("--out", metavar="CSV", help="where to write the sheet")
    p.add_argument("--selected", type=int, default=100,
                   help="sentences the extractor selected, to draw (default %(default)s)")
    p.add_argument("--unselected", type=int, default=100,
                   help="sentences it did not select, to draw (default %(default)s)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true")
    p.add_argument("--score", metavar="CSV", help="score a marked sheet")
    p.set_defaults(run=_run_audit)


def _add_import(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "import", help="import already-cut passages (e.g. a coded spreadsheet) with any metadata",
        description="Read a table of passages, one row per passage (CSV/TSV, JSONL, JSON or "
        "Parquet), into a passages folder that every `framing frames` command reads. Only a "
        "text column is needed; passage_id, doc_id, outlet, date and any other columns are "
        "kept (outlet and date may be missing: options that group by them then say so). "
        "Columns are found as `framing corpus import` finds them: our name, one unambiguous "
        "synonym (a bare 'id' is the passage id, 'article_id' the document), or --map. "
        "The table format is in the README, 'Bring your own coded data'.")
    p.add_argument("table", metavar="TABLE", help="the passage table")
    p.add_argument("--out", required=True, metavar="DIR", help="the passages folder to write")
    p.add_argument("--format", default="auto", choices=["auto", "csv", "jsonl", "json",
                                                         "parquet"],
                   help="the table's format; auto reads it from the extension (default "
                        "%(default)s)")
    p.add_argument("--map", dest="column_map", metavar="OURS=THEIRS,...",
                   help="column map, e.g. passage_id=item,doc_id=article,text=sentence")
    p.add_argument("--drop", metavar="COLUMNS",
                   help="columns to leave out, comma-separated: the frame codes of a coded "
                   "sheet, which `framing frames import` reads into the annotations")
    p.add_argument("--encoding", help="text encoding (detected when absent)")
    p.add_argument("--delimiter", help="CSV delimiter (detected when absent)")
    p.add_argument("--dayfirst", action="store_true", help="read 05/08/2020 as 5 August")
    p.add_argument("--timezone", default="UTC", help="zone of times given without offset")
    p.add_argument("--on-bad-rows", default="error", choices=["error", "warn", "skip"],
                   help="a row that cannot be used stops the import (error, the default) or "
                   "is dropped and counted")
    p.add_argument("--batch-size", type=int, default=10_000)
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    from framing.text import import_passages
    drop = [c.strip() for c in (args.drop or "").split(",") if c.strip()]
    found = import_passages(
        args.table, args.out, format=args.format, column_map=args.column_map, drop=drop,
        encoding=args.encoding, delimiter=args.delimiter, dayfirst=args.dayfirst,
        timezone=args.timezone, on_bad_rows=args.on_bad_rows, batch_size=args.batch_size,
        force=args.force, progress=not args.quiet)
    print(_import_accounting(found, Path(args.out)))
    print(f"\npassages written to {args.out}  (next: `framing frames import SHEET "
          f"--passages {args.out}` reads the codes)")
    return 0


def _import_accounting(found: Passages, folder: Path) -> str:
    manifest = found.manifest
    source, rows = manifest["source"], manifest["rows"]
    lines = [f"read {rows['read']:>9,} rows  {source['path']} ({source['format']}"
             + (f", {source['encoding']}" if source.get("encoding") else "") + ")"]
    columns = ", ".join(f"{ours}<-{theirs}" if ours != theirs else ours
                        for ours, theirs in source["columns"].items()
                        if ours in manifest["columns"])
    lines.append(f"      columns: {columns}")
    if manifest["parameters"]["drop"]:
        lines.append(f"      left out: {', '.join(manifest['parameters']['drop'])}")
    for note in source["notes"]:
        lines.append(f"      note: {note}")
    lines.append(f"kept {rows['kept']:>9,} passages from {manifest['n_documents']:,} documents")
    lines.append(f"dropped {rows['dropped']:>6,}")
    for reason, count in rows["dropped_by_reason"].items():
        lines.append(f"   {count:>9,}  {reason}")
    if rows["dropped"]:
        table = pd.read_parquet(folder / "dropped")
        for record in table.head(5).to_dict("records"):
            lines.append(f"      row {record['source_row']}: {record['reason']} "
                         f"({record['detail']})")
        if len(table) > 5:
            lines.append(f"      ... {len(table) - 5} more in {folder / 'dropped'}")
    for note in manifest["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _run_extract(args: argparse.Namespace) -> int:
    check_engine_arguments(args)
    from framing.text import extract_passages, load_passages
    found = extract_passages(
        args.corpus, actors=args.actors, actor=args.actor,
        issue=None if args.issue == "none" else args.issue, window=args.window,
        within_paragraph=args.within_paragraph, min_confidence=args.min_confidence,
        batch_size=args.batch_size, n_jobs=args.jobs, out=args.out, force=args.force,
        progress=not args.quiet, engine=args.engine, scheduler=args.scheduler,
    )
    counts = found.manifest["documents"]
    print(f"{found.manifest['passages']:,} passages about {found.manifest['actor']} "
          f"from {counts['passages']:,} of {counts['read']:,} documents")
    print(f"   {counts['no_mention']:>9,}  documents without a mention of the actor")
    print(f"   {counts['not_in_issue']:>9,}  documents whose mentions lie outside the issue")
    print(f"   {counts['empty_text']:>9,}  documents with an empty text")
    # Only the one column, so a large run is not read back whole to print a line.
    kinds = load_passages(args.out, columns=["resolved_by"]).passages["resolved_by"]
    kinds = kinds.value_counts().to_dict()
    print("strongest reference per passage: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"\npassages written to {args.out}  (read them with framing.text.load_passages)")
    return 0


def _documents_for(args: argparse.Namespace, manifest: dict) -> pd.DataFrame:
    corpus = args.corpus or manifest.get("corpus")
    if corpus is None:
        raise InputError("which corpus? pass --corpus DIR")
    return Corpus(corpus).to_pandas(columns=["doc_id", "outlet", "date", "text"])


def _found_passages(path: str) -> Passages:
    """A passages folder made by ``extract``: imported passages have no mentions to show."""
    from framing.text import load_passages
    found = load_passages(path)
    if found.manifest.get("created_by") == _IMPORTED:
        raise InputError("these passages were imported (`framing passages import`), not found "
                         "by `framing passages extract`: there are no mentions to show or "
                         "audit", path=path)
    return found


def _run_kwic(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.html], inputs=[args.passages, args.corpus])
    from framing.text import KwicView, kwic
    found = _found_passages(args.passages)
    table = kwic(found.mentions, _documents_for(args, found.manifest),
                 actor=found.manifest["actor"], passages=found.passages)
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(table[["doc_id", "left", "keyword", "right", "resolved_by", "confidence"]]
              .head(args.n).to_string(index=False))
    print(f"\n{len(table):,} mentions of {found.manifest['actor']} in "
          f"{len(found.passages):,} passages")
    if args.html:
        KwicView(table).to_html(args.html, force=args.force)
        print(f"HTML written to {args.html}")
    return 0


def _run_audit(args: argparse.Namespace) -> int:
    from framing.text import audit_sheet, score_audit
    if args.score:
        scores = score_audit(args.score)
        print(scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        return 0
    if not args.passages or not args.out:
        raise InputError("give the passages folder and --out SHEET.csv (or --score SHEET.csv)")
    check_outputs(force=args.force, files=[args.out], inputs=[args.passages, args.corpus])
    found = _found_passages(args.passages)
    sheet = audit_sheet(found.mentions, _documents_for(args, found.manifest),
                        actor=found.manifest["actor"], n_selected=args.selected,
                        n_unselected=args.unselected, random_state=args.seed)
    with atomic_write(args.out, force=args.force) as handle:
        sheet.to_csv(handle, index=False)
    print(f"{len(sheet)} sentences to mark in {args.out}: put 1 (about the actor) or 0 in "
          "the about_actor column, then run `framing passages audit --score "
          f"{args.out}`")
    return 0
