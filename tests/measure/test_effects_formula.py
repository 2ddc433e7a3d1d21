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
