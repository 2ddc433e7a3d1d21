"""Invariants of estimate_prevalence on random tables (hypothesis)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.measure import (
    ThinCellWarning,
    WeakClassifierWarning,
    assign_periods,
    estimate_prevalence,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    docs = rng.integers(0, max(1, n // 2), size=n)
    table = pd.DataFrame({
        "passage_id": [f"p{i}" for i in range(n)], "doc_id": [f"d{d}" for d in docs],
        "outlet": rng.choice(["A", "B", "C"], size=n),
        "date": (pd.Timestamp("2025-01-01")
                 + pd.to_timedelta(rng.integers(0, 120, size=n), unit="D")).strftime("%Y-%m-%d"),
        "p_x": rng.random(n)})
    table["is_x"] = (table["p_x"] >= 0.5).astype(int)
    m = draw(st.integers(2, 30))
    labels = rng.integers(0, 2, size=m)
    labels[:2] = [0, 1]
    p = np.clip(labels * 0.6 + rng.random(m) * 0.4, 0, 1)
    validation = pd.DataFrame({"doc_id": [f"v{i // 2}" for i in range(m)], "x": labels,
                               "p_x": p, "is_x": (p >= 0.5).astype(int)})
    return table, validation


@settings(max_examples=30, deadline=None)
@given(tables(), st.sampled_from(["month", "week", "quarter"]))
def test_estimates_are_proportions_and_rows_are_kept(data, period: str) -> None:
    table, validation = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        warnings.simplefilter("ignore", WeakClassifierWarning)
        result = estimate_prevalence(table, period=period, validation=validation,
                                     method=["cc", "pcc", "acc", "pacc", "em", "posterior"],
                                     n_bootstrap=20)
    filled = result[result["n_passages"] > 0]
    assert filled[["estimate", "ci_low", "ci_high"]].stack().between(0, 1).all()
    assert filled["estimate"].notna().all()
    assert result.loc[result["n_passages"] == 0, "estimate"].isna().all()
    cells = result.drop_duplicates(["outlet", "period"])
    assert cells["n_passages"].sum() == len(table)                  # no passage dropped
    n_periods = len(assign_periods(table["date"], period)["period"].cat.categories)
    assert len(cells) == table["outlet"].nunique() * n_periods        # empty cells listed too
