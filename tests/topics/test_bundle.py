"""Bundles: save, load, labels that travel, version warnings, broken folders."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import BundleError, StoreExistsError
from framing.topics import BundleVersionWarning, TopicModel
from tests.topics.conftest import FAST

FILES = {"CARD.md", "doc_topic.parquet", "labels.json", "manifest.json", "metrics.json",
         "params.json", "vocabulary.parquet"}


@pytest.mark.parametrize("engine", ["tomotopy", "gensim"])
def test_round_trip_keeps_labels_and_tables(tokens: pd.DataFrame, tmp_path: Path,
                                            engine: str) -> None:
    model = TopicModel(engine=engine, **FAST).fit(tokens)
    model.set_labels({0: "summit diplomacy"})
    folder = model.save(tmp_path / "bundle")
    names = {p.name for p in folder.iterdir()}
    assert FILES <= names and f"model.{engine}" in names
    loaded = TopicModel.load(folder)
    assert loaded.labels_ == ["summit diplomacy", "topic_1", "topic_2"]
    assert loaded.get_params() == model.get_params()
    for name in ("topic_word_", "doc_topic_", "vocabulary_", "word_counts_", "doc_ids_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(model, name))
    for name in ("model_id_", "data_hash_", "log_likelihood_", "perplexity_", "id_column_"):
        assert getattr(loaded, name) == getattr(model, name)
    pd.testing.assert_frame_equal(loaded.transform(tokens), model.transform(tokens))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["data_hash"] == model.data_hash_
    assert manifest["n_documents"] == 60 and manifest["vocabulary_size"] == 24
    assert set(manifest["versions"]) == {"framing", engine, "numpy", "pandas"}
    card = (folder / "CARD.md").read_text()
    assert "| 0 | summit diplomacy |" in card and f"trained by {engine}" in card


def test_save_refuses_to_overwrite(tokens: pd.DataFrame, tmp_path: Path) -> None:
    model = TopicModel(**FAST).fit(tokens)
    model.save(tmp_path / "b")
    with pytest.raises(StoreExistsError, match="pass force=True"):
        model.save(tmp_path / "b")
    model.set_labels({2: "renamed"}).save(tmp_path / "b", force=True)
    assert TopicModel.load(tmp_path / "b").labels_[2] == "renamed"


@pytest.mark.parametrize("library", ["framing", "tomotopy"])
def test_version_mismatch_warns(tokens: pd.DataFrame, tmp_path: Path, library: str) -> None:
    folder = TopicModel(**FAST).fit(tokens).save(tmp_path / "b")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["versions"][library] = "0.0.1"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.warns(BundleVersionWarning, match=rf"written with {library} 0\.0\.1 \(now "):
        loaded = TopicModel.load(folder)
    assert loaded.n_topics_ == 3


@pytest.mark.parametrize(("damage", "message"), [
    (lambda f: (f / "manifest.json").unlink(), r"'manifest.json' is missing"),
    (lambda f: (f / "labels.json").unlink(), r"incomplete bundle, missing labels\.json"),
    (lambda f: (f / "model.tomotopy").write_bytes(b"garbage"),
     r"model\.tomotopy changed since the bundle was written"),
    (lambda f: (f / "manifest.json").write_text("{"), r"manifest\.json: unreadable"),
    (lambda f: (f / "manifest.json").write_text('{"format": "other"}'),
     r"not a TopicModel bundle"),
])
def test_broken_bundles_raise(tokens: pd.DataFrame, tmp_path: Path, damage,
                              message: str) -> None:
    folder = TopicModel(**FAST).fit(tokens).save(tmp_path / "b")
    damage(folder)
    with pytest.raises(BundleError, match=message):
        TopicModel.load(folder)


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"nothing: no topic model bundle here"):
        TopicModel.load(tmp_path / "nothing")
