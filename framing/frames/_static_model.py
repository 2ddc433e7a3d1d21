"""Static embeddings distilled from the shipped MiniLM (the ``framing[static]`` extra).

``embedding_model="minilm-static"`` swaps the transformer for a table of token vectors: model2vec
runs every word piece of all-MiniLM-L6-v2's vocabulary through the transformer once, reduces the
vectors to 256 dimensions by PCA and weights them by token frequency (SIF); a passage's vector
is then the normalised mean of its word pieces' vectors. No attention, no matrix product per
passage: on this project's 2 cores it encodes passages an order of magnitude faster than the
transformer (see benchmarks/README.md, "Static embeddings", for the speed and its cost in F1).

The distillation reads the installed MiniLM files only (never the model hub) and happens once:
:func:`static_model_path` writes the distilled model into the models folder (``$FRAMING_MODELS``,
else ``~/.cache/framing/models``), atomically (a temp folder, then a rename), under a key that
hashes the source model's files and the distillation settings, and returns that folder every
later time. It takes a few minutes on 2 cores.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from framing.frames._split_model import models_folder

STATIC_MODEL = "minilm-static"
STATIC_INSTALL_HINT = "pip install framing[static]"
#: Dimensions kept by the PCA (model2vec's default; MiniLM's vectors have 384).
STATIC_DIMENSIONS = 256
#: Weight of a token is 1e-4 / (1e-4 + its frequency rank's probability) (model2vec's default).
_SIF_COEFFICIENT = 1e-4
_SOURCE_FILES = ("config.json", "tokenizer.json", "vocab.txt", "model.safetensors",
                 "pytorch_model.bin")


class StaticModelUnavailableError(ImportError):
    """The static model was asked for, but model2vec (``framing[static]``) is missing."""


def is_static_model(path: Path) -> bool:
    """Whether ``path`` holds a model2vec static model (its ``config.json`` says so).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "config.json").write_text('{"model_type": "model2vec"}')
    >>> is_static_model(folder), is_static_model(folder / "absent")
    (True, False)
    """
    config = path / "config.json"
    if not config.is_file():
        return False
    try:
        return json.loads(config.read_text(encoding="utf-8")).get("model_type") == "model2vec"
    except (OSError, ValueError, AttributeError):
        return False


def static_backend() -> object:
    """The ``model2vec`` module, or a clear error naming the extra."""
    try:
        return importlib.import_module("model2vec")
    except ImportError as exc:
        raise StaticModelUnavailableError(
            f"static embeddings need model2vec: {STATIC_INSTALL_HINT}") from exc


def _source_key(source: Path, dimensions: int) -> str:
    digest = hashlib.sha256(f"model2vec:pca={dimensions}:sif={_SIF_COEFFICIENT};".encode())
    for name in _SOURCE_FILES:
        file = source / name
        if file.is_file():
            digest.update(f"{name}:{file.stat().st_size};".encode())
    return digest.hexdigest()[:12]


def static_model_path(source: Path, *, dimensions: int = STATIC_DIMENSIONS,
                      folder: Path | None = None, name: str = STATIC_MODEL,
                      source_name: str | None = None) -> Path:
    """The static model distilled from the transformer in ``source``, distilled on first use.

    Parameters
    ----------
    source : Path
        A local transformer model folder (``config.json``, tokenizer files and weights).
    dimensions : int, default=256
        Dimensions kept by the PCA (at most the transformer's).
    folder : Path, optional
        Where distilled models are kept; default :func:`models_folder`.
    name : str, default="minilm-static"
        The model folder's name (shown in model cards).
    source_name : str, optional
        The source model's name, recorded in the static model's config; default its folder's.

    Returns
    -------
    Path
        ``folder / <key> / name``, ``key`` hashing the source files and the settings.

    Raises
    ------
    StaticModelUnavailableError
        model2vec, or the skeletoken package its distillation needs, is not installed.
    """
    target = (folder or models_folder()) / _source_key(source, dimensions) / name
    complete = target.parent / f"{name}.complete"
    if complete.is_file() and target.is_dir():
        return target
    static_backend()
    try:
        distillation = importlib.import_module("model2vec.distill.distillation")
        transformers = importlib.import_module("transformers")
    except ImportError as exc:
        raise StaticModelUnavailableError(
            f"distilling the static model needs skeletoken and transformers "
            f"({exc}): {STATIC_INSTALL_HINT}") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    # Nothing may download: the model and tokenizer come from ``source``, a local folder, and
    # model2vec asks the hub for a model card only for hub names (never for a local path).
    try:
        with offline_hub():
            model = transformers.AutoModel.from_pretrained(str(source))
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(source))
            static = distillation.distill_from_model(
                model, tokenizer, device="cpu", pca_dims=dimensions,
                sif_coefficient=_SIF_COEFFICIENT)
        # The config would record the source's absolute path; its name is what it means.
        static.config["tokenizer_name"] = source_name or source.name
        static.save_pretrained(staging / name)
        try:
            os.replace(staging / name, target)
        except OSError:  # another process distilled it first
            if not complete.is_file():
                raise
        complete.write_text("ok\n", encoding="utf-8")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


@contextmanager
def offline_hub() -> Iterator[None]:
    """Hugging Face libraries told not to reach the hub while models load from local folders:
    a folder missing a file is then an error, never a download.

    The environment variables reach a library imported later; ``huggingface_hub`` reads them
    once, at import (``constants.HF_HUB_OFFLINE``, which ``is_offline_mode()`` returns and
    transformers asks), so its flag is set too, and both are restored afterwards."""
    names = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    previous = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, "1"))
    try:
        constants: Any = importlib.import_module("huggingface_hub.constants")
    except ImportError:  # no hub client installed: nothing can download either
        constants = None
    flag = getattr(constants, "HF_HUB_OFFLINE", None)
    if constants is not None:
        constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        if constants is not None:
            constants.HF_HUB_OFFLINE = flag
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
