"""``framing measure prevalence|differences``."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from framing import __version__
from framing.cli._outputs import check_outputs
from framing.corpus import InputError, atomic_write

#: The prevalence methods, named in the help without importing the measure stage (a test
#: checks this against framing.measure.METHODS).
METHODS = ("cc", "pcc", "acc", "pacc", "em", "validation", "combined", "posterior")
#: The methods that read a Parquet table in batches (framing.measure's STREAMED_METHODS).
STREAMED = ("cc", "pcc", "acc", "pacc", "validation", "combined", "posterior")


def _caught() -> tuple[type[Warning], ...]:
    """The stage's warnings that the command prints as notes."""
    from framing.measure import SharedPassagesWarning, ThinCellWarning, WeakClassifierWarning
    return (ThinCellWarning, WeakClassifierWarning, SharedPassagesWarning)
#: Python words in the stage's messages, and what they are on the command line.
_CLI_WORDS = (
    ("method='posterior'", "--method posterior"),
    ("give passage_frames out-of-fold predictions for them (cross_validate_frames)",
     "give --frames out-of-fold predictions for them (`framing frames evaluate "
     "--predictions`)"),
    ("validation=...", "--validation"),
    ("passage_frames", "--frames"),
    ("validation", "--validation"),
)


def register(stages: argparse._SubParsersAction) -> None:
    """Add ``framing measure ...`` to the command line."""
    measure = stages.add_parser("measure", help="frame prevalence per outlet and period")
    commands = measure.add_subparsers(dest="command", required=True)
    p = commands.add_parser(
        "prevalence", help="estimate frame prevalence per group with bootstrap intervals",
        description="Estimate how often each frame occurs per outlet and period from a "
        "passage_frames table (FrameClassifier.predict), corrected for classifier error with "
        "a validation table of labelled out-of-sample predictions. Prints which method to "
        "report (and with --out writes it to a manifest beside the table).")
    _add_common(p)
    p.set_defaults(run=_run_prevalence)
    p = commands.add_parser(
        "differences", help="differences between periods or outlets, with intervals",
        description="Compare each level of one grouping key with a reference level (or the "
        "previous period), draw by draw from the same bootstrap.")
    _add_common(p)
    p.add_argument("--between", default="period", help="the key whose levels are compared")
    p.add_argument("--reference", default=None,
                   help="reference level, or 'previous' (default: previous period / first level)")
    p.set_defaults(run=_run_differences)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--frames", required=True, metavar="PATH",
                   help="passage_frames table: a .parquet or .csv file, or a folder of "
                   "Parquet parts. Parquet is read in batches of --batch-size rows for every "
                   "--method but em, so memory is set by --batch-size and --max-documents, not "
                   "the corpus (repeated passage ids are then looked for only among passages "
                   "coded in --validation); a .csv, or one .parquet file with em, is read "
                   "whole")
    p.add_argument("--batch-size", type=int, default=100_000,
                   help="rows of a Parquet --frames read at a time (default %(default)s)")
    p.add_argument("--max-documents", type=int, default=100_000,
                   help="with a Parquet --frames read in batches: documents held at a time "
                   "when the groups are resampled (a larger group is held whole; default "
                   "%(default)s)")
    p.add_argument("--validation", metavar="FILE",
                   help="labelled out-of-sample predictions (.parquet or .csv): p_<frame>, "
                   "is_<frame> and the true label in <frame>")
    p.add_argument("--by", default="outlet,period", help="grouping columns (default outlet,period)")
    p.add_argument("--period", default="month",
                   help="day, week, month, quarter, year (default month)")
    p.add_argument("--breaks", metavar="DATES",
                   help="periods from breakpoints instead: 'after Alaska=2025-08-15,...' or "
                   "plain dates; each starts a period")
    p.add_argument("--method", default="posterior",
                   help=f"one or more of {','.join(METHODS)}, comma-separated (default "
                   "posterior, the one to report; it needs --validation)")
    p.add_argument("--only", metavar="FRAMES", help="frames to measure, comma-separated")
    p.add_argument("--n-bootstrap", type=int, default=1000)
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--min-documents", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="FILE", help="write the table (.csv or .parquet)")
    p.add_argument("--force", action="store_true", help="replace an existing --out file")
    p.add_argument("--rows", type=int, default=40, help="rows to print (default 40)")


def _read(path: str, option: str) -> pd.DataFrame:
    source = Path(path)
    if not source.exists():
        raise InputError(f"no such file (given to {option})", path=source)
    try:
        if source.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(source)
        if source.suffix.lower() in (".csv", ".gz"):
            return pd.read_csv(source)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the table: {exc}", path=source) from exc
    raise InputError("expected a .parquet or .csv file", path=source)


def _period(args: argparse.Namespace) -> object:
    if not args.breaks:
        return args.period
    parts = [part.strip() for part in args.breaks.split(",") if part.strip()]
    if all("=" in part for part in parts):
        pairs = [part.split("=", 1) for part in parts]
        return {label.strip(): (start.strip() or None) for label, start in pairs}
    if any("=" in part for part in parts):
        raise InputError("--breaks takes either all 'label=date' or all plain dates",
                         field="breaks")
    return parts


def _options(args: argparse.Namespace) -> dict:
    return {
        "by": [key.strip() for key in args.by.split(",") if key.strip()],
        "method": [m.strip() for m in args.method.split(",") if m.strip()],
        "period": _period(args),
        "validation": _read(args.validation, "--validation") if args.validation else None,
        "frames": [f.strip() for f in args.only.split(",")] if args.only else None,
        "n_bootstrap": args.n_bootstrap, "confidence": args.confidence,
        "min_documents": args.min_documents, "random_state": args.seed,
    }


def _streamed(args: argparse.Namespace) -> bool:
    """Whether --frames is read in batches: a Parquet file or folder, every method streaming.

    A folder is never read whole, so a method that needs every passage is refused for it,
    naming what to do instead.
    """
    source = Path(args.frames)
    methods = [m.strip() for m in args.method.split(",") if m.strip()]
    is_parquet = source.is_dir() or (source.is_file()
                                     and source.suffix.lower() in (".parquet", ".pq"))
    if not is_parquet or _single_label(source):
        if source.is_dir():
            raise InputError("a single-label table (a 'frame' column, probabilities summing to "
                             "one) is measured with every passage in memory: give it as one "
                             ".parquet file", path=source)
        return False
    others = [m for m in methods if m not in STREAMED]
    if not others:
        if args.batch_size < 1:
            raise InputError(f"--batch-size takes a number of rows >= 1, got {args.batch_size}")
        if args.max_documents < 1:
            raise InputError("--max-documents takes a number of documents >= 1, got "
                             f"{args.max_documents}")
        return True
    if source.is_dir():
        raise InputError(
            f"--method {others[0]} needs every passage in memory (its EM step reweighs each "
            "passage's probability), and a folder of Parquet parts is read in batches: use "
            "--method posterior with --validation (the one to report) or any of "
            f"{','.join(STREAMED)}, which stream, or give the table as one .parquet file "
            f"(`framing frames apply` writes one), which is read whole for {others[0]}",
            path=source)
    return False


def _single_label(source: Path) -> bool:
    """Whether a Parquet table is a single-label model's output, from its first rows."""
    import pyarrow.parquet as pq

    from framing.measure import is_single_label_table
    from framing.measure._partials import parquet_files
    first = parquet_files(source)[0]
    try:
        reader = pq.ParquetFile(first)
        if "frame" not in reader.schema_arrow.names:
            return False
        rows = next(reader.iter_batches(batch_size=1_000), None)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the table: {exc}", path=first) from exc
    return rows is not None and is_single_label_table(rows.to_pandas())


def _run_prevalence(args: argparse.Namespace) -> int:
    _check_outputs(args)
    from framing.measure import estimate_prevalence, is_single_label_table
    if _streamed(args):
        options = _options(args)
        with warnings.catch_warnings(record=True) as caught:
            for category in _caught():
                warnings.simplefilter("always", category)
            table = _in_cli_words(estimate_prevalence, Path(args.frames),
                                  batch_size=args.batch_size,
                                  max_documents_in_memory=args.max_documents, **options)
        _finish(table, args, caught, options)
        return 0
    frames = _read(args.frames, "--frames")
    if is_single_label_table(frames):  # a single-label model's output: shares summing to one
        return _run_shares(frames, args)
    options = _options(args)
    with warnings.catch_warnings(record=True) as caught:
        for category in _caught():
            warnings.simplefilter("always", category)
        table = _in_cli_words(estimate_prevalence, frames, **options)
    _finish(table, args, caught, options)
    return 0


def _run_shares(frames: pd.DataFrame, args: argparse.Namespace) -> int:
    from framing.measure import SHARE_METHODS, estimate_shares, shares_method
    options = _options(args)
    if options.pop("frames") is not None:
        raise InputError("--only does not apply to a single-label table: its shares are of all "
                         "the classes together (they sum to one); select rows of the output "
                         "instead", field="--only")
    methods = options["method"]
    if methods == ["posterior"]:  # the default, for multi-label frames: the shares' own
        options["method"] = methods = [shares_method(has_validation=args.validation is not None)]
    unknown = [m for m in methods if m not in SHARE_METHODS]
    if unknown:
        raise InputError(f"--method {unknown[0]} is not available for a single-label table "
                         f"(one frame per passage); use {', '.join(SHARE_METHODS)}",
                         field="--method")
    print("single-label predictions (a 'frame' column, probabilities summing to one): each "
          "group's shares of the classes, summing to one, by " + ", ".join(methods))
    with warnings.catch_warnings(record=True) as caught:
        for category in _caught():
            warnings.simplefilter("always", category)
        table = _in_cli_words(estimate_shares, frames, **options)
    _finish(table, args, caught, options)
    return 0


def _run_differences(args: argparse.Namespace) -> int:
    _check_outputs(args)
    from framing.measure import prevalence_differences
    streamed = _streamed(args)
    frames = Path(args.frames) if streamed else _read(args.frames, "--frames")
    options = _options(args)
    with warnings.catch_warnings(record=True) as caught:
        for category in _caught():
            warnings.simplefilter("always", category)
        table = _in_cli_words(prevalence_differences, frames, between=args.between,
                              reference=args.reference, **options,
                              **({"batch_size": args.batch_size,
                                  "max_documents_in_memory": args.max_documents}
                                 if streamed else {}))
    _finish(table, args, caught, options)
    return 0


def _in_cli_words(function: Callable[..., pd.DataFrame], *args: object,
                  **kwargs: object) -> pd.DataFrame:
    """Call a stage function; its InputError speaks of options, not Python arguments."""
    try:
        return function(*args, **kwargs)
    except InputError as exc:
        raise InputError(_cli_words(exc.reason), path=exc.path, row=exc.row,
                         field=exc.field) from exc


def _cli_words(message: str) -> str:
    """A stage's message in the command line's words (``--frames``, not ``passage_frames``)."""
    for python, cli in _CLI_WORDS:
        if " " in python or "=" in python or "(" in python:
            message = message.replace(python, cli)
        else:
            message = re.sub(rf"(?<![-\w']){re.escape(python)}(?!\w)", cli, message)
    return message


def _finish(table: pd.DataFrame, args: argparse.Namespace,
            caught: list[warnings.WarningMessage], options: dict) -> None:
    from framing.measure import RECOMMENDATION_RULE
    messages = [_cli_words(str(warning.message)) for warning in caught]
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() in (".parquet", ".pq"):
            with atomic_write(out, force=args.force, mode="wb") as handle:
                table.to_parquet(handle, index=False)
        else:
            with atomic_write(out, force=args.force) as handle:
                table.to_csv(handle, index=False)
        _write_manifest(table, args, options, messages)
    shown = table.drop(columns=[c for c in ("period_start", "se", "is_thin", "is_recommended")
                                if c in table])
    with pd.option_context("display.width", 120, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        print(shown.head(args.rows).to_string(index=False))
    if len(table) > args.rows:
        print(f"... {len(table) - args.rows} more rows" + (f" in {args.out}" if args.out else ""))
    elif args.out:
        print(f"written to {args.out}")
    if args.out:
        print(f"manifest: {_manifest_path(Path(args.out))}")
    recommended = table.attrs["recommended_method"]
    computed = recommended in set(table["method"])
    missing = "" if computed else " (not computed here: add it to --method" + (
        ")" if args.validation else " and give --validation)")
    print(f"report method {recommended!r}{missing}. Rule: {_cli_words(RECOMMENDATION_RULE)}.")
    for message in messages:
        print(f"warning: {message}")


def _check_outputs(args: argparse.Namespace) -> None:
    """The table and its manifest, both refused before any work."""
    if args.out:
        check_outputs(force=args.force, files=[args.out, _manifest_path(Path(args.out))],
                      inputs=[args.frames, args.validation])


def _manifest_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.manifest.json")


def _write_manifest(table: pd.DataFrame, args: argparse.Namespace, options: dict,
                    messages: list[str]) -> None:
    """``<out>.manifest.json``: inputs with their sha256, parameters, seed, the method to
    report and its rule, the warnings, versions."""
    from framing.corpus._bundles import file_sha256
    frames = Path(args.frames)
    if frames.is_dir():  # a folder of parts: the hash of its parts' names and hashes
        parts = sorted(frames.glob("*.parquet"))
        digest = hashlib.sha256("".join(f"{p.name}:{file_sha256(p)};"
                                        for p in parts).encode()).hexdigest()
        inputs = {"frames": {"path": args.frames, "parts": len(parts), "sha256": digest}}
    else:
        inputs = {"frames": {"path": args.frames, "sha256": file_sha256(frames)}}
    if args.validation:
        inputs["validation"] = {"path": args.validation,
                                "sha256": file_sha256(Path(args.validation))}
    manifest = {
        "command": f"framing measure {args.command}",
        "inputs": inputs,
        "parameters": {k: v for k, v in options.items() if k != "validation"},
        "read_in_batches_of": args.batch_size if _streamed(args) else None,
        "max_documents_in_memory": args.max_documents if _streamed(args) else None,
        "seed": args.seed,
        "recommended_method": table.attrs["recommended_method"],
        "recommendation_rule": table.attrs["recommendation_rule"],
        "warnings": messages,
        "output": {"path": args.out, "rows": len(table)},
        "versions": {"framing": __version__, "numpy": np.__version__,
                     "pandas": pd.__version__},
    }
    with atomic_write(_manifest_path(Path(args.out)), force=args.force) as handle:
        handle.write(json.dumps(manifest, indent=2, default=str) + "\n")
