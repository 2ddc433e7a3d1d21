"""Benchmark: import throughput of ``framing`` against pandas' and pyarrow's CSV readers.

Writes one seeded synthetic news CSV (the generator of ``benchmarks/corpus_import.py``: about
950 characters of text per article, 2 % exact and 2 % near duplicates planted; not timed), then
reads that same file, in this one process, one reader after another, each ``--repeats`` times:

* ``framing``: ``framing.corpus.import_corpus([path], out, progress=False, force=True)`` with
  its defaults (validation, normalizing, exact + MinHash LSH near-duplicate detection, Parquet
  store written);
* ``framing-exact``: the same with ``dedup="exact"`` (near-duplicate detection off);
* ``framing-nodedup``: the same with ``dedup="none"`` (no deduplication at all);
* ``pandas``: ``pandas.read_csv(path)`` with default settings;
* ``pyarrow``: ``pyarrow.csv.read_csv(path)`` with default settings (multithreaded), with
  ``newlines_in_values=True`` because texts hold paragraph breaks inside quoted fields.

The file is read once before any timing so every reader finds it in the page cache. Each
reader's time is the median of its repeats; rows/s counts the CSV's rows (what every reader
was given), and the ratios are the readers' times over framing's. The machine (nproc, load
average at start and end), versions and the date are printed with the table. Times on a loaded
machine say what it cost then, not what free cores give.

Usage::

    python -m benchmarks.import_throughput [--rows 200000] [--repeats 3] [--workdir DIR]
        [--only framing,pandas,pyarrow]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.metadata
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus_import import SEED, generate

HERE = Path(__file__).resolve().parent
READERS = ("framing", "framing-exact", "framing-nodedup", "pandas", "pyarrow")


def _readers(path: Path, workdir: Path) -> dict[str, Callable[[], int]]:
    """Each reader as a call that reads ``path`` and returns how many rows it accounted for."""
    import pandas as pd
    import pyarrow.csv

    from framing.corpus import import_corpus

    def framing_import(dedup: str | None) -> Callable[[], int]:
        options = {} if dedup is None else {"dedup": dedup}

        def run() -> int:
            corpus = import_corpus([path], workdir / "store", progress=False, force=True,
                                   **options)
            rows = corpus.manifest["rows"]
            # Every row read is kept or dropped with a reason; check the two add up.
            if rows["kept"] + len(corpus.dropped()) != rows["read"]:
                raise SystemExit(f"framing's accounting does not add up: {rows}")
            return int(rows["read"])

        return run

    def pandas_read() -> int:
        return len(pd.read_csv(path))

    def pyarrow_read() -> int:
        options = pyarrow.csv.ParseOptions(newlines_in_values=True)
        return pyarrow.csv.read_csv(path, parse_options=options).num_rows

    return {
        "framing": framing_import(None),
        "framing-exact": framing_import("exact"),
        "framing-nodedup": framing_import("none"),
        "pandas": pandas_read,
        "pyarrow": pyarrow_read,
    }


def _machine() -> dict[str, str]:
    model = ""
    try:
        with open("/proc/cpuinfo") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle
                          if line.startswith("model name")), "")
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, text=True,
                            capture_output=True).stdout.strip()
    versions = {name: importlib.metadata.version(name)
                for name in ("framing", "pandas", "pyarrow", "numpy")}
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": commit or "?",
        "cpu": model or platform.processor() or "?",
        "nproc": str(len(os.sched_getaffinity(0))),
        "python": platform.python_version(),
        **versions,
    }


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="CSV rows (default 200,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per reader; median kept")
    parser.add_argument("--workdir", type=Path, help="work folder (default: a temp folder, "
                        "deleted at the end)")
    parser.add_argument("--only", help=f"comma-separated readers among {','.join(READERS)}")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeats < 1:
        parser.error("--rows and --repeats must be at least 1")
    chosen = READERS if not args.only else tuple(args.only.split(","))
    unknown = sorted(set(chosen) - set(READERS))
    if unknown:
        parser.error(f"unknown readers {unknown}; choose among {list(READERS)}")

    load_start = _load()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="import-throughput-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "news.csv"
    try:
        made = generate(path, args.rows, SEED)
        print(f"wrote {path} ({made['rows']:,} rows, {made['bytes'] / 1e6:.0f} MB, "
              f"{made['exact_duplicates']:,} exact + {made['near_duplicates']:,} near "
              f"duplicates planted) in {made['seconds']:.0f} s", file=sys.stderr)
        with open(path, "rb") as handle:  # warm the page cache: no reader pays for the disk
            while handle.read(1 << 24):
                pass
        readers = _readers(path, workdir)
        seconds: dict[str, list[float]] = {}
        for name in chosen:
            for repeat in range(args.repeats):
                gc.collect()
                start = time.perf_counter()
                rows = readers[name]()
                took = time.perf_counter() - start
                if rows != args.rows:
                    raise SystemExit(f"{name} accounted for {rows:,} rows, not {args.rows:,}")
                seconds.setdefault(name, []).append(took)
                print(f"{name} run {repeat + 1}: {took:.2f} s", file=sys.stderr)
        load_end = _load()
        machine = _machine()
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    median = {name: statistics.median(times) for name, times in seconds.items()}
    print(f"\n{args.rows:,} rows, {made['bytes'] / 1e6:.0f} MB, median of {args.repeats}; "
          f"{machine['date']}, commit {machine['commit']}, {machine['cpu']}, nproc "
          f"{machine['nproc']}, load average (1/5/15 min) {load_start} at start, {load_end} at "
          f"end; Python {machine['python']}, framing {machine['framing']}, pandas "
          f"{machine['pandas']}, pyarrow {machine['pyarrow']}, numpy {machine['numpy']}\n")
    print("| reader | median s | runs s | rows/s | framing time ÷ reader time |")
    print("|---|---:|---|---:|---:|")
    for name, took in median.items():
        runs = ", ".join(f"{t:.2f}" for t in seconds[name])
        ratio = f"{median['framing'] / took:.1f}x" if "framing" in median else "-"
        print(f"| {name} | {took:.2f} | {runs} | {args.rows / took:,.0f} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
