"""``framing corpus import|info``."""

from __future__ import annotations

import argparse

import pandas as pd

from framing.cli._engine import add_engine_arguments, check_engine_arguments
from framing.corpus import Corpus, import_corpus


def register(stages: argparse._SubParsersAction) -> None:
    """Add ``framing corpus ...`` to the command line."""
    corpus = stages.add_parser("corpus", help="import and inspect corpora")
    commands = corpus.add_subparsers(dest="command", required=True)
    _add_import(commands)
    _add_info(commands)


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
                   choices=["auto", "csv", "jsonl", "json", "parquet", "text", "mediacloud"],
                   help="the sources' format; auto reads it from the extension (default "
                        "%(default)s)")
    p.add_argument("--map", dest="column_map", metavar="OURS=THEIRS,...",
                   help="column map, e.g. text=body,outlet=media_name,date=publish_date")
    p.add_argument("--aliases", metavar="CSV", help="outlet alias table (columns alias,outlet)")
    p.add_argument("--metadata", metavar="CSV", help="metadata sheet for a text folder")
    p.add_argument("--encoding", help="text encoding (detected when absent)")
    p.add_argument("--delimiter", help="CSV delimiter (detected when absent)")
    p.add_argument("--dedup", default="near", choices=["near", "exact", "none"],
                   help="near: exact and near-duplicate texts (MinHash LSH); exact: identical "
                        "texts only; none: keep all (default %(default)s)")
    p.add_argument("--threshold", type=float, default=0.8,
                   help="near-duplicate Jaccard threshold (default 0.8)")
    p.add_argument("--keep", default="earliest", choices=["earliest", "one_per_outlet"],
                   help="which copy of duplicates stays")
    p.add_argument("--min-words", type=int, default=1,
                   help="texts with fewer words are dropped as too_short (default %(default)s)")
    p.add_argument("--max-text-chars", type=int, default=1_000_000,
                   help="a longer text is a bad row (a runaway quote, a file that is not an "
                        "article) (default %(default)s)")
    p.add_argument("--date-min", default="1800-01-01",
                   help="rows dated before this are dropped as implausible_date (default "
                        "%(default)s)")
    p.add_argument("--date-max", default=None, help="default: tomorrow (UTC)")
    p.add_argument("--dayfirst", action="store_const", const=True, default=None,
                   help="read 05/08/2025 as 5 August (default: decided from the dates)")
    p.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                   help="read 05/08/2025 as May 8 (default: decided from the dates)")
    p.add_argument("--timezone", default="UTC", help="zone of times given without offset")
    p.add_argument("--on-bad-rows", default="error", choices=["error", "warn", "skip"],
                   help="a row that cannot be read: stop with its line number (error), report it "
                        "(warn) or drop it quietly (skip) (default %(default)s)")
    p.add_argument("--batch-size", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0, help="seed of the MinHash permutations")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes for normalizing and fingerprinting (default 1)")
    add_engine_arguments(p, resumable=False)
    p.add_argument("--force", action="store_true", help="replace an existing store")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(run=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    check_engine_arguments(args)
    corpus = import_corpus(
        args.sources, args.out, format=args.format, column_map=args.column_map,
        outlet_aliases=args.aliases, metadata=args.metadata, encoding=args.encoding,
        delimiter=args.delimiter, dedup=args.dedup, near_duplicate_threshold=args.threshold,
        keep=args.keep, min_words=args.min_words, max_text_chars=args.max_text_chars,
        date_min=args.date_min, date_max=args.date_max, dayfirst=args.dayfirst,
        timezone=args.timezone, on_bad_rows=args.on_bad_rows, batch_size=args.batch_size,
        random_state=args.seed, n_jobs=args.jobs, force=args.force, progress=not args.quiet,
        engine=args.engine, scheduler=args.scheduler,
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
    p.add_argument("store", metavar="DIR",
                   help="a corpus store written by framing corpus import")
    p.add_argument("--by", default="outlet-month", choices=["outlet", "month", "outlet-month"],
                   help="how to count documents (default: an outlet x month table)")
    p.add_argument("--dropped", action="store_true", help="list the dropped rows too")
    p.set_defaults(run=_run_info)


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
