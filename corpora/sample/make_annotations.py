"""Write ``annotations.csv``: a simulated coder's labels for a random sample of passages.

The sample corpus ships with annotations so the report can train and evaluate a frame
classifier the way a researcher would after coding a random sample. The "coder" is simulated:
a passage carries a role when a planted Trump paragraph with that role (``truth/passages.csv``)
overlaps it. The sample is a simple random sample of the passages ``framing passages extract``
finds with its defaults, so it also serves as a validation sample for prevalence estimates.

Run from the repository root (it imports the sample into a temp folder first)::

    .venv/bin/python corpora/sample/make_annotations.py --force

Same code and seed, same file.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from framing.corpus import atomic_write, import_corpus
from framing.text import extract_passages

HERE = Path(__file__).resolve().parent
ROLES = ("peacemaker", "isolationist", "skeptic")


def simulated_labels(passages: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Per passage, 1 for each role of a planted paragraph overlapping it."""
    labels = pd.DataFrame(0, index=passages.index, columns=list(ROLES))
    by_doc = {doc: rows for doc, rows in truth.groupby("doc_id")}
    for index, row in passages.iterrows():
        planted = by_doc.get(row["doc_id"])
        if planted is None:
            continue
        overlap = planted[(planted["start"] < row["end"]) & (planted["end"] > row["start"])]
        for role in ROLES:
            labels.loc[index, role] = int(overlap[role].max()) if len(overlap) else 0
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="passages to annotate")
    parser.add_argument("--seed", type=int, default=20250815)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = import_corpus(HERE / "articles.jsonl", Path(tmp) / "corpus",
                               outlet_aliases=HERE / "outlet_aliases.csv", progress=False)
        passages = extract_passages(corpus, progress=False).passages
    rng = np.random.default_rng(args.seed)
    chosen = np.sort(rng.choice(len(passages), size=args.n, replace=False))
    sample = passages.iloc[chosen].reset_index(drop=True)
    truth = pd.read_csv(HERE / "truth" / "passages.csv")
    labels = simulated_labels(sample, truth)
    table = pd.concat([sample[["passage_id", "doc_id", "outlet"]],
                       sample["date"].dt.strftime("%Y-%m-%d").rename("date"),
                       sample[["text"]], labels], axis=1)
    table["coder"] = "simulated_from_truth"
    table["sample"] = "random"
    with atomic_write(HERE / "annotations.csv", force=args.force) as handle:
        table.to_csv(handle, index=False, lineterminator="\n")
    print(f"{len(table)} passages of {len(passages)} annotated; role counts: "
          + ", ".join(f"{r} {int(table[r].sum())}" for r in ROLES))


if __name__ == "__main__":
    main()
