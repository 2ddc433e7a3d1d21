"""Frame-model speed: training, applying (TF-IDF) and encoding sentence embeddings (cached).

    python -m benchmarks.frames_speed [--n-apply 100000] [--n-train 10000] [--n-embed 1000]
                                      [--variants default,word_lexicon,word]
                                      [--workdir /tmp/framing-bench-frames-speed]

* training: :class:`framing.frames.FrameClassifier` (``features="tfidf"``, defaults otherwise:
  word + char n-gram TF-IDF, calibrated logistic regression and F1 thresholds per frame) fitted
  on ``--n-train`` planted passages of a synthetic corpus made with
  :func:`framing.synthetic.generate_sample_corpus` (generation time not counted);
* applying: ``predict`` on ``--n-apply`` passages (the synthetic passages repeated, each with its
  own id and outlet/date metadata), in batches of ``--batch`` as the CLI would, in one process
  and in two: the caller sending whole batches to two joblib workers, and the model itself
  (``n_jobs=2``) cutting each batch in two (workers started before the clock); for the
  default features also where the time goes: each feature block's ``transform`` and the
  calibrated models' ``predict_proba`` on one batch;
* embeddings: :class:`framing.frames.SentenceEmbedder` on ``--n-embed`` distinct passages with an
  empty disk cache (first pass: MiniLM encoding), then again (second pass: from the cache).

It prints the machine (``nproc``, load average) and every figure with its target, and the load
average beside each figure: on a shared machine, compare a figure with the word-only baseline
measured in the same run. One-process figures also give the process's CPU time (``cpu``), which
other processes' load inflates less than the wall-clock time.
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
from scipy import sparse

from framing.frames import FrameClassifier, SentenceEmbedder
from framing.synthetic import generate_sample_corpus

FRAMES = ("peacemaker", "isolationist", "skeptic")
# (label, FrameClassifier parameters): the default features (word + char n-grams + lexicon),
# without the char n-grams, and word n-grams alone (the baseline).
VARIANTS = (
    ("default", {}),
    ("word_lexicon", {"char_ngrams": False}),
    ("word", {"char_ngrams": False, "lexicon_features": False}),
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


def _spin(n: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - start


def free_cores() -> float:
    """How much faster two processes run a pure-Python loop than one: ~2 when both cores
    are free, ~1 when other work holds one (then no 2-process figure can beat 1 process)."""
    n = 5_000_000
    one = _spin(n)
    with Parallel(n_jobs=2) as parallel:
        parallel(delayed(_spin)(1) for _ in range(2))  # start the workers
        start = time.perf_counter()
        parallel(delayed(_spin)(n) for _ in range(2))
        two = time.perf_counter() - start
    return 2 * one / two


def load() -> str:
    """The 1-minute load average, for the line of each figure."""
    return f"load {os.getloadavg()[0]:.1f}"


def breakdown(model: FrameClassifier, batch: pd.DataFrame) -> None:
    """Time each feature block's transform and the models' predict_proba on one batch."""
    texts = batch["text"].tolist()
    blocks = []
    for name, block in model.features_.transformer_list:
        block.transform(texts[:100])  # build the look-up tables outside the timing
        start, cpu = time.perf_counter(), time.process_time()
        blocks.append(sparse.csr_matrix(block.transform(texts)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"  where: {name} block transform: {len(texts) / seconds:,.0f} passages/s "
              f"(cpu {len(texts) / cpu:,.0f}/s)", flush=True)
    X = sparse.hstack(blocks, format="csr")
    start, cpu = time.perf_counter(), time.process_time()
    for frame in model.frames_:
        model.estimators_[frame].predict_proba(X)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  where: calibrated models, {len(model.frames_)} frames: "
          f"{len(texts) / seconds:,.0f} passages/s (cpu {len(texts) / cpu:,.0f}/s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-apply", type=int, default=100_000)
    parser.add_argument("--n-train", type=int, default=10_000)
    parser.add_argument("--n-embed", type=int, default=1_000)
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
    print(f"machine: two processes run a pure-Python loop {free_cores():.2f}x as fast as one "
          "(2.0 = both cores free)", flush=True)

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
    for label, params in VARIANTS:
        if label not in args.variants.split(","):
            continue
        start, cpu = time.perf_counter(), time.process_time()
        model = FrameClassifier(features="tfidf", random_state=0, **params).fit(train)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"train  {label} {params} on {len(train):,} passages: {seconds:.1f} s, cpu "
              f"{cpu:.1f} s (target < 60 s; {load()})", flush=True)
        n_apply = len(big)
        batches = [big.iloc[lo:min(lo + args.batch, n_apply)]
                   for lo in range(0, n_apply, args.batch)]
        model.predict(batches[0].iloc[:100])  # look-up tables built outside the timing
        start, cpu = time.perf_counter(), time.process_time()
        n_out = sum(len(model.predict(batch)) for batch in batches)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"apply  {label}: predict on {n_out:,} passages, 1 process: {seconds:.1f} s = "
              f"{n_out / seconds:,.0f} passages/s, cpu {n_out / cpu:,.0f}/s "
              f"(target >= 20,000/s on 2 cores; {load()})", flush=True)
        with Parallel(n_jobs=2) as parallel:
            # Start both workers and load the libraries and the model before the clock.
            parallel(delayed(model.predict)(batch.iloc[:50]) for batch in batches[:2])
            start = time.perf_counter()
            n_out = sum(map(len, parallel(delayed(model.predict)(batch) for batch in batches)))
            seconds = time.perf_counter() - start
        print(f"apply  {label}: predict on {n_out:,} passages, 2 processes (joblib, one "
              f"batch each): {seconds:.1f} s = {n_out / seconds:,.0f} passages/s "
              f"(target >= 20,000/s; {load()})", flush=True)
        model.set_params(n_jobs=2)
        model.predict(batches[0])  # start the workers before the clock
        start = time.perf_counter()
        n_out = sum(len(model.predict(batch)) for batch in batches)
        seconds = time.perf_counter() - start
        model.set_params(n_jobs=None)
        print(f"apply  {label}: predict on {n_out:,} passages, FrameClassifier(n_jobs=2) "
              f"(each batch cut in two): {seconds:.1f} s = {n_out / seconds:,.0f} passages/s "
              f"(target >= 20,000/s; {load()})", flush=True)
        if label == "default":
            breakdown(model, batches[0])

    if args.n_embed <= 8:
        return 0
    import torch  # the embeddings extra

    texts = passages.drop_duplicates("text")["text"].iloc[:args.n_embed].tolist()
    # float32 first, then the default precision ("auto": bfloat16 where the CPU has it), each
    # on an empty cache, so the ratio is measured in one run.
    for precision in ("float32", "auto"):
        cache = args.workdir / f"embeddings-{precision}"
        embedder = SentenceEmbedder(cache_dir=cache, precision=precision).fit(texts)
        embedder.transform(texts[:8])  # load the model outside the timing
        start = time.perf_counter()
        embedder.transform(texts[8:])
        seconds = time.perf_counter() - start
        print(f"embed  MiniLM {embedder.precision_} (precision={precision!r}), "
              f"{len(texts) - 8:,} new passages (empty cache, {torch.get_num_threads()} torch "
              f"threads, batch {embedder.batch_size}): {seconds:.1f} s = "
              f"{(len(texts) - 8) / seconds:,.0f} passages/s (target >= 200/s; {load()})",
              flush=True)
    texts = texts[8:]
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
