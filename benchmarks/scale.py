"""End to end on a synthetic corpus: time and peak memory per stage, local engine vs Dask.

    python -m benchmarks.scale [--articles 10000] [--engines local,dask] [--workers 1,2,4]
                               [--features tfidf,both+static] [--workdir /tmp/framing-bench-scale]

Makes ``--articles`` seeded synthetic articles (``framing.synthetic``, not timed) and imports
them, then runs each stage in a fresh subprocess and records its wall time and peak resident
memory (``ru_maxrss`` of the stage's process, and of the largest of its child processes: the
Dask workers of a LocalCluster):

* ``import``: ``framing corpus import`` (local engine only: Dask import is not built yet);
* ``passages``: :func:`framing.text.extract_passages` to a folder (batch 500 documents);
* ``apply:<features>``: :func:`framing.frames.apply_frames` of a model trained (not timed) on
  the planted roles of the first 2,000 truth passages, ``tfidf`` or ``both+static``
  (TF-IDF + the static embeddings distilled from MiniLM), batch ``--apply-batch`` passages.

On Dask each stage starts a ``LocalCluster`` of ``--workers`` single-threaded workers (each
size in turn; the cluster's start-up is inside the stage's time) and the outputs are
compared byte for byte with the local engine's. For 100k and 1M articles on a quiet machine::

    python -m benchmarks.scale --articles 100000
    python -m benchmarks.scale --articles 1000000 --engines local,dask
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
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
stage, engine, workdir, features, workers, apply_batch = sys.argv[1:7]
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
if stage == "passages":
    from framing.text import extract_passages
    with cluster:
        found = extract_passages(workdir / "store", out=workdir / f"passages-{engine}",
                                 batch_size=500, engine=engine, scheduler=scheduler,
                                 progress=False, force=True)
    rows = found.manifest["passages"]
else:
    from framing.frames import apply_frames, load_frame_model
    model = load_frame_model(workdir / f"model-{features}")
    out = workdir / f"frames-{features}-{engine}.parquet"
    with cluster:
        run = apply_frames(model, workdir / "passages-local", out, batch_size=int(apply_batch),
                           engine=engine, scheduler=scheduler, progress=False, force=True)
    rows = run["rows"]
seconds = time.perf_counter() - started
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": me, "child_peak_mb": children}))
"""

_TRAIN = r"""
import sys, warnings
warnings.simplefilter("ignore")
import pandas as pd
from pathlib import Path
from framing.frames import FrameClassifier, save_frame_model
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
"""


def _run(argv: list[str], env: dict[str, str]) -> dict:
    result = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _import(workdir: Path, env: dict[str, str]) -> dict:
    code = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
            "subprocess.run([sys.executable, '-m', 'framing', 'corpus', 'import', "
            f"'{workdir / 'corpus' / 'articles.jsonl'}', '--aliases', "
            f"'{workdir / 'corpus' / 'outlet_aliases.csv'}', '--out', '{workdir / 'store'}', "
            "'--quiet', '--force'], check=True, capture_output=True); "
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
    parser.add_argument("--stages", default="import,passages,apply")
    parser.add_argument("--apply-batch", type=int, default=20_000,
                        help="passages per apply batch (fewer than the passages: several "
                        "batches, so Dask workers share them)")
    parser.add_argument("--workers", default="2",
                        help="Dask LocalCluster sizes to measure, e.g. 1,2,4")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-bench-scale"))
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
        rows.append({"stage": "import", "engine": "local", **_import(workdir, env)})
        print(rows[-1], flush=True)
    features = args.features.split(",")
    for feature in features:
        if not (workdir / f"model-{feature}").exists():
            subprocess.run([sys.executable, "-c", _TRAIN, str(workdir), feature], check=True,
                           capture_output=True, env=env)
    engines = args.engines.split(",")
    stages = ([("passages", "-")] if "passages" in stages_asked
              or not (workdir / "passages-local").exists() else [])
    stages += [("apply", f) for f in features if "apply" in stages_asked]
    runs = [(e, w) for e in engines for w in (args.workers.split(",") if e == "dask" else "1")]
    for stage, feature in stages:
        for engine, workers in runs:
            got = _run([sys.executable, "-c", _CHILD, stage, engine, str(workdir), feature,
                        workers, str(args.apply_batch)], env)
            rows.append({"stage": stage if stage == "passages" else f"apply:{feature}",
                         "engine": engine if engine == "local" else f"dask x{workers}",
                         **got, "load": round(os.getloadavg()[0], 1)})
            print(rows[-1], flush=True)
    same = {}
    if "dask" in engines and "local" in engines:
        local, dask = workdir / "passages-local", workdir / "passages-dask"
        if any(row["stage"] == "passages" for row in rows):
            same["passages"] = all((dask / p.relative_to(local)).read_bytes() == p.read_bytes()
                                   for p in local.glob("*/part-*.parquet"))
        for feature in features if "apply" in stages_asked else []:
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
