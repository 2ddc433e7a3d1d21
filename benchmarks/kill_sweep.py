"""Sweep: SIGKILL a framing command that replaces an existing output at many seeded moments (and
at the swap itself), then check what a user would find.

After every kill the output at the path must be the earlier one or the new one, whole and
loadable; after the next run, no temp folder of ours may be left. The CI runs a few such kills
(tests/test_kill.py, tests/report/test_report_kill.py); this runs many.

- ``import``: ``corpus import --force`` (600 sample articles over a store of 300); the whole
  process group is killed; the store is read back in full.
- ``report``: ``framing report --force`` (the corpus report on 80 sample articles, TF-IDF
  features, small settings) over an earlier run; only the command's own process is killed
  (``kill -9 PID``), and every process it started (kernel, joblib workers, resource trackers,
  found by an environment token) must be gone 10 s later.
- ``model``: ``frames train --force`` over an earlier bundle (the sample's coded sheet,
  TF-IDF); the command alone is killed, as for the report; the bundle is loaded back.

    PYTHONPATH=. python benchmarks/kill_sweep.py [--command import] [--kills 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from framing.corpus import import_corpus, read_corpus  # noqa: E402
from tests.kill_harness import (  # noqa: E402
    finish,
    kill_group,
    spawn,
    wait_for_none,
    wait_until_ready,
)

SAMPLE = REPO / "corpora" / "sample"

#: a kill's outcome, from the output found at the path afterwards
Check = Callable[[], str]


def _lines(n: int) -> str:
    lines = (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    return "\n".join(lines) + "\n"


def _setup_import(root: Path) -> tuple[list[str], Check, Callable[[], None], float]:
    (root / "old.jsonl").write_text(_lines(300), encoding="utf-8")
    (root / "new.jsonl").write_text(_lines(600), encoding="utf-8")
    n_old = len(import_corpus(root / "old.jsonl", root / "store", progress=False))
    n_new = len(import_corpus(root / "new.jsonl", root / "ref", progress=False))

    def check() -> str:
        found = len(read_corpus(root / "store"))
        return ("old output intact" if found == n_old else
                "new output complete" if found == n_new else "output changed")

    def restore() -> None:
        import_corpus(root / "old.jsonl", root / "store", progress=False, force=True)

    argv = ["corpus", "import", "new.jsonl", "--out", "store", "--force", "--quiet"]
    return argv, check, restore, 6.0


def _copy_aside(root: Path, name: str) -> Callable[[], None]:
    shutil.copytree(root / name, root / f"{name}.orig")

    def restore() -> None:
        shutil.rmtree(root / name)
        shutil.copytree(root / f"{name}.orig", root / name)

    return restore


def _run(argv: list[str], root: Path) -> None:
    process, _ = spawn(argv, root)
    if finish(process, 900) != 0:
        raise SystemExit(f"setup failed: framing {' '.join(argv)}")


def _setup_report(root: Path) -> tuple[list[str], Check, Callable[[], None], float]:
    from framing.report import load_report, sha256_of

    (root / "articles.jsonl").write_text(_lines(80), encoding="utf-8")
    import_corpus(root / "articles.jsonl", root / "store", progress=False)
    argv = ["report", "--corpus", "store", "--out", "rep", "--quiet", "--annotations", "none",
            "-p", "features=tfidf", "-p", "n_topics=3", "-p", "topic_iterations=30",
            "-p", "n_bootstrap=50"]
    started = time.monotonic()
    _run(argv, root)
    seconds = time.monotonic() - started
    before = sha256_of(root / "rep")

    def check() -> str:
        if sha256_of(root / "rep") == before:
            return "old output intact"
        load_report(root / "rep")  # raises when the folder is not a whole report
        return "new output complete"

    return [*argv, "--force"], check, _copy_aside(root, "rep"), seconds


def _setup_model(root: Path) -> tuple[list[str], Check, Callable[[], None], float]:
    import pandas as pd

    from framing.frames import load_frame_model

    sheet = pd.read_csv(SAMPLE / "annotations.csv", dtype=str, keep_default_na=False)
    sheet[["passage_id", "doc_id", "outlet", "date", "text"]].to_csv(root / "passages.csv",
                                                                      index=False)
    _run(["frames", "import", str(SAMPLE / "annotations.csv"), "--out", "annotations.csv"],
         root)
    argv = ["frames", "train", "passages.csv", "annotations.csv", "--out", "model",
            "--features", "tfidf", "--no-char-ngrams", "--calibration", "none"]
    started = time.monotonic()
    _run(argv, root)
    seconds = time.monotonic() - started
    before = load_frame_model(root / "model").model_id_

    def check() -> str:
        found = load_frame_model(root / "model").model_id_
        return "old output intact" if found == before else "new output complete"

    return [*argv, "--force", "--seed", "1"], check, _copy_aside(root, "model"), seconds


SETUPS = {"import": _setup_import, "report": _setup_report, "model": _setup_model}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", choices=sorted(SETUPS), default="import")
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import numpy as np

    rng = np.random.default_rng(args.seed)
    outcomes: Counter[str] = Counter()
    survivors: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        argv, check, restore, run_seconds = SETUPS[args.command](root)
        # import keeps the range it was first recorded with; the others span their run
        high = 6.0 if args.command == "import" else run_seconds * 0.9
        output = argv[argv.index("--out") + 1]
        for number in range(args.kills):
            at_swap = number % 4 == 0  # every fourth kill exactly at the swap
            token = uuid.uuid4().hex
            os.environ["FRAMING_TEST_TOKEN"] = token
            process, ready = spawn(argv, root, pause_at="before_swap" if at_swap else None)
            if at_swap:
                wait_until_ready(process, ready, timeout_s=900)
            else:
                time.sleep(float(rng.uniform(0.3, high)))
            if args.command == "import":
                kill_group(process)
            else:
                os.kill(process.pid, signal.SIGKILL)  # the command alone, as `kill -9` does
                process.wait()
                # everything it started, wherever it now hangs in the process tree
                survivors.append(len(wait_for_none(token, timeout_s=10)))
                process.communicate()
            try:
                outcome = check()
            except Exception as exc:  # noqa: BLE001 - a sweep counts every kind of failure
                outcome = f"output unreadable: {type(exc).__name__}"
            outcomes[outcome] += 1
            if outcome == "new output complete":  # the earlier output back for the next kill
                restore()
        os.environ.pop("FRAMING_TEST_TOKEN", None)
        process, _ = spawn(argv, root)
        status = finish(process, 900)
        leftovers = [p.name for p in root.iterdir() if p.name.startswith(f".{output}.")]
        record = {"command": args.command, "kills": args.kills, "seed": args.seed, **outcomes,
                  "next_run_status": status, "leftovers_after_next_run": leftovers}
        if survivors:
            record["kills_leaving_processes_after_10s"] = sum(n > 0 for n in survivors)
            record["processes_alive_after_10s"] = sum(survivors)
        print(json.dumps(record))


if __name__ == "__main__":
    main()
