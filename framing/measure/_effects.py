"""Effects of outlet and time on a prevalence: the Python twin of R stm's ``estimateEffect``.

Each outcome (a topic proportion, a frame's calibrated probability ``p_<frame>`` or its 0/1
decision ``is_<frame>``) is regressed by least squares on the outlet (categorical, treatment
contrasts against the first outlet in sorted order) plus a smooth of time: a B-spline
(patsy ``bs``, as stm's ``s()``) or a natural cubic regression spline (patsy ``cr``, centred).
The design is built once with patsy (the formula engine of statsmodels) and the plain fit is
statsmodels ``OLS``.

Uncertainty, three ways:

* none asked (``draws=None``, ``n_bootstrap=0``): the OLS intervals (``cov_type``, HC1 by
  default because shares and 0/1 outcomes are heteroscedastic; clustered by ``doc_id`` when
  the rows are passages);
* ``draws=M`` (topic columns only), the **method of composition** as in stm: M times, every
  document's topic proportions are drawn from their posterior, the regression is refitted, and
  coefficients are drawn from that fit's sampling distribution; the pooled draws give the
  intervals, their mean the estimate. With ``model=`` a fitted tomotopy :class:`TopicModel`
  that kept Gibbs states (``posterior_samples``), draw m takes state ``m mod S`` and draws
  every document's proportions from ``Dirichlet(alpha + its topic counts at that state)``: the
  posterior of the proportions given the state, averaged over the sampler's states, so the
  uncertainty of the topic assignments (which one state's counts hide) is carried too.
  Otherwise ``Dirichlet(alpha + n_tokens * proportions)`` (one state's counts). This carries
  the topic model's uncertainty about each document, which the plain fit ignores (each draw's
  covariance treats rows as independent: for passage rows prefer the bootstrap);
* ``n_bootstrap=B``: documents are resampled within each outlet (whole documents when the rows
  are passages) and the regression refitted B times; percentile intervals around the fit on
  all documents.

All refits share one design matrix, so they are a few matrix products for all outcomes and
draws at once, not a loop over model fits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from scipy import stats
from sklearn.base import BaseEstimator

from framing.corpus import (
    NONE,
    InputError,
    InstanceOf,
    Interval,
    NotFittedError,
    Options,
    validate_params,
)
from framing.measure._formula import formula_design
from framing.measure._topics import (
    check_alpha,
    cluster_column,
    dirichlet_concentration,
    draw_doc_topics,
    numeric_matrix,
    topic_columns,
)

#: Coefficient draws kept per fit in total (spread over the composition draws).
_N_COEFFICIENT_DRAWS = 1000


class _GroupFit:
    """What one group's fit keeps: the design, the point estimates and the uncertainty."""

    def __init__(self, key: tuple, design_info: Any, columns: list[str], beta: np.ndarray,
                 vcov: np.ndarray | None, samples: np.ndarray | None, n_documents: int,
                 outlets: list[str], time_range: tuple[float, float]) -> None:
        self.key = key
        self.design_info = design_info
        self.columns = columns
        self.beta = beta  # (n_outcomes, P)
        self.vcov = vcov  # (n_outcomes, P, P) for plain OLS, else None
        self.samples = samples  # (n_outcomes, S, P) for composition / bootstrap, else None
        self.n_documents = n_documents
        self.outlets = outlets
        self.time_range = time_range


class PrevalenceRegression(BaseEstimator):
    """Regress prevalence outcomes on outlet and a smooth of time, with honest intervals.

    The estimator behind :func:`estimate_effects` and :func:`predict_prevalence`; see the
    module docstring for the model and the three kinds of interval.

    Parameters
    ----------
    outcomes : sequence of str or None, default=None
        Outcome columns (``topic_<k>``, ``p_<frame>``, ``is_<frame>``); None: every
        ``topic_<k>`` column.
    formula : str or None, default=None
        Any right-hand side in patsy's formula language over the table's columns, e.g.
        ``"rating + s(day)"`` (as in stm: ``s`` is a B-spline of min(10, distinct values - 1)
        degrees of freedom, ``bs(day, df=10)`` here) or ``"C(blog) + year"``;
        it replaces ``outlet`` and the smooth of ``time``. Terms keep patsy's column names
        (``rating[T.Liberal]``) and ``kind`` "term"; no time contrast is added, and
        :meth:`predict_prevalence` needs the outlet-and-time form.
    model : TopicModel or None, default=None
        The fitted topic model the table came from (for ``draws``): each row's number of
        tokens is looked up by its key among the model's training documents
        (``doc_lengths_``), and the Dirichlet prior is the model's learned ``alpha_``, so
        neither ``length`` nor ``alpha`` is needed by hand; when the table's proportions are
        the model's ``doc_topic_``, the draws come from its saved Gibbs states
        (``doc_topic_count_samples_``).
    outlet : str, default="outlet"
        Categorical column; its first level in sorted order is the reference.
    time : str, default="date"
        Dates (measured in days from the earliest) or numbers.
    smooth : {"bs", "cr"}, default="bs"
        B-spline or natural cubic regression spline of time.
    smooth_df : int, default=5
        Degrees of freedom of the spline (3 to 20; "bs" needs at least 3).
    by : sequence of str or None, default=None
        Fit separately within each combination of these columns.
    draws : int or None, default=None
        Method of composition: posterior draws of the topic proportions (topic outcomes only).
    n_bootstrap : int, default=0
        Document bootstrap replicates (0: none). Not together with ``draws``.
    alpha : float or sequence of float, default=0.1
        The topic model's Dirichlet prior (for ``draws``).
    length : str, default="n_tokens"
        Column with each row's number of tokens (for ``draws``).
    cov_type : {"HC1", "nonrobust"}, default="HC1"
        Covariance of the least-squares coefficients.
    confidence : float, default=0.95
        Interval level.
    random_state : int, default=0
        Seed of the draws and resamples.

    Attributes
    ----------
    effects_ : DataFrame
        ``*by, outcome, term, kind, estimate, std_error, ci_low, ci_high, n_documents,
        method``. ``kind`` is "intercept", "outlet" (difference from the reference outlet at
        the same time), "time" (spline coefficients, not readable alone) or "contrast"
        (``time: last - first``: the change of the expected prevalence from the first to the
        last day, for any outlet).
    outcomes_ : list of str
    reference_outlet_ : dict
        The reference outlet of each group (key: tuple of the ``by`` values).
    time_origin_ : Timestamp or None
        Day 0 of the time axis when ``time`` holds dates.
    method_ : str
        "ols", "composition" or "bootstrap".

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> table = pd.DataFrame({"outlet": rng.choice(["A", "B"], 200),
    ...     "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, 200), "D")})
    >>> table["p_peace"] = 0.3 + 0.2 * (table["outlet"] == "B") + rng.normal(0, 0.05, 200)
    >>> fit = PrevalenceRegression(outcomes=["p_peace"], smooth_df=3).fit(table)
    >>> row = fit.effects_.query("kind == 'outlet'").iloc[0]
    >>> row["term"], round(float(row["estimate"]), 1)
    ('outlet[B]', 0.2)
    """

    _parameter_constraints: dict[str, list] = {
        "outcomes": [InstanceOf((list, tuple)), NONE],
        "formula": [InstanceOf((str,)), NONE],
        "model": [InstanceOf((object,)), NONE],
        "outlet": [InstanceOf((str,))],
        "time": [InstanceOf((str,))],
        "smooth": [Options({"bs", "cr"})],
        "smooth_df": [Interval(int, 3, 20)],
        "by": [InstanceOf((list, tuple, str)), NONE],
        "draws": [Interval(int, 2, 100_000), NONE],
        "n_bootstrap": [Interval(int, 0, 100_000)],
        "alpha": [Interval(float, 0.0, None), InstanceOf((list, tuple, np.ndarray))],
        "length": [InstanceOf((str,))],
        "cov_type": [Options({"HC1", "nonrobust"})],
        "confidence": [Interval(float, 0.5, 0.999)],
        "random_state": [Interval(int, 0, 2**32 - 1)],
    }

    def __init__(
        self,
        *,
        outcomes: Sequence[str] | None = None,
        formula: str | None = None,
        model: Any = None,
        outlet: str = "outlet",
        time: str = "date",
        smooth: Literal["bs", "cr"] = "bs",
        smooth_df: int = 5,
        by: Sequence[str] | None = None,
        draws: int | None = None,
        n_bootstrap: int = 0,
        alpha: float | Sequence[float] = 0.1,
        length: str = "n_tokens",
        cov_type: Literal["HC1", "nonrobust"] = "HC1",
        confidence: float = 0.95,
        random_state: int = 0,
    ) -> None:
        self.outcomes = outcomes
        self.formula = formula
        self.model = model
        self.outlet = outlet
        self.time = time
        self.smooth = smooth
        self.smooth_df = smooth_df
        self.by = by
        self.draws = draws
        self.n_bootstrap = n_bootstrap
        self.alpha = alpha
        self.length = length
        self.cov_type = cov_type
        self.confidence = confidence
        self.random_state = random_state

    # -- fitting ------------------------------------------------------------------------------

    def _validate(self, table: pd.DataFrame) -> tuple[list[str], list[str]]:
        validate_params("PrevalenceRegression", self.get_params(deep=False),
                        self._parameter_constraints)
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"expected a table (DataFrame), got {type(table).__name__}")
        if self.draws is not None and self.n_bootstrap:
            raise InputError("The 'draws' and 'n_bootstrap' parameters of PrevalenceRegression "
                             "cannot both be set: choose the method of composition or the "
                             f"bootstrap. Got draws={self.draws!r}, "
                             f"n_bootstrap={self.n_bootstrap!r}.")
        if 0 < self.n_bootstrap < 10:
            raise InputError("The 'n_bootstrap' parameter of PrevalenceRegression must be 0 or "
                             f">= 10. Got {self.n_bootstrap!r} instead.")
        outcomes = topic_columns(table) if self.outcomes is None else list(self.outcomes)
        if not outcomes:
            raise InputError("no outcome: the table has no topic_<k> column and no outcomes "
                             "were named", field="topic_0")
        if len(set(outcomes)) != len(outcomes):
            raise InputError(f"outcomes repeat a column: {outcomes!r}")
        by = [] if self.by is None else [self.by] if isinstance(self.by, str) else list(self.by)
        for name in ([] if self.formula else [self.outlet, self.time]) + by:
            if name not in table.columns:
                raise InputError(f"the table has no {name!r} column", field=name)
        if self.draws is not None:
            topics = set(topic_columns(table))
            other = [name for name in outcomes if name not in topics]
            if other:
                raise InputError(f"the method of composition draws topic proportions; "
                                 f"{other[0]!r} is not a topic_<k> column (use n_bootstrap)",
                                 field=other[0])
        return outcomes, by

    def _time_values(self, column: pd.Series) -> np.ndarray:
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            self.time_origin_ = None
        else:
            try:
                dates = pd.to_datetime(column)
            except (TypeError, ValueError) as exc:
                raise InputError(f"cannot read the column as dates: {exc}",
                                 field=self.time) from exc
            if getattr(dates.dt, "tz", None) is not None:
                dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
            self.time_origin_ = dates.min().normalize()
            values = ((dates - self.time_origin_) / pd.Timedelta(days=1)).to_numpy(
                dtype=np.float64, na_value=np.nan)
        missing = ~np.isfinite(values)
        if missing.any():
            raise InputError("missing or unreadable time value",
                             row=int(np.flatnonzero(missing)[0]) + 1, field=self.time)
        return values

    def _rhs(self) -> str:
        if self.smooth == "bs":
            return f"C(outlet) + bs(time, df={self.smooth_df})"
        return f"C(outlet) + cr(time, df={self.smooth_df}, constraints='center')"

    def fit(self, table: pd.DataFrame, y: None = None) -> PrevalenceRegression:
        """Fit the regression of every outcome, per ``by`` group, with its uncertainty.

        Parameters
        ----------
        table : DataFrame
            One row per document or passage: the outcomes, ``outlet``, ``time`` and ``by``
            columns (for ``draws``, every ``topic_<k>`` column and ``length``).
        y : None
            Ignored.

        Returns
        -------
        PrevalenceRegression
            ``self``, fitted.

        Raises
        ------
        InputError
            A bad parameter, a missing column, a non-numeric or missing value (named by
            column and row), or a group with too few documents for the model.
        """
        outcomes, by = self._validate(table)
        if self.formula:
            self.time_origin_ = None
            times = np.zeros(len(table))
            outlets = np.full(len(table), "all", dtype=object)
        else:
            times = self._time_values(table[self.time])
            missing = table[self.outlet].isna().to_numpy()
            if missing.any():
                raise InputError("missing outlet", row=int(np.flatnonzero(missing)[0]) + 1,
                                 field=self.outlet)
            outlets = table[self.outlet].astype(str).to_numpy()
        y_all = numeric_matrix(table, outcomes)
        if self.draws is not None:
            topics = topic_columns(table)
            theta = numeric_matrix(table, topics, low=0.0, high=1.0)
            if self.model is not None:
                lengths, prior, states = _from_model(self.model, table, theta)
            else:
                lengths = numeric_matrix(table, [self.length], low=0.0)[:, 0]
                prior, states = check_alpha(self.alpha, len(topics)), None
            picked = [topics.index(name) for name in outcomes]
        cluster = cluster_column(table)
        units = (table[cluster].astype(str).to_numpy() if cluster is not None
                 else np.arange(len(table)))
        if by:
            group_keys = list(zip(*(table[name].astype(str).to_numpy() for name in by),
                                  strict=True))
            keys = sorted(set(group_keys))
            group_of = {key: i for i, key in enumerate(keys)}
            index = np.array([group_of[key] for key in group_keys])
        else:
            keys, index = [()], np.zeros(len(table), dtype=np.int64)
        seeds = np.random.SeedSequence(self.random_state).spawn(len(keys))

        self.method_ = ("composition" if self.draws is not None
                        else "bootstrap" if self.n_bootstrap else "ols")
        fits, rows = [], []
        for g, key in enumerate(keys):
            members = np.flatnonzero(index == g)
            if self.formula:
                data = table.iloc[members].reset_index(drop=True)
                design = formula_design(self.formula, data)
            else:
                data = pd.DataFrame({"outlet": pd.Categorical(
                    outlets[members], categories=sorted(set(outlets[members]))),
                    "time": times[members]})
                design = patsy.dmatrix(self._rhs(), data, return_type="matrix")
            x = np.asarray(design)
            n_units = len(np.unique(units[members]))
            if n_units <= x.shape[1] + 1:
                raise InputError(f"group {dict(zip(by, key, strict=True))!r} has "
                                 f"{n_units} document(s), too few for {x.shape[1]} "
                                 "coefficients; lower smooth_df or merge groups",
                                 field=by[0] if by else self.outlet)
            rng = np.random.default_rng(seeds[g])
            y = y_all[members]
            vcov = samples = None
            if self.method_ == "ols":
                beta, vcov = self._statsmodels_fit(
                    x, y, None if cluster is None else units[members])
            elif self.method_ == "composition":
                beta, samples = self._composition(
                    x, theta[members], lengths[members], prior, picked, rng,
                    None if states is None else states[:, members])
            else:
                beta, samples = self._bootstrap(x, y, outlets[members], units[members], rng)
            level_names = (["all"] if self.formula
                           else list(data["outlet"].cat.categories))
            fit = _GroupFit(key, design.design_info, list(design.design_info.column_names),
                            beta, vcov, samples, n_units, level_names,
                            (float(times[members].min()), float(times[members].max())))
            fits.append(fit)
            rows.extend(self._effect_rows(fit, outcomes, by))
        self.outcomes_ = outcomes
        self.by_ = by
        self.fits_ = fits
        self.reference_outlet_ = {fit.key: fit.outlets[0] for fit in fits}
        columns = [*by, "outcome", "term", "kind", "estimate", "std_error", "ci_low", "ci_high",
                   "n_documents"]
        effects = pd.DataFrame(rows, columns=columns)
        effects["n_documents"] = effects["n_documents"].astype("int64")
        effects["method"] = self.method_
        self.effects_ = effects
        return self

    def _statsmodels_fit(self, x: np.ndarray, y: np.ndarray, documents: np.ndarray | None,
                         ) -> tuple[np.ndarray, np.ndarray]:
        """statsmodels OLS per outcome; passages of one document are one cluster."""
        beta = np.empty((y.shape[1], x.shape[1]))
        vcov = np.empty((y.shape[1], x.shape[1], x.shape[1]))
        options: dict[str, Any] = {"cov_type": self.cov_type}
        if documents is not None and self.cov_type != "nonrobust":
            options = {"cov_type": "cluster",
                       "cov_kwds": {"groups": np.unique(documents, return_inverse=True)[1]}}
        for j in range(y.shape[1]):
            result = sm.OLS(y[:, j], x).fit(**options)
            beta[j], vcov[j] = result.params, result.cov_params()
        return beta, vcov

    def _composition(self, x: np.ndarray, theta: np.ndarray, lengths: np.ndarray,
                     prior: np.ndarray, picked: list[int], rng: np.random.Generator,
                     states: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """stm's method of composition: refit per posterior draw, then draw coefficients.

        ``states``: the documents' topic counts at S saved Gibbs states (S, n, K); draw m is
        from ``Dirichlet(prior + counts at state m mod S)``.
        """
        n_draws = int(self.draws)
        per_draw = max(1, math.ceil(_N_COEFFICIENT_DRAWS / n_draws))
        n_out, n_coef = len(picked), x.shape[1]
        # draw all documents' proportions for every draw, then fit all draws in one product
        y = np.empty((x.shape[0], n_draws * n_out))
        concentration = dirichlet_concentration(theta, lengths, prior)
        for m in range(n_draws):
            if states is not None:
                concentration = prior + states[m % len(states)]
            y[:, m * n_out:(m + 1) * n_out] = draw_doc_topics(concentration, rng)[:, picked]
        beta, vcov = _least_squares(x, y, self.cov_type)
        noise = rng.standard_normal((n_draws * n_out, per_draw, n_coef))
        chol = np.linalg.cholesky(vcov + 1e-14 * np.eye(n_coef))
        samples = beta[:, None, :] + np.einsum("cpq,csq->csp", chol, noise)
        # (draw, outcome) columns -> per outcome, all draws' coefficient samples pooled
        samples = samples.reshape(n_draws, n_out, per_draw, n_coef).transpose(1, 0, 2, 3)
        samples = samples.reshape(n_out, n_draws * per_draw, n_coef)
        return beta.reshape(n_draws, n_out, n_coef).mean(axis=0), samples

    def _bootstrap(self, x: np.ndarray, y: np.ndarray, outlets: np.ndarray, units: np.ndarray,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Resample whole documents within each outlet (so no outlet goes missing)."""
        beta, _ = _least_squares(x, y, "nonrobust")
        unit_ids, unit_of = np.unique(units, return_inverse=True)
        unit_outlet = np.empty(len(unit_ids), dtype=object)
        unit_outlet[unit_of] = outlets
        strata = [np.flatnonzero(unit_outlet == name) for name in sorted(set(outlets))]
        n_units, n_boot = len(unit_ids), self.n_bootstrap
        counts = np.zeros(n_boot * n_units)
        offsets = (np.arange(n_boot) * n_units)[:, None]
        for stratum in strata:
            picks = stratum[rng.integers(0, len(stratum), size=(n_boot, len(stratum)))]
            counts += np.bincount((offsets + picks).ravel(), minlength=n_boot * n_units)
        w = counts.reshape(n_boot, n_units)[:, unit_of]  # (B, n) row weights
        # all replicates' weighted normal equations from two matrix products
        n, p = x.shape
        xtwx = (w @ (x[:, :, None] * x[:, None, :]).reshape(n, p * p)).reshape(n_boot, p, p)
        xtwy = (w @ (x[:, :, None] * y[:, None, :]).reshape(n, -1)).reshape(n_boot, p, -1)
        try:
            solved = np.linalg.solve(xtwx, xtwy)  # (B, p, outcomes)
        except np.linalg.LinAlgError:  # a resample without some stretch of time
            solved = np.linalg.pinv(xtwx) @ xtwy
        return beta, np.ascontiguousarray(solved.transpose(2, 0, 1))

    def _effect_rows(self, fit: _GroupFit, outcomes: list[str], by: list[str]) -> list[tuple]:
        if self.formula:
            return self._formula_rows(fit, outcomes)
        names, kinds = _term_names(fit.columns, self.outlet)
        # the change from the first to the last day: a contrast of two design rows
        ends = self._design(fit, [fit.outlets[0]] * 2, np.array(fit.time_range))
        contrast = ends[1] - ends[0]
        tail = (1 - self.confidence) / 2
        rows = []
        for j, outcome in enumerate(outcomes):
            weights = np.vstack([np.eye(len(names)), contrast])
            estimate = weights @ fit.beta[j]
            if fit.samples is not None:
                values = fit.samples[j] @ weights.T
                low, high = np.quantile(values, [tail, 1 - tail], axis=0)
                error = values.std(axis=0, ddof=1)
            else:
                error = np.sqrt(np.einsum("tp,pq,tq->t", weights, fit.vcov[j], weights))
                z = stats.norm.ppf(1 - tail)
                low, high = estimate - z * error, estimate + z * error
            for t, (term, kind) in enumerate([*zip(names, kinds, strict=True),
                                              ("time: last - first", "contrast")]):
                rows.append((*fit.key, outcome, term, kind, estimate[t], error[t], low[t],
                             high[t], fit.n_documents))
        return rows

    def _formula_rows(self, fit: _GroupFit, outcomes: list[str]) -> list[tuple]:
        """One row per outcome and design column, named as patsy names it."""
        tail = (1 - self.confidence) / 2
        kinds = ["intercept" if name == "Intercept" else "term" for name in fit.columns]
        rows = []
        for j, outcome in enumerate(outcomes):
            estimate = fit.beta[j]
            if fit.samples is not None:
                low, high = np.quantile(fit.samples[j], [tail, 1 - tail], axis=0)
                error = fit.samples[j].std(axis=0, ddof=1)
            else:
                error = np.sqrt(np.diagonal(fit.vcov[j]))
                z = stats.norm.ppf(1 - tail)
                low, high = estimate - z * error, estimate + z * error
            for t, (term, kind) in enumerate(zip(fit.columns, kinds, strict=True)):
                rows.append((*fit.key, outcome, term, kind, estimate[t], error[t], low[t],
                             high[t], fit.n_documents))
        return rows

    # -- predicting ---------------------------------------------------------------------------

    def _design(self, fit: _GroupFit, outlets: Sequence[str], times: np.ndarray) -> np.ndarray:
        data = pd.DataFrame({"outlet": pd.Categorical(list(outlets), categories=fit.outlets),
                             "time": times})
        return np.asarray(patsy.build_design_matrices([fit.design_info], data)[0])

    def predict_prevalence(self, *, n_times: int = 50, times: Sequence[Any] | None = None,
                           outlets: Sequence[str] | None = None) -> pd.DataFrame:
        """Expected prevalence per outlet over a time grid, with intervals (the stm plot data).

        Parameters
        ----------
        n_times : int, default=50
            Evenly spaced points from the first to the last time of each group (whole days
            when ``time`` holds dates).
        times : sequence or None, default=None
            Explicit time points instead (dates, or numbers for a numeric ``time``); they must
            lie within the fitted range, where the spline is defined.
        outlets : sequence of str or None, default=None
            Outlets to predict for; None: all of the group's outlets.

        Returns
        -------
        DataFrame
            ``*by, outcome, <outlet>, <time>, estimate, ci_low, ci_high, method``.
        """
        if not hasattr(self, "fits_"):
            raise NotFittedError("This PrevalenceRegression instance is not fitted yet. Call "
                                 "'fit' before using 'predict_prevalence'.")
        if self.formula:
            raise InputError("predict_prevalence needs the outlet-and-time form; this fit "
                             f"used formula={self.formula!r}", field="formula")
        tail = (1 - self.confidence) / 2
        frames = []
        for fit in self.fits_:
            grid = self._grid(fit, n_times, times)
            names = fit.outlets if outlets is None else list(outlets)
            unknown = [name for name in names if name not in fit.outlets]
            if unknown:
                raise InputError(f"outlet {unknown[0]!r} was not in the fitted data",
                                 field=self.outlet)
            pairs = [(name, t) for name in names for t in grid]
            x = self._design(fit, [p[0] for p in pairs], np.array([p[1] for p in pairs]))
            keys = pd.DataFrame({self.outlet: [p[0] for p in pairs],
                                 self.time: self._time_labels([p[1] for p in pairs])})
            for j, outcome in enumerate(self.outcomes_):
                estimate = x @ fit.beta[j]
                if fit.samples is not None:
                    low, high = np.quantile(fit.samples[j] @ x.T, [tail, 1 - tail], axis=0)
                else:
                    error = np.sqrt(np.einsum("tp,pq,tq->t", x, fit.vcov[j], x))
                    z = stats.norm.ppf(1 - tail)
                    low, high = estimate - z * error, estimate + z * error
                frame = keys.assign(outcome=outcome, estimate=estimate, ci_low=low,
                                    ci_high=high)
                for name, value in zip(self.by_, fit.key, strict=True):
                    frame[name] = value
                frames.append(frame)
        out = pd.concat(frames, ignore_index=True)
        out = out[[*self.by_, "outcome", self.outlet, self.time, "estimate", "ci_low",
                   "ci_high"]]
        out["method"] = self.method_
        return out

    def _grid(self, fit: _GroupFit, n_times: int, times: Sequence[Any] | None) -> np.ndarray:
        low, high = fit.time_range
        if times is None:
            if isinstance(n_times, bool) or not isinstance(n_times, int) or n_times < 2:
                raise InputError(f"The 'n_times' parameter must be an int >= 2. Got "
                                 f"{n_times!r} instead.")
            grid = np.linspace(low, high, n_times)
            # dates: whole days, so the grid reads as calendar days
            return grid if self.time_origin_ is None else np.unique(np.round(grid))
        if self.time_origin_ is not None:
            values = ((pd.to_datetime(pd.Series(list(times))) - self.time_origin_)
                      / pd.Timedelta(days=1)).to_numpy(dtype=np.float64)
        else:
            values = np.asarray(times, dtype=np.float64)
        outside = (values < low - 1e-9) | (values > high + 1e-9)
        if outside.any():
            raise InputError(f"time point {list(times)[int(np.flatnonzero(outside)[0])]!r} is "
                             "outside the fitted range", field=self.time)
        return values

    def _time_labels(self, values: Sequence[float]) -> Any:
        if self.time_origin_ is None:
            return np.asarray(values, dtype=np.float64)
        return self.time_origin_ + pd.to_timedelta(np.asarray(values), unit="D")


def _from_model(model: Any, table: pd.DataFrame, theta: np.ndarray,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Each row's token count (by its key among the model's documents), the model's alpha and
    each row's topic counts at the model's saved Gibbs states.

    The states are None when the model kept none, or when the table's proportions are not the
    model's training shares (``doc_topic_``; e.g. shares inferred by ``transform``): the
    states describe the training shares only.
    """
    n_topics = theta.shape[1]
    for name in ("doc_lengths_", "alpha_", "doc_ids_", "id_column_"):
        if not hasattr(model, name):
            raise InputError(f"the 'model' parameter must be a fitted TopicModel (no {name})",
                             field="model")
    key = model.id_column_
    if key not in table.columns:
        raise InputError(f"the table has no {key!r} column to find the model's documents",
                         field=key)
    position = pd.Series(np.arange(len(model.doc_ids_)), index=pd.Index(model.doc_ids_))
    found = position.reindex(table[key].to_numpy())
    if found.isna().any():
        row = int(np.flatnonzero(found.isna().to_numpy())[0])
        raise InputError(f"{table[key].iloc[row]!r} is not one of the model's training "
                         "documents; give a 'length' column and 'alpha' instead", row=row + 1,
                         field=key)
    rows = found.to_numpy(dtype=np.int64)
    lengths = np.asarray(model.doc_lengths_, dtype=np.float64)[rows]
    samples = getattr(model, "doc_topic_count_samples_", None)
    states = None
    if (samples is not None and len(samples) and samples.shape[2] == n_topics
            and np.allclose(np.asarray(model.doc_topic_)[rows], theta, atol=1e-6)):
        states = np.asarray(samples)[:, rows]
    return lengths, check_alpha(model.alpha_, n_topics), states


def _least_squares(x: np.ndarray, y: np.ndarray, cov_type: str,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """OLS of every column of ``y`` on ``x`` at once: coefficients and their covariances."""
    n, p = x.shape
    bread = np.linalg.pinv(x.T @ x)
    beta = (bread @ (x.T @ y)).T  # (columns, p)
    residuals = y - x @ beta.T
    if cov_type == "nonrobust":
        sigma2 = (residuals ** 2).sum(axis=0) / (n - p)
        return beta, sigma2[:, None, None] * bread[None]
    # HC1: bread @ X' diag(e^2) X @ bread * n / (n - p), for every column in one product over
    # the upper triangle of X'X (the meat is symmetric)
    upper_i, upper_j = np.triu_indices(p)
    half = (residuals ** 2).T @ (x[:, upper_i] * x[:, upper_j])
    meat = np.empty((y.shape[1], p, p))
    meat[:, upper_i, upper_j] = half
    meat[:, upper_j, upper_i] = half
    return beta, (bread[None] @ meat @ bread[None]) * (n / (n - p))


def _term_names(columns: list[str], group: str) -> tuple[list[str], list[str]]:
    """Readable term names for patsy's columns (``<group column>[level]``), and their kinds."""
    names, kinds, spline = [], [], 0
    for column in columns:
        if column == "Intercept":
            names.append("Intercept")
            kinds.append("intercept")
        elif column.startswith("C(outlet)[T."):
            names.append(f"{group}[{column[len('C(outlet)[T.'):-1]}]")
            kinds.append("outlet")
        else:
            names.append(f"time spline {spline}")
            kinds.append("time")
            spline += 1
    return names, kinds


def estimate_effects(
    table: pd.DataFrame,
    outcomes: Sequence[str] | None = None,
    *,
    formula: str | None = None,
    model: Any = None,
    outlet: str = "outlet",
    time: str = "date",
    smooth: Literal["bs", "cr"] = "bs",
    smooth_df: int = 5,
    by: Sequence[str] | None = None,
    draws: int | None = None,
    n_bootstrap: int = 0,
    alpha: float | Sequence[float] = 0.1,
    length: str = "n_tokens",
    cov_type: Literal["HC1", "nonrobust"] = "HC1",
    confidence: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Effects of outlet and time on each outcome, as a tidy table (stm's ``estimateEffect``).

    A shortcut for ``PrevalenceRegression(...).fit(table).effects_``; see
    :class:`PrevalenceRegression` for the parameters and the columns.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> n = 300
    >>> table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)],
    ...     "outlet": rng.choice(["A", "B"], n), "n_tokens": 200,
    ...     "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 200, n), "D")})
    >>> share = 0.2 + 0.3 * (table["outlet"] == "B").to_numpy()
    >>> table["topic_0"], table["topic_1"] = share, 1 - share
    >>> effects = estimate_effects(table, ["topic_0"], smooth_df=3, draws=20)
    >>> row = effects.query("term == 'outlet[B]'").iloc[0]
    >>> round(float(row["estimate"]), 1), bool(row["ci_low"] < 0.3 < row["ci_high"])
    (0.3, True)
    """
    return PrevalenceRegression(
        outcomes=None if outcomes is None else list(outcomes), formula=formula, model=model,
        outlet=outlet, time=time,
        smooth=smooth, smooth_df=smooth_df, by=None if by is None else by, draws=draws,
        n_bootstrap=n_bootstrap, alpha=alpha, length=length, cov_type=cov_type,
        confidence=confidence, random_state=random_state).fit(table).effects_


def predict_prevalence(
    table: pd.DataFrame,
    outcomes: Sequence[str] | None = None,
    *,
    n_times: int = 50,
    times: Sequence[Any] | None = None,
    outlets: Sequence[str] | None = None,
    **params: Any,
) -> pd.DataFrame:
    """Expected prevalence per outlet over time with intervals (stm's ``plot(..., "continuous")``).

    A shortcut for ``PrevalenceRegression(outcomes=outcomes, **params).fit(table)
    .predict_prevalence(n_times=..., times=..., outlets=...)``.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> table = pd.DataFrame({"outlet": rng.choice(["A", "B"], 200),
    ...     "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 100, 200), "D")})
    >>> table["is_peace"] = (rng.random(200) < 0.4).astype(int)
    >>> grid = predict_prevalence(table, ["is_peace"], n_times=3, smooth_df=3)
    >>> grid[["outlet", "date"]].head(3)
      outlet       date
    0      A 2025-01-01
    1      A 2025-02-19
    2      A 2025-04-09
    """
    model = PrevalenceRegression(outcomes=None if outcomes is None else list(outcomes), **params)
    return model.fit(table).predict_prevalence(n_times=n_times, times=times, outlets=outlets)
