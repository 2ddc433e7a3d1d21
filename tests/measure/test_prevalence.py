"""estimate_prevalence and prevalence_differences: exact values, the bootstrap, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from quapy.method.aggregative import ACC, EMQ, PACC

import framing.measure
from framing.corpus import InputError
from framing.measure import (
    ThinCellWarning,
    WeakClassifierWarning,
    estimate_prevalence,
    prevalence_differences,
)
from framing.measure._quantify import adjust, em_prior, error_rates

FRAMES = ("peacemaker", "skeptic")


def _scored(rng: np.random.Generator, labels: np.ndarray, separation: float = 2.0) -> tuple:
    """Calibrated-looking probabilities and decisions for 0/1 labels."""
    score = rng.normal(np.where(labels == 1, separation / 2, -separation / 2), 1.0)
    probability = 1 / (1 + np.exp(-separation * score))
    return probability, (probability >= 0.5).astype(int)


def make_passages(seed: int = 0, n_documents: int = 120, prevalence: float = 0.3,
                  outlets: tuple[str, ...] = ("A", "B"), with_labels: bool = False,
                  prefix: str = "d") -> pd.DataFrame:
    """Passages of ``n_documents`` articles (1-3 passages each) over two months."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_documents):
        outlet = outlets[d % len(outlets)]
        date = pd.Timestamp("2025-07-01") + pd.Timedelta(days=int(rng.integers(0, 61)))
        for n in range(int(rng.integers(1, 4))):
            rows.append({"passage_id": f"{prefix}{d}:{n}", "doc_id": f"{prefix}{d}",
                         "outlet": outlet, "date": date.strftime("%Y-%m-%d")})
    table = pd.DataFrame(rows)
    for k, frame in enumerate(FRAMES):
        labels = (rng.random(len(table)) < prevalence * (1 + k)).astype(int)
        table[f"p_{frame}"], table[f"is_{frame}"] = _scored(rng, labels)
        if with_labels:
            table[frame] = labels
    return table


@pytest.fixture(scope="module")
def target() -> pd.DataFrame:
    return make_passages(0, prevalence=0.2)


@pytest.fixture(scope="module")
def validation() -> pd.DataFrame:
    return make_passages(1, n_documents=150, prevalence=0.25, with_labels=True, prefix="v")


def quiet(**kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        return estimate_prevalence(**kwargs)


# -- the aggregation functions against QuaPy 0.2.3 ---------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adjusted_counts_match_quapy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y_val = (rng.random(400) < 0.4).astype(int)
    p_val, d_val = _scored(rng, y_val)
    y_tgt = (rng.random(300) < 0.15 + 0.2 * seed).astype(int)
    p_tgt, d_tgt = _scored(rng, y_tgt)
    rates = error_rates(np.ones((1, 400)), y_val, d_val, p_val)
    ours_acc = adjust(np.array([d_tgt.mean()]), rates["tpr"], rates["fpr"])[0]
    matrix = ACC.getPteCondEstim(np.array([0, 1]), y_val, d_val)
    theirs_acc = ACC.solve_adjustment(matrix, np.array([1 - d_tgt.mean(), d_tgt.mean()]),
                                      "inversion", "exact-raise")[1]
    assert ours_acc == pytest.approx(np.clip(theirs_acc, 0, 1), abs=1e-12)
    ours_pacc = adjust(np.array([p_tgt.mean()]), rates["ptpr"], rates["pfpr"])[0]
    posteriors = np.column_stack([1 - p_val, p_val])
    matrix = PACC.getPteCondEstim(np.array([0, 1]), y_val, posteriors)
    theirs_pacc = ACC.solve_adjustment(matrix, np.array([1 - p_tgt.mean(), p_tgt.mean()]),
                                       "inversion", "exact-raise")[1]
    assert ours_pacc == pytest.approx(np.clip(theirs_pacc, 0, 1), abs=1e-12)


@pytest.mark.parametrize(("seed", "train_prior"), [(0, 0.5), (1, 0.3), (2, 0.7)])
def test_em_matches_quapy(seed: int, train_prior: float) -> None:
    rng = np.random.default_rng(seed)
    p = rng.beta(0.7, 1.3, size=500)
    ours = em_prior(p, np.ones((1, 500)), np.array([train_prior]))[0]
    theirs = EMQ.EM(np.array([1 - train_prior, train_prior]), np.column_stack([1 - p, p]),
                    epsilon=1e-10)[0][1]
    assert ours == pytest.approx(theirs, abs=1e-6)


def test_em_prior_handles_corners_and_weights() -> None:
    p = np.array([0.9, 0.8, 0.3])
    # All passages confidently positive: the prior goes to 1; weights 0 for a draw: NaN.
    assert em_prior(np.array([0.99, 0.98]), np.ones((1, 2)), np.array([0.5]))[0] == 1.0
    weights = np.array([[1.0, 1.0, 1.0], [2.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    out = em_prior(p, weights, np.array([0.5, 0.5, 0.5]))
    repeated = em_prior(np.array([0.9, 0.9, 0.3]), np.ones((1, 3)), np.array([0.5]))[0]
    assert out[1] == pytest.approx(repeated)   # a weight of 2 is the passage twice
    assert np.isnan(out[2])


def test_adjust_falls_back_when_the_classifier_cannot_separate() -> None:
    assert adjust(np.array([0.4]), np.array([0.5]), np.array([0.5]))[0] == 0.4
    assert adjust(np.array([0.05]), np.array([0.8]), np.array([0.1]))[0] == 0.0  # clipped


# -- the table --------------------------------------------------------------------------------

def test_point_estimates_are_the_group_means(target: pd.DataFrame,
                                             validation: pd.DataFrame) -> None:
    table = quiet(passage_frames=target, method=["cc", "pcc", "acc"], validation=validation,
                  n_bootstrap=50)
    months = target["date"].str[:7]
    expected = target.assign(period=months).groupby(["outlet", "period"])[
        ["is_peacemaker", "p_peacemaker"]].mean()
    rows = table[table["frame"] == "peacemaker"].set_index(["outlet", "period", "method"])
    for (outlet, month), values in expected.iterrows():
        assert rows.loc[(outlet, month, "cc"), "estimate"] == pytest.approx(
            values["is_peacemaker"])
        assert rows.loc[(outlet, month, "pcc"), "estimate"] == pytest.approx(
            values["p_peacemaker"])
    y, d = validation["peacemaker"], validation["is_peacemaker"]
    tpr, fpr = d[y == 1].mean(), d[y == 0].mean()
    cc = rows.loc[("A", "2025-07", "cc"), "estimate"]
    assert rows.loc[("A", "2025-07", "acc"), "estimate"] == pytest.approx(
        np.clip((cc - fpr) / (tpr - fpr), 0, 1))
    assert list(table.columns[:4]) == ["outlet", "period", "period_start", "frame"]
    assert {"estimate", "ci_low", "ci_high", "se", "n_passages", "n_documents",
            "n_validation", "is_thin", "method"} <= set(table.columns)
    assert (table["ci_low"] <= table["estimate"] + 1e-9).all()
    assert (table["estimate"] <= table["ci_high"] + 1e-9).all()
    assert table[["estimate", "ci_low", "ci_high"]].stack().between(0, 1).all()


def test_counts_and_empty_groups(target: pd.DataFrame) -> None:
    table = target.copy()
    table.loc[table["outlet"] == "B", "date"] = "2025-07-03"   # B has no August passage
    table["outlet"] = pd.Categorical(table["outlet"], categories=["A", "B", "C"])
    result = quiet(passage_frames=table, method="cc", n_bootstrap=20)
    assert len(result) == 3 * 2 * len(FRAMES)          # every outlet x month, empty ones too
    empty = result[(result["outlet"] == "C") | ((result["outlet"] == "B")
                                                 & (result["period"] == "2025-08"))]
    assert (empty["n_passages"] == 0).all() and empty["estimate"].isna().all()
    assert empty["ci_low"].isna().all() and empty["is_thin"].all()
    full = result[result["n_passages"] > 0].drop_duplicates(["outlet", "period"])
    assert full["n_passages"].sum() == len(table)
    docs = table.assign(period=table["date"].str[:7]).groupby(
        ["outlet", "period"], observed=True)["doc_id"].nunique()
    assert full.set_index(["outlet", "period"])["n_documents"].to_dict() == docs.to_dict()


def test_same_seed_same_table_other_seed_other_intervals(target: pd.DataFrame,
                                                         validation: pd.DataFrame) -> None:
    kwargs = {"passage_frames": target, "validation": validation,
              "method": ["acc", "pacc", "em"], "n_bootstrap": 100}
    first, again = quiet(**kwargs, random_state=3), quiet(**kwargs, random_state=3)
    pd.testing.assert_frame_equal(first, again)
    other = quiet(**kwargs, random_state=4)
    pd.testing.assert_series_equal(first["estimate"], other["estimate"])
    assert not np.allclose(first["ci_low"], other["ci_low"])


def test_cluster_bootstrap_moves_passages_of_an_article_together() -> None:
    """Five copies of each passage in one article: the same estimate, a wider interval."""
    base = make_passages(5, n_documents=200)
    base = base.drop_duplicates("doc_id").reset_index(drop=True)
    copies = pd.concat([base] * 5, ignore_index=True)
    copies["passage_id"] = copies["passage_id"] + "-" + (copies.index // len(base)).astype(str)
    spread = copies.assign(doc_id=copies["passage_id"])     # every copy its own article
    kwargs = {"by": "outlet", "method": "cc", "n_bootstrap": 400}
    clustered, independent = quiet(passage_frames=copies, **kwargs), quiet(
        passage_frames=spread, **kwargs)
    pd.testing.assert_series_equal(clustered["estimate"], independent["estimate"])
    ratio = (clustered["se"] / independent["se"]).mean()
    assert ratio == pytest.approx(np.sqrt(5), rel=0.15)


def test_validation_uncertainty_widens_the_interval(target: pd.DataFrame) -> None:
    small = make_passages(7, n_documents=40, prevalence=0.25, with_labels=True, prefix="v")
    large = make_passages(8, n_documents=4000, prevalence=0.25, with_labels=True, prefix="v")
    kwargs = {"passage_frames": target, "by": "outlet", "method": "acc", "n_bootstrap": 300}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClassifierWarning)
        narrow, wide = quiet(validation=large, **kwargs), quiet(validation=small, **kwargs)
    assert (wide["se"] > narrow["se"] * 1.2).all()


def test_validation_and_combined_methods(target: pd.DataFrame) -> None:
    # The annotated passages are a random subset of the target itself.
    labelled = make_passages(0, prevalence=0.2, with_labels=True).sample(
        frac=0.4, random_state=1)
    table = quiet(passage_frames=target, by="outlet", validation=labelled,
                  method=["pacc", "validation", "combined"], n_bootstrap=300)
    rows = table.set_index(["outlet", "frame", "method"])
    for outlet in ("A", "B"):
        for frame in FRAMES:
            share = labelled.loc[labelled["outlet"] == outlet, frame].mean()
            assert rows.loc[(outlet, frame, "validation"), "estimate"] == pytest.approx(share)
            pacc = rows.loc[(outlet, frame, "pacc"), "estimate"]
            combined = rows.loc[(outlet, frame, "combined"), "estimate"]
            assert min(pacc, share) - 1e-12 <= combined <= max(pacc, share) + 1e-12
            # The combination is at least as precise as the better of the two.
            assert rows.loc[(outlet, frame, "combined"), "se"] <= 1.05 * min(
                rows.loc[(outlet, frame, m), "se"] for m in ("pacc", "validation"))
    assert (table["n_validation"] > 0).all()


def test_validation_method_needs_only_labels(target: pd.DataFrame) -> None:
    labelled = make_passages(0, prevalence=0.2, with_labels=True).sample(frac=0.5,
                                                                         random_state=0)
    only_labels = labelled[["passage_id", "doc_id", "outlet", "date", *FRAMES]]
    table = quiet(passage_frames=target, by="outlet", validation=only_labels,
                  method="validation", n_bootstrap=50)
    expected = labelled.groupby("outlet")["skeptic"].mean()
    got = table[table["frame"] == "skeptic"].set_index("outlet")["estimate"]
    pd.testing.assert_series_equal(got, expected, check_names=False)


def test_combined_is_the_corrected_estimate_where_no_passage_is_labelled(
        target: pd.DataFrame) -> None:
    labelled = make_passages(0, prevalence=0.2, with_labels=True)
    labelled = labelled[labelled["outlet"] == "A"]
    table = quiet(passage_frames=target, by="outlet", validation=labelled,
                  method=["pacc", "combined"], n_bootstrap=100)
    b = table[table["outlet"] == "B"].set_index(["frame", "method"])["estimate"]
    for frame in FRAMES:
        assert b[(frame, "combined")] == b[(frame, "pacc")]


def test_periods_by_breakpoints_and_units(target: pd.DataFrame) -> None:
    events = quiet(passage_frames=target, method="cc", n_bootstrap=0,
                   period={"before Alaska": None, "after": "2025-08-15"})
    assert list(events["period"].cat.categories) == ["before Alaska", "after"]
    assert events["ci_low"].isna().all()           # no draws, no interval
    after = pd.to_datetime(target["date"]) >= "2025-08-15"
    n_after = events[(events["period"] == "after")].drop_duplicates("outlet")["n_passages"]
    assert n_after.sum() == after.sum()
    weeks = quiet(passage_frames=target, by="period", period="week", method="cc",
                  n_bootstrap=0)
    assert weeks["period_start"].dt.day_of_week.eq(0).all()      # weeks start on Monday
    assert weeks.drop_duplicates("period")["n_passages"].sum() == len(target)
    plain = quiet(passage_frames=target, by="period", period=["2025-08-01"], method="cc",
                  n_bootstrap=0)
    assert list(plain["period"].cat.categories) == ["..2025-07-31", "2025-08-01.."]


def test_own_period_column_and_odd_key_names(target: pd.DataFrame) -> None:
    table = target.assign(**{"period": np.where(target["date"] < "2025-08-01", "early", "late"),
                             "news outlet": target["outlet"]})
    levels = quiet(passage_frames=table, by=["news outlet", "period"], method="cc",
                   n_bootstrap=20)
    assert "period_start" not in levels.columns
    assert set(levels["period"]) == {"early", "late"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        changes = prevalence_differences(table, by=["news outlet", "period"], method="cc",
                                         reference="early", n_bootstrap=20)
    assert set(changes["news outlet"]) == {"A", "B"} and set(changes["period"]) == {"late"}


def test_thin_cells_warn_with_their_size(target: pd.DataFrame) -> None:
    with pytest.warns(ThinCellWarning, match=r"groups have passages from fewer than 40 "
                                              r"documents .*n_documents=\d+, n_passages=\d+"):
        table = estimate_prevalence(target, method="cc", n_bootstrap=10, min_documents=40)
    assert table["is_thin"].all()


def test_weak_classifier_warns(target: pd.DataFrame) -> None:
    noise = make_passages(3, n_documents=100, with_labels=True, prefix="v")
    rng = np.random.default_rng(0)
    noise["p_skeptic"] = rng.random(len(noise))   # unrelated to the labels
    noise["is_skeptic"] = (noise["p_skeptic"] > 0.5).astype(int)
    with pytest.warns(WeakClassifierWarning, match=r"barely separates 'skeptic'"):
        quiet(passage_frames=target, validation=noise, method="pacc", n_bootstrap=10)


# -- differences ------------------------------------------------------------------------------

def test_differences_come_from_the_same_draws(target: pd.DataFrame,
                                              validation: pd.DataFrame) -> None:
    kwargs = {"passage_frames": target, "validation": validation, "method": "pacc",
              "n_bootstrap": 200, "random_state": 2}
    levels = quiet(**kwargs).set_index(["outlet", "period", "frame"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        months = prevalence_differences(**kwargs)
        outlets = prevalence_differences(**kwargs, between="outlet")
    assert set(months["period"]) == {"2025-08"}
    assert set(months["period_reference"]) == {"2025-07"}
    for row in months.itertuples():
        expected = (levels.loc[(row.outlet, "2025-08", row.frame), "estimate"]
                    - levels.loc[(row.outlet, "2025-07", row.frame), "estimate"])
        assert row.difference == pytest.approx(expected)
        assert row.ci_low <= row.difference <= row.ci_high
        assert 0 <= row.p_value <= 1
    assert set(outlets["outlet"]) == {"B"} and set(outlets["outlet_reference"]) == {"A"}


def test_differences_detect_a_real_change() -> None:
    before = make_passages(10, n_documents=150, prevalence=0.15, outlets=("A",))
    after = make_passages(11, n_documents=150, prevalence=0.4, outlets=("A",), prefix="e")
    after["date"] = (pd.to_datetime(after["date"]) + pd.Timedelta(days=70)).dt.strftime(
        "%Y-%m-%d")
    labelled = make_passages(12, n_documents=200, prevalence=0.3, with_labels=True,
                             prefix="v")
    table = prevalence_differences(
        pd.concat([before, after], ignore_index=True), by=["outlet", "period"],
        period={"before": None, "after": "2025-09-09"}, validation=labelled,
        method=["cc", "acc"], n_bootstrap=300)
    acc = table[(table["method"] == "acc") & (table["frame"] == "peacemaker")].iloc[0]
    assert acc["ci_low"] > 0 and acc["p_value"] < 0.01
    assert acc["difference"] == pytest.approx(0.25, abs=0.08)
    cc = table[(table["method"] == "cc") & (table["frame"] == "peacemaker")].iloc[0]
    assert cc["difference"] < acc["difference"]      # CC shrinks a change towards zero


# -- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "kwargs", "message"), [
    (lambda t: t.drop(columns="p_skeptic"), {"method": "pcc"},
     r"field 'p_skeptic'.*no 'p_skeptic' column"),
    (lambda t: t.drop(columns="is_peacemaker"), {"method": "cc", "frames": ["peacemaker"]},
     r"no 'is_peacemaker' column"),
    (lambda t: t, {"method": "cc", "frames": ["isolationist"]}, r"no 'is_isolationist'"),
    (lambda t: t.drop(columns="doc_id"), {"method": "cc"}, r"no 'doc_id' column"),
    (lambda t: t.drop(columns="outlet"), {"method": "cc"}, r"no 'outlet' column"),
    (lambda t: t.drop(columns="date"), {"method": "cc"}, r"no 'date' column"),
    (lambda t: t.assign(date=t["date"].where(t.index != 4, "31/02/2025")), {"method": "cc"},
     r"row 5, field 'date': cannot read '31/02/2025' as a date"),
    (lambda t: t.assign(outlet=t["outlet"].where(t.index != 2)), {"method": "cc"},
     r"row 3, field 'outlet'.*have no 'outlet'"),
    (lambda t: t.assign(p_skeptic=t["p_skeptic"].where(t.index != 6, 1.5)), {"method": "pcc"},
     r"row 7, field 'p_skeptic': passage_frames: expected a probability"),
    (lambda t: t.assign(is_skeptic=t["is_skeptic"].where(t.index != 0, 2)), {"method": "cc"},
     r"row 1, field 'is_skeptic': passage_frames: expected 0 or 1"),
    (lambda t: pd.concat([t, t.head(1)]), {"method": "cc"},
     r"passage_id 'd0:0' appears more than once"),
    (lambda t: t, {"method": "acc"}, r"method 'acc' needs a validation table"),
    (lambda t: t, {"method": "median"}, r"The 'method' parameter must be one or more"),
    (lambda t: t, {"method": "cc", "n_bootstrap": -1}, r"The 'n_bootstrap' parameter"),
    (lambda t: t, {"method": "cc", "period": "fortnight"}, r"The 'period' parameter"),
    (lambda t: t, {"method": "cc", "period": {"a": "2025-08-01", "b": "2025-07-01"}},
     r"period starts must be increasing"),
    (lambda t: t, {"method": "cc", "period": {"a": "2025-07-10", "b": "2025-08-01"}},
     r"falls before the first period \('a' starts 2025-07-10\)"),
])
def test_bad_input(target: pd.DataFrame, change, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        quiet(passage_frames=change(target.copy()), **{"n_bootstrap": 5, **kwargs})


@pytest.mark.parametrize(("change", "message"), [
    (lambda v: v.drop(columns="skeptic"), r"validation has no 'skeptic' column with the true"),
    (lambda v: v.assign(skeptic=v["skeptic"].where(v.index != 3, 0.5)),
     r"row 4, field 'skeptic': validation: expected a 0/1 label, got 0.5"),
    (lambda v: v.drop(columns="p_peacemaker"), r"validation has no 'p_peacemaker' column"),
])
def test_bad_validation(target: pd.DataFrame, validation: pd.DataFrame, change,
                        message: str) -> None:
    with pytest.raises(InputError, match=message):
        quiet(passage_frames=target, validation=change(validation.copy()), method="pacc",
              n_bootstrap=5)


def test_misaligned_validation_is_refused(target: pd.DataFrame) -> None:
    labelled = make_passages(0, prevalence=0.2, with_labels=True).head(30)
    moved = labelled.assign(outlet=labelled["outlet"].map({"A": "B", "B": "A"}))
    with pytest.raises(InputError, match=r"disagree on 'outlet' for passage 'd0:0'"):
        quiet(passage_frames=target, validation=moved, method="validation", n_bootstrap=5)
    stranger = labelled.drop(columns=["outlet"]).assign(passage_id=lambda v: "x" + v[
        "passage_id"])
    with pytest.raises(InputError, match=r"30 validation passages are not in passage_frames"):
        quiet(passage_frames=target, validation=stranger, method="validation", n_bootstrap=5)


def test_differences_refuse_unknown_keys(target: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"cannot compare levels of 'actor'"):
        prevalence_differences(target, between="actor", method="cc", n_bootstrap=5)
    with pytest.raises(InputError, match=r"reference 'C' is not a level of 'outlet'"):
        prevalence_differences(target, by="outlet", between="outlet", reference="C",
                               method="cc", n_bootstrap=5, min_documents=1)


def test_exports() -> None:
    assert {"METHODS", "ThinCellWarning", "WeakClassifierWarning", "assign_periods",
            "estimate_prevalence", "prevalence_differences",
            "topic_frame_table"} <= set(framing.measure.__all__)
    for name in framing.measure.__all__:
        assert hasattr(framing.measure, name), name
