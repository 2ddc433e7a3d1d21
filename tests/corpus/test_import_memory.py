"""Import's bounded-memory pieces: month files written row group by row group, band keys on
disk, and duplicate decisions that name rows read back from the staged parts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from framing.corpus import _import, import_corpus, read_corpus
from framing.corpus._dedup import Deduplication, Fingerprints, _pairs_in_runs
from tests.corpus.test_dedup import _texts, _wire_frame


def _table(start: int, n: int) -> pa.Table:
    return pa.table({"doc_id": [f"d{i}" for i in range(start, start + n)],
                     "n": pa.array(range(start, start + n), pa.int64())})


@pytest.mark.parametrize("sizes", [[3, 10, 1, 5], [7, 7], [2], [20]])
def test_month_file_equals_one_write_of_the_month(sizes: list[int], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_import, "ROW_GROUP_SIZE", 7)
    starts = np.cumsum([0, *sizes[:-1]])
    tables = [_table(int(s), n) for s, n in zip(starts, sizes, strict=True)]
    _import._write_month(iter(tables), tables[0].schema, tmp_path / "streamed")
    pq.write_table(pa.concat_tables(tables), tmp_path / "whole.parquet", row_group_size=7)
    streamed = (tmp_path / "streamed" / "part-0.parquet").read_bytes()
    assert streamed == (tmp_path / "whole.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "streamed" / "part-0.parquet").num_row_groups == -(
        -sum(sizes) // 7)


def test_month_without_rows_writes_nothing(tmp_path: Path) -> None:
    _import._write_month(iter([]), _table(0, 1).schema, tmp_path / "month=2025-01")
    assert not (tmp_path / "month=2025-01").exists()


def test_band_keys_read_back_from_disk(tmp_path: Path) -> None:
    fingerprints = Fingerprints(Deduplication(), tmp_path)
    batches = [_texts(5, seed=1), _texts(3, seed=2)]
    for texts in batches:
        fingerprints.add(texts)
    expected = np.concatenate([fingerprints.hasher.compute(t)[2] for t in batches])
    assert fingerprints.n_bands == expected.shape[1] > 1
    for band in range(fingerprints.n_bands):
        assert np.array_equal(fingerprints.band(band), expected[:, band])


@pytest.mark.parametrize("keep", ["earliest", "one_per_outlet"])
def test_duplicates_across_staged_batches(keep: str, tmp_path: Path) -> None:
    # One row per batch: every copy, its kept original and its group's first document are in
    # different staged parts, so the doc_ids of the decision come from reading parts back.
    frame = pd.concat([_wire_frame(), pd.DataFrame({
        "doc_id": ["orig", "other"], "outlet": ["D", "D"], "date": ["2025-03-05"] * 2,
        "text": [_wire_frame()["text"][0], "An unrelated short story about the weather."],
    })], ignore_index=True)
    frame.to_csv(tmp_path / "n.csv", index=False)
    stores = {}
    for batch_size in (1, 100):
        out = tmp_path / f"store-{batch_size}"
        corpus = import_corpus(tmp_path / "n.csv", out, progress=False, keep=keep,
                               batch_size=batch_size, on_bad_rows="skip")
        stores[batch_size] = (read_corpus(out), corpus.dropped(), corpus.manifest["rows"])
    (docs, dropped, rows), (docs_one, dropped_one, rows_one) = stores[1], stores[100]
    pd.testing.assert_frame_equal(docs, docs_one)
    pd.testing.assert_frame_equal(dropped, dropped_one)
    assert rows == rows_one
    by_id = dropped.set_index(["doc_id", "source_row"])
    assert by_id.loc[("orig", 7), "reason"] == "duplicate_doc_id"
    assert by_id.loc[("orig", 7), "duplicate_of"] == "orig"
    assert by_id.loc[("other", 8), "reason"] == "conflicting_doc_id"
    assert "already used by row 5 of" in by_id.loc[("other", 8), "detail"]
    assert docs.set_index("doc_id").loc["orig", "duplicate_group"] == "orig"


@pytest.mark.parametrize(("n", "distinct"), [(0, 1), (1, 1), (6, 1), (200, 7), (500, 10**9)])
def test_pairs_in_runs_pairs_each_member_with_first_and_predecessor(n: int,
                                                                    distinct: int) -> None:
    keys = np.random.default_rng(n).integers(0, distinct, size=n).astype(np.uint64)
    runs: dict[int, list[int]] = {}
    for position, key in enumerate(keys.tolist()):
        runs.setdefault(key, []).append(position)
    expected = {(run[0], later) for run in runs.values() for later in run[1:]}
    expected |= {(a, b) for run in runs.values() for a, b in zip(run, run[1:], strict=False)}
    got = _pairs_in_runs(keys.copy())
    assert [tuple(p) for p in got.tolist()] == sorted(expected)
