"""The bundled sample corpus imports to exactly its planted truth: outlets, dates, copies."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import import_corpus, read_corpus
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple:
    out = tmp_path_factory.mktemp("sample") / "store"
    corpus = import_corpus(SAMPLE / "articles.jsonl", out, progress=False,
                           outlet_aliases=SAMPLE / "outlet_aliases.csv")
    truth = pd.read_csv(SAMPLE / "truth" / "documents.csv", dtype={"duplicate_of": str})
    return corpus, read_corpus(out), truth


def test_every_copy_and_only_copies_are_dropped(imported) -> None:
    corpus, docs, truth = imported
    copies = truth[(truth["is_wire_copy"] == 1) | (truth["is_exact_copy"] == 1)]
    dropped = corpus.dropped().set_index("doc_id")
    assert set(dropped.index) == set(copies["doc_id"])
    assert corpus.manifest["rows"] == {
        "read": 2000, "kept": 2000 - len(copies), "dropped": len(copies),
        "dropped_by_reason": {"exact_duplicate": int(copies["is_exact_copy"].sum()),
                              "near_duplicate": int(copies["is_wire_copy"].sum())},
    }
    expected = copies.set_index("doc_id")["duplicate_of"]
    assert dropped.loc[expected.index, "duplicate_of"].tolist() == expected.tolist()


def test_outlets_and_dates_match_truth(imported) -> None:
    _, docs, truth = imported
    merged = docs.merge(truth, on="doc_id", suffixes=("", "_truth"), validate="one_to_one")
    assert len(merged) == len(docs)
    assert (merged["outlet"].astype(str) == merged["outlet_truth"]).all()
    assert (merged["date"].dt.strftime("%Y-%m-%d") == merged["date_truth"]).all()
    assert docs["outlet"].nunique() == 6


def test_mojibake_is_repaired(imported) -> None:
    _, docs, truth = imported
    damaged = truth.loc[truth["quirk"].fillna("").str.contains("mojibake"), "doc_id"]
    texts = docs.set_index("doc_id").loc[list(damaged), ["title", "text"]]
    joined = " ".join(texts["title"].fillna("") + " " + texts["text"])
    assert "Ã" not in joined and "â€" not in joined


def test_metadata_travels(imported) -> None:
    _, docs, _ = imported
    assert {"section", "author", "url", "published_at"} <= set(docs.columns)
    assert docs["section"].notna().all()


def test_store_order_is_by_month_then_input(imported) -> None:
    _, docs, _ = imported
    assert docs["date"].dt.strftime("%Y-%m").is_monotonic_increasing
    for _, group in docs.groupby(docs["date"].dt.month):
        assert group["source_row"].is_monotonic_increasing


def test_sample_readme_documents_the_truth_tables() -> None:
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for name in ("documents.csv", "sentences.csv", "mentions.csv", "passages.csv",
                 "prevalence.csv", "python -m framing.synthetic"):
        assert name in readme
    assert Path(SAMPLE / "outlet_aliases.csv").exists()
