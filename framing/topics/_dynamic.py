"""``DynamicTopicModel``: topics whose words drift from period to period (tomotopy DTModel).

Blei and Lafferty's dynamic topic model: the same K topics in every period, each period's
word distribution a random walk from the previous one's, so a topic keeps its identity while
its vocabulary moves ("ceasefire" before a summit, "guarantees" after). The periods are the
calendar months, quarters or years that hold documents, in order. :meth:`DynamicTopicModel.save`
and :meth:`DynamicTopicModel.load` keep a fitted model as a bundle folder (see
``framing.topics._dynamic_bundle``), as TopicModel bundles do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from framing._types import PathLike
from framing.corpus import (
    NONE,
    InputError,
    InstanceOf,
    Interval,
    NotFittedError,
    Options,
    validate_params,
)
from framing.topics._engines import import_tomotopy
from framing.topics._inputs import (
    PERIOD,
    build_vocabulary,
    check_table,
    covariate_labels,
    hash_documents,
    prune,
    resolve_id_column,
)
from framing.topics._model import TopicModel


class DynamicTopicModel(TransformerMixin, BaseEstimator):
    """A dynamic topic model over periods (tomotopy ``DTModel``), seeded and exact.

    Parameters
    ----------
    n_topics : int, default=10
        Number of topics K (the same topics in every period).
    period : {"month", "quarter", "year"}, default="quarter"
        Length of a period, derived from the ``date`` column.
    n_iterations : int, default=500
        Training iterations.
    alpha_var, eta_var, phi_var : float, default=0.1
        tomotopy's transition variances of the topic shares, of a document's shares around
        them, and of the topic-word distributions from one period to the next.
    eta : float, default=0.01
        Added to every word's count in a topic and period when ``topic_word_`` is read
        from the sampler's assignments.
    learning_rate : float, default=0.1
        Scale of the SGLD step size (tomotopy's ``lr_a``). tomotopy's default, 0.01, barely
        separates topics in a few hundred iterations (on three planted word groups the
        topics stayed mixed after 400); 0.1 separates them in 100.
    n_infer_iterations : int, default=100
        Iterations per document when inferring topic shares.
    min_df : int, default=2
        Drop words found in fewer documents.
    max_df_share : float, default=1.0
        Drop words found in a larger share of the documents.
    random_state : int, default=0
        Seed of the sampler.
    n_jobs : int, default=1
        Worker threads; exact repeats need 1.
    id_column : str or None, default=None
        Key column; None: ``passage_id`` when present, else ``doc_id``.

    Attributes
    ----------
    periods_ : list of str
        The periods in time order ("2025Q1", ...), one timepoint each.
    vocabulary_ : ndarray of str, shape (V,)
    word_counts_ : ndarray of int, shape (V,)
    topic_word_ : ndarray, shape (T, K, V)
        Word probabilities of each topic in each period: the sampler's word-topic
        assignments in the period, plus ``eta``, normalized.
    doc_topic_ : ndarray, shape (n_documents, K)
        Topic shares of the training documents.
    doc_ids_ : ndarray, shape (n_documents,)
    n_documents_by_period_ : list of int
    labels_ : list of str
    log_likelihood_ : float
    data_hash_, model_id_ : str

    Examples
    --------
    >>> tokens = pd.DataFrame({
    ...     "doc_id": [f"d{i}" for i in range(8)],
    ...     "date": pd.to_datetime(["2025-01-05", "2025-02-01"] * 2 + ["2025-05-01"] * 4),
    ...     "tokens": [["war", "tank"], ["vote", "poll"]] * 4})
    >>> model = DynamicTopicModel(n_topics=2, min_df=1, n_iterations=20).fit(tokens)
    >>> model.periods_
    ['2025Q1', '2025Q2']
    >>> model.topic_word_.shape
    (2, 2, 4)
    >>> list(model.transform(tokens).columns)
    ['doc_id', 'date', 'period', 'topic_0', 'topic_1', 'model_id']
    """

    _parameter_constraints: dict[str, list] = {
        "n_topics": [Interval(int, 2, 500)],
        "period": [Options({"month", "quarter", "year"})],
        "n_iterations": [Interval(int, 1, None)],
        "alpha_var": [Interval(float, 0.0, None)],
        "eta_var": [Interval(float, 0.0, None)],
        "phi_var": [Interval(float, 0.0, None)],
        "eta": [Interval(float, 0.0, None)],
        "learning_rate": [Interval(float, 0.0, None)],
        "n_infer_iterations": [Interval(int, 1, None)],
        "min_df": [Interval(int, 1, None)],
        "max_df_share": [Interval(float, 0.0, 1.0)],
        "random_state": [Interval(int, 0, 2**32 - 1)],
        "n_jobs": [Interval(int, 1, 64)],
        "id_column": [InstanceOf((str,)), NONE],
    }

    def __init__(
        self,
        *,
        n_topics: int = 10,
        period: Literal["month", "quarter", "year"] = "quarter",
        n_iterations: int = 500,
        alpha_var: float = 0.1,
        eta_var: float = 0.1,
        phi_var: float = 0.1,
        eta: float = 0.01,
        learning_rate: float = 0.1,
        n_infer_iterations: int = 100,
        min_df: int = 2,
        max_df_share: float = 1.0,
        random_state: int = 0,
        n_jobs: int = 1,
        id_column: str | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.period = period
        self.n_iterations = n_iterations
        self.alpha_var = alpha_var
        self.eta_var = eta_var
        self.phi_var = phi_var
        self.eta = eta
        self.learning_rate = learning_rate
        self.n_infer_iterations = n_infer_iterations
        self.min_df = min_df
        self.max_df_share = max_df_share
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.id_column = id_column

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "topic_word_"):
            raise NotFittedError(f"This DynamicTopicModel instance is not fitted yet. Call "
                                 f"'fit' before using '{method}'.")

    def _periods(self, X: pd.DataFrame) -> list[str]:
        labels = covariate_labels(X, [PERIOD], self.period)
        return [row[0].split("=", 1)[1] for row in labels]

    def fit(self, X: pd.DataFrame, y: None = None) -> DynamicTopicModel:
        """Validate the parameters, prune the vocabulary and train over the periods.

        Parameters
        ----------
        X : DataFrame
            A token table with a key column, ``tokens`` and ``date``.
        y : None
            Ignored.

        Returns
        -------
        DynamicTopicModel
            ``self``, fitted.
        """
        params = self.get_params()
        validate_params("DynamicTopicModel", params, self._parameter_constraints)
        for name in ("alpha_var", "eta_var", "phi_var", "eta", "learning_rate",
                     "max_df_share"):
            if params[name] <= 0:
                raise InputError(f"The {name!r} parameter of DynamicTopicModel must be a "
                                 f"float > 0. Got {params[name]!r} instead.")
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"expected a token table (DataFrame), got {type(X).__name__}")
        key = resolve_id_column(X, self.id_column)
        documents = check_table(X, key)
        periods = self._periods(X)
        vocabulary, counts = build_vocabulary(documents, min_df=self.min_df,
                                              max_df_share=self.max_df_share)
        if not vocabulary:
            raise InputError(f"no word is left after pruning (min_df={self.min_df}, "
                             f"max_df_share={self.max_df_share}) of {len(documents)} "
                             "document(s)", field="tokens")
        pruned = prune(documents, vocabulary)
        full = [i for i, tokens in enumerate(pruned) if tokens]
        ordered = sorted({periods[i] for i in full})
        timepoint = {p: t for t, p in enumerate(ordered)}
        tp = import_tomotopy()
        native = tp.DTModel(k=self.n_topics, t=len(ordered), alpha_var=float(self.alpha_var),
                            eta_var=float(self.eta_var), phi_var=float(self.phi_var),
                            lr_a=float(self.learning_rate), seed=self.random_state)
        for i in full:
            native.add_doc(pruned[i], timepoint=timepoint[periods[i]])
        native.train(self.n_iterations, workers=self.n_jobs)
        topic_word = self._period_topic_word(native, vocabulary, len(ordered))

        self.fit_params_ = params
        self.engine_model_ = native
        self.n_topics_ = self.n_topics
        self.id_column_ = key
        self.periods_ = ordered
        self.vocabulary_ = np.array(vocabulary, dtype=str)
        self.word_counts_ = counts
        self.topic_word_ = topic_word
        self.n_documents_by_period_ = [int(n) for n in native.num_docs_by_timepoint]
        shares = np.empty((len(documents), self.n_topics))
        trained = np.array([np.asarray(d.get_topic_dist(), dtype=np.float64)
                            for d in native.docs])
        shares[full] = trained / trained.sum(axis=1, keepdims=True)
        for i in sorted(set(range(len(documents))) - set(full)):
            shares[i] = self._prior(timepoint.get(periods[i]))
        self.doc_topic_ = shares
        self.doc_ids_ = X[key].to_numpy(dtype=object)
        self.log_likelihood_ = float(native.ll_per_word)
        self.labels_ = [f"topic_{k}" for k in range(self.n_topics)]
        self.data_hash_ = hash_documents(X[key].tolist(), documents,
                                         [[p] for p in periods])
        material = json.dumps({"params": params, "data": self.data_hash_, "kind": "dtm"},
                              sort_keys=True)
        self.model_id_ = "dtm-" + hashlib.sha256(material.encode()).hexdigest()[:12]
        return self

    def _period_topic_word(self, native: Any, vocabulary: list[str],
                           n_periods: int) -> np.ndarray:
        """Word probabilities per period and topic from the sampler's word-topic assignments.

        tomotopy's own ``get_topic_word_dist`` of a DTModel differs in the last float32 bit
        from run to run (its vectorized sums depend on memory alignment), which would break
        byte-identical tables; the assignments are integers and repeat exactly. ``eta``
        smooths words unseen in a period.
        """
        position = {word: i for i, word in enumerate(vocabulary)}
        ids = np.array([position[word] for word in native.vocabs], dtype=np.int64)
        counts = np.zeros((n_periods, self.n_topics, len(vocabulary)))
        for document in native.docs:
            words = ids[np.asarray(document.words, dtype=np.int64)]
            topics = np.asarray(document.topics, dtype=np.int64)
            np.add.at(counts, (document.timepoint, topics, words), 1.0)
        counts += self.eta
        return counts / counts.sum(axis=2, keepdims=True)

    def _prior(self, timepoint: int | None) -> np.ndarray:
        """The period's mean topic shares (softmax of DTModel's alpha), uniform if unknown."""
        if timepoint is None:
            return np.full(self.n_topics_, 1.0 / self.n_topics_)
        alpha = np.asarray(self.engine_model_.alpha, dtype=np.float64)[timepoint]
        weights = np.exp(alpha - alpha.max())
        return weights / weights.sum()

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Topic shares per row, inferred in the row's period.

        Returns
        -------
        DataFrame
            The input columns but ``tokens``, then ``period``, ``topic_<k>``, ``model_id``;
            ``.attrs`` as :meth:`TopicModel.transform`.

        Raises
        ------
        InputError
            A row from a period the model was not trained on, a missing column, repeated keys.
        """
        self._check_is_fitted("transform")
        key = resolve_id_column(X, self.id_column_)
        documents = prune(check_table(X, key), self.vocabulary_.tolist())
        periods = self._periods(X)
        timepoint = {p: t for t, p in enumerate(self.periods_)}
        unknown = sorted(set(periods) - set(timepoint))
        if unknown:
            raise InputError(f"period(s) {unknown[:5]} are not among the model's periods "
                             f"{self.periods_[0]}..{self.periods_[-1]}", field="date")
        names = ["period", *[f"topic_{k}" for k in range(self.n_topics_)], "model_id"]
        for name in names[1:]:
            if name in X.columns:
                raise InputError(f"the table already has a {name!r} column", field=name)
        shares = np.empty((len(documents), self.n_topics_))
        full = [i for i, tokens in enumerate(documents) if tokens]
        if full:
            made = [self.engine_model_.make_doc(documents[i], timepoint=timepoint[periods[i]])
                    for i in full]
            inferred, _ = self.engine_model_.infer(made, iterations=self.n_infer_iterations,
                                                   workers=self.n_jobs, together=False)
            inferred = np.asarray(inferred, dtype=np.float64)
            shares[full] = inferred / inferred.sum(axis=1, keepdims=True)
        for i in sorted(set(range(len(documents))) - set(full)):
            shares[i] = self._prior(timepoint[periods[i]])
        out = X.drop(columns=["tokens"])
        if "period" not in out.columns:  # a user's own period column is what was used
            out["period"] = periods
        topics = pd.DataFrame(shares, index=X.index, columns=names[1:-1])
        out = pd.concat([out, topics], axis=1)
        out["model_id"] = self.model_id_
        out.attrs = {"model_id": self.model_id_, "id_column": self.id_column_,
                     "n_topics": int(self.n_topics_), "topic_labels": list(self.labels_)}
        return out

    def set_labels(self, labels: Mapping[int, str] | Sequence[str]) -> DynamicTopicModel:
        """Name topics (as :meth:`TopicModel.set_labels`); returns ``self``."""
        self._check_is_fitted("set_labels")
        TopicModel.set_labels(self, labels)  # type: ignore[arg-type]
        return self

    def save(self, path: PathLike, *, force: bool = False) -> Path:
        """Write the model as a bundle folder (as :meth:`TopicModel.save`).

        Parameters
        ----------
        path : str or PathLike
            The bundle folder.
        force : bool, default=False
            Replace an existing folder; otherwise raise ``StoreExistsError``.

        Returns
        -------
        Path
            The bundle folder.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        from framing.topics._dynamic_bundle import save_dynamic_bundle

        self._check_is_fitted("save")
        return save_dynamic_bundle(self, path, force=force)

    @classmethod
    def load(cls, path: PathLike) -> DynamicTopicModel:
        """Read a bundle written by :meth:`save`; warns when it was made by other versions.

        Raises
        ------
        BundleError
            A missing, incomplete or altered bundle (the message names the file), or a
            TopicModel bundle.
        """
        from framing.topics._dynamic_bundle import load_dynamic_bundle

        return load_dynamic_bundle(path)

    def top_words_by_period(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most probable words of every topic in every period, as a tidy table.

        Returns
        -------
        DataFrame
            ``period``, ``topic``, ``label``, ``rank`` (from 1), ``word``, ``probability``;
            periods in time order, ties broken by word.
        """
        validate_params("top_words_by_period", {"n": n}, {"n": [Interval(int, 1, None)]})
        self._check_is_fitted("top_words_by_period")
        n = min(n, len(self.vocabulary_))
        rows = []
        for t, period in enumerate(self.periods_):
            for topic in range(self.n_topics_):
                row = self.topic_word_[t, topic]
                for rank, index in enumerate(np.lexsort((self.vocabulary_, -row))[:n], 1):
                    rows.append((period, topic, self.labels_[topic], rank,
                                 str(self.vocabulary_[index]), float(row[index])))
        return pd.DataFrame(rows, columns=["period", "topic", "label", "rank", "word",
                                           "probability"])

    def word_trajectories(self, words: Sequence[str]) -> pd.DataFrame:
        """Probability of each of ``words`` in every topic and period (long table).

        Returns
        -------
        DataFrame
            ``period``, ``topic``, ``label``, ``word``, ``probability``.

        Raises
        ------
        InputError
            A word outside the vocabulary.
        """
        self._check_is_fitted("word_trajectories")
        position = {word: i for i, word in enumerate(self.vocabulary_.tolist())}
        unknown = [w for w in words if w not in position]
        if unknown:
            raise InputError(f"not in the model's vocabulary: {unknown[:5]!r}", field="words")
        rows = [(period, topic, self.labels_[topic], word,
                 float(self.topic_word_[t, topic, position[word]]))
                for t, period in enumerate(self.periods_) for topic in range(self.n_topics_)
                for word in words]
        return pd.DataFrame(rows, columns=["period", "topic", "label", "word",
                                           "probability"])
