"""The public news corpora in ../shared/data import as they are (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from framing.corpus import import_corpus, read_corpus
from tests.conftest import shared_path

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def allsides(tmp_path_factory) -> tuple:
    source = shared_path("allsides_article_bias", "articles.parquet")
    out = tmp_path_factory.mktemp("allsides") / "store"
    corpus = import_corpus(source, out, progress=False, date_max="2026-01-01")
    return corpus, out


def test_allsides_accounting(allsides) -> None:
    corpus, _ = allsides
    rows = corpus.manifest["rows"]
    reasons = rows["dropped_by_reason"]
    assert rows["read"] == 31_733 == rows["kept"] + rows["dropped"]
    assert reasons["missing_date"] == 3_850  # blank raw dates, as DATASET.md says
    assert reasons["implausible_date"] == 2  # year 1 and year 2050
    assert 5 <= reasons.get("exact_duplicate", 0) + reasons.get("near_duplicate", 0) <= 40
    assert corpus.manifest["inputs"][0]["inferred_columns"] == {
        "doc_id": "article_id", "outlet": "source", "author": "authors"}


def test_allsides_documents(allsides) -> None:
    corpus, out = allsides
    docs = read_corpus(out, columns=["doc_id", "outlet", "date", "bias_label", "topic"])
    assert docs["doc_id"].is_unique
    assert docs["date"].between("2001-01-01", "2021-01-01").all()
    assert docs["bias_label"].isin(["left", "center", "right"]).all()  # metadata travels
    assert corpus.manifest["n_outlets"] >= 300
    dropped = corpus.dropped()
    copies = dropped[dropped["reason"].isin(["exact_duplicate", "near_duplicate"])]
    assert copies["duplicate_of"].isin(docs["doc_id"]).all()


def test_narrative_framing_climate(tmp_path: Path) -> None:
    source = shared_path("narrative_framing_climate", "articles.parquet")
    corpus = import_corpus(source, tmp_path / "store", progress=False)
    rows = corpus.manifest["rows"]
    assert rows["read"] == 428 == rows["kept"] + rows["dropped"]
    assert rows["dropped"] <= 10
    docs = read_corpus(tmp_path / "store")
    # Casing variants (BBC / bbc) and run-together names unify: 36 outlets in the source's
    # own normalized column, and no more here.
    assert docs["outlet"].nunique() <= docs["outlet_norm"].nunique()
    assert {"frame_conflict", "mbfc_bias", "cv_test_fold"} <= set(docs.columns)
