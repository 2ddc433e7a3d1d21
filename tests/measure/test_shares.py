"""Single-label prevalence: shares that sum to one, their corrections and their intervals."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quapy.method.aggregative import ACC, EMQ, PACC

from benchmarks.shares_coverage import replicate, summarise
from framing.corpus import InputError
from framing.measure import (
    SHARE_METHODS,
    ThinCellWarning,
    estimate_prevalence,
    estimate_shares,
    is_single_label_table,
    shares_method,
)
from framing.measure._quantify_shares import (
    adjust_shares,
    class_rates,
    em_shares,
    project_simplex,
)

CLASSES = ("economy", "conflict", "none")
VALIDATION_SHARES = (0.4, 0.35, 0.25)


def _scored(rng: np.random.Generator, labels: np.ndarray, n_classes: int,
            separation: float = 1.5,
            prior: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Scores ``N(separation e_y, I)``; probabilities: the exact posterior under ``prior``."""
    scores = rng.normal(size=(len(labels), n_classes)) + separation * np.eye(n_classes)[labels]
    prior = np.full(n_classes, 1 / n_classes) if prior is None else prior
    p = np.exp(np.log(prior) + separation * scores)
    p /= p.sum(axis=1, keepdims=True)
    return p, p.argmax(axis=1)


def _table(rng: np.random.Generator, n: int, shares: list[float], *, prefix: str = "d",
           outlet: str = "A", labels: bool = False) -> pd.DataFrame:
    y = rng.choice(len(CLASSES), size=n, p=shares)
    p, decided = _scored(rng, y, len(CLASSES), prior=np.array(VALIDATION_SHARES))
    table = pd.DataFrame({"passage_id": [f"{prefix}{i}:0" for i in range(n)],
                          "doc_id": [f"{prefix}{i // 2}" for i in range(n)], "outlet": outlet,
                          "date": "2025-08-01"})
    for k, name in enumerate(CLASSES):
        table[f"p_{name}"] = p[:, k]
    for k, name in enumerate(CLASSES):
        table[f"is_{name}"] = (decided == k).astype(int)
    table["frame"] = np.asarray(CLASSES)[decided]
    if labels:
        for k, name in enumerate(CLASSES):
            table[name] = (y == k).astype(int)
    return table


@pytest.fixture(scope="module")
def target() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.concat([_table(rng, 120, [0.6, 0.3, 0.1], prefix="a", outlet="A"),
                      _table(rng, 90, [0.2, 0.3, 0.5], prefix="b", outlet="B")],
                     ignore_index=True)


@pytest.fixture(scope="module")
def validation() -> pd.DataFrame:
    return _table(np.random.default_rng(2), 300, list(VALIDATION_SHARES), prefix="v",
                  labels=True)


def quiet(**kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        return estimate_shares(**kwargs)


# -- the aggregation functions against QuaPy 0.2.3 ---------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adjusted_shares_match_quapy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = 4
    y_val = rng.choice(k, 400, p=[0.4, 0.3, 0.2, 0.1])
    p_val, d_val = _scored(rng, y_val, k)
    y_tgt = rng.choice(k, 300, p=[0.1, 0.2, 0.3, 0.4])
    p_tgt, d_tgt = _scored(rng, y_tgt, k)
    one_hot = np.eye(k)[y_val]
    rates = class_rates(np.ones((1, 400)), one_hot, np.eye(k)[d_val])[0]
    assert np.allclose(rates, ACC.getPteCondEstim(np.arange(k), y_val, d_val))
    cc = np.bincount(d_tgt, minlength=k) / 300
    ours = adjust_shares(cc[None], rates[None])[0]
    theirs = ACC.solve_adjustment(rates, cc, "inversion", "minimize")
    assert ours == pytest.approx(theirs, abs=1e-4) and ours.sum() == pytest.approx(1)
    soft = class_rates(np.ones((1, 400)), one_hot, p_val)[0]
    assert np.allclose(soft, PACC.getPteCondEstim(np.arange(k), y_val, p_val))
    ours = adjust_shares(p_tgt.mean(axis=0)[None], soft[None])[0]
    theirs = ACC.solve_adjustment(soft, p_tgt.mean(axis=0), "inversion", "minimize")
    assert ours == pytest.approx(theirs, abs=1e-4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_em_shares_match_quapy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.choice(3, 500, p=[0.2, 0.3, 0.5])
    p, _ = _scored(rng, y, 3, separation=1.0)
    prior = np.array([0.5, 0.3, 0.2])
    ours = em_shares(p, np.ones((1, 500)), prior[None])[0]
    theirs = EMQ.EM(prior, p, epsilon=1e-12)[0]
    assert ours == pytest.approx(theirs, abs=1e-4)


def test_adjustment_on_the_simplex_edge_and_undefined_rates() -> None:
    rates = np.array([[[0.8, 0.3], [0.2, 0.7]]])
    # Counts beyond what any shares can give: the nearest point of the simplex, not a clip.
    assert adjust_shares(np.array([[0.9, 0.1]]), rates)[0] == pytest.approx([1.0, 0.0])
    # Rates undefined (a class absent from the validation draw): the counts are kept.
    nan_rates = np.full((1, 2, 2), np.nan)
    assert adjust_shares(np.array([[0.7, 0.3]]), nan_rates)[0].tolist() == [0.7, 0.3]
    projected = project_simplex(np.array([[2.0, 0.0, -1.0], [0.2, 0.2, 0.2]]))
    assert projected.tolist() == [[1.0, 0.0, 0.0], pytest.approx([1 / 3] * 3)]


def test_em_shares_weights_and_empty_draws() -> None:
    p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])
    weights = np.array([[1.0, 1.0, 1.0], [2.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    out = em_shares(p, weights, np.full((3, 2), 0.5))
    twice = em_shares(np.array([[0.9, 0.1], [0.9, 0.1], [0.3, 0.7]]), np.ones((1, 3)),
                      np.full((1, 2), 0.5))[0]
    assert out[1] == pytest.approx(twice, abs=1e-5)  # a weight of 2 is the passage twice
    assert np.isnan(out[2]).all() and out[0].sum() == pytest.approx(1)


# -- the table --------------------------------------------------------------------------------

def test_point_estimates_and_columns(target: pd.DataFrame, validation: pd.DataFrame) -> None:
    table = quiet(passage_frames=target, by="outlet", method=list(SHARE_METHODS),
                  validation=validation, n_bootstrap=50)
    frames_table = estimate_prevalence(
        target.drop(columns="frame"), by="outlet", method=["cc"], n_bootstrap=0,
        min_documents=1)
    shared = [c for c in frames_table.columns if c != "is_recommended"]
    assert list(table.columns) == [*shared, "is_recommended"]
    rows = table.set_index(["outlet", "frame", "method"])["estimate"]
    for outlet, part in target.groupby("outlet"):
        for name in CLASSES:
            assert rows[(outlet, name, "cc")] == pytest.approx(part[f"is_{name}"].mean())
            assert rows[(outlet, name, "pcc")] == pytest.approx(part[f"p_{name}"].mean())
    sums = table.groupby(["outlet", "method"])["estimate"].sum()
    assert np.allclose(sums, 1.0)
    assert (table["ci_low"] <= table["estimate"] + 1e-9).mean() > 0.9
    assert table.attrs["recommended_method"] == "pacc"
    assert table.loc[table["is_recommended"], "method"].unique().tolist() == ["pacc"]


def test_corrections_move_towards_the_truth() -> None:
    """A group far from the validation prior: CC and PCC are pulled towards it, the
    corrections are not (one seed, with 2,000 labelled passages; the simulation test checks
    the intervals on average)."""
    rng = np.random.default_rng(5)
    group = _table(rng, 600, [0.1, 0.15, 0.75], prefix="g", labels=True)
    truth = group[list(CLASSES)].mean().to_numpy()
    labelled = _table(rng, 2000, list(VALIDATION_SHARES), prefix="v", labels=True)
    table = quiet(passage_frames=group.drop(columns=list(CLASSES)), by="outlet",
                  method=list(SHARE_METHODS), validation=labelled, n_bootstrap=0)
    error = {m: np.abs(table.loc[table["method"] == m, "estimate"].to_numpy() - truth).sum()
             for m in SHARE_METHODS}
    for corrected in ("acc", "pacc", "em"):
        assert error[corrected] < min(error["cc"], error["pcc"]) / 3, error


def test_same_seed_same_draws(target: pd.DataFrame, validation: pd.DataFrame) -> None:
    a = quiet(passage_frames=target, by="outlet", validation=validation, n_bootstrap=80,
              random_state=3)
    b = quiet(passage_frames=target, by="outlet", validation=validation, n_bootstrap=80,
              random_state=3)
    c = quiet(passage_frames=target, by="outlet", validation=validation, n_bootstrap=80,
              random_state=4)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    assert np.allclose(a["estimate"], c["estimate"])


def test_groups_by_outlet_and_period_with_empty_cells(target: pd.DataFrame) -> None:
    data = target.assign(date=np.where(target.index % 2, "2025-08-02", "2025-10-02"))
    table = quiet(passage_frames=data, method="cc", n_bootstrap=0)
    assert set(table["period"]) == {"2025-08", "2025-09", "2025-10"}
    empty = table[table["period"] == "2025-09"]
    assert empty["estimate"].isna().all() and (empty["n_passages"] == 0).all()
    assert "period_start" in table.columns


def test_thin_groups_warn(target: pd.DataFrame) -> None:
    with pytest.warns(ThinCellWarning, match="fewer than 100 documents"):
        estimate_shares(target, by="outlet", method="cc", n_bootstrap=0, min_documents=100)


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.assign(p_economy=t["p_economy"] / 2),
     r"row 1, field 'p_economy': passage_frames: the probabilities .* sum to 0\.\d+, not 1"),
    (lambda t: t.assign(p_economy=np.where(t.index == 4, 1.5, t["p_economy"])),
     r"row 5, field 'p_economy': passage_frames: expected a probability in \[0, 1\], got 1\.5"),
    (lambda t: t.assign(is_conflict=1),
     r"row \d+, field 'is_economy': passage_frames: 2 of the decision columns"),
    (lambda t: t.assign(p_none=np.where(t.index == 3, np.nan, t["p_none"])),
     r"row 4, field 'p_none': passage_frames: expected a probability in \[0, 1\]"),
    (lambda t: t.drop(columns="doc_id"), r"field 'doc_id': passage_frames has no 'doc_id'"),
    (lambda t: t.drop(columns="is_none"), r"field 'is_none': passage_frames has no 'is_none'"),
])
def test_bad_tables_name_the_row_and_field(target: pd.DataFrame, change, message: str) -> None:
    with pytest.raises(InputError, match=message):
        estimate_shares(change(target), by="outlet", method=["cc", "pcc"], n_bootstrap=0)


def test_corrections_need_validation_with_one_hot_labels(target: pd.DataFrame,
                                                         validation: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"field 'validation': method 'pacc' needs a "
                                         "validation table"):
        estimate_shares(target, by="outlet", method="pacc")
    with pytest.raises(InputError, match=r"row 1, field 'economy': validation: 2 of the true "
                                         "label columns"):
        estimate_shares(target, by="outlet", method="pacc",
                        validation=validation.assign(economy=1, conflict=1))
    with pytest.raises(InputError, match=r"The 'method' parameter of estimate_shares"):
        estimate_shares(target, by="outlet", method="posterior")


def test_single_label_tables_are_recognised(target: pd.DataFrame) -> None:
    assert is_single_label_table(target)
    assert not is_single_label_table(target.drop(columns="frame"))
    assert not is_single_label_table(target.assign(p_none=0.9))
    assert shares_method(has_validation=True) == "pacc"
    assert shares_method(has_validation=False) == "pcc"


@settings(max_examples=25, deadline=None)
@given(n=st.integers(4, 40), seed=st.integers(0, 10_000),
       shares=st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3))
def test_shares_lie_on_the_simplex(n: int, seed: int, shares: list[float]) -> None:
    rng = np.random.default_rng(seed)
    total = float(np.sum(shares))
    table = _table(rng, n, [s / total for s in shares])
    validation = _table(rng, 60, list(VALIDATION_SHARES), prefix="v", labels=True)
    out = quiet(passage_frames=table, by="outlet", method=list(SHARE_METHODS),
                validation=validation, n_bootstrap=20, random_state=seed)
    assert out["estimate"].between(0, 1).all()
    assert np.allclose(out.groupby("method")["estimate"].sum(), 1.0)
    bounds = out[["ci_low", "ci_high"]].dropna()
    assert (bounds["ci_low"] <= bounds["ci_high"]).all() and bounds.stack().between(0, 1).all()


@pytest.mark.slow
def test_interval_coverage_in_simulation() -> None:
    """40 replications of benchmarks/shares_coverage.py (4 classes, AUC 0.85, 5 groups of 65
    passages, 300 labelled): 800 (group, class) intervals per method. Measured coverage (mean
    |bias| of a cell): acc 0.970 (0.015), pacc 0.976 (0.009), em 0.969 (0.006); cc 0.693
    (0.066); 33 s."""
    results = pd.concat([replicate(seed, n_classes=4, auc=0.85, n_groups=5, group_size=65,
                                   n_validation=300, n_bootstrap=200) for seed in range(40)])
    summary = summarise(results).set_index("method")
    for method in ("acc", "pacc", "em"):
        assert 0.90 <= summary.loc[method, "coverage"] <= 0.99, summary
        assert summary.loc[method, "abs_bias"] < 0.03, summary
    assert summary.loc["cc", "coverage"] < 0.8 and summary.loc["cc", "abs_bias"] > 0.05
