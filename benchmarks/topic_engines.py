"""Benchmark: topic engines on one large corpus, and doc-topic tables streamed to Parquet.

Same corpus, same K, same vocabulary, same priors (alpha=0.1, eta=0.01, no alpha learning),
same number of passes over the corpus (``--passes``; framing also at ``--extra-sweeps``):

* framing ``TopicModel(engine="tomotopy")`` (collapsed Gibbs; one pass = one sweep), the whole
  ``fit`` (vocabulary, pruning, training, training-document shares, metrics, data hash);
* gensim ``LdaMulticore`` (online variational Bayes; ``passes``), the training call only;
* scikit-learn ``LatentDirichletAllocation`` (online variational Bayes; ``max_iter`` passes),
  the training call only.

Each run is a fresh subprocess (its own peak RSS). Coherence (c_npmi, top 10 words, gensim
``CoherenceModel``, window 10) of every run is computed afterwards in one accumulation over the
same reference sample of documents. Then the framing model, saved as a bundle, infers the
doc-topic table of the corpus read in batches and written to Parquet batch by batch, for each
row count of ``--stream-rows`` (the corpus repeats with new doc_ids past its end), so the runs
show how peak memory changes with the number of rows.

    python -m framing.synthetic /tmp/big --n-articles 100000 --seed 7
    python benchmarks/topic_engines.py --corpus /tmp/big [--passes 10] [--extra-sweeps 200]

A run's results are saved in the workdir (``run-<engine>-<passes>.json``) and reused by a rerun
with the same workdir; delete the workdir to measure again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

_PREPARE = r"""
import json, sys, time
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from framing.text import tokenize_corpus
from framing.topics._inputs import build_vocabulary, prune
store, work = sys.argv[1], sys.argv[2]
min_df, max_df, n_ref = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
started = time.perf_counter()
table = tokenize_corpus(store, n_jobs=2)
seconds = time.perf_counter() - started
docs = [list(t) for t in table["tokens"]]
vocab, _ = build_vocabulary(docs, min_df=min_df, max_df_share=max_df)
pruned = prune(docs, vocab)
# the token table, in row groups of 10,000 rows, for training and for streaming
pq.write_table(pa.Table.from_pandas(table[["doc_id", "outlet", "date", "tokens", "n_tokens"]],
               preserve_index=False), f"{work}/tokens.parquet", row_group_size=10_000)
pq.write_table(pa.table({"tokens": pruned}), f"{work}/pruned.parquet")
rng = np.random.default_rng(0)
ref = sorted(rng.choice(len(pruned), size=min(n_ref, len(pruned)), replace=False).tolist())
json.dump({"vocabulary": vocab, "reference": ref}, open(f"{work}/vocab.json", "w"))
print(json.dumps({"documents": len(table), "tokens": int(table["n_tokens"].sum()),
                  "kept_tokens": int(sum(map(len, pruned))), "vocabulary": len(vocab),
                  "tokenize_s": seconds}))
"""

_TRAIN = r"""
import json, resource, sys, time, warnings
import numpy as np, pyarrow.parquet as pq
engine, work, k, passes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
min_df, max_df, learn_alpha = int(sys.argv[5]), float(sys.argv[6]), sys.argv[7] == "1"
vocab = json.load(open(f"{work}/vocab.json"))["vocabulary"]
top = []
if engine == "framing":
    from framing.topics import TopicModel
    table = pq.read_table(f"{work}/tokens.parquet").to_pandas()
    model = TopicModel(n_topics=k, engine="tomotopy", n_iterations=passes,
                       burn_in=min(100, passes // 5) if learn_alpha else 0,
                       optimize_alpha=learn_alpha, alpha=0.1, eta=0.01, min_df=min_df,
                       max_df_share=max_df, n_jobs=2, random_state=0)
    started = time.perf_counter()
    model.fit(table)
    seconds = time.perf_counter() - started
    if list(model.vocabulary_) != vocab:
        raise SystemExit("framing pruned another vocabulary")
    for row in model.topic_word_:
        top.append([vocab[i] for i in np.argsort(-row, kind="stable")[:10]])
    model.save(f"{work}/framing-model-{passes}{'-alpha' if learn_alpha else ''}", force=True)
else:
    docs = [list(t) for t in pq.read_table(f"{work}/pruned.parquet")["tokens"].to_pylist()]
    docs = [d for d in docs if d]
    from gensim.corpora import Dictionary
    dictionary = Dictionary([vocab])
    bow = [dictionary.doc2bow(d) for d in docs]
    if engine == "gensim":
        from gensim.models import LdaMulticore
        started = time.perf_counter()
        model = LdaMulticore(bow, id2word=dictionary, num_topics=k, passes=passes, workers=1,
                             alpha=0.1, eta=0.01, random_state=0, eval_every=None)
        seconds = time.perf_counter() - started
        matrix = model.get_topics()
    else:
        from scipy.sparse import csr_matrix
        from sklearn.decomposition import LatentDirichletAllocation
        indptr = np.cumsum([0] + [len(b) for b in bow])
        cols = np.array([j for b in bow for j, _ in b])
        vals = np.array([c for b in bow for _, c in b])
        x = csr_matrix((vals, cols, indptr), shape=(len(bow), len(vocab)))
        model = LatentDirichletAllocation(n_components=k, learning_method="online",
                                          max_iter=passes, doc_topic_prior=0.1,
                                          topic_word_prior=0.01, n_jobs=2, random_state=0)
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(x)
        seconds = time.perf_counter() - started
        matrix = model.components_
    for row in matrix:
        top.append([vocab[i] for i in np.argsort(-row, kind="stable")[:10]])
print(json.dumps({"seconds": seconds, "top": top,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_STREAM = r"""
import json, os, resource, sys, time
import pyarrow as pa, pyarrow.parquet as pq
from framing.topics import TopicModel
work, bundle, limit, batch_size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
model = TopicModel.load(bundle)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
source = pq.ParquetFile(f"{work}/tokens.parquet")
writer = None
rows = 0
started = time.perf_counter()
r = 0
while rows < limit:  # the corpus again with new doc_ids until ``limit`` rows are written
    for batch in source.iter_batches(batch_size=batch_size):
        if rows >= limit:
            break
        frame = batch.to_pandas().head(limit - rows)
        frame["doc_id"] = frame["doc_id"] + f"#{r}"
        out = pa.Table.from_pandas(model.transform(frame), preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(f"{work}/doc_topics.parquet", out.schema)
        writer.write_table(out)
        rows += len(frame)
    r += 1
writer.close()
seconds = time.perf_counter() - started
print(json.dumps({"rows": rows, "seconds": seconds, "floor_rss_mb": base,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "parquet_mb": os.path.getsize(f"{work}/doc_topics.parquet") / 2**20}))
"""


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _child(code: str, *args: object) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ensure_store(corpus: Path, store: Path, n_articles: int, seed: int) -> None:
    if not (corpus / "articles.jsonl").exists():
        subprocess.run([sys.executable, "-m", "framing.synthetic", str(corpus), "--n-articles",
                        str(n_articles), "--seed", str(seed)], check=True)
    if not store.exists():
        subprocess.run([sys.executable, "-m", "framing", "corpus", "import",
                        str(corpus / "articles.jsonl"), "--aliases",
                        str(corpus / "outlet_aliases.csv"), "--out", str(store), "--quiet",
                        "--dedup", "exact"], check=True)


def _coherence(work: Path, runs: list[dict]) -> list[float]:
    import pyarrow.parquet as pq
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    meta = json.loads((work / "vocab.json").read_text())
    docs = pq.read_table(work / "pruned.parquet")["tokens"].to_pylist()
    texts = [docs[i] for i in meta["reference"]]
    dictionary = Dictionary([meta["vocabulary"]])
    topics = [run["top"] for run in runs]
    model = CoherenceModel.for_topics(topics, texts=texts, dictionary=dictionary,
                                      coherence="c_npmi", topn=10, processes=1)
    return [float(mean) for _, mean in model.compare_model_topics(topics)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/big"))
    parser.add_argument("--store", type=Path, default=None, help="default: <corpus>-store")
    parser.add_argument("--n-articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-topic-engines-work"))
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--passes", type=int, default=10, help="passes over the corpus, all")
    parser.add_argument("--extra-sweeps", type=int, default=200,
                        help="also run framing with this many sweeps (0: no)")
    parser.add_argument("--alpha-sweeps", type=int, default=0,
                        help="also run framing with this many sweeps and alpha learned "
                             "(its default; 0: no)")
    parser.add_argument("--min-df", type=int, default=5)
    parser.add_argument("--max-df-share", type=float, default=0.5)
    parser.add_argument("--reference-docs", type=int, default=20_000,
                        help="documents of the coherence reference sample")
    parser.add_argument("--stream-rows", default="20000,100000",
                        help="rows per streaming run, comma-separated (the corpus repeats "
                             "with new doc_ids when more rows are asked than it has)")
    parser.add_argument("--stream-batch", type=int, default=20_000)
    parser.add_argument("--only", default="framing,gensim,sklearn,stream")
    args = parser.parse_args()
    store = args.store or Path(f"{args.corpus}-store")
    _ensure_store(args.corpus, store, args.n_articles, args.seed)
    args.workdir.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))

    if not (args.workdir / "vocab.json").exists():
        corpus = _child(_PREPARE, store, args.workdir, args.min_df, args.max_df_share,
                        args.reference_docs)
        (args.workdir / "corpus.json").write_text(json.dumps(corpus))
    corpus = json.loads((args.workdir / "corpus.json").read_text())
    print(json.dumps(corpus), flush=True)

    plan = []
    if "framing" in only:
        plan.append(("framing", args.passes))
    if "gensim" in only:
        plan.append(("gensim", args.passes))
    if "sklearn" in only:
        plan.append(("sklearn", args.passes))
    if "framing" in only and args.extra_sweeps:
        plan.append(("framing", args.extra_sweeps))
    if "framing" in only and args.alpha_sweeps:
        plan.append(("framing+alpha", args.alpha_sweeps))
    runs = []
    for engine, passes in plan:
        saved = args.workdir / f"run-{engine}-{passes}.json"
        if saved.exists():  # a finished run of this workdir (a rerun after a crash)
            runs.append(json.loads(saved.read_text()))
            continue
        before = _load()
        try:
            result = _child(_TRAIN, engine.removesuffix("+alpha"), args.workdir, args.topics,
                            passes, args.min_df, args.max_df_share,
                            int(engine.endswith("+alpha")))
        except subprocess.CalledProcessError as exc:
            print(f"{engine} failed:\n{exc.stderr[-2000:]}", flush=True)
            continue
        result.update(engine=engine, passes=passes, load=f"{before} → {_load()}")
        saved.write_text(json.dumps(result))
        runs.append(result)
        print(json.dumps({key: value for key, value in result.items() if key != "top"}),
              flush=True)
    if runs:
        started = time.perf_counter()
        for run, value in zip(runs, _coherence(args.workdir, runs), strict=True):
            run["c_npmi"] = value
        print(f"coherence computed in {time.perf_counter() - started:.0f} s", flush=True)
    streams = []
    if "stream" in only:
        bundle = args.workdir / f"framing-model-{args.passes}"
        for limit in (int(r) for r in args.stream_rows.split(",")):
            before = _load()
            stream = _child(_STREAM, args.workdir, bundle, limit, args.stream_batch)
            stream["load"] = f"{before} → {_load()}"
            streams.append(stream)
            print(json.dumps(stream), flush=True)

    names = {"framing": "framing TopicModel (tomotopy), n_jobs=2",
             "gensim": "gensim LdaMulticore, workers=1 (+ master)",
             "sklearn": "sklearn LatentDirichletAllocation online, n_jobs=2",
             "framing+alpha": "framing TopicModel (tomotopy), n_jobs=2, alpha learned"}
    print()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"corpus: {corpus['documents']:,} documents, {corpus['kept_tokens']:,} tokens kept, "
          f"vocabulary {corpus['vocabulary']:,} (min_df={args.min_df}, max_df_share="
          f"{args.max_df_share}); K={args.topics}; c_npmi on {args.reference_docs:,} documents")
    gensim = next((r for r in runs if r["engine"] == "gensim"), None)
    print("| engine | passes | train s | × gensim speed | c_npmi | peak RSS MB | load |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in runs:
        ratio = f"{gensim['seconds'] / r['seconds']:.1f}×" if gensim else ""
        print(f"| {names[r['engine']]} | {r['passes']} | {r['seconds']:.1f} | {ratio} | "
              f"{r['c_npmi']:.3f} | {r['peak_rss_mb']:.0f} | {r['load']} |")
    if streams:
        print()
        print(f"doc-topic table streamed to Parquet (batches of {args.stream_batch:,} rows):")
        print("| rows | seconds | rows/s | RSS after loading the model MB | peak RSS MB | "
              "Parquet MB | load |")
        print("|---:|---:|---:|---:|---:|---:|---|")
        for r in streams:
            print(f"| {r['rows']:,} | {r['seconds']:.0f} | {r['rows'] / r['seconds']:,.0f} | "
                  f"{r['floor_rss_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['parquet_mb']:.0f} | "
                  f"{r['load']} |")


if __name__ == "__main__":
    main()
