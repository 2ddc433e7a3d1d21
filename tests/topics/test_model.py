"""TopicModel: parameters, fitting, transforming, seeds and labels on both engines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError, NotFittedError
from framing.topics import TopicModel
from tests.topics.conftest import FAST

ENGINES = ["tomotopy", "gensim"]


def topic_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c.startswith("topic_")]


@pytest.mark.parametrize(("params", "message"), [
    ({"n_topics": 1}, r"The 'n_topics' parameter of TopicModel must be an int in the range "
                      r"\[2, 500\]\. Got 1 instead\."),
    ({"engine": "mallet"}, r"The 'engine' parameter of TopicModel must be one of 'gensim', "
                           r"'tomotopy'\. Got 'mallet' instead\."),
    ({"kind": "stm"}, r"The 'kind' parameter .* Got 'stm' instead"),
    ({"alpha": 0.0}, r"The 'alpha' parameter of TopicModel must be a float > 0\. Got 0\.0"),
    ({"max_df_share": 1.5}, r"The 'max_df_share' parameter .* \[0\.0, 1\.0\]\. Got 1\.5"),
    ({"random_state": None}, r"The 'random_state' parameter .* Got None instead"),
    ({"n_jobs": 0}, r"The 'n_jobs' parameter .* Got 0 instead"),
    ({"covariates": "outlet"}, r"The 'covariates' parameter .* Got 'outlet' instead"),
    ({"covariates": [1]}, r"The 'covariates' parameter of TopicModel must contain only str"),
    ({"engine": "gensim", "kind": "dmr"}, r"'dmr' only with engine='tomotopy'"),
    ({"kind": "dmr", "covariates": ()}, r"at least one covariate when kind='dmr'"),
    ({"engine": "gensim", "n_jobs": 2}, r"'optimize_alpha' parameter .* must be False"),
    ({"term_weight": "bm25"}, r"The 'term_weight' parameter of TopicModel must be one of "
                              r"'idf', 'one', 'pmi'\. Got 'bm25' instead\."),
    ({"engine": "gensim", "term_weight": "pmi"},
     r"The 'term_weight' parameter of TopicModel must be 'one' with engine='gensim'\. "
     r"Got 'pmi' instead\."),
])
def test_invalid_parameters_raise_in_fit(tokens: pd.DataFrame, params: dict,
                                         message: str) -> None:
    model = TopicModel(**params)  # __init__ never validates
    with pytest.raises(InputError, match=message):
        model.fit(tokens)


def test_unknown_parameter_in_set_params() -> None:
    with pytest.raises(ValueError, match=r"Invalid parameter 'k' for estimator TopicModel"):
        TopicModel().set_params(k=3)


@pytest.mark.parametrize("method", ["transform", "set_labels", "save"])
def test_not_fitted(tokens: pd.DataFrame, tmp_path, method: str) -> None:
    arguments = {"transform": (tokens,), "set_labels": ({0: "x"},), "save": (tmp_path / "b",)}
    with pytest.raises(NotFittedError, match=f"not fitted yet.*'{method}'"):
        getattr(TopicModel(), method)(*arguments[method])


def test_clone_round_trip() -> None:
    model = TopicModel(n_topics=7, engine="gensim", passes=2, covariates=["outlet"])
    clone = TopicModel(**model.get_params())
    assert clone.get_params() == model.get_params()
    assert repr(clone) == "TopicModel(covariates=['outlet'], engine='gensim', n_topics=7, passes=2)"
    assert TopicModel().set_params(n_topics=4).n_topics == 4
    assert not any(name.endswith("_") for name in vars(TopicModel()))


@pytest.mark.parametrize("engine", ENGINES)
def test_fitted_attributes(tokens: pd.DataFrame, engine: str) -> None:
    model = TopicModel(engine=engine, **FAST).fit(tokens)
    assert model.n_topics_ == 3
    assert model.topic_word_.shape == (3, 24)
    np.testing.assert_allclose(model.topic_word_.sum(axis=1), 1.0)
    assert list(model.vocabulary_) == sorted(model.vocabulary_)
    assert model.word_counts_.sum() == tokens["n_tokens"].sum()
    assert model.doc_topic_.shape == (60, 3)
    np.testing.assert_allclose(model.doc_topic_.sum(axis=1), 1.0)
    assert list(model.doc_ids_) == list(tokens["doc_id"])
    assert model.labels_ == ["topic_0", "topic_1", "topic_2"]
    assert len(model.data_hash_) == 64 and model.model_id_.startswith("tm-")
    assert np.isfinite(model.log_likelihood_) and model.perplexity_ > 1


@pytest.mark.parametrize("engine", ENGINES)
def test_fit_is_idempotent(tokens: pd.DataFrame, engine: str) -> None:
    once = TopicModel(engine=engine, **FAST).fit(tokens)
    twice = TopicModel(engine=engine, **FAST).fit(tokens).fit(tokens)
    np.testing.assert_array_equal(once.topic_word_, twice.topic_word_)
    pd.testing.assert_frame_equal(once.transform(tokens), twice.transform(tokens))


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_same_bytes_other_seed_differs(tokens: pd.DataFrame, engine: str) -> None:
    tables = [TopicModel(engine=engine, random_state=seed, **FAST).fit(tokens).transform(tokens)
              for seed in (0, 0, 1)]
    assert tables[0].to_csv().encode() == tables[1].to_csv().encode()
    assert not np.allclose(tables[0][topic_columns(tables[0])],
                           tables[2][topic_columns(tables[2])])


@pytest.mark.parametrize("engine", ENGINES)
def test_transform_keeps_metadata_order_and_sums_to_one(tokens: pd.DataFrame,
                                                        engine: str) -> None:
    model = TopicModel(engine=engine, **FAST).fit(tokens)
    shuffled = tokens.sample(frac=1.0, random_state=3)
    table = model.transform(shuffled)
    assert list(table.columns) == [
        "doc_id", "outlet", "date", "section", "n_tokens", "topic_0", "topic_1", "topic_2",
        "model_id"]
    assert table.index.equals(shuffled.index)
    pd.testing.assert_frame_equal(table[["doc_id", "outlet", "date", "section", "n_tokens"]],
                                  shuffled.drop(columns=["tokens"]))
    np.testing.assert_allclose(table[topic_columns(table)].sum(axis=1), 1.0)
    assert set(table["model_id"]) == {model.model_id_}
    # a row's shares do not depend on the other rows
    alone = model.transform(shuffled.iloc[[5]])
    np.testing.assert_array_equal(alone[topic_columns(alone)].to_numpy(),
                                  table[topic_columns(table)].iloc[[5]].to_numpy())


@pytest.mark.parametrize("engine", ENGINES)
def test_topics_separate_the_word_groups(tokens: pd.DataFrame, engine: str) -> None:
    model = TopicModel(engine=engine, **FAST).fit(tokens)
    main = model.transform(tokens)[["topic_0", "topic_1", "topic_2"]].to_numpy().argmax(axis=1)
    crosstab = pd.crosstab(tokens["section"], main)
    assert (crosstab.max(axis=1) >= 18).all() and crosstab.shape == (3, 3)


def test_documents_without_known_words_get_the_prior(tokens: pd.DataFrame) -> None:
    model = TopicModel(**FAST).fit(tokens)
    new = tokens.iloc[:2].assign(tokens=[[], ["unseen", "words"]])
    shares = model.transform(new)[["topic_0", "topic_1", "topic_2"]].to_numpy()
    expected = model.engine_model_.alpha / model.engine_model_.alpha.sum()
    np.testing.assert_allclose(shares, [expected, expected], rtol=1e-6)


def test_dmr_with_outlet_and_period(tokens: pd.DataFrame) -> None:
    model = TopicModel(kind="dmr", period="quarter", **FAST).fit(tokens)
    assert sorted(model.engine_model_.multi_metadata_dict) == sorted([
        "outlet=A", "outlet=B", "period=2025Q1", "period=2025Q2", "period=2025Q3",
        "period=2025Q4"])
    later = tokens.iloc[:3].assign(date=pd.Timestamp("2027-06-01"), outlet="C")
    table = model.transform(later)  # unseen covariate values: the baseline prior
    np.testing.assert_allclose(table[["topic_0", "topic_1", "topic_2"]].sum(axis=1), 1.0)


def test_dmr_needs_its_covariate_columns(tokens: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"field 'date': the 'period' covariate"):
        TopicModel(kind="dmr", **FAST).fit(tokens.drop(columns=["date"]))
    with pytest.raises(InputError, match=r"field 'outlet': 1 row\(s\) have no value"):
        TopicModel(kind="dmr", **FAST).fit(tokens.assign(
            outlet=["A", None] + ["B"] * 58))


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.drop(columns=["tokens"]), r"field 'tokens': the table has no 'tokens'"),
    (lambda t: t.drop(columns=["doc_id"]), r"neither a 'passage_id' nor a 'doc_id'"),
    (lambda t: t.assign(doc_id="same"), r"field 'doc_id': 59 repeated value\(s\)"),
    (lambda t: t.assign(tokens="a b"), r"row 1, field 'tokens': expected a list of tokens"),
    (lambda t: t.assign(topic_0=0.5), r"field 'topic_0': the table already has"),
])
def test_bad_tables(tokens: pd.DataFrame, change, message: str) -> None:
    model = TopicModel(**FAST).fit(tokens)
    with pytest.raises(InputError, match=message):
        model.transform(change(tokens))


def test_no_word_left_after_pruning(tokens: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"no word is left after pruning \(min_df=100"):
        TopicModel(**{**FAST, "min_df": 100}).fit(tokens)


def test_passage_id_is_the_default_key(tokens: pd.DataFrame) -> None:
    passages = tokens.assign(passage_id=tokens["doc_id"] + ":0")
    model = TopicModel(**FAST).fit(passages)
    assert model.id_column_ == "passage_id"
    assert model.doc_ids_[0] == "d000:0"


def test_set_labels(tokens: pd.DataFrame) -> None:
    model = TopicModel(**FAST).fit(tokens)
    assert model.set_labels({1: " summit diplomacy "}) is model
    assert model.labels_ == ["topic_0", "summit diplomacy", "topic_2"]
    model.set_labels(["a", "b", "c"])
    assert model.labels_ == ["a", "b", "c"]
    with pytest.raises(InputError, match=r"unknown topic 3; topics are 0 to 2"):
        model.set_labels({3: "x"})
    with pytest.raises(InputError, match=r"labels must be unique; repeated: \['a'\]"):
        model.set_labels({1: "a"})
    with pytest.raises(InputError, match=r"expected 3 labels, got 2"):
        model.set_labels(["a", "b"])
    with pytest.raises(InputError, match=r"must be a non-empty str"):
        model.set_labels({0: ""})
    assert model.labels_ == ["a", "b", "c"]


@pytest.mark.parametrize("weight", ["idf", "pmi"])
def test_term_weighting(tokens: pd.DataFrame, tmp_path, weight: str) -> None:
    plain = TopicModel(**FAST).fit(tokens)
    model = TopicModel(term_weight=weight, **FAST).fit(tokens)
    # the weighting reaches tomotopy: other topic-word weights, another model id...
    assert not np.allclose(model.topic_word_, plain.topic_word_)
    assert model.model_id_ != plain.model_id_
    # ...and still separates the three planted word groups
    main = model.transform(tokens)[["topic_0", "topic_1", "topic_2"]].to_numpy().argmax(axis=1)
    crosstab = pd.crosstab(tokens["section"], main)
    assert (crosstab.max(axis=1) >= 18).all() and crosstab.shape == (3, 3)
    again = TopicModel(term_weight=weight, **FAST).fit(tokens)
    assert again.transform(tokens).to_csv() == model.transform(tokens).to_csv()
    folder = model.save(tmp_path / "b")
    assert f"term weighting: {weight}." in (folder / "CARD.md").read_text()
    loaded = TopicModel.load(folder)
    assert loaded.term_weight == weight and loaded.fit_params_["term_weight"] == weight
    assert loaded.transform(tokens).to_csv() == model.transform(tokens).to_csv()
