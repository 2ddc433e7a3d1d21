"""Frame-model speed: training, applying (TF-IDF) and encoding sentence embeddings (cached).

    python -m benchmarks.frames_speed [--n-apply 100000] [--n-train 10000] [--n-embed 2000]
                                      [--workdir /tmp/framing-bench-frames-speed]

* training: :class:`framing.frames.FrameClassifier` (``features="tfidf"``, defaults otherwise:
  word + char n-gram TF-IDF, calibrated logistic regression and F1 thresholds per frame) fitted
  on ``--n-train`` planted passages of a synthetic corpus made with
  :func:`framing.synthetic.generate_sample_corpus` (generation time not counted);
* applying: ``predict`` on ``--n-apply`` passages (the synthetic passages repeated, each with its
  own id and outlet/date metadata), in batches of 20,000 as the CLI would;
* embeddings: :class:`framing.frames.SentenceEmbedder` on ``--n-embed`` distinct passages with an
  empty disk cache (first pass: MiniLM encoding), then again (second pass: from the cache).

It prints the machine (``nproc``, load average) and every figure with its target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from framing.frames import FrameClassifier, SentenceEmbedder
from framing.synthetic import generate_sample_corpus

FRAMES = ("peacemaker", "isolationist", "skeptic")
# (label, FrameClassifier parameters, passages to apply): the default features are slow to
# apply (pure-Python lexicon matching and char n-grams), so they get fewer passages.
VARIANTS = (
    ("default", {}, 20_000),
    ("word_lexicon", {"char_ngrams": False}, 50_000),
    ("word", {"char_ngrams": False, "lexicon_features": False}, 100_000),
)


_SECOND_PASS = """
import json, sys, time
from framing.frames import SentenceEmbedder
texts = json.load(open(sys.argv[1], encoding="utf-8"))
embedder = SentenceEmbedder(cache_dir=sys.argv[2]).fit()
start = time.perf_counter()
embedder.transform(texts)
print(json.dumps([time.perf_counter() - start, embedder.n_computed_]))
"""


def planted_passages(folder: Path, n_articles: int, random_state: int) -> pd.DataFrame:
    """The planted Trump passages of a fresh synthetic corpus, with their text."""
    generate_sample_corpus(folder, n_articles=n_articles, random_state=random_state,
                           force=True)
    texts = {}
    with open(folder / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["doc_id"]] = row["text"]
    table = pd.read_csv(folder / "truth" / "passages.csv")
    table["text"] = [texts[d][s:e] for d, s, e in
                     zip(table["doc_id"], table["start"], table["end"], strict=True)]
    table["passage_id"] = table["doc_id"] + ":" + table["paragraph_id"].astype(str)
    return table[["passage_id", "doc_id", "outlet", "date", "text", *FRAMES]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-apply", type=int, default=100_000)
    parser.add_argument("--n-train", type=int, default=10_000)
    parser.add_argument("--n-embed", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--variants", default=",".join(v[0] for v in VARIANTS))
    parser.add_argument("--workdir", type=Path,
                        default=Path("/tmp/framing-bench-frames-speed"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    print(f"machine: nproc={os.cpu_count()} (affinity {len(os.sched_getaffinity(0))}), "
          f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}", flush=True)

    # A synthetic corpus has about 1.1 planted passages per article.
    start = time.perf_counter()
    passages = planted_passages(args.workdir / "corpus", int(args.n_train / 1.0) + 500, 7)
    print(f"synthetic corpus: {len(passages)} planted passages "
          f"({time.perf_counter() - start:.0f} s, not counted)", flush=True)
    train = passages.iloc[:args.n_train]
    if len(train) < args.n_train:
        print(f"note: only {len(train)} planted passages for training")

    reps = -(-args.n_apply // len(passages))
    big = pd.concat([passages.drop(columns=list(FRAMES))] * reps, ignore_index=True)
    big = big.iloc[:args.n_apply].copy()
    big["passage_id"] = big["passage_id"] + "#" + (big.index // len(passages)).astype(str)
    for label, params, n_apply in VARIANTS:
        if label not in args.variants.split(","):
            continue
        start = time.perf_counter()
        model = FrameClassifier(features="tfidf", random_state=0, **params).fit(train)
        seconds = time.perf_counter() - start
        print(f"train  {label} {params} on {len(train):,} passages: {seconds:.1f} s "
              f"(target < 60 s)", flush=True)
        n_apply = min(n_apply, len(big))
        batches = [big.iloc[lo:min(lo + args.batch, n_apply)]
                   for lo in range(0, n_apply, args.batch)]
        start = time.perf_counter()
        n_out = sum(len(model.predict(batch)) for batch in batches)
        seconds = time.perf_counter() - start
        print(f"apply  {label}: predict on {n_out:,} passages, 1 process: {seconds:.1f} s = "
              f"{n_out / seconds:,.0f} passages/s (target >= 20,000/s)", flush=True)
        start = time.perf_counter()
        n_out = sum(map(len, Parallel(n_jobs=2)(delayed(model.predict)(batch)
                                                for batch in batches)))
        seconds = time.perf_counter() - start
        print(f"apply  {label}: predict on {n_out:,} passages, 2 processes (joblib): "
              f"{seconds:.1f} s = {n_out / seconds:,.0f} passages/s", flush=True)

    texts = passages.drop_duplicates("text")["text"].iloc[:args.n_embed].tolist()
    cache = args.workdir / "embeddings"
    embedder = SentenceEmbedder(cache_dir=cache).fit(texts)
    embedder.transform(texts[:8])  # load the model outside the timing
    texts = texts[8:]
    start = time.perf_counter()
    embedder.transform(texts)
    seconds = time.perf_counter() - start
    print(f"embed  MiniLM, {len(texts):,} new passages (empty cache): {seconds:.1f} s = "
          f"{len(texts) / seconds:,.0f} passages/s (target >= 200/s)", flush=True)
    # The second pass runs in a new process, so the vectors come from the disk cache, not
    # from this process's memory.
    (args.workdir / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _SECOND_PASS, str(args.workdir / "texts.json"),
                           str(cache)], capture_output=True, text=True, check=True)
    seconds, computed = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"embed  second pass, same passages, new process (disk cache): {seconds:.2f} s = "
          f"{len(texts) / seconds:,.0f} passages/s; vectors recomputed: {computed}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
