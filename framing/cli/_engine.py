"""``--engine local|dask`` and ``--scheduler ADDRESS``: options of the stages that run on Dask."""

from __future__ import annotations

import argparse


def add_engine_arguments(parser: argparse.ArgumentParser, *, resumable: bool = True,
                         jobs: bool = True) -> None:
    """Add ``--engine`` and ``--scheduler`` to a stage's command (``jobs``: it has ``--jobs``)."""
    parser.add_argument(
        "--engine", choices=["local", "dask"], default="local",
        help="local (default): this process" + (" (and --jobs workers)" if jobs else "")
        + "; dask: tasks on a "
        "dask.distributed cluster (pip install framing[dask]), giving the same tables"
        + (". A run stopped midway resumes from its completed batches when run again with "
           "the same arguments, on either engine" if resumable else
           " (batches are read here and sent to the workers)"))
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", default=None,
        help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (start one with `dask scheduler` "
        "and `dask worker ADDRESS` on each machine; every worker must see the input and "
        "output paths); default: a local cluster of 2 single-threaded workers")


def check_engine_arguments(args: argparse.Namespace) -> None:
    """Refuse ``--scheduler`` without ``--engine dask``."""
    if args.scheduler and args.engine != "dask":
        raise SystemExit("--scheduler needs --engine dask")
