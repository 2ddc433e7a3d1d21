"""estimate_effects / PrevalenceRegression: planted outlet effects and time trends recovered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.measure import PrevalenceRegression, estimate_effects, predict_prevalence

N_DAYS = 300
EFFECT_B, EFFECT_C, TREND = 0.15, -0.05, 0.20  # planted: outlet differences, rise over time


def truth_topic0(outlet: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Planted expected share of topic 0: outlet shift plus a linear rise over the days."""
    return (0.20 + EFFECT_B * (outlet == "B") + EFFECT_C * (outlet == "C")
            + TREND * day / (N_DAYS - 1))


def simulate(n: int = 1500, n_tokens: int = 150, seed: int = 0) -> pd.DataFrame:
    """Documents whose topic shares are noisy draws around the planted means (K = 3)."""
    rng = np.random.default_rng(seed)
    outlet = rng.choice(["A", "B", "C"], size=n)
    day = rng.integers(0, N_DAYS, size=n)
    mean0 = truth_topic0(outlet, day)
    mean = np.column_stack([mean0, (1 - mean0) * 0.6, (1 - mean0) * 0.4])
    theta = np.vstack([rng.dirichlet(40 * m) for m in mean])
    table = pd.DataFrame({
        "doc_id": [f"d{i:05d}" for i in range(n)], "outlet": outlet,
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(day, unit="D"),
        "n_tokens": n_tokens})
    for k in range(3):
        table[f"topic_{k}"] = theta[:, k]
    table["is_peace"] = (rng.random(n) < mean0).astype(int)
    table["model_id"] = "tm-test"
    return table


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return simulate()


def row(effects: pd.DataFrame, outcome: str, term: str) -> pd.Series:
    found = effects[(effects["outcome"] == outcome) & (effects["term"] == term)]
    assert len(found) == 1
    return found.iloc[0]


METHODS = [{}, {"draws": 40}, {"n_bootstrap": 200}]


@pytest.mark.parametrize("method", METHODS, ids=["ols", "composition", "bootstrap"])
def test_planted_outlet_effects_and_trend_are_recovered(table: pd.DataFrame,
                                                        method: dict) -> None:
    # 99% intervals: nine checks of 95% intervals on one simulated corpus would fail one
    # corpus in three by chance; the 95% level itself is checked by the coverage test below
    effects = estimate_effects(table, ["topic_0"], smooth_df=4, confidence=0.99, **method)
    for term, truth in [("outlet[B]", EFFECT_B), ("outlet[C]", EFFECT_C),
                        ("time: last - first", TREND)]:
        found = row(effects, "topic_0", term)
        assert found["ci_low"] < truth < found["ci_high"], (term, found.to_dict())
        assert found["estimate"] == pytest.approx(truth, abs=0.03)
        assert np.sign(found["ci_low"]) == np.sign(found["ci_high"]) == np.sign(truth)
    assert set(effects["kind"]) == {"intercept", "outlet", "time", "contrast"}
    assert (effects["n_documents"] == len(table)).all()


@pytest.mark.parametrize("method", [{}, {"n_bootstrap": 200}], ids=["ols", "bootstrap"])
def test_frame_decision_effects_are_recovered(table: pd.DataFrame, method: dict) -> None:
    effects = estimate_effects(table, ["is_peace"], smooth="cr", smooth_df=4, confidence=0.99,
                               **method)
    found = row(effects, "is_peace", "outlet[B]")
    assert found["ci_low"] < EFFECT_B < found["ci_high"]
    assert found["ci_low"] > 0  # a planted effect of 0.15 is clearly found in 1,500 documents
    trend = row(effects, "is_peace", "time: last - first")
    assert trend["ci_low"] < TREND < trend["ci_high"] and trend["ci_low"] > 0


def test_ols_intervals_cover_the_planted_effects_95_percent_of_the_time() -> None:
    covered = []
    for seed in range(40):
        effects = estimate_effects(simulate(n=400, seed=100 + seed), ["topic_0"], smooth_df=4)
        found = row(effects, "topic_0", "outlet[B]")
        covered.append(found["ci_low"] < EFFECT_B < found["ci_high"])
    # binomial(40, 0.95) reaches 35 with probability 0.986; intervals too narrow (as ignoring
    # heteroscedasticity or clustering would make them) fall below
    assert sum(covered) >= 35


def test_predicted_prevalence_follows_the_planted_curve(table: pd.DataFrame) -> None:
    grid = predict_prevalence(table, ["topic_0"], n_times=7, smooth_df=4, draws=30)
    assert len(grid) == 3 * 7
    assert list(grid.columns) == ["outcome", "outlet", "date", "estimate", "ci_low", "ci_high",
                                  "method"]
    days = ((grid["date"] - pd.Timestamp("2025-01-01")) / pd.Timedelta(days=1)).to_numpy()
    truth = truth_topic0(grid["outlet"].to_numpy(), days)
    inside = (grid["ci_low"] < truth) & (truth < grid["ci_high"])
    assert inside.mean() >= 0.85
    assert np.abs(grid["estimate"] - truth).max() < 0.05
    assert (grid["method"] == "composition").all()


def test_composition_intervals_are_wider_than_naive_ones() -> None:
    short = simulate(n_tokens=15)  # short documents: the topic model is unsure of each one
    naive = estimate_effects(short, ["topic_0"], smooth_df=4)
    composed = estimate_effects(short, ["topic_0"], smooth_df=4, draws=40)
    width_naive = (naive["ci_high"] - naive["ci_low"]).to_numpy()
    width_composed = (composed["ci_high"] - composed["ci_low"]).to_numpy()
    assert (width_composed > 1.2 * width_naive).all()


def test_composition_of_very_long_documents_is_the_plain_fit(table: pd.DataFrame) -> None:
    # with huge counts the Dirichlet draws are the shares themselves: composition must then
    # agree with statsmodels' OLS (estimates, and HC1 intervals up to sampling error)
    long = table.assign(n_tokens=10**9)
    naive = estimate_effects(long, ["topic_0"], smooth_df=4)
    composed = estimate_effects(long, ["topic_0"], smooth_df=4, draws=20)
    np.testing.assert_allclose(composed["estimate"], naive["estimate"], atol=1e-4)
    ratio = ((composed["ci_high"] - composed["ci_low"])
             / (naive["ci_high"] - naive["ci_low"])).to_numpy()
    assert ((ratio > 0.85) & (ratio < 1.15)).all()


def test_same_seed_same_table_and_another_seed_differs(table: pd.DataFrame) -> None:
    first = estimate_effects(table, ["topic_0", "topic_1"], draws=15, random_state=4)
    again = estimate_effects(table, ["topic_0", "topic_1"], draws=15, random_state=4)
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    other = estimate_effects(table, ["topic_0", "topic_1"], draws=15, random_state=5)
    assert not np.array_equal(first["ci_low"].to_numpy(), other["ci_low"].to_numpy())
    boot = estimate_effects(table, ["is_peace"], n_bootstrap=50, random_state=4)
    pd.testing.assert_frame_equal(
        boot, estimate_effects(table, ["is_peace"], n_bootstrap=50, random_state=4),
        check_exact=True)


def test_by_fits_each_group_alone(table: pd.DataFrame) -> None:
    table = table.assign(half=np.where(np.arange(len(table)) % 2, "odd", "even"))
    both = estimate_effects(table, ["topic_0"], by=["half"], smooth_df=3)
    alone = estimate_effects(table[table["half"] == "odd"].reset_index(drop=True),
                             ["topic_0"], smooth_df=3)
    odd = both[both["half"] == "odd"].drop(columns="half").reset_index(drop=True)
    pd.testing.assert_frame_equal(odd, alone)
    assert list(both.columns[:2]) == ["half", "outcome"]


def test_default_outcomes_are_all_topics_and_passages_resample_documents(
        table: pd.DataFrame) -> None:
    model = PrevalenceRegression(smooth_df=3).fit(table)
    assert model.outcomes_ == ["topic_0", "topic_1", "topic_2"]
    assert model.reference_outlet_ == {(): "A"}
    # two passages per document: the bootstrap resamples the 1,500 documents, not 3,000 rows
    passages = pd.concat([table.assign(passage_id=table["doc_id"] + f":{n}") for n in (0, 1)],
                         ignore_index=True)
    effects = estimate_effects(passages, ["topic_0"], smooth_df=3, n_bootstrap=30)
    assert (effects["n_documents"] == len(table)).all()


@pytest.mark.parametrize(("change", "params", "message"), [
    (lambda t: t, {"outcomes": ["topic_9"]}, r"field 'topic_9'"),
    (lambda t: t.assign(topic_0=t["topic_0"].astype(str) + "%"), {"outcomes": ["topic_0"]},
     r"field 'topic_0': expected numbers"),
    (lambda t: t.assign(is_peace=t["is_peace"].where(t.index != 4)), {"outcomes": ["is_peace"]},
     r"row 5, field 'is_peace'"),
    (lambda t: t.assign(date=t["date"].where(t.index != 2)), {"outcomes": ["topic_0"]},
     r"row 3, field 'date'"),
    (lambda t: t.drop(columns="outlet"), {"outcomes": ["topic_0"]}, r"field 'outlet'"),
    (lambda t: t.drop(columns="n_tokens"), {"outcomes": ["topic_0"], "draws": 5},
     r"field 'n_tokens'"),
    (lambda t: t, {"outcomes": ["is_peace"], "draws": 5}, r"field 'is_peace'.*n_bootstrap"),
    (lambda t: t, {"draws": 5, "n_bootstrap": 20}, r"'draws' and 'n_bootstrap'"),
    (lambda t: t, {"smooth_df": 1}, r"'smooth_df' parameter of PrevalenceRegression"),
    (lambda t: t.head(6), {"outcomes": ["topic_0"]}, r"too few"),
])
def test_bad_input_raises_input_error_naming_the_column(table: pd.DataFrame, change,
                                                         params: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        PrevalenceRegression(**params).fit(change(table.copy()))


def test_prediction_outside_the_fitted_range_is_refused(table: pd.DataFrame) -> None:
    model = PrevalenceRegression(outcomes=["topic_0"], smooth_df=3).fit(table)
    with pytest.raises(InputError, match=r"outside the fitted range"):
        model.predict_prevalence(times=["2027-01-01"])
    with pytest.raises(InputError, match=r"outlet 'Z'"):
        model.predict_prevalence(outlets=["Z"])
    grid = model.predict_prevalence(times=["2025-03-01"], outlets=["B"])
    assert grid["date"].tolist() == [pd.Timestamp("2025-03-01")]


def test_estimator_contract(table: pd.DataFrame) -> None:
    from sklearn.base import clone

    from framing.corpus import NotFittedError

    model = PrevalenceRegression(outcomes=["topic_0"], draws=10, smooth_df=3)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "effects_")
    with pytest.raises(NotFittedError, match="predict_prevalence"):
        model.predict_prevalence()
    first = model.fit(table).effects_.copy()
    pd.testing.assert_frame_equal(model.fit(table).effects_, first, check_exact=True)
    assert model.method_ == "composition"
    assert model.time_origin_ == pd.Timestamp("2025-01-01")


def test_numeric_time_and_natural_spline(table: pd.DataFrame) -> None:
    days = (table["date"] - pd.Timestamp("2025-01-01")) / pd.Timedelta(days=1)
    numeric = table.assign(day=days)
    effects = estimate_effects(numeric, ["topic_0"], time="day", smooth="cr", smooth_df=4,
                               confidence=0.99)
    trend = row(effects, "topic_0", "time: last - first")
    assert trend["ci_low"] < TREND < trend["ci_high"]
    grid = predict_prevalence(numeric, ["topic_0"], time="day", times=[0, 150], outlets=["A"],
                              smooth="cr", smooth_df=4)
    assert grid["day"].tolist() == [0.0, 150.0]
    assert grid["estimate"].iloc[1] - grid["estimate"].iloc[0] == pytest.approx(
        TREND * 150 / (N_DAYS - 1), abs=0.03)


def test_passage_rows_get_document_clustered_ols_intervals(table: pd.DataFrame) -> None:
    # each document copied into three passages: independent-row intervals would shrink by
    # sqrt(3); clustered by document they stay those of the documents
    passages = pd.concat([table.assign(passage_id=table["doc_id"] + f":{n}") for n in range(3)],
                         ignore_index=True)
    docs = estimate_effects(table, ["topic_0"], smooth_df=3)
    copies = estimate_effects(passages, ["topic_0"], smooth_df=3)
    ratio = ((copies["ci_high"] - copies["ci_low"]) / (docs["ci_high"] - docs["ci_low"]))
    assert ((ratio > 0.95) & (ratio < 1.05)).all()


def test_terms_are_named_after_the_group_column() -> None:
    rng = np.random.default_rng(3)
    table = pd.DataFrame({"bias": rng.choice(["center", "left", "right"], 300),
                          "date": pd.Timestamp("2025-01-01")
                          + pd.to_timedelta(rng.integers(0, 200, 300), "D")})
    table["p_peace"] = 0.3 + 0.2 * (table["bias"] == "right") + rng.normal(0, 0.05, 300)
    effects = estimate_effects(table, outcomes=["p_peace"], outlet="bias", smooth_df=3)
    group_terms = effects.loc[effects["kind"] == "outlet", "term"].tolist()
    assert group_terms == ["bias[left]", "bias[right]"]
    assert effects.set_index("term").loc["bias[right]", "estimate"] == pytest.approx(0.2, abs=0.03)
