"""Reading topics: top words (probability, FREX, lift) and the most representative documents.

FREX and lift follow R's stm (``calcfrex``, ``calclift`` in stm/R/labelTopics.R). FREX is the
weighted harmonic mean of a word's ECDF rank within its topic by exclusivity,
``beta[k, v] / sum_j beta[j, v]``, and by probability::

    FREX = 1 / (w / E + (1 - w) / F)

with ``w`` the weight of **exclusivity** (stm's ``frexw``: 0.5 in ``labelTopics``, 0.7 in
``exclusivity``) and ranks averaged over ties (R's ``rank`` / ``data.table::frank``). Given the
words' training counts, exclusivity is James-Stein shrunk towards uniform first, as stm's
``labelTopics`` does (``js.estimate``); without them it is not. Lift is ``beta[k, v]`` over the
word's share of all training tokens.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from framing.corpus import InputError, Interval, Options, validate_params


def _james_stein(exclusivity: np.ndarray, word_counts: np.ndarray) -> np.ndarray:
    """stm's ``js.estimate`` per word (column): shrink its topic shares towards uniform."""
    n_topics = exclusivity.shape[0]
    uniform = 1.0 / n_topics
    out = exclusivity.copy()
    counts = np.asarray(word_counts, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ml_variance = (exclusivity * (1 - exclusivity) / (counts - 1)).sum(axis=0)
        deviation = ((exclusivity - uniform) ** 2).sum(axis=0)
        shrink = ml_variance / deviation
    # stm: a count <= 1, a NaN or a weight above 1 give the uniform; no deviation keeps prob
    to_uniform = (counts <= 1) | (deviation != 0) & (np.isnan(shrink) | (shrink > 1))
    mixed = ~to_uniform & (deviation != 0)
    out[:, mixed] = shrink[mixed] * uniform + (1 - shrink[mixed]) * exclusivity[:, mixed]
    out[:, to_uniform] = uniform
    return out


def frex_scores(topic_word: np.ndarray, frex_weight: float = 0.5, *,
                word_counts: np.ndarray | None = None) -> np.ndarray:
    """FREX of every word in every topic, shape (K, V), in (0, 1] (stm's ``calcfrex``).

    Parameters
    ----------
    topic_word : array of shape (K, V)
        Word probabilities per topic.
    frex_weight : float, default=0.5
        Weight of exclusivity (stm's ``frexw``); ``1 - frex_weight`` goes to frequency.
    word_counts : array of shape (V,), optional
        Training counts of the words: exclusivity is then James-Stein shrunk as in stm's
        ``labelTopics``.

    Examples
    --------
    >>> frex_scores(np.array([[0.5, 0.5], [0.1, 0.9]]), 0.5).round(3)
    array([[0.857, 0.6  ],
           [0.5  , 1.   ]])
    """
    topic_word = np.asarray(topic_word, dtype=np.float64)
    n_words = topic_word.shape[1]
    exclusivity = topic_word / topic_word.sum(axis=0, keepdims=True)
    if word_counts is not None:
        exclusivity = _james_stein(exclusivity, word_counts)
    frequency_rank = rankdata(topic_word, axis=1) / n_words
    exclusivity_rank = rankdata(exclusivity, axis=1) / n_words
    return 1.0 / (frex_weight / exclusivity_rank + (1.0 - frex_weight) / frequency_rank)


def lift_scores(topic_word: np.ndarray, word_counts: np.ndarray) -> np.ndarray:
    """Lift of every word in every topic: its probability over its corpus share.

    Examples
    --------
    >>> lift_scores(np.array([[0.5, 0.5], [0.1, 0.9]]), np.array([1, 3]))
    array([[2.  , 0.66666667],
           [0.4 , 1.2 ]])
    """
    counts = np.asarray(word_counts, dtype=np.float64)
    return np.asarray(topic_word, dtype=np.float64) / (counts / counts.sum())


def _check_fitted(model: Any) -> None:
    model._check_is_fitted("top_words")


def top_words(model: Any, n: int = 10, *, by: Literal["prob", "frex", "lift"] = "prob",
              frex_weight: float = 0.5) -> pd.DataFrame:
    """The ``n`` best words of every topic, as a tidy table.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n : int, default=10
        Words per topic.
    by : {"prob", "frex", "lift"}, default="prob"
        Rank by probability in the topic, FREX (frequent and exclusive) or lift.
    frex_weight : float, default=0.5
        Weight of exclusivity against frequency in FREX (stm's ``frexw``, 0.5 in its
        ``labelTopics``). Exclusivity is James-Stein shrunk by the training counts, as there.

    Returns
    -------
    DataFrame
        ``topic``, ``label``, ``rank`` (from 1), ``word``, ``score``; K × n rows. Ties are
        broken by word.

    Examples
    --------
    >>> from framing.topics import TopicModel
    >>> tokens = pd.DataFrame({"doc_id": list("abcd"), "tokens": [
    ...     ["war", "tank"], ["vote", "poll"], ["tank", "war"], ["poll", "vote"]]})
    >>> model = TopicModel(n_topics=2, min_df=1, n_iterations=50).fit(tokens)
    >>> table = top_words(model, n=2, by="frex")
    >>> list(table.columns), len(table)
    (['topic', 'label', 'rank', 'word', 'score'], 4)
    """
    validate_params("top_words", {"n": n, "by": by, "frex_weight": frex_weight},
                    {"n": [Interval(int, 1, None)], "by": [Options({"prob", "frex", "lift"})],
                     "frex_weight": [Interval(float, 0.0, 1.0)]})
    _check_fitted(model)
    if by == "prob":
        scores = model.topic_word_
    elif by == "frex":
        scores = frex_scores(model.topic_word_, frex_weight, word_counts=model.word_counts_)
    else:
        scores = lift_scores(model.topic_word_, model.word_counts_)
    vocabulary = model.vocabulary_
    n = min(n, len(vocabulary))
    rows = []
    for topic, row in enumerate(scores):
        order = np.lexsort((vocabulary, -row))[:n]  # score descending, then word
        for rank, index in enumerate(order, start=1):
            rows.append((topic, model.labels_[topic], rank, str(vocabulary[index]),
                         float(row[index])))
    return pd.DataFrame(rows, columns=["topic", "label", "rank", "word", "score"])


def frex_labels(model: Any, n_words: int = 3, *, frex_weight: float = 0.5) -> list[str]:
    """A readable label per topic: its ``n_words`` best FREX words, underscores as spaces.

    Multi-word tokens (``according_to_people``) read as words; stm's ``labelTopics`` weight
    and shrinkage are used (see :func:`top_words`). Two topics with the same words get their
    topic number appended, so the labels can go to :meth:`TopicModel.set_labels` as they are.

    Examples
    --------
    >>> from framing.topics import TopicModel
    >>> tokens = pd.DataFrame({"doc_id": list("abcd"), "tokens": [
    ...     ["war", "tank"], ["vote", "poll"], ["tank", "war"], ["poll", "vote"]]})
    >>> model = TopicModel(n_topics=2, min_df=1, n_iterations=50).fit(tokens)
    >>> len(frex_labels(model, 2)), all("_" not in label for label in frex_labels(model))
    (2, True)
    """
    table = top_words(model, n=n_words, by="frex", frex_weight=frex_weight)
    labels = [", ".join(word.replace("_", " ") for word in group["word"])
              for _, group in table.groupby("topic", sort=True)]
    return [label if labels.count(label) == 1 else f"{label} ({topic})"
            for topic, label in enumerate(labels)]


def representative_documents(model: Any, doc_topics: pd.DataFrame, texts: pd.DataFrame,
                             topic: int | str, n: int = 5) -> pd.DataFrame:
    """The ``n`` documents (or passages) with the largest share of ``topic``.

    Parameters
    ----------
    model : TopicModel
        The fitted model that made ``doc_topics``.
    doc_topics : DataFrame
        Output of ``model.transform``: a key column and ``topic_<k>``.
    texts : DataFrame
        The same key column plus the texts (documents or passages) and anything else to show.
    topic : int or str
        Topic number, or its label.
    n : int, default=5
        Rows returned.

    Returns
    -------
    DataFrame
        ``rank``, the key, ``topic``, ``label``, ``share``, then the columns of ``texts``;
        share descending, ties by key. A key missing from ``texts`` keeps empty text columns.

    Raises
    ------
    InputError
        An unknown topic, a key column missing, or keys repeated in ``texts``.
    """
    validate_params("representative_documents", {"n": n}, {"n": [Interval(int, 1, None)]})
    _check_fitted(model)
    if isinstance(topic, str):
        if topic not in model.labels_:
            raise InputError(f"unknown topic label {topic!r}; labels are {model.labels_!r}")
        topic = model.labels_.index(topic)
    if isinstance(topic, bool) or not isinstance(topic, int | np.integer) or not (
            0 <= topic < model.n_topics_):
        raise InputError(f"unknown topic {topic!r}; topics are 0 to {model.n_topics_ - 1}")
    column = f"topic_{int(topic)}"
    key = model.id_column_ if model.id_column_ in doc_topics.columns else next(
        (c for c in ("passage_id", "doc_id") if c in doc_topics.columns), None)
    for frame, name in ((doc_topics, "doc_topics"), (texts, "texts")):
        if key is None or key not in frame.columns:
            raise InputError(f"{name} has no key column ({model.id_column_!r})", field=key)
    if column not in doc_topics.columns:
        raise InputError(f"doc_topics has no {column!r} column", field=column)
    best = doc_topics[[key, column]].rename(columns={column: "share"})
    best = best.sort_values(["share", key], ascending=[False, True], kind="mergesort").head(n)
    best.insert(1, "topic", int(topic))
    best.insert(2, "label", model.labels_[int(topic)])
    extra = texts.drop(columns=[c for c in ("topic", "label", "share") if c in texts.columns])
    try:
        out = best.merge(extra, on=key, how="left", validate="one_to_one")
    except pd.errors.MergeError as exc:
        raise InputError(f"keys must be unique in texts and doc_topics ({exc})",
                         field=key) from exc
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)
