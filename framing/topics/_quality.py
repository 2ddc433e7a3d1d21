"""How good is a fitted topic model: coherence, exclusivity, FREX and held-out likelihood.

Coherence is gensim's ``CoherenceModel`` (c_npmi, c_v) on the top words of each topic, counted
in the model's own (pruned) training texts. Exclusivity and FREX follow R's stm: a topic whose
top words are also the top words of other topics is not exclusive. Held-out likelihood is by
document completion (Wallach et al. 2009, "Evaluation methods for topic models"): the model
infers a held-out document's topic shares from half of its words and is scored on the other
half, so the shares are never fitted to the words they are scored on.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.topics._inputs import prune
from framing.topics._words import frex_scores

#: Coherence measures computed by :func:`coherence_scores` (gensim's names).
COHERENCE_MEASURES = ("c_npmi", "c_v")


def top_word_lists(model: Any, n: int) -> list[list[str]]:
    """The ``n`` most probable words of each topic (ties by word), as lists of str."""
    vocabulary = model.vocabulary_
    n = min(n, len(vocabulary))
    return [[str(vocabulary[i]) for i in np.lexsort((vocabulary, -row))[:n]]
            for row in model.topic_word_]


def coherence_scores(model: Any, documents: Sequence[Sequence[str]], *, n_words: int = 10,
                     measures: Sequence[str] = COHERENCE_MEASURES) -> dict[str, np.ndarray]:
    """Per-topic coherence of the top ``n_words`` words, by gensim's ``CoherenceModel``.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    documents : sequence of list of str
        The texts the word co-occurrences are counted in (usually the training tokens); words
        outside the model's vocabulary are dropped first.
    n_words : int, default=10
        Top words per topic.
    measures : sequence of {"c_npmi", "c_v"}
        Which coherences.

    Returns
    -------
    dict of str to ndarray of shape (K,)
        One array of per-topic scores per measure.
    """
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    texts = [tokens for tokens in prune(documents, model.vocabulary_.tolist()) if tokens]
    # the dictionary only maps words to ids (co-occurrences are counted in ``texts``); built
    # from the vocabulary, it knows a top word even when a sample of texts lacks it
    dictionary = Dictionary([model.vocabulary_.tolist()])
    topics = top_word_lists(model, n_words)
    scores = {}
    for measure in measures:
        with warnings.catch_warnings():
            # c_npmi of a pair never seen together is log(eps); numpy warns on nothing else
            warnings.simplefilter("ignore", RuntimeWarning)
            # processes=1: one process is exact, deterministic and polite on a shared machine
            scorer = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                                    coherence=measure, topn=len(topics[0]), processes=1)
            scores[measure] = np.asarray(scorer.get_coherence_per_topic(), dtype=np.float64)
    return scores


def exclusivity_scores(topic_word: np.ndarray, *, n_words: int = 10) -> np.ndarray:
    """Per topic, the mean exclusivity ``beta[k, v] / sum_j beta[j, v]`` of its top words.

    Examples
    --------
    >>> exclusivity_scores(np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]]), n_words=2).round(3)
    array([0.688, 0.688])
    """
    topic_word = np.asarray(topic_word, dtype=np.float64)
    exclusive = topic_word / topic_word.sum(axis=0, keepdims=True)
    top = np.argsort(-topic_word, axis=1, kind="stable")[:, :n_words]
    return np.take_along_axis(exclusive, top, axis=1).mean(axis=1)


def frex_means(topic_word: np.ndarray, *, n_words: int = 10,
               frex_weight: float = 0.7) -> np.ndarray:
    """Per topic, the mean FREX of its top words by probability (stm's ``exclusivity``).

    Examples
    --------
    >>> frex_means(np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]]), n_words=1)
    array([1., 1.])
    """
    topic_word = np.asarray(topic_word, dtype=np.float64)
    frex = frex_scores(topic_word, frex_weight)
    top = np.argsort(-topic_word, axis=1, kind="stable")[:, :n_words]
    return np.take_along_axis(frex, top, axis=1).mean(axis=1)


def split_for_completion(tokens: pd.DataFrame, *, holdout_share: float,
                         random_state: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Training rows, and the held-out rows cut in two: words to infer from, words to score.

    Held-out rows are drawn among rows with at least two tokens; each one's tokens are split
    at random into two halves (order kept within each half). Returns ``(train, observed,
    scored)``; ``observed`` and ``scored`` share keys, metadata and order.
    """
    rng = np.random.default_rng(random_state)
    lengths = tokens["tokens"].map(len).to_numpy()
    candidates = np.flatnonzero(lengths >= 2)
    n_holdout = min(len(candidates), max(1, round(holdout_share * len(tokens))))
    held = np.sort(rng.choice(candidates, size=n_holdout, replace=False))
    is_held = np.zeros(len(tokens), dtype=bool)
    is_held[held] = True
    observed, scored = [], []
    for words in tokens["tokens"].iloc[held]:
        words = list(words)
        order = rng.permutation(len(words))
        first = np.sort(order[: len(words) // 2])
        second = np.sort(order[len(words) // 2:])
        observed.append([words[i] for i in first])
        scored.append([words[i] for i in second])
    held_rows = tokens.iloc[held]
    return (tokens.iloc[~is_held], held_rows.assign(tokens=observed),
            held_rows.assign(tokens=scored))


def completion_log_likelihood(model: Any, observed: pd.DataFrame,
                              scored: pd.DataFrame) -> tuple[float, int]:
    """Summed log-likelihood of the ``scored`` words given shares inferred from ``observed``.

    Returns ``(log_likelihood, n_words)``; words outside the model's vocabulary are not
    scored.
    """
    columns = [f"topic_{k}" for k in range(model.n_topics_)]
    shares = model.transform(observed)[columns].to_numpy()
    position = {word: i for i, word in enumerate(model.vocabulary_.tolist())}
    total, n_words = 0.0, 0
    for row, words in enumerate(scored["tokens"]):
        ids = [position[word] for word in words if word in position]
        if not ids:
            continue
        probabilities = shares[row] @ model.topic_word_[:, ids]
        total += float(np.log(probabilities).sum())
        n_words += len(ids)
    return total, n_words
