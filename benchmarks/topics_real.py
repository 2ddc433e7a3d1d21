"""Topic models on real news: AllSides Trump-and-Ukraine articles, and climate coverage.

Imports each dataset into a corpus store (temp folder), tokenizes it, fits a DMR topic model with
outlet and year as covariates, and prints each topic's top FREX words and share, its stability
over three seeds (Hungarian-matched cosine), and, for AllSides, the topic shares by the outlets'
AllSides bias rating with bootstrap intervals. Then the outlet effects of stm's
``estimateEffect`` (:func:`framing.measure.estimate_effects`: each topic's share regressed on
the bias rating, or on the largest outlets, plus a B-spline of the date, with the topic model's
uncertainty carried by the method of composition), with 95% intervals, for four readable
AllSides topics found by a FREX word (dossier, barr, north_korea, articles_of_impeachment) and
for the stable topics with the largest effects that are not one outlet's boilerplate.
``--search`` also scores K = 10, 15, 20, 25.

    python benchmarks/topics_real.py [--workdir /tmp/framing-bench-topics] [--search]
        [--datasets allsides,climate] [--stability-seeds 1,2] [--draws 100]

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
from framing.measure import estimate_effects, topic_prevalence
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


def single_outlet_topics(doc_topics: pd.DataFrame, k: int, limit: float = 0.5) -> list[int]:
    """Topics that one outlet writes more than ``limit`` of: its boilerplate, as a rule.

    Newsletter blurbs, photo captions and podcast credits are stable topics with the largest
    outlet effects of all, and say nothing about coverage; DATASET.md of AllSides warns of them.
    """
    names = [f"topic_{t}" for t in range(k)]
    mass = doc_topics.groupby(doc_topics["outlet"].astype(str), observed=True)[names].sum()
    return [t for t, name in enumerate(names) if mass[name].max() / mass[name].sum() > limit]


def effects(name: str, doc_topics: pd.DataFrame, model: TopicModel, stability: pd.DataFrame,
            covariate: str, draws: int, anchors: list[str], n_topics: int = 4) -> None:
    """Outlet effects (``covariate`` against its first level) of a few readable topics.

    The topics are those whose top 10 FREX words hold one of ``anchors`` (so the choice
    survives another seed's topic numbering), else the stable topics, not written mostly by
    one outlet, with the largest effects.
    """
    frex = top_words(model, n=5, by="frex")
    frex10 = top_words(model, n=10, by="frex")
    words = {t: ", ".join(frex.loc[frex["topic"] == t, "word"]) for t in range(model.n_topics_)}
    started = time.perf_counter()
    # alpha: the DMR prior's starting value; with a few hundred tokens a document, the draws
    # Dirichlet(alpha + n_tokens * shares) hardly depend on it
    table = estimate_effects(doc_topics, outlet=covariate, time="date", smooth_df=5,
                             draws=draws, alpha=model.alpha, random_state=0)
    seconds = time.perf_counter() - started
    outlet = table[table["kind"] == "outlet"].copy()
    outlet["topic"] = outlet["outcome"].str.removeprefix("topic_").astype(int)
    # the strongest effects among stable topics (a topic that changes with the seed has no
    # effect worth reading)
    stable = set(stability.index[stability["mean_similarity"] >= 0.8])
    boilerplate = single_outlet_topics(doc_topics, model.n_topics_)
    anchored = [int(frex10.loc[frex10["word"] == word, "topic"].iloc[0]) for word in anchors
                if (frex10["word"] == word).any()]
    if anchored:
        strongest = list(dict.fromkeys(anchored))
        how = f"the topics with the FREX words {', '.join(anchors)}"
    else:
        readable = outlet[outlet["topic"].isin(stable - set(boilerplate))]
        strongest = (readable.assign(size=readable["estimate"].abs()).groupby("topic")["size"]
                     .max().sort_values(ascending=False).index[:n_topics])
        how = (f"the {n_topics} stable topics (mean stability >= 0.8) with the largest effects, "
               f"leaving out topics written mostly (> 50%) by one outlet: {boilerplate}")
    reference = sorted(doc_topics[covariate].dropna().astype(str).unique())[0]
    contrast = table[table["kind"] == "contrast"].set_index("outcome")
    print(f"\n{name}: estimate_effects(topic ~ {covariate} + bs(date, df=5)), method "
          f"{table['method'].iloc[0]} with {draws} draws, {int(table['n_documents'].iloc[0]):,} "
          f"documents, reference {covariate} {reference!r}, {seconds:.1f} s; {how}; 95% "
          "intervals:")
    print("| topic | stability | top FREX words | term | effect on the share [95% CI] | "
          "time: last - first [95% CI] |")
    print("|---:|---:|---|---|---|---|")
    for topic in strongest:
        mine = outlet[outlet["topic"] == topic].sort_values("term")
        change = contrast.loc[f"topic_{topic}"]
        for _, row in mine.iterrows():
            term = row["term"]   # "<covariate>[level]"
            print(f"| {topic} | {stability.loc[topic, 'mean_similarity']:.2f} | {words[topic]} "
                  f"| {term} | {row['estimate']:+.3f} "
                  f"[{row['ci_low']:+.3f}, {row['ci_high']:+.3f}] | {change['estimate']:+.3f} "
                  f"[{change['ci_low']:+.3f}, {change['ci_high']:+.3f}] |")


def report(name: str, tokens: pd.DataFrame, k: int, search: bool, stability_seeds: list[int],
           draws: int, anchors: list[str]) -> None:
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
        TopicModel(**{**template.get_params(), "random_state": s}).fit(tokens)
        for s in stability_seeds]) if stability_seeds else pd.DataFrame(
        {"mean_similarity": 1.0, "min_similarity": 1.0}, index=range(k))
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
    stability = stability.reset_index(drop=True)
    if anchors:
        effects(name, doc_topics, model, stability, "bias", draws, anchors)
    effects(name, doc_topics, model, stability, "bias", draws, [])
    # the largest outlets (at least 200 documents) against each other, the rest left out
    counts = doc_topics["outlet"].astype(str).value_counts()
    large = counts[counts >= 200].index[:6]
    if len(large) >= 2:
        subset = doc_topics[doc_topics["outlet"].astype(str).isin(large)].copy()
        subset["outlet"] = subset["outlet"].astype(str)
        effects(f"{name}, the {len(large)} outlets with >= 200 documents", subset, model,
                stability, "outlet", draws, anchors)
    if search:
        runs = search_k(tokens, ks=[10, 15, 20, 25], seeds=[0], model=template)
        summary = summarize_k_search(runs)
        print(summary.pivot(index="k", columns="metric", values="mean").round(4).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="/tmp/framing-bench-topics", type=Path)
    parser.add_argument("--search", action="store_true", help="also score K = 10..25")
    parser.add_argument("--datasets", default="allsides,climate")
    parser.add_argument("--stability-seeds", default="1,2",
                        help="seeds fitted beside seed 0 for stability ('' for none)")
    parser.add_argument("--draws", type=int, default=100,
                        help="method-of-composition draws of estimate_effects")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    seeds = [int(s) for s in args.stability_seeds.split(",") if s]
    datasets = set(args.datasets.split(","))
    try:
        if "allsides" in datasets:
            report("AllSides Trump and Ukraine/Russia",
                   tokens_of("allsides", allsides(), args.workdir), 15, args.search, seeds,
                   args.draws, ["dossier", "barr", "north_korea", "articles_of_impeachment"])
        if "climate" in datasets:
            report("Climate coverage (narrative framing)",
                   tokens_of("climate", climate(), args.workdir), 8, args.search, seeds,
                   args.draws, [])
    finally:
        shutil.rmtree(args.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
