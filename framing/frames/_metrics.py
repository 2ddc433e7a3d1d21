"""Scores of frame predictions: per-frame metrics, calibration error, reliability and confusion.

Plain functions on arrays (one frame at a time) that return numbers or tidy tables, used by
:func:`~framing.frames.evaluate_frames` and usable on any ``p_<frame>`` / ``is_<frame>`` table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_fscore_support,
    roc_auc_score,
)

#: Columns of :func:`reliability_table`.
RELIABILITY_COLUMNS = ("bin", "bin_low", "bin_high", "mean_predicted", "observed", "n")


def _bins(probabilities: np.ndarray, n_bins: int) -> np.ndarray:
    """Equal-width bin of each probability; 1.0 falls in the last bin."""
    return np.minimum((np.clip(probabilities, 0.0, 1.0) * n_bins).astype(int), n_bins - 1)


def expected_calibration_error(y_true: np.ndarray, probabilities: np.ndarray, *,
                               n_bins: int = 10) -> float:
    """Expected calibration error: the share-weighted gap between predicted and observed rates.

    Equal-width bins on [0, 1]; ``sum_b n_b / n * |mean predicted_b - observed rate_b|``.

    Examples
    --------
    >>> expected_calibration_error(np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.8, 0.3]),
    ...                            n_bins=2)
    0.175
    """
    y_true = np.asarray(y_true, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    if len(y_true) == 0:
        return float("nan")
    bins = _bins(probabilities, n_bins)
    total = 0.0
    for b in np.unique(bins):
        inside = bins == b
        total += inside.sum() * abs(probabilities[inside].mean() - y_true[inside].mean())
    return round(float(total / len(y_true)), 12)


def reliability_table(y_true: np.ndarray, probabilities: np.ndarray, *,
                      n_bins: int = 10) -> pd.DataFrame:
    """Reliability-diagram data: per equal-width bin, the mean prediction and observed rate.

    Returns
    -------
    DataFrame
        One row per non-empty bin: ``bin`` (0-based), ``bin_low``, ``bin_high``,
        ``mean_predicted``, ``observed`` (share of positives), ``n``.

    Examples
    --------
    >>> reliability_table(np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.8, 0.3]), n_bins=2)
       bin  bin_low  bin_high  mean_predicted  observed  n
    0    0      0.0       0.5            0.20       0.0  2
    1    1      0.5       1.0            0.85       1.0  2
    """
    y_true = np.asarray(y_true, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    bins = _bins(probabilities, n_bins)
    rows = []
    for b in np.unique(bins):
        inside = bins == b
        rows.append({"bin": int(b), "bin_low": b / n_bins, "bin_high": (b + 1) / n_bins,
                     "mean_predicted": float(probabilities[inside].mean()),
                     "observed": float(y_true[inside].mean()), "n": int(inside.sum())})
    return pd.DataFrame(rows, columns=list(RELIABILITY_COLUMNS))


def ranking_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC of ``scores`` for ``y_true``, NaN when only one class is present.

    Examples
    --------
    >>> ranking_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    >>> ranking_auc(np.array([1, 1]), np.array([0.1, 0.2]))
    nan
    """
    y_true = np.asarray(y_true)
    if len(np.unique(y_true)) < 2:
        return float("nan")
    return float(roc_auc_score(y_true, scores))


def frame_metrics(y_true: np.ndarray, probabilities: np.ndarray, decisions: np.ndarray, *,
                  n_bins: int = 10) -> dict[str, float | int]:
    """Precision, recall, F1, AUC, average precision, Brier and ECE of one frame.

    Returns
    -------
    dict
        ``n``, ``n_positive``, ``precision``, ``recall``, ``f1``, ``auc``,
        ``average_precision``, ``brier``, ``ece`` (AUC and average precision are NaN when
        only one class is present; precision is 0 when nothing is predicted positive).

    Examples
    --------
    >>> m = frame_metrics(np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.4, 0.3]),
    ...                   np.array([0, 1, 0, 0]))
    >>> m["precision"], m["recall"], round(m["f1"], 3), m["auc"]
    (1.0, 0.5, 0.667, 1.0)
    """
    y_true = np.asarray(y_true).astype(int)
    probabilities = np.asarray(probabilities, dtype=float)
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, np.asarray(decisions).astype(int), average="binary", zero_division=0,
        labels=[0, 1])
    both = len(np.unique(y_true)) == 2
    return {
        "n": len(y_true), "n_positive": int(y_true.sum()),
        "precision": float(precision), "recall": float(recall), "f1": float(f1),
        "auc": ranking_auc(y_true, probabilities),
        "average_precision": (float(average_precision_score(y_true, probabilities)) if both
                              else float("nan")),
        "brier": float(brier_score_loss(y_true, probabilities, labels=[0, 1])),
        "ece": expected_calibration_error(y_true, probabilities, n_bins=n_bins),
    }


def confusion_table(y_true: np.ndarray, decisions: np.ndarray) -> pd.DataFrame:
    """The 2 x 2 confusion counts of one frame, tidy: ``true``, ``predicted``, ``n``.

    Examples
    --------
    >>> confusion_table(np.array([0, 1, 1]), np.array([0, 1, 0]))["n"].tolist()
    [1, 0, 1, 1]
    """
    y_true = np.asarray(y_true).astype(int)
    decisions = np.asarray(decisions).astype(int)
    rows = [{"true": a, "predicted": p, "n": int(((y_true == a) & (decisions == p)).sum())}
            for a in (0, 1) for p in (0, 1)]
    return pd.DataFrame(rows)
