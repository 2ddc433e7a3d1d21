"""Frame model bundles: round trip, card, hashes, tampering and version warnings."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing
from framing.corpus import BundleError, NotFittedError, StoreExistsError
from framing.frames import (
    FrameBundleVersionWarning,
    FrameClassifier,
    embeddings_available,
    evaluate_frames,
    load_codebook,
    load_frame_model,
    save_frame_model,
)

FRAMES = ("peacemaker", "isolationist", "skeptic")
CUES = {"peacemaker": "Trump vowed to broker a peace deal",
        "isolationist": "Trump said Europe must pay its share",
        "skeptic": "Trump doubted the aid would work"}


@pytest.fixture(scope="module")
def passages() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for i in range(48):
        on = {f: int(rng.random() < 0.45) for f in FRAMES}
        text = ". ".join([CUES[f] for f in FRAMES if on[f]] or ["Talks went on"]) + f". Day {i}."
        rows.append({"doc_id": f"d{i // 2}", "outlet": "AB"[i % 2], "text": text, **on})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def model(passages) -> FrameClassifier:
    return FrameClassifier(features="tfidf", char_ngrams=False, min_df=1).fit(passages)


def test_round_trip_predicts_the_same(tmp_path, model, passages) -> None:
    folder = save_frame_model(model, tmp_path / "bundle")
    loaded = load_frame_model(folder)
    pd.testing.assert_frame_equal(loaded.predict(passages), model.predict(passages))
    assert loaded.get_params() == model.get_params()
    assert loaded.thresholds_ == model.thresholds_
    assert sorted(p.name for p in folder.iterdir()) == [
        "CARD.md", "codebook.yaml", "manifest.json", "metrics.json", "model.pkl",
        "params.json", "thresholds.json"]


def test_manifest_records_hashes_counts_and_versions(tmp_path, model, passages) -> None:
    folder = save_frame_model(model, tmp_path / "bundle")
    manifest = json.loads((folder / "manifest.json").read_text())
    codebook = load_codebook()
    assert manifest["codebook"] == {"name": codebook.name, "version": codebook.version,
                                    "sha256": codebook.sha256}
    assert (folder / "codebook.yaml").read_bytes() == Path(codebook.path).read_bytes()
    assert manifest["training"]["sha256"] == model.training_sha256_
    assert manifest["training"]["n_passages"] == 48
    assert manifest["training"]["n_positive"] == {f: int(passages[f].sum()) for f in FRAMES}
    assert manifest["versions"]["framing"] == framing.__version__
    assert "scikit-learn" in manifest["versions"]
    assert manifest["features"] == "tfidf" and manifest["embedding"] is None
    assert manifest["seeds"] == {"random_state": 0}
    card = (folder / "CARD.md").read_text()
    assert model.model_id_ in card and codebook.sha256 in card
    assert model.training_sha256_ in card
    assert f"| skeptic | {int(passages['skeptic'].sum())} |" in card


def test_training_hash_follows_the_data(model, passages) -> None:
    flipped = passages.copy()
    flipped.loc[0, "skeptic"] = 1 - flipped.loc[0, "skeptic"]
    other = FrameClassifier(features="tfidf", char_ngrams=False, min_df=1).fit(flipped)
    assert other.training_sha256_ != model.training_sha256_
    assert other.model_id_ != model.model_id_


def test_metrics_go_to_the_json_and_the_card(tmp_path, passages) -> None:
    classifier = FrameClassifier(features="tfidf", char_ngrams=False, min_df=1)
    report = evaluate_frames(classifier, passages, n_splits=3, schemes=("grouped",),
                             baselines=("lexicon",))
    folder = save_frame_model(classifier.fit(passages), tmp_path / "b", metrics=report)
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["summary"][0]["macro_f1"] == pytest.approx(report.macro_f1("grouped"))
    assert "| grouped | " in (folder / "CARD.md").read_text()
    assert load_frame_model(folder).bundle_metrics_ == metrics


def test_existing_folder_needs_force(tmp_path, model) -> None:
    folder = save_frame_model(model, tmp_path / "bundle")
    with pytest.raises(StoreExistsError, match="force=True"):
        save_frame_model(model, folder)
    save_frame_model(model, folder, force=True)


def test_unfitted_model_is_refused(tmp_path) -> None:
    with pytest.raises(NotFittedError, match="save_frame_model"):
        save_frame_model(FrameClassifier(), tmp_path / "bundle")


def test_tampered_or_incomplete_bundles(tmp_path, model) -> None:
    folder = save_frame_model(model, tmp_path / "bundle")
    (folder / "thresholds.json").write_text("{}")
    with pytest.raises(BundleError, match=r"thresholds\.json changed since"):
        load_frame_model(folder)
    folder = save_frame_model(model, tmp_path / "bundle", force=True)
    (folder / "model.pkl").unlink()
    with pytest.raises(BundleError, match=r"incomplete bundle, missing model\.pkl"):
        load_frame_model(folder)
    with pytest.raises(BundleError, match=r"not a folder"):
        load_frame_model(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BundleError, match=r"'manifest\.json' is missing"):
        load_frame_model(tmp_path / "empty")


def test_other_versions_warn(tmp_path, model, passages) -> None:
    folder = save_frame_model(model, tmp_path / "bundle")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["versions"]["framing"] = "0.0.1"
    manifest["versions"]["scikit-learn"] = "0.24.0"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.warns(FrameBundleVersionWarning,
                      match=r"framing 0\.0\.1 \(now .*\), scikit-learn 0\.24\.0"):
        loaded = load_frame_model(folder)
    pd.testing.assert_frame_equal(loaded.predict(passages), model.predict(passages))
    manifest["bundle_version"] = 99
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match=r"layout 99 is not readable"):
        load_frame_model(folder)


def test_same_version_does_not_warn(tmp_path, model) -> None:
    folder = save_frame_model(model, tmp_path / "bundle")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_frame_model(folder)


@pytest.mark.skipif(not embeddings_available(), reason="framing[embeddings] not installed")
def test_embedding_model_bundle(tmp_path, passages, embedding_cache) -> None:
    model = FrameClassifier(features="both", char_ngrams=False, min_df=1,
                            embedding_cache=embedding_cache).fit(passages)
    folder = save_frame_model(model, tmp_path / "bundle")
    assert (folder / "model.pkl").stat().st_size < 2_000_000  # no transformer weights inside
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["features"] == "both"
    assert len(manifest["embedding"]["fingerprint"]) == 16
    assert "sentence-transformers" in manifest["versions"]
    loaded = load_frame_model(folder)
    pd.testing.assert_frame_equal(loaded.predict(passages), model.predict(passages))
    manifest["embedding"]["fingerprint"] = "0" * 16
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match=r"embedding model now found \(\w{16}\) is not the "
                                          r"one the classifier was trained with \(0{16}\)"):
        load_frame_model(folder)
