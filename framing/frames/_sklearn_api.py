"""scikit-learn's conventions for the frame classifiers: a score, tags and array outputs.

``GridSearchCV``, ``cross_val_score`` and scikit-learn's named scorers (``scoring="f1_macro"``)
read ``predict``'s output as the predicted labels and compare it with ``y``. The classifiers'
own output is a table (the ``passage_frames`` table: the passages' keys, ``p_<frame>``,
``is_<frame>``, ``model_id``), which a metric cannot read; ``predict_output="labels"`` makes
``predict`` and ``predict_proba`` return the arrays scikit-learn expects instead, and ``y`` may
then be an array as well as a table.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

PredictOutput = Literal["table", "labels"]
# The single-label classes' column (``_single_label.DECISION_COLUMN``, which imports this).
_CLASS_COLUMN = "frame"


def as_label_table(labels: Any, passages: pd.DataFrame, frames: tuple[str, ...]) -> Any:
    """``labels`` as the table ``fit`` reads: arrays become columns on the passages' index.

    A 2-D array has one 0/1 column per frame (in the codebook's order); a 1-D array or a
    Series names each passage's class (the single-label ``frame`` column). A DataFrame or
    ``None`` is returned as it is.

    Examples
    --------
    >>> passages = pd.DataFrame({"text": ["a", "b"]}, index=[5, 7])
    >>> as_label_table(np.array([[1, 0], [0, 1]]), passages, ("x", "y"))
       x  y
    5  1  0
    7  0  1
    >>> as_label_table(pd.Series(["x", "none"]), passages, ("x", "y"))["frame"].tolist()
    ['x', 'none']
    """
    if labels is None or isinstance(labels, pd.DataFrame):
        return labels
    if isinstance(labels, pd.Series):
        labels = labels.to_numpy(dtype=object)
    array = np.asarray(labels)
    if array.ndim == 1:
        return pd.DataFrame({_CLASS_COLUMN: array}, index=passages.index)
    if array.ndim == 2 and array.shape[1] == len(frames):
        return pd.DataFrame(array, columns=list(frames), index=passages.index)
    raise TypeError(f"expected labels as a DataFrame, one 0/1 column per frame "
                    f"({len(frames)}), or one class name per passage; got an array of shape "
                    f"{array.shape}")
