"""Benchmark: how many Gibbs sweeps real news needs (issue 22's default, beside poliblog5k).

AllSides' articles that mention Trump and Ukraine/Russia (as in ``topics_boilerplate.py``:
4,549 with a date, ``Tokenizer()`` defaults), a K=15 DMR on outlet and year, fitted at each
number of sweeps on two seeds. Per fit: wall and CPU seconds, mean stm semantic coherence and
stm exclusivity of the topics (:func:`framing.topics.semantic_coherence`,
:func:`framing.topics.stm_exclusivity`, 10 words), and per setting the seed stability (the
Hungarian-matched cosine of the two seeds' topics, mean over topics); ``--npmi`` adds
gensim's c_npmi of the top 10 words on the training tokens.

    python benchmarks/topics_sweeps_real.py --sweeps 50,200 --eta 0.1
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from framing.text import Tokenizer  # noqa: E402
from framing.topics import (  # noqa: E402
    TopicModel,
    coherence_scores,
    semantic_coherence,
    stm_exclusivity,
    topic_similarity,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from topics_boilerplate import articles  # noqa: E402
from topics_stm import cpu_seconds  # noqa: E402


def doc_term(tokens: pd.DataFrame, vocabulary: np.ndarray) -> sparse.csr_matrix:
    """Documents x the model's words (counts), for stm's semantic coherence."""
    position = {word: j for j, word in enumerate(vocabulary.tolist())}
    rows, cols = [], []
    for i, words in enumerate(tokens["tokens"]):
        found = [position[w] for w in words if w in position]
        rows.extend([i] * len(found))
        cols.extend(found)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                             shape=(len(tokens), len(vocabulary)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweeps", default="50,200")
    parser.add_argument("--eta", type=float, default=0.1)
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--npmi", action="store_true", help="also gensim's c_npmi (slow)")
    args = parser.parse_args()
    tokens = Tokenizer().fit_transform(articles())
    print(f"{len(tokens):,} documents", flush=True)
    rows = []
    for sweeps in [int(s) for s in args.sweeps.split(",")]:
        fitted = []
        for seed in [int(s) for s in args.seeds.split(",")]:
            started, cpu = time.perf_counter(), cpu_seconds()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # tomotopy: workers > 1
                model = TopicModel(n_topics=15, kind="dmr", covariates=("outlet", "period"),
                                   period="year", eta=args.eta, n_iterations=sweeps,
                                   burn_in=min(100, sweeps // 2), random_state=seed,
                                   n_jobs=2).fit(tokens)
            row = {"sweeps": sweeps, "seed": seed, "fit_s": time.perf_counter() - started,
                   "cpu_s": cpu_seconds() - cpu}
            row["semantic_coherence"] = float(np.mean(
                semantic_coherence(model.topic_word_, doc_term(tokens, model.vocabulary_))))
            row["exclusivity"] = float(np.mean(stm_exclusivity(model.topic_word_)))
            if args.npmi:
                row["c_npmi"] = float(np.mean(coherence_scores(
                    model, tokens["tokens"].tolist(), measures=("c_npmi",))["c_npmi"]))
            row["log_likelihood"] = model.log_likelihood_
            fitted.append(model)
            rows.append(row)
            print(pd.DataFrame([row]).round(3).to_string(index=False), flush=True)
        if len(fitted) < 2:
            continue
        similarity = topic_similarity(fitted[0].topic_word_, fitted[1].topic_word_)
        r, c = linear_sum_assignment(-similarity)
        print(f"sweeps {sweeps}: seed stability {similarity[r, c].mean():.3f}", flush=True)
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
