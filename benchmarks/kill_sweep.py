"""Sweep: SIGKILL `framing corpus import --force` over an existing store at many seeded
moments (and at the swap itself), then check what a user would find.

After every kill the store at the path must be the earlier one or the new one, whole and
loadable (read back in full); after the next run, no temp folder of ours may be left. The CI
runs a few such kills (tests/test_kill.py); this runs many.

    PYTHONPATH=. python benchmarks/kill_sweep.py [--kills 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from framing.corpus import import_corpus, read_corpus  # noqa: E402
from tests.kill_harness import finish, kill_group, spawn, wait_until_ready  # noqa: E402

SAMPLE = REPO / "corpora" / "sample" / "articles.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import numpy as np

    rng = np.random.default_rng(args.seed)
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lines = SAMPLE.read_text(encoding="utf-8").splitlines()
        (root / "old.jsonl").write_text("\n".join(lines[:300]) + "\n", encoding="utf-8")
        (root / "new.jsonl").write_text("\n".join(lines[:600]) + "\n", encoding="utf-8")
        n_old = len(import_corpus(root / "old.jsonl", root / "store", progress=False))
        n_new = len(import_corpus(root / "new.jsonl", root / "ref", progress=False))
        argv = ["corpus", "import", "new.jsonl", "--out", "store", "--force", "--quiet"]
        for number in range(args.kills):
            at_swap = number % 4 == 0  # every fourth kill exactly at the swap
            process, ready = spawn(argv, root, pause_at="before_swap" if at_swap else None)
            if at_swap:
                wait_until_ready(process, ready)
            else:
                time.sleep(float(rng.uniform(0.3, 6.0)))
            kill_group(process)
            try:
                found = len(read_corpus(root / "store"))
            except Exception as exc:  # noqa: BLE001 - a sweep counts every kind of failure
                outcomes[f"store unreadable: {type(exc).__name__}"] += 1
                continue
            outcomes["old store intact" if found == n_old else
                     "new store complete" if found == n_new else "store changed"] += 1
            if found == n_new:  # put the earlier store back for the next kill
                import_corpus(root / "old.jsonl", root / "store", progress=False, force=True)
        process, _ = spawn(argv, root)
        status = finish(process, 300)
        leftovers = [p.name for p in root.iterdir() if p.name.startswith(".store.")]
        print(json.dumps({"kills": args.kills, "seed": args.seed, **outcomes,
                          "next_run_status": status, "leftovers_after_next_run": leftovers}))


if __name__ == "__main__":
    main()
