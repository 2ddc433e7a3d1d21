"""Row accounting end to end: documents -> passages -> frames -> prevalence on the sample corpus.

At every stage the rows that come in are the rows kept plus the rows dropped, each drop with a
counted reason; empty texts are counted where they are dropped (import, extraction) and warned
about where they are kept (scoring), never silently given a score. And every stage is
deterministic: a rerun, and 1 against 2 jobs, give equal tables.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import framing.frames._classifier as classifier_module
from framing.corpus import Corpus, import_corpus, read_corpus
from framing.frames import EmptyPassageWarning, FrameClassifier
from framing.measure import ThinCellWarning, estimate_prevalence
from framing.text import extract_passages
from tests.conftest import SAMPLE, sample_truth_passages

FRAMES = ["peacemaker", "isolationist", "skeptic"]
N_ARTICLES = 200


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("accounting")
    lines = (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:N_ARTICLES]
    rows = [json.loads(line) for line in lines]
    # Rows each stage must account for: empty texts, an impossible date, an exact copy.
    rows += [dict(rows[0], doc_id="empty-1", text=""),
             dict(rows[0], doc_id="empty-2", text="  \n "),
             dict(rows[1], doc_id="bad-date", date="2025-02-30"),
             dict(rows[2], doc_id="copy-of-2")]
    source = folder / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return source


def _import(source: Path, name: str, **kwargs: Any) -> Corpus:
    return import_corpus(source, out=source.parent / name, on_bad_rows="skip", progress=False,
                         **kwargs)


@pytest.fixture(scope="module")
def corpus(source: Path) -> Corpus:
    return _import(source, "store")


@pytest.fixture(scope="module")
def model() -> FrameClassifier:
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].head(240)
    return FrameClassifier(features="tfidf", random_state=0).fit(
        truth[["doc_id", "text", *FRAMES]])


def test_import_books_balance(corpus) -> None:
    books = corpus.manifest["rows"]
    assert books["read"] == N_ARTICLES + 4
    assert books["read"] == books["kept"] + books["dropped"]
    assert sum(books["dropped_by_reason"].values()) == books["dropped"]
    assert books["kept"] == len(corpus) == corpus.to_pandas().shape[0]
    assert len(corpus.dropped()) == books["dropped"]
    assert dict(Counter(corpus.dropped()["reason"])) == books["dropped_by_reason"]
    # The injected rows are dropped for their own reasons.
    assert books["dropped_by_reason"]["empty_text"] == 2
    assert books["dropped_by_reason"]["bad_row"] == 1
    assert books["dropped_by_reason"]["exact_duplicate"] >= 1
    kept_ids = set(corpus.to_pandas()["doc_id"])
    assert not kept_ids & {"empty-1", "empty-2", "bad-date"}


def test_passage_books_balance(corpus) -> None:
    found = extract_passages(corpus, progress=False)
    documents = found.manifest["documents"]
    statuses = Counter(found.documents["status"])
    assert documents["read"] == len(corpus) == len(found.documents)
    assert documents["read"] == sum(documents[s] for s in statuses) == sum(statuses.values())
    assert set(found.documents["doc_id"]) == set(corpus.to_pandas()["doc_id"])
    # Passages: as many as the documents say they gave, each from a document with passages.
    assert found.manifest["passages"] == len(found.passages) > 0
    assert found.documents["n_passages"].sum() == len(found.passages)
    with_passages = set(found.documents.loc[found.documents["status"] == "passages", "doc_id"])
    assert set(found.passages["doc_id"]) == with_passages
    assert found.passages["passage_id"].is_unique
    assert (found.passages["text"].str.strip() != "").all()


def test_empty_documents_are_counted_by_extraction() -> None:
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X"] * 3,
                         "date": ["2025-08-16"] * 3,
                         "text": ["Trump met Putin in Alaska to talk about a ceasefire.",
                                  "", "  "]})
    found = extract_passages(docs, window=0, progress=False, issue=None)
    assert found.manifest["documents"]["read"] == 3
    assert found.manifest["documents"]["empty_text"] == 2
    assert found.manifest["documents"]["passages"] == 1
    assert found.manifest["passages"] == len(found.passages) == 1


def test_frames_and_prevalence_books_balance(corpus, model: FrameClassifier) -> None:
    passages = extract_passages(corpus, progress=False).passages
    # Passages from a table the user wrote may be empty: kept, scored, and warned about.
    empty = passages.head(3).assign(text=["", "   ", None],
                                    passage_id=["empty:0", "empty:1", "empty:2"])
    passages = pd.concat([passages, empty], ignore_index=True)
    with pytest.warns(EmptyPassageWarning, match=r"^3 of [\d,]+ passages have no text") as seen:
        scored = model.predict(passages)
    message = str(seen[0].message)
    assert f"rows {len(passages) - 2}, {len(passages) - 1}, {len(passages)}" in message
    assert len(scored) == len(passages)
    assert scored["passage_id"].tolist() == passages["passage_id"].tolist()
    # What the warning says they get: the same probabilities.
    tail = scored.tail(3)[[f"p_{f}" for f in FRAMES]]
    assert (tail.nunique() == 1).all()
    assert f"p_peacemaker={tail.iloc[0]['p_peacemaker']:.3f}" in message

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        table = estimate_prevalence(scored, by="outlet", method=["cc", "pcc"], n_bootstrap=0)
    for (_, _), cell in table.groupby(["frame", "method"]):
        assert cell["n_passages"].sum() == len(scored)
        assert cell["n_documents"].sum() == scored["doc_id"].nunique()
    assert set(table["frame"]) == set(FRAMES)


def test_scoring_without_empty_passages_does_not_warn(corpus, model: FrameClassifier) -> None:
    passages = extract_passages(corpus, progress=False).passages
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyPassageWarning)
        model.predict(passages)


def _store_tables(corpus: Corpus) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    return read_corpus(corpus.path), corpus.dropped(), corpus.manifest["rows"]


def _assert_same_tables(first: tuple, second: tuple) -> None:
    for one, other in zip(first, second, strict=True):
        if isinstance(one, pd.DataFrame):
            pd.testing.assert_frame_equal(one, other)
        else:
            assert one == other


def test_import_is_deterministic(source: Path, corpus: Corpus) -> None:
    first = _store_tables(corpus)
    _assert_same_tables(first, _store_tables(_import(source, "rerun")))
    _assert_same_tables(first, _store_tables(_import(source, "two-jobs", n_jobs=2,
                                                     batch_size=37)))


def test_passages_are_deterministic(corpus: Corpus) -> None:
    runs = [extract_passages(corpus, progress=False, batch_size=batch, n_jobs=jobs)
            for batch, jobs in ((500, 1), (500, 1), (40, 2))]
    for run in runs[1:]:
        for name in ("passages", "mentions", "documents"):
            pd.testing.assert_frame_equal(getattr(runs[0], name), getattr(run, name))
        assert run.manifest == runs[0].manifest


def test_frame_scores_are_deterministic(corpus: Corpus, model: FrameClassifier,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    passages = extract_passages(corpus, progress=False).passages
    first = model.predict(passages)
    pd.testing.assert_frame_equal(first, model.predict(passages))
    # A refit from the same seed scores the same.
    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].head(240)
    refit = FrameClassifier(features="tfidf", random_state=0).fit(
        truth[["doc_id", "text", *FRAMES]])
    pd.testing.assert_frame_equal(first, refit.predict(passages))
    # Two workers (each passage scored alone, the table cut in two) score the same.
    monkeypatch.setattr(classifier_module, "_MIN_PER_WORKER", 10)
    model.set_params(n_jobs=2)
    try:
        assert model._n_workers(len(passages)) == 2
        pd.testing.assert_frame_equal(first, model.predict(passages))
    finally:
        model.set_params(n_jobs=None)


def test_prevalence_is_deterministic(corpus: Corpus, model: FrameClassifier) -> None:
    scored = model.predict(extract_passages(corpus, progress=False).passages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        tables = [estimate_prevalence(scored, by="outlet", method=["cc", "pcc"],
                                      n_bootstrap=50, random_state=3) for _ in range(2)]
        shuffled = estimate_prevalence(scored.sample(frac=1, random_state=1), by="outlet",
                                       method=["cc", "pcc"], n_bootstrap=0)
        ordered = estimate_prevalence(scored, by="outlet", method=["cc", "pcc"], n_bootstrap=0)
    pd.testing.assert_frame_equal(tables[0], tables[1])
    assert tables[0]["ci_low"].notna().any()
    pd.testing.assert_frame_equal(shuffled, ordered, check_exact=False, rtol=1e-12)
