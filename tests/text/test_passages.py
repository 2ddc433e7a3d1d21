"""Passages: windows, ids, metadata, accounting, batching, parallel workers, save and load."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import InputError, StoreExistsError, import_corpus
from framing.text import extract_passages, load_passages

DOCS = pd.DataFrame({
    "doc_id": ["a", "b", "c", "d", "e"],
    "outlet": ["X", "Y", "X", "Y", "X"],
    "date": pd.to_datetime(["2025-08-16", "2025-08-17", "2025-08-18", "2025-08-19",
                            "2025-08-20"]),
    "desk": ["world", "world", "nation", "world", "world"],
    "text": [
        "Rain fell. Trump met Putin in Alaska. He hailed a ceasefire plan. Markets rose. "
        "Oil fell. Sports news followed. Later, Trump spoke of Ukraine again.",
        "Zelensky visited Kyiv. Europe pledged aid.",
        "Trump talked about tariffs and the economy. Markets rose.",
        "",
        "The talks on Ukraine went on. Mr. Trump said a deal was close.\n\n"
        "Security guarantees were discussed in Kyiv.",
    ],
})


def test_windows_ids_and_metadata() -> None:
    found = extract_passages(DOCS, window=1, progress=False)
    passages = found.passages.set_index("passage_id")
    assert list(passages.index) == ["a:0", "a:1", "e:0"]
    assert passages.loc["a:0", "text"] == (
        "Rain fell. Trump met Putin in Alaska. He hailed a ceasefire plan. Markets rose.")
    assert passages.loc["a:0", "n_mentions"] == 2
    assert (passages.loc["a:0", "n_explicit"], passages.loc["a:0", "n_pronoun"]) == (1, 1)
    assert passages.loc["a:1", "text"] == (
        "Sports news followed. Later, Trump spoke of Ukraine again.")
    for row in found.passages.itertuples():
        text = DOCS.set_index("doc_id").at[row.doc_id, "text"]
        assert text[row.start:row.end] == row.text
    assert {"outlet", "date", "desk"} <= set(found.passages.columns)
    assert passages.loc["e:0", "desk"] == "world"


def test_every_document_is_accounted_for() -> None:
    found = extract_passages(DOCS, progress=False)
    status = found.documents.set_index("doc_id")["status"].to_dict()
    assert status == {"a": "passages", "b": "no_mention", "c": "not_in_issue",
                      "d": "empty_text", "e": "passages"}
    assert found.manifest["documents"] == {"read": 5, "passages": 2, "no_mention": 1,
                                           "not_in_issue": 1, "empty_text": 1}


def test_without_issue_filter_every_mention_counts() -> None:
    found = extract_passages(DOCS, issue=None, progress=False)
    assert "c:0" in set(found.passages["passage_id"])


def test_within_paragraph_windows() -> None:
    found = extract_passages(DOCS.iloc[[4]], window=2, within_paragraph=True, progress=False)
    assert found.passages["text"].tolist() == [
        "The talks on Ukraine went on. Mr. Trump said a deal was close."]


@pytest.mark.parametrize(("batch_size", "n_jobs"), [(1, 1), (2, 2), (1000, 1)])
def test_batches_and_workers_give_the_same_tables(batch_size: int, n_jobs: int) -> None:
    reference = extract_passages(DOCS, progress=False)
    other = extract_passages(DOCS, batch_size=batch_size, n_jobs=n_jobs, progress=False)
    pd.testing.assert_frame_equal(other.passages, reference.passages)
    pd.testing.assert_frame_equal(other.mentions, reference.mentions)


def test_from_a_store_and_round_trip(tmp_path: Path) -> None:
    DOCS.to_csv(tmp_path / "docs.csv", index=False)
    import_corpus(tmp_path / "docs.csv", tmp_path / "store", progress=False)
    found = extract_passages(tmp_path / "store", progress=False)
    assert found.passages["passage_id"].tolist() == ["a:0", "a:1", "e:0"]
    assert found.manifest["documents"]["read"] == 4  # the empty text was dropped at import
    found.save(tmp_path / "passages")
    with pytest.raises(StoreExistsError):
        found.save(tmp_path / "passages")
    again = load_passages(tmp_path / "passages")
    pd.testing.assert_frame_equal(again.passages, found.passages)
    assert again.manifest["actor"] == "trump"


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="actor 'nobody' is not declared"):
        extract_passages(DOCS, actor="nobody", progress=False)
    with pytest.raises(InputError, match="The 'window' parameter of extract_passages"):
        extract_passages(DOCS, window=-1, progress=False)
    with pytest.raises(InputError, match=r"lacks \['date'\]"):
        extract_passages(DOCS.drop(columns="date"), progress=False)
    with pytest.raises(InputError, match="not a passages folder"):
        load_passages(Path("/nonexistent"))


def test_streaming_to_a_folder_equals_in_memory(tmp_path: Path) -> None:
    in_memory = extract_passages(DOCS, batch_size=2, progress=False)
    streamed = extract_passages(DOCS, batch_size=2, out=tmp_path / "p", progress=False)
    assert len(list((tmp_path / "p" / "passages").glob("part-*.parquet"))) == 3
    pd.testing.assert_frame_equal(streamed.passages, in_memory.passages)
    pd.testing.assert_frame_equal(streamed.documents, in_memory.documents)
    assert streamed.manifest["documents"] == in_memory.manifest["documents"]
    with pytest.raises(StoreExistsError):
        extract_passages(DOCS, out=tmp_path / "p", progress=False)


def test_a_passages_folder_reads_each_table_when_first_used(tmp_path: Path) -> None:
    """A streamed run returns without reading back what it wrote (memory stays flat)."""
    found = extract_passages(DOCS, batch_size=2, out=tmp_path / "p", progress=False)
    assert found.manifest["passages"] == len(extract_passages(DOCS, progress=False).passages)
    # The mentions table is broken after the run: only using it fails, and only then.
    for part in (tmp_path / "p" / "mentions").glob("part-*.parquet"):
        part.write_bytes(b"not parquet")
    assert len(found.passages) == found.manifest["passages"]
    opened = load_passages(tmp_path / "p", columns=["passage_id", "resolved_by"])
    assert list(opened.passages.columns) == ["passage_id", "resolved_by"]
    with pytest.raises(Exception, match="(?i)parquet"):
        _ = opened.mentions
