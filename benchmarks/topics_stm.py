"""Benchmark: the topic stage against R's stm on stm's own corpus, poliblog5k (issue 22).

The job stm's reference script does (``stm(..., K = 20, prevalence = ~ rating + s(day))`` then
``estimateEffect(1:20 ~ rating + s(day), uncertainty = "Global")``), done by framing from
stm's exported document-term matrix: :class:`framing.topics.TopicModel` on
:class:`framing.topics.DocumentTerms`, then :func:`framing.measure.estimate_effects` with
``formula="rating + bs(day, df=10)"`` (stm's ``s(day)`` is a 10-df B-spline), the method of
composition with 25 draws, and ``model=`` supplying lengths and alpha. Timed: the fit and the
effects (the whole job).

Held against stm 1.3.7's recorded outputs in ../shared/data/poliblog5k_stm/stm_reference:
matched topic similarity (cosine of the word distributions, Hungarian matching, mean over the
20 pairs), sign agreement of the rating effect on the topics stm calls significant (p < 0.05),
and the ratio of our 95% interval widths for the rating effect to stm's (median over topics).
R is not available here, so stm's side is its record: its wall times come from that folder
(fit 45.1 s + estimateEffect 3.2 s in the reference run; 125-147 s for fit + effects in a
later run on a loaded machine), not from this session.

    python benchmarks/topics_stm.py --kind lda --iterations 100 --seeds 0,1,2
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from framing.measure import estimate_effects  # noqa: E402
from framing.topics import DocumentTerms, TopicModel, topic_similarity  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "poliblog5k_stm"
STM_FIT_S, STM_EFFECTS_S = 45.1, 3.2  # the reference run's record (run_summary.json)


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of finished children: what load does
    not inflate, unlike the wall time on a shared machine."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def load_stm(folder: Path) -> dict:
    beta = pd.read_csv(folder / "stm_K20_beta.csv.gz").drop(columns="topic").to_numpy()
    effects = pd.read_csv(folder / "stm_K20_estimateEffect_rating.csv")
    return {"beta": beta, "effects": effects.sort_values("topic").reset_index(drop=True)}


CLOSE_MATCH = 0.8  # matched topics this similar are taken to be the same topic


def compare(model: TopicModel, effects: pd.DataFrame, stm: dict, vocabulary: list[str]) -> dict:
    position = {word: j for j, word in enumerate(model.vocabulary_.tolist())}
    ours = np.zeros((model.n_topics_, len(vocabulary)))
    keep = [j for j, word in enumerate(vocabulary) if word in position]
    ours[:, keep] = model.topic_word_[:, [position[vocabulary[j]] for j in keep]]
    similarity = topic_similarity(stm["beta"], ours)
    rows, cols = linear_sum_assignment(-similarity)
    rating = effects[effects["term"] == "rating[T.Liberal]"].set_index("outcome")
    theirs = stm["effects"]
    significant = theirs["p_value"].to_numpy() < 0.05
    agree, ratios = [], []
    for stm_topic, our_topic in zip(rows, cols, strict=True):
        row = rating.loc[f"topic_{our_topic}"]
        ref = theirs.iloc[stm_topic]
        ratios.append((row["ci_high"] - row["ci_low"]) / (ref["ci_upper_95"] - ref["ci_lower_95"]))
        if significant[stm_topic]:
            agree.append(np.sign(row["estimate"]) == np.sign(ref["estimate"]))
    ours_significant = int(((rating["ci_low"] > 0) | (rating["ci_high"] < 0)).sum())
    ratios = np.asarray(ratios)
    matched = similarity[rows, cols]
    # Per topic: widths compare like with like only where the topics are the same topic.
    close = matched >= CLOSE_MATCH
    within = (ratios >= 1 / 1.5) & (ratios <= 1.5)
    return {"n_within_1_5": int(within.sum()), "n_close": int(close.sum()),
            "n_close_within_1_5": int((within & close).sum()),
            "width_ratio_close_range": (f"{ratios[close].min():.2f}-{ratios[close].max():.2f}"
                                        if close.any() else ""),
            "similarity": float(similarity[rows, cols].mean()),
            "sign_agreement": float(np.mean(agree)), "n_stm_significant": int(significant.sum()),
            "n_our_significant": ours_significant, "width_ratio": float(np.median(ratios)),
            "width_ratio_min": float(np.min(ratios)), "width_ratio_max": float(np.max(ratios))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="lda", choices=["lda", "dmr"])
    parser.add_argument("--covariates", default="rating", help="DMR covariates")
    parser.add_argument("--numeric-covariates", default="",
                        help="numeric DMR covariates (g-DMR), e.g. day")
    parser.add_argument("--degree", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--burn-in", type=int, default=None)
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--eta", type=float, default=0.1)
    parser.add_argument("--term-weight", default="one")
    parser.add_argument("--draws", type=int, default=25)
    parser.add_argument("--posterior-samples", type=int, default=10,
                        help="Gibbs states kept for the composition draws (0: one state)")
    parser.add_argument("--optim-interval-off", action="store_true",
                        help="optimize_alpha=False (a fixed symmetric alpha)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    folder = SHARED / "stm_reference"
    terms = DocumentTerms.read(folder)
    stm = load_stm(folder)
    print(f"poliblog5k: {terms}; load {os.getloadavg()[0]:.1f}")
    print(f"settings: {vars(args)}")
    rows = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        model = TopicModel(n_topics=20, kind=args.kind,
                           covariates=tuple(args.covariates.split(",")), min_df=1,
                           numeric_covariates=tuple(filter(None,
                                                           args.numeric_covariates.split(","))),
                           degree=args.degree,
                           n_iterations=args.iterations,
                           burn_in=(args.burn_in if args.burn_in is not None
                                    else min(100, args.iterations // 2)),
                           alpha=args.alpha, eta=args.eta, term_weight=args.term_weight,
                           posterior_samples=args.posterior_samples,
                           optimize_alpha=not args.optim_interval_off,
                           random_state=seed, n_jobs=args.jobs)
        started, cpu = time.perf_counter(), cpu_seconds()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # tomotopy: workers > 1
            model.fit(terms)
        fit_s = time.perf_counter() - started
        table = pd.concat([terms.metadata, pd.DataFrame(
            model.doc_topic_, columns=[f"topic_{k}" for k in range(20)])], axis=1)
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            effects = estimate_effects(table, formula="rating + bs(day, df=10)", model=model,
                                       draws=args.draws, random_state=seed)
        effects_s = time.perf_counter() - started
        row = {"seed": seed, "fit_s": fit_s, "effects_s": effects_s,
               "cpu_s": cpu_seconds() - cpu, "load": os.getloadavg()[0],
               "job_s": fit_s + effects_s, **compare(model, effects, stm, terms.vocabulary)}
        row["speedup_vs_stm_record"] = (STM_FIT_S + STM_EFFECTS_S) / row["job_s"]
        rows.append(row)
        print(pd.DataFrame([row]).round(3).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print("\n" + table.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
