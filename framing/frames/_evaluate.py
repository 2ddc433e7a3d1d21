"""Grouped cross-validation of a frame classifier: no article's passages in two folds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from framing.corpus import InputError, Interval, validate_params
from framing.frames._classifier import FrameClassifier, _label_matrix
from framing.frames._codebook import Codebook, load_codebook

_CONSTRAINTS: dict[str, list] = {"n_splits": [Interval(int, 2, 100)],
                                 "random_state": [Interval(int, 0, 2**32 - 1)]}


def cross_validate_frames(
    classifier: FrameClassifier,
    passages: pd.DataFrame,
    labels: pd.DataFrame | None = None,
    *,
    groups: str = "doc_id",
    n_splits: int = 5,
    random_state: int = 0,
) -> dict[str, Any]:
    """Cross-validate ``classifier`` with folds grouped by document, and score each frame.

    Folds come from ``StratifiedGroupKFold`` (shuffled with ``random_state``), stratified on
    the combination of frames, so all passages of one document are in the same fold. A clone
    of ``classifier`` is fitted on each training part; the scores are computed on the pooled
    out-of-fold predictions.

    Parameters
    ----------
    classifier : FrameClassifier
        An unfitted (or fitted: it is cloned) classifier.
    passages : DataFrame
        Passages with the classifier's text column and the ``groups`` column.
    labels : DataFrame, optional
        One 0/1 column per frame, with the same index as ``passages``; by default taken from
        ``passages``.
    groups : str, default="doc_id"
        The column whose values must not be split across folds.
    n_splits : int, default=5
        Number of folds.
    random_state : int, default=0
        Seed of the fold shuffling.

    Returns
    -------
    dict
        ``"scores"``: DataFrame indexed by frame with ``precision``, ``recall``, ``f1``,
        ``brier``, ``n_positive``; ``"macro_f1"``: the mean F1 over frames; ``"predictions"``:
        the out-of-fold :meth:`FrameClassifier.predict` table (input index, no text) plus a
        ``fold`` column.

    Raises
    ------
    InputError
        A parameter out of range, no ``groups`` column, or labels the classifier refuses.

    Examples
    --------
    >>> texts = ["Trump vowed to broker a peace deal.", "Trump said Europe must pay its share.",
    ...          "Trump doubted the aid would work."] * 10
    >>> passages = pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "text": texts,
    ...     "peacemaker": [1, 0, 0] * 10, "isolationist": [0, 1, 0] * 10,
    ...     "skeptic": [0, 0, 1] * 10})
    >>> model = FrameClassifier(char_ngrams=False, min_df=1, calibration=None, threshold=0.5)
    >>> result = cross_validate_frames(model, passages, n_splits=3)
    >>> round(result["macro_f1"], 2), sorted(result["predictions"]["fold"].unique().tolist())
    (1.0, [0, 1, 2])
    """
    validate_params("cross_validate_frames", {"n_splits": n_splits, "random_state": random_state},
                    _CONSTRAINTS)
    if groups not in passages.columns:
        raise InputError(f"the table has no {groups!r} column to group the folds by",
                         field=groups)
    frames = _frames_of(classifier)
    y = _label_matrix(passages, labels, frames)
    strata = y @ (1 << np.arange(len(frames)))  # the combination of frames, as a number
    values, counts = np.unique(strata, return_counts=True)
    strata[np.isin(strata, values[counts < n_splits])] = -1  # rare combinations pooled
    group_values = passages[groups].astype(str).to_numpy()
    splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
    parts = []
    for fold, (train, test) in enumerate(splitter.split(passages, strata, group_values)):
        if set(group_values[train]) & set(group_values[test]):  # pragma: no cover - sklearn
            raise RuntimeError(f"fold {fold}: a {groups!r} value is in both train and test")
        label_table = pd.DataFrame(y[train], columns=list(frames),
                                   index=passages.index[train])
        model = clone(classifier).fit(passages.iloc[train], label_table)
        part = model.predict(passages.iloc[test])
        part["fold"] = fold
        parts.append(part)
    predictions = pd.concat(parts).loc[passages.index]
    rows = {}
    for k, frame in enumerate(frames):
        decided = predictions[f"is_{frame}"].to_numpy()
        precision, recall, f1, _ = precision_recall_fscore_support(
            y[:, k], decided, average="binary", zero_division=0)
        rows[frame] = {"precision": float(precision), "recall": float(recall), "f1": float(f1),
                       "brier": float(brier_score_loss(y[:, k],
                                                       predictions[f"p_{frame}"].to_numpy())),
                       "n_positive": int(y[:, k].sum())}
    scores = pd.DataFrame.from_dict(rows, orient="index")
    return {"scores": scores, "macro_f1": float(scores["f1"].mean()),
            "predictions": predictions}


def _frames_of(classifier: FrameClassifier) -> tuple[str, ...]:
    """The frames a (possibly unfitted) classifier will predict, from its codebook."""
    codebook = classifier.codebook
    return (codebook if isinstance(codebook, Codebook) else load_codebook(codebook)).frame_names
