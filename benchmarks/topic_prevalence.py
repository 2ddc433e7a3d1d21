"""Benchmark: topic prevalence with covariates (outlet, smooth of time) and intervals.

The job R's stm does with ``estimateEffect(1:20 ~ outlet + s(day), model, meta,
uncertainty = "Global", nsims = 25)`` and ``plot(..., method = "continuous")``: here
:func:`framing.measure.estimate_effects` with ``draws=25`` (method of composition) for all 20
topics, then the expected prevalence per outlet on a 50-point time grid with 95% intervals.
Also timed: the same with 100 draws, with a 200-replicate document bootstrap, and the
outlet × month :func:`framing.measure.topic_prevalence` table. Only these calls are timed,
given the fitted model's doc-topic table; the fit (and the inference of the doc-topic table)
is timed and reported separately.

The corpus: the seeded sample generator at 5,000 articles, tokens with numbers kept, words in at
least ``--min-df`` documents and at most half of them (about 2,600 terms), K=20.

    python benchmarks/topic_prevalence.py [--articles 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from _sample_store import make_sample_store  # a sibling module: scripts run from here

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from framing.measure import PrevalenceRegression, topic_prevalence  # noqa: E402
from framing.text import tokenize_corpus  # noqa: E402
from framing.topics import TopicModel  # noqa: E402


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--min-df", type=int, default=6)
    parser.add_argument("--iterations", type=int, default=500, help="Gibbs sweeps of the fit")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-bench-prev"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    store = make_sample_store(args.workdir, args.articles)
    tokens = tokenize_corpus(store, keep_numbers=True)

    before = _load()
    started = time.perf_counter()
    model = TopicModel(n_topics=args.topics, n_iterations=args.iterations, min_df=args.min_df,
                       max_df_share=0.5, n_jobs=2, random_state=0).fit(tokens)
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    doc_topics = model.transform(tokens)
    transform_s = time.perf_counter() - started
    fit_load = f"{before} → {_load()}"
    alpha = [float(a) for a in model.engine_model_.alpha]  # the learned prior

    def composition(draws: int) -> object:
        fitted = PrevalenceRegression(draws=draws, alpha=alpha, smooth_df=5).fit(doc_topics)
        return fitted.effects_, fitted.predict_prevalence(n_times=50)

    def bootstrap() -> object:
        fitted = PrevalenceRegression(n_bootstrap=200, smooth_df=5).fit(doc_topics)
        return fitted.effects_, fitted.predict_prevalence(n_times=50)

    def table() -> object:
        return topic_prevalence(doc_topics, by=["outlet", "period"], method="composition",
                                alpha=alpha, n_bootstrap=500)

    jobs = [
        ("effects + 50-point prevalence curves, composition, 25 draws (stm nsims=25)",
         lambda: composition(25)),
        ("effects + 50-point prevalence curves, composition, 100 draws",
         lambda: composition(100)),
        ("effects + 50-point prevalence curves, document bootstrap, 200 replicates", bootstrap),
        ("topic_prevalence outlet × month, composition, 500 replicates", table),
    ]
    rows = []
    for name, job in jobs:
        seconds, loads = [], []
        for _ in range(args.repeats):
            before = _load()
            started = time.perf_counter()
            result = job()
            seconds.append(time.perf_counter() - started)
            loads.append(f"{before} → {_load()}")
        size = sum(len(part) for part in result) if isinstance(result, tuple) else len(result)
        rows.append((name, seconds, size, loads))
        print(name, [round(s, 2) for s in seconds], flush=True)

    print()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    n_terms = len(model.vocabulary_)
    print(f"corpus: {len(tokens):,} documents, vocabulary {n_terms:,} terms (min_df="
          f"{args.min_df}, max_df_share=0.5, numbers kept), K={args.topics}, "
          f"{doc_topics['outlet'].nunique()} outlets, "
          f"{doc_topics['date'].min():%Y-%m-%d} to {doc_topics['date'].max():%Y-%m-%d}")
    print(f"fit (tomotopy, {args.iterations} sweeps, n_jobs=2): {fit_s:.1f} s; transform "
          f"(doc-topic table): {transform_s:.1f} s; load {fit_load}")
    print("| job | median s | min s | max s | rows out | ≤ 5 s | load per run |")
    print("|---|---:|---:|---:|---:|:---:|---|")
    for name, seconds, size, loads in rows:
        median = statistics.median(seconds)
        print(f"| {name} | {median:.2f} | {min(seconds):.2f} | {max(seconds):.2f} | {size:,} | "
              f"{'yes' if median <= 5 else '**no**'} | {'; '.join(loads)} |")


if __name__ == "__main__":
    main()
