"""End to end on a synthetic corpus: time and peak memory per stage, local engine vs Dask.

    python -m benchmarks.scale [--articles 10000] [--engines local,dask] [--workers 1,2,4]
                               [--stages import,passages,tokens,topics-fit,topics-infer,apply,
                                         prevalence,topic-prevalence]
                               [--features tfidf,both+static] [--workdir /tmp/framing-bench-scale]

Makes ``--articles`` seeded synthetic articles (``framing.synthetic``, not timed) and imports
them, then runs each stage in a fresh subprocess and records its wall time and peak resident
memory (``ru_maxrss`` of the stage's process, and of the largest of its child processes: the
Dask workers of a LocalCluster; the stage process forks platform's ``uname -p`` first thing, so
that short-lived child, whose ``ru_maxrss`` Linux sets to its parent's size at the fork, is small):

* ``import``: ``framing corpus import`` (local engine, ``--import-jobs`` worker processes);
* ``passages``: :func:`framing.text.extract_passages` to a folder (batch ``--passages-batch``
  documents);
* ``tokens``: :func:`framing.text.write_tokens` of the store to a token folder (batch
  ``--tokens-batch`` documents);
* ``topics-fit``: a ``--topics``-topic LDA (tomotopy, ``--topic-iterations`` sweeps, one
  thread) fitted on a seeded sample of ``--topic-sample`` documents of the token folder (all of
  them when fewer), read with ``pyarrow.dataset.take`` (local only: fit on a sample);
* ``topics-infer``: :func:`framing.topics.infer_topics` of that model on every document
  (batch ``--infer-batch``);
* ``apply:<features>``: :func:`framing.frames.apply_frames` of a model trained (not timed) on
  the planted roles of the first 2,000 truth passages, ``tfidf`` or ``both+static``
  (TF-IDF + the static embeddings distilled from MiniLM), batch ``--apply-batch`` passages;
* ``prevalence``: :func:`framing.measure.estimate_prevalence` of the ``tfidf`` apply output on
  disk, by outlet x month, ``cc``, ``pcc``, ``pacc`` and ``posterior`` (validation: the
  model's 5-fold out-of-fold predictions on its 2,000 training passages), 200 bootstrap draws
  (local only);
* ``topic-prevalence``: :func:`framing.measure.topic_prevalence` of the inferred
  doc-topic folder on disk, by outlet x month, 200 draws (local only).

On Dask each stage that has the engine (passages, tokens, topics-infer, apply) starts a
``LocalCluster`` of ``--workers`` single-threaded workers (each size in turn; the cluster's
start-up is inside the stage's time) and the outputs are compared byte for byte with the local
engine's. For 100k and 1M articles on a quiet machine::

    python -m benchmarks.scale --articles 100000 --engines local --features tfidf
    python -m benchmarks.scale --articles 1000000 --engines local --features tfidf
    python -m benchmarks.scale --articles 1000000 --engines local,dask --workers 2
    python -m benchmarks.scale --articles 1000000 --engines dask --workers 2 --features tfidf
        # the chain on Dask alone (import, topic fit and the prevalences stay local)
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

import pandas as pd

_CHILD = r"""
import json, platform, resource, sys, time, warnings
# gensim's Phrases (the tokens stage) records platform.platform() in its lifecycle events, and
# platform forks `uname -p` once per process for it. Linux hands the parent's peak RSS at the
# fork to the child's ru_maxrss, so a `uname` forked late reports the stage's size as a child
# peak (the "374 MB child" of the first 10k record). Forked here, while the process is small,
# and cached by platform, it no longer poses as a child of the stage's size.
platform.processor()
warnings.simplefilter("ignore")
stage, engine, workdir, features, workers, apply_batch = sys.argv[1:7]
options = json.loads(sys.argv[7])
from contextlib import nullcontext
from pathlib import Path
workdir = Path(workdir)
started = time.perf_counter()
if engine == "dask":
    import distributed
    cluster = distributed.LocalCluster(n_workers=int(workers), threads_per_worker=1,
                                       processes=True, dashboard_address=":0")
    scheduler = cluster.scheduler_address
else:
    cluster, scheduler = nullcontext(), None
extra = {}
if stage == "passages":
    from framing.text import extract_passages
    with cluster:
        found = extract_passages(workdir / "store", out=workdir / f"passages-{engine}",
                                 batch_size=options["passages_batch"], engine=engine,
                                 scheduler=scheduler,
                                 progress=False, force=True)
    rows = found.manifest["passages"]
elif stage == "tokens":
    from framing.text import write_tokens
    with cluster:
        run = write_tokens(workdir / "store", workdir / f"tokens-{engine}",
                           batch_size=options["tokens_batch"], engine=engine,
                           scheduler=scheduler, progress=False, force=True)
    rows, extra = run["rows"], {"tokens": run["tokens"]}
elif stage == "topics-fit":
    import numpy as np
    import pyarrow.dataset as ds
    from framing.topics import TopicModel
    dataset = ds.dataset(workdir / f"tokens-{options['source']}" / "tokens", format="parquet")
    n_rows = dataset.count_rows()
    take = min(options["topic_sample"], n_rows)
    picked = np.sort(np.random.default_rng(0).choice(n_rows, size=take, replace=False))
    sample = dataset.take(picked, columns=["doc_id", "tokens"]).to_pandas()
    model = TopicModel(n_topics=options["topics"], n_iterations=options["topic_iterations"],
                       min_df=5, max_df_share=0.5, random_state=0, n_jobs=1).fit(sample)
    model.save(workdir / "topic-model", force=True)
    rows, extra = len(sample), {"vocabulary": len(model.vocabulary_)}
elif stage == "topics-infer":
    from framing.topics import TopicModel, infer_topics
    model = TopicModel.load(workdir / "topic-model")
    with cluster:
        run = infer_topics(model, workdir / f"tokens-{options['source']}",
                           workdir / f"doc-topics-{engine}",
                           batch_size=options["infer_batch"], engine=engine,
                           scheduler=scheduler, progress=False, force=True)
    rows = run["rows"]
elif stage == "prevalence":
    from framing.measure import estimate_prevalence
    import pandas as pd
    methods = ["cc", "pcc", "pacc", "posterior"]
    table = estimate_prevalence(workdir / f"frames-tfidf-{options['source']}.parquet",
                                by=("outlet", "period"), period="month", method=methods,
                                validation=pd.read_parquet(workdir / "validation-tfidf.parquet"),
                                n_bootstrap=200, batch_size=options["measure_batch"])
    per_method = len(methods) * table["frame"].nunique()
    rows, extra = int(table["n_passages"].sum() // per_method), {
        "groups": int(len(table) // per_method)}
elif stage == "topic-prevalence":
    from framing.measure import topic_prevalence
    table = topic_prevalence(workdir / f"doc-topics-{options['source']}" / "doc_topics",
                             by=("outlet", "period"), period="month", n_bootstrap=200,
                             batch_size=options["measure_batch"])
    rows = int(table.groupby("topic")["n_documents"].sum().iloc[0])
else:
    from framing.frames import apply_frames, load_frame_model
    model = load_frame_model(workdir / f"model-{features}")
    out = workdir / f"frames-{features}-{engine}.parquet"
    with cluster:
        run = apply_frames(model, workdir / f"passages-{options['source']}", out,
                           batch_size=int(apply_batch),
                           engine=engine, scheduler=scheduler, progress=False, force=True)
    rows = run["rows"]
seconds = time.perf_counter() - started
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": me, "child_peak_mb": children,
                  **extra}))
"""

_TRAIN = r"""
import sys, warnings
warnings.simplefilter("ignore")
import pandas as pd
from pathlib import Path
from framing.frames import FrameClassifier, cross_validate_frames, save_frame_model
workdir, features = Path(sys.argv[1]), sys.argv[2]
texts = {}
import json
with open(workdir / "corpus" / "articles.jsonl", encoding="utf-8") as handle:
    for line in handle:
        row = json.loads(line)
        texts[row["doc_id"]] = row["text"]
truth = pd.read_csv(workdir / "corpus" / "truth" / "passages.csv").head(2000)
truth["text"] = [texts[d][s:e] for d, s, e in zip(truth["doc_id"], truth["start"], truth["end"])]
truth["passage_id"] = truth["doc_id"] + ":t" + truth.index.astype(str)
name, _, variant = features.partition("+")
model = FrameClassifier(features=name, random_state=0,
                        **({"embedding_model": "minilm-static"} if variant == "static" else {}))
model.fit(truth)
save_frame_model(model, workdir / f"model-{features}", force=True)
# the labelled out-of-sample predictions the corrected methods (pacc, posterior) need
folds = cross_validate_frames(model, truth, random_state=0)
folds["predictions"].to_parquet(workdir / f"validation-{features}.parquet")
"""


STAGES = ("import", "passages", "tokens", "topics-fit", "topics-infer", "apply", "prevalence",
          "topic-prevalence")
#: Stages with an engine="dask" (the others run on the local engine only).
DASK_STAGES = {"passages", "tokens", "topics-infer", "apply"}


def _run(argv: list[str], env: dict[str, str]) -> dict:
    result = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _import(workdir: Path, env: dict[str, str], jobs: int) -> dict:
    code = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
            "subprocess.run([sys.executable, '-m', 'framing', 'corpus', 'import', "
            f"'{workdir / 'corpus' / 'articles.jsonl'}', '--aliases', "
            f"'{workdir / 'corpus' / 'outlet_aliases.csv'}', '--out', '{workdir / 'store'}', "
            f"'--jobs', '{jobs}', '--quiet', '--force'], check=True, capture_output=True); "
            "print(json.dumps({'seconds': time.perf_counter() - t, 'peak_mb': 0, "
            "'child_peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))")
    got = _run([sys.executable, "-c", code], env)
    got["rows"] = json.loads((workdir / "store" / "manifest.json").read_text())["rows"]["kept"]
    return got


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--engines", default="local,dask")
    parser.add_argument("--features", default="tfidf,both+static")
    parser.add_argument("--stages", default=",".join(STAGES),
                        help="comma list of " + ", ".join(STAGES))
    parser.add_argument("--import-jobs", type=int, default=1,
                        help="worker processes of the import (`corpus import --jobs`)")
    parser.add_argument("--passages-batch", type=int, default=500,
                        help="documents per passage batch")
    parser.add_argument("--tokens-batch", type=int, default=5_000,
                        help="documents per token batch")
    parser.add_argument("--topic-sample", type=int, default=20_000,
                        help="documents the topic model is fitted on (seeded sample)")
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--topic-iterations", type=int, default=100)
    parser.add_argument("--infer-batch", type=int, default=5_000,
                        help="documents per topic inference batch")
    parser.add_argument("--measure-batch", type=int, default=100_000,
                        help="rows read at a time by the prevalence stages")
    parser.add_argument("--apply-batch", type=int, default=5_000,
                        help="passages per apply batch (fewer than the passages: several "
                        "batches, so Dask workers share them)")
    parser.add_argument("--workers", default="2",
                        help="Dask LocalCluster sizes to measure, e.g. 1,2,4")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-bench-scale"))
    parser.add_argument("--source", choices=["local", "dask"],
                        help="whose outputs the next stages read (default: the first of "
                             "--engines); --engines dask --source dask runs the chain on Dask "
                             "alone")
    args = parser.parse_args(argv)
    workdir = args.workdir / f"n{args.articles}"
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    if not (workdir / "corpus" / "articles.jsonl").exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "framing.synthetic", str(workdir / "corpus"),
                        "--n-articles", str(args.articles), "--force"], check=True,
                       capture_output=True, env=env)
        print(f"generated {args.articles:,} articles in {time.perf_counter() - start:.0f} s",
              flush=True)
    print(f"{platform.processor() or platform.machine()}, nproc {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    stages_asked = args.stages.split(",")
    rows = []
    if "import" in stages_asked or not (workdir / "store").exists():
        rows.append({"stage": "import",
                     "engine": "local" if args.import_jobs == 1 else f"local x{args.import_jobs}",
                     **_import(workdir, env, args.import_jobs)})
        print(rows[-1], flush=True)
    features = args.features.split(",")
    for feature in features:
        if not (workdir / f"validation-{feature}.parquet").exists():
            subprocess.run([sys.executable, "-c", _TRAIN, str(workdir), feature], check=True,
                           capture_output=True, env=env)
    engines = args.engines.split(",")
    # a stage not asked for still runs when a later one needs its output and it is missing
    source = args.source or engines[0]
    if source not in engines:
        parser.error(f"--source {source} must be one of --engines {args.engines}")
    needs = {"passages": f"passages-{source}", "tokens": f"tokens-{source}",
             "topics-fit": "topic-model", "topics-infer": f"doc-topics-{source}",
             "apply": f"frames-tfidf-{source}.parquet"}
    wanted = [stage for stage in STAGES[1:] if stage in stages_asked
              or (stage in needs and not (workdir / needs[stage]).exists()
                  and any(STAGES.index(later) > STAGES.index(stage) for later in stages_asked))]
    options = json.dumps({"passages_batch": args.passages_batch,
                          "tokens_batch": args.tokens_batch, "infer_batch": args.infer_batch,
                          "topic_sample": args.topic_sample, "topics": args.topics,
                          "topic_iterations": args.topic_iterations,
                          "measure_batch": args.measure_batch, "source": source})
    for stage in wanted:
        for feature in (features if stage == "apply" else ["-"]):
            dask_ok = stage in DASK_STAGES
            for engine in (engines if dask_ok else ["local"]):
                for workers in (args.workers.split(",") if engine == "dask" else ["1"]):
                    got = _run([sys.executable, "-c", _CHILD, stage, engine, str(workdir),
                                feature, workers, str(args.apply_batch), options], env)
                    rows.append({"stage": stage if stage != "apply" else f"apply:{feature}",
                                 "engine": engine if engine == "local" else f"dask x{workers}",
                                 **got, "load": round(os.getloadavg()[0], 1)})
                    print(rows[-1], flush=True)
    same = {}
    if "dask" in engines and "local" in engines:
        for stage, name, pattern in (("passages", "passages", "*/part-*.parquet"),
                                     ("tokens", "tokens", "tokens/part-*.parquet"),
                                     ("topics-infer", "doc-topics",
                                      "doc_topics/part-*.parquet")):
            if stage in wanted:
                local, dask = workdir / f"{name}-local", workdir / f"{name}-dask"
                same[stage] = all((dask / p.relative_to(local)).read_bytes() == p.read_bytes()
                                  for p in local.glob(pattern))
        for feature in features if "apply" in wanted else []:
            same[f"apply:{feature}"] = (
                (workdir / f"frames-{feature}-local.parquet").read_bytes()
                == (workdir / f"frames-{feature}-dask.parquet").read_bytes())
    table = pd.DataFrame(rows)
    table["rows_per_s"] = (table["rows"] / table["seconds"]).round(0)
    print(table.round(1).to_string(index=False))
    print("Dask output identical to local:", same)
    return 0


if __name__ == "__main__":
    sys.exit(main())
