"""Static embeddings (framing[static]): distilled offline, once, atomically; fast and exact.

The distillation runs for real, on a tiny randomly initialised BERT written to a temp folder
(seconds), so the tests need no download and no minutes-long MiniLM distillation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.frames import FrameClassifier
from framing.frames._embeddings import (
    SentenceEmbedder,
    clear_memory_cache,
    embeddings_available,
    resolve_model_path,
)
from framing.frames._static_model import (
    STATIC_MODEL,
    _source_key,
    is_static_model,
    static_model_path,
)

model2vec = pytest.importorskip("model2vec", reason="the framing[static] extra is not installed")
pytest.importorskip("skeletoken", reason="the framing[static] extra is not installed")
transformers = pytest.importorskip("transformers", reason="the embeddings extra is not installed")

WORDS = ("trump putin zelensky peace deal ceasefire talks war ukraine russia broker end "
         "sanctions aid weapons america first tariffs alaska summit plan vowed met said the "
         "a to of in and he his will").split()


def _tiny_bert(folder: Path) -> Path:
    import torch

    folder.mkdir(parents=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *(f"##{c}" for c in "aeiost")]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    wordpiece = Tokenizer(models.WordPiece({token: n for n, token in enumerate(vocab)},
                                           unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=True)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wordpiece.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    transformers.BertTokenizerFast(
        tokenizer_object=wordpiece, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]").save_pretrained(folder)
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32,
                                     max_position_embeddings=64)
    transformers.BertModel(config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_static(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("static")
    source = _tiny_bert(root / "tiny-bert")
    return source, static_model_path(source, dimensions=8, folder=root / "models",
                                     name="tiny-static")


def test_distilled_once_into_a_keyed_folder(tiny_static, monkeypatch):
    source, path = tiny_static
    assert path.name == "tiny-static" and is_static_model(path)
    assert path.parent.name == _source_key(source, 8)
    assert (path.parent / "tiny-static.complete").is_file()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no staging left

    def no_second_distillation(*args, **kwargs):
        raise AssertionError("distilled twice")

    monkeypatch.setattr("model2vec.distill.distillation.distill_from_model",
                        no_second_distillation)
    assert static_model_path(source, dimensions=8, folder=path.parent.parent,
                             name="tiny-static") == path
    # Other settings are another model, in another folder.
    assert _source_key(source, 4) != _source_key(source, 8)


def test_static_vectors_are_unit_and_independent_of_their_batch(tiny_static):
    _, path = tiny_static
    clear_memory_cache()
    texts = ["Trump vowed to broker a peace deal.", "Putin met Zelensky in Alaska.",
             "the talks will end the war", ""]
    together = SentenceEmbedder(model=path).fit().transform(texts)
    assert together.shape == (4, 8) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together[:3], axis=1), 1.0, atol=1e-6)
    clear_memory_cache()
    alone = np.vstack([SentenceEmbedder(model=path).fit().transform([t]) for t in texts])
    assert together.tobytes() == alone.tobytes()  # a mean of its own tokens: no batch effect
    embedder = SentenceEmbedder(model=path).fit()
    assert embedder.static_ and embedder.precision_ == "float32" and embedder.dimension_ == 8


def test_models_load_with_the_hub_switched_off(tiny_static, monkeypatch):
    # loading from a local folder must never fall back to a download
    import os

    _, path = tiny_static
    clear_memory_cache()
    seen = {}
    real = model2vec.StaticModel.from_pretrained

    def spy(*args, **kwargs):
        seen.update({n: os.environ.get(n) for n in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")})
        # what the hub client itself asks (read once at its import, so the variables alone
        # would not reach an already imported client)
        seen["is_offline_mode"] = huggingface_hub.is_offline_mode()
        return real(*args, **kwargs)

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    import huggingface_hub  # imported before the load, as in a user's session
    offline_before = huggingface_hub.is_offline_mode()
    monkeypatch.setattr("framing.frames._embeddings._MODELS", {})  # load it again, spied on
    monkeypatch.setattr(model2vec.StaticModel, "from_pretrained", spy)
    SentenceEmbedder(model=path).fit().transform(["peace deal"])
    assert seen == {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "is_offline_mode": True}
    assert "HF_HUB_OFFLINE" not in os.environ  # restored after the load
    assert huggingface_hub.is_offline_mode() is offline_before
    clear_memory_cache()


def test_static_vectors_are_cached_on_disk(tiny_static, tmp_path):
    _, path = tiny_static
    clear_memory_cache()
    first = SentenceEmbedder(model=path, cache_dir=tmp_path).fit()
    vectors = first.transform(["peace deal", "war in ukraine"])
    assert first.n_computed_ == 2 and list(tmp_path.glob("*/part-*.npz"))
    clear_memory_cache()
    second = SentenceEmbedder(model=path, cache_dir=tmp_path).fit()
    assert second.transform(["war in ukraine", "peace deal"]).tobytes() == vectors[::-1].tobytes()
    assert second.n_computed_ == 0


def test_minilm_static_names_the_cached_distillation(tiny_static, monkeypatch, tmp_path):
    """``"minilm-static"`` is the model distilled from the packaged MiniLM, under its key."""
    if not embeddings_available():
        pytest.skip("the embeddings extra (the MiniLM to distil from) is not installed")
    _, path = tiny_static
    monkeypatch.setenv("FRAMING_MODELS", str(tmp_path))
    minilm = resolve_model_path(None)
    # Pre-placed (a real MiniLM distillation takes minutes): the name must find this folder.
    target = tmp_path / _source_key(minilm, 256) / STATIC_MODEL
    import shutil

    shutil.copytree(path, target)
    (target.parent / f"{STATIC_MODEL}.complete").write_text("ok\n")
    assert resolve_model_path(STATIC_MODEL) == target


def _fit_toy(path: Path) -> tuple[FrameClassifier, pd.DataFrame]:
    clear_memory_cache()
    cues = {"peacemaker": "trump vowed to broker a peace deal",
            "isolationist": "trump said america first tariffs",
            "skeptic": "trump said the aid weapons will end"}
    toy = pd.DataFrame([{"doc_id": f"d{i}", "text": cues[frame] + " " + WORDS[i % 7],
                         **{f: int(f == frame) for f in cues}}
                        for i, frame in enumerate(list(cues) * 12)])
    model = FrameClassifier(features="embeddings", embedding_model=path,
                            lexicon_features=False).fit(toy)
    return model, toy


def test_frame_classifier_on_static_embeddings(tiny_static):
    model, toy = _fit_toy(tiny_static[1])
    assert model.features_used_ == "embeddings"
    decided = model.predict(toy)[["is_peacemaker", "is_isolationist", "is_skeptic"]]
    truth = toy[["peacemaker", "isolationist", "skeptic"]].to_numpy()
    assert (decided.to_numpy() == truth).mean() > 0.9


def test_the_card_records_the_static_model(tiny_static, tmp_path):
    import json

    from framing.frames import load_frame_model, save_frame_model

    model, toy = _fit_toy(tiny_static[1])
    folder = save_frame_model(model, tmp_path / "bundle")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["embedding"]["static"] is True
    assert manifest["embedding"]["dimension"] == 8
    assert manifest["versions"]["model2vec"] == model2vec.__version__
    assert "sentence-transformers" not in manifest["versions"]
    card = (folder / "CARD.md").read_text()
    assert "static: model2vec" in card and "`tiny-static`" in card
    loaded = load_frame_model(folder)
    pd.testing.assert_frame_equal(loaded.predict(toy), model.predict(toy))
