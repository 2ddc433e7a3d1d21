"""Encoding speed: the MiniLM transformer against the static embeddings distilled from it.

    python -m benchmarks.embeddings_static [--repeat 10]

Texts: the 680 real AllSides passages of the coded role set (``tests/data/
allsides_trump_roles.csv``, ~105 words each). Each model encodes them with an empty cache
in a fresh embedder (``SentenceEmbedder(model=...)``; MiniLM at ``precision="auto"``); the
static model also encodes ``--repeat`` times as many distinct texts (each passage with a
numbered suffix) for a steadier figure. Model loading is not timed (it happens in ``fit``);
the one-time distillation of ``minilm-static`` is timed when it has not happened yet. Prints
passages/s and the CPU seconds of this process beside the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

from framing.frames import SentenceEmbedder
from framing.frames._embeddings import clear_memory_cache

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "allsides_trump_roles.csv"


def timed(model: str | None, texts: list[str]) -> tuple[float, float]:
    clear_memory_cache()
    embedder = SentenceEmbedder(model=model).fit()
    wall, cpu = time.perf_counter(), time.process_time()
    embedder.transform(texts)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    texts = pd.read_csv(DATA)["text"].astype(str).tolist()
    print(f"{len(texts)} passages, mean {sum(len(t.split()) for t in texts) / len(texts):.0f} "
          f"words; nproc {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    start = time.perf_counter()
    SentenceEmbedder(model="minilm-static").fit()  # distils on first use
    print(f"minilm-static ready in {time.perf_counter() - start:.1f} s (distillation included "
          "when it had not run before)")
    rows = []
    for name, model, batch in (("all-MiniLM-L6-v2", None, texts),
                               ("minilm-static", "minilm-static", texts),
                               (f"minilm-static x{args.repeat}", "minilm-static",
                                [f"{t} ({n})" for n in range(args.repeat) for t in texts])):
        wall, cpu = timed(model, batch)
        rows.append({"model": name, "passages": len(batch), "seconds": round(wall, 2),
                     "passages_per_s": round(len(batch) / wall), "cpu_s": round(cpu, 2),
                     "load": round(os.getloadavg()[0], 1)})
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    base = table.loc[0, "passages_per_s"]
    print(f"static / transformer: {table.loc[1, 'passages_per_s'] / base:.1f}x "
          f"(x{args.repeat} texts: {table.loc[2, 'passages_per_s'] / base:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
