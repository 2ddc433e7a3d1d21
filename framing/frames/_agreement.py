"""Agreement between coders, the disagreements to adjudicate, and gold labels.

Reliability per frame is Krippendorff's alpha (nominal; the ``krippendorff`` package) over
the passages coded by at least two coders, with a percentile bootstrap interval that resamples
passages (units), and the raw pairwise percent agreement beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import krippendorff
import numpy as np
import pandas as pd

from framing.corpus import InputError, Interval, validate_params
from framing.frames._annotations import validate_annotations

Rule = Callable[[pd.Series], int]


def _matrix(annotations: pd.DataFrame, frame: str) -> tuple[np.ndarray, list[str]]:
    """Coders × units reliability matrix of one frame (NaN = not coded); units with 2+ coders."""
    part = annotations[annotations["frame"] == frame]
    wide = part.pivot(index="coder", columns="passage_id", values="label").astype(float)
    coded = wide.notna().sum(axis=0) >= 2
    wide = wide.loc[:, coded]
    return wide.to_numpy(), list(wide.columns)


def _alpha(counts: np.ndarray) -> float:
    """Nominal alpha from a units × (0, 1) value-count matrix; NaN when only one value occurs."""
    if (counts.sum(axis=0) > 0).sum() < 2:
        # One value everywhere: no variation to disagree about; alpha is undefined.
        return float("nan")
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


def _percent_agreement(data: np.ndarray) -> float:
    """Share of agreeing pairs among all coder pairs within units."""
    ones = np.nansum(data, axis=0)
    n = np.sum(~np.isnan(data), axis=0)
    zeros = n - ones
    pairs = n * (n - 1) / 2
    agree = ones * (ones - 1) / 2 + zeros * (zeros - 1) / 2
    return float(agree.sum() / pairs.sum()) if pairs.sum() else float("nan")


def frame_agreement(
    annotations: pd.DataFrame,
    *,
    n_bootstrap: int = 1000,
    confidence: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Krippendorff's alpha (nominal) per frame, with a bootstrap interval over passages.

    Parameters
    ----------
    annotations : DataFrame
        The annotations table (see :func:`validate_annotations`).
    n_bootstrap : int, default=1000
        Bootstrap resamples of the units (passages with two or more coders); 0 for none.
    confidence : float, default=0.95
        Coverage of the percentile interval.
    random_state : int, default=0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per frame: ``frame``, ``alpha``, ``ci_low``, ``ci_high``,
        ``percent_agreement`` (pairwise), ``n_units`` (passages with 2+ coders), ``n_coders``,
        ``n_pairable`` (labels in those units), ``share_positive``.

    Examples
    --------
    >>> rows = [(f"p{u}", c, "skeptic", int(u % 2 == 0 or (c == "b" and u == 1)))
    ...         for u in range(20) for c in ("a", "b")]
    >>> table = pd.DataFrame(rows, columns=["passage_id", "coder", "frame", "label"]).assign(
    ...     annotated_at=None, sample="random", codebook_version="1.0")
    >>> out = frame_agreement(table, n_bootstrap=200)
    >>> out[["frame", "alpha", "percent_agreement", "n_units", "n_coders"]].round(3)
         frame  alpha  percent_agreement  n_units  n_coders
    0  skeptic  0.902               0.95       20         2
    """
    validate_params("frame_agreement",
                    {"n_bootstrap": n_bootstrap, "confidence": confidence,
                     "random_state": random_state},
                    {"n_bootstrap": [Interval(int, 0, 100_000)],
                     "confidence": [Interval(float, 0.5, 0.999)],
                     "random_state": [Interval(int, 0, 2**32 - 1)]})
    table = validate_annotations(annotations)
    frames = list(dict.fromkeys(table["frame"]))
    seeds = np.random.SeedSequence(random_state).spawn(len(frames))
    tail = (1 - confidence) / 2
    rows = []
    for frame, seed in zip(frames, seeds, strict=True):
        data, units = _matrix(table, frame)
        # Units × values counts: the same alpha as the coders × units matrix, and resampling
        # units is picking rows.
        counts = np.stack([(data == 0).sum(axis=0), (data == 1).sum(axis=0)], axis=1)
        alpha = _alpha(counts)
        low = high = float("nan")
        if n_bootstrap and len(units) >= 2:
            rng = np.random.default_rng(seed)
            draws = np.array([_alpha(counts[rng.integers(0, len(units), len(units))])
                              for _ in range(n_bootstrap)])
            draws = draws[~np.isnan(draws)]
            if draws.size:
                low, high = (float(v) for v in np.quantile(draws, [tail, 1 - tail]))
        coders_here = (~np.isnan(data)).any(axis=1)
        pairable = data[~np.isnan(data)]
        rows.append({"frame": frame, "alpha": alpha, "ci_low": low, "ci_high": high,
                     "percent_agreement": _percent_agreement(data), "n_units": len(units),
                     "n_coders": int(coders_here.sum()), "n_pairable": int(pairable.size),
                     "share_positive": float(pairable.mean()) if pairable.size else float("nan")})
    return pd.DataFrame(rows)


def disagreements(annotations: pd.DataFrame) -> pd.DataFrame:
    """The passage × frame cells where coders disagree, to adjudicate.

    Returns
    -------
    DataFrame
        One row per disagreement: ``passage_id``, ``frame``, ``sample``, ``n_coders``,
        ``n_positive``, then one column per coder with their label (empty when they did not
        code the passage), and an empty ``gold`` column to fill.

    Examples
    --------
    >>> table = pd.DataFrame({"passage_id": ["p", "p", "q", "q"], "coder": ["a", "b"] * 2,
    ...     "frame": "skeptic", "label": [1, 0, 1, 1], "annotated_at": None,
    ...     "sample": "random", "codebook_version": "1.0"})
    >>> disagreements(table)[["passage_id", "frame", "a", "b", "n_positive"]]
      passage_id    frame  a  b  n_positive
    0          p  skeptic  1  0           1
    """
    table = validate_annotations(annotations)
    wide = table.pivot(index=["passage_id", "frame"], columns="coder", values="label")
    n = wide.notna().sum(axis=1)
    positive = wide.sum(axis=1)
    split = (positive > 0) & (positive < n)
    out = wide[split].astype("Int64")
    out.columns.name = None
    sample = table.groupby("passage_id")["sample"].first()
    out.insert(0, "n_positive", positive[split].astype(int))
    out.insert(0, "n_coders", n[split].astype(int))
    out = out.reset_index()
    out.insert(2, "sample", out["passage_id"].map(sample))
    out["gold"] = pd.NA
    return out


def adjudicate(
    annotations: pd.DataFrame,
    *,
    method: Literal["majority", "coder"] | Rule = "majority",
    coder: str | None = None,
    ties: Literal["positive", "negative", "drop", "error"] = "error",
    decisions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Gold labels, one per passage and frame, from several coders' annotations.

    Parameters
    ----------
    annotations : DataFrame
        The annotations table.
    method : {"majority", "coder"} or callable, default="majority"
        ``"majority"``: the label most coders gave (``ties`` decides even splits);
        ``"coder"``: the label of ``coder`` where they coded the passage, else the majority;
        a callable gets the labels of one passage and frame (a Series indexed by coder) and
        returns 0 or 1.
    coder : str, optional
        The coder whose word is final, for ``method="coder"``.
    ties : {"positive", "negative", "drop", "error"}, default="error"
        An even split under the majority rule: 1, 0, leave the cell out, or raise.
    decisions : DataFrame, optional
        Adjudicated cells that override everything: ``passage_id``, ``frame``, ``gold``
        (0/1; e.g. the filled :func:`disagreements` table; blank ``gold`` rows are ignored).

    Returns
    -------
    DataFrame
        ``passage_id``, ``frame``, ``label``, ``n_coders``, ``n_positive``, ``rule``
        (majority / coder / tie / custom / decision) and ``sample``.

    Raises
    ------
    InputError
        A tie with ``ties="error"`` (naming the passage and frame), an unknown ``coder``, a
        rule returning something other than 0/1.

    Examples
    --------
    >>> table = pd.DataFrame({"passage_id": ["p"] * 3, "coder": ["a", "b", "c"],
    ...     "frame": "skeptic", "label": [1, 0, 1], "annotated_at": None,
    ...     "sample": "random", "codebook_version": "1.0"})
    >>> adjudicate(table)[["passage_id", "label", "n_positive", "rule"]]
      passage_id  label  n_positive      rule
    0          p      1           2  majority
    >>> adjudicate(table, method="coder", coder="b")["label"].tolist()
    [0]
    """
    table = validate_annotations(annotations)
    if method == "coder" and (coder is None or coder not in set(table["coder"])):
        raise InputError(f"method='coder' needs one of the coders {sorted(set(table['coder']))}"
                         f", got {coder!r}", field="coder")
    if not callable(method) and method not in ("majority", "coder"):
        raise InputError(f"The 'method' parameter of adjudicate must be 'majority', 'coder' or "
                         f"a callable. Got {method!r} instead.", field="method")
    decided = _decisions(decisions, table)
    groups = table.groupby(["passage_id", "frame"], sort=False)
    rows = []
    for (passage, frame), part in groups:
        labels = pd.Series(part["label"].to_numpy(), index=part["coder"].to_numpy())
        n, positive = len(labels), int(labels.sum())
        if (passage, frame) in decided:
            label, rule = decided[(passage, frame)], "decision"
        elif callable(method):
            label, rule = method(labels), "custom"
            if label not in (0, 1):
                raise InputError(f"the rule returned {label!r} for passage {passage!r}, frame "
                                 f"{frame!r}; expected 0 or 1", field="method")
        elif method == "coder" and coder in labels.index:
            label, rule = int(labels[coder]), "coder"
        elif 2 * positive != n:
            label, rule = int(2 * positive > n), "majority"
        elif ties == "error":
            raise InputError(f"passage {passage!r}, frame {frame!r}: {positive} of {n} coders "
                             "say 1, a tie; pass ties= (--ties) 'positive', 'negative' or "
                             "'drop', or adjudicate it (decisions= (--decisions))",
                             field="label")
        elif ties == "drop":
            continue
        else:
            label, rule = int(ties == "positive"), "tie"
        rows.append({"passage_id": passage, "frame": frame, "label": int(label), "n_coders": n,
                     "n_positive": positive, "rule": rule,
                     "sample": part["sample"].iloc[0]})
    gold = pd.DataFrame(rows, columns=["passage_id", "frame", "label", "n_coders",
                                       "n_positive", "rule", "sample"])
    return gold


def _decisions(decisions: pd.DataFrame | None, table: pd.DataFrame) -> dict[tuple[str, str], int]:
    """The adjudicated cells of a filled disagreements sheet (blank ``gold`` = undecided)."""
    if decisions is None:
        return {}
    for column in ("passage_id", "frame", "gold"):
        if column not in decisions.columns:
            raise InputError("the decisions table has no such column", field=column)
    known = set(zip(table["passage_id"], table["frame"], strict=True))
    decided = {}
    for row, record in enumerate(decisions.to_dict("records"), start=1):
        value = record["gold"]
        if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) or (
                str(value).strip() == ""):
            continue
        if str(value).strip() not in ("0", "1", "0.0", "1.0"):
            raise InputError(f"expected 0 or 1, got {value!r}", row=row, field="gold")
        key = (str(record["passage_id"]), str(record["frame"]))
        if key not in known:
            raise InputError(f"no annotations for passage {key[0]!r}, frame {key[1]!r}",
                             row=row, field="passage_id")
        decided[key] = int(float(value))
    return decided


def pivot_labels(gold: pd.DataFrame, frames: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Long gold labels → one row per passage with a 0/1 column per frame and ``sample``.

    Passages missing a frame are left out (a label per frame is needed to train).

    Examples
    --------
    >>> gold = pd.DataFrame({"passage_id": ["p", "p"], "frame": ["a", "b"], "label": [1, 0],
    ...                      "sample": "random"})
    >>> pivot_labels(gold, ["a", "b"]).values.tolist()
    [['p', 'random', 1, 0]]
    """
    unknown = sorted(set(gold["frame"]) - set(frames))
    if unknown:
        raise InputError(f"labels for unknown frame {unknown[0]!r}; expected {list(frames)}",
                         field="frame")
    wide = gold.pivot(index="passage_id", columns="frame", values="label")
    wide = wide.reindex(columns=list(frames)).dropna()
    sample = gold.groupby("passage_id")["sample"].first()
    out = wide.astype(int).reset_index()
    out.columns.name = None
    out.insert(1, "sample", out["passage_id"].map(sample).to_numpy())
    return out
