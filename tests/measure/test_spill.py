"""Prevalence of a table on disk with its per-document sums spilled and read back by groups.

The values are multiples of 1/64, so every sum is exact whatever its order: the on-disk
tables must then equal the in-memory ones bit for bit, whatever the budget of documents, the
batch size and the documents cut between batches.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing.measure._spill as spill
from framing.corpus import InputError
from framing.measure import estimate_prevalence, prevalence_differences, topic_prevalence
from tests.measure.test_partials import coded_sample

N = 500  # passages, 3 per document


def _table(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    doc = np.arange(N) // 3
    table = pd.DataFrame({
        "passage_id": [f"d{d}:{i % 3}" for i, d in enumerate(doc)],
        "doc_id": [f"d{d}" for d in doc],
        "outlet": np.array(["Nord", "Ouest", "Est"])[rng.integers(0, 3, N // 3 + 1)[doc]],
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta((doc * 7) % 90, "D")})
    for name in ("peacemaker", "skeptic"):
        table[f"p_{name}"] = rng.integers(0, 65, N) / 64
        table[f"is_{name}"] = (table[f"p_{name}"] > 0.6).astype(int)
    for k in range(3):
        table[f"topic_{k}"] = rng.integers(0, 65, N) / 64
    return table


@pytest.fixture(scope="module")
def frames() -> pd.DataFrame:
    return _table(0)


@pytest.fixture(scope="module")
def validation(frames) -> pd.DataFrame:
    return coded_sample(frames, 120, seed=2, sample_seed=3)


@pytest.fixture(scope="module")
def on_disk(frames, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("spill") / "frames"
    folder.mkdir()
    for k, (start, end) in enumerate([(0, 100), (100, 250), (250, N)]):  # cut articles
        frames.iloc[start:end].to_parquet(folder / f"part-{k:06d}.parquet", index=False)
    return folder


@pytest.fixture
def loads(monkeypatch) -> list[int]:
    """The rows of every chunk read back from the spill."""
    counted: list[int] = []
    original = spill.load_chunk

    def counting(files):
        table = original(files)
        counted.append(0 if table is None else table.num_rows)
        return table

    monkeypatch.setattr(spill, "load_chunk", counting)
    return counted


@pytest.mark.parametrize("budget", [1, 7, 40, 100_000])
@pytest.mark.parametrize("batch_size", [37, 10_000])
def test_frame_prevalence_spilled_equals_in_memory_bit_for_bit(frames, validation, on_disk,
                                                              loads, budget,
                                                              batch_size) -> None:
    kwargs = {"method": ["cc", "pcc", "pacc", "combined", "posterior"],
              "validation": validation, "n_bootstrap": 30, "min_documents": 1}
    expected = estimate_prevalence(frames, **kwargs)
    got = estimate_prevalence(on_disk, batch_size=batch_size, max_documents_in_memory=budget,
                              **kwargs)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert sum(loads) >= N // 3  # every document was read back (some in two pieces)
    if budget < 100_000:
        assert len(loads) > 1
    differences = prevalence_differences(on_disk, between="outlet", batch_size=batch_size,
                                         max_documents_in_memory=budget, **kwargs)
    pd.testing.assert_frame_equal(differences, prevalence_differences(
        frames, between="outlet", **kwargs), check_exact=True)


@pytest.mark.parametrize("rows", ["passages", "documents"])
@pytest.mark.parametrize("budget", [1, 7, 100_000])
def test_topic_prevalence_spilled_equals_in_memory_bit_for_bit(frames, tmp_path, loads, rows,
                                                              budget) -> None:
    table = frames if rows == "passages" else frames.drop(columns="passage_id")
    path = tmp_path / "doc_topics.parquet"
    table.to_parquet(path, index=False, row_group_size=50)
    expected = topic_prevalence(table, n_bootstrap=30, period="week")
    got = topic_prevalence(path, n_bootstrap=30, period="week", batch_size=37,
                           max_documents_in_memory=budget)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(loads) > 1 or budget == 100_000


def test_chunks_hold_at_most_the_budget_or_one_group(frames, on_disk, loads) -> None:
    """Reading back, no chunk passes the budget but a group larger than it, read alone."""
    kwargs = {"method": "pcc", "n_bootstrap": 10, "min_documents": 1}
    table = estimate_prevalence(on_disk, max_documents_in_memory=40, batch_size=37, **kwargs)
    groups = table[(table["n_documents"] > 0) & (table["frame"] == "skeptic")]
    assert groups["n_documents"].max() < 40  # every group fits: the budget binds
    assert max(loads) <= 40 and len(loads) >= sum(loads) // 40
    loads.clear()
    estimate_prevalence(on_disk, max_documents_in_memory=1, batch_size=37, **kwargs)
    # a budget of one document: each group read alone, whole (its documents, some twice as
    # pieces of a document cut between batches)
    assert len(loads) == len(groups)
    assert sorted(loads) >= sorted(groups["n_documents"].tolist())
    assert sum(loads) <= groups["n_documents"].sum() + N // 37 + 1


def test_spill_folder_is_removed_after_success_and_error(frames, on_disk, tmp_path,
                                                         monkeypatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    seen: list[int] = []
    original = spill.load_chunk

    def looking(files):
        seen.append(len(list(temp.rglob("*.parquet"))))  # the spill exists while read
        return original(files)

    monkeypatch.setattr(spill, "load_chunk", looking)
    estimate_prevalence(on_disk, method="cc", n_bootstrap=10, min_documents=1,
                        max_documents_in_memory=20, batch_size=50)
    topic_prevalence(on_disk, n_bootstrap=10, max_documents_in_memory=20, batch_size=50)
    assert seen and min(seen) > 0
    assert not list(temp.iterdir())
    bad = frames.copy()
    bad.loc[450, "p_skeptic"] = 1.5
    bad.loc[450, "topic_1"] = -1.0
    bad.to_parquet(tmp_path / "bad.parquet", index=False)
    with pytest.raises(InputError, match=r"row 451, field 'p_skeptic'"):
        estimate_prevalence(tmp_path / "bad.parquet", method="pcc", batch_size=100)
    with pytest.raises(InputError, match=r"row 451, field 'topic_1'"):
        topic_prevalence(tmp_path / "bad.parquet", batch_size=100)
    assert not list(temp.iterdir())


def test_max_documents_in_memory_is_checked(on_disk) -> None:
    with pytest.raises(InputError, match="max_documents_in_memory"):
        estimate_prevalence(on_disk, method="cc", max_documents_in_memory=0)
    with pytest.raises(InputError, match="max_documents_in_memory"):
        topic_prevalence(on_disk, max_documents_in_memory=0)
