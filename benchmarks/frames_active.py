"""Which 300 passages to code: random against active selection, on the real coded set (issue 18).

Issue 18's goal caps training at 300 coded passages. A researcher chooses which 300 to code;
roles are rare (4-10% of passages), so a random 300 holds 15-30 positives a role. This
benchmark measures, by grouped cross-validation on the development passages, what choosing
them with the model does for the learner chosen before (``mpnet_examples``):

* ``random``: 300 passages drawn at random from the fold's training part (the pool);
* ``uncertainty``: 100 at random, then rounds of 50 chosen by
  :func:`framing.frames.sample_active` (closest to a frame's threshold, one per article);
* ``relevance``: 100 at random, then rounds of 50 with the highest score for a frame, taken in
  turn from each frame, the frame with the fewest coded positives first (finds positives);
* ``mixed``: each round half ``uncertainty``, half ``relevance``.

After each round the model is refitted on everything coded so far; the final model (300
passages) scores the fold's held-out part. Folds: ``StratifiedGroupKFold`` (5, grouped by
article, seeded), as in ``frames_fewshot``; scores on the pooled out-of-fold predictions.

    python -m benchmarks.frames_active [--development dev,test,blind2] [--seeds 0,1]
                                       [--strategies random,uncertainty,relevance,mixed]
                                       [--candidate mpnet_examples] [--out results.csv]

The coded passages "selected" here were coded already; selection only decides which of them
the model may see, which is what a researcher coding them in that order would get.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

from benchmarks.frames_fewshot import CANDIDATES, ROLES, load_roles, score
from framing.frames import sample_active

START, ROUND, BUDGET = 100, 50, 300
KEYS = ["passage_id", "doc_id", "text"]


def _relevance(scores: pd.DataFrame, coded: pd.DataFrame, n: int) -> list[str]:
    """``n`` passage ids: each frame's highest-scored in turn, fewest coded positives first."""
    order = sorted(ROLES, key=lambda role: (coded[role].sum(), ROLES.index(role)))
    ranked = {role: scores.sort_values(f"p_{role}", ascending=False, kind="stable")
              ["passage_id"].tolist() for role in ROLES}
    picked: list[str] = []
    taken: set[str] = set()
    while len(picked) < n:
        for role in order:
            while ranked[role] and ranked[role][0] in taken:
                ranked[role].pop(0)
            if ranked[role] and len(picked) < n:
                taken.add(ranked[role][0])
                picked.append(ranked[role].pop(0))
    return picked


def select(strategy: str, make, pool: pd.DataFrame, rng: np.random.Generator,
           seed: int):
    """The fitted model on the ``BUDGET`` passages ``strategy`` picks from ``pool``."""
    if strategy == "random":
        chosen = pool.iloc[np.sort(rng.choice(len(pool), BUDGET, replace=False))]
        return make().fit(chosen, chosen[list(ROLES)]), chosen
    chosen = pool.iloc[np.sort(rng.choice(len(pool), START, replace=False))]
    while len(chosen) < BUDGET:
        model = make().fit(chosen, chosen[list(ROLES)])
        rest = pool[~pool["passage_id"].isin(chosen["passage_id"])]
        scores = model.predict_proba(rest[KEYS]).reset_index(drop=True)
        n = min(ROUND, BUDGET - len(chosen))
        n_uncertain = {"uncertainty": n, "relevance": 0, "mixed": n // 2}[strategy]
        ids = sample_active(scores, n_uncertain, thresholds=model.thresholds_,
                            random_state=seed)["passage_id"].tolist() if n_uncertain else []
        if n > n_uncertain:
            ids += _relevance(scores[~scores["passage_id"].isin(ids)], chosen, n - n_uncertain)
        chosen = pd.concat([chosen, rest[rest["passage_id"].isin(ids)]])
    return make().fit(chosen, chosen[list(ROLES)]), chosen


def run(passages: pd.DataFrame, strategy: str, candidate: str, seed: int) -> pd.DataFrame:
    y = passages[list(ROLES)].to_numpy()
    strata = (y * (2 ** np.arange(len(ROLES)))).sum(axis=1)
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(
        passages, strata, passages["doc_id"])
    rng = np.random.default_rng(seed)
    parts, positives = [], []
    for fold, (train, test) in enumerate(folds):
        model, chosen = select(strategy, CANDIDATES[candidate], passages.iloc[train], rng, seed)
        positives.append(chosen[list(ROLES)].sum())
        predicted = model.predict(passages.iloc[test][KEYS])
        predicted.index = passages.index[test]
        predicted["fold"] = fold
        parts.append(predicted)
    scores = score(passages, pd.concat(parts).sort_index())
    scores["coded_positives"] = pd.concat(positives, axis=1).mean(axis=1).to_numpy()
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--development", default="dev,test,blind2")
    parser.add_argument("--strategies", default="random,uncertainty,relevance,mixed")
    parser.add_argument("--candidate", default="mpnet_examples", choices=sorted(CANDIDATES))
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    passages = load_roles(args.development)
    rows = []
    for strategy in args.strategies.split(","):
        for seed in map(int, args.seeds.split(",")):
            start = time.perf_counter()
            scores = run(passages, strategy, args.candidate, seed)
            scores.insert(0, "strategy", strategy)
            scores.insert(1, "seed", seed)
            scores["seconds"] = time.perf_counter() - start
            rows.append(scores)
            print(scores.round(3).to_string(index=False), flush=True)
    table = pd.concat(rows, ignore_index=True)
    if args.out:
        table.to_csv(args.out, index=False)
    print(table.groupby(["strategy", "role"], sort=False)[
        ["f1", "auc", "average_precision", "coded_positives"]].mean().round(3)
        .unstack("role").to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
