"""estimate_effects with any formula, and what it needs found in the topic model itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.measure import PrevalenceRegression, estimate_effects
from framing.topics import TopicModel
from tests.topics.conftest import FAST, make_tokens


def test_formula_terms_recover_a_numeric_and_a_categorical_effect() -> None:
    rng = np.random.default_rng(0)
    n = 400
    table = pd.DataFrame({"rating": rng.choice(["Conservative", "Liberal"], n),
                          "day": rng.integers(1, 366, n)})
    table["p_x"] = (0.2 + 0.1 * (table["rating"] == "Liberal") + 0.001 * table["day"]
                    + rng.normal(0, 0.02, n))
    effects = estimate_effects(table, ["p_x"], formula="rating + day")
    by_term = effects.set_index("term")
    assert list(by_term.index) == ["Intercept", "rating[T.Liberal]", "day"]
    assert by_term.loc["rating[T.Liberal]", "estimate"] == pytest.approx(0.1, abs=0.01)
    assert by_term.loc["day", "estimate"] == pytest.approx(0.001, abs=1e-4)
    assert set(by_term["kind"]) == {"intercept", "term"}
    # a spline of day, as stm's s(day): ten columns, named by patsy
    spline = estimate_effects(table, ["p_x"], formula="rating + bs(day, df=10)")
    assert spline["term"].str.startswith("bs(day").sum() == 10


def test_model_gives_lengths_and_alpha() -> None:
    tokens = make_tokens(90)
    model = TopicModel(**FAST).fit(tokens)
    table = model.transform(tokens).drop(columns=["n_tokens"])
    assert model.doc_lengths_.tolist() == tokens["tokens"].map(len).tolist()
    found = estimate_effects(table, formula="outlet", model=model, draws=10)
    by_hand = estimate_effects(table.assign(n_tokens=model.doc_lengths_), formula="outlet",
                               alpha=model.alpha_.tolist(), draws=10)
    pd.testing.assert_frame_equal(found, by_hand)
    with pytest.raises(InputError, match="row 1, field 'doc_id'.*not one of the model's"):
        estimate_effects(table.assign(doc_id="other"), formula="outlet", model=model, draws=5)


def test_formula_errors_are_named() -> None:
    table = pd.DataFrame({"x": [1.0, None, 3.0, 4.0], "p_y": [0.1, 0.2, 0.3, 0.4]})
    with pytest.raises(InputError, match="field 'formula'"):
        estimate_effects(table, ["p_y"], formula="x")
    with pytest.raises(InputError, match="field 'formula'"):
        estimate_effects(table, ["p_y"], formula="nothing_here")
    fitted = PrevalenceRegression(outcomes=["p_y"], formula="p_y").fit(table.fillna(2.0))
    with pytest.raises(InputError, match="outlet-and-time form"):
        fitted.predict_prevalence()


def _training_table(model: TopicModel, tokens: pd.DataFrame) -> pd.DataFrame:
    shares = pd.DataFrame(model.doc_topic_,
                          columns=[f"topic_{k}" for k in range(model.n_topics_)])
    return pd.concat([tokens[["doc_id", "outlet"]], shares], axis=1)


def test_model_keeps_gibbs_states_for_the_draws(tmp_path) -> None:
    tokens = make_tokens(90)
    model = TopicModel(**{**FAST, "posterior_samples": 5}).fit(tokens)
    states = model.doc_topic_count_samples_
    assert states.shape == (5, 90, 3)
    # every state assigns each of a document's tokens to one topic
    assert (states.sum(axis=2) == model.doc_lengths_[None]).all()
    # the states are different draws, the last one is the state doc_topic_ was read from
    assert not (states[0] == states[-1]).all()
    assert (states[-1].argmax(axis=1) == model.doc_topic_.argmax(axis=1)).mean() > 0.95
    again = TopicModel(**{**FAST, "posterior_samples": 5}).fit(tokens)
    np.testing.assert_array_equal(again.doc_topic_count_samples_, states)
    loaded = TopicModel.load(model.save(tmp_path / "bundle"))
    np.testing.assert_array_equal(loaded.doc_topic_count_samples_, states)
    assert TopicModel(**{**FAST, "posterior_samples": 0}).fit(tokens).doc_topic_count_samples_ \
        is None


def test_composition_draws_from_the_saved_states() -> None:
    tokens = make_tokens(90)
    model = TopicModel(**{**FAST, "posterior_samples": 5}).fit(tokens)
    table = _training_table(model, tokens)
    # two states that disagree completely: every token in topic 0, or every token in topic 1;
    # the draws alternate between them, so topic 0's share is ~1 in half the draws, ~0 in the
    # other half: estimate ~0.5 and an interval across both
    lengths = model.doc_lengths_
    split = np.zeros((2, 90, 3), dtype=np.int32)
    split[0, :, 0] = lengths
    split[1, :, 1] = lengths
    model.doc_topic_count_samples_ = split
    effects = estimate_effects(table, ["topic_0"], formula="1", model=model, draws=20)
    row = effects.iloc[0]
    assert row["estimate"] == pytest.approx(0.5, abs=0.02)
    assert row["ci_low"] < 0.05 and row["ci_high"] > 0.95
    # shares that are not the training ones (inferred by transform): one state's counts
    inferred = model.transform(tokens).drop(columns=["n_tokens"])
    by_hand = estimate_effects(inferred.assign(n_tokens=model.doc_lengths_), formula="outlet",
                               alpha=model.alpha_.tolist(), draws=10)
    pd.testing.assert_frame_equal(
        estimate_effects(inferred, formula="outlet", model=model, draws=10), by_hand)


def test_stms_smooth_is_a_ten_df_b_spline() -> None:
    rng = np.random.default_rng(3)
    table = pd.DataFrame({"rating": rng.choice(["C", "L"], 300),
                          "day": rng.integers(1, 366, 300), "p_x": rng.random(300)})
    stm = estimate_effects(table, ["p_x"], formula="rating + s(day)")
    spline = estimate_effects(table, ["p_x"], formula="rating + bs(day, df=10)")
    assert stm["term"].str.startswith("s(day)[").sum() == 10
    np.testing.assert_allclose(stm["estimate"], spline["estimate"])
    # fewer distinct values: df = distinct - 1, as stm's s()
    few = estimate_effects(table.assign(day=table["day"] % 6), ["p_x"], formula="s(day)")
    assert few["term"].str.startswith("s(day)[").sum() == 5
    with pytest.raises(InputError, match="s\\(\\) needs at least 4 distinct values"):
        estimate_effects(table.assign(day=table["day"] % 2), ["p_x"], formula="s(day)")


def test_unknown_formula_name_lists_the_columns() -> None:
    table = pd.DataFrame({"rating": ["C", "L"] * 10, "day": range(20), "topic_0": 0.5,
                          "topic_1": 0.5})
    with pytest.raises(InputError, match="field 'formula'.*names 'dy', which is not a "
                                         "column; the columns are: rating, day$"):
        estimate_effects(table, ["topic_0"], formula="rating + s(dy)")
