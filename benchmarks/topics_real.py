"""Topic models on real news: AllSides Trump-and-Ukraine articles, and climate coverage.

Imports each dataset into a corpus store (temp folder), tokenizes it, fits a DMR topic model with
outlet and year as covariates, and prints each topic's top FREX words and share, its stability
over three seeds (Hungarian-matched cosine), and, for AllSides, the topic shares by the outlets'
AllSides bias rating with bootstrap intervals. ``--search`` also scores K = 10, 15, 20, 25.

    python benchmarks/topics_real.py [--workdir /tmp/framing-bench-topics] [--search]

Data: ../shared/data/allsides_article_bias (articles with ``mentions_trump`` and
``mentions_ukraine_russia``, a date) and ../shared/data/narrative_framing_climate.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import pandas as pd

from framing.corpus import import_corpus
from framing.measure import topic_prevalence
from framing.text import tokenize_corpus
from framing.topics import TopicModel, search_k, summarize_k_search, top_words, topic_stability

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def allsides() -> pd.DataFrame:
    articles = pd.read_parquet(DATA / "allsides_article_bias" / "articles.parquet")
    keep = articles["mentions_trump"] & articles["mentions_ukraine_russia"] & articles[
        "date"].notna()
    articles = articles[keep]
    return pd.DataFrame({
        "doc_id": "as-" + articles["article_id"].astype(str), "outlet": articles["source"],
        "date": articles["date"].dt.strftime("%Y-%m-%d"), "title": articles["title"],
        "text": articles["title"].fillna("") + "\n\n" + articles["text"].fillna(""),
        "bias": articles["bias_label"], "topic_allsides": articles["topic"]})


def climate() -> pd.DataFrame:
    articles = pd.read_parquet(DATA / "narrative_framing_climate" / "articles.parquet")
    return pd.DataFrame({
        "doc_id": "nf-" + articles["article_id"].astype(str),
        "outlet": articles["outlet_norm"], "date": articles["date"].dt.strftime("%Y-%m-%d"),
        "text": articles["text"], "bias": articles["mbfc_bias"]})


def tokens_of(name: str, frame: pd.DataFrame, workdir: Path) -> pd.DataFrame:
    source = workdir / f"{name}.parquet"
    frame.to_parquet(source, index=False)
    store = import_corpus([source], workdir / f"{name}-store", progress=False, force=True)
    rows = store.manifest["rows"]
    print(f"{name}: read {rows['read']:,}, kept {rows['kept']:,}, dropped "
          f"{rows['dropped_by_reason']}")
    return tokenize_corpus(store)


def report(name: str, tokens: pd.DataFrame, k: int, search: bool) -> None:
    template = TopicModel(n_topics=k, kind="dmr", covariates=("outlet", "period"),
                          period="year", eta=0.1, n_iterations=500, burn_in=50, min_df=5,
                          max_df_share=0.5, random_state=0)
    started = time.perf_counter()
    model = TopicModel(**template.get_params()).fit(tokens)
    seconds = time.perf_counter() - started
    print(f"\n## {name}: DMR on outlet + year, K={k}, {len(tokens):,} documents, "
          f"{len(model.vocabulary_):,} words, {int(model.word_counts_.sum()):,} tokens, "
          f"fit {seconds:.1f} s")
    stability = topic_stability([model] + [
        TopicModel(**{**template.get_params(), "random_state": s}).fit(tokens) for s in (1, 2)])
    frex = top_words(model, n=8, by="frex")
    shares = model.doc_topic_.mean(axis=0)
    print("| topic | share | stability (mean / min cosine) | top FREX words |")
    print("|---:|---:|---|---|")
    for topic in range(k):
        row = stability.iloc[topic]
        words = ", ".join(frex.loc[frex["topic"] == topic, "word"])
        print(f"| {topic} | {shares[topic]:.3f} | {row['mean_similarity']:.2f} / "
              f"{row['min_similarity']:.2f} | {words} |")
    print(f"mean stability over topics: {stability['mean_similarity'].mean():.3f}")
    doc_topics = model.transform(tokens)
    prevalence = topic_prevalence(doc_topics, by=["bias"], n_bootstrap=200)
    wide = prevalence.pivot(index="topic", columns="bias", values="estimate")
    wide = wide.loc[[f"topic_{t}" for t in range(k)]]
    spread = (wide.max(axis=1) - wide.min(axis=1)).sort_values(ascending=False)
    print("\ntopic share by outlet bias rating (largest differences first):")
    print(wide.loc[spread.index[:6]].round(3).to_string())
    if search:
        runs = search_k(tokens, ks=[10, 15, 20, 25], seeds=[0], model=template)
        summary = summarize_k_search(runs)
        print(summary.pivot(index="k", columns="metric", values="mean").round(4).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="/tmp/framing-bench-topics", type=Path)
    parser.add_argument("--search", action="store_true", help="also score K = 10..25")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    try:
        report("AllSides Trump and Ukraine/Russia",
               tokens_of("allsides", allsides(), args.workdir), 15, args.search)
        report("Climate coverage (narrative framing)",
               tokens_of("climate", climate(), args.workdir), 8, args.search)
    finally:
        shutil.rmtree(args.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
