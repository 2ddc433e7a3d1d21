"""Numeric covariates in the fit: tomotopy's g-DMR (a smooth of time, or any number)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.topics import TopicModel
from tests.topics.conftest import FAST, WORDS


def drifting_tokens(n_documents: int = 90, seed: int = 5) -> pd.DataFrame:
    """War words early, money words late: the topic's prevalence follows the date."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_documents):
        late = i / (n_documents - 1)
        group = "money" if rng.random() < late else "war"
        tokens = list(rng.choice(WORDS[group], size=20)) + list(rng.choice(WORDS["vote"], 5))
        rows.append({"doc_id": f"d{i:03d}", "outlet": ["A", "B"][i % 2],
                     "date": pd.Timestamp("2024-01-01") + pd.Timedelta(days=4 * i),
                     "score": float(i), "tokens": [str(t) for t in tokens]})
    return pd.DataFrame(rows)


def fit(**params) -> TopicModel:
    return TopicModel(**{**FAST, "kind": "dmr", "covariates": (), "n_iterations": 200,
                         **params}).fit(drifting_tokens())


def test_the_prior_follows_the_date() -> None:
    model = fit(numeric_covariates=("date",), degree=2)
    assert type(model.engine_model_).__name__ == "GDMRModel"
    war = [k for k in range(3) if model.vocabulary_[model.topic_word_[k].argmax()]
           in WORDS["war"]]
    assert len(war) == 1
    early, late = drifting_tokens().iloc[[0, -1]].assign(tokens=[[], []]).pipe(
        model.transform)[[f"topic_{k}" for k in range(3)]].to_numpy()
    assert early[war[0]] > late[war[0]] + 0.2  # the prior alone (no words) moves with time
    assert model.alpha_.shape == (3,) and (model.alpha_ > 0).all()


def test_numeric_and_categorical_together_and_a_bundle(tmp_path) -> None:
    model = fit(numeric_covariates=("score",), covariates=("outlet",))
    assert sorted(model.engine_model_.multi_metadata_dict) == ["outlet=A", "outlet=B"]
    table = model.transform(drifting_tokens().iloc[:5])
    loaded = TopicModel.load(model.save(tmp_path / "bundle"))
    assert loaded.numeric_covariates == ("score",)
    pd.testing.assert_frame_equal(loaded.transform(drifting_tokens().iloc[:5]), table)


def test_bad_numeric_covariates() -> None:
    tokens = drifting_tokens()
    with pytest.raises(InputError, match=r"row 3, field 'score': 1 row\(s\) have no value or "
                                         r"not a number, e.g. 'n/a'"):
        TopicModel(**FAST, kind="dmr", numeric_covariates=("score",), covariates=()).fit(
            tokens.assign(score=[0.0, 1.0, "n/a"] + [2.0] * 87))
    with pytest.raises(InputError, match=r"field 'size': the table has no 'size' column"):
        TopicModel(**FAST, kind="dmr", numeric_covariates=("size",)).fit(tokens)
    with pytest.raises(InputError, match=r"either categorical or numeric: \['outlet'\]"):
        TopicModel(**FAST, kind="dmr", numeric_covariates=("outlet",)).fit(tokens)
    with pytest.raises(InputError, match=r"field 'outlet': a numeric covariate must hold"):
        TopicModel(**FAST, kind="dmr", numeric_covariates=("outlet",), covariates=()).fit(
            tokens.assign(outlet=tokens["outlet"].astype("category")))
