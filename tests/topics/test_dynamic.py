"""DynamicTopicModel: topics over periods, seeded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import BundleError, InputError, NotFittedError, StoreExistsError
from framing.topics import BundleVersionWarning, DynamicTopicModel, TopicModel, topic_similarity
from tests.topics.conftest import make_tokens

FAST = {"n_topics": 3, "period": "year", "n_iterations": 100, "n_infer_iterations": 30,
        "min_df": 1}


@pytest.fixture(scope="module")
def tokens() -> pd.DataFrame:
    return make_tokens(180)  # every 5 days from 2025-01-01: 2025, 2026, 2027


@pytest.fixture(scope="module")
def model(tokens: pd.DataFrame) -> DynamicTopicModel:
    return DynamicTopicModel(**FAST).fit(tokens)


def test_fitted_state(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    assert model.periods_ == ["2025", "2026", "2027"]
    assert model.n_documents_by_period_ == [73, 73, 34]
    assert model.topic_word_.shape == (3, 3, 24)
    np.testing.assert_allclose(model.topic_word_.sum(axis=2), 1.0)
    assert model.doc_topic_.shape == (180, 3)
    assert model.model_id_.startswith("dtm-") and not any(
        name.endswith("_") for name in vars(DynamicTopicModel()))


def test_topics_keep_their_identity_over_periods(model: DynamicTopicModel,
                                                 tokens: pd.DataFrame) -> None:
    # the three planted word groups are three topics...
    crosstab = pd.crosstab(tokens["section"], model.doc_topic_.argmax(axis=1))
    assert crosstab.shape == (3, 3) and (crosstab.max(axis=1) >= 55).all()
    # ...and a topic's words stay close to its own words of the period before
    for t in range(len(model.periods_) - 1):
        cosine = topic_similarity(model.topic_word_[t], model.topic_word_[t + 1])
        assert (cosine.argmax(axis=1) == [0, 1, 2]).all()
        assert (np.diag(cosine) > 0.9).all()


def test_transform_and_determinism(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    table = model.transform(tokens)
    assert list(table.columns) == ["doc_id", "outlet", "date", "section", "n_tokens", "period",
                                   "topic_0", "topic_1", "topic_2", "model_id"]
    np.testing.assert_allclose(table[["topic_0", "topic_1", "topic_2"]].sum(axis=1), 1.0)
    again = DynamicTopicModel(**FAST).fit(tokens).transform(tokens)
    assert again.to_csv().encode() == table.to_csv().encode()
    other = DynamicTopicModel(**FAST, random_state=1).fit(tokens)
    assert not np.allclose(other.topic_word_, model.topic_word_)
    words = model.top_words_by_period(n=4)
    assert words.to_csv() == DynamicTopicModel(**FAST).fit(tokens).top_words_by_period(
        n=4).to_csv()


def test_top_words_and_trajectories(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    words = model.top_words_by_period(n=4)
    assert list(words.columns) == ["period", "topic", "label", "rank", "word", "probability"]
    assert len(words) == 3 * 3 * 4
    assert words["period"].unique().tolist() == model.periods_
    first = words[(words["period"] == "2025") & (words["topic"] == 0)]
    assert first["probability"].is_monotonic_decreasing
    paths = model.word_trajectories(["tank", "ballot"])
    assert len(paths) == 3 * 3 * 2
    value = paths[(paths["period"] == "2027") & (paths["topic"] == 1) & (
        paths["word"] == "tank")]["probability"].item()
    index = model.vocabulary_.tolist().index("tank")
    assert value == model.topic_word_[2, 1, index]
    # probabilities follow the topic's own group: "tank" is a war word
    war = model.doc_topic_[tokens["section"].to_numpy() == "war"].mean(axis=0).argmax()
    assert (model.topic_word_[:, war, index] > 0.08).all()
    with pytest.raises(InputError, match=r"not in the model's vocabulary: \['peace'\]"):
        model.word_trajectories(["peace"])


def test_labels_travel(tokens: pd.DataFrame) -> None:
    model = DynamicTopicModel(**FAST).fit(tokens).set_labels({1: "polls"})
    assert model.top_words_by_period(n=1)["label"].tolist()[:3] == ["topic_0", "polls",
                                                                    "topic_2"]
    assert model.transform(tokens.iloc[:3]).attrs["topic_labels"][1] == "polls"


def test_errors(model: DynamicTopicModel, tokens: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"field 'date': period\(s\) \['2030'\] are not"):
        model.transform(tokens.iloc[:2].assign(date=pd.Timestamp("2030-02-01")))
    with pytest.raises(NotFittedError, match=r"not fitted yet.*'transform'"):
        DynamicTopicModel().transform(tokens)
    with pytest.raises(InputError, match=r"The 'period' parameter of DynamicTopicModel"):
        DynamicTopicModel(period="week").fit(tokens)
    with pytest.raises(InputError, match=r"The 'phi_var' parameter .* float > 0"):
        DynamicTopicModel(phi_var=0.0).fit(tokens)
    with pytest.raises(InputError, match=r"field 'date'"):
        DynamicTopicModel(**FAST).fit(tokens.drop(columns=["date"]))


# -- bundles -------------------------------------------------------------------------------


def test_bundle_round_trip(model: DynamicTopicModel, tokens: pd.DataFrame,
                           tmp_path: Path) -> None:
    labelled = DynamicTopicModel(**FAST).fit(tokens).set_labels({1: "polls"})
    folder = labelled.save(tmp_path / "dtm")
    assert {p.name for p in folder.iterdir()} == {
        "CARD.md", "doc_topic.parquet", "labels.json", "manifest.json", "metrics.json",
        "model.tomotopy", "params.json", "periods.json", "vocabulary.parquet"}
    loaded = DynamicTopicModel.load(folder)
    assert loaded.get_params() == labelled.get_params()
    assert loaded.periods_ == ["2025", "2026", "2027"] and loaded.labels_[1] == "polls"
    assert loaded.n_documents_by_period_ == [73, 73, 34]
    for name in ("topic_word_", "doc_topic_", "vocabulary_", "word_counts_", "doc_ids_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(labelled, name))
    for name in ("model_id_", "data_hash_", "log_likelihood_", "id_column_"):
        assert getattr(loaded, name) == getattr(labelled, name)
    # the loaded model infers the same shares, to the byte, as the one that was saved
    assert loaded.transform(tokens).to_csv() == labelled.transform(tokens).to_csv()
    assert loaded.top_words_by_period(n=5).equals(labelled.top_words_by_period(n=5))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "framing.topics.DynamicTopicModel"
    assert manifest["periods"] == loaded.periods_ and manifest["n_documents"] == 180
    card = (folder / "CARD.md").read_text()
    assert "K = 3 topics over 3 year periods (2025 to 2027)" in card
    assert "| 1 | polls |" in card and "2025: 73, 2026: 73, 2027: 34" in card


def test_bundle_refuses_to_overwrite_and_needs_a_fit(model: DynamicTopicModel,
                                                    tmp_path: Path) -> None:
    model.save(tmp_path / "dtm")
    with pytest.raises(StoreExistsError, match="pass force=True"):
        model.save(tmp_path / "dtm")
    assert model.save(tmp_path / "dtm", force=True) == tmp_path / "dtm"
    with pytest.raises(NotFittedError, match=r"not fitted yet.*'save'"):
        DynamicTopicModel().save(tmp_path / "other")


def test_bundle_version_mismatch_warns(model: DynamicTopicModel, tmp_path: Path) -> None:
    folder = model.save(tmp_path / "dtm")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["versions"]["tomotopy"] = "0.0.1"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.warns(BundleVersionWarning, match=r"dtm: bundle written with tomotopy 0\.0\.1"):
        loaded = DynamicTopicModel.load(folder)
    assert loaded.periods_ == model.periods_


def _rewrite_json(path: Path, change) -> None:
    path.write_text(json.dumps(change(json.loads(path.read_text()))))


@pytest.mark.parametrize(("damage", "message"), [
    (lambda f: (f / "model.tomotopy").write_bytes(b"garbage"),
     r"dtm: model\.tomotopy changed since the bundle was written"),
    (lambda f: _rewrite_json(f / "periods.json", lambda p: p[::-1]),
     r"dtm: periods\.json changed since the bundle was written"),
    (lambda f: (f / "doc_topic.parquet").unlink(),
     r"dtm: incomplete bundle, missing doc_topic\.parquet"),
    (lambda f: _rewrite_json(f / "manifest.json",
                             lambda m: {**m, "files": {k: v for k, v in m["files"].items()
                                                       if k != "periods.json"}}),
     r"dtm: incomplete bundle, missing periods\.json"),
    (lambda f: _rewrite_json(f / "manifest.json",
                             lambda m: {**m, "format": "framing.topics.TopicModel"}),
     r"dtm: not a DynamicTopicModel bundle \(format 'framing\.topics\.TopicModel'\)"),
])
def test_tampered_bundle_raises_naming_the_file(model: DynamicTopicModel, tmp_path: Path,
                                                damage, message: str) -> None:
    folder = model.save(tmp_path / "dtm")
    damage(folder)
    with pytest.raises(BundleError, match=message):
        DynamicTopicModel.load(folder)


def test_bundle_kinds_do_not_mix(model: DynamicTopicModel, tokens: pd.DataFrame,
                                 tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"not a TopicModel bundle \(format "
                                          r"'framing\.topics\.DynamicTopicModel'\)"):
        TopicModel.load(model.save(tmp_path / "dtm"))
    flat = TopicModel(n_topics=3, n_iterations=20, min_df=1).fit(tokens).save(tmp_path / "tm")
    with pytest.raises(BundleError, match=r"not a DynamicTopicModel bundle"):
        DynamicTopicModel.load(flat)
