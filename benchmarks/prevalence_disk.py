"""Peak memory of the two on-disk prevalence stages against the number of documents.

    python -m benchmarks.prevalence_disk [--documents 100000,300000] [--workdir DIR]
                                         [--max-documents N] [--bootstrap 200]

For each size, writes (not timed, seeded) two tables as folders of Parquet parts of 20,000
rows, shaped like the chain's (``benchmarks/scale.py``) outputs:

* a doc-topic table: ``doc_id``, ``outlet`` (6), ``date`` (12 months of 2025), ``n_tokens``
  and 20 ``topic_<k>`` shares (Dirichlet(0.1));
* a passage-frame table: 1 + Bernoulli(0.3) passages per document (its passages contiguous),
  ``passage_id``, ``doc_id``, ``outlet``, ``date`` and ``p_``/``is_`` of 3 frames; and a
  validation table of 2,000 labelled passages (``v``-prefixed ids, not in the target).

Then runs, each in a fresh process, :func:`framing.measure.topic_prevalence` of the doc-topic
folder and :func:`framing.measure.estimate_prevalence` (``cc``, ``pcc``, ``pacc``,
``posterior``) of the frame folder, by outlet x month (72 groups), ``--bootstrap`` draws,
batches of 100,000 rows, and prints each one's seconds and peak RSS (``ru_maxrss``), with the
RSS of the same process after importing framing (the floor). ``--max-documents`` is passed as
``max_documents_in_memory`` when given (the option does not exist before the spill to disk).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

_CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
stage, folder, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
import pandas as pd
from framing.measure import estimate_prevalence, topic_prevalence
floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
extra = ({"max_documents_in_memory": options["max_documents"]}
         if options["max_documents"] else {})
started = time.perf_counter()
if stage == "topics":
    table = topic_prevalence(folder + "/doc_topics", by=("outlet", "period"), period="month",
                             n_bootstrap=options["bootstrap"], **extra)
    rows = int(table.groupby("topic")["n_documents"].sum().iloc[0])
else:
    methods = ["cc", "pcc", "pacc", "posterior"]
    table = estimate_prevalence(folder + "/frames", by=("outlet", "period"), method=methods,
                                validation=pd.read_parquet(folder + "/validation.parquet"),
                                n_bootstrap=options["bootstrap"], **extra)
    rows = int(table["n_passages"].sum() // (len(methods) * table["frame"].nunique()))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"stage": stage, "rows": rows, "seconds": round(seconds, 1),
                  "floor_mb": round(floor), "peak_mb": round(peak)}))
"""

OUTLETS = np.array(["Nord", "Sud", "Est", "Ouest", "Centre", "Ailleurs"])
PART_ROWS = 20_000


def _write_parts(table: pd.DataFrame, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k, start in enumerate(range(0, len(table), PART_ROWS)):
        table.iloc[start:start + PART_ROWS].to_parquet(folder / f"part-{k:06d}.parquet",
                                                       index=False)


def make_inputs(n_documents: int, folder: Path) -> None:
    """The doc-topic and passage-frame folders of ``n_documents`` documents (seeded)."""
    rng = np.random.default_rng(n_documents)
    doc_ids = np.char.add("doc-", np.char.zfill(np.arange(n_documents).astype(str), 10))
    outlets = OUTLETS[rng.integers(0, len(OUTLETS), n_documents)]
    dates = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, n_documents),
                                                         "D")
    topics = pd.DataFrame({"doc_id": doc_ids, "outlet": outlets, "date": dates,
                           "n_tokens": rng.integers(20, 400, n_documents)})
    shares = rng.dirichlet(np.full(20, 0.1), size=n_documents)
    for k in range(20):
        topics[f"topic_{k}"] = shares[:, k]
    _write_parts(topics, folder / "doc_topics")
    del topics, shares
    per_doc = 1 + (rng.uniform(size=n_documents) < 0.3)
    doc = np.repeat(np.arange(n_documents), per_doc)
    within = np.arange(len(doc)) - np.repeat(np.cumsum(per_doc) - per_doc, per_doc)
    frames = pd.DataFrame({"passage_id": np.char.add(np.char.add(doc_ids[doc], ":"),
                                                     within.astype(str)),
                           "doc_id": doc_ids[doc], "outlet": outlets[doc], "date": dates[doc]})
    for name in ("peacemaker", "aggressor", "victim"):
        frames[f"p_{name}"] = rng.beta(0.5, 1.5, size=len(doc))
        frames[f"is_{name}"] = (frames[f"p_{name}"] > 0.5).astype(np.int8)
    _write_parts(frames, folder / "frames")
    labelled = frames.sample(2_000, random_state=0).reset_index(drop=True)
    labelled["passage_id"] = "v" + labelled["passage_id"]
    for name in ("peacemaker", "aggressor", "victim"):
        labelled[name] = (rng.uniform(size=len(labelled)) < labelled[f"p_{name}"]).astype(int)
    labelled.to_parquet(folder / "validation.parquet", index=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", default="100000,300000")
    parser.add_argument("--workdir", default="/tmp/framing-bench-prevalence-disk")
    parser.add_argument("--max-documents", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=200)
    args = parser.parse_args(argv)
    options = {"max_documents": args.max_documents, "bootstrap": args.bootstrap}
    for n in (int(v) for v in args.documents.split(",")):
        folder = Path(args.workdir) / str(n)
        if not (folder / "validation.parquet").exists():
            # in a child: Linux gives a forked child its parent's peak RSS as its own start,
            # so this process stays small (it never holds the tables)
            subprocess.run([sys.executable, "-c", "import sys; from benchmarks.prevalence_disk "
                            "import make_inputs; make_inputs(int(sys.argv[1]), "
                            "__import__('pathlib').Path(sys.argv[2]))", str(n), str(folder)],
                           check=True)
        for stage in ("topics", "frames"):
            done = subprocess.run([sys.executable, "-c", _CHILD, stage, str(folder),
                                   json.dumps(options)], capture_output=True, text=True,
                                  check=True)
            print(json.dumps({"documents": n, **json.loads(done.stdout.strip().splitlines()[-1])}),
                  flush=True)


if __name__ == "__main__":
    main()
