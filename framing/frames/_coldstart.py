"""Cold start: provisional frame scores before any annotation, from the codebook alone.

Each frame gets a *prototype*: the mean of the unit vectors of its definition and (with
``use_examples``) of each positive example, the definition counting as much as all examples
together; its negative examples make a second, *contrast* prototype. A passage's provisional
score for a frame is its cosine similarity to the prototype minus ``negative_weight`` times its
similarity to the contrast prototype. Vectors are sentence embeddings (the
``framing[embeddings]`` extra) or, without it, TF-IDF vectors over the codebook's texts and
the passages.

The scores are similarities, not probabilities, and no annotation stands behind them: the
columns are named ``provisional_<frame>`` and the table carries ``provisional = True``. They
are for ranking passages to annotate first, and as a baseline; never report them as
prevalence.
"""

from __future__ import annotations

import os
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from framing._types import PathLike
from framing.corpus import NONE, InputError, Interval, NotFittedError, Options, validate_params
from framing.corpus._params import InstanceOf
from framing.frames._classifier import resolve_features
from framing.frames._codebook import Codebook, load_codebook
from framing.frames._embeddings import SentenceEmbedder
from framing.frames._lexicon import passage_texts

ColdStartFeatures = Literal["auto", "embeddings", "tfidf"]


class ColdStartScorer(TransformerMixin, BaseEstimator):
    """Provisional frame scores from a passage's similarity to the codebook's frames.

    Parameters
    ----------
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        A shipped codebook's name, a path to a codebook file, or a loaded :class:`Codebook`.
    features : {"auto", "embeddings", "tfidf"}, default="auto"
        Sentence embeddings, TF-IDF, or embeddings when the extra is installed (else TF-IDF,
        with a warning naming the extra).
    use_examples : bool, default=True
        Whether the positive and negative examples join the definition in the prototypes;
        ``False`` scores by the definition alone.
    negative_weight : float in [0, 1], default=0.5
        How much similarity to the negative examples is subtracted.
    embedding_model : str, path-like or None, default=None
        The sentence-transformers model (``None``: the packaged all-MiniLM-L6-v2), or
        ``"minilm-static"`` for static embeddings distilled from it (``framing[static]``).
    embedding_cache : str, path-like or None, default=None
        Folder of the per-passage embedding cache.
    text_column : str, default="text"
        The column holding the passage text.

    Attributes
    ----------
    frames_ : tuple of str
        The codebook's frames.
    features_used_ : str
        ``"embeddings"`` or ``"tfidf"``.
    prototypes_ : ndarray of shape (n_frames, dimension)
        Unit prototype vector of each frame.
    contrasts_ : ndarray of shape (n_frames, dimension)
        Unit vector of each frame's negative examples (zeros when it has none).
    codebook_sha256_ : str
        The codebook's hash.
    provisional_ : bool
        Always True: these scores stand on no annotation.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": ["a:0", "b:0"], "outlet": ["X", "Y"], "text": [
    ...     "Trump pushed both sides toward a ceasefire and a peace deal.",
    ...     "Trump said Europe must pay for its own defence, not America."]})
    >>> scorer = ColdStartScorer(features="tfidf").fit(passages)
    >>> table = scorer.transform(passages)
    >>> list(table.columns[:3]), bool(table["provisional"].all())
    (['passage_id', 'outlet', 'provisional_peacemaker'], True)
    >>> (table["provisional_peacemaker"] > table["provisional_isolationist"]).tolist()
    [True, False]
    """

    _parameter_constraints: dict[str, list] = {
        "codebook": [InstanceOf((str, os.PathLike, Codebook))],
        "features": [Options({"auto", "embeddings", "tfidf"})],
        "use_examples": [InstanceOf((bool,))],
        "negative_weight": [Interval(float, 0, 1)],
        "embedding_model": [InstanceOf((str, os.PathLike)), NONE],
        "embedding_cache": [InstanceOf((str, os.PathLike)), NONE],
        "text_column": [InstanceOf((str,))],
    }

    def __init__(
        self,
        *,
        codebook: PathLike | Codebook = "trump_ukraine_roles",
        features: ColdStartFeatures = "auto",
        use_examples: bool = True,
        negative_weight: float = 0.5,
        embedding_model: PathLike | None = None,
        embedding_cache: PathLike | None = None,
        text_column: str = "text",
    ) -> None:
        self.codebook = codebook
        self.features = features
        self.use_examples = use_examples
        self.negative_weight = negative_weight
        self.embedding_model = embedding_model
        self.embedding_cache = embedding_cache
        self.text_column = text_column

    def fit(self, passages: pd.DataFrame | None = None, y: Any = None) -> ColdStartScorer:
        """Build each frame's prototypes; labels are never used.

        Parameters
        ----------
        passages : DataFrame, optional
            Passages whose words join the codebook's in the TF-IDF vocabulary (TF-IDF only;
            the texts are read, no label is).

        Raises
        ------
        InputError
            A parameter out of range or a codebook that cannot be loaded.
        EmbeddingsUnavailableError
            ``features="embeddings"`` without the extra.
        """
        validate_params("ColdStartScorer", self.get_params(), self._parameter_constraints)
        codebook = (self.codebook if isinstance(self.codebook, Codebook)
                    else load_codebook(self.codebook))
        # "auto" resolves to "both" (the classifier's word for embeddings plus TF-IDF) when the
        # extra is installed; cold start has one vector per text, so that means embeddings.
        used = resolve_features(self.features)
        used = "embeddings" if used == "both" else used
        frames = codebook.frame_names
        definitions = [codebook.frames[f].definition for f in frames]
        positives = [list(codebook.frames[f].positive_examples) if self.use_examples else []
                     for f in frames]
        negatives = [list(codebook.frames[f].negative_examples) if self.use_examples else []
                     for f in frames]
        if used == "embeddings":
            self.encoder_: Any = SentenceEmbedder(model=self.embedding_model,
                                                  cache_dir=self.embedding_cache).fit()
        else:
            corpus = definitions + [t for ts in positives + negatives for t in ts]
            if passages is not None:
                corpus += passage_texts(passages, self.text_column)
            self.encoder_ = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(corpus)
        dimension = self._encode(definitions[:1]).shape[1]
        self.prototypes_ = np.zeros((len(frames), dimension))
        self.contrasts_ = np.zeros((len(frames), dimension))
        for k in range(len(frames)):
            definition = self._encode([definitions[k]])[0]
            if positives[k]:
                examples = self._encode(positives[k]).mean(axis=0)
                definition = 0.5 * definition + 0.5 * examples
            self.prototypes_[k] = _unit(definition)
            if negatives[k]:
                self.contrasts_[k] = _unit(self._encode(negatives[k]).mean(axis=0))
        self.frames_ = frames
        self.features_used_ = used
        self.codebook_sha256_ = codebook.sha256
        self.provisional_ = True
        return self

    def _encode(self, texts: list[str]) -> np.ndarray:
        if isinstance(self.encoder_, SentenceEmbedder):
            return self.encoder_.transform(texts).astype(float)
        return normalize(self.encoder_.transform(texts)).toarray()

    def score(self, passages: pd.DataFrame) -> np.ndarray:  # type: ignore[override]
        """The ``(n_passages, n_frames)`` array of provisional scores."""
        if not hasattr(self, "prototypes_"):
            raise NotFittedError("This ColdStartScorer instance is not fitted yet. Call 'fit' "
                                 "with appropriate arguments before using 'transform'.")
        vectors = self._encode(passage_texts(passages, self.text_column))
        return vectors @ self.prototypes_.T - self.negative_weight * (vectors @ self.contrasts_.T)

    def transform(self, passages: pd.DataFrame) -> pd.DataFrame:
        """Provisional scores of every passage; the input's columns (but the text) are kept.

        Returns
        -------
        DataFrame
            The input's columns without the text, then ``provisional_<frame>`` (a similarity,
            higher = closer to the frame; not a probability) for every frame, then
            ``provisional`` (True) and ``cold_start_features`` (``"embeddings"`` or
            ``"tfidf"``).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            No text column, or an output column already in the table.
        """
        scores = self.score(passages)
        columns: dict[str, Any] = {f"provisional_{f}": scores[:, k]
                                   for k, f in enumerate(self.frames_)}
        columns["provisional"] = True
        columns["cold_start_features"] = self.features_used_
        clash = [c for c in columns if c in passages.columns]
        if clash:
            raise InputError(f"the table already has a {clash[0]!r} column", field=clash[0])
        kept = passages.drop(columns=[self.text_column])
        return pd.concat([kept, pd.DataFrame(columns, index=passages.index)], axis=1)

    def rank(self, passages: pd.DataFrame, *, frame: str | None = None) -> pd.DataFrame:
        """Passages in the order to annotate them first: most likely to carry a frame on top.

        With ``frame``, by that frame's score; otherwise by ``provisional_priority``, each
        passage's highest per-frame percentile rank (so each frame's best candidates come up,
        not only those of the frame with the largest similarities). Ties keep input order.

        Returns
        -------
        DataFrame
            :meth:`transform`'s table plus ``provisional_priority`` (in [0, 1]) and
            ``annotation_rank`` (1 = first), sorted by it.
        """
        table = self.transform(passages)
        names = [f"provisional_{f}" for f in self.frames_]
        if frame is not None:
            if frame not in self.frames_:
                raise InputError(f"unknown frame {frame!r}; the codebook has "
                                 f"{', '.join(self.frames_)}", field="frame")
            priority = table[f"provisional_{frame}"].rank(pct=True, method="average")
        else:
            priority = table[names].rank(pct=True, method="average").max(axis=1)
        table["provisional_priority"] = priority.to_numpy()
        order = np.argsort(-table["provisional_priority"].to_numpy(), kind="stable")
        table = table.iloc[order]
        table["annotation_rank"] = np.arange(1, len(table) + 1)
        return table


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
