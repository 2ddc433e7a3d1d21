"""Benchmark: topic engines on one large corpus, and doc-topic tables streamed to Parquet.

Same corpus, same K, same vocabulary, same priors (alpha=0.1, eta=0.01, no alpha learning
unless a run says so), same iterations budget:

* framing ``TopicModel(engine="tomotopy")`` (collapsed Gibbs, ``n_jobs=2``). Its budget is in
  **sweeps**: one sweep resamples every token once. Timed twice: the engine's training call
  (``add_doc`` of every document plus the sweeps) and the whole ``fit`` (vocabulary, checks,
  training, training-document shares, metrics, data hash);
* gensim ``LdaMulticore`` (online variational Bayes, ``workers=1`` plus its master process)
  and scikit-learn ``LatentDirichletAllocation`` (online, ``n_jobs=2``), the training call
  only. Their budget is in **passes**: one pass reads every document once and runs up to
  ``iterations=50`` (gensim; sklearn ``max_doc_update_iter=100``) variational updates per
  document before its topic update, so a pass costs far more than a sweep.

"Same iterations budget" therefore means: ``--passes`` passes for gensim and sklearn, and the
same number of sweeps for framing (its first run); the other framing runs
(``--extra-sweeps``, ``--alpha-sweeps``, ``--framing-runs``) spend more sweeps, and their
time is compared with gensim's at ``--passes`` passes, so the table is a frontier of time
against coherence. ``--framing-runs`` adds tomotopy's term weighting (``/idf``, ``/pmi``) and
alpha learning (``/alpha``). ``--rm-top N`` removes the N most frequent words from the one
vocabulary every engine sees.

Each run is a fresh subprocess (its own peak RSS). Coherence (c_npmi, top 10 words by the
topic-word weights each engine reports, one gensim ``CoherenceModel`` with window 10) of every
run is computed afterwards in one accumulation over the same reference sample of documents;
beside it, topic diversity and near-duplicate topic pairs (see ``_diversity``).
Then the framing model, saved as a bundle, infers the doc-topic table of the corpus read in
batches and written to Parquet batch by batch, for each row count of ``--stream-rows`` (the
corpus repeats with new doc_ids past its end), so the runs show how peak memory changes with
the number of rows.

    python -m framing.synthetic /tmp/big --n-articles 100000 --seed 7
    python benchmarks/topic_engines.py --corpus /tmp/big [--passes 10] [--extra-sweeps 200]
        [--framing-runs 50/idf,100/pmi] [--limit-docs 20000] [--rm-top 0]

A run's results are saved in the workdir (``run-<engine>-<passes>[-<weight>][-alpha].json``)
and reused by a rerun with the same workdir; delete the workdir to measure again.
"""

from __future__ import annotations

import argparse
import itertools
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
limit, rm_top = int(sys.argv[6]), int(sys.argv[7])
started = time.perf_counter()
table = tokenize_corpus(store, n_jobs=2)
seconds = time.perf_counter() - started
if limit:
    table = table.head(limit)
docs = [list(t) for t in table["tokens"]]
vocab, counts = build_vocabulary(docs, min_df=min_df, max_df_share=max_df)
if rm_top:  # the most frequent words leave the vocabulary of every engine
    drop = {vocab[i] for i in np.argsort(-counts, kind="stable")[:rm_top]}
    vocab = [w for w in vocab if w not in drop]
pruned = prune(docs, vocab)
if rm_top:  # framing trains on the token table: give it the same words
    table["tokens"] = pruned
# the token table, in row groups of 10,000 rows, for training and for streaming
pq.write_table(pa.Table.from_pandas(table[["doc_id", "outlet", "date", "tokens", "n_tokens"]],
               preserve_index=False), f"{work}/tokens.parquet", row_group_size=10_000)
pq.write_table(pa.table({"tokens": pruned}), f"{work}/pruned.parquet")
rng = np.random.default_rng(0)
ref = sorted(rng.choice(len(pruned), size=min(n_ref, len(pruned)), replace=False).tolist())
json.dump({"vocabulary": vocab, "reference": ref}, open(f"{work}/vocab.json", "w"))
print(json.dumps({"documents": len(table), "tokens": int(table["n_tokens"].sum()),
                  "kept_tokens": int(sum(map(len, pruned))), "vocabulary": len(vocab),
                  "tokenize_s": seconds, "limit_docs": limit, "rm_top": rm_top}))
"""

_TRAIN = r"""
import json, resource, sys, time, warnings
import numpy as np, pyarrow.parquet as pq
engine, work, k, passes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
min_df, max_df, learn_alpha = int(sys.argv[5]), float(sys.argv[6]), sys.argv[7] == "1"
term_weight, label, seed = sys.argv[8], sys.argv[9], int(sys.argv[10])
vocab = json.load(open(f"{work}/vocab.json"))["vocabulary"]
top = []
train_seconds = None
prepare_seconds = 0.0
if engine == "framing":
    from framing.topics import TopicModel
    from framing.topics._engines import ENGINES
    # time the engine's training call alone too (documents in, Gibbs sweeps), comparable to
    # the others' training call; the whole fit adds vocabulary, checks, shares and hashing
    native_fit, timing = ENGINES["tomotopy"].fit, {}
    def timed_fit(*args, **kwargs):
        started = time.perf_counter()
        native = native_fit(*args, **kwargs)
        timing["train"] = time.perf_counter() - started
        return native
    ENGINES["tomotopy"].fit = staticmethod(timed_fit)
    table = pq.read_table(f"{work}/tokens.parquet").to_pandas()
    model = TopicModel(n_topics=k, engine="tomotopy", n_iterations=passes,
                       burn_in=min(100, passes // 5) if learn_alpha else 0,
                       optimize_alpha=learn_alpha, alpha=0.1, eta=0.01,
                       term_weight=term_weight, min_df=min_df, max_df_share=max_df, n_jobs=2,
                       random_state=seed)
    started = time.perf_counter()
    model.fit(table)
    seconds = time.perf_counter() - started
    train_seconds = timing["train"]
    if list(model.vocabulary_) != vocab:
        raise SystemExit("framing pruned another vocabulary")
    for row in model.topic_word_:
        top.append([vocab[i] for i in np.argsort(-row, kind="stable")[:10]])
    model.save(f"{work}/model-{label}", force=True)
else:
    # The whole job, as framing's whole fit: read the token table, build the input format.
    prepared = time.perf_counter()
    docs = [list(t) for t in pq.read_table(f"{work}/pruned.parquet")["tokens"].to_pylist()]
    docs = [d for d in docs if d]
    from gensim.corpora import Dictionary
    dictionary = Dictionary([vocab])
    bow = [dictionary.doc2bow(d) for d in docs]
    prepare_seconds = time.perf_counter() - prepared
    if engine == "gensim":
        from gensim.models import LdaMulticore
        started = time.perf_counter()
        model = LdaMulticore(bow, id2word=dictionary, num_topics=k, passes=passes, workers=1,
                             alpha=0.1, eta=0.01, random_state=seed, eval_every=None)
        seconds = time.perf_counter() - started
        matrix = model.get_topics()
    else:
        from scipy.sparse import csr_matrix
        from sklearn.decomposition import LatentDirichletAllocation
        prepared = time.perf_counter()  # scikit-learn's input: bag of words to a CSR matrix
        indptr = np.cumsum([0] + [len(b) for b in bow])
        cols = np.array([j for b in bow for j, _ in b])
        vals = np.array([c for b in bow for _, c in b])
        x = csr_matrix((vals, cols, indptr), shape=(len(bow), len(vocab)))
        prepare_seconds += time.perf_counter() - prepared
        model = LatentDirichletAllocation(n_components=k, learning_method="online",
                                          max_iter=passes, doc_topic_prior=0.1,
                                          topic_word_prior=0.01, n_jobs=2, random_state=seed)
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(x)
        seconds = time.perf_counter() - started
        matrix = model.components_
    for row in matrix:
        top.append([vocab[i] for i in np.argsort(-row, kind="stable")[:10]])
print(json.dumps({"seconds": seconds + prepare_seconds, "train_seconds": train_seconds or seconds,
                  "top": top,
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


def _print_seed_summary(runs: list[dict], names: dict[str, str]) -> None:
    """Each configuration's mean (and range) over the seeds: time and coherence."""
    groups: dict[tuple, list[dict]] = {}
    for r in runs:
        key = (r["engine"], r["passes"], r.get("term_weight", "one"), bool(r.get("alpha")))
        groups.setdefault(key, []).append(r)
    gensim = next((g for k, g in groups.items() if k[0] == "gensim"), None)
    gensim_train = (sum(r.get("train_seconds", r["seconds"]) for r in gensim) / len(gensim)
                    if gensim else None)
    print()
    print("mean over seeds (min-max):")
    gensim_whole = (sum(r["seconds"] for r in gensim) / len(gensim) if gensim else None)
    print("| engine | passes / sweeps | term weight | alpha learned | seeds | training s | "
          "× gensim (training) | whole job s | × gensim (whole) | c_npmi | topic diversity |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (engine, passes, weight, alpha), group in groups.items():
        train = [r.get("train_seconds", r["seconds"]) for r in group]
        npmi = [r["c_npmi"] for r in group]
        mean_train = sum(train) / len(train)
        mean_whole = sum(r["seconds"] for r in group) / len(group)
        ratio = f"{gensim_train / mean_train:.1f}×" if gensim_train else ""
        whole_ratio = f"{gensim_whole / mean_whole:.1f}×" if gensim_whole else ""
        diversity = sum(_diversity(r["top"])[0] for r in group) / len(group)
        print(f"| {names[engine]} | {passes} | {weight} | {'yes' if alpha else 'no'} | "
              f"{len(group)} | {mean_train:.1f} | {ratio} | {mean_whole:.1f} | {whole_ratio} | "
              f"{sum(npmi) / len(npmi):.3f} ({min(npmi):.3f}–{max(npmi):.3f}) | "
              f"{diversity:.2f} |")


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


def _diversity(top: list[list[str]]) -> tuple[float, int]:
    """Share of distinct words among all topics' top words, and near-duplicate topic pairs.

    c_npmi scores each topic alone, so K copies of one coherent topic would score well; these
    two numbers show whether the topics are also distinct (topic diversity of Dieng et al.
    2020, on the top 10; a pair is a near duplicate when it shares 7 or more of them).
    """
    words = [word for topic in top for word in topic]
    pairs = sum(len(set(a) & set(b)) >= 7 for i, a in enumerate(top) for b in top[:i])
    return len(set(words)) / len(words), pairs


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
    parser.add_argument("--framing-runs", default="",
                        help="more framing runs, comma-separated SWEEPS[/idf|/pmi][/alpha], "
                             "e.g. 100/pmi,200/pmi/alpha")
    parser.add_argument("--rm-top", type=int, default=0,
                        help="remove the N most frequent words from every engine's vocabulary")
    parser.add_argument("--limit-docs", type=int, default=0,
                        help="only the first N documents (0: all), for exploring")
    parser.add_argument("--min-df", type=int, default=5)
    parser.add_argument("--max-df-share", type=float, default=0.5)
    parser.add_argument("--reference-docs", type=int, default=20_000,
                        help="documents of the coherence reference sample")
    parser.add_argument("--stream-rows", default="20000,100000",
                        help="rows per streaming run, comma-separated (the corpus repeats "
                             "with new doc_ids when more rows are asked than it has)")
    parser.add_argument("--stream-batch", type=int, default=20_000)
    parser.add_argument("--only", default="framing,gensim,sklearn,stream")
    parser.add_argument("--seeds", default="0",
                        help="model seeds, comma-separated: every run is repeated per seed and "
                             "the summary averages over them")
    args = parser.parse_args()
    store = args.store or Path(f"{args.corpus}-store")
    _ensure_store(args.corpus, store, args.n_articles, args.seed)
    args.workdir.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))

    if not (args.workdir / "vocab.json").exists():
        corpus = _child(_PREPARE, store, args.workdir, args.min_df, args.max_df_share,
                        args.reference_docs, args.limit_docs, args.rm_top)
        (args.workdir / "corpus.json").write_text(json.dumps(corpus))
    corpus = json.loads((args.workdir / "corpus.json").read_text())
    if (corpus.get("limit_docs", 0), corpus.get("rm_top", 0)) != (args.limit_docs, args.rm_top):
        raise SystemExit(f"{args.workdir} was prepared with other --limit-docs / --rm-top; "
                         "use another --workdir")
    print(json.dumps(corpus), flush=True)

    plan = []  # (engine, passes or sweeps, term weight, alpha learned)
    if "framing" in only:
        plan.append(("framing", args.passes, "one", False))
    if "gensim" in only:
        plan.append(("gensim", args.passes, "one", False))
    if "sklearn" in only:
        plan.append(("sklearn", args.passes, "one", False))
    if "framing" in only and args.extra_sweeps:
        plan.append(("framing", args.extra_sweeps, "one", False))
    if "framing" in only and args.alpha_sweeps:
        plan.append(("framing", args.alpha_sweeps, "one", True))
    if "framing" in only:
        for spec in filter(None, args.framing_runs.split(",")):
            sweeps, *flags = spec.split("/")
            weight = next((f for f in flags if f in ("one", "idf", "pmi")), "one")
            plan.append(("framing", int(sweeps), weight, "alpha" in flags))
    runs = []
    seeds = [int(seed) for seed in args.seeds.split(",")]
    for (engine, passes, weight, alpha), seed in itertools.product(plan, seeds):
        label = f"{engine}-{passes}" + (f"-{weight}" if weight != "one" else "") + (
            "-alpha" if alpha else "") + (f"-s{seed}" if seed else "")
        saved = args.workdir / f"run-{label}.json"
        if saved.exists():  # a finished run of this workdir (a rerun after a crash)
            runs.append(json.loads(saved.read_text()))
            continue
        before = _load()
        try:
            result = _child(_TRAIN, engine, args.workdir, args.topics, passes, args.min_df,
                            args.max_df_share, int(alpha), weight, label, seed)
        except subprocess.CalledProcessError as exc:
            print(f"{label} failed:\n{exc.stderr[-2000:]}", flush=True)
            continue
        result.update(engine=engine, passes=passes, term_weight=weight, alpha=alpha,
                      label=label, seed=seed, load=f"{before} → {_load()}")
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
        bundle = args.workdir / f"model-framing-{args.passes}"
        for limit in (int(r) for r in args.stream_rows.split(",")):
            before = _load()
            stream = _child(_STREAM, args.workdir, bundle, limit, args.stream_batch)
            stream["load"] = f"{before} → {_load()}"
            streams.append(stream)
            print(json.dumps(stream), flush=True)

    names = {"framing": "framing TopicModel (tomotopy), n_jobs=2",
             "gensim": "gensim LdaMulticore, workers=1 (+ master)",
             "sklearn": "sklearn LatentDirichletAllocation online, n_jobs=2"}
    print()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"corpus: {corpus['documents']:,} documents, {corpus['kept_tokens']:,} tokens kept, "
          f"vocabulary {corpus['vocabulary']:,} (min_df={args.min_df}, max_df_share="
          f"{args.max_df_share}, {corpus.get('rm_top', 0)} most frequent words removed); "
          f"K={args.topics}; c_npmi on {args.reference_docs:,} documents")
    gensim = next((r for r in runs if r["engine"] == "gensim"), None)
    print("| engine | passes (gensim, sklearn) / sweeps (framing) | term weight | alpha learned "
          "| seed | whole fit s | training s | × gensim (training) | c_npmi | topic diversity | "
          "near-duplicate pairs | peak RSS MB | load |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in runs:
        train = r.get("train_seconds", r["seconds"])
        ratio = f"{gensim.get('train_seconds', gensim['seconds']) / train:.1f}×" if gensim else ""
        # whole job: framing's fit; the others' input preparation plus training (runs
        # recorded before that was timed have only the training time)
        whole = (f"{r['seconds']:.1f}" if r["engine"] == "framing" or r["seconds"] != train
                 else "")
        diversity, pairs = _diversity(r["top"])
        print(f"| {names[r['engine']]} | {r['passes']} | {r.get('term_weight', 'one')} | "
              f"{'yes' if r.get('alpha') else 'no'} | {r.get('seed', 0)} | {whole} | "
              f"{train:.1f} | {ratio} | "
              f"{r['c_npmi']:.3f} | {diversity:.2f} | {pairs} | {r['peak_rss_mb']:.0f} | "
              f"{r['load']} |")
    if len(seeds) > 1:
        _print_seed_summary(runs, names)
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
