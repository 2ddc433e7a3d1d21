"""The ``framing`` command: parses arguments and calls the stages' public API, nothing more."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import pandas as pd

from framing import __version__
from framing.corpus import Corpus, FramingError, InputError, atomic_write, import_corpus
from framing.text import (
    KwicView,
    audit_sheet,
    extract_passages,
    kwic,
    load_passages,
    score_audit,
)


def _add_import(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "import",
        help="import sources into a corpus store",
        description="Read, validate, normalize and deduplicate news articles into a "
        "month-partitioned Parquet store with a manifest.",
    )
    p.add_argument("sources", nargs="+", metavar="SRC",
                   help="CSV/TSV, JSONL, JSON, Parquet file or folder, text folder, "
                   "Media Cloud CSV")
    p.add_argument("--out", required=True, metavar="DIR", help="the store folder to write")
    p.add_argument("--format", default="auto",
                   choices=["auto", "csv", "jsonl", "json", "parquet", "text", "mediacloud"])
    p.add_argument("--map", dest="column_map", metavar="OURS=THEIRS,...",
                   help="column map, e.g. text=body,outlet=media_name,date=publish_date")
    p.add_argument("--aliases", metavar="CSV", help="outlet alias table (columns alias,outlet)")
    p.add_argument("--metadata", metavar="CSV", help="metadata sheet for a text folder")
    p.add_argument("--encoding", help="text encoding (detected when absent)")
    p.add_argument("--delimiter", help="CSV delimiter (detected when absent)")
    p.add_argument("--dedup", default="near", choices=["near", "exact", "none"])
    p.add_argument("--threshold", type=float, default=0.8,
                   help="near-duplicate Jaccard threshold (default 0.8)")
    p.add_argument("--keep", default="earliest", choices=["earliest", "one_per_outlet"],
                   help="which copy of duplicates stays")
    p.add_argument("--min-words", type=int, default=1)
    p.add_argument("--max-text-chars", type=int, default=1_000_000)
    p.add_argument("--date-min", default="1800-01-01")
    p.add_argument("--date-max", default=None, help="default: tomorrow (UTC)")
    p.add_argument("--dayfirst", action="store_true", help="read 05/08/2025 as 5 August")
    p.add_argument("--timezone", default="UTC", help="zone of times given without offset")
    p.add_argument("--on-bad-rows", default="error", choices=["error", "warn", "skip"])
    p.add_argument("--batch-size", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0, help="seed of the MinHash permutations")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes for normalizing and fingerprinting (default 1)")
    p.add_argument("--force", action="store_true", help="replace an existing store")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def _run_import(args: argparse.Namespace) -> int:
    corpus = import_corpus(
        args.sources, args.out, format=args.format, column_map=args.column_map,
        outlet_aliases=args.aliases, metadata=args.metadata, encoding=args.encoding,
        delimiter=args.delimiter, dedup=args.dedup, near_duplicate_threshold=args.threshold,
        keep=args.keep, min_words=args.min_words, max_text_chars=args.max_text_chars,
        date_min=args.date_min, date_max=args.date_max, dayfirst=args.dayfirst,
        timezone=args.timezone, on_bad_rows=args.on_bad_rows, batch_size=args.batch_size,
        random_state=args.seed, n_jobs=args.jobs, force=args.force, progress=not args.quiet,
    )
    print(_accounting(corpus))
    print(f"\nstore written to {corpus.path}  (see `framing corpus info {corpus.path}`)")
    return 0


def _accounting(corpus: Corpus) -> str:
    manifest = corpus.manifest
    rows = manifest["rows"]
    lines = []
    for source in manifest["inputs"]:
        inferred = ", ".join(f"{k}<-{v}" for k, v in source["inferred_columns"].items())
        lines.append(f"read {source['rows_read']:>9,} rows  {source['path']} ({source['format']}"
                     + (f", {source['encoding']}" if source.get("encoding") else "") + ")")
        if inferred:
            lines.append(f"      columns inferred: {inferred}")
        for note in source["notes"]:
            lines.append(f"      note: {note}")
    lines.append(f"kept {rows['kept']:>9,} documents from {manifest['n_outlets']} outlets, "
                 f"{manifest['date_min']} .. {manifest['date_max']}")
    lines.append(f"dropped {rows['dropped']:>6,}")
    for reason, count in rows["dropped_by_reason"].items():
        lines.append(f"   {count:>9,}  {reason}")
    short = manifest["counts"]["short_texts_under_20_words"]
    if short:
        lines.append(f"note: {short:,} kept texts have fewer than 20 words")
    return "\n".join(lines)


def _add_info(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("info", help="describe a corpus store",
                            description="Counts per outlet and month, and the row accounting.")
    p.add_argument("store", metavar="DIR")
    p.add_argument("--by", default="outlet-month", choices=["outlet", "month", "outlet-month"],
                   help="how to count documents (default: an outlet x month table)")
    p.add_argument("--dropped", action="store_true", help="list the dropped rows too")


def _run_info(args: argparse.Namespace) -> int:
    corpus = Corpus(args.store)
    print(repr(corpus))
    print(_accounting(corpus))
    print()
    with pd.option_context("display.max_rows", 500, "display.max_columns", 60,
                           "display.width", 200):
        if args.by == "outlet-month":
            counts = corpus.summary(by=("outlet", "month"))
            table = counts.pivot_table(index="outlet", columns="month", values="n_documents",
                                       fill_value=0, aggfunc="sum", observed=True)
            table["total"] = table.sum(axis=1)
            print(table.to_string())
        else:
            print(corpus.summary(by=(args.by,)).to_string(index=False))
        if args.dropped:
            print()
            print(corpus.dropped().to_string(index=False))
    return 0


def _add_passages(stages: argparse._SubParsersAction) -> None:
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
    p.add_argument("--min-confidence", type=float, default=0.5)
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = commands.add_parser("kwic", help="keyword in context of the mentions found")
    p.add_argument("passages", metavar="DIR")
    p.add_argument("--corpus", metavar="DIR", help="default: the corpus the passages came from")
    p.add_argument("--n", type=int, default=25, help="rows to print (default 25)")
    p.add_argument("--html", metavar="FILE", help="also write the whole table as HTML")
    p = commands.add_parser(
        "audit", help="write an audit sheet to mark, or score a marked one",
        description="Without --score: sample sentences the extractor selected and did not "
        "select into a CSV for a researcher to mark (about_actor = 1 or 0). With --score: "
        "precision and recall from the marked sheet.")
    p.add_argument("passages", metavar="DIR", nargs="?")
    p.add_argument("--corpus", metavar="DIR", help="default: the corpus the passages came from")
    p.add_argument("--out", metavar="CSV", help="where to write the sheet")
    p.add_argument("--selected", type=int, default=100)
    p.add_argument("--unselected", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true")
    p.add_argument("--score", metavar="CSV", help="score a marked sheet")


def _run_extract(args: argparse.Namespace) -> int:
    found = extract_passages(
        args.corpus, actors=args.actors, actor=args.actor,
        issue=None if args.issue == "none" else args.issue, window=args.window,
        within_paragraph=args.within_paragraph, min_confidence=args.min_confidence,
        n_jobs=args.jobs, out=args.out, force=args.force, progress=not args.quiet,
    )
    counts = found.manifest["documents"]
    print(f"{found.manifest['passages']:,} passages about {found.manifest['actor']} "
          f"from {counts['passages']:,} of {counts['read']:,} documents")
    print(f"   {counts['no_mention']:>9,}  documents without a mention of the actor")
    print(f"   {counts['not_in_issue']:>9,}  documents whose mentions lie outside the issue")
    print(f"   {counts['empty_text']:>9,}  documents with an empty text")
    kinds = found.passages["resolved_by"].value_counts().to_dict()
    print("strongest reference per passage: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"\npassages written to {args.out}  (read them with framing.text.load_passages)")
    return 0


def _documents_for(args: argparse.Namespace, manifest: dict) -> pd.DataFrame:
    corpus = args.corpus or manifest.get("corpus")
    if corpus is None:
        raise InputError("which corpus? pass --corpus DIR")
    return Corpus(corpus).to_pandas(columns=["doc_id", "outlet", "date", "text"])


def _run_kwic(args: argparse.Namespace) -> int:
    found = load_passages(args.passages)
    table = kwic(found.mentions, _documents_for(args, found.manifest),
                 actor=found.manifest["actor"], passages=found.passages)
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(table[["doc_id", "left", "keyword", "right", "resolved_by", "confidence"]]
              .head(args.n).to_string(index=False))
    print(f"\n{len(table):,} mentions of {found.manifest['actor']} in "
          f"{len(found.passages):,} passages")
    if args.html:
        KwicView(table).to_html(args.html)
        print(f"HTML written to {args.html}")
    return 0


def _run_audit(args: argparse.Namespace) -> int:
    if args.score:
        scores = score_audit(args.score)
        print(scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        return 0
    if not args.passages or not args.out:
        raise InputError("give the passages folder and --out SHEET.csv (or --score SHEET.csv)")
    found = load_passages(args.passages)
    sheet = audit_sheet(found.mentions, _documents_for(args, found.manifest),
                        actor=found.manifest["actor"], n_selected=args.selected,
                        n_unselected=args.unselected, random_state=args.seed)
    with atomic_write(args.out, force=args.force) as handle:
        sheet.to_csv(handle, index=False)
    print(f"{len(sheet)} sentences to mark in {args.out}: put 1 (about the actor) or 0 in "
          "the about_actor column, then run `framing passages audit --score "
          f"{args.out}`")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description=__doc__)
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    stages = parser.add_subparsers(dest="stage", required=True)
    corpus = stages.add_parser("corpus", help="import and inspect corpora")
    commands = corpus.add_subparsers(dest="command", required=True)
    _add_import(commands)
    _add_info(commands)
    _add_passages(stages)
    return parser


_COMMANDS = {
    ("corpus", "import"): _run_import,
    ("corpus", "info"): _run_info,
    ("passages", "extract"): _run_extract,
    ("passages", "kwic"): _run_kwic,
    ("passages", "audit"): _run_audit,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``framing`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _COMMANDS[(args.stage, args.command)](args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framing: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
