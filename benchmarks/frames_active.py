"""Which 300 passages to code: random against active selection, on the real coded set (issue 18).

Issue 18's goal caps training at 300 coded passages. A researcher chooses which 300 to code;
roles are rare (4-10% of passages), so a random 300 holds 15-30 positives a role. This
benchmark measures, by grouped cross-validation on the development passages, what choosing
them with the model does for the learner chosen before (``mpnet_examples``):

* ``random``: 300 passages drawn at random from the fold's training part (the pool);
* ``uncertainty``, ``relevance``, ``mixed``: 100 at random, then rounds of 50 chosen by
  :func:`framing.frames.sample_active` with that strategy (uncertainty: closest to a frame's
  threshold; relevance: the highest scores of each frame in turn, the frame with the fewest
  coded positives first; mixed: half each), at most one passage per article a round.

After each round the model is refitted on everything coded so far; while some role has too
few coded positives to fit (fewer than 3), the round is chosen on the codebook's cold-start
scores instead, as ``framing frames sample`` does without a model. The final model (300
passages) scores the fold's held-out part. Folds: ``StratifiedGroupKFold`` (5, grouped by
article, seeded), as in ``frames_fewshot``; scores on the pooled out-of-fold predictions.

    python -m benchmarks.frames_active [--development dev,test,blind2] [--seeds 0,1]
                                       [--strategies random,uncertainty,relevance,mixed]
                                       [--candidate mpnet_examples] [--out results.csv]
                                       [--blind-test 3]

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

from benchmarks.frames_fewshot import CACHE, CANDIDATES, CODEBOOK, ROLES, load_roles, score
from framing.corpus import InputError
from framing.frames import ColdStartScorer, sample_active

START, ROUND, BUDGET = 100, 50, 300
KEYS = ["passage_id", "doc_id", "text"]


def _scores(make, chosen: pd.DataFrame, rest: pd.DataFrame):
    """Scores of the passages not yet coded, and (prefix, thresholds) to read them with: the
    model's on everything coded so far, or the codebook's cold-start similarities while a role
    has too few coded positives to fit one (what ``framing frames sample`` does then)."""
    try:
        model = make().fit(chosen, chosen[list(ROLES)])
    except InputError:
        scorer = ColdStartScorer(codebook=CODEBOOK, embedding_cache=CACHE).fit(rest)
        return scorer.transform(rest[KEYS]).reset_index(drop=True), "provisional_", None
    return model.predict_proba(rest[KEYS]).reset_index(drop=True), "p_", model.thresholds_


def select(strategy: str, make, pool: pd.DataFrame, rng: np.random.Generator,
           seed: int):
    """The fitted model on the ``BUDGET`` passages ``strategy`` picks from ``pool``."""
    if strategy == "random":
        chosen = pool.iloc[np.sort(rng.choice(len(pool), BUDGET, replace=False))]
        return make().fit(chosen, chosen[list(ROLES)]), chosen
    chosen = pool.iloc[np.sort(rng.choice(len(pool), START, replace=False))]
    while len(chosen) < BUDGET:
        rest = pool[~pool["passage_id"].isin(chosen["passage_id"])]
        scores, prefix, thresholds = _scores(make, chosen, rest)
        drawn = sample_active(scores, min(ROUND, BUDGET - len(chosen)), strategy=strategy,
                              positives=chosen[list(ROLES)].sum().to_dict(), prefix=prefix,
                              frames=ROLES, thresholds=thresholds, random_state=seed)
        chosen = pd.concat([chosen, rest[rest["passage_id"].isin(drawn["passage_id"])]])
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
    parser.add_argument("--blind-test", choices=["3"],
                        help="score once on blind part 3: each strategy picks 300 of all the "
                             "development passages (seed: the first of --seeds)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    passages = load_roles(args.development)
    rows = []
    if args.blind_test:
        test = load_roles("blind3")
        seed = int(args.seeds.split(",")[0])
        for strategy in args.strategies.split(","):
            model, chosen = select(strategy, CANDIDATES[args.candidate], passages,
                                   np.random.default_rng(seed), seed)
            scores = score(test, model.predict(test[KEYS]))
            scores.insert(0, "strategy", strategy)
            scores["coded_positives"] = chosen[list(ROLES)].sum().to_numpy()
            rows.append(scores)
            print(scores.round(3).to_string(index=False), flush=True)
        table = pd.concat(rows, ignore_index=True)
        if args.out:
            table.to_csv(args.out, index=False)
        return 0
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
