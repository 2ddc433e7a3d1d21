"""Frame prevalence per group (outlet, period, ...) with cluster-bootstrap intervals.

The estimation runs once per call: the point estimate from the data as it is, and
``n_bootstrap`` draws that resample documents within each group (all passages of an article
move together) and, independently, the labelled validation passages (clustered by document
too), so the classifier's error rates are re-estimated in every draw and their uncertainty
enters the interval. :func:`prevalence_differences` reuses the very same draws, so a difference
between two groups carries the correlation their shared error rates induce.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError, Interval, validate_params
from framing.measure._periods import PeriodSpec
from framing.measure._posterior import bin_of, fit_histograms, share_draws
from framing.measure._prevalence_disk import (
    DiskTable,
    open_frames,
    posterior_counts,
    read_frames,
)
from framing.measure._quantify import adjust, em_prior, error_rates
from framing.measure._spill import MAX_DOCUMENTS_IN_MEMORY
from framing.measure._tables import (
    NEEDS_DECISIONS,
    NEEDS_PROBABILITIES,
    SharedPassages,
    check_frames,
    check_labels,
    check_table,
    comparison_columns,
    group_codes,
    matrix,
    place_rows,
    shared_passages,
    validation_groups,
)

Method = Literal["cc", "pcc", "acc", "pacc", "em", "validation", "combined", "posterior"]
METHODS: tuple[str, ...] = ("cc", "pcc", "acc", "pacc", "em", "validation", "combined",
                            "posterior")
_NEEDS_VALIDATION = {"acc", "pacc", "em", "validation", "combined", "posterior"}
_CONSTRAINTS: dict[str, list] = {
    "n_bootstrap": [Interval(int, 0, 100_000)],
    "confidence": [Interval(float, 0.5, 0.999)],
    "min_documents": [Interval(int, 0, None)],
    "random_state": [Interval(int, 0, 2**32 - 1)],
    "max_documents_in_memory": [Interval(int, 1, None)],
}


#: How the method to report is chosen (recorded with every table; see benchmarks/README.md).
RECOMMENDATION_RULE = (
    "report 'posterior' when a validation table of labelled out-of-sample predictions is "
    "given: in the simulation of benchmarks/prevalence_coverage.py (groups of 65 passages, "
    "AUC 0.85-0.95, prevalence 0.05-0.4, 300 labelled passages) its 95% intervals covered "
    "the group's share in 0.94-0.98 of the groups at every AUC and prevalence, and were the "
    "narrowest of the methods that cover (mean width 0.18-0.30, pacc's 0.28-0.41); without "
    "validation nothing can be corrected: 'pcc' (mean probability), else 'cc', both biased "
    "wherever a group's prevalence differs from the training data's")


def recommended_method(*, has_validation: bool, has_probabilities: bool = True) -> str:
    """The method whose estimates a paper should report, by :data:`RECOMMENDATION_RULE`.

    Examples
    --------
    >>> recommended_method(has_validation=True)
    'posterior'
    >>> recommended_method(has_validation=False, has_probabilities=False)
    'cc'
    """
    if has_validation and has_probabilities:
        return "posterior"
    return "pcc" if has_probabilities else "cc"


class ThinCellWarning(UserWarning):
    """Some groups rest on so few documents that their estimates and intervals are fragile."""


class WeakClassifierWarning(UserWarning):
    """The classifier barely separates a frame, so adjusted estimates are very noisy."""


class SharedPassagesWarning(UserWarning):
    """``passage_frames`` and ``validation`` share passages: predictions on coded passages.

    When ``passage_frames`` holds a model's predictions on the passages it was trained on,
    those predictions are better than the model is, so ``cc`` looks perfect there and the
    corrections (``acc``, ``pacc``, ``em``, ``combined``) over-correct. ``posterior`` counts the
    coded labels of those passages as they are and uses the classifier only for the others.
    """


#: Methods that read ``passage_frames``' predictions of passages that are coded in validation.
_READS_CODED_PREDICTIONS = ("cc", "pcc", "acc", "pacc", "em", "combined")

#: Below this ``tpr - fpr`` (or ``ptpr - pfpr``) on the validation table we warn: the
#: adjustment divides by it, so it multiplies the counting noise by at least 1 / 0.2 = 5.
WEAK_SEPARATION = 0.2


@dataclass
class _Draws:
    """Everything one estimation computes: groups, counts, point estimates and draws."""

    groups: pd.DataFrame           # one row per group: the key columns (and period_start)
    keys: list[str]
    frames: list[str]
    methods: list[str]
    point: np.ndarray              # (n_groups, n_frames, n_methods)
    draws: np.ndarray              # (n_groups, n_frames, n_methods, n_bootstrap)
    n_passages: np.ndarray         # (n_groups,)
    n_documents: np.ndarray
    n_validation: np.ndarray
    recommended: str               # the method to report (RECOMMENDATION_RULE)


def estimate_prevalence(
    passage_frames: pd.DataFrame | PathLike,
    *,
    by: str | Sequence[str] = ("outlet", "period"),
    method: Method | Sequence[Method] = "posterior",
    period: PeriodSpec = "month",
    validation: pd.DataFrame | None = None,
    frames: Sequence[str] | None = None,
    n_bootstrap: int = 1000,
    confidence: float = 0.95,
    min_documents: int = 10,
    random_state: int = 0,
    batch_size: int = 100_000,
    max_documents_in_memory: int = MAX_DOCUMENTS_IN_MEMORY,
) -> pd.DataFrame:
    """Estimate how often each frame occurs per group, with bootstrap confidence intervals.

    Each frame is estimated on its own, as a yes/no quantity (passages may carry several).

    Methods (see :mod:`framing.measure._quantify` for the formulas):

    - ``"cc"`` classify and count: share of passages with ``is_<frame> = 1``; biased whenever
      the classifier errs and the group's prevalence differs from the training data's.
    - ``"pcc"`` probabilistic classify and count: mean ``p_<frame>``.
    - ``"acc"`` / ``"pacc"`` (probabilistic) adjusted classify and count: CC / PCC corrected with
      the true- and false-positive rates measured on ``validation``.
    - ``"em"``: the Saerens-Latinne-Decaestecker EM re-estimate of the prior, starting from the
      label prior of ``validation``.
    - ``"validation"``: the share of labelled passages of the group in ``validation``, valid
      when those were drawn at random from the target passages (a random annotation sample).
    - ``"combined"``: PACC and the validation share weighted by inverse variance, with the
      weight ``w = (v_val - c) / (v_pacc + v_val - 2c)`` (clipped to [0, 1]) from the bootstrap
      variances ``v`` and covariance ``c`` of the two in the group (they share the validation
      labels, so they are correlated); ``v_val`` is at least the binomial variance at the
      add-one share, so a cell of few labels that are all 0 or all 1 cannot take all the
      weight. PACC alone where the group has no labelled passage.
    - ``"posterior"`` (the default, and the method to report: :data:`RECOMMENDATION_RULE`):
      the share of the group's passages that carry the frame, what coding all of them would
      find. The classifier's scores (logits of ``p_<frame>``, in a few bins) have one
      distribution among positives and another among negatives, measured on ``validation``;
      the group is a mixture of the two, and its passages that are coded in ``validation``
      (same ``passage_id``) count with their labels. The point estimate is the maximum
      likelihood; the interval draws the histograms from the validation bootstrap, the
      group's prevalence from its posterior and the uncoded passages' labels from their
      probabilities (see :mod:`framing.measure._posterior`). Only the classifier's ranking
      matters, not its calibration. Its interval is for the group's share; those of the other
      methods, which resample the group's articles, are for the rate of the process that wrote
      them, and are wider.

    The table records which method to report (``is_recommended``, and ``attrs`` holds
    ``recommended_method`` and ``recommendation_rule``).

    Parameters
    ----------
    passage_frames : DataFrame or path
        The output of :meth:`framing.frames.FrameClassifier.predict`: ``passage_id``,
        ``doc_id``, metadata (``outlet``, ``date``, ...), ``p_<frame>`` and ``is_<frame>``.
        Or such a table on disk (the ``.parquet`` file :func:`framing.frames.apply_frames`
        writes, or a folder of parts), read once, ``batch_size`` rows at a time, and reduced
        to per-document sums and, for ``posterior``, counts per group and score bin
        (:mod:`framing.measure._prevalence_disk`): every method but ``em`` (whose EM step
        needs every passage's probability). The per-document sums are spilled to a
        temporary folder (in ``TMPDIR``, removed at the end) and read back a few groups at
        a time, so memory does not grow with the corpus. It gives the in-memory table (to
        float rounding; ``posterior`` exactly); repeated ``passage_id`` values are looked
        for on disk only among the passages coded in ``validation``.
    by : str or sequence of str, default=("outlet", "period")
        Grouping columns; ``"period"`` is made from ``date`` with ``period``. Every combination
        of their levels is reported, those without passages with ``n_passages = 0`` and NaN.
    method : str or sequence of str, default="posterior"
        One or several of ``cc``, ``pcc``, ``acc``, ``pacc``, ``em``, ``validation``,
        ``combined``, ``posterior``; several share one set of bootstrap draws.
    period : str, mapping or sequence, default="month"
        ``day``, ``week``, ``month``, ``quarter``, ``year``, or breakpoints (see
        :func:`assign_periods`), e.g. ``{"before Alaska": None, "after": "2025-08-15"}``.
    validation : DataFrame, optional
        Labelled out-of-sample predictions: ``p_<frame>``, ``is_<frame>`` and the true 0/1
        label in a column named ``<frame>`` (``cross_validate_frames(...)["predictions"]`` of
        labelled passages), with ``doc_id`` to resample articles whole. Required by every method
        but ``cc`` and ``pcc``. For ``validation`` and ``combined`` it also needs the ``by``
        columns (or ``date``), or ``passage_id`` values found in ``passage_frames``.
    frames : sequence of str, optional
        The frames to measure; by default every ``p_<frame>`` column.
    n_bootstrap : int, default=1000
        Bootstrap draws; 0 gives no intervals.
    confidence : float, default=0.95
        Level of the percentile intervals.
    min_documents : int, default=10
        Groups with passages from fewer documents are flagged ``is_thin`` and warned about.
    random_state : int, default=0
        Seed of the bootstrap.
    batch_size : int, default=100_000
        Rows read at a time when ``passage_frames`` is a path.
    max_documents_in_memory : int, default=100_000
        When ``passage_frames`` is a path: the documents whose sums are held at a time, a
        chunk of consecutive groups (about 50 bytes a document per frame, plus its id). A
        group with more documents is held alone, whatever the budget: its documents are
        resampled together, with (n_bootstrap + 1) x its documents weights (8 bytes each)
        and as many again for its rows.

    Returns
    -------
    DataFrame
        One row per group, frame and method: the ``by`` columns (and ``period_start``),
        ``frame``, ``method``, ``estimate``, ``ci_low``, ``ci_high`` (percentile interval,
        within [0, 1]), ``se`` (bootstrap standard deviation), ``n_passages``,
        ``n_documents``, ``n_validation`` (labelled passages of the group; 0 when they cannot be
        placed in groups), ``is_thin`` and ``is_recommended`` (the method to report).

    Raises
    ------
    InputError
        A missing column or frame, a value that is not a probability or 0/1, an unreadable
        date, an empty grouping key, duplicate passage ids, or a validation table whose rows
        disagree with ``passage_frames`` on the grouping columns.

    Warns
    -----
    ThinCellWarning
        When some non-empty groups have fewer than ``min_documents`` documents (with their n).
    SharedPassagesWarning
        When passages of ``passage_frames`` are also in ``validation`` with other predictions
        there (a model's predictions on its own training passages: ``cc`` looks perfect and
        the corrections over-correct) and a method reads them (all but ``validation`` and
        ``posterior``). The same out-of-fold predictions in both tables do not warn.
    WeakClassifierWarning
        When the classifier barely separates a frame on ``validation``.

    See Also
    --------
    prevalence_differences : Differences between periods or outlets, from the same draws.

    Examples
    --------
    >>> frames = pd.DataFrame({
    ...     "passage_id": [f"d{i}:0" for i in range(8)], "doc_id": [f"d{i}" for i in range(8)],
    ...     "outlet": ["A"] * 4 + ["B"] * 4, "date": ["2025-08-01"] * 8,
    ...     "p_peacemaker": [.9, .8, .2, .7, .1, .3, .2, .6],
    ...     "is_peacemaker": [1, 1, 0, 1, 0, 0, 0, 1]})
    >>> table = estimate_prevalence(frames, by="outlet", method=["cc", "pcc"], n_bootstrap=200,
    ...                             min_documents=2)
    >>> table[["outlet", "method", "estimate", "n_passages"]]
      outlet method  estimate  n_passages
    0      A     cc      0.75           4
    1      A    pcc      0.65           4
    2      B     cc      0.25           4
    3      B    pcc      0.30           4
    """
    result = _estimate(passage_frames, by=by, method=method, period=period,
                       validation=validation, frames=frames, n_bootstrap=n_bootstrap,
                       confidence=confidence, min_documents=min_documents,
                       random_state=random_state, batch_size=batch_size,
                       max_documents_in_memory=max_documents_in_memory)
    return _table(result, confidence, min_documents)


def prevalence_differences(
    passage_frames: pd.DataFrame | PathLike,
    *,
    between: str = "period",
    reference: str | None = None,
    by: str | Sequence[str] = ("outlet", "period"),
    method: Method | Sequence[Method] = "posterior",
    period: PeriodSpec = "month",
    validation: pd.DataFrame | None = None,
    frames: Sequence[str] | None = None,
    n_bootstrap: int = 1000,
    confidence: float = 0.95,
    min_documents: int = 10,
    random_state: int = 0,
    batch_size: int = 100_000,
    max_documents_in_memory: int = MAX_DOCUMENTS_IN_MEMORY,
) -> pd.DataFrame:
    """Differences in frame prevalence between levels of one grouping key, with intervals.

    Runs :func:`estimate_prevalence` (same arguments, same seed, hence the same draws) and
    subtracts draw by draw, so the interval of a difference accounts for what the two groups
    share (the classifier's error rates). Within every combination of the other ``by`` keys,
    each level of ``between`` is compared with its reference.

    Parameters
    ----------
    passage_frames : DataFrame
        As for :func:`estimate_prevalence`.
    between : str, default="period"
        The ``by`` key whose levels are compared.
    reference : str, optional
        The level everything is compared with; ``"previous"`` compares each level with the one
        before it. Default: ``"previous"`` for ``period``, else the first level.
    by, method, period, validation, frames, n_bootstrap, confidence, min_documents
        As for :func:`estimate_prevalence`.
    random_state, batch_size, max_documents_in_memory
        As for :func:`estimate_prevalence`.

    Returns
    -------
    DataFrame
        The other ``by`` keys, ``frame``, ``method``, ``between`` (the level),
        ``<between>_reference``, ``difference`` (level minus reference), ``ci_low``,
        ``ci_high`` (percentile interval), ``se``, ``p_value`` (two-sided, from the share of
        draws on either side of zero), ``n_passages``, ``n_passages_reference`` and
        ``is_recommended``.

    Raises
    ------
    InputError
        ``between`` not among ``by``, an unknown reference level, or what
        :func:`estimate_prevalence` refuses.

    Examples
    --------
    >>> frames = pd.DataFrame({
    ...     "doc_id": [f"d{i}" for i in range(8)], "outlet": ["A"] * 8,
    ...     "date": ["2025-08-01"] * 4 + ["2025-08-20"] * 4,
    ...     "p_peacemaker": [.1, .2, .1, .3, .9, .8, .7, .6],
    ...     "is_peacemaker": [0, 0, 0, 0, 1, 1, 1, 1]})
    >>> table = prevalence_differences(frames, period={"before": None, "after": "2025-08-15"},
    ...                                method="cc", n_bootstrap=200, min_documents=2)
    >>> table[["outlet", "period", "period_reference", "difference"]]
      outlet period period_reference  difference
    0      A  after           before         1.0
    """
    keys = [by] if isinstance(by, str) else list(by)
    if between not in keys:
        raise InputError(f"cannot compare levels of {between!r}: it is not among the grouping "
                         f"keys {keys}", field="between")
    result = _estimate(passage_frames, by=keys, method=method, period=period,
                       validation=validation, frames=frames, n_bootstrap=n_bootstrap,
                       confidence=confidence, min_documents=min_documents,
                       random_state=random_state, batch_size=batch_size,
                       max_documents_in_memory=max_documents_in_memory)
    groups = result.groups
    levels = list(pd.unique(groups[between].astype(str)))
    if reference is None:
        reference = "previous" if between == "period" else levels[0]
    if reference != "previous" and reference not in levels:
        raise InputError(f"the reference {reference!r} is not a level of {between!r} "
                         f"(levels: {', '.join(levels)})", field="reference")
    others = [k for k in keys if k != between]
    position = {level: k for k, level in enumerate(levels)}
    alpha = 1 - confidence
    rows = []
    lookup = {tuple(str(v) for v in row): g
              for g, row in enumerate(groups[keys].itertuples(index=False))}
    for g, row in enumerate(groups[keys].itertuples(index=False)):
        raw = dict(zip(keys, row, strict=True))
        values = {k: str(v) for k, v in raw.items()}
        level = values[between]
        if reference == "previous":
            if position[level] == 0:
                continue
            base_level = levels[position[level] - 1]
        elif level == reference:
            continue
        else:
            base_level = reference
        base = lookup[tuple(base_level if k == between else values[k] for k in keys)]
        for f, frame in enumerate(result.frames):
            for m, name in enumerate(result.methods):
                difference = result.point[g, f, m] - result.point[base, f, m]
                spread = result.draws[g, f, m] - result.draws[base, f, m]
                low, high, se, p_value = _interval(spread, alpha, clip=False)
                rows.append({**{k: raw[k] for k in others},
                             "frame": frame, "method": name, between: level,
                             f"{between}_reference": base_level, "difference": difference,
                             "ci_low": low, "ci_high": high, "se": se, "p_value": p_value,
                             "n_passages": int(result.n_passages[g]),
                             "n_passages_reference": int(result.n_passages[base])})
    columns = [*others, "frame", "method", between, f"{between}_reference", "difference",
               "ci_low", "ci_high", "se", "p_value", "n_passages", "n_passages_reference"]
    table = pd.DataFrame(rows, columns=columns)
    _mark_recommended(table, result)
    return table


def _interval(draws: np.ndarray, alpha: float,
              clip: bool = True) -> tuple[float, float, float, float]:
    """Percentile interval, standard deviation and two-sided sign p-value of some draws."""
    finite = draws[np.isfinite(draws)]
    if finite.size < 2:
        return np.nan, np.nan, np.nan, np.nan
    low, high = np.quantile(finite, [alpha / 2, 1 - alpha / 2])
    if clip:
        low, high = float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1))
    p_value = min(1.0, 2 * min(np.mean(finite <= 0), np.mean(finite >= 0)))
    return float(low), float(high), float(finite.std(ddof=1)), float(p_value)


def _table(result: _Draws, confidence: float, min_documents: int) -> pd.DataFrame:
    """The tidy prevalence table of an estimation."""
    alpha = 1 - confidence
    n_groups, n_frames, n_methods = result.point.shape
    repeat = n_frames * n_methods
    table = result.groups.loc[result.groups.index.repeat(repeat)].reset_index(drop=True)
    table["frame"] = np.tile(np.repeat(result.frames, n_methods), n_groups)
    table["method"] = np.tile(result.methods, n_groups * n_frames)
    table["estimate"] = result.point.reshape(-1)
    bounds = np.full((n_groups * repeat, 3), np.nan)
    flat = result.draws.reshape(n_groups * repeat, -1)
    if flat.shape[1] > 1:
        with warnings.catch_warnings():  # all-NaN rows (empty groups) give NaN, as they should
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanquantile(flat, [alpha / 2, 1 - alpha / 2], axis=1)
            bounds[:, 0], bounds[:, 1] = np.clip(low, 0, 1), np.clip(high, 0, 1)
            bounds[:, 2] = np.nanstd(flat, axis=1, ddof=1)
    table["ci_low"], table["ci_high"], table["se"] = bounds[:, 0], bounds[:, 1], bounds[:, 2]
    for name in ("n_passages", "n_documents", "n_validation"):
        table[name] = np.repeat(getattr(result, name), repeat).astype(int)
    table["is_thin"] = table["n_documents"] < min_documents
    _mark_recommended(table, result)
    return table


def _mark_recommended(table: pd.DataFrame, result: _Draws) -> None:
    """The ``is_recommended`` column, and the method and its rule in ``table.attrs``."""
    table["is_recommended"] = table["method"] == result.recommended
    table.attrs["recommended_method"] = result.recommended
    table.attrs["recommendation_rule"] = RECOMMENDATION_RULE


# -- the estimation ---------------------------------------------------------------------------

def _estimate(passage_frames: pd.DataFrame | PathLike, **options) -> _Draws:
    """The estimation; a table on disk spills its per-document sums to a temporary folder,
    removed at the end, also on error."""
    if not isinstance(passage_frames, str | os.PathLike):
        return _estimate_in(passage_frames, folder=None, **options)
    with tempfile.TemporaryDirectory(prefix="framing-prevalence-") as folder:
        return _estimate_in(passage_frames, folder=Path(folder), **options)


def _estimate_in(passage_frames: pd.DataFrame | PathLike, *, by: str | Sequence[str],
                 method: Method | Sequence[Method], period: PeriodSpec,
                 validation: pd.DataFrame | None, frames: Sequence[str] | None,
                 n_bootstrap: int, confidence: float, min_documents: int,
                 random_state: int, batch_size: int, max_documents_in_memory: int,
                 folder: Path | None) -> _Draws:
    validate_params("estimate_prevalence",
                    {"n_bootstrap": n_bootstrap, "confidence": confidence,
                     "min_documents": min_documents, "random_state": random_state,
                     "max_documents_in_memory": max_documents_in_memory},
                    _CONSTRAINTS)
    methods = _methods(method)
    keys = [by] if isinstance(by, str) else list(by)
    if not keys or len(set(keys)) != len(keys):
        raise InputError(f"'by' must name one or more distinct columns; got {keys}", field="by")
    source = None  # a table on disk, read once in batches (framing.measure._prevalence_disk)
    if isinstance(passage_frames, str | os.PathLike):
        source = open_frames(passage_frames, keys=keys, frames=frames, methods=methods,
                             batch_size=batch_size)
        frame_names = source.frames
    else:
        table = check_table(passage_frames, "passage_frames")
        frame_names = check_frames(table, frames, methods, "passage_frames")
    if _NEEDS_VALIDATION & set(methods) and validation is None:
        needing = [m for m in methods if m in _NEEDS_VALIDATION]
        raise InputError(f"method {needing[0]!r} needs a validation table of labelled "
                         "out-of-sample predictions (validation=...); only 'cc' and 'pcc' "
                         "work without one", field="validation")
    if source is None and "doc_id" not in table.columns:
        raise InputError("passage_frames has no 'doc_id' column: passages are resampled by "
                         "article, so every passage needs its document's id", field="doc_id")
    labelled = None
    if validation is not None:
        labelled = check_table(validation, "validation")
        check_frames(labelled, frame_names, methods, "validation")
        check_labels(labelled, frame_names)
    seeds = np.random.SeedSequence(random_state).spawn(3)
    n_frames = len(frame_names)
    val_weights = val_labels = histograms = None
    if labelled is not None:
        val_weights = _cluster_weights(_clusters(labelled), n_bootstrap,
                                       np.random.default_rng(seeds[0]))
        val_labels = labelled[frame_names].to_numpy(dtype=float)
    if "posterior" in methods:
        histograms = fit_histograms(matrix(labelled, "p_", frame_names), val_labels,
                                    val_weights)
    disk = None
    if source is not None:
        disk = read_frames(source, methods=methods, labelled=labelled, batch_size=batch_size,
                           edges=None if histograms is None else [h[0] for h in histograms],
                           folder=folder)
        # on disk, ``table`` is one row per combination of the grouping columns, and
        # ``codes`` the group of each; the documents stay in the spill
        table = disk.documents.keys
    groups, codes = group_codes(table, keys, period, "passage_frames")
    # the target rows that place validation passages (by passage_id): on disk, the coded ones
    placing = table if disk is None or disk.coded_rows is None else disk.coded_rows

    # Validation: error rates per draw, and the group of each labelled passage.
    rates: dict[str, np.ndarray] = {}
    n_placed = None
    val_groups = None
    if labelled is not None:
        if {"acc", "pacc", "em", "combined"} & set(methods):
            has = {prefix: all(prefix + f in labelled.columns for f in frame_names)
                   for prefix in ("is_", "p_")}
            zeros = np.zeros_like(val_labels)  # a missing block is not needed by the methods
            rates = error_rates(
                val_weights, val_labels,
                matrix(labelled, "is_", frame_names) if has["is_"] else zeros,
                matrix(labelled, "p_", frame_names) if has["p_"] else zeros)
            _warn_weak(rates, frame_names, methods)
        if {"validation", "combined"} & set(methods):
            val_groups = validation_groups(labelled, placing, keys, groups, period)
        else:  # only to count them; labelled passages that cannot be placed count as none
            try:
                placed = validation_groups(labelled, placing, keys, groups, period)
                n_placed = np.bincount(placed[placed >= 0], minlength=len(groups))
            except InputError:
                n_placed = None

    # Target passages that are coded in validation (matched by passage_id): their labels count
    # as they are in posterior, which reads a group through its counts per score bin.
    n_groups = len(groups)
    if disk is not None:
        _warn_shared(disk.shared, methods)
        if histograms is not None:
            counts = posterior_counts(
                disk.by_key, place_rows(disk.by_key, keys, groups, period, "passage_frames"),
                n_groups, [h[0].size + 1 for h in histograms])
    else:
        coded = np.full((len(table), n_frames), np.nan)
        if labelled is not None and {"passage_id"} <= set(table.columns) & set(labelled.columns):
            position = pd.Index(labelled["passage_id"]).get_indexer(table["passage_id"])
            coded[position >= 0] = val_labels[position[position >= 0]]
            _warn_shared(shared_passages(table, labelled, position, comparison_columns(
                list(table.columns), labelled, frame_names)), methods)
        if histograms is not None:
            counts = _posterior_counts(matrix(table, "p_", frame_names), coded, codes,
                                       n_groups, histograms)
    share_rng = np.random.default_rng(seeds[2])
    point = np.full((n_groups, n_frames, len(methods)), np.nan)
    draws = np.full((n_groups, n_frames, len(methods), n_bootstrap), np.nan)
    if disk is None:
        n_passages = np.bincount(codes, minlength=n_groups)
        per_group = _memory_groups(table, codes, n_groups, frame_names, methods)
    else:
        n_passages = np.bincount(codes, weights=disk.documents.passages_per_key,
                                 minlength=n_groups).astype(int)
        per_group = _disk_groups(disk, codes, n_groups, frame_names, methods,
                                 max_documents_in_memory)
    n_documents = np.zeros(n_groups, dtype=int)
    if val_groups is not None:
        n_validation = np.bincount(val_groups[val_groups >= 0], minlength=n_groups)
    else:
        n_validation = np.zeros(n_groups, dtype=int) if n_placed is None else n_placed
    rng = np.random.default_rng(seeds[1])
    for g, rows in enumerate(per_group):
        direct = None
        if val_groups is not None:
            mine = val_groups == g
            weights_v = val_weights[:, mine]
            with np.errstate(invalid="ignore", divide="ignore"):
                direct = (weights_v @ val_labels[mine]) / weights_v.sum(axis=1)[:, None]
        if rows.document.size == 0:
            continue
        n_documents[g] = int(rows.document.max()) + 1
        doc_weights = _cluster_weights(rows.document, n_bootstrap, rng, counts_only=True)
        weights = doc_weights[:, rows.document]  # (n_draws, n_rows): passages move with their doc
        total = (weights.sum(axis=1) if rows.row_count is None
                 else weights @ rows.row_count)[:, None]
        estimates = {}
        if rows.decisions is not None:
            estimates["cc"] = (weights @ rows.decisions) / total
        if rows.probabilities is not None:
            estimates["pcc"] = (weights @ rows.probabilities) / total
        for m, name in enumerate(methods):
            if name in ("cc", "pcc"):
                value = estimates[name]
            elif name == "acc":
                value = adjust(estimates["cc"], rates["tpr"], rates["fpr"])
            elif name in ("pacc", "combined"):
                value = adjust(estimates["pcc"], rates["ptpr"], rates["pfpr"])
                if name == "combined":
                    value = _combine(value, direct, int((val_groups == g).sum()))
            elif name == "posterior":
                value = np.column_stack([
                    share_draws(histograms[f][1], histograms[f][2], counts[0][f][g],
                                int(counts[1][g, f]), int(counts[2][g, f]), share_rng)
                    for f in range(n_frames)])
            elif name == "em":
                value = np.column_stack([
                    em_prior(rows.probabilities[:, f], weights, rates["prior"][:, f])
                    for f in range(n_frames)])
            else:  # validation
                value = direct
            point[g, :, m] = value[0]
            draws[g, :, m, :] = value[1:].T
    # Groups without target passages still get the validation share, if they have labels.
    if val_groups is not None and "validation" in methods:
        m = methods.index("validation")
        for g in np.flatnonzero(n_passages == 0):
            mine = val_groups == g
            if mine.any():
                weights_v = val_weights[:, mine]
                with np.errstate(invalid="ignore", divide="ignore"):
                    direct = (weights_v @ val_labels[mine]) / weights_v.sum(axis=1)[:, None]
                point[g, :, m], draws[g, :, m, :] = direct[0], direct[1:].T
    thin = (n_documents > 0) & (n_documents < min_documents)
    if thin.any():
        smallest = int(np.argmin(np.where(thin, n_documents, np.iinfo(int).max)))
        where = ", ".join(f"{k}={groups.iloc[smallest][k]}" for k in keys)
        warnings.warn(
            f"{int(thin.sum())} of {n_groups} groups have passages from fewer than "
            f"{min_documents} documents (flagged is_thin; the smallest, {where}, has "
            f"n_documents={n_documents[smallest]}, n_passages={n_passages[smallest]}); their "
            "estimates and intervals rest on very few articles", ThinCellWarning, stacklevel=3)
    recommended = recommended_method(
        has_validation=labelled is not None,
        has_probabilities=all(f"p_{f}" in (table.columns if disk is None else source.names)
                              for f in frame_names))
    return _Draws(recommended=recommended, groups=groups, keys=keys, frames=frame_names,
                  methods=methods, point=point,
                  draws=draws, n_passages=n_passages, n_documents=n_documents,
                  n_validation=n_validation)


@dataclass
class _GroupRows:
    """A group's rows (passages in memory, per-document sums on disk) and their documents."""

    document: np.ndarray                # each row's document, numbered 0.. by first appearance
    decisions: np.ndarray | None        # (rows, frames) is_ (sums on disk), when needed
    probabilities: np.ndarray | None    # (rows, frames) p_ (sums on disk), when needed
    row_count: np.ndarray | None        # passages each row sums; None: one each


def _memory_groups(table: pd.DataFrame, codes: np.ndarray, n_groups: int,
                   frame_names: list[str], methods: list[str]) -> Iterator[_GroupRows]:
    """Every group's passages in table order, in the order of the groups."""
    decisions = (matrix(table, "is_", frame_names) if NEEDS_DECISIONS & set(methods)
                 else None)
    probabilities = (matrix(table, "p_", frame_names) if NEEDS_PROBABILITIES & set(methods)
                     else None)
    doc_codes = pd.factorize(pd.Series(codes).astype(str) + "\x1f"
                             + table["doc_id"].astype(str).to_numpy())[0]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        rows = order[bounds[g]:bounds[g + 1]]
        # doc_codes number documents by first appearance: sorted, they keep that order
        passage_doc = np.unique(doc_codes[rows], return_inverse=True)[1]
        yield _GroupRows(passage_doc, None if decisions is None else decisions[rows],
                         None if probabilities is None else probabilities[rows], None)


def _disk_groups(disk: DiskTable, codes: np.ndarray, n_groups: int, frame_names: list[str],
                 methods: list[str], max_documents: int) -> Iterator[_GroupRows]:
    """Every group's per-document sums, read back from the spill a chunk of groups at a time
    (``codes``: the group of each combination of the grouping columns)."""
    names = disk.documents.values

    def columns(prefix: str, needed: set[str]) -> list[int] | None:
        return [names.index(prefix + f) for f in frame_names] if needed & set(methods) else None

    decisions, probabilities = columns("is_", NEEDS_DECISIONS), columns("p_",
                                                                        NEEDS_PROBABILITIES)
    for _, documents in disk.documents.groups(codes, n_groups, max_documents):
        values = documents.values
        yield _GroupRows(pd.factorize(documents.units)[0],
                         None if decisions is None else values[:, decisions],
                         None if probabilities is None else values[:, probabilities],
                         documents.row_count)


def _posterior_counts(probabilities: np.ndarray, coded: np.ndarray, codes: np.ndarray,
                      n_groups: int, histograms: list) -> tuple[list[np.ndarray], np.ndarray,
                                                                np.ndarray]:
    """Per group: uncoded passages per score bin (one array per frame), coded passages with
    and without each frame (``coded``: the label, NaN for an uncoded passage)."""
    counts = []
    for f, (edges, _, _) in enumerate(histograms):
        uncoded = np.isnan(coded[:, f])
        per_bin = np.zeros((n_groups, edges.size + 1), dtype=np.int64)
        np.add.at(per_bin, (codes[uncoded], bin_of(probabilities[uncoded, f], edges)), 1)
        counts.append(per_bin)
    positive = np.zeros((n_groups, coded.shape[1]), dtype=np.int64)
    negative = np.zeros_like(positive)
    np.add.at(positive, codes, np.nan_to_num(coded, nan=0.0).astype(np.int64))
    np.add.at(negative, codes, (1 - np.nan_to_num(coded, nan=1.0)).astype(np.int64))
    return counts, positive, negative


def _warn_shared(shared: SharedPassages, methods: list[str]) -> None:
    """Warn when target passages coded in validation carry other predictions than there.

    Validation holds out-of-sample predictions; the same passage with another prediction in
    ``passage_frames`` was scored by a model that saw it (in training). Identical predictions
    in both tables are the cross-fitted design (out-of-fold predictions everywhere), and fine.
    """
    affected = [m for m in methods if m in _READS_CODED_PREDICTIONS]
    if not shared.n_shared or not affected or (shared.compared and not shared.n_differ):
        return
    how = (f"for {shared.n_differ} of them passage_frames' predictions differ from the "
           "out-of-sample ones in validation, as a model's predictions on its own training "
           "passages do" if shared.compared else "their predictions cannot be compared")
    warnings.warn(
        f"{shared.n_shared} passages of passage_frames are also coded in validation (first: "
        f"{shared.first!r}); {how}. Predictions on a model's own "
        f"training passages make cc look perfect and acc/pacc/em over-correct, and "
        f"{', '.join(affected)} read them. Use method='posterior' (it counts the coded labels "
        "of those passages as they are and the classifier only for the others), or give "
        "passage_frames out-of-fold predictions for them (cross_validate_frames), or leave "
        "them out of passage_frames", SharedPassagesWarning, stacklevel=4)


def _warn_weak(rates: dict[str, np.ndarray], frames: list[str], methods: list[str]) -> None:
    """Warn when the adjustment of ACC or PACC would divide by a small separation."""
    checks = [("acc", "tpr", "fpr"), ("pacc", "ptpr", "pfpr"), ("combined", "ptpr", "pfpr")]
    weak = {}
    for name, high, low in checks:
        if name in methods:
            separation = rates[high][0] - rates[low][0]
            for f, frame in enumerate(frames):
                if not separation[f] >= WEAK_SEPARATION:
                    weak.setdefault(frame, f"{high} - {low} = {separation[f]:.2f}")
    if weak:
        warnings.warn(
            "the classifier barely separates " + "; ".join(f"{k!r} ({v})" for k, v in
                                                          weak.items())
            + f" on the validation table (below {WEAK_SEPARATION}): adjusted estimates "
            "multiply the counting noise by the inverse, so expect wide intervals; a better "
            "classifier or more labels would help", WeakClassifierWarning, stacklevel=4)


def _combine(corrected: np.ndarray, direct: np.ndarray | None,
             n_labelled: int) -> np.ndarray:
    """Inverse-variance combination of a corrected estimate and the validation share.

    ``corrected`` and ``direct`` have shape (n_draws, n_frames), draw 0 the data as it is;
    the weights come from the bootstrap draws (1:), covariance included.
    """
    if direct is None:
        return corrected
    combined = corrected.copy()
    for f in range(corrected.shape[1]):
        a, b = corrected[1:, f], direct[1:, f]
        ok = np.isfinite(a) & np.isfinite(b)
        if not np.isfinite(direct[0, f]) or ok.sum() < 3:
            continue
        var_a, var_b = a[ok].var(ddof=1), b[ok].var(ddof=1)
        # A share of 0 or 1 among few labelled passages has bootstrap variance 0, which would
        # take all the weight; its variance is at least the binomial one at the add-one share.
        smoothed = (direct[0, f] * n_labelled + 1) / (n_labelled + 2)
        var_b = max(var_b, smoothed * (1 - smoothed) / max(n_labelled, 1))
        cov = np.cov(a[ok], b[ok])[0, 1]
        denominator = var_a + var_b - 2 * cov
        weight = 1.0 if denominator <= 0 else float(np.clip((var_b - cov) / denominator, 0, 1))
        # A draw whose resampled validation has no passage of the group keeps the corrected value.
        filled = np.where(np.isfinite(direct[:, f]), direct[:, f], corrected[:, f])
        combined[:, f] = weight * corrected[:, f] + (1 - weight) * filled
    return combined


def _cluster_weights(clusters: np.ndarray, n_bootstrap: int, rng: np.random.Generator,
                     counts_only: bool = False) -> np.ndarray:
    """How often each cluster (or, by default, each row via its cluster) is in every draw.

    Row 0 is the data as it is (all ones); rows 1..n_bootstrap resample the clusters with
    replacement (a multinomial of as many draws as there are clusters).
    """
    n_clusters = int(clusters.max()) + 1 if clusters.size else 0
    counts = np.ones((n_bootstrap + 1, n_clusters))
    if n_bootstrap and n_clusters:
        counts[1:] = rng.multinomial(n_clusters, np.full(n_clusters, 1 / n_clusters),
                                     size=n_bootstrap)
    return counts if counts_only else counts[:, clusters]


def _clusters(labelled: pd.DataFrame) -> np.ndarray:
    """Cluster codes of labelled passages: their document, or each row alone."""
    if "doc_id" in labelled.columns:
        return pd.factorize(labelled["doc_id"].astype(str))[0]
    return np.arange(len(labelled))


# -- checks and keys --------------------------------------------------------------------------

def _methods(method: Method | Sequence[Method]) -> list[str]:
    methods = [method] if isinstance(method, str) else list(method)
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods or len(set(methods)) != len(methods):
        raise InputError(f"The 'method' parameter must be one or more distinct of "
                         f"{', '.join(map(repr, METHODS))}. Got {method!r} instead.",
                         field="method")
    return methods
