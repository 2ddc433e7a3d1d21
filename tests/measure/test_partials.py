"""Prevalence of a table on disk, from per-document partial aggregates: the in-memory table.

The table is written in row groups and read in batches that cut documents in two, so the
combination of partial sums across batches is exercised.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.measure import (
    SharedPassagesWarning,
    estimate_prevalence,
    prevalence_differences,
    topic_prevalence,
)

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


@pytest.fixture(scope="module")
def coded_validation(frames) -> pd.DataFrame:
    """Labelled passages, half of them passages of ``frames`` (same id, same predictions)."""
    return coded_sample(frames, 160, seed=6, sample_seed=7)


def coded_sample(frames: pd.DataFrame, n: int, *, seed: int, sample_seed: int) -> pd.DataFrame:
    """``n`` passages of ``frames`` coded from their probabilities; the second half renamed,
    so only the first half are passages of ``frames``."""
    rng = np.random.default_rng(seed)
    labelled = frames.sample(n, random_state=sample_seed).reset_index(drop=True)
    labelled.loc[n // 2:, "passage_id"] = "v" + labelled.loc[n // 2:, "passage_id"]
    for name in ("peacemaker", "skeptic"):
        labelled[name] = (rng.uniform(size=n) < labelled[f"p_{name}"]).astype(int)
    return labelled


def _parts(frames: pd.DataFrame, folder: Path, cuts: list[int]) -> Path:
    """``frames`` as a folder of parts cut at rows ``cuts`` (articles split between parts)."""
    folder.mkdir()
    for k, (start, end) in enumerate(zip([0, *cuts], [*cuts, len(frames)], strict=True)):
        frames.iloc[start:end].to_parquet(folder / f"part-{k:06d}.parquet", index=False)
    return folder


POSTERIOR_CASES = {
    "two frames": {},
    "one frame": {"frames": ["skeptic"]},
    "a frame with no positive label": {"labels": {"peacemaker": 0}},
    "nothing coded": {"uncoded": True},
}


@pytest.mark.filterwarnings("ignore::framing.measure.WeakClassifierWarning")  # no positive
@pytest.mark.parametrize("batch_size", [37, 100, 10_000])
@pytest.mark.parametrize("case", list(POSTERIOR_CASES))
def test_posterior_on_disk_equals_in_memory(frames, coded_validation, tmp_path, case,
                                            batch_size) -> None:
    spec = POSTERIOR_CASES[case]
    labelled = coded_validation.copy()
    for name, value in spec.get("labels", {}).items():
        labelled[name] = value
    if spec.get("uncoded"):
        labelled["passage_id"] = "w" + labelled["passage_id"]
    folder = _parts(frames, tmp_path / "parts", [100, 250, 251])  # 100 and 250 cut articles
    kwargs = {"validation": labelled, "n_bootstrap": 40, "min_documents": 1,
              "method": ["posterior", "pacc", "validation", "combined", "cc"],
              "frames": spec.get("frames")}
    expected = estimate_prevalence(frames, **kwargs)
    got = estimate_prevalence(folder, batch_size=batch_size, **kwargs)
    _same(got, expected)
    posterior = expected["method"] == "posterior"
    # posterior reads a group through counts, which sum exactly: the same numbers, bit for bit
    pd.testing.assert_frame_equal(got[posterior], expected[posterior], check_exact=True)
    assert expected.loc[posterior, "estimate"].notna().all()
    assert (expected.loc[posterior, "ci_high"] > expected.loc[posterior, "ci_low"]).all()
    # every labelled passage sits in a group (its outlet and date), in both
    n_frames = expected.loc[posterior, "frame"].nunique()
    assert expected.loc[posterior, "n_validation"].sum() == 160 * n_frames


def test_posterior_on_disk_counts_the_coded_labels(frames, coded_validation, on_disk) -> None:
    """The coded passages' labels enter the on-disk estimate (as they do in memory)."""
    flipped = coded_validation.copy()
    coded = flipped["passage_id"].isin(frames["passage_id"])
    assert coded.sum() == 80
    flipped.loc[coded, "skeptic"] = 1 - flipped.loc[coded, "skeptic"]
    kwargs = {"method": "posterior", "n_bootstrap": 0, "min_documents": 1, "by": "outlet",
              "frames": ["skeptic"]}
    as_coded = estimate_prevalence(on_disk, validation=coded_validation, **kwargs)
    as_flipped = estimate_prevalence(on_disk, validation=flipped, **kwargs)
    assert (as_coded["estimate"] - as_flipped["estimate"]).abs().max() > 0.01
    pd.testing.assert_frame_equal(as_flipped, estimate_prevalence(frames, validation=flipped,
                                                                  **kwargs), check_exact=True)


def test_posterior_differences_on_disk(frames, coded_validation, on_disk) -> None:
    kwargs = {"method": ["posterior", "validation"], "validation": coded_validation,
              "n_bootstrap": 40, "period": "quarter", "min_documents": 1}
    _same(prevalence_differences(on_disk, between="outlet", batch_size=64, **kwargs),
          prevalence_differences(frames, between="outlet", **kwargs))


def test_validation_placed_by_passage_id_on_disk(frames, coded_validation, on_disk) -> None:
    """Labelled passages without grouping columns are placed by their row in the table."""
    coded = coded_validation[coded_validation["passage_id"].isin(frames["passage_id"])]
    bare = coded.drop(columns=["outlet", "date"]).reset_index(drop=True)
    kwargs = {"method": ["validation", "combined", "posterior"], "validation": bare,
              "n_bootstrap": 40, "min_documents": 1}
    expected = estimate_prevalence(frames, **kwargs)
    assert expected["n_validation"].sum() > 0
    _same(estimate_prevalence(on_disk, batch_size=37, **kwargs), expected)
    stray = pd.concat([bare, bare.iloc[:1].assign(passage_id="elsewhere")], ignore_index=True)
    message = r"1 validation passages are not in passage_frames \(first: 'elsewhere'\)"
    for table in (frames, on_disk):
        with pytest.raises(InputError, match=message):
            estimate_prevalence(table, **{**kwargs, "validation": stray})


def test_shared_passages_warn_on_disk_as_in_memory(frames, coded_validation, on_disk) -> None:
    """Coded passages whose predictions differ from validation's: the same warning."""
    trained = coded_validation.copy()
    trained["p_skeptic"] = trained["p_skeptic"] * 0.5
    for method, n_warnings in (("pacc", 1), ("posterior", 0)):
        caught = []
        for table in (frames, on_disk):
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                estimate_prevalence(table, method=method, validation=trained, n_bootstrap=0,
                                    min_documents=1)
            caught.append([str(w.message) for w in record
                           if issubclass(w.category, SharedPassagesWarning)])
        assert caught[0] == caught[1] and len(caught[0]) == n_warnings
        if n_warnings:
            assert caught[0][0].startswith("80 passages of passage_frames are also coded")
            assert "for 80 of them" in caught[0][0]


def test_frame_prevalence_on_disk_refusals(frames, on_disk, validation, tmp_path) -> None:
    with pytest.raises(InputError, match="'em' needs every passage in memory"):
        estimate_prevalence(on_disk, method=["pacc", "em"], validation=validation)
    with pytest.raises(InputError, match="'posterior' needs a validation table"):
        estimate_prevalence(on_disk)
    twice = pd.concat([frames, frames.iloc[[400]]], ignore_index=True)
    twice.to_parquet(tmp_path / "twice.parquet", index=False)
    coded = frames.iloc[[400]].assign(peacemaker=1, skeptic=0)
    with pytest.raises(InputError, match=r"row 501, field 'passage_id'.*appears more than once"):
        estimate_prevalence(tmp_path / "twice.parquet", validation=pd.concat(
            [validation, coded], ignore_index=True), batch_size=64)
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
