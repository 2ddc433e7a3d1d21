"""Few-label frame learners on the real coded set (issue 18): grouped CV and learning curves.

The data is ``tests/data/allsides_trump_roles.csv``: 680 AllSides passages about Trump coded
by two independent coders with ``trump_russia_ukraine_2016_2020`` (see tests/data/README.md).
Only its **development part** (``split == "dev"``, 500 passages) is read here, unless
``--blind-test`` is given: then each named candidate is trained on the first 300 development
passages of the main draw and scored once on a blind part: ``--blind-test 1`` the 180 test
passages (scored once on 2026-12-07, commit 550b19c's choice; since then development data,
``--development dev,test``), ``--blind-test 2`` the second blind part (299 passages from other
test articles, ``allsides_trump_roles_blind2.csv``).

    python -m benchmarks.frames_fewshot [--candidates default,embeddings,static,...]
                                        [--sizes 50,100,200,400] [--seeds 0,1,2]
                                        [--development dev|dev,test]
                                        [--out results.csv] [--blind-test 1|2]

Development scores: ``StratifiedGroupKFold`` (5 folds, grouped by article, stratified on the
role combination, seeded); at training size n, each fold's training part is cut to n passages
(seeded, the same cut for every candidate); scores are computed on the pooled out-of-fold
predictions of the fold's test parts. The table has one row per candidate x size x seed x
role: F1 at the model's own decision, AUC, average precision.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from framing.corpus import InputError
from framing.frames import FrameClassifier

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "allsides_trump_roles.csv"
CODEBOOK = "trump_russia_ukraine_2016_2020"
ROLES = ("peacemaker", "isolationist", "skeptic")
CACHE = REPO / ".pytest_cache" / "d" / "framing_embeddings"
MPNET = "all-mpnet-base-v2"  # the framing[mpnet] extra
STATIC = "minilm-static"  # the framing[static] extra: MiniLM distilled to word-piece vectors


def load_roles(split: str = "dev") -> pd.DataFrame:
    """The coded set's passages of ``split``, a comma list of parts: ``dev``, ``test`` (the
    first blind part), ``blind2`` (the second, ``allsides_trump_roles_blind2.csv``) and
    ``blind3`` (the third, ``allsides_trump_roles_blind3.csv``). Once a blind part has been
    scored it is development data: ``"dev,test"``, then ``"dev,test,blind2"``."""
    parts = split.split(",")
    tables = []
    main = [part for part in parts if part in ("dev", "test")]
    if main:
        table = pd.read_csv(DATA)
        tables.append(table[table["split"].isin(main)])
    for part in ("blind2", "blind3"):
        if part in parts:
            tables.append(pd.read_csv(DATA.with_name(f"allsides_trump_roles_{part}.csv")))
    unknown = set(parts) - {"dev", "test", "blind2", "blind3"}
    if unknown or not tables:
        raise ValueError(f"unknown parts {sorted(unknown) or parts}: use dev, test, blind2, "
                         "blind3")
    return pd.concat(tables, ignore_index=True)


def _classifier(**params) -> Callable[[], FrameClassifier]:
    def make() -> FrameClassifier:
        return FrameClassifier(codebook=CODEBOOK, embedding_cache=CACHE, **params)
    return make


CANDIDATES: dict[str, Callable[[], FrameClassifier]] = {
    "default": _classifier(features="both"),
    "tfidf": _classifier(features="tfidf"),
    "embeddings": _classifier(features="embeddings"),
    "half_f1": _classifier(features="both", threshold="half_f1"),
    "examples": _classifier(features="both", codebook_examples=True),
    "examples_half_f1": _classifier(features="both", codebook_examples=True,
                                    threshold="half_f1"),
    "mpnet": _classifier(features="both", embedding_model=MPNET),
    "mpnet_examples": _classifier(features="both", embedding_model=MPNET,
                                  codebook_examples=True),
    "mpnet_examples_c1": _classifier(features="both", embedding_model=MPNET,
                                     codebook_examples=True, C=1.0),
    "examples_c1": _classifier(features="both", codebook_examples=True, C=1.0),
    "mpnet_examples_nolexicon": _classifier(features="both", embedding_model=MPNET,
                                            codebook_examples=True, lexicon_features=False),
    "mpnet_examples_half_f1": _classifier(features="both", embedding_model=MPNET,
                                          codebook_examples=True, threshold="half_f1"),
    "mpnet_embeddings_examples_half_f1": _classifier(
        features="embeddings", embedding_model=MPNET, codebook_examples=True,
        threshold="half_f1"),
    # Static embeddings (issue 20): the default's and the examples' recipes on minilm-static.
    "static": _classifier(features="both", embedding_model=STATIC),
    "static_examples": _classifier(features="both", embedding_model=STATIC,
                                   codebook_examples=True),
    "static_embeddings": _classifier(features="embeddings", embedding_model=STATIC),
}


def cross_validate(make: Callable[[], FrameClassifier], passages: pd.DataFrame, *,
                   size: int | None, seed: int, n_splits: int = 5) -> pd.DataFrame:
    """Out-of-fold probabilities and decisions of one candidate at one training size."""
    y = passages[list(ROLES)].to_numpy()
    strata = (y * (2 ** np.arange(len(ROLES)))).sum(axis=1)
    folds = StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed).split(
        passages, strata, passages["doc_id"])
    rng = np.random.default_rng(seed)
    parts = []
    for fold, (train, test) in enumerate(folds):
        if size is not None and size < len(train):
            train = np.sort(rng.choice(train, size, replace=False))
        model = make().fit(passages.iloc[train], passages.iloc[train][list(ROLES)])
        predicted = model.predict(passages.iloc[test][["passage_id", "doc_id", "text"]])
        predicted["fold"] = fold
        parts.append(predicted)
    return pd.concat(parts).sort_index()


def score(passages: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for role in ROLES:
        truth = passages.loc[predicted.index, role].to_numpy()
        p = predicted[f"p_{role}"].to_numpy()
        rows.append({"role": role, "n_positive": int(truth.sum()),
                     "f1": f1_score(truth, predicted[f"is_{role}"], zero_division=0),
                     "auc": roc_auc_score(truth, p),
                     "average_precision": average_precision_score(truth, p)})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", default="default")
    parser.add_argument("--sizes", default="all")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--development", default="dev",
                        help="parts to cross-validate on: dev, or dev,test once the first "
                             "blind part has been scored")
    parser.add_argument("--blind-test", nargs="?", const="1", choices=["1", "2", "3"],
                        help="score once on blind part 1 (test, 180 passages), 2 (blind2) "
                             "or 3 (blind3)")
    args = parser.parse_args(argv)
    names = args.candidates.split(",")
    unknown = [name for name in names if name not in CANDIDATES]
    if unknown:
        parser.error(f"unknown candidates {unknown}; known: {', '.join(CANDIDATES)}")
    warnings.simplefilter("ignore")
    rows = []
    if args.blind_test:
        train = load_roles("dev")
        train = train[train["phase"] == "main"].head(300)
        test = load_roles({"1": "test", "2": "blind2", "3": "blind3"}[args.blind_test])
        for name in names:
            start = time.perf_counter()
            model = CANDIDATES[name]().fit(train, train[list(ROLES)])
            scores = score(test, model.predict(test[["passage_id", "doc_id", "text"]]))
            scores.insert(0, "candidate", name)
            scores["seconds"] = time.perf_counter() - start
            rows.append(scores)
            print(scores.to_string(index=False), flush=True)
    else:
        passages = load_roles(args.development)
        sizes = [None if s == "all" else int(s) for s in args.sizes.split(",")]
        for name in names:
            for size in sizes:
                for seed in map(int, args.seeds.split(",")):
                    start = time.perf_counter()
                    try:
                        predicted = cross_validate(CANDIDATES[name], passages, size=size,
                                                   seed=seed)
                    except InputError as exc:  # too few positives to fit at this size
                        print(f"{name} size {size} seed {seed}: cannot fit: {exc}", flush=True)
                        scores = pd.DataFrame({"role": ROLES, "note": "cannot fit"})
                    else:
                        scores = score(passages, predicted)
                    scores.insert(0, "candidate", name)
                    scores.insert(1, "size", size or round(len(passages) * 0.8))
                    scores.insert(2, "seed", seed)
                    scores["seconds"] = time.perf_counter() - start
                    rows.append(scores)
                    print(scores.round(3).to_string(index=False, header=not rows[:-1]),
                          flush=True)
    table = pd.concat(rows, ignore_index=True)
    if args.out:
        table.to_csv(args.out, index=False)
    summary = table.groupby([c for c in ("candidate", "size") if c in table.columns]
                            + ["role"], sort=False)[["f1", "auc", "average_precision"]].mean()
    summary["n_fitted"] = table.groupby([c for c in ("candidate", "size") if c in table.columns]
                                        + ["role"], sort=False)["f1"].count()
    print(summary.round(3).unstack("role").to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
