"""The ``embeddings`` progress bar: counts the passages encoded, silent unless asked for."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from framing.frames import FrameClassifier, SentenceEmbedder, _embeddings, embedding_progress


class _FakeStaticModel:
    """A model2vec stand-in: a vector per text from its hash (no model is loaded)."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], **kwargs) -> np.ndarray:
        self.encoded.extend(texts)
        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        vectors = np.vstack([np.random.default_rng(s).normal(size=8) for s in seeds])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> _FakeStaticModel:
    model = _FakeStaticModel()

    def fit(self: SentenceEmbedder, X=None, y=None) -> SentenceEmbedder:
        self.model_path_, self.fingerprint_, self.static_ = "fake", "fake-progress", True
        self.precision_, self.dimension_, self.n_computed_ = "float32", 8, 0
        self.cache_name_ = self.fingerprint_
        return self

    monkeypatch.setattr(SentenceEmbedder, "fit", fit)
    monkeypatch.setattr(_embeddings, "_load_model", lambda path: model)
    monkeypatch.setattr(_embeddings, "_SHARD_SIZE", 7)  # several shards: the bar adds them up
    _embeddings.clear_memory_cache()
    yield model
    _embeddings.clear_memory_cache()


def _toy() -> pd.DataFrame:
    cues = {"peacemaker": "Trump vowed to broker a peace deal.",
            "isolationist": "Trump said Europe must pay its share.",
            "skeptic": "Trump doubted the aid would work."}
    return pd.DataFrame([{"doc_id": f"d{i}", "text": cues[f] + f" Day {i}.",
                          **{g: int(g == f) for g in cues}}
                         for i, f in enumerate(list(cues) * 10)])


def _final_count(stderr: str) -> tuple[int, int]:
    counts = re.findall(r"embeddings: +\d+%\|[^|]*\| *(\d+)/(\d+)", stderr)
    assert counts, f"no embeddings bar in {stderr!r}"
    done, total = counts[-1]
    return int(done), int(total)


def test_the_bar_counts_the_passages_encoded_and_only_those(fake_model, capsys) -> None:
    texts = [f"passage {i}" for i in range(20)]
    embedder = SentenceEmbedder().fit()
    with embedding_progress():
        embedder.transform(texts[:12] + texts[:3])  # 12 new texts, 3 repeated
    assert _final_count(capsys.readouterr().err) == (12, 12) == (embedder.n_computed_, 12)
    with embedding_progress():
        embedder.transform(texts)  # 12 cached, 8 new
    assert _final_count(capsys.readouterr().err) == (8, 8)
    with embedding_progress():
        embedder.transform(texts)  # all cached: no bar at all
    assert "embeddings" not in capsys.readouterr().err
    assert len(fake_model.encoded) == 20


def test_fit_shows_the_bar_and_quiet_shows_nothing(fake_model, capsys) -> None:
    passages = _toy()
    frames = ["peacemaker", "isolationist", "skeptic"]
    quiet = FrameClassifier(features="embeddings").fit(
        passages.drop(columns=frames), passages[frames])
    assert capsys.readouterr().err == ""
    n_quiet = len(fake_model.encoded)
    _embeddings.clear_memory_cache()
    shown = FrameClassifier(features="embeddings").fit(
        passages.drop(columns=frames), passages[frames], progress=True)
    stderr = capsys.readouterr().err
    n_shown = len(fake_model.encoded) - n_quiet
    assert n_shown == n_quiet > len(passages) - 1  # the passages and the codebook's examples
    assert _final_count(stderr) == (n_shown, n_shown)
    pd.testing.assert_frame_equal(quiet.predict(passages), shown.predict(passages))
    # progress=False inside a block that shows bars leaves the block's choice alone (as in
    # the folds of an evaluation)
    _embeddings.clear_memory_cache()
    with embedding_progress():
        FrameClassifier(features="embeddings").fit(passages.drop(columns=frames),
                                                   passages[frames], progress=False)
    assert _final_count(capsys.readouterr().err) == (n_shown, n_shown)
