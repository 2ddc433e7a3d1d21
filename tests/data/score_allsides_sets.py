"""Print the mention finder's sentence-level precision and recall on the four labelled sets.

Run from the repository root::

    .venv/bin/python tests/data/score_allsides_sets.py

Same scoring as ``tests/text/test_evaluation.py`` (a sentence is predicted "about Trump" when
a counted mention of Trump, confidence >= 0.5, starts inside it). Recall is split by the
labelled ``reference``; precision by how the finder resolved the sentence's strongest mention
(explicit > title > pronoun).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETS = ("allsides_trump_sentences.csv", "allsides_trump_heldout.csv", "allsides_trump_test.csv",
        "allsides_trump_test2.csv", "allsides_trump_test3.csv",
        "allsides_trump_test4.csv")


def main() -> None:
    import pandas as pd

    sys.path.insert(0, str(REPO))
    from framing.corpus import clean_text
    from tests.text.test_evaluation import _label_sentences, _scores, _trump_spans

    articles = pd.read_parquet(
        REPO.parent / "shared" / "data" / "allsides_article_bias" / "articles.parquet",
        columns=["article_id", "text", "date"],
    )
    labels = {name: pd.read_csv(Path(__file__).parent / name) for name in SETS}
    wanted = set().union(*(set(frame["doc_id"]) for frame in labels.values()))
    articles = articles[articles["article_id"].isin(wanted)]
    texts = {a: clean_text(t) for a, t in zip(articles["article_id"], articles["text"],
                                             strict=True)}
    days = {a: d.date() for a, d in zip(articles["article_id"], articles["date"], strict=True)
            if pd.notna(d)}
    for name, frame in labels.items():
        frame["predicted"] = _label_sentences(frame, texts, days)
        precision, recall = _scores(frame["about_trump"], frame["predicted"])
        found = frame[frame["about_trump"] == 1].groupby("reference")["predicted"]
        kinds = ", ".join(f"{kind} {hits}/{n}" for kind, hits, n in
                          zip(found.sum().index, found.sum(), found.count(), strict=True))
        print(f"{name}: P {precision:.3f} R {recall:.3f} ({len(frame)} rows; recall {kinds})")
        spans = {doc: _trump_spans(texts[doc], days.get(doc)) for doc in set(frame["doc_id"])}
        strongest = []
        for row in frame.itertuples():
            how = {k for s, _, k in spans[row.doc_id] if row.start <= s < row.end}
            strongest.append(next((k for k in ("explicit", "title", "pronoun") if k in how), ""))
        frame["by"] = strongest
        parts = []
        for kind in ("explicit", "title", "pronoun"):
            chosen = frame[frame["by"] == kind]
            parts.append(f"{kind} {int(chosen['about_trump'].sum())}/{len(chosen)}")
        print("    precision by resolution: " + ", ".join(parts))


if __name__ == "__main__":
    main()
