"""Single-label prevalence: each group's shares of the frames, summing to one, with intervals.

A single-label model (:class:`framing.frames.SingleLabelClassifier`, or any table whose
``p_<class>`` columns sum to one per passage and whose ``is_<class>`` columns are one-hot)
puts every passage in exactly one class: a frame or the none category. Its prevalence per
group is a vector of shares on the simplex, measured here as a whole (:mod:`._quantify_shares`)
instead of one frame at a time as :func:`~framing.measure.estimate_prevalence` does, whose
corrected estimates of exclusive frames need not sum to one.

The bootstrap is :func:`~framing.measure.estimate_prevalence`'s: draw 0 is the data as it is;
each further draw resamples the documents within every group (a document's passages move
together) and, independently, the labelled validation passages by document, so the
classifier's confusion rates are re-estimated in every draw. Every draw's shares sum to one.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from framing.corpus import InputError, Interval, validate_params
from framing.measure._periods import (
    PeriodSpec,
    assign_periods,
    missing_group_column,
    period_starts,
)
from framing.measure._prevalence import ThinCellWarning
from framing.measure._quantify_shares import adjust_shares, class_rates, em_shares

ShareMethod = Literal["cc", "pcc", "acc", "pacc", "em"]
SHARE_METHODS: tuple[str, ...] = ("cc", "pcc", "acc", "pacc", "em")
_NEEDS_VALIDATION = {"acc", "pacc", "em"}
_NEEDS_DECISIONS = {"cc", "acc"}
_NEEDS_PROBABILITIES = {"pcc", "pacc", "em"}
#: How far a passage's probabilities may sum from one (float rounding of stored tables).
SUM_TOLERANCE = 1e-4
#: Columns of the table, after the grouping keys (the same as estimate_prevalence's).
SHARE_COLUMNS = ("frame", "method", "estimate", "ci_low", "ci_high", "se", "n_passages",
                 "n_documents", "n_validation", "is_thin")
#: How the method to report is chosen (in every table's ``attrs``; see benchmarks/README.md).
SHARES_RECOMMENDATION_RULE = (
    "report 'pacc' when a validation table of labelled out-of-sample predictions is given: in "
    "the simulation of benchmarks/shares_coverage.py (4 classes, 5 groups of 65 passages "
    "whose shares differ from the training data's, 300 labelled passages) its 95% intervals "
    "covered the group's shares in 0.97-0.99 of the cells at AUC 0.8-0.9 with a mean |bias| "
    "of at most 0.01, and still 0.98 with over- or under-confident probabilities, where 'em' "
    "fell to 0.79 (bias 0.12) with under-confident ones; without validation nothing can be "
    "corrected: 'pcc' (mean probability), else 'cc', both pulled towards the training data's "
    "shares (coverage 0.40-0.84)")
_CONSTRAINTS: dict[str, list] = {
    "n_bootstrap": [Interval(int, 0, 100_000)],
    "confidence": [Interval(float, 0.5, 0.999)],
    "min_documents": [Interval(int, 0, None)],
    "random_state": [Interval(int, 0, 2**32 - 1)],
}


def shares_method(*, has_validation: bool, has_probabilities: bool = True) -> str:
    """The share method whose estimates a paper should report (:data:`SHARES_RECOMMENDATION_RULE`).

    Examples
    --------
    >>> shares_method(has_validation=True), shares_method(has_validation=False)
    ('pacc', 'pcc')
    """
    if has_validation and has_probabilities:
        return "pacc"
    return "pcc" if has_probabilities else "cc"


def is_single_label_table(passage_frames: pd.DataFrame) -> bool:
    """Whether a ``passage_frames`` table comes from a single-label model.

    It does when it has the ``frame`` decision column and ``p_<class>`` columns that sum to
    one on every row.

    Examples
    --------
    >>> table = pd.DataFrame({"frame": ["a", "b"], "p_a": [0.7, 0.2], "p_b": [0.3, 0.8]})
    >>> is_single_label_table(table), is_single_label_table(table.drop(columns="frame"))
    (True, False)
    """
    columns = [c for c in passage_frames.columns if isinstance(c, str) and c.startswith("p_")]
    if "frame" not in passage_frames.columns or len(columns) < 2:
        return False
    values = passage_frames[columns].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    return bool(np.all(np.abs(values.sum(axis=1) - 1) <= SUM_TOLERANCE))


def estimate_shares(
    passage_frames: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("outlet", "period"),
    method: ShareMethod | Sequence[ShareMethod] = "pacc",
    period: PeriodSpec = "month",
    validation: pd.DataFrame | None = None,
    classes: Sequence[str] | None = None,
    n_bootstrap: int = 1000,
    confidence: float = 0.95,
    min_documents: int = 10,
    random_state: int = 0,
) -> pd.DataFrame:
    """Estimate each group's shares of single-label frames (summing to one), with intervals.

    Methods (the multiclass versions of :func:`~framing.measure.estimate_prevalence`'s; see
    :mod:`framing.measure._quantify_shares`):

    - ``"cc"``: share of passages decided into each class (``is_<class>``);
    - ``"pcc"``: mean probability vector (``p_<class>``);
    - ``"acc"`` / ``"pacc"``: CC / PCC corrected with the confusion rates of ``validation``:
      the shares on the simplex that best explain the counted ones (QuaPy's multiclass
      ``ACC`` / ``PACC``);
    - ``"em"``: the EM (Saerens-Latinne-Decaestecker) re-estimate of the prior, from the
      class prior of ``validation``.

    Parameters
    ----------
    passage_frames : DataFrame
        The output of :meth:`framing.frames.SingleLabelClassifier.predict`: ``doc_id``,
        metadata (``outlet``, ``date``, ...), ``p_<class>`` (summing to one) and one-hot
        ``is_<class>`` for every class (the frames, and the none category when it is one).
    by : str or sequence of str, default=("outlet", "period")
        Grouping columns; ``"period"`` is made from ``date`` with ``period``. Every
        combination of their levels is reported, those without passages with NaN.
    method : str or sequence of str, default="pacc"
        One or several of ``cc``, ``pcc``, ``acc``, ``pacc``, ``em``; they share the draws.
    period : str, mapping or sequence, default="month"
        As for :func:`~framing.measure.estimate_prevalence`.
    validation : DataFrame, optional
        Labelled out-of-sample predictions: ``p_<class>``, ``is_<class>`` and the true class
        as one-hot 0/1 columns named by the classes (the ``--predictions`` table of
        ``framing frames evaluate``), with ``doc_id`` to resample articles whole. Required by
        ``acc``, ``pacc`` and ``em``.
    classes : sequence of str, optional
        The classes, in order; by default every ``p_<class>`` column (else ``is_<class>``).
        All of them: shares over a subset would not sum to one.
    n_bootstrap : int, default=1000
        Bootstrap draws; 0 gives no intervals.
    confidence : float, default=0.95
        Level of the percentile intervals.
    min_documents : int, default=10
        Groups with passages from fewer documents are flagged ``is_thin`` and warned about.
    random_state : int, default=0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per group, class and method, with the columns of
        :func:`~framing.measure.estimate_prevalence`: the ``by`` columns (and
        ``period_start``), ``frame`` (the class), ``method``, ``estimate``, ``ci_low``,
        ``ci_high`` (percentile interval), ``se``, ``n_passages``, ``n_documents``,
        ``n_validation`` (labelled passages of the group, found by ``passage_id``),
        ``is_thin`` and ``is_recommended`` (the method to report, :func:`shares_method`;
        ``attrs`` holds it and its rule). Within a group and method the estimates sum to one.

    Raises
    ------
    InputError
        A missing column, probabilities that are not in [0, 1] or do not sum to one,
        decisions or labels that are not one-hot, a missing grouping key or date, or a
        method that needs ``validation`` without it.

    Warns
    -----
    ThinCellWarning
        When some non-empty groups have fewer than ``min_documents`` documents.

    See Also
    --------
    framing.measure.estimate_prevalence : each frame on its own (multi-label frames).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "doc_id": [f"d{i}" for i in range(6)], "outlet": ["A"] * 3 + ["B"] * 3,
    ...     "p_peace": [0.8, 0.6, 0.1, 0.2, 0.3, 0.1], "p_war": [0.2, 0.4, 0.9, 0.8, 0.7, 0.9],
    ...     "is_peace": [1, 1, 0, 0, 0, 0], "is_war": [0, 0, 1, 1, 1, 1]})
    >>> shares = estimate_shares(table, by="outlet", method=["cc", "pcc"], n_bootstrap=100,
    ...                          min_documents=1)
    >>> shares[["outlet", "frame", "method", "estimate"]].round(3)
      outlet  frame method  estimate
    0      A  peace     cc     0.667
    1      A  peace    pcc     0.500
    2      A    war     cc     0.333
    3      A    war    pcc     0.500
    4      B  peace     cc     0.000
    5      B  peace    pcc     0.200
    6      B    war     cc     1.000
    7      B    war    pcc     0.800
    """
    validate_params("estimate_shares", {
        "n_bootstrap": n_bootstrap, "confidence": confidence, "min_documents": min_documents,
        "random_state": random_state}, _CONSTRAINTS)
    methods = _methods(method)
    keys = [by] if isinstance(by, str) else list(by)
    if not keys or len(set(keys)) != len(keys):
        raise InputError(f"'by' must name one or more distinct columns; got {keys}", field="by")
    if not isinstance(passage_frames, pd.DataFrame):
        raise InputError(f"passage_frames must be a DataFrame; got "
                         f"{type(passage_frames).__name__}")
    table = passage_frames.reset_index(drop=True)
    names = _classes(table, classes)
    if _NEEDS_VALIDATION & set(methods) and validation is None:
        needing = [m for m in methods if m in _NEEDS_VALIDATION][0]
        raise InputError(f"method {needing!r} needs a validation table of labelled "
                         "out-of-sample predictions (validation=...); only 'cc' and 'pcc' work "
                         "without one", field="validation")
    if "doc_id" not in table.columns:
        raise InputError("passage_frames has no 'doc_id' column: passages are resampled by "
                         "article, so every passage needs its document's id", field="doc_id")
    decisions = (_one_hot(table, "is_", names, "passage_frames")
                 if _NEEDS_DECISIONS & set(methods) else None)
    probabilities = (_probabilities(table, names, "passage_frames")
                     if _NEEDS_PROBABILITIES & set(methods) else None)
    groups, codes = _groups(table, keys, period)
    seeds = np.random.SeedSequence(random_state).spawn(2)
    rates: dict[str, np.ndarray] = {}
    n_validation = np.zeros(len(groups), dtype=int)
    if validation is not None:
        labelled = validation.reset_index(drop=True)
        labels = _one_hot(labelled, "", names, "validation")
        clusters = (pd.factorize(labelled["doc_id"].astype(str))[0]
                    if "doc_id" in labelled.columns else np.arange(len(labelled)))
        weights = _cluster_weights(clusters, n_bootstrap, np.random.default_rng(seeds[0]))
        weights = weights[:, clusters]
        rates["prior"] = (weights @ labels) / weights.sum(axis=1, keepdims=True)
        if "acc" in methods:
            rates["acc"] = class_rates(weights, labels,
                                       _one_hot(labelled, "is_", names, "validation"))
        if {"pacc", "em"} & set(methods):
            rates["pacc"] = class_rates(weights, labels,
                                        _probabilities(labelled, names, "validation"))
        if "passage_id" in labelled.columns and "passage_id" in table.columns:
            position = pd.Index(table["passage_id"].astype(str)).get_indexer(
                labelled["passage_id"].astype(str))
            placed = codes[position[position >= 0]]
            n_validation = np.bincount(placed, minlength=len(groups))
    n_groups, n_classes = len(groups), len(names)
    point = np.full((n_groups, n_classes, len(methods)), np.nan)
    draws = np.full((n_groups, n_classes, len(methods), n_bootstrap), np.nan)
    n_passages = np.bincount(codes, minlength=n_groups)
    n_documents = np.zeros(n_groups, dtype=int)
    documents = pd.factorize(table["doc_id"].astype(str))[0]
    rng = np.random.default_rng(seeds[1])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        rows = order[bounds[g]:bounds[g + 1]]
        if rows.size == 0:
            continue
        local, passage_doc = np.unique(documents[rows], return_inverse=True)
        n_documents[g] = local.size
        weights = _cluster_weights(passage_doc, n_bootstrap, rng)[:, passage_doc]
        total = weights.sum(axis=1, keepdims=True)
        counted = {}
        if decisions is not None:
            counted["cc"] = (weights @ decisions[rows]) / total
        if probabilities is not None:
            counted["pcc"] = (weights @ probabilities[rows]) / total
        for m, name in enumerate(methods):
            if name in ("cc", "pcc"):
                value = counted[name]
            elif name == "acc":
                value = adjust_shares(counted["cc"], rates["acc"])
            elif name == "pacc":
                value = adjust_shares(counted["pcc"], rates["pacc"])
            else:
                value = em_shares(probabilities[rows], weights, rates["prior"])
            point[g, :, m] = value[0]
            draws[g, :, m, :] = value[1:].T
    thin = (n_documents > 0) & (n_documents < min_documents)
    if thin.any():
        smallest = int(np.argmin(np.where(thin, n_documents, np.iinfo(int).max)))
        where = ", ".join(f"{k}={groups.iloc[smallest][k]}" for k in keys)
        warnings.warn(
            f"{int(thin.sum())} of {n_groups} groups have passages from fewer than "
            f"{min_documents} documents (flagged is_thin; the smallest, {where}, has "
            f"n_documents={n_documents[smallest]}, n_passages={n_passages[smallest]}); their "
            "shares and intervals rest on very few articles", ThinCellWarning, stacklevel=2)
    out = _table(groups, names, methods, point, draws, confidence,
                 {"n_passages": n_passages, "n_documents": n_documents,
                  "n_validation": n_validation}, min_documents)
    recommended = shares_method(has_validation=validation is not None,
                                has_probabilities=probabilities is not None
                                or all(f"p_{c}" in table.columns for c in names))
    out["is_recommended"] = out["method"] == recommended
    out.attrs["recommended_method"] = recommended
    out.attrs["recommendation_rule"] = SHARES_RECOMMENDATION_RULE
    return out


def _table(groups: pd.DataFrame, names: list[str], methods: list[str], point: np.ndarray,
           draws: np.ndarray, confidence: float, counts: dict[str, np.ndarray],
           min_documents: int) -> pd.DataFrame:
    alpha = 1 - confidence
    n_groups, n_classes, n_methods = point.shape
    repeat = n_classes * n_methods
    table = groups.loc[groups.index.repeat(repeat)].reset_index(drop=True)
    table["frame"] = np.tile(np.repeat(names, n_methods), n_groups)
    table["method"] = np.tile(methods, n_groups * n_classes)
    table["estimate"] = point.reshape(-1)
    bounds = np.full((n_groups * repeat, 3), np.nan)
    flat = draws.reshape(n_groups * repeat, -1)
    if flat.shape[1] > 1:
        with warnings.catch_warnings():  # all-NaN rows (empty groups) give NaN, as they should
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanquantile(flat, [alpha / 2, 1 - alpha / 2], axis=1)
            bounds[:, 0], bounds[:, 1] = np.clip(low, 0, 1), np.clip(high, 0, 1)
            bounds[:, 2] = np.nanstd(flat, axis=1, ddof=1)
    table["ci_low"], table["ci_high"], table["se"] = bounds[:, 0], bounds[:, 1], bounds[:, 2]
    for name, values in counts.items():
        table[name] = np.repeat(values, repeat).astype(int)
    table["is_thin"] = table["n_documents"] < min_documents
    return table


# -- checks -----------------------------------------------------------------------------------

def _methods(method: ShareMethod | Sequence[ShareMethod]) -> list[str]:
    methods = [method] if isinstance(method, str) else list(method)
    unknown = [m for m in methods if m not in SHARE_METHODS]
    if unknown or not methods or len(set(methods)) != len(methods):
        raise InputError(f"The 'method' parameter of estimate_shares must be one or more "
                         f"distinct of {', '.join(map(repr, SHARE_METHODS))}. Got {method!r} "
                         "instead.", field="method")
    return methods


def _classes(table: pd.DataFrame, classes: Sequence[str] | None) -> list[str]:
    if classes is None:
        found = [c[2:] for c in table.columns if isinstance(c, str) and c.startswith("p_")]
        if not found:
            found = [c[3:] for c in table.columns if isinstance(c, str) and c.startswith("is_")]
        classes = found
    names = [str(c) for c in classes]
    if len(names) < 2 or len(set(names)) != len(names):
        raise InputError(f"single-label shares need two or more distinct classes (p_<class> "
                         f"columns); got {names}", field="classes")
    return names


def _probabilities(table: pd.DataFrame, names: list[str], where: str) -> np.ndarray:
    columns = [f"p_{c}" for c in names]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{where} has no {missing[0]!r} column", field=missing[0])
    values = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise InputError(f"{where}: expected a probability in [0, 1], got "
                         f"{_shown(table[columns[col]].iloc[row])!r}", row=row + 1,
                         field=columns[col])
    sums = values.sum(axis=1)
    off = np.abs(sums - 1) > SUM_TOLERANCE
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise InputError(f"{where}: the probabilities {', '.join(columns)} sum to "
                         f"{sums[row]:.4f}, not 1: single-label shares need every class's "
                         "probability (the output of a single-label model)", row=row + 1,
                         field=columns[0])
    return values / sums[:, None]


def _one_hot(table: pd.DataFrame, prefix: str, names: list[str], where: str) -> np.ndarray:
    columns = [f"{prefix}{c}" for c in names]
    what = "decision" if prefix else "true label"
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{where} has no {missing[0]!r} column ({what} of class "
                         f"{missing[0][len(prefix):]!r}, 0 or 1)", field=missing[0])
    values = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(values, [0, 1])
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise InputError(f"{where}: expected 0 or 1, got "
                         f"{_shown(table[columns[col]].iloc[row])!r}", row=row + 1,
                         field=columns[col])
    count = values.sum(axis=1)
    if (count != 1).any():
        row = int(np.flatnonzero(count != 1)[0])
        raise InputError(f"{where}: {int(count[row])} of the {what} columns "
                         f"{', '.join(columns)} are 1; a single-label passage has exactly one",
                         row=row + 1, field=columns[0])
    return values


def _shown(value: object) -> object:
    """A cell as the user wrote it (``0.5``, not ``np.float64(0.5)``) for messages."""
    return value.item() if isinstance(value, np.generic) else value


# -- groups and draws ---------------------------------------------------------------------------

def _groups(table: pd.DataFrame, keys: list[str],
            period: PeriodSpec) -> tuple[pd.DataFrame, np.ndarray]:
    """Every combination of the keys' levels (empty ones too), and each row's group."""
    values = pd.DataFrame(index=table.index)
    starts = None
    for key in keys:
        if key == "period" and "period" not in table.columns:
            if "date" not in table.columns:
                raise InputError("passage_frames has no 'date' column to make periods from",
                                 field="date")
            periods = assign_periods(table["date"], period)
            values["period"] = periods["period"]
            starts = True
            continue
        if key not in table.columns:
            raise missing_group_column("passage_frames", key, list(table.columns))
        empty = table[key].isna().to_numpy()
        if empty.any():
            raise InputError(f"passage_frames: {int(empty.sum())} rows have no {key!r} "
                             "(grouping would drop them); fill or remove them first",
                             row=int(np.flatnonzero(empty)[0]) + 1, field=key)
        values[key] = table[key]
    levels = [list(values[k].cat.categories) if isinstance(values[k].dtype, pd.CategoricalDtype)
              else sorted(pd.unique(values[k]), key=str) for k in keys]
    grid = pd.MultiIndex.from_product(levels, names=keys)
    codes = grid.get_indexer(pd.MultiIndex.from_frame(values[keys].astype(object)))
    groups = grid.to_frame(index=False)
    for k, key in enumerate(keys):
        if isinstance(values[key].dtype, pd.CategoricalDtype):
            groups[key] = pd.Categorical(groups[key], categories=levels[k],
                                         ordered=values[key].cat.ordered)
    if starts:
        at = period_starts(period, levels[keys.index("period")])
        groups.insert(keys.index("period") + 1, "period_start",
                      pd.to_datetime(groups["period"].astype(str).map(at)))
    return groups, codes.astype(int)


def _cluster_weights(clusters: np.ndarray, n_bootstrap: int,
                     rng: np.random.Generator) -> np.ndarray:
    """How often each cluster is in every draw: row 0 all ones, then multinomial resamples."""
    n_clusters = int(clusters.max()) + 1 if clusters.size else 0
    counts = np.ones((n_bootstrap + 1, n_clusters))
    if n_bootstrap and n_clusters:
        counts[1:] = rng.multinomial(n_clusters, np.full(n_clusters, 1 / n_clusters),
                                     size=n_bootstrap)
    return counts
