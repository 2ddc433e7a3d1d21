"""How good is a fitted topic model: coherence, exclusivity, FREX and held-out likelihood.

Coherence is gensim's ``CoherenceModel`` (c_npmi, c_v) on the top words of each topic, counted
in the model's own (pruned) training texts; both slide a window over the texts, so they need the
words in their original order (a document-term matrix has none). Semantic coherence is stm's
(``semanticCoherence``, Mimno et al. 2011), counted on document co-occurrence, so it needs no
order. Exclusivity and FREX follow R's stm: a topic whose top words are also the top words of
other topics is not exclusive. Held-out likelihood is by
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
import scipy.sparse as sp

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
    """Per topic, the mean FREX of its top words by probability: stm's ``exclusivity`` / M.

    stm's ``exclusivity(model, M, frexw=0.7)`` sums, over each topic's ``M`` most probable
    words, their FREX with weight ``frexw`` on exclusivity (no James-Stein shrinkage there);
    this is that sum divided by ``n_words`` (see :func:`stm_exclusivity` for the sum).

    Examples
    --------
    >>> frex_means(np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]]), n_words=1)
    array([1., 1.])
    """
    return stm_exclusivity(topic_word, n_words=n_words, frex_weight=frex_weight) / min(
        n_words, np.shape(topic_word)[1])


def _top_indices(topic_word: np.ndarray, n_words: int) -> np.ndarray:
    """Each topic's ``n_words`` most probable word indices; ties by index (R's ``order``)."""
    return np.argsort(-topic_word, axis=1, kind="stable")[:, :n_words]


def stm_exclusivity(topic_word: np.ndarray, *, n_words: int = 10,
                    frex_weight: float = 0.7) -> np.ndarray:
    """stm's ``exclusivity``: per topic, the sum of its top words' FREX (weight on exclusivity).

    Examples
    --------
    >>> beta = np.array([[0.6, 0.3, 0.1], [0.1, 0.3, 0.6]])
    >>> stm_exclusivity(beta, n_words=2).round(4)
    array([1.6667, 1.6667])
    """
    topic_word = np.asarray(topic_word, dtype=np.float64)
    frex = frex_scores(topic_word, frex_weight)
    top = _top_indices(topic_word, n_words)
    return np.take_along_axis(frex, top, axis=1).sum(axis=1)


def semantic_coherence(topic_word: np.ndarray, doc_term: Any, *, n_words: int = 10,
                       smoothing: float = 0.01) -> np.ndarray:
    """stm's ``semanticCoherence``: per topic, summed log co-document frequency ratios.

    For each pair of a topic's ``n_words`` most probable words, ``log((D(m, l) + s) /
    (D(l) + s))``, with ``D(l)`` the number of documents holding word ``l``, ``D(m, l)`` those
    holding both and ``s = smoothing``. stm (``semCoh1beta``) uses ``s = 0.01`` in numerator
    and denominator; Mimno et al. (2011) add 1 to the numerator only. As in stm, ``l`` is the
    word met first when the top words are listed topic by topic (topic 0's in rank order, then
    topic 1's new words, ...), so a pair's direction can differ from its order of rank.

    Parameters
    ----------
    topic_word : array of shape (K, V)
        Word probabilities per topic.
    doc_term : sparse or dense matrix of shape (n_documents, V)
        Word counts per document (only presence matters), columns in ``topic_word``'s order.
    n_words : int, default=10
        Top words per topic (stm's ``M``).
    smoothing : float, default=0.01
        ``s`` above.

    Returns
    -------
    ndarray of shape (K,)
        The sums; closer to 0 is more coherent.

    Examples
    --------
    >>> beta = np.array([[0.5, 0.4, 0.1], [0.1, 0.2, 0.7]])
    >>> counts = np.array([[1, 1, 0], [1, 0, 0], [0, 3, 1]])
    >>> semantic_coherence(beta, counts, n_words=2).round(3)
    array([-0.688, -0.688])
    """
    topic_word = np.asarray(topic_word, dtype=np.float64)
    top = _top_indices(topic_word, n_words)
    words = pd.unique(top.ravel())  # first-met order, as stm's unique(as.vector(top.words))
    position = {int(word): i for i, word in enumerate(words)}
    present = sp.csc_matrix(doc_term)[:, words]
    present = (present > 0).astype(np.float64)
    cross = np.asarray((present.T @ present).todense())
    out = np.empty(len(top))
    for k, row in enumerate(top):
        ids = np.array([position[int(word)] for word in row])
        later, first = np.meshgrid(ids, ids, indexing="ij")
        pairs = later > first
        out[k] = (np.log(smoothing + cross[later[pairs], first[pairs]])
                  - np.log(cross[first[pairs], first[pairs]] + smoothing)).sum()
    return out


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
