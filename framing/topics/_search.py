"""Choosing K: fit a grid of topic counts over several seeds and score every fit."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone
from tqdm.auto import tqdm

from framing.corpus import InputError, InstanceOf, Interval, validate_params
from framing.topics._dtm import DocumentTerms, as_token_table, word_order_known
from framing.topics._inputs import check_table, prune, resolve_id_column
from framing.topics._model import TopicModel
from framing.topics._quality import (
    coherence_scores,
    completion_log_likelihood,
    exclusivity_scores,
    frex_means,
    semantic_coherence,
    split_for_completion,
)

logger = logging.getLogger(__name__)

#: Columns of :func:`search_k`'s table, in order.
SEARCH_COLUMNS = [
    "k", "seed", "heldout_ll_per_word", "heldout_perplexity", "c_npmi", "c_v",
    "semantic_coherence", "exclusivity", "frex", "train_ll_per_word", "n_train_documents",
    "n_heldout_documents",
    "n_heldout_words",
]
#: The metrics :func:`summarize_k_search` summarizes (higher is better for each but perplexity).
SEARCH_METRICS = ["heldout_ll_per_word", "heldout_perplexity", "c_npmi", "c_v",
                  "semantic_coherence", "exclusivity", "frex", "train_ll_per_word"]


def _int_list(name: str, values: Sequence[int], low: int) -> list[int]:
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise InputError(f"The {name!r} parameter of search_k must be a list of int. "
                         f"Got {values!r} instead.")
    values = list(values)
    if not values or not all(isinstance(v, int | np.integer) and not isinstance(v, bool)
                             and v >= low for v in values):
        raise InputError(f"The {name!r} parameter of search_k must be a non-empty list of "
                         f"int >= {low}. Got {values!r} instead.")
    if len(set(values)) != len(values):
        raise InputError(f"The {name!r} parameter of search_k has repeated values: "
                         f"{values!r}")
    return [int(v) for v in values]


def _doc_term(texts: Sequence[Sequence[str]], vocabulary: list[str]) -> sp.csr_matrix:
    """Counts of ``vocabulary``'s words per text (words outside it are dropped)."""
    position = {word: i for i, word in enumerate(vocabulary)}
    rows, cols = [], []
    for row, words in enumerate(texts):
        ids = [position[word] for word in words if word in position]
        rows.extend([row] * len(ids))
        cols.extend(ids)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocabulary)))


def search_k(
    tokens: pd.DataFrame | DocumentTerms,
    *,
    ks: Sequence[int],
    seeds: Sequence[int] = (0, 1),
    model: TopicModel | None = None,
    holdout_share: float = 0.1,
    n_words: int = 10,
    frex_weight: float = 0.7,
    max_coherence_documents: int = 20_000,
    random_state: int = 0,
    progress: bool = True,
) -> pd.DataFrame:
    """Fit a topic model for every K in ``ks`` and seed in ``seeds``, and score each fit.

    One split serves every fit, so the numbers compare across K and seeds: ``holdout_share``
    of the documents (drawn with ``random_state``) are held out; each K × seed model is fitted
    on the rest, infers each held-out document's topic shares from a random half of its words
    and is scored on the other half (document completion). Coherence, exclusivity and FREX are
    measured on the fitted topics and the training texts.

    c_npmi and c_v slide a window over the texts, so they need the words in their order; when
    the order is unknown (a :class:`DocumentTerms` input, or tokens in sorted order, as counts
    expanded by hand come) they are NaN, with a warning, rather than measures of alphabetical
    neighbours. ``semantic_coherence`` (stm's) counts document co-occurrence and is always
    there.

    Parameters
    ----------
    tokens : DataFrame or DocumentTerms
        A token table (key column, ``tokens``, metadata; DMR covariates when ``model`` is DMR),
        or a document-term matrix with its vocabulary and metadata.
    ks : sequence of int
        Topic counts to try (each >= 2).
    seeds : sequence of int, default=(0, 1)
        ``random_state`` of the fits; the spread over seeds is the fits' own variability.
    model : TopicModel, optional
        Template whose parameters every fit uses but ``n_topics`` and ``random_state``
        (cloned, never changed). Default ``TopicModel()``. Keep ``n_jobs=1`` for exact
        repeats.
    holdout_share : float, default=0.1
        Share of the documents held out for document completion.
    n_words : int, default=10
        Top words per topic for coherence, exclusivity and FREX.
    frex_weight : float, default=0.7
        Weight of exclusivity in FREX (stm's ``frexw``, its default for ``exclusivity``).
    max_coherence_documents : int, default=20_000
        Co-occurrences for coherence are counted in at most this many training documents
        (drawn with ``random_state``), which bounds the time on large corpora.
    random_state : int, default=0
        Seed of the held-out split, the halves and the coherence sample.
    progress : bool, default=True
        Show a progress bar over the fits.

    Returns
    -------
    DataFrame
        One row per K × seed, sorted by K then seed. Columns: ``k``, ``seed``,
        ``heldout_ll_per_word`` (mean log-likelihood of a held-out word; higher is better),
        ``heldout_perplexity`` (its exp(-x)), ``c_npmi``, ``c_v`` (mean over topics; NaN when
        the word order is unknown), ``semantic_coherence`` (stm's ``semanticCoherence`` with
        ``M = n_words``, mean over topics), ``exclusivity`` (mean share of a top word's
        probability that is in its topic), ``frex`` (mean FREX of a top word: stm's
        ``exclusivity`` / ``n_words``, averaged over topics), ``train_ll_per_word``
        (the engine's own training figure), ``n_train_documents``, ``n_heldout_documents``,
        ``n_heldout_words``.

    Raises
    ------
    InputError
        Invalid parameters, or a token table the model cannot read.

    See Also
    --------
    summarize_k_search : mean and spread over seeds.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "tokens": [
    ...     ["war", "tank", "troops", "war"] if i % 2 else ["vote", "poll", "ballot", "vote"]
    ...     for i in range(12)]})
    >>> table = search_k(tokens, ks=[2, 3], seeds=[0], progress=False, holdout_share=0.25,
    ...                  model=TopicModel(min_df=1, n_iterations=30), n_words=3)
    >>> table[["k", "seed", "n_heldout_documents"]]
       k  seed  n_heldout_documents
    0  2     0                    3
    1  3     0                    3
    """
    validate_params("search_k", {
        "model": model, "holdout_share": holdout_share, "n_words": n_words,
        "frex_weight": frex_weight, "max_coherence_documents": max_coherence_documents,
        "random_state": random_state, "progress": progress,
    }, {
        "model": [InstanceOf((TopicModel, type(None)))],
        "holdout_share": [Interval(float, 0.0, 0.9)],
        "n_words": [Interval(int, 2, None)],
        "frex_weight": [Interval(float, 0.0, 1.0)],
        "max_coherence_documents": [Interval(int, 1, None)],
        "random_state": [Interval(int, 0, 2**32 - 1)],
        "progress": [InstanceOf((bool,))],
    })
    if holdout_share <= 0:
        raise InputError("The 'holdout_share' parameter of search_k must be a float in the "
                         f"range (0.0, 0.9]. Got {holdout_share!r} instead.")
    ks = _int_list("ks", ks, 2)
    seeds = _int_list("seeds", seeds, 0)
    template = TopicModel() if model is None else model
    tokens = as_token_table(tokens)
    if not isinstance(tokens, pd.DataFrame):
        raise TypeError(f"expected a token table (DataFrame), got {type(tokens).__name__}")
    check_table(tokens, resolve_id_column(tokens, template.id_column))
    ordered = word_order_known(tokens)
    if not ordered:
        warnings.warn("the words' order in the texts is unknown (a document-term matrix, or "
                      "tokens in sorted order): c_npmi and c_v need it and are left NaN; "
                      "semantic_coherence counts document co-occurrence", UserWarning,
                      stacklevel=2)
    train, observed, scored = split_for_completion(tokens, holdout_share=holdout_share,
                                                   random_state=random_state)
    if len(train) < 2:
        raise InputError(f"too few documents ({len(tokens)}) to hold out {len(observed)}",
                         field="tokens")
    rng = np.random.default_rng(random_state)
    texts = train["tokens"].tolist()
    if len(texts) > max_coherence_documents:
        keep = np.sort(rng.choice(len(texts), size=max_coherence_documents, replace=False))
        texts = [texts[i] for i in keep]
    rows = []
    grid = [(k, seed) for k in sorted(ks) for seed in seeds]
    for k, seed in tqdm(grid, desc="search_k", unit="fit", disable=not progress):
        fitted = clone(template).set_params(n_topics=k, random_state=seed).fit(train)
        total, n_scored = completion_log_likelihood(fitted, observed, scored)
        per_word = total / n_scored if n_scored else float("nan")
        vocabulary = fitted.vocabulary_.tolist()
        coherence = (coherence_scores(fitted, prune(texts, vocabulary), n_words=n_words)
                     if ordered else {"c_npmi": np.full(k, np.nan), "c_v": np.full(k, np.nan)})
        semantic = semantic_coherence(fitted.topic_word_, _doc_term(texts, vocabulary),
                                      n_words=n_words)
        rows.append({
            "k": k, "seed": seed, "heldout_ll_per_word": per_word,
            "heldout_perplexity": float(np.exp(-per_word)),
            "c_npmi": float(coherence["c_npmi"].mean()), "c_v": float(coherence["c_v"].mean()),
            "semantic_coherence": float(semantic.mean()),
            "exclusivity": float(exclusivity_scores(fitted.topic_word_, n_words=n_words).mean()),
            "frex": float(frex_means(fitted.topic_word_, n_words=n_words,
                                     frex_weight=frex_weight).mean()),
            "train_ll_per_word": float(fitted.log_likelihood_),
            "n_train_documents": len(train), "n_heldout_documents": len(observed),
            "n_heldout_words": n_scored,
        })
        logger.info("search_k: K=%d seed=%d held-out ll/word %.4f, c_npmi %.4f", k, seed,
                    per_word, rows[-1]["c_npmi"])
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS)


def summarize_k_search(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and spread over seeds of each metric of :func:`search_k`, one row per K × metric.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`search_k`.

    Returns
    -------
    DataFrame
        ``k``, ``metric``, ``mean``, ``std`` (sample standard deviation; NaN for one seed),
        ``min``, ``max``, ``n_seeds``; sorted by K, metrics in :data:`SEARCH_METRICS` order.

    Examples
    --------
    >>> runs = pd.DataFrame({"k": [5, 5], "seed": [0, 1], "c_npmi": [0.1, 0.3]})
    >>> summarize_k_search(runs)
       k  metric  mean       std  min  max  n_seeds
    0  5  c_npmi   0.2  0.141421  0.1  0.3        2
    """
    missing = [c for c in ("k", "seed") if c not in table.columns]
    if missing:
        raise InputError(f"not a search_k table: no {missing[0]!r} column", field=missing[0])
    metrics = [m for m in SEARCH_METRICS if m in table.columns]
    long = table.melt(id_vars=["k", "seed"], value_vars=metrics, var_name="metric")
    long["metric"] = pd.Categorical(long["metric"], categories=metrics, ordered=True)
    summary = long.groupby(["k", "metric"], observed=True, sort=True)["value"].agg(
        ["mean", "std", "min", "max", "count"]).reset_index()
    summary["metric"] = summary["metric"].astype(str)
    return summary.rename(columns={"count": "n_seeds"})
