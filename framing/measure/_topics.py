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
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from scipy import sparse

from framing._types import PathLike
from framing.corpus import InputError
from framing.measure._partials import parquet_files, reduce_batches, schema_names
from framing.measure._periods import PeriodSpec, assign_periods, missing_group_column
from framing.measure._spill import MAX_DOCUMENTS_IN_MEMORY, DocumentSpill

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
    max_documents_in_memory: int = MAX_DOCUMENTS_IN_MEMORY,
) -> pd.DataFrame:
    """Share of each topic per group, with percentile intervals, as a tidy prevalence table.

    Parameters
    ----------
    doc_topics : DataFrame or path
        The table :meth:`framing.topics.TopicModel.transform` returns: ``topic_<k>`` columns
        and the metadata. Rows may be documents or passages (then ``doc_id`` is the cluster).
        Or such a table on disk, a ``.parquet`` file or a folder of parts (the ``doc_topics``
        folder :func:`framing.topics.infer_topics` writes), read ``batch_size`` rows at a time
        and reduced to per-document sums, which are spilled to a temporary folder (in
        ``TMPDIR``, removed at the end) and read back group by group
        (:mod:`framing.measure._spill`): the same table as in memory, in memory set by the
        batch size and ``max_documents_in_memory``, not by the corpus
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
    max_documents_in_memory : int, default=100_000
        When ``doc_topics`` is a path: the documents whose sums are held at a time, a chunk of
        consecutive groups (about 200 bytes a document with 20 topics, plus its id). A group
        with more documents is held alone, whatever the budget: its documents are resampled
        together. The resampling weights add at most 64 MB.

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
    on_disk = isinstance(doc_topics, str | os.PathLike)
    if on_disk and method != "bootstrap":
        raise InputError("method='composition' redraws each row's shares: read the table "
                         "into memory (pd.read_parquet) to use it; a table on disk takes "
                         "method='bootstrap'", field="method")
    if not on_disk and not isinstance(doc_topics, pd.DataFrame):
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
    if on_disk:
        for name, value in (("batch_size", batch_size),
                            ("max_documents_in_memory", max_documents_in_memory)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"The {name!r} parameter of topic_prevalence must be an int "
                                 f">= 1. Got {value!r} instead.", field=name)
        with tempfile.TemporaryDirectory(prefix="framing-topic-prevalence-") as folder:
            return _on_disk(doc_topics, Path(folder), by=by, period=period, topics=topics,
                            n_bootstrap=n_bootstrap, confidence=confidence, labels=labels,
                            random_state=random_state, batch_size=batch_size,
                            max_documents=max_documents_in_memory)
    by = [by] if isinstance(by, str) else list(by)
    all_topics = topic_columns(doc_topics)
    if not all_topics:
        raise InputError("the table has no topic_<k> column; make one with "
                         "TopicModel.transform", field="topic_0")
    topics = all_topics if topics is None else list(topics)
    theta_all = numeric_matrix(doc_topics, all_topics, low=0.0, high=1.0)
    for name in topics:
        if name not in all_topics:
            raise InputError(f"the table has no {name!r} topic column", field=name)
    topic_labels(doc_topics, topics, labels)   # a bad 'labels' fails before the bootstrap
    keys = _group_keys(doc_topics, by, period)
    cluster = cluster_column(doc_topics)
    if method == "composition":
        lengths = numeric_matrix(doc_topics, [length], low=0.0)[:, 0]
        prior = check_alpha(alpha, len(all_topics))
    selected = [all_topics.index(name) for name in topics]

    combos, group_of = _group_codes(keys, by)
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
    count = np.bincount(unit_of, minlength=n_units).astype(np.float64)
    theta = theta_all[:, selected]
    sums = _unit_sums(theta, unit_of, n_units)

    seeds = np.random.SeedSequence(random_state).spawn(len(combos) + 1)
    members = [np.flatnonzero(unit_group == g) for g in range(len(combos))]
    if method == "bootstrap":
        denominators, numerators, _ = _resample_groups(
            ((count[units], sums[units]) for units in members), len(combos), n_bootstrap,
            seeds, len(selected))
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
    totals = [_group_totals(count[units], sums[units]) for units in members]
    return _prevalence_table(by, combos, topics, numerators, denominators, totals, confidence,
                             cluster, method, topic_labels(doc_topics, topics, labels))


def _resample_groups(per_group: Iterable[tuple[np.ndarray, np.ndarray]], n_groups: int,
                     n_bootstrap: int, seeds: list[np.random.SeedSequence], n_topics: int,
                     ) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, np.ndarray]]]:
    """The bootstrap of each group's documents, group by group in order.

    ``per_group`` gives, for every group in order, its units' row counts and sums of shares.
    Returns (B, G) resampled rows per group, (B, G, J) resampled sums of shares per group,
    and each group's :func:`_group_totals`. Group by group, in chunks of replicates: memory
    is set by the largest group and the chunk, never by (replicates x documents) of the
    whole corpus.
    """
    denominators = np.zeros((n_bootstrap, n_groups))
    numerators = np.zeros((n_bootstrap, n_groups, n_topics))
    totals = []
    for g, (count, sums) in enumerate(per_group):
        for chunk, weights in _resampled_units(len(count), n_bootstrap, seeds[g]):
            denominators[chunk, g] = weights @ count
            numerators[chunk, g] = weights @ sums
        totals.append(_group_totals(count, sums))
    return denominators, numerators, totals


def _group_totals(count: np.ndarray, sums: np.ndarray) -> tuple[int, int, np.ndarray]:
    """A group's rows, documents and share of each topic (NaN when empty)."""
    n_rows = int(count.sum())
    estimate = sums.sum(axis=0) / n_rows if n_rows else np.full(sums.shape[1], np.nan)
    return n_rows, len(count), estimate


def _group_codes(keys: pd.DataFrame, by: list[str]) -> tuple[list[tuple], np.ndarray]:
    """Every combination of the ``by`` levels (categories in their order, else sorted) and the
    combination of each row of ``keys``, as its position."""
    levels = [list(keys[name].cat.categories) if isinstance(keys[name].dtype,
                                                            pd.CategoricalDtype)
              else sorted(pd.unique(keys[name])) for name in by]
    combos = list(itertools.product(*levels)) if by else [()]
    position = {combo: i for i, combo in enumerate(combos)}
    codes = np.array([position[combo] for combo in zip(*(keys[name] for name in by),
                                                          strict=True)]
                     if by else np.zeros(len(keys)), dtype=np.int64)
    return combos, codes


def _prevalence_table(by: list[str], combos: list[tuple], topics: list[str],
                      numerators: np.ndarray, denominators: np.ndarray,
                      totals: list[tuple[int, int, np.ndarray]], confidence: float,
                      cluster: str | None, method: str,
                      names: dict[str, str] | None) -> pd.DataFrame:
    """The tidy table: the estimates and percentile intervals of every group and topic."""
    with np.errstate(invalid="ignore", divide="ignore"):  # empty groups: 0 / 0
        replicates = numerators / np.asarray(denominators)[:, :, None]
    tail = (1 - confidence) / 2
    rows = []
    for g, combo in enumerate(combos):
        n_rows, n_documents, estimate = totals[g]
        if n_rows:
            low, high = np.quantile(replicates[:, g, :], [tail, 1 - tail], axis=0)
        else:
            low = high = np.full(len(topics), np.nan)
        for j, name in enumerate(topics):
            rows.append((*combo, name, estimate[j], low[j], high[j], n_rows, n_documents))
    out = pd.DataFrame(rows, columns=[*by, "topic", "estimate", "ci_low", "ci_high",
                                      "n_passages", "n_documents"])
    out["n_passages"] = out["n_passages"].astype("Int64")
    if cluster is None:
        out["n_passages"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["n_documents"] = out["n_documents"].astype("int64")
    out["method"] = method
    if names is not None:
        out.insert(out.columns.get_loc("topic") + 1, "label", out["topic"].map(names))
    return out


def _on_disk(path: PathLike, folder: Path, *, by: str | Sequence[str], period: PeriodSpec,
             topics: Sequence[str] | None, n_bootstrap: int, confidence: float,
             labels: Mapping[str, str] | Sequence[str] | None, random_state: int,
             batch_size: int, max_documents: int) -> pd.DataFrame:
    """:func:`topic_prevalence` of a table on disk: one pass spilling per-document sums to
    ``folder``, then the groups read back in order (:mod:`framing.measure._spill`)."""
    by = [by] if isinstance(by, str) else list(by)
    files = parquet_files(path)
    names = schema_names(files)
    all_topics = topic_columns(pd.DataFrame(columns=names))
    if not all_topics:
        raise InputError("the table has no topic_<k> column; make one with "
                         "TopicModel.transform", field="topic_0", path=path)
    topics = all_topics if topics is None else list(topics)
    for name in topics:
        if name not in all_topics:
            raise InputError(f"the table has no {name!r} topic column", field=name)
    try:
        attrs = json.loads(pq.ParquetFile(files[0]).schema_arrow.metadata[b"PANDAS_ATTRS"])
    except (KeyError, TypeError, ValueError):
        attrs = {}
    carrier = pd.DataFrame()
    carrier.attrs = attrs
    names_of_topics = topic_labels(carrier, topics, labels)  # a bad 'labels' fails first
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
        numeric_matrix(batch, all_topics, low=0.0, high=1.0)

    spill = DocumentSpill(folder, key_columns=keys, values=all_topics, unit=unit)
    reduce_batches(files, keys=keys, values=all_topics, batch_size=batch_size,
                   sink=spill.add, unit=unit, check=check)
    group_keys = _group_keys(spill.keys, by, period)
    combos, group_of_key = _group_codes(group_keys, by)
    selected = [all_topics.index(name) for name in topics]

    def per_group() -> Iterable[tuple[np.ndarray, np.ndarray]]:
        for _, documents in spill.groups(group_of_key, len(combos), max_documents):
            # units sorted by their id as text within the group, as in memory
            clusters = documents.units.astype(str)
            unit_of, uniques = pd.factorize(clusters, sort=True)
            count = np.bincount(unit_of, weights=documents.row_count, minlength=len(uniques))
            yield count, _unit_sums(documents.values[:, selected], unit_of, len(uniques))

    seeds = np.random.SeedSequence(random_state).spawn(len(combos) + 1)
    denominators, numerators, totals = _resample_groups(per_group(), len(combos),
                                                        n_bootstrap, seeds, len(selected))
    cluster = "doc_id" if unit and "passage_id" in names else None
    return _prevalence_table(by, combos, topics, numerators, denominators, totals, confidence,
                             cluster, "bootstrap", names_of_topics)


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
