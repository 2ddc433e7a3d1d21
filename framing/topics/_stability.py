"""Stability: do the topics come back when the model is fitted again with another seed?

Each run's topics are matched one-to-one to a reference run's topics by the Hungarian algorithm
(``scipy.optimize.linear_sum_assignment``) on the similarity of their word distributions. A
topic whose matched similarity stays high in every run is a property of the data; one that
comes and goes is an artefact of the seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon
from sklearn.base import clone

from framing.corpus import InputError, Options, validate_params
from framing.topics._dtm import DocumentTerms
from framing.topics._model import TopicModel
from framing.topics._quality import top_word_lists

Similarity = Literal["cosine", "jensen_shannon"]


def _aligned(models: Sequence[Any]) -> tuple[list[str], list[np.ndarray]]:
    """Topic-word matrices of ``models`` on the union of their vocabularies (zeros elsewhere)."""
    vocabulary = sorted(set().union(*(model.vocabulary_.tolist() for model in models)))
    position = {word: i for i, word in enumerate(vocabulary)}
    matrices = []
    for model in models:
        matrix = np.zeros((model.n_topics_, len(vocabulary)))
        matrix[:, [position[w] for w in model.vocabulary_.tolist()]] = model.topic_word_
        matrices.append(matrix)
    return vocabulary, matrices


def topic_similarity(a: np.ndarray, b: np.ndarray, *,
                     metric: Similarity = "cosine") -> np.ndarray:
    """Similarity of every row of ``a`` to every row of ``b`` (word distributions), in [0, 1].

    ``"cosine"`` is the cosine of the two probability vectors; ``"jensen_shannon"`` is one
    minus their Jensen-Shannon distance (base 2).

    Examples
    --------
    >>> a = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    >>> topic_similarity(a, a[::-1]).round(3)
    array([[0., 1.],
           [1., 0.]])
    >>> topic_similarity(a, a[::-1], metric="jensen_shannon").round(3)
    array([[0., 1.],
           [1., 0.]])
    """
    validate_params("topic_similarity", {"metric": metric},
                    {"metric": [Options({"cosine", "jensen_shannon"})]})
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if metric == "cosine":
        norms = np.linalg.norm(a, axis=1)[:, None] * np.linalg.norm(b, axis=1)[None, :]
        return np.clip(a @ b.T / norms, 0.0, 1.0)
    out = np.empty((len(a), len(b)))
    for i, row in enumerate(a):
        out[i] = [1.0 - jensenshannon(row, other, base=2) for other in b]
    return np.clip(out, 0.0, 1.0)


def match_topics(reference: Any, other: Any, *,
                 metric: Similarity = "cosine") -> pd.DataFrame:
    """Match the topics of two fitted models one-to-one (Hungarian matching).

    Parameters
    ----------
    reference, other : TopicModel
        Fitted models; their vocabularies are aligned (a word one model lacks has probability
        0 there).
    metric : {"cosine", "jensen_shannon"}, default="cosine"
        Similarity of two topics' word distributions.

    Returns
    -------
    DataFrame
        One row per reference topic: ``topic``, ``matched_topic`` (-1 when ``other`` has fewer
        topics), ``similarity`` (0 when unmatched).
    """
    for model in (reference, other):
        model._check_is_fitted("match_topics")
    _, (a, b) = _aligned([reference, other])
    similarity = topic_similarity(a, b, metric=metric)
    rows, cols = linear_sum_assignment(-similarity)
    matched = np.full(len(a), -1)
    matched[rows] = cols
    scores = np.zeros(len(a))
    scores[rows] = similarity[rows, cols]
    return pd.DataFrame({"topic": np.arange(len(a)), "matched_topic": matched,
                         "similarity": scores})


def topic_stability(
    models: Sequence[Any] | pd.DataFrame | DocumentTerms,
    *,
    model: TopicModel | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    metric: Similarity = "cosine",
    n_words: int = 10,
) -> pd.DataFrame:
    """How well each topic of a reference run comes back in the other runs.

    Parameters
    ----------
    models : sequence of TopicModel, DataFrame or DocumentTerms
        Fitted models (the first is the reference), or a token table (or a document-term
        matrix, :class:`DocumentTerms`): then ``model`` is
        cloned and fitted once per seed in ``seeds`` (the first seed is the reference).
    model : TopicModel, optional
        Template when ``models`` is a token table; default ``TopicModel()``.
    seeds : sequence of int, default=(0, 1, 2)
        ``random_state`` of the fits when ``models`` is a token table (at least two).
    metric : {"cosine", "jensen_shannon"}, default="cosine"
        Similarity of two topics' word distributions.
    n_words : int, default=10
        Top words of the reference topic shown in ``top_words``.

    Returns
    -------
    DataFrame
        One row per reference topic: ``topic``, ``label``, ``top_words`` (space-separated),
        ``mean_similarity``, ``min_similarity`` (over the other runs), ``n_runs`` (other
        runs), ``metric``; sorted by topic.

    Raises
    ------
    InputError
        Fewer than two runs, or an unfitted model.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "tokens": [
    ...     ["war", "tank", "troops", "war"] if i % 2 else ["vote", "poll", "ballot", "vote"]
    ...     for i in range(12)]})
    >>> table = topic_stability(tokens, model=TopicModel(n_topics=2, min_df=1,
    ...                         n_iterations=50), seeds=[0, 1])
    >>> list(table.columns)
    ['topic', 'label', 'top_words', 'mean_similarity', 'min_similarity', 'n_runs', 'metric']
    >>> bool((table["min_similarity"] > 0.9).all())
    True
    """
    validate_params("topic_stability", {"metric": metric},
                    {"metric": [Options({"cosine", "jensen_shannon"})]})
    if isinstance(models, DocumentTerms):
        models = models.to_token_table()
    if isinstance(models, pd.DataFrame):
        seeds = list(seeds)
        if len(seeds) < 2 or len(set(seeds)) != len(seeds):
            raise InputError("The 'seeds' parameter of topic_stability must list at least two "
                             f"different seeds. Got {seeds!r} instead.")
        template = TopicModel() if model is None else model
        models = [clone(template).set_params(random_state=int(seed)).fit(models)
                  for seed in seeds]
    models = list(models)
    if len(models) < 2:
        raise InputError(f"topic_stability needs at least two runs, got {len(models)}")
    for run in models:
        if not isinstance(run, TopicModel):
            raise InputError(f"expected fitted TopicModel runs, got {type(run).__name__}")
        run._check_is_fitted("topic_stability")
    reference = models[0]
    scores = np.column_stack([match_topics(reference, other, metric=metric)["similarity"]
                              for other in models[1:]])
    words = top_word_lists(reference, n_words)
    return pd.DataFrame({
        "topic": np.arange(reference.n_topics_), "label": list(reference.labels_),
        "top_words": [" ".join(w) for w in words],
        "mean_similarity": scores.mean(axis=1), "min_similarity": scores.min(axis=1),
        "n_runs": scores.shape[1], "metric": metric,
    })
