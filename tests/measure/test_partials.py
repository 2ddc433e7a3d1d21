"""Prevalence of a table on disk, from per-document partial aggregates: the in-memory table.

The table is written in row groups and read in batches that cut documents in two, so the
combination of partial sums across batches is exercised.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.measure import estimate_prevalence, prevalence_differences, topic_prevalence

N = 500


def _base(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    doc = np.arange(N) // 3
    return pd.DataFrame({
        "passage_id": [f"d{d}:{i % 3}" for i, d in enumerate(doc)],
        "doc_id": [f"d{d}" for d in doc],
        "outlet": pd.Categorical(np.array(["Nord", "Ouest", "Est"])[rng.integers(0, 3, N // 3
                                                                                 + 1)[doc]]),
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(doc % 90, "D")})


@pytest.fixture(scope="module")
def frames() -> pd.DataFrame:
    table = _base(0)
    rng = np.random.default_rng(1)
    for name in ("peacemaker", "skeptic"):
        table[f"p_{name}"] = rng.uniform(size=N)
        table[f"is_{name}"] = (table[f"p_{name}"] > 0.6).astype(int)
    return table


@pytest.fixture(scope="module")
def validation(frames) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    labelled = frames.sample(120, random_state=3).reset_index(drop=True)
    labelled["passage_id"] = "v" + labelled["passage_id"]
    for name in ("peacemaker", "skeptic"):
        labelled[name] = (rng.uniform(size=120) < labelled[f"p_{name}"]).astype(int)
    return labelled


@pytest.fixture(scope="module")
def on_disk(frames, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("partials") / "frames.parquet"
    frames.to_parquet(path, row_group_size=100, index=False)
    return path


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    # equal but for float summation order (a document's sums, then the groups')
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("batch_size", [37, 100, 10_000])
@pytest.mark.parametrize(("by", "method"), [
    (("outlet", "period"), ["cc", "pcc"]),
    ("outlet", ["cc"]),
    (("period",), ["pcc"]),
])
def test_frame_prevalence_on_disk_equals_in_memory(frames, on_disk, by, method,
                                                   batch_size) -> None:
    expected = estimate_prevalence(frames, by=by, method=method, n_bootstrap=40,
                                   min_documents=1)
    got = estimate_prevalence(on_disk, by=by, method=method, n_bootstrap=40, min_documents=1,
                              batch_size=batch_size)
    _same(got, expected)
    assert got["n_passages"].sum() == N * len(method) * 2


def test_adjusted_methods_and_differences_on_disk(frames, on_disk, validation) -> None:
    kwargs = {"method": ["acc", "pacc"], "validation": validation, "n_bootstrap": 40,
              "period": "quarter", "min_documents": 1}
    _same(estimate_prevalence(on_disk, batch_size=64, **kwargs),
          estimate_prevalence(frames, **kwargs))
    _same(prevalence_differences(on_disk, between="outlet", batch_size=64, **kwargs),
          prevalence_differences(frames, between="outlet", **kwargs))


def test_a_different_seed_gives_other_intervals(on_disk) -> None:
    first = estimate_prevalence(on_disk, method="pcc", n_bootstrap=40, min_documents=1)
    other = estimate_prevalence(on_disk, method="pcc", n_bootstrap=40, min_documents=1,
                                random_state=1)
    assert first["estimate"].equals(other["estimate"])
    assert not first["ci_low"].equals(other["ci_low"])


def test_frame_prevalence_on_disk_refusals(frames, on_disk, validation, tmp_path) -> None:
    with pytest.raises(InputError, match="'posterior' needs every passage in memory"):
        estimate_prevalence(on_disk, validation=validation)
    with pytest.raises(InputError, match="expected a .parquet file"):
        estimate_prevalence(tmp_path / "none.csv", method="cc")
    with pytest.raises(InputError, match="batch_size"):
        estimate_prevalence(on_disk, method="cc", batch_size=0)
    bad = frames.copy()
    bad.loc[250, "p_skeptic"] = 1.5
    bad.to_parquet(tmp_path / "bad.parquet", index=False)
    with pytest.raises(InputError, match=r"row 251, field 'p_skeptic'"):
        estimate_prevalence(tmp_path / "bad.parquet", method="pcc", batch_size=100)
    frames.drop(columns="doc_id").to_parquet(tmp_path / "nodoc.parquet", index=False)
    with pytest.raises(InputError, match="no 'doc_id' column"):
        estimate_prevalence(tmp_path / "nodoc.parquet", method="cc")
    with pytest.raises(InputError, match="no 'outlt' column"):
        estimate_prevalence(on_disk, method="cc", by="outlt")


@pytest.fixture(scope="module")
def doc_topics() -> pd.DataFrame:
    table = _base(4)
    shares = np.random.default_rng(5).dirichlet([0.5] * 4, size=N)
    for k in range(4):
        table[f"topic_{k}"] = shares[:, k]
    table.attrs = {"topic_labels": ["war", "vote", "money", "other"]}
    return table


@pytest.mark.parametrize("rows", ["passages", "documents"])
@pytest.mark.parametrize("batch_size", [37, 10_000])
def test_topic_prevalence_on_disk_equals_in_memory(doc_topics, tmp_path, rows,
                                                   batch_size) -> None:
    table = doc_topics if rows == "passages" else doc_topics.drop(columns="passage_id")
    folder = tmp_path / "doc_topics"
    folder.mkdir()
    table.iloc[:200].to_parquet(folder / "part-000000.parquet", index=False)
    table.iloc[200:].to_parquet(folder / "part-000001.parquet", index=False)
    expected = topic_prevalence(table, n_bootstrap=40)
    got = topic_prevalence(folder, n_bootstrap=40, batch_size=batch_size)
    _same(got, expected)
    assert got["label"].iloc[0] == "war"
    assert (got["n_passages"].isna().all() if rows == "documents"
            else got.groupby("topic")["n_passages"].sum().eq(N).all())


def test_topic_prevalence_on_disk_refusals(doc_topics, tmp_path) -> None:
    path = tmp_path / "t.parquet"
    doc_topics.to_parquet(path, index=False)
    with pytest.raises(InputError, match="composition"):
        topic_prevalence(path, method="composition")
    bad = doc_topics.copy()
    bad.loc[120, "topic_2"] = -0.1
    bad.to_parquet(tmp_path / "bad.parquet", index=False)
    with pytest.raises(InputError, match=r"row 121, field 'topic_2'"):
        topic_prevalence(tmp_path / "bad.parquet", batch_size=50)
