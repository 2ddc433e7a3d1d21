"""Topic prevalence per group (outlet × period) with intervals, in the frame prevalence schema.

The share of a topic in a group is the mean of its document-topic proportions over the group's
rows (stm's "expected topic proportion"). Two kinds of interval:

* ``"bootstrap"``: documents are resampled with replacement within each group (clustered by
  ``doc_id`` when the rows are passages), which carries the sampling noise of the corpus;
* ``"composition"``: in each replicate the documents are resampled *and* every document's
  proportions are redrawn from their approximate posterior (see
  :func:`dirichlet_concentration`), which
  also carries the topic model's uncertainty about each document, as stm's method of
  composition does.

The helpers here (topic columns, numeric checks, posterior draws) are shared with
:mod:`framing.measure._effects`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from scipy import sparse

from framing._types import PathLike
from framing.corpus import InputError
from framing.measure._partials import ROW_COUNT, document_sums, parquet_files, schema_names
from framing.measure._periods import PeriodSpec, assign_periods, missing_group_column

_TOPIC = re.compile(r"^topic_(\d+)$")
UNCERTAINTY_METHODS = ("bootstrap", "composition")


def topic_columns(table: pd.DataFrame) -> list[str]:
    """The ``topic_<k>`` columns of a doc-topic table, in topic order.

    Examples
    --------
    >>> topic_columns(pd.DataFrame(columns=["doc_id", "topic_10", "topic_2", "topic_x"]))
    ['topic_2', 'topic_10']
    """
    found = [(int(m.group(1)), name) for name in table.columns
             if isinstance(name, str) and (m := _TOPIC.match(name))]
    return [name for _, name in sorted(found)]


def numeric_matrix(table: pd.DataFrame, columns: Sequence[str], *, low: float | None = None,
                   high: float | None = None) -> np.ndarray:
    """``table[columns]`` as float64, or InputError naming the first bad column and row."""
    out = np.empty((len(table), len(columns)))
    for j, name in enumerate(columns):
        if name not in table.columns:
            raise InputError(f"the table has no {name!r} column", field=name)
        try:
            values = pd.to_numeric(table[name], errors="raise").to_numpy(dtype=np.float64,
                                                                         na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise InputError(f"expected numbers, got {table[name].dtype} values",
                             field=name) from exc
        bad = ~np.isfinite(values)
        if low is not None:
            bad |= values < low - 1e-9
        if high is not None:
            bad |= values > high + 1e-9
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            wanted = "a finite number" if low is None else f"a number in [{low}, {high}]"
            raise InputError(f"expected {wanted}, got {values[row]!r}", row=row + 1,
                             field=name)
        out[:, j] = values
    return out


def dirichlet_concentration(theta: np.ndarray, lengths: np.ndarray,
                            alpha: float | np.ndarray) -> np.ndarray:
    """Parameters of each document's approximate posterior: ``alpha + n_d * theta_hat_d``.

    The expected topic counts of document d (its length times its estimated proportions) plus
    the prior: the standard approximation of the posterior of a document's proportions given
    the topics (a Gibbs sampler's document-topic counts are exactly such counts). Short
    documents get wide draws, long ones narrow draws.
    """
    concentration = np.asarray(alpha, dtype=np.float64) + lengths[:, None] * theta
    return np.maximum(concentration, 1e-12)


def draw_doc_topics(concentration: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One Dirichlet draw per row (gamma variates normalized per row)."""
    gamma = rng.standard_gamma(concentration)
    return gamma / gamma.sum(axis=1, keepdims=True)


def check_alpha(alpha: float | Sequence[float], n_topics: int) -> np.ndarray:
    """The Dirichlet prior as a vector of ``n_topics`` positive numbers."""
    values = np.asarray(alpha, dtype=np.float64)
    if values.ndim == 0:
        values = np.full(n_topics, float(values))
    if values.shape != (n_topics,) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise InputError(f"The 'alpha' parameter must be a float > 0 or {n_topics} of them "
                         f"(one per topic column). Got {alpha!r} instead.")
    return values


def topic_labels(doc_topics: pd.DataFrame, topics: Sequence[str],
                 labels: Mapping[str, str] | Sequence[str] | None) -> dict[str, str] | None:
    """A label per topic column: from ``labels``, else from the table's ``attrs``.

    :meth:`framing.topics.TopicModel.transform` stores the model's labels in
    ``attrs["topic_labels"]`` (one per topic number), so a table made after
    :meth:`~framing.topics.TopicModel.set_labels` carries its names to every summary of it.
    ``labels`` may be a sequence (label of ``topic_<k>`` at position k) or a mapping from topic
    column to label. None when neither gives labels.

    Examples
    --------
    >>> table = pd.DataFrame({"topic_0": [1.0], "topic_1": [0.0]})
    >>> table.attrs["topic_labels"] = ["summits", "aid"]
    >>> topic_labels(table, ["topic_0", "topic_1"], None)
    {'topic_0': 'summits', 'topic_1': 'aid'}
    """
    if labels is None:
        labels = doc_topics.attrs.get("topic_labels")
        if labels is None:
            return None
    if isinstance(labels, Mapping):
        named = {str(k): str(v) for k, v in labels.items()}
    elif isinstance(labels, str) or not isinstance(labels, Sequence):
        raise InputError("The 'labels' parameter must be a sequence of topic labels or a "
                         f"mapping from topic column to label. Got {labels!r} instead.",
                         field="labels")
    else:
        named = {f"topic_{k}": str(label) for k, label in enumerate(labels)}
    # a topic without a label keeps its column name
    return {name: named.get(name, name) for name in topics}


def cluster_column(table: pd.DataFrame) -> str | None:
    """``doc_id`` when the rows are passages (documents are resampled whole), else None."""
    if "passage_id" in table.columns and "doc_id" in table.columns:
        return "doc_id"
    return None


#: Resampling weights held at a time (replicates x documents of a group), 64 MB of float64.
_WEIGHTS_PER_CHUNK = 2**23


def _resampled_units(n_units: int, n_bootstrap: int, seed: np.random.SeedSequence):
    """Bootstrap counts of a group's ``n_units`` documents: (slice of replicates, weights).

    The replicates are drawn in chunks from one generator; a multinomial row is drawn after
    the row before it, so the chunks are the rows one ``size=n_bootstrap`` draw gives.
    """
    if not n_units:
        return
    rng = np.random.default_rng(seed)
    step = max(1, _WEIGHTS_PER_CHUNK // n_units)
    uniform = np.full(n_units, 1 / n_units)
    for start in range(0, n_bootstrap, step):
        stop = min(n_bootstrap, start + step)
        yield slice(start, stop), rng.multinomial(n_units, uniform,
                                                  size=stop - start).astype(np.float64)


def topic_prevalence(
    doc_topics: pd.DataFrame | PathLike,
    *,
    by: Sequence[str] = ("outlet", "period"),
    period: PeriodSpec = "month",
    topics: Sequence[str] | None = None,
    method: Literal["bootstrap", "composition"] = "bootstrap",
    n_bootstrap: int = 500,
    confidence: float = 0.95,
    alpha: float | Sequence[float] = 0.1,
    length: str = "n_tokens",
    labels: Mapping[str, str] | Sequence[str] | None = None,
    random_state: int = 0,
    batch_size: int = 100_000,
) -> pd.DataFrame:
    """Share of each topic per group, with percentile intervals, as a tidy prevalence table.

    Parameters
    ----------
    doc_topics : DataFrame or path
        The table :meth:`framing.topics.TopicModel.transform` returns: ``topic_<k>`` columns
        and the metadata. Rows may be documents or passages (then ``doc_id`` is the cluster).
        Or such a table on disk, a ``.parquet`` file or a folder of parts (the ``doc_topics``
        folder :func:`framing.topics.infer_topics` writes), read ``batch_size`` rows at a time
        and reduced to per-document sums (see :mod:`framing.measure._partials`): the same
        table as in memory, in memory set by the batch size and the number of documents
        (``method="bootstrap"`` only).
    by : sequence of str, default=("outlet", "period")
        Group columns; ``"period"`` is made from ``date`` unless the table has that column.
        Every combination of the observed values is a row; empty ones get n = 0 and NaN.
    period : {"day", "week", "month", "quarter", "year"}, mapping or sequence, default="month"
        Calendar unit or breakpoints, as in :func:`assign_periods`; every period of the span
        is a group, empty ones too.
    topics : sequence of str or None, default=None
        Topic columns to report; None: all ``topic_<k>`` columns.
    method : {"bootstrap", "composition"}, default="bootstrap"
        "bootstrap": documents resampled within groups. "composition": also redraws each
        document's proportions from ``Dirichlet(alpha + n_tokens * proportions)`` per replicate.
    n_bootstrap : int, default=500
        Replicates.
    confidence : float, default=0.95
        Interval level.
    alpha : float or sequence of float, default=0.1
        Dirichlet prior of the topic model (TopicModel's ``alpha``; for tomotopy with learned
        alpha, ``model.engine_model_.alpha``). Only for "composition".
    length : str, default="n_tokens"
        Column with each row's number of tokens. Only for "composition". The ``n_tokens`` of
        :func:`framing.text.tokenize_corpus` counts words before the model's vocabulary
        pruning, so it slightly overstates the evidence (intervals a little narrow).
    labels : sequence or mapping of str, optional
        Topic names for a ``label`` column: a label per topic number, or topic column → label.
        By default the labels the table carries in ``attrs["topic_labels"]`` (set by
        :meth:`~framing.topics.TopicModel.transform`); no ``label`` column without either.
    random_state : int, default=0
        Seed.
    batch_size : int, default=100_000
        Rows read at a time when ``doc_topics`` is a path.

    Returns
    -------
    DataFrame
        ``*by, topic, [label,] estimate, ci_low, ci_high, n_passages, n_documents, method``.
        ``n_passages`` is NA when the rows are documents.

    Raises
    ------
    InputError
        A missing or non-numeric column (named), shares outside [0, 1], or a bad parameter.

    Examples
    --------
    >>> table = pd.DataFrame({"doc_id": list("abcd"), "outlet": list("XXYY"),
    ...     "date": ["2025-01-05", "2025-01-20", "2025-01-09", "2025-02-02"],
    ...     "topic_0": [0.9, 0.7, 0.2, 0.1], "topic_1": [0.1, 0.3, 0.8, 0.9]})
    >>> out = topic_prevalence(table, by=["outlet"], n_bootstrap=50)
    >>> out[["outlet", "topic", "estimate", "n_documents"]]
      outlet    topic  estimate  n_documents
    0      X  topic_0      0.80            2
    1      X  topic_1      0.20            2
    2      Y  topic_0      0.15            2
    3      Y  topic_1      0.85            2
    """
    row_count = None
    if isinstance(doc_topics, str | os.PathLike):
        if method != "bootstrap":
            raise InputError("method='composition' redraws each row's shares: read the table "
                             "into memory (pd.read_parquet) to use it; a table on disk takes "
                             "method='bootstrap'", field="method")
        doc_topics, row_count = _document_table(doc_topics, by, period, batch_size)
    if not isinstance(doc_topics, pd.DataFrame):
        raise TypeError(f"expected a doc-topic table (DataFrame), got {type(doc_topics).__name__}")
    if method not in UNCERTAINTY_METHODS:
        raise InputError(f"The 'method' parameter of topic_prevalence must be one of "
                         f"{list(UNCERTAINTY_METHODS)}. Got {method!r} instead.")
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, int) or n_bootstrap < 10:
        raise InputError("The 'n_bootstrap' parameter of topic_prevalence must be an int >= 10. "
                         f"Got {n_bootstrap!r} instead.")
    if not 0.5 <= confidence < 1:
        raise InputError("The 'confidence' parameter of topic_prevalence must be a float in "
                         f"[0.5, 1). Got {confidence!r} instead.")
    by = [by] if isinstance(by, str) else list(by)
    all_topics = topic_columns(doc_topics)
    if not all_topics:
        raise InputError("the table has no topic_<k> column; make one with "
                         "TopicModel.transform", field="topic_0")
    topics = all_topics if topics is None else list(topics)
    theta_all = (numeric_matrix(doc_topics, all_topics, low=0.0, high=1.0)
                 if row_count is None else doc_topics[all_topics].to_numpy(dtype=np.float64))
    for name in topics:
        if name not in all_topics:
            raise InputError(f"the table has no {name!r} topic column", field=name)
    topic_labels(doc_topics, topics, labels)   # a bad 'labels' fails before the bootstrap
    keys = _group_keys(doc_topics, by, period)
    cluster = (cluster_column(doc_topics) if row_count is None
               else doc_topics.attrs.pop("cluster_column"))
    if method == "composition":
        lengths = numeric_matrix(doc_topics, [length], low=0.0)[:, 0]
        prior = check_alpha(alpha, len(all_topics))
    selected = [all_topics.index(name) for name in topics]

    levels = [list(keys[name].cat.categories) if isinstance(keys[name].dtype,
                                                            pd.CategoricalDtype)
              else sorted(pd.unique(keys[name])) for name in by]
    combos = list(itertools.product(*levels)) if by else [()]
    position = {combo: i for i, combo in enumerate(combos)}
    group_of = np.array([position[combo] for combo in
                         zip(*(keys[name] for name in by), strict=True)]
                        if by else np.zeros(len(doc_topics)), dtype=np.int64)
    # the resampling unit is the document (passages of one document move together) within a
    # group: a unit is a (group, doc_id) pair
    if "doc_id" in doc_topics.columns:
        clusters = doc_topics["doc_id"].astype(str).to_numpy()
    else:
        clusters = np.arange(len(doc_topics)).astype(str)
    pairs = pd.MultiIndex.from_arrays([group_of, clusters])
    unit_of, unit_index = pd.factorize(pairs, sort=True)
    n_units = len(unit_index)
    unit_group = unit_index.get_level_values(0).to_numpy(dtype=np.int64)
    count = (np.bincount(unit_of, minlength=n_units).astype(np.float64) if row_count is None
             else np.bincount(unit_of, weights=row_count, minlength=n_units))
    theta = theta_all[:, selected]
    sums = _unit_sums(theta, unit_of, n_units)

    seeds = np.random.SeedSequence(random_state).spawn(len(combos) + 1)
    members = [np.flatnonzero(unit_group == g) for g in range(len(combos))]
    if method == "bootstrap":
        # (B, G): resampled rows per group; (B, G, J): resampled sums of shares per group.
        # Group by group, in chunks of replicates: memory is set by the largest group and the
        # chunk, never by (replicates x documents) of the whole corpus.
        denominators = np.zeros((n_bootstrap, len(combos)))
        numerators = np.zeros((n_bootstrap, len(combos), len(selected)))
        for g, units in enumerate(members):
            for chunk, weights in _resampled_units(len(units), n_bootstrap, seeds[g]):
                denominators[chunk, g] = weights @ count[units]
                numerators[chunk, g] = weights @ sums[units]
    else:
        weights = np.zeros((n_bootstrap, n_units))
        for g, units in enumerate(members):
            if len(units):
                weights[:, units] = np.random.default_rng(seeds[g]).multinomial(
                    len(units), np.full(len(units), 1 / len(units)), size=n_bootstrap)
        group_matrix = sparse.csr_matrix((np.ones(n_units), (unit_group, np.arange(n_units))),
                                         shape=(len(combos), n_units))
        denominators = np.asarray((weights * count) @ group_matrix.T)
        rng = np.random.default_rng(seeds[-1])
        concentration = dirichlet_concentration(theta_all, lengths, prior)
        unit_matrix = sparse.csr_matrix((np.ones(len(unit_of)), (unit_of,
                                                                  np.arange(len(unit_of)))),
                                        shape=(n_units, len(unit_of)))
        numerators = np.empty((n_bootstrap, len(combos), len(selected)))
        for b in range(n_bootstrap):
            drawn = unit_matrix @ draw_doc_topics(concentration, rng)[:, selected]
            numerators[b] = group_matrix @ (weights[b][:, None] * drawn)
    with np.errstate(invalid="ignore", divide="ignore"):  # empty groups: 0 / 0
        replicates = numerators / np.asarray(denominators)[:, :, None]
    tail = (1 - confidence) / 2
    rows = []
    for g, combo in enumerate(combos):
        n_rows = int(count[members[g]].sum())
        if n_rows:
            estimate = sums[members[g]].sum(axis=0) / n_rows
            low, high = np.quantile(replicates[:, g, :], [tail, 1 - tail], axis=0)
        else:
            estimate = low = high = np.full(len(selected), np.nan)
        for j, name in enumerate(topics):
            rows.append((*combo, name, estimate[j], low[j], high[j], n_rows, len(members[g])))
    out = pd.DataFrame(rows, columns=[*by, "topic", "estimate", "ci_low", "ci_high",
                                      "n_passages", "n_documents"])
    out["n_passages"] = out["n_passages"].astype("Int64")
    if cluster is None:
        out["n_passages"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["n_documents"] = out["n_documents"].astype("int64")
    out["method"] = method
    names = topic_labels(doc_topics, topics, labels)
    if names is not None:
        out.insert(out.columns.get_loc("topic") + 1, "label", out["topic"].map(names))
    return out


def _document_table(path: PathLike, by: Sequence[str], period: PeriodSpec,
                    batch_size: int) -> tuple[pd.DataFrame, np.ndarray]:
    """A doc-topic table on disk reduced to per-document sums, and each row's row count."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"The 'batch_size' parameter of topic_prevalence must be an int >= 1. "
                         f"Got {batch_size!r} instead.", field="batch_size")
    files = parquet_files(path)
    names = schema_names(files)
    topics = topic_columns(pd.DataFrame(columns=names))
    keys = [name for name in by if name != "period" or "period" in names]
    if "period" in by and "period" not in names:
        if "date" not in names:
            raise InputError("the 'period' group is made from a 'date' column, which the "
                             "table lacks", field="date", path=path)
        keys.append("date")
    missing = [name for name in keys if name not in names]
    if missing:
        raise missing_group_column("the table", missing[0], names)
    unit = "doc_id" if "doc_id" in names else None

    def check(batch: pd.DataFrame) -> None:
        numeric_matrix(batch, topics, low=0.0, high=1.0)

    table = document_sums(files, keys=keys, values=topics, batch_size=batch_size, unit=unit,
                          check=check if topics else None)
    try:
        attrs = json.loads(pq.ParquetFile(files[0]).schema_arrow.metadata[b"PANDAS_ATTRS"])
    except (KeyError, TypeError, ValueError):
        attrs = {}
    table.attrs = {**attrs, "cluster_column": "doc_id" if unit and "passage_id" in names
                   else None}
    return table.drop(columns=[ROW_COUNT]), table[ROW_COUNT].to_numpy(dtype=np.float64)


def _unit_sums(values: np.ndarray, unit_of: np.ndarray, n_units: int) -> np.ndarray:
    """Sum of the rows of each resampling unit (a document's passages)."""
    sums = np.zeros((n_units, values.shape[1]))
    np.add.at(sums, unit_of, values)
    return sums


def _group_keys(table: pd.DataFrame, by: Sequence[str], period: PeriodSpec) -> pd.DataFrame:
    """The group columns as str, with ``period`` made from ``date`` when the table lacks it."""
    keys = pd.DataFrame(index=table.index)
    for name in by:
        if name == "period" and "period" not in table.columns:
            if "date" not in table.columns:
                raise InputError("the 'period' group is made from a 'date' column, which the "
                                 "table lacks", field="date")
            keys[name] = assign_periods(table["date"], period)["period"]
            continue
        if name not in table.columns:
            raise missing_group_column("the table", name, list(table.columns))
        missing = table[name].isna().to_numpy()
        if missing.any():
            raise InputError("missing value in a group column; fill or drop it first",
                             row=int(np.flatnonzero(missing)[0]) + 1, field=name)
        keys[name] = table[name].astype(str).to_numpy()
    return keys
