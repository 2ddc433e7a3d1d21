"""Benchmark: the token table (regex tokens, gensim phrases, stop words) of a corpus store.

Makes a scaled-up sample corpus with the seeded generator, imports it, and times
``tokenize_corpus`` (no cache: both passes, phrases then tokens) with one and two worker
processes, then the read of the cached table. For reference it also times the word tokenizers a
researcher might reach for on the same texts: nltk ``word_tokenize(preserve_line=True)`` (the
only form that runs without downloaded punkt data) and gensim ``simple_preprocess``. Each
measurement runs in a fresh subprocess.

    python benchmarks/tokens.py [--articles 20000] [--workdir /tmp/framing-bench-tokens]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from _sample_store import make_sample_store  # a sibling module: scripts run from here

_CHILD = r"""
import json, resource, sys, time
mode, store = sys.argv[1], sys.argv[2]
import gensim, nltk.tokenize  # imports are not what is measured
from framing.corpus import Corpus
from framing.text._token_table import tokenize_corpus
started = time.perf_counter()
if mode in ("nltk", "gensim"):
    from gensim.utils import simple_preprocess
    from nltk.tokenize import word_tokenize
    n_docs = n_tokens = 0
    for batch in Corpus(store).iter_batches(batch_size=2000, columns=["text"]):
        for text in batch["text"]:
            tokens = (word_tokenize(text, preserve_line=True) if mode == "nltk"
                      else simple_preprocess(text))
            n_tokens += len(tokens)
            n_docs += 1
    result = {"documents": n_docs, "tokens": n_tokens}
else:
    jobs = int(mode.rstrip("c"))
    table = tokenize_corpus(store, n_jobs=jobs, cache=mode.endswith("c"))
    result = {"documents": len(table), "tokens": int(table["n_tokens"].sum())}
result["seconds"] = time.perf_counter() - started
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""
_MODES = {"nltk": "nltk word_tokenize only", "gensim": "gensim simple_preprocess only",
          "1": "tokenize_corpus, 1 process", "2": "tokenize_corpus, 2 processes",
          "1c": "tokenize_corpus, first call (writes the cache)",
          "1cc": "tokenize_corpus, cached"}


def _run(mode: str, store: Path) -> dict:
    child_mode = "1c" if mode == "1cc" else mode
    done = subprocess.run([sys.executable, "-c", _CHILD, child_mode, str(store)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-bench-tokens"))
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (args.articles // 10, args.articles):
        store = make_sample_store(args.workdir, n)
        shutil.rmtree(store / "_cache", ignore_errors=True)
        for mode in _MODES:
            result = _run(mode, store)
            result.update(articles=n, mode=_MODES[mode])
            rows.append(result)
            print(json.dumps(result), flush=True)
    print()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print("| articles | run | seconds | articles/s | tokens | peak RSS (MB) |")
    print("|---:|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']:,} | {r['mode']} | {r['seconds']:.2f} | "
              f"{r['documents'] / r['seconds']:,.0f} | {r['tokens']:,} | "
              f"{r['peak_rss_mb']:.0f} |")
    if not args.keep:
        shutil.rmtree(args.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
