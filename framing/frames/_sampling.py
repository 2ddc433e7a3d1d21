"""What to annotate: a stratified random sample for validation, an active sample for training.

The two are drawn and recorded separately (``sample`` = ``random`` / ``active``). The random
sample is a stratified simple random sample (by outlet, optionally × period) with known
inclusion probabilities, so the frame shares coded in it estimate prevalence without bias;
the active sample picks the passages a model is least sure about, which helps training but
says nothing unbiased about prevalence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from framing.corpus import InputError, Interval, Options, validate_params

Period = Literal["month", "quarter", "year"]
_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}


def _check_passages(passages: pd.DataFrame) -> None:
    if not isinstance(passages, pd.DataFrame):
        raise TypeError(f"expected a DataFrame of passages, got {type(passages).__name__}")
    if "passage_id" not in passages.columns:
        raise InputError("the passages table has no 'passage_id' column", field="passage_id")
    if passages["passage_id"].duplicated().any():
        first = passages["passage_id"][passages["passage_id"].duplicated()].iloc[0]
        raise InputError(f"passage {first!r} appears twice", field="passage_id")


def _allocate(sizes: np.ndarray, n: int) -> np.ndarray:
    """Proportional allocation with largest remainders, never more than a stratum holds."""
    quotas = sizes * n / sizes.sum()
    taken = np.minimum(np.floor(quotas).astype(int), sizes)
    order = np.lexsort((np.arange(len(sizes)), -(quotas - np.floor(quotas))))
    while taken.sum() < n:
        for k in order:
            if taken.sum() >= n:
                break
            if taken[k] < sizes[k]:
                taken[k] += 1
    return taken


def sample_random(
    passages: pd.DataFrame,
    n: int,
    *,
    by: Sequence[str] = ("outlet",),
    period: Period | None = None,
    exclude: Iterable[str] = (),
    random_state: int = 0,
) -> pd.DataFrame:
    """A stratified random sample of passages: the validation sample, ``sample = "random"``.

    Each stratum (the combination of the ``by`` columns, and of the period of ``date`` when
    ``period`` is given) gets a share of ``n`` proportional to its size (largest remainders);
    passages are drawn without replacement within it.

    Parameters
    ----------
    passages : DataFrame
        Passages with ``passage_id`` and the ``by`` columns (and ``date`` for ``period``).
    n : int
        Sample size; at most the number of passages left after ``exclude``.
    by : sequence of str, default=("outlet",)
        The columns to stratify by.
    period : {"month", "quarter", "year"}, optional
        Also stratify by the period of ``date``.
    exclude : iterable of str, default=()
        Passage ids not to draw (already coded).
    random_state : int, default=0
        Seed of the draw.

    Returns
    -------
    DataFrame
        The drawn rows, every input column kept, in input order, plus ``sample``
        (``"random"``), ``stratum``, ``n_stratum`` (passages in the stratum) and
        ``inclusion_probability`` (drawn / passages in the stratum; weight = 1 / it).

    Raises
    ------
    InputError
        A missing column, duplicate passage ids, or ``n`` larger than the passages left.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": [f"d{i}:0" for i in range(10)],
    ...                          "outlet": ["A"] * 6 + ["B"] * 4})
    >>> drawn = sample_random(passages, 5, random_state=1)
    >>> drawn.groupby("outlet").size().to_dict(), drawn["inclusion_probability"].tolist()
    ({'A': 3, 'B': 2}, [0.5, 0.5, 0.5, 0.5, 0.5])
    """
    validate_params("sample_random", {"n": n, "random_state": random_state},
                    {"n": [Interval(int, 0, None)], "random_state": [Interval(int, 0, 2**32 - 1)]})
    _check_passages(passages)
    columns = list(by) + (["date"] if period is not None else [])
    for column in columns:
        if column not in passages.columns:
            raise InputError(f"the passages table has no {column!r} column to stratify by",
                             field=column)
    excluded = set(map(str, exclude))
    pool = passages[~passages["passage_id"].astype(str).isin(excluded)]
    if n > len(pool):
        raise InputError(f"cannot draw {n} passages: only {len(pool)} are left to sample")
    keys = [pool[c].astype(str).fillna("") for c in by]
    if period is not None:
        dates = pd.to_datetime(pool["date"], errors="coerce")
        if dates.isna().any():
            row = int(np.flatnonzero(dates.isna().to_numpy())[0]) + 1
            raise InputError("no date to stratify by period", row=row, field="date")
        keys.append(dates.dt.to_period(_FREQ[period]).astype(str))
    stratum = (pd.concat(keys, axis=1).agg(" | ".join, axis=1) if keys
               else pd.Series("all", index=pool.index))
    names, codes = np.unique(stratum.to_numpy(dtype=str), return_inverse=True)
    sizes = np.bincount(codes, minlength=len(names))
    taken = _allocate(sizes, n) if n else np.zeros(len(names), dtype=int)
    seeds = np.random.SeedSequence(random_state).spawn(len(names))
    chosen = np.zeros(len(pool), dtype=bool)
    for k in range(len(names)):
        members = np.flatnonzero(codes == k)
        picked = np.random.default_rng(seeds[k]).choice(members, size=taken[k], replace=False)
        chosen[picked] = True
    out = pool[chosen].copy()
    out["sample"] = "random"
    out["stratum"] = stratum[chosen].to_numpy()
    out["n_stratum"] = sizes[codes[chosen]]
    out["inclusion_probability"] = (taken / sizes)[codes[chosen]]
    return out


def _score_columns(scores: pd.DataFrame, prefix: str,
                   frames: Sequence[str] | None) -> list[str]:
    """``<prefix><frame>`` for the given frames, or every numeric column with the prefix."""
    if frames is not None:
        columns = [f"{prefix}{frame}" for frame in frames]
        for column in columns:
            if column not in scores.columns:
                raise InputError("no such score column", field=column)
        return columns
    columns = [c for c in scores.columns if isinstance(c, str) and c.startswith(prefix)
               and pd.api.types.is_numeric_dtype(scores[c])
               and not pd.api.types.is_bool_dtype(scores[c])]
    if not columns:
        raise InputError(f"no score columns: expected numeric columns named {prefix}<frame>",
                         field=f"{prefix}*")
    return columns


def _uncertainty(scores: pd.DataFrame, columns: list[str],
                 thresholds: float | Mapping[str, float] | None) -> np.ndarray:
    """Distance to the decision boundary of the least-sure frame (smaller = less sure)."""
    values = scores[columns].to_numpy(dtype=float)
    if np.isnan(values).any():
        row, col = map(int, np.argwhere(np.isnan(values))[0])
        raise InputError("missing score", row=row + 1, field=columns[col])
    is_probability = ((values >= 0) & (values <= 1)).all()
    if thresholds is None and not is_probability:
        # Scores that are not probabilities (cold-start similarities): compare frames on one
        # scale (z-scores) with each frame's boundary at its median.
        spread = values.std(axis=0)
        spread[spread == 0] = 1.0
        values = (values - np.median(values, axis=0)) / spread
        cut = np.zeros(len(columns))
    elif thresholds is None:
        cut = np.full(len(columns), 0.5)
    elif isinstance(thresholds, Mapping):
        cut = np.array([float(thresholds.get(c, thresholds.get(c.split("_", 1)[-1], 0.5)))
                        for c in columns])
    else:
        cut = np.full(len(columns), float(thresholds))
    return np.abs(values - cut).min(axis=1)


Strategy = Literal["uncertainty", "relevance", "mixed"]


def _spread(order: Iterable[int], documents: np.ndarray | None, n: int,
            max_per_document: int | None, taken: set[int]) -> list[int]:
    """The first ``n`` of ``order`` not in ``taken``, at most ``max_per_document`` a document
    (filled with the next ones when there are too few documents). ``order`` is read only as
    far as needed."""
    if n == 0:
        return []
    limit = None if documents is None else max_per_document
    used: dict[str, int] = {}
    if limit is not None:
        for i in taken:
            used[documents[i]] = used.get(documents[i], 0) + 1
    picked: list[int] = []
    skipped: list[int] = []  # over their document's limit: the fill, in order
    for i in order:
        if i in taken:
            continue
        if limit is None or used.get(documents[i], 0) < limit:
            if limit is not None:
                used[documents[i]] = used.get(documents[i], 0) + 1
            picked.append(i)
            if len(picked) == n:
                return picked
        else:
            skipped.append(i)
    return picked + skipped[:n - len(picked)]


def _relevance_order(values: np.ndarray, columns: list[str], positives: Mapping[str, int],
                     tie_break: np.ndarray) -> Iterator[int]:
    """Rows by score, taking each frame's best in turn, the frame with fewest positives first
    (lazily: a sample of n reads about n rows of each ranking, not the whole pool)."""
    def coded(column: str) -> int:
        return int(positives.get(column, positives.get(column.split("_", 1)[-1], 0)))
    frames = sorted(range(len(columns)), key=lambda k: (coded(columns[k]), k))
    ranked = [np.lexsort((tie_break, -values[:, k])) for k in frames]
    at = [0] * len(ranked)
    seen: set[int] = set()
    while len(seen) < len(values):
        for r, ranking in enumerate(ranked):
            while at[r] < len(ranking) and ranking[at[r]] in seen:
                at[r] += 1
            if at[r] < len(ranking):
                row = int(ranking[at[r]])
                at[r] += 1
                seen.add(row)
                yield row


def sample_active(
    scores: pd.DataFrame,
    n: int,
    *,
    strategy: Strategy = "uncertainty",
    positives: Mapping[str, int] | None = None,
    prefix: str = "p_",
    frames: Sequence[str] | None = None,
    thresholds: float | Mapping[str, float] | None = None,
    max_per_document: int | None = 1,
    exclude: Iterable[str] = (),
    random_state: int = 0,
) -> pd.DataFrame:
    """Active sampling: the passages that teach a model most, by uncertainty or relevance.

    ``strategy="uncertainty"`` takes the passages closest to a frame's decision boundary: a
    passage's uncertainty is its smallest distance, over frames, between the score and the
    frame's threshold. With probabilities (``p_<frame>`` of
    :meth:`FrameClassifier.predict_proba`), the thresholds are the model's (pass
    ``model.thresholds_``) or 0.5; with scores that are not probabilities (cold-start
    similarities before any classifier exists) each frame is standardised and cut at its
    median.

    ``strategy="relevance"`` takes the highest-scored passages of each frame in turn, the
    frame with the fewest coded ``positives`` first: where frames are rare (a few percent of
    passages) it finds positives to learn from, which uncertainty sampling finds slowly.
    ``"mixed"`` takes half of ``n`` by uncertainty, then the rest by relevance. On the real
    coded role set (positives 4-10%), choosing 300 passages to code in rounds of 50 after a
    random 100, ``mixed`` gave the best F1 of the three and of a random 300
    (``benchmarks/frames_active.py``, recorded in benchmarks/README.md).

    ``max_per_document`` spreads the picks over documents (diversity).

    Parameters
    ----------
    scores : DataFrame
        Passages with ``passage_id`` (and ``doc_id`` for ``max_per_document``) and one score
        column per frame, named ``<prefix><frame>``.
    n : int
        Sample size.
    strategy : {"uncertainty", "relevance", "mixed"}, default="uncertainty"
        How passages are chosen (above).
    positives : mapping, optional
        Coded positives so far per frame (keyed by frame or column name), for the relevance
        turn order; default: frames in column order.
    prefix : str, default="p_"
        The prefix of the score columns.
    frames : sequence of str, optional
        The frames to use (``<prefix><frame>`` columns); default every numeric column with
        the prefix.
    thresholds : float or mapping, optional
        Each frame's boundary, keyed by frame or column name.
    max_per_document : int or None, default=1
        At most this many passages of one document (None: no limit).
    exclude : iterable of str, default=()
        Passage ids not to draw (already coded, or in the random sample).
    random_state : int, default=0
        Seed that breaks ties.

    Returns
    -------
    DataFrame
        The drawn rows, every input column kept, in the order drawn, plus ``sample``
        (``"active"``), ``uncertainty`` (the distance; smaller = less sure), ``active_rank``
        (0 = drawn first) and ``active_reason`` (``uncertainty`` or ``relevance``).

    Examples
    --------
    >>> scores = pd.DataFrame({"passage_id": ["a:0", "b:0", "c:0"], "doc_id": ["a", "b", "c"],
    ...                        "p_peacemaker": [0.9, 0.52, 0.1], "p_skeptic": [0.1, 0.2, 0.45]})
    >>> sample_active(scores, 2)[["passage_id", "active_rank"]].values.tolist()
    [['b:0', 0], ['c:0', 1]]
    >>> sample_active(scores, 2, strategy="relevance",
    ...               positives={"peacemaker": 9, "skeptic": 2})["passage_id"].tolist()
    ['c:0', 'a:0']
    """
    validate_params("sample_active",
                    {"n": n, "random_state": random_state, "strategy": strategy},
                    {"n": [Interval(int, 0, None)],
                     "random_state": [Interval(int, 0, 2**32 - 1)],
                     "strategy": [Options({"uncertainty", "relevance", "mixed"})]})
    _check_passages(scores)
    columns = _score_columns(scores, prefix, frames)
    excluded = set(map(str, exclude))
    pool = scores[~scores["passage_id"].astype(str).isin(excluded)]
    if n > len(pool):
        raise InputError(f"cannot draw {n} passages: only {len(pool)} are left to sample")
    distance = _uncertainty(pool, columns, thresholds)
    tie_break = np.random.default_rng(random_state).random(len(pool))
    documents = (pool["doc_id"].astype(str).to_numpy() if "doc_id" in pool.columns
                 else None)
    n_uncertain = {"uncertainty": n, "relevance": 0, "mixed": n // 2}[strategy]
    picked = _spread(np.lexsort((tie_break, distance)), documents, n_uncertain,
                     max_per_document, set())
    if n > n_uncertain:
        relevant = _relevance_order(pool[columns].to_numpy(dtype=float), columns,
                                    positives or {}, tie_break)
        picked += _spread(relevant, documents, n - n_uncertain, max_per_document,
                          set(picked))
    order = np.asarray(picked, dtype=int)
    out = pool.iloc[order].copy()
    out["sample"] = "active"
    out["uncertainty"] = distance[order]
    out["active_rank"] = np.arange(len(order))
    out["active_reason"] = ["uncertainty"] * n_uncertain + ["relevance"] * (n - n_uncertain)
    return out


def sample_for_annotation(
    passages: pd.DataFrame,
    *,
    n_random: int,
    n_active: int,
    scores: pd.DataFrame | None = None,
    by: Sequence[str] = ("outlet",),
    period: Period | None = None,
    prefix: str = "p_",
    frames: Sequence[str] | None = None,
    thresholds: float | Mapping[str, float] | None = None,
    exclude: Iterable[str] = (),
    strategy: Strategy = "uncertainty",
    positives: Mapping[str, int] | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Draw the random (validation) sample first, then the active sample from the rest.

    ``scores`` are the frame scores of ``passages`` (joined on ``passage_id``): a
    classifier's probabilities, or cold-start scores before there is one. The two samples are
    disjoint and labelled in ``sample``; the random one keeps its inclusion probabilities.
    ``strategy`` and ``positives`` choose the active sample (see :func:`sample_active`).

    Returns
    -------
    DataFrame
        The random rows, then the active rows, with the columns of :func:`sample_random` and
        :func:`sample_active` (missing ones empty).

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": [f"d{i}:0" for i in range(8)],
    ...     "doc_id": [f"d{i}" for i in range(8)], "outlet": ["A", "B"] * 4,
    ...     "p_skeptic": [0.1, 0.5, 0.9, 0.4, 0.45, 0.2, 0.8, 0.6]})
    >>> drawn = sample_for_annotation(passages, n_random=4, n_active=2)
    >>> drawn["sample"].value_counts().to_dict(), drawn["passage_id"].is_unique
    ({'random': 4, 'active': 2}, True)
    """
    seeds = np.random.SeedSequence(random_state).generate_state(2)
    drawn = sample_random(passages, n_random, by=by, period=period, exclude=exclude,
                          random_state=int(seeds[0]))
    if n_active == 0:
        return drawn
    if scores is None:
        scores = passages
    elif "passage_id" not in scores.columns:
        raise InputError("the scores have no 'passage_id' column", field="passage_id")
    score_columns = _score_columns(scores, prefix, frames)
    table = scores if scores is passages else passages.merge(
        scores[["passage_id", *score_columns]], on="passage_id", how="inner",
        validate="one_to_one")
    active = sample_active(table, n_active, prefix=prefix, frames=frames, thresholds=thresholds,
                           exclude=set(map(str, exclude)) | set(drawn["passage_id"].astype(str)),
                           strategy=strategy, positives=positives, random_state=int(seeds[1]))
    return pd.concat([drawn, active], ignore_index=True)
