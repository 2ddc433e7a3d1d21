"""Benchmark: boilerplate topics on real news, flagged and dropped (issue 22).

AllSides' articles that mention Trump and Ukraine/Russia (../shared/data/allsides_article_bias,
4,549 with a date), tokenized as they are and after
:func:`framing.text.drop_repeated_sentences` (sentences of 4+ words found in 5+ documents),
then a K=15 DMR on outlet and year (eta 0.1, 300 sweeps, seed 0) each time. Prints the
accounting of the cut, each topic's best FREX words, its largest outlet share and the
``boilerplate_`` flag with its reason.

    python benchmarks/topics_boilerplate.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from framing.text import Tokenizer, drop_repeated_sentences  # noqa: E402
from framing.topics import TopicModel, flag_boilerplate, top_words  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides_article_bias"


def articles() -> pd.DataFrame:
    table = pd.read_parquet(DATA / "articles.parquet")
    table = table[table["mentions_trump"] & table["mentions_ukraine_russia"]
                  & table["date"].notna()]
    return pd.DataFrame({
        "doc_id": "as-" + table["article_id"].astype(str), "outlet": table["source"],
        "date": table["date"].dt.strftime("%Y-%m-%d"),
        "text": table["title"].fillna("") + "\n\n" + table["text"].fillna("")})


def fit_and_flag(texts: pd.DataFrame, name: str) -> None:
    tokens = Tokenizer().fit_transform(texts)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # tomotopy: workers > 1
        model = TopicModel(n_topics=15, kind="dmr", covariates=("outlet", "period"),
                           period="year", eta=0.1, n_iterations=300, random_state=0,
                           n_jobs=2).fit(tokens)
    flags = flag_boilerplate(model.topic_word_, model.vocabulary_, model.word_counts_,
                             doc_topic=model.doc_topic_, doc_lengths=model.doc_lengths_,
                             sources=tokens["outlet"].tolist())
    frex = top_words(model, n=6, by="frex").groupby("topic")["word"].agg(", ".join)
    flags["frex"] = flags["topic"].map(frex)
    print(f"\n{name}: {len(tokens):,} documents, {int(model.word_counts_.sum()):,} tokens, "
          f"fit {time.perf_counter() - started:.0f} s; boilerplate topics "
          f"{int(model.boilerplate_.sum())} of 15")
    print(flags[["topic", "boilerplate", "source_share", "top_source", "frex", "reason"]]
          .round(3).to_string(index=False))


def main() -> None:
    texts = articles()
    fit_and_flag(texts, "as they are")
    started = time.perf_counter()
    cut = drop_repeated_sentences(texts, min_documents=5, min_words=4)
    accounting = cut.attrs["repeated_sentences"]
    print(f"\ndrop_repeated_sentences ({time.perf_counter() - started:.0f} s): "
          + ", ".join(f"{key} {value}" for key, value in accounting.items()
                      if key != "most_repeated"))
    for entry in accounting["most_repeated"][:5]:
        print(f"  {entry['documents']:>4} documents: {entry['sentence']}")
    fit_and_flag(cut, "repeated sentences cut")


if __name__ == "__main__":
    main()
