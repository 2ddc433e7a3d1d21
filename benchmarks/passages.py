"""Benchmark: passage finding (sentences, mentions with coreference, issue filter, windows).

Makes a scaled-up sample corpus with the seeded generator, imports it, and times
``extract_passages`` with one and two worker processes, against the plain nltk loop a
researcher would otherwise write (Punkt sentences, then ``word_tokenize`` per sentence) over the
same articles. Peak memory is measured at two corpus sizes to show it stays flat when passages
stream to disk. Each measurement runs in a fresh subprocess.

    python benchmarks/passages.py [--articles 20000] [--workdir /tmp/framing-bench]
    python benchmarks/passages.py --real    # the AllSides articles in ../shared/data instead
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
mode, store, out = sys.argv[1], sys.argv[2], sys.argv[3]
from framing.corpus import Corpus
started = time.perf_counter()
if mode == "nltk":
    from nltk.tokenize import word_tokenize
    from framing.text._sentences import sentence_tokenizer
    punkt = sentence_tokenizer()
    n_docs = n_tokens = 0
    for batch in Corpus(store).iter_batches(batch_size=2000, columns=["text"]):
        for text in batch["text"]:
            for sentence in punkt.tokenize(text):
                n_tokens += len(word_tokenize(sentence, preserve_line=True))
            n_docs += 1
    result = {"documents": n_docs}
else:
    from framing.text import extract_passages
    jobs = int(mode)
    found = extract_passages(store, n_jobs=jobs, batch_size=1000, out=out, force=True,
                             progress=False)
    result = {"documents": found.manifest["documents"]["read"],
              "passages": found.manifest["passages"]}
result["seconds"] = time.perf_counter() - started
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


_REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides_article_bias"

_REAL_CHILD = r"""
import json, sys, time
import pandas as pd
from framing.text import extract_passages
articles = pd.read_parquet(sys.argv[1], columns=["article_id", "date", "text", "source"])
articles = (articles.rename(columns={"article_id": "doc_id", "source": "outlet"})
            .dropna(subset=["text"]).reset_index(drop=True))
articles["doc_id"] = articles["doc_id"].astype(str)
started = time.perf_counter()
found = extract_passages(articles, n_jobs=int(sys.argv[2]), batch_size=1000, progress=False)
print(json.dumps({"documents": len(articles), "passages": len(found.passages),
                  "mean_chars": float(articles["text"].str.len().mean()),
                  "seconds": time.perf_counter() - started}))
"""


def real_news() -> None:
    """Passage finding on the real AllSides articles (longer than the sample's), 1 and 2
    processes; the table is passed in memory, so only the finding is timed."""
    path = _REAL / "articles.parquet"
    if not path.exists():
        raise SystemExit(f"{path} not found: the shared datasets are expected beside the repo")
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", _REAL_CHILD, str(path), jobs],
                              check=True, capture_output=True, text=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"AllSides, {jobs} process(es): {result['documents']:,} articles (mean "
              f"{result['mean_chars']:,.0f} characters) in {result['seconds']:.1f} s = "
              f"{result['documents'] / result['seconds']:,.0f} articles/s, "
              f"{result['passages']:,} passages", flush=True)


def _run(mode: str, store: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(store), str(out)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--real", action="store_true",
                        help="time the AllSides articles in ../shared/data instead")
    args = parser.parse_args()
    if args.real:
        real_news()
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (args.articles // 4, args.articles):
        store = make_sample_store(args.workdir, n)
        for mode in ("nltk", "1", "2"):
            result = _run(mode, store, args.workdir / f"passages{n}-{mode}")
            result.update(articles=n, mode={"nltk": "nltk loop (1 process)",
                                            "1": "framing, 1 process",
                                            "2": "framing, 2 processes"}[mode])
            result["articles_per_s"] = result["documents"] / result["seconds"]
            rows.append(result)
            print(json.dumps(result), flush=True)
    print()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print("| articles | run | seconds | articles/s | peak RSS, main (MB) |")
    print("|---:|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']:,} | {r['mode']} | {r['seconds']:.1f} | "
              f"{r['articles_per_s']:,.0f} | {r['peak_rss_mb']:.0f} |")
    for n in (args.articles // 4, args.articles):
        base = next(r for r in rows if r["articles"] == n and r["mode"].startswith("nltk"))
        two = next(r for r in rows if r["articles"] == n and "2 processes" in r["mode"])
        print(f"{n:,} articles: framing with 2 processes is "
              f"{two['articles_per_s'] / base['articles_per_s']:.2f}x the nltk loop's speed")
    if not args.keep:
        shutil.rmtree(args.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
