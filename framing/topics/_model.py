"""``TopicModel``: a scikit-learn-style topic model over a token table, on tomotopy or gensim."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
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
from framing.topics._boilerplate import flag_boilerplate
from framing.topics._dtm import DocumentTerms, as_token_table
from framing.topics._engines import ENGINES
from framing.topics._inputs import (
    build_vocabulary,
    check_table,
    covariate_labels,
    hash_documents,
    numeric_covariates,
    prune,
    resolve_id_column,
)
from framing.topics._stream import doc_topic_attrs, iter_batches, write_batches

logger = logging.getLogger(__name__)


class TopicModel(TransformerMixin, BaseEstimator):
    """A topic model (LDA, or DMR with outlet and period as covariates) over a token table.

    An estimator in scikit-learn's style: ``__init__`` only stores the parameters, ``fit``
    validates them and trains, ``transform`` returns a document-topic table that keeps every
    input column but ``tokens``. Both engines prune the same vocabulary and repeat exactly for
    the same ``random_state`` when ``n_jobs=1``.

    Parameters
    ----------
    n_topics : int, default=20
        Number of topics K.
    engine : {"tomotopy", "gensim"}, default="tomotopy"
        tomotopy: collapsed Gibbs sampling; gensim: online variational Bayes.
    kind : {"lda", "dmr"}, default="lda"
        "dmr" (tomotopy only): Dirichlet-multinomial regression, the topic prior depends on
        ``covariates``.
    covariates : sequence of str, default=("outlet", "period")
        Categorical DMR covariates: column names, or "period" (derived from ``date``); may be
        empty when ``numeric_covariates`` is not. Ignored for LDA.
    numeric_covariates : sequence of str, default=()
        Numeric DMR covariates (tomotopy's g-DMR, ``GDMRModel``): columns of numbers, or of
        dates (as days since 1970). Each enters the topic prior as a smooth, Legendre
        polynomials up to ``degree`` over its training range, as stm's ``s(day)`` does; the
        categorical covariates enter as before. Ignored for LDA.
    degree : int, default=3
        Degree of the Legendre polynomials of each numeric covariate.
    period : {"month", "quarter", "year"}, default="month"
        Length of the "period" covariate.
    alpha : float, default=0.1
        Document-topic Dirichlet prior per topic (DMR: its starting value).
    eta : float, default=0.1
        Topic-word Dirichlet prior. 0.1 by measurement (``benchmarks/topics_stm.py``): on
        poliblog5k (K=20, 50 sweeps) it matches stm's topics better on every seed tried than
        0.01 (matched similarity 0.70-0.74 on seeds 0-5, against 0.67-0.72) and 0.05; 0.2
        matches the words better still but the rating effects worse.
    term_weight : {"one", "idf", "pmi"}, default="one"
        tomotopy's term weighting (``tomotopy.TermWeight``): "one" counts every token once;
        "idf" and "pmi" weigh a token by its word's inverse document frequency or by its
        pointwise mutual information with the document, so common words weigh less in the
        topics. The gensim engine takes only "one". The weighted log-likelihood is not
        comparable across weightings. Measured on 99,750 synthetic articles, K=20
        (``benchmarks/topic_engines.py``): "pmi" reaches gensim LdaMulticore's coherence
        (c_npmi 0.228) in 25 sweeps, 5.5x faster than gensim, where "one" needs ~200 sweeps;
        at 100 sweeps "pmi" 0.286, "idf" 0.263.
    optimize_alpha : bool, default=True
        Learn an asymmetric alpha (tomotopy every 10 iterations after ``burn_in``; gensim
        ``alpha="auto"``, which needs ``n_jobs=1``).
    n_iterations : int, default=50
        Gibbs sweeps (tomotopy). 50 by measurement (``benchmarks/topics_stm.py``,
        ``benchmarks/topics_sweeps_real.py``): on poliblog5k stm's topics and rating effects
        are matched as well at 50 sweeps as at 100 or 200, in a tenth of stm's CPU time; on
        AllSides news (K=15 DMR) stm's semantic coherence, exclusivity and seed stability are
        no worse than at 200 sweeps, but gensim's c_npmi is (0.054 against 0.066) and the
        likelihood still rises: raise it for tighter word lists.
    burn_in : int, default=25
        Sweeps before alpha is optimized and Gibbs states are saved (tomotopy).
    posterior_samples : int, default=10
        Gibbs states kept for the uncertainty of each document's topic shares (tomotopy):
        every document's topic counts at this many states, thinned evenly over the sweeps after
        ``burn_in`` (no extra sweep). :func:`framing.measure.estimate_effects` draws from them
        (``model=``) as stm draws from its posterior; 0 keeps none (and the method of
        composition falls back to one state's counts).
    passes : int, default=10
        Passes over the corpus (gensim).
    n_infer_iterations : int, default=100
        Iterations per document when inferring topic shares (both engines).
    min_df : int, default=2
        Drop words found in fewer documents.
    max_df_share : float, default=1.0
        Drop words found in a larger share of the documents.
    random_state : int, default=0
        Seed of every random step.
    n_jobs : int, default=1
        Worker threads (tomotopy) or processes (gensim ``LdaMulticore``); exact repeats need 1.
    id_column : str or None, default=None
        Key column; None: ``passage_id`` when present, else ``doc_id``.

    Attributes
    ----------
    n_topics_ : int
    vocabulary_ : ndarray of str, shape (V,)
        The kept words, sorted.
    word_counts_ : ndarray of int, shape (V,)
        Occurrences of each word in the training table.
    topic_word_ : ndarray, shape (K, V)
        Word probabilities per topic; rows sum to 1.
    doc_topic_ : ndarray, shape (n_documents, K)
        Topic shares of the training documents (tomotopy: from the last Gibbs sample).
    doc_ids_ : ndarray, shape (n_documents,)
        Keys of the training documents, in order.
    doc_lengths_ : ndarray of int, shape (n_documents,)
        Tokens of each training document kept after pruning (what the model saw).
    doc_topic_count_samples_ : ndarray of int, shape (n_states, n_documents, K) or None
        Tokens of each document assigned to each topic at the saved Gibbs states
        (``posterior_samples``); None for gensim or ``posterior_samples=0``.
    alpha_ : ndarray, shape (K,)
        The learned Dirichlet prior of the topic shares (DMR: the mean of the documents'
        priors); with ``doc_lengths_``, what :func:`framing.measure.estimate_effects` needs
        for the method of composition (pass ``model=``).
    log_likelihood_, perplexity_ : float
        Per-word log-likelihood (gensim: variational bound) and its perplexity.
    labels_ : list of str
        Topic labels, "topic_0"... until :meth:`set_labels`.
    boilerplate_ : ndarray of bool, shape (K,)
        Topics flagged as boilerplate (newsletter blurbs, photo captions, link lists): more
        than half their tokens (and twice its share of all tokens) from one ``outlet`` of the
        training table, or three of their ten best FREX words from boilerplate vocabulary
        (:mod:`framing.topics._boilerplate`).
    boilerplate_reasons_ : list of str
        Why each topic was flagged ("" when it was not).
    data_hash_ : str
        sha256 of the training keys, tokens and covariates.
    model_id_ : str
        Hash of the parameters and ``data_hash_``; written to ``model_id`` by ``transform``.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "Y", "X", "Y"],
    ...     "tokens": [["war", "tank"], ["vote", "poll"], ["tank", "war"], ["poll", "vote"]]})
    >>> model = TopicModel(n_topics=2, min_df=1, n_iterations=50).fit(tokens)
    >>> table = model.transform(tokens)
    >>> list(table.columns)
    ['doc_id', 'outlet', 'topic_0', 'topic_1', 'model_id']
    >>> bool(np.allclose(table[["topic_0", "topic_1"]].sum(axis=1), 1.0))
    True
    """

    _parameter_constraints: dict[str, list] = {
        "n_topics": [Interval(int, 2, 500)],
        "engine": [Options({"tomotopy", "gensim"})],
        "kind": [Options({"lda", "dmr"})],
        "covariates": [InstanceOf((list, tuple))],
        "numeric_covariates": [InstanceOf((list, tuple))],
        "degree": [Interval(int, 0, 10)],
        "period": [Options({"month", "quarter", "year"})],
        "alpha": [Interval(float, 0.0, None)],
        "eta": [Interval(float, 0.0, None)],
        "term_weight": [Options({"one", "idf", "pmi"})],
        "optimize_alpha": [InstanceOf((bool,))],
        "n_iterations": [Interval(int, 1, None)],
        "burn_in": [Interval(int, 0, None)],
        "posterior_samples": [Interval(int, 0, 1000)],
        "passes": [Interval(int, 1, None)],
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
        n_topics: int = 20,
        engine: Literal["tomotopy", "gensim"] = "tomotopy",
        kind: Literal["lda", "dmr"] = "lda",
        covariates: Sequence[str] = ("outlet", "period"),
        numeric_covariates: Sequence[str] = (),
        degree: int = 3,
        period: Literal["month", "quarter", "year"] = "month",
        alpha: float = 0.1,
        eta: float = 0.1,
        term_weight: Literal["one", "idf", "pmi"] = "one",
        optimize_alpha: bool = True,
        n_iterations: int = 50,
        burn_in: int = 25,
        posterior_samples: int = 10,
        passes: int = 10,
        n_infer_iterations: int = 100,
        min_df: int = 2,
        max_df_share: float = 1.0,
        random_state: int = 0,
        n_jobs: int = 1,
        id_column: str | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.engine = engine
        self.kind = kind
        self.covariates = covariates
        self.numeric_covariates = numeric_covariates
        self.degree = degree
        self.period = period
        self.alpha = alpha
        self.eta = eta
        self.term_weight = term_weight
        self.optimize_alpha = optimize_alpha
        self.n_iterations = n_iterations
        self.burn_in = burn_in
        self.posterior_samples = posterior_samples
        self.passes = passes
        self.n_infer_iterations = n_infer_iterations
        self.min_df = min_df
        self.max_df_share = max_df_share
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.id_column = id_column

    def _validate_params(self) -> None:
        validate_params("TopicModel", self.get_params(), self._parameter_constraints)
        for name in ("alpha", "eta", "max_df_share"):
            if getattr(self, name) <= 0:
                raise InputError(f"The {name!r} parameter of TopicModel must be a float > 0. "
                                 f"Got {getattr(self, name)!r} instead.")
        for name in ("covariates", "numeric_covariates"):
            if not all(isinstance(value, str) for value in getattr(self, name)):
                raise InputError(f"The {name!r} parameter of TopicModel must contain only "
                                 f"str. Got {getattr(self, name)!r} instead.")
        both = set(self.covariates) & set(self.numeric_covariates)
        if both:
            raise InputError(f"A covariate is either categorical or numeric: {sorted(both)!r} "
                             "is in both 'covariates' and 'numeric_covariates' of TopicModel.")
        if self.kind == "dmr" and self.engine != "tomotopy":
            raise InputError("The 'kind' parameter of TopicModel can be 'dmr' only with "
                             f"engine='tomotopy'. Got engine={self.engine!r} instead.")
        if self.kind == "dmr" and not self.covariates and not self.numeric_covariates:
            raise InputError("The 'covariates' parameter of TopicModel must name at least one "
                             "covariate when kind='dmr'. Got () instead.")
        if self.engine == "gensim" and self.term_weight != "one":
            raise InputError("The 'term_weight' parameter of TopicModel must be 'one' with "
                             f"engine='gensim'. Got {self.term_weight!r} instead.")
        if self.engine == "gensim" and self.optimize_alpha and self.n_jobs > 1:
            raise InputError("The 'optimize_alpha' parameter of TopicModel must be False with "
                             "engine='gensim' and n_jobs > 1 (LdaMulticore cannot learn "
                             "alpha). Got True instead.")

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "topic_word_"):
            raise NotFittedError(f"This TopicModel instance is not fitted yet. Call 'fit' "
                                 f"before using '{method}'.")

    # -- fitting and transforming -------------------------------------------------------------

    def _html_repr(self) -> str:
        """In Jupyter: a fitted model's card (its topics by share, with their FREX words),
        then scikit-learn's estimator diagram; an unfitted model shows the diagram alone."""
        from sklearn.utils import estimator_html_repr

        from framing.corpus._html import html_card, html_table
        from framing.topics._words import top_words

        diagram = estimator_html_repr(self)
        if not hasattr(self, "model_id_"):
            return diagram
        words = top_words(self, n=8, by="frex")
        topics = pd.DataFrame({
            "topic": [f"{k}: {label}" for k, label in enumerate(self.labels_)],
            "share of the documents": self.doc_topic_.mean(axis=0),
            "FREX words": words.groupby("topic", sort=True)["word"].agg(", ".join).to_numpy(),
        }).sort_values("share of the documents", ascending=False)
        facts = [("model", self.model_id_), ("engine", f"{self.engine} {self.kind}"),
                 ("topics", self.n_topics_), ("documents", len(self.doc_ids_)),
                 ("vocabulary", len(self.vocabulary_)), ("perplexity", self.perplexity_)]
        return html_card("TopicModel (fitted)", facts,
                         [("Topics, largest first", html_table(topics))]) + diagram

    def _documents(self, X: pd.DataFrame, params: dict[str, Any],
                   ) -> tuple[str, list[list[str]], list[list[str]]]:
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"expected a token table (DataFrame), got {type(X).__name__}")
        key = resolve_id_column(X, params["id_column"])
        documents = check_table(X, key)
        if params["kind"] == "dmr":
            covariates = covariate_labels(X, params["covariates"], params["period"])
            numeric = numeric_covariates(X, params.get("numeric_covariates", []))
            covariates = [labels + numbers
                          for labels, numbers in zip(covariates, numeric, strict=True)]
        else:
            covariates = [[] for _ in documents]
        return key, documents, covariates

    def _shares(self, documents: list[list[str]], covariates: list[list[str]],
                infer: Any) -> np.ndarray:
        """Topic shares per row: ``infer`` on documents with words, the prior on the rest."""
        engine, params = ENGINES[self.fit_params_["engine"]], self.fit_params_
        shares = np.empty((len(documents), self.n_topics_))
        full = [i for i, tokens in enumerate(documents) if tokens]
        if full:
            shares[full] = infer([documents[i] for i in full], [covariates[i] for i in full])
        empty = [i for i, tokens in enumerate(documents) if not tokens]
        for i in empty:
            shares[i] = engine.prior(self.engine_model_, covariates[i], params)
        if empty:
            logger.info("%d document(s) have no word of the vocabulary; they get the prior's "
                        "topic shares", len(empty))
        return shares

    def fit(self, X: pd.DataFrame | DocumentTerms, y: None = None, *,
            progress: bool = False) -> TopicModel:
        """Validate the parameters, prune the vocabulary and train the topics.

        Parameters
        ----------
        X : DataFrame or DocumentTerms
            A token table: a key column (``passage_id`` or ``doc_id``), ``tokens`` (list of
            str), and for DMR the covariate columns (``date`` for "period"); or a
            document-term matrix with its vocabulary and metadata (:class:`DocumentTerms`).
        y : None
            Ignored.
        progress : bool, default=False
            Show a progress bar of Gibbs sweeps (engine "tomotopy"; gensim trains its passes
            in one call and shows none). The fitted model is the same with or without it.

        Returns
        -------
        TopicModel
            ``self``, fitted.

        Raises
        ------
        InputError
            An invalid parameter, a missing column, repeated keys, or no word left.
        """
        self._validate_params()
        X = as_token_table(X)
        params = self.get_params()
        params["covariates"] = list(params["covariates"])
        params["numeric_covariates"] = list(params["numeric_covariates"])
        key, documents, covariates = self._documents(X, params)
        vocabulary, counts = build_vocabulary(documents, min_df=self.min_df,
                                              max_df_share=self.max_df_share)
        if not vocabulary:
            raise InputError(f"no word is left after pruning (min_df={self.min_df}, "
                             f"max_df_share={self.max_df_share}) of {len(documents)} "
                             "document(s)", field="tokens")
        pruned = prune(documents, vocabulary)
        full = [i for i, tokens in enumerate(pruned) if tokens]
        engine = ENGINES[self.engine]
        full_documents = [pruned[i] for i in full]
        full_covariates = [covariates[i] for i in full]
        states: list[np.ndarray] = []
        native = engine.fit(full_documents, full_covariates, vocabulary, params, states,
                            progress=progress)

        self.fit_params_ = params
        self.engine_model_ = native
        self.n_topics_ = self.n_topics
        self.id_column_ = key
        self.vocabulary_ = np.array(vocabulary, dtype=str)
        self.word_counts_ = counts
        self.topic_word_ = engine.topic_word(native, vocabulary)
        self.doc_ids_ = X[key].to_numpy(dtype=object)
        self.doc_topic_ = self._shares(
            pruned, covariates,
            lambda docs, covs: engine.train_doc_topic(native, docs, covs, params))
        metrics = engine.metrics(native, full_documents, params)
        self.log_likelihood_ = metrics["log_likelihood_per_word"]
        self.perplexity_ = metrics["perplexity"]
        self.n_empty_documents_ = len(documents) - len(full)
        self.doc_lengths_ = np.array([len(tokens) for tokens in pruned], dtype=np.int64)
        self.alpha_ = engine.alpha(native, full_covariates, params)
        self.doc_topic_count_samples_ = None
        if states:
            # empty documents keep zero counts: their posterior is the prior
            # (uint16 when every document is short enough: 10 states of 100k documents x 50
            # topics are 100 MB)
            longest = max((len(tokens) for tokens in pruned), default=0)
            samples = np.zeros((len(states), len(documents), self.n_topics_),
                               dtype=np.uint16 if longest < 2**16 else np.int32)
            samples[:, full] = np.stack(states)
            self.doc_topic_count_samples_ = samples
        self.labels_ = [f"topic_{k}" for k in range(self.n_topics_)]
        flags = flag_boilerplate(
            self.topic_word_, vocabulary, counts, doc_topic=self.doc_topic_,
            doc_lengths=self.doc_lengths_,
            sources=X["outlet"].tolist() if "outlet" in X.columns else None)
        self.boilerplate_ = flags["boilerplate"].to_numpy(dtype=bool)
        self.boilerplate_reasons_ = flags["reason"].tolist()
        self.data_hash_ = hash_documents(X[key].tolist(), documents, covariates)
        material = json.dumps({"params": params, "data": self.data_hash_}, sort_keys=True)
        self.model_id_ = "tm-" + hashlib.sha256(material.encode()).hexdigest()[:12]
        return self

    def transform(self, X: pd.DataFrame | DocumentTerms | Iterable[pd.DataFrame], *,
                  out: PathLike | None = None, batch_size: int = 10_000,
                  force: bool = False) -> pd.DataFrame | Path:
        """Topic shares per row: the input columns but ``tokens``, ``topic_<k>``, ``model_id``.

        Deterministic: the same table gives the same shares, and a row's shares do not depend
        on the other rows. Rows without a word of the vocabulary get the prior's shares. The
        table's ``.attrs`` hold ``model_id``, ``id_column``, ``n_topics`` and
        ``topic_labels`` (the labels set with :meth:`set_labels`).

        Parameters
        ----------
        X : DataFrame, or iterable of DataFrame (with ``out``)
            A token table with the columns ``fit`` needed; with ``out``, also an iterable of
            token-table batches (read once).
        out : str or PathLike, optional
            Stream the table to this Parquet file instead, ``batch_size`` rows at a time, so
            memory stays bounded; the ``.attrs`` travel in the file's metadata
            (``pd.read_parquet`` restores them). Keys are checked for repeats within a batch.
        batch_size : int, default=10_000
            Rows inferred and written at a time with ``out``.
        force : bool, default=False
            Replace an existing ``out`` file.

        Returns
        -------
        DataFrame, or Path
            The table, or ``out`` when given.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            A missing column, repeated keys, or an output column already in the table.
        """
        self._check_is_fitted("transform")
        X = as_token_table(X)
        if out is not None:
            validate_params("TopicModel.transform", {"batch_size": batch_size},
                            {"batch_size": [Interval(int, 1, None)]})
            return write_batches(iter_batches(X, batch_size), self._transform_table, out,
                                 doc_topic_attrs(self), force=force)
        return self._transform_table(X)

    def _transform_table(self, X: pd.DataFrame) -> pd.DataFrame:
        params = self.fit_params_
        _, documents, covariates = self._documents(X, params)
        names = [f"topic_{k}" for k in range(self.n_topics_)]
        for name in [*names, "model_id"]:
            if name in X.columns:
                raise InputError(f"the table already has a {name!r} column", field=name)
        engine = ENGINES[params["engine"]]
        shares = self._shares(
            prune(documents, self.vocabulary_.tolist()), covariates,
            lambda docs, covs: engine.infer(self.engine_model_, docs, covs, params))
        out = X.drop(columns=["tokens"])
        topics = pd.DataFrame(shares, index=X.index, columns=names)
        out = pd.concat([out, topics], axis=1)
        out["model_id"] = self.model_id_
        out.attrs = doc_topic_attrs(self)
        return out

    def fit_transform(self, X: pd.DataFrame, y: None = None) -> pd.DataFrame:
        """``fit(X).transform(X)`` (inferred shares, not ``doc_topic_``)."""
        self.fit(X)
        return self._transform_table(X)

    # -- reading and keeping the model --------------------------------------------------------

    def set_labels(self, labels: Mapping[int, str] | Sequence[str]) -> TopicModel:
        """Name topics; the labels are saved with the model.

        Parameters
        ----------
        labels : mapping of int to str, or sequence of str
            ``{0: "summit diplomacy"}`` renames topic 0 only; a sequence names all K.

        Returns
        -------
        TopicModel
            ``self``.

        Raises
        ------
        InputError
            An unknown topic, an empty label, or two topics with the same label.
        """
        self._check_is_fitted("set_labels")
        if not isinstance(labels, Mapping):
            labels = list(labels)
            if len(labels) != self.n_topics_:
                raise InputError(f"expected {self.n_topics_} labels, got {len(labels)}")
            labels = dict(enumerate(labels))
        new = list(self.labels_)
        for topic, label in labels.items():
            if isinstance(topic, bool) or not isinstance(topic, int | np.integer) or not (
                    0 <= topic < self.n_topics_):
                raise InputError(f"unknown topic {topic!r}; topics are 0 to "
                                 f"{self.n_topics_ - 1}")
            if not isinstance(label, str) or not label.strip():
                raise InputError(f"the label of topic {topic} must be a non-empty str, "
                                 f"got {label!r}")
            new[int(topic)] = label.strip()
        repeated = sorted({label for label in new if new.count(label) > 1})
        if repeated:
            raise InputError(f"labels must be unique; repeated: {repeated!r}")
        self.labels_ = new
        return self

    def save(self, path: PathLike, *, force: bool = False) -> Path:
        """Write the model as a bundle folder (see :func:`framing.topics._bundle.save_bundle`).

        Returns
        -------
        Path
            The bundle folder.
        """
        from framing.topics._bundle import save_bundle

        self._check_is_fitted("save")
        return save_bundle(self, path, force=force)

    @classmethod
    def load(cls, path: PathLike) -> TopicModel:
        """Read a bundle written by :meth:`save`; warns when it was made by other versions.

        Raises
        ------
        BundleError
            A missing or incomplete bundle.
        """
        from framing.topics._bundle import load_bundle

        return load_bundle(path)
